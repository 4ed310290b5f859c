// Search as journalists use it, on the real CDSA (with its history) and BtMG.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "index_fixture.hpp"

using namespace hrtrack::index;
using hrtrack::test::Corpus;

namespace {

// Every test here reads the same index: built once.
const Corpus& corpus() {
  static const Corpus c({"CA/eng_acts_C-38.8.xml", "CA/fra_lois_C-38.8.xml", "DE/btmg_1981.gii.xml", "history/CA"});
  return c;
}

SearchResult search(SearchRequest r) {
  auto searcher = Searcher::open(corpus().dir(), Thesaurus::builtin());
  REQUIRE(searcher.ok());
  auto result = (*searcher)->search(r);
  INFO(r.query << ": " << (result ? "" : result.error().message));
  REQUIRE(result.ok());
  return std::move(result).value();
}

SearchResult search(const std::string& query) {
  SearchRequest r;
  r.query = query;
  r.limit = 50;
  return search(r);
}

const Hit* find(const SearchResult& r, const std::string& id, const std::string& lang = "") {
  for (const auto& h : r.hits)
    if (h.id == id && (lang.empty() || h.language == lang)) return &h;
  return nullptr;
}

std::string ids(const SearchResult& r) {
  std::string out;
  for (const auto& h : r.hits) out += h.id + "(" + h.language + ") ";
  return out;
}

}  // namespace

TEST_CASE("German: 'Spritzen' finds BtMG § 29 (the sterile syringes exemption)", "[index]") {
  const auto r = search("Spritzen");
  INFO(ids(r));
  REQUIRE_FALSE(r.hits.empty());
  CHECK(r.hits.front().id == "BtMG#29");
  CHECK(r.hits.front().label == "§ 29");
  CHECK(r.hits.front().heading == "Straftaten");
  CHECK(r.hits.front().jurisdiction == "DE");
}

TEST_CASE("English: 'supervised consumption' ranks CDSA s. 56.1 first", "[index]") {
  const auto r = search("supervised consumption");
  INFO(ids(r));
  REQUIRE_FALSE(r.hits.empty());
  CHECK(r.hits.front().id == "C-38.8#56.1");
  CHECK(r.hits.front().language == "en");
  REQUIRE_FALSE(r.hits.front().marks.empty());
  const auto& mark = r.hits.front().marks.front();
  CHECK(Catch::toLower(r.hits.front().snippet.substr(mark.offset, mark.length)).rfind("supervis", 0) == 0);
  // The law in force today: one version of each section, not its 14 past versions.
  CHECK(std::count_if(r.hits.begin(), r.hits.end(), [](const Hit& h) { return h.id == "C-38.8#56.1"; }) == 1);
}

TEST_CASE("French: 'consommation supervisée' finds the French s. 56.1", "[index]") {
  const auto r = search("consommation supervisée");
  INFO(ids(r));
  REQUIRE_FALSE(r.hits.empty());
  CHECK(r.hits.front().id == "C-38.8#56.1");
  CHECK(r.hits.front().language == "fr");
}

TEST_CASE("concept:consumption-rooms finds s. 56.1 in English and French and BtMG § 10a", "[index]") {
  const auto r = search("concept:consumption-rooms");
  INFO(ids(r));
  CHECK(find(r, "C-38.8#56.1", "en"));
  CHECK(find(r, "C-38.8#56.1", "fr"));
  CHECK(find(r, "BtMG#10a", "de"));
  // Facets count what was found, by jurisdiction and language.
  auto count = [](const std::vector<FacetCount>& f, const std::string& v) {
    for (const auto& x : f)
      if (x.value == v) return x.count;
    return 0LL;
  };
  CHECK(count(r.jurisdictions, "CA") >= 2);
  CHECK(count(r.jurisdictions, "DE") >= 1);
  CHECK(count(r.languages, "fr") >= 1);
  CHECK(count(r.instruments, "BtMG") >= 1);
  CHECK(r.facets_exact);
}

