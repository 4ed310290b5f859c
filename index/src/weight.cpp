#include "weight.hpp"

#include <algorithm>
#include <cmath>

namespace hrtrack::index {

Xapian::termcount normalised_wdf(Xapian::termcount wdf, Xapian::termcount length) {
  if (wdf == 0) return 0;
  const double norm = (1 - kB) + kB * std::max(static_cast<double>(length) / kPivotLength, kMinNormLength);
  const double part = (kK1 + 1) * wdf / (kK1 * norm + wdf);
  return std::max<Xapian::termcount>(1, static_cast<Xapian::termcount>(std::lround(part * kWdfScale)));
}

NormalisedBM25::NormalisedBM25() {
  need_stat(COLLECTION_SIZE);
  need_stat(TERMFREQ);
  need_stat(WDF);
  need_stat(WDF_MAX);
  need_stat(WQF);
}

void NormalisedBM25::init(double factor) {
  if (factor == 0) {  // the term-independent part: BM25 has none here
    factor_ = 0;
    return;
  }
  const double n = get_collection_size(), df = get_termfreq();
  // Robertson-Sparck Jones idf. A term in more than half the sections would weigh less than
  // nothing: such terms are given a small positive weight instead, so every word of a query
  // counts for something.
  double ratio = (n - df + 0.5) / (df + 0.5);
  if (ratio < 2) ratio = ratio * 0.5 + 1;
  const double wqf = get_wqf();
  factor_ = factor * std::log(ratio) * (2 * wqf / (1 + wqf)) / kWdfScale;
}

NormalisedBM25* NormalisedBM25::clone() const { return new NormalisedBM25; }

std::string NormalisedBM25::name() const { return "hrtrack::NormalisedBM25"; }

std::string NormalisedBM25::serialise() const { return {}; }

NormalisedBM25* NormalisedBM25::unserialise(const std::string&) const { return new NormalisedBM25; }

double NormalisedBM25::get_sumpart(Xapian::termcount wdf, Xapian::termcount, Xapian::termcount) const {
  return factor_ * wdf;
}

// Xapian keeps each term's largest wdf; a synonym's wdf is the sum of its terms'.
double NormalisedBM25::get_maxpart() const { return factor_ * get_wdf_upper_bound(); }

double NormalisedBM25::get_sumextra(Xapian::termcount, Xapian::termcount) const { return 0; }

double NormalisedBM25::get_maxextra() const { return 0; }

}  // namespace hrtrack::index
