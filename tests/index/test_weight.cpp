// Ranking with the length normalisation done at index time (index/src/weight.hpp): the same
// order as Xapian's BM25 on the raw counts, without reading a document length.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "weight.hpp"

using namespace hrtrack::index;

namespace {

struct Doc {
  std::vector<std::pair<std::string, Xapian::termcount>> terms;  // term, occurrences
  Xapian::termcount length = 0;
};

// Documents with words of different rarity, counts and lengths, whose average length is
// the pivot (BM25 normalises by the average; the index by the fixed pivot).
std::vector<Doc> documents() {
  std::mt19937 random(20261122);
  const std::vector<std::string> words{"syringe", "possession", "offence", "licence", "treatment", "regulation"};
  std::vector<Doc> docs;
  Xapian::termcount total = 0;
  for (int i = 0; i < 400; ++i) {
    Doc d;
    for (std::size_t w = 0; w < words.size(); ++w)
      if (random() % (w + 2) == 0) d.terms.emplace_back(words[w], 1 + random() % 12);
    Xapian::termcount used = 0;
    for (const auto& t : d.terms) used += t.second;
    d.length = used + 5 + static_cast<Xapian::termcount>(random() % 250);
    total += d.length;
    docs.push_back(std::move(d));
  }
  // One more document brings the average to the pivot exactly.
  Doc last;
  last.terms.emplace_back("filler", 1);
  const auto rest = static_cast<long long>(kPivotLength) * 401 - total;
  REQUIRE(rest > 1);
  last.length = static_cast<Xapian::termcount>(rest);
  docs.push_back(last);
  return docs;
}

// Raw: each term with its count, padded with a filler term to the length. Normalised: each
// count as the indexer stores it.
Xapian::WritableDatabase database(const std::vector<Doc>& docs, bool normalised) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (const auto& d : docs) {
    Xapian::Document doc;
    Xapian::termcount used = 0;
    for (const auto& [term, n] : d.terms) used += n;
    Xapian::termcount filler = d.length - used;
    for (const auto& [term, n] : d.terms) doc.add_term(term, normalised ? normalised_wdf(n, d.length) : n);
    if (filler > 0) doc.add_term("zzfiller", normalised ? normalised_wdf(filler, d.length) : filler);
    db.add_document(doc);
  }
  return db;
}

std::vector<std::pair<Xapian::docid, double>> ranking(const Xapian::Database& db, const Xapian::Query& q,
                                                      const Xapian::Weight& weight) {
  Xapian::Enquire e(db);
  e.set_query(q);
  e.set_weighting_scheme(weight);
  std::vector<std::pair<Xapian::docid, double>> out;
  const auto mset = e.get_mset(0, db.get_doccount());
  for (auto m = mset.begin(); m != mset.end(); ++m) out.emplace_back(*m, m.get_weight());
  return out;
}

}  // namespace

TEST_CASE("normalised wdf: more occurrences weigh more, a longer section less, within BM25's bounds", "[index]") {
  const auto pivot = static_cast<Xapian::termcount>(kPivotLength);
  CHECK(normalised_wdf(0, 100) == 0);  // boolean terms stay boolean
  CHECK(normalised_wdf(2, pivot) > normalised_wdf(1, pivot));
  CHECK(normalised_wdf(1, pivot) > normalised_wdf(1, 10 * pivot));
  CHECK(normalised_wdf(1, 1000 * pivot) >= 1);  // a term present never weighs nothing
  // (k1 + 1) wdf / (k1 + wdf) at the pivot's length: 1 occurrence is 1.0, scaled.
  CHECK(normalised_wdf(1, pivot) == static_cast<Xapian::termcount>(kWdfScale));
  // Saturates below k1 + 1.
  CHECK(normalised_wdf(100000, 1) < static_cast<Xapian::termcount>((kK1 + 1) * kWdfScale) + 1);
  // Short sections are not favoured without bound (BM25's minimum normalised length).
  CHECK(normalised_wdf(1, 1) == normalised_wdf(1, pivot / 4));
}

TEST_CASE("NormalisedBM25 on stored wdfs ranks as Xapian's BM25 on raw counts", "[index]") {
  const auto docs = documents();
  const auto raw = database(docs, false);
  const auto normalised = database(docs, true);
  REQUIRE(raw.get_avlength() == Approx(kPivotLength));
  const Xapian::BM25Weight bm25(kK1, 0, 1, kB, kMinNormLength);
  for (const auto& q : {Xapian::Query("syringe"), Xapian::Query("regulation"),
                        Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("possession"), Xapian::Query("licence")),
                        Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("offence"), Xapian::Query("treatment"))}) {
    INFO(q.get_description());
    const auto expected = ranking(raw, q, bm25);
    const auto got = ranking(normalised, q, NormalisedBM25());
    REQUIRE(expected.size() > 10);
    REQUIRE(got.size() == expected.size());
    // Weights in proportion (BM25 scales by a constant), to within the integer rounding; so
    // the order is BM25's but for near-ties.
    const double scale = got.front().second / expected.front().second;
    double previous = expected.front().second;
    for (const auto& g : got) {
      const Xapian::docid id = g.first;
      const auto at = std::find_if(expected.begin(), expected.end(), [id](const auto& e) { return e.first == id; });
      REQUIRE(at != expected.end());
      CHECK(g.second == Approx(at->second * scale).epsilon(0.01));
      CHECK(at->second <= previous * 1.01);
      previous = at->second;
    }
    CHECK(got.front().first == expected.front().first);
  }
}

TEST_CASE("NormalisedBM25: the stored wdf alone decides, never Xapian's document length", "[index]") {
  // Xapian's length of a normalised document is a sum of normalised wdfs, meaningless for
  // BM25; reading it would also cost a lookup per candidate, which is what the scheme avoids.
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (Xapian::termcount other : {1U, 50U, 5000U}) {
    Xapian::Document doc;
    doc.add_term("syringe", 300);
    doc.add_term("other", other);
    db.add_document(doc);
  }
  Xapian::Enquire e(db);
  e.set_query(Xapian::Query("syringe"));
  e.set_weighting_scheme(NormalisedBM25());
  const auto mset = e.get_mset(0, 10);
  REQUIRE(mset.size() == 3);
  CHECK(mset[0].get_weight() == Approx(mset[2].get_weight()));
  CHECK(mset.get_max_possible() >= mset.get_max_attained());
  CHECK(mset.get_max_attained() > 0);
}