TEST_CASE("concept: the index's concept terms find what the thesaurus's phrases find", "[index]") {
  // A thesaurus the index was not built with (one concept more): its searches match each
  // concept's phrases at query time, as an index of an older thesaurus must.
  const auto file = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "convention" / "concepts.toml";
  std::ifstream in(file);
  std::stringstream toml;
  toml << in.rdbuf() << "\n[[concept]]\nid = \"test-only\"\nlabel = \"Test\"\n[concept.terms]\nen = [\"zebra\"]\n";
  auto other = Thesaurus::parse(toml.str(), "test");
  REQUIRE(other.ok());
  REQUIRE(other->fingerprint() != Thesaurus::builtin().fingerprint());
  auto indexed = Searcher::open(corpus().dir(), Thesaurus::builtin());
  auto phrases = Searcher::open(corpus().dir(), *other);
  REQUIRE(indexed.ok());
  REQUIRE(phrases.ok());
  for (const char* id : {"consumption-rooms", "needle-exchange", "possession", "substitution", "drug-checking",
                         "voluntary-treatment", "life-saving-care", "urine-testing"}) {
    SearchRequest r;
    r.query = std::string("concept:") + id;
    r.all_versions = true;
    r.limit = 1000;
    auto a = (*indexed)->search(r);
    auto b = (*phrases)->search(r);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    std::multiset<std::string> from_terms, from_phrases;
    for (const auto& h : a->hits) from_terms.insert(h.id + "/" + h.language + "/" + h.version_date);
    for (const auto& h : b->hits) from_phrases.insert(h.id + "/" + h.language + "/" + h.version_date);
    INFO(id);
    CHECK(from_terms == from_phrases);
    CHECK(a->total == static_cast<long long>(a->hits.size()));
    // The snippets still mark the concept's words.
    if (!a->hits.empty()) CHECK_FALSE(a->hits.front().marks.empty());
  }
  // Ranked as the phrases ranked them (their words' weights): the sections a lawyer cites first.
  CHECK(search("concept:possession").hits.front().id == "BtMG#31a");  // no prosecution, small amounts
  CHECK(search("concept:voluntary-treatment").hits.front().id == "BtMG#35");  // treatment before punishment
  // The lawyer's citations: the syringes exemption and s. 56.1 in both languages.
  CHECK(find(search("concept:needle-exchange"), "BtMG#29"));
  const auto rooms = search("concept:consumption-rooms");
  CHECK(find(rooms, "C-38.8#56.1", "en"));
  CHECK(find(rooms, "C-38.8#56.1", "fr"));
}

TEST_CASE("~syringe finds the German syringes exemption through the thesaurus", "[index]") {
  CHECK(find(search("~syringe"), "BtMG#29"));
  // Without the ~, an English word stays English.
  CHECK_FALSE(find(search("syringe"), "BtMG#29"));
}

TEST_CASE("as-of: the diversion sections (s. 10.2) arrive on 2022-11-17", "[index]") {
  SearchRequest r;
  r.query = "diversion warning referral";
  r.language = "en";
  r.limit = 50;
  r.as_of = "2022-01-01";
  const auto before = search(r);
  INFO(ids(before));
  CHECK_FALSE(find(before, "C-38.8#10.2"));

  r.as_of = "2023-01-01";
  const auto after = search(r);
  INFO(ids(after));
  const Hit* h = find(after, "C-38.8#10.2");
  REQUIRE(h);
  CHECK(h->heading == "Warnings and referrals");
  CHECK(h->version_date <= "2023-01-01");
  CHECK(h->in_force_to > "2023-01-01");

  // Every version at once.
  r.all_versions = true;
  const auto all = search(r);
  CHECK(std::count_if(all.hits.begin(), all.hits.end(), [](const Hit& x) { return x.id == "C-38.8#10.2"; }) > 1);
}

