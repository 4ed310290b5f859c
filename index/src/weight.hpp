#pragma once
// BM25 with the length normalisation done by the indexer.
//
// Xapian's BM25Weight needs each candidate's document length, a lookup in the doclen chunks
// for every posting: 90 % of the time of a one-word search over a common word at 274,783
// sections (1.4 ms of 1.5 ms for the 8,983 sections of `concept:possession`; 0.13 ms with a
// scheme that needs no length). The length is known when the section is indexed, so the
// indexer stores in each term's wdf BM25's term-frequency part, scaled to an integer
// (normalised_wdf()), and the search multiplies it by the term's idf: the same ranking
// without reading a length.
//
// The length is normalised against a fixed pivot (kPivotLength) rather than the index's
// current average, so a section indexed today and one indexed a year ago are weighed alike
// without re-indexing either.
#include <xapian.h>

#include <string>

namespace hrtrack::index {

// BM25's parameters, Xapian's defaults.
inline constexpr double kK1 = 1.0;
inline constexpr double kB = 0.5;
inline constexpr double kMinNormLength = 0.5;
// A section's length (the sum of its terms' wdf) measured against this: about the average
// of the bulk collections (186 at 274,783 sections, 156 at 37,085).
inline constexpr double kPivotLength = 180.0;
// The wdf a term gets per unit of BM25's term-frequency part, which lies in (0, kK1 + 1).
inline constexpr double kWdfScale = 256.0;

// The wdf to store for a term found `wdf` times (headings counted as the generator weighs
// them) in a section of `length`: BM25's (k1 + 1) wdf / (k1 L + wdf), with
// L = (1 - b) + b max(length / pivot, min), times kWdfScale. At least 1.
Xapian::termcount normalised_wdf(Xapian::termcount wdf, Xapian::termcount length);

// The rest of BM25 at search time: idf x the stored wdf / kWdfScale (and BM25's query
// term-frequency factor). Needs no document length.
class NormalisedBM25 : public Xapian::Weight {
 public:
  NormalisedBM25();
  NormalisedBM25* clone() const override;
  std::string name() const override;
  std::string serialise() const override;
  NormalisedBM25* unserialise(const std::string& s) const override;
  double get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen, Xapian::termcount uniqterms) const override;
  double get_maxpart() const override;
  double get_sumextra(Xapian::termcount doclen, Xapian::termcount uniqterms) const override;
  double get_maxextra() const override;

 private:
  void init(double factor) override;
  double factor_ = 0;  // idf x query factor / kWdfScale
};

}  // namespace hrtrack::index