TEST_CASE("as-of returns the text in force on that date, not the latest", "[index]") {
  SearchRequest r;
  r.query = "section:C-38.8#56.1";
  r.language = "en";
  r.as_of = "2021-06-01";
  const auto old = search(r);
  REQUIRE(old.hits.size() == 1);
  CHECK(old.hits.front().version_date == "2019-09-19");
  CHECK(old.hits.front().in_force_to == "2022-03-31");
  r.as_of.clear();
  const auto now = search(r);
  REQUIRE(now.hits.size() == 1);
  CHECK(now.hits.front().version_date > "2026-01-01");
}

TEST_CASE("prefixes filter by jurisdiction, instrument, section, language, type, heading", "[index]") {
  CHECK(search("jurisdiction:de Betäubungsmittel").jurisdictions.size() == 1);
  const auto by_instrument = search("instrument:btmg_1981 Erlaubnis");
  REQUIRE_FALSE(by_instrument.hits.empty());
  for (const auto& h : by_instrument.hits) CHECK(h.instrument == "BtMG");
  const auto by_section = search("section:29 lang:de");
  REQUIRE(by_section.hits.size() == 1);
  CHECK(by_section.hits.front().id == "BtMG#29");
  CHECK(search("type:regulation").total == 0);  // only acts were imported
  const auto by_heading = search("heading:Straftaten");
  CHECK(find(by_heading, "BtMG#29"));
  for (const auto& h : by_heading.hits) CHECK(h.heading.find("Straftat") != std::string::npos);
  CHECK(find(search("\"warning or referral\" lang:en"), "C-38.8#10.4"));
}

TEST_CASE("did you mean: a misspelt word is corrected from the corpus vocabulary", "[index]") {
  CHECK(search("Betäubungsmitel").corrected_query == "betäubungsmittel");
  CHECK(search("supervized consumption").corrected_query == "supervised consumption");
  CHECK(search("supervised consumption").corrected_query.empty());
  // Only the unknown word is replaced; a word with nothing close is left as typed.
  CHECK(search("Substitution Betäubungsmitel").corrected_query == "Substitution betäubungsmittel");
  CHECK(search("qxzvwkj").corrected_query.empty());
}

TEST_CASE("malformed queries are errors with a message, never a crash", "[index]") {
  auto searcher = Searcher::open(corpus().dir(), Thesaurus::builtin());
  REQUIRE(searcher.ok());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty query"},
      {"\"warning or", "unbalanced quotes"},
      {"AND", "'AND' needs a word on each side"},
      {"possession OR", "'OR' needs a word on each side"},
      {"possession AND OR referral", "'AND' needs a word on each side"},
      {"(possession", "'(' without a matching ')'"},
      {"possession)", "')' without a matching '('"},
      {"foo:bar", "unknown prefix 'foo:' (known prefixes: jurisdiction:"},
      {"concept:needles", "unknown concept 'needles' (known concepts: possession, needle-exchange"},
  };
  for (const auto& [query, message] : cases) {
    SearchRequest r;
    r.query = query;
    auto result = (*searcher)->search(r);
    INFO(query);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error().message, Catch::Contains(message));
  }
  SearchRequest bad_date;
  bad_date.query = "possession";
  bad_date.as_of = "2022-02-30";
  CHECK_FALSE((*searcher)->search(bad_date).ok());
  // Words with a colon that are not prefixes ("10:30", a URL's "https:") pass through.
  SearchRequest time;
  time.query = "10:30";
  CHECK((*searcher)->search(time).ok());
}

TEST_CASE("paging: offset and limit walk through the same ranking", "[index]") {
  SearchRequest r;
  r.query = "Betäubungsmittel";
  r.limit = 4;
  const auto first = search(r);
  r.offset = 2;
  r.limit = 2;
  const auto second = search(r);
  REQUIRE(first.hits.size() == 4);
  REQUIRE(second.hits.size() == 2);
  CHECK(second.hits[0].id == first.hits[2].id);
  CHECK(second.hits[0].rank == 3);
}

namespace {

// A hit's snippet with its marks shown as <mark>...</mark>.
std::string marked(const Hit& h) {
  std::string out;
  std::size_t at = 0;
  for (const auto& m : h.marks) {
    out += h.snippet.substr(at, m.offset - at) + "<mark>" + h.snippet.substr(m.offset, m.length) + "</mark>";
    at = m.offset + m.length;
  }
  return out + h.snippet.substr(at);
}

long long sum(const std::vector<FacetCount>& f) {
  long long n = 0;
  for (const auto& x : f) n += x.count;
  return n;
}

}  // namespace

TEST_CASE("snippets mark a German query word inside a compound: Einmal<mark>spritzen</mark>", "[index]") {
  const auto r = search("Spritzen");
  const Hit* h = find(r, "BtMG#29");
  REQUIRE(h);
  INFO(marked(*h));
  CHECK(marked(*h).find("Einmal<mark>spritzen</mark>") != std::string::npos);
  // A word that is the query word itself is marked whole, as before.
  const auto whole = search("Einmalspritzen");
  const Hit* w = find(whole, "BtMG#29");
  REQUIRE(w);
  INFO(marked(*w));
  CHECK(marked(*w).find("<mark>Einmalspritzen</mark>") != std::string::npos);
  // English does not write compounds: a mark never starts inside a word.
  const auto en = search("consumption lang:en");
  REQUIRE_FALSE(en.hits.empty());
  CHECK(marked(en.hits.front()).find("<mark>consumption</mark>") != std::string::npos);
  for (const auto& x : en.hits) {
    INFO(marked(x));
    for (const auto& m : x.marks) CHECK((m.offset == 0 || !std::isalpha(static_cast<unsigned char>(x.snippet[m.offset - 1]))));
  }
}

TEST_CASE("snippets are short plain text of the section around the matches, with the matches' spans", "[index]") {
  const auto r = search("Betäubungsmittel");
  REQUIRE_FALSE(r.hits.empty());
  for (const auto& h : r.hits) {
    INFO(h.id << ": " << marked(h));
    CHECK(h.snippet.size() <= 320);
    CHECK(h.snippet.find("&amp;") == std::string::npos);
    CHECK(h.snippet.find("  ") == std::string::npos);
    REQUIRE_FALSE(h.marks.empty());
    for (const auto& m : h.marks) CHECK(h.snippet.substr(m.offset, m.length).find("etäubungsmittel") != std::string::npos);
  }
}

TEST_CASE("facets count the best facet_sample matches and say when they are not every match", "[index]") {
  SearchRequest r;
  r.query = "Betäubungsmittel";
  r.limit = 3;
  const auto all = search(r);  // the default sample holds every match of this small corpus
  REQUIRE(all.total > 5);
  CHECK(all.facets_exact);
  CHECK(sum(all.jurisdictions) == all.total);
  CHECK(sum(all.languages) == all.total);
  CHECK(sum(all.instruments) == all.total);

  r.facet_sample = 5;
  const auto sample = search(r);
  CHECK_FALSE(sample.facets_exact);
  CHECK(sample.total >= 5);
  CHECK(sum(sample.jurisdictions) == 5);
  CHECK(sum(sample.instruments) == 5);
  // The same hits, ranked the same, whatever the sample.
  REQUIRE(sample.hits.size() == all.hits.size());
  for (std::size_t i = 0; i < all.hits.size(); ++i) CHECK(sample.hits[i].id == all.hits[i].id);

  // The sample is the best matches: with one (and a page of one), its facets are the first hit's.
  r.facet_sample = 1;
  r.limit = 1;
  const auto one = search(r);
  REQUIRE(one.instruments.size() == 1);
  CHECK(one.instruments.front().value == one.hits.front().instrument);
  CHECK(one.instruments.front().count == 1);
}

TEST_CASE("hits only: no facets and no snippets when asked for neither, the same hits", "[index]") {
  SearchRequest r;
  r.query = "Betäubungsmittel";
  r.limit = 20;
  const auto full = search(r);
  REQUIRE(full.hits.size() == 20);
  r.facet_sample = 0;
  r.snippets = false;
  const auto bare = search(r);
  CHECK(bare.jurisdictions.empty());
  CHECK(bare.instruments.empty());
  REQUIRE(bare.hits.size() == full.hits.size());
  for (std::size_t i = 0; i < bare.hits.size(); ++i) {
    CHECK(bare.hits[i].id == full.hits[i].id);
    // Every field but the snippet, without reading the section's text.
    CHECK(bare.hits[i].heading == full.hits[i].heading);
    CHECK(bare.hits[i].title == full.hits[i].title);
    CHECK(bare.hits[i].version_date == full.hits[i].version_date);
    CHECK(bare.hits[i].version_id == full.hits[i].version_id);
    CHECK(bare.hits[i].snippet.empty());
    CHECK(bare.hits[i].marks.empty());
  }
  r.offset = 2;
  r.limit = 3;
  const auto page = search(r);
  REQUIRE(page.hits.size() == 3);
  CHECK(page.hits[0].id == full.hits[2].id);
  CHECK(page.hits[0].rank == 3);
}

// Languages for which Xapian has no stemmer are searched word for word: every word of their
// sections is indexed, as typed (lower-cased), and a phrase matches in order.
TEST_CASE("Czech, Estonian and Greek text, which no stemmer reads, is searchable", "[index]") {
  static const Corpus unstemmed({"CZ/zakon-65-2017.md", "EE/npals.md", "GR/n4139-2013.md"});
  auto searcher = Searcher::open(unstemmed.dir(), Thesaurus::builtin());
  REQUIRE(searcher.ok());
  auto run = [&](const std::string& q) {
    SearchRequest r;
    r.query = q;
    r.limit = 50;
    auto result = (*searcher)->search(r);
    INFO(q << ": " << (result ? "" : result.error().message));
    REQUIRE(result.ok());
    return std::move(result).value();
  };
  const auto cs = run("\"náhradu za návykovou látku\"");
  REQUIRE(cs.hits.size() == 1);
  CHECK(cs.hits.front().language == "cs");
  CHECK_FALSE(cs.hits.front().marks.empty());
  const auto et = run("narkootiliste");
  REQUIRE_FALSE(et.hits.empty());
  CHECK(std::all_of(et.hits.begin(), et.hits.end(), [](const Hit& h) { return h.language == "et"; }));
  const auto el = run("κατοχή");
  REQUIRE_FALSE(el.hits.empty());
  CHECK(el.hits.front().language == "el");
}

TEST_CASE("typed filters: an instrument's sections, a concept's, alone or with words", "[index]") {
  SearchRequest r;
  r.query = "Betäubungsmittel";
  r.limit = 50;
  r.instrument = "btmg";  // any case, as `instrument:` takes it
  const auto in = search(r);
  REQUIRE_FALSE(in.hits.empty());
  for (const auto& h : in.hits) CHECK(h.instrument == "BtMG");
  // The same as the query's own prefix, ranked alike (the filter weighs nothing).
  const auto prefixed = search("Betäubungsmittel instrument:BtMG");
  REQUIRE(prefixed.hits.size() == in.hits.size());
  for (std::size_t i = 0; i < in.hits.size(); ++i) CHECK(prefixed.hits[i].id == in.hits[i].id);

  SearchRequest k;
  k.concept_id = "consumption-rooms";
  k.limit = 50;
  const auto alone = search(k);
  const auto typed_query = search("concept:consumption-rooms");
  REQUIRE_FALSE(alone.hits.empty());
  CHECK(alone.total == typed_query.total);
  CHECK(alone.hits.front().id == typed_query.hits.front().id);
  CHECK_FALSE(alone.hits.front().marks.empty());  // the concept's words are marked

  k.query = "Erlaubnis";
  const auto both = search(k);
  CHECK(both.total <= alone.total);
  CHECK(both.total == search("Erlaubnis concept:consumption-rooms").total);

  k.concept_id = "no-such-concept";
  auto searcher = Searcher::open(corpus().dir(), Thesaurus::builtin());
  REQUIRE(searcher.ok());
  const auto unknown = (*searcher)->search(k);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == hrtrack::Code::kInvalidArgument);
  CHECK(unknown.error().message.find("no-such-concept") != std::string::npos);
}
