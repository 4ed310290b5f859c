#include "query.hpp"

#include "hrtrack/base/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include "hrtrack/corpus/model.hpp"
#include "hrtrack/index/index.hpp"
#include "columns.hpp"
#include "common_words.hpp"
#include "concept_ranks.hpp"
#include "language.hpp"
#include "schema.hpp"
#include "spelling.hpp"

namespace hrtrack::index {
namespace {

using TermMaker = std::function<std::string(const std::string&)>;

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// `jurisdiction:de`, `instrument:"C.R.C., c. 1041"`: the value normalised the way the
// indexer wrote it (Xapian's own boolean prefixes would keep the case as typed).
class TermField : public Xapian::FieldProcessor {
 public:
  explicit TermField(TermMaker make) : make_(std::move(make)) {}
  Xapian::Query operator()(const std::string& value) override { return Xapian::Query(make_(value)); }

 private:
  TermMaker make_;
};

class ConceptField : public Xapian::FieldProcessor {
 public:
  // Queries are reference-counted handles: the copy is cheap and outlives the builder.
  // An unknown id is written to `*unknown` for the builder to report once parse_query()
  // has returned: an exception thrown from a field processor leaks in Xapian's parser.
  // Each id found is added to `*used` (the builder marks the concept's words in snippets).
  ConceptField(std::map<std::string, Xapian::Query> concepts, std::string* unknown, std::vector<std::string>* used)
      : concepts_(std::move(concepts)), unknown_(unknown), used_(used) {}
  Xapian::Query operator()(const std::string& value) override {
    std::string id = value;
    std::replace(id.begin(), id.end(), '_', '-');  // see parser_spelling()
    auto it = concepts_.find(id);
    if (it != concepts_.end()) {
      used_->push_back(id);
      return it->second;
    }
    if (unknown_->empty()) *unknown_ = id;
    return Xapian::Query::MatchNothing;
  }

 private:
  std::map<std::string, Xapian::Query> concepts_;
  std::string* unknown_;
  std::vector<std::string>* used_;
};

std::string section_term(const std::string& value) {
  if (auto addr = corpus::SectionAddress::parse(value))
    return schema::term(schema::kAddress, schema::lower(addr->str()));
  return schema::term(schema::kNumber, schema::lower(corpus::normalize_section_number(value)));
}

void add_fields(Xapian::QueryParser& qp) {
  using namespace schema;
  auto field = [&qp](const char* name, TermMaker make) {
    qp.add_boolean_prefix(name, (new TermField(std::move(make)))->release());
  };
  field("jurisdiction", [](const std::string& v) { return term(kJurisdiction, base::ascii_upper(v)); });
  field("instrument", [](const std::string& v) { return term(kInstrument, lower(v)); });
  field("section", section_term);
  field("lang", [](const std::string& v) { return term(kLanguage, lower(v)); });
  field("type", [](const std::string& v) { return term(kType, lower(v)); });
  field("provision", [](const std::string& v) { return term(kProvision, v); });
  qp.add_prefix("title", std::string(kTitle));
  qp.add_prefix("heading", std::string(kHeading));
}

Xapian::QueryParser plain_parser(const Xapian::Database& db, const std::string& lang) {
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(stemmer_for(lang));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
  // Journalists expect every word to count, as in the search boxes of legal databases.
  qp.set_default_op(Xapian::Query::OP_AND);
  return qp;
}

// A concept is the OR of its terms, each parsed with its own language's stemmer (a phrase
// when it has several words) and only in documents of that language, so "site" in French
// does not match an English "site".
Xapian::Query concept_query(const Xapian::Database& db, const Concept& c) {
  std::vector<Xapian::Query> per_language;
  for (const auto& [lang, terms] : c.terms) {
    auto qp = plain_parser(db, lang);
    qp.set_default_op(Xapian::Query::OP_PHRASE);
    std::vector<Xapian::Query> alternatives;
    for (const auto& t : terms) alternatives.push_back(qp.parse_query(t, 0));
    per_language.emplace_back(Xapian::Query::OP_FILTER,
                              Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end()),
                              Xapian::Query(schema::term(schema::kLanguage, lang)));
  }
  return Xapian::Query(Xapian::Query::OP_OR, per_language.begin(), per_language.end());
}

// The sections the index found using the concept (XK), ranked as the phrases ranked them:
// a phrase's weight is the sum of its words' weights, so the words of the concept (each
// weighed by its rarity) add theirs to the XK term's. Only the sections XK matches are
// looked up in the words' posting lists: no position is read.
Xapian::Query indexed_concept(const std::string& id, const Xapian::Query& phrases) {
  std::vector<Xapian::Query> words;
  for (auto t = phrases.get_unique_terms_begin(); t != phrases.get_unique_terms_end(); ++t)
    if ((*t).starts_with('Z')) words.emplace_back(*t);
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, Xapian::Query(schema::term(schema::kConcept, id)),
                       Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
}

// The kPair terms of the exact phrases `q` cannot match without: those not under an OR, a
// NOT or AND_MAYBE's optional side. A phrase of the concepts' thesaurus has a window wider
// than its words (see concept_query) and no pairs to require; Xapian 1.4 says a phrase's
// window only in its description.
void required_pairs(const Xapian::Query& q, std::vector<Xapian::Query>& pairs) {
  const auto n = q.get_num_subqueries();
  switch (q.get_type()) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SCALE_WEIGHT:
      for (std::size_t i = 0; i < n; ++i) required_pairs(q.get_subquery(i), pairs);
      break;
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_AND_NOT:
      if (n > 0) required_pairs(q.get_subquery(0), pairs);
      break;
    case Xapian::Query::OP_PHRASE: {
      std::vector<std::string> words;
      for (std::size_t i = 0; i < n; ++i) {
        const auto sub = q.get_subquery(i);
        if (sub.get_type() != Xapian::Query::LEAF_TERM || !schema::is_word_term(*sub.get_terms_begin())) return;
        words.push_back(*sub.get_terms_begin());
      }
      if (q.get_description().find(" PHRASE " + std::to_string(n) + " ") == std::string::npos) return;
      // Only pairs of common words are stored (common_words.hpp).
      for (std::size_t i = 0; i + 1 < words.size(); ++i)
        if (is_common_word(words[i]) && is_common_word(words[i + 1]))
          pairs.emplace_back(schema::pair_term(words[i], words[i + 1]));
      break;
    }
    default:
      break;
  }
}

// `q`, restricted to the sections holding the pairs of words its phrases need: Xapian then
// checks the positions of those only.
Xapian::Query with_pairs(const Xapian::Query& q) {
  std::vector<Xapian::Query> pairs;
  required_pairs(q, pairs);
  if (pairs.empty()) return q;
  return Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(Xapian::Query::OP_AND, pairs.begin(), pairs.end()));
}

}  // namespace

Xapian::Query concept_match(const Xapian::Database& db, const Concept& c) {
  return indexed_concept(c.id, concept_query(db, c));
}

namespace {

// Xapian reads `concept:needle-exchange` as a phrase, which a field processor cannot
// take; with '_' (a word character) the id stays one word.
std::string parser_spelling(std::string query) {
  const std::string field = "concept:";
  bool quoted = false;
  for (std::size_t i = 0; i < query.size(); ++i) {
    if (query[i] == '"') quoted = !quoted;
    if (quoted || query.compare(i, field.size(), field) != 0) continue;
    if (i > 0 && is_word_char(query[i - 1])) continue;
    for (i += field.size(); i < query.size() && !std::isspace(static_cast<unsigned char>(query[i])) && query[i] != ')'; ++i)
      if (query[i] == '-') query[i] = '_';
  }
  return query;
}

bool is_operator(std::string_view w) {
  return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ" ||
         w.starts_with("NEAR/") || w.starts_with("ADJ/");
}

bool is_prefix_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

// Words outside quotes, without leading + - ( and trailing ).
std::vector<std::string> bare_words(std::string_view q) {
  std::vector<std::string> words;
  std::string cur;
  bool quoted = false;
  auto flush = [&] {
    while (!cur.empty() && (cur.front() == '+' || cur.front() == '-' || cur.front() == '(')) cur.erase(0, 1);
    while (!cur.empty() && cur.back() == ')') cur.pop_back();
    if (!cur.empty()) words.push_back(cur);
    cur.clear();
  };
  for (char c : q) {
    // A quote after a prefix ("instrument:"C.R.C.") stays part of that word.
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == ' ' || c == '\t' || c == '\n')) flush();
    else cur += c;
  }
  flush();
  return words;
}

Status check_balance(std::string_view q) {
  int quotes = 0, depth = 0;
  bool quoted = false;
  for (char c : q) {
    if (c == '"') {
      ++quotes;
      quoted = !quoted;
    } else if (!quoted && c == '(') {
      ++depth;
    } else if (!quoted && c == ')' && --depth < 0) {
      return Error{"malformed query: ')' without a matching '('"};
    }
  }
  if (quotes % 2) return Error{"malformed query: unbalanced quotes (a \" is not closed)"};
  if (depth > 0) return Error{"malformed query: '(' without a matching ')'"};
  return {};
}

Status check_operators(const std::vector<std::string>& words) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!is_operator(words[i])) continue;
    const bool first = i == 0, last = i + 1 == words.size();
    const bool doubled = !last && is_operator(words[i + 1]) && !(words[i] == "AND" && words[i + 1] == "NOT");
    if (first || last || doubled)
      return Error{"malformed query: '" + words[i] + "' needs a word on each side (write it in lower case to search for the word)"};
  }
  return {};
}

std::string prefix_list() {
  std::string out;
  for (const auto& [name, help] : known_prefixes()) out += (out.empty() ? "" : ", ") + name + ":";
  return out;
}

Status check_prefixes(const std::vector<std::string>& words, const Thesaurus& th) {
  for (const auto& w : words) {
    const auto colon = w.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == w.size()) continue;
    const std::string name = w.substr(0, colon);
    bool word = true;
    for (char c : name) word = word && is_prefix_char(c);
    if (!word) continue;
    bool known = false;
    for (const auto& [k, help] : known_prefixes()) known = known || k == name;
    if (!known) return Error{"unknown prefix '" + name + ":' (known prefixes: " + prefix_list() + ")"};
    if (name == "concept" && !th.find(w.substr(colon + 1)))
      return Error{"unknown concept '" + w.substr(colon + 1) + "' (known concepts: " + th.ids() + ")"};
  }
  return {};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> known_prefixes() {
  return {{"jurisdiction", "ISO code: jurisdiction:DE"},
          {"instrument", "identifier or alias: instrument:BtMG, instrument:\"C.R.C., c. 1041\""},
          {"section", "number or address: section:29, section:C-38.8#56.1"},
          {"lang", "ISO 639-1 language: lang:fr"},
          {"type", "act, regulation, bill, judgment, other"},
          {"title", "words of the instrument's title: title:cannabis"},
          {"heading", "words of the section's heading: heading:Straftaten"},
          {"provision", "a Convention provision tag set by the analysis"},
          {"concept", "a thesaurus concept, in every language: concept:needle-exchange"}};
}

Status check_query(std::string_view query, const Thesaurus& thesaurus) {
  if (query.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos) return Error{"empty query"};
  if (auto s = check_balance(query); !s) return s;
  const auto words = bare_words(query);
  if (auto s = check_operators(words); !s) return s;
  return check_prefixes(words, thesaurus);
}

QueryBuilder::QueryBuilder(const Xapian::Database& db, const Thesaurus& thesaurus,
                           std::shared_ptr<const Columns> columns)
    : db_(db), columns_(std::move(columns)), concept_ids_(thesaurus.ids()) {
  // The index's XK terms are those of this thesaurus only when its last run finished with it.
  const bool indexed = db_.get_metadata(std::string(schema::kConceptsKey)) == thesaurus.fingerprint();
  current_layout_ = db_.get_metadata(std::string(schema::kLayoutKey)) == index_layout();
  // Ranked as the indexer stored it, with this layout's weights, when nothing changed since.
  const auto ranks = indexed && current_layout_ ? ConceptRanks::of(db_) : nullptr;
  for (const auto& c : thesaurus.concepts()) {
    auto phrases = concept_query(db_, c);
    auto ranked = ranks ? ranks->query(c.id) : std::nullopt;
    concepts_.emplace(c.id, ranked ? *ranked : indexed ? indexed_concept(c.id, phrases) : phrases);
    concept_words_.emplace(c.id, std::move(phrases));
  }
  const std::string lprefix(schema::kLanguage);
  Xapian::doccount with_language = 0;
  for (auto t = db_.allterms_begin(lprefix); t != db_.allterms_end(lprefix); ++t) {
    languages_.push_back((*t).substr(lprefix.size()));
    with_language += t.get_termfreq();
  }
  every_document_has_language_ = with_language == db_.get_doccount();
  // Each language's parser (and stemmer) made now, with the handle, not by the first search
  // in that language.
  for (const auto& lang : languages_) parser(lang);
}

Xapian::QueryParser& QueryBuilder::parser(const std::string& lang) {
  auto it = parsers_.find(lang);
  if (it != parsers_.end()) return it->second;
  auto qp = plain_parser(db_, lang);
  add_fields(qp);
  qp.add_prefix("concept", (new ConceptField(concepts_, &unknown_concept_, &used_concepts_))->release());
  return parsers_.emplace(lang, std::move(qp)).first->second;
}

std::optional<Xapian::Query> QueryBuilder::concept_filter(const std::string& id) {
  const auto it = concepts_.find(id);
  if (it == concepts_.end()) return std::nullopt;
  typed_concepts_.push_back(id);
  return it->second;
}

Xapian::Query QueryBuilder::build(const std::string& query, const std::vector<std::string>& languages,
                                  std::optional<std::uint32_t> day, std::string* corrected, Xapian::Query* words,
                                  const std::vector<Xapian::Query>& also) {
  used_concepts_ = std::move(typed_concepts_);
  typed_concepts_.clear();
  Xapian::Query q = build_match(query, languages, day, corrected, also);
  if (words) {
    std::vector<Xapian::Query> all{q};
    std::sort(used_concepts_.begin(), used_concepts_.end());
    used_concepts_.erase(std::unique(used_concepts_.begin(), used_concepts_.end()), used_concepts_.end());
    for (const auto& id : used_concepts_) all.push_back(concept_words_.at(id));
    *words = Xapian::Query(Xapian::Query::OP_OR, all.begin(), all.end());
  }
  return q;
}

Xapian::Query QueryBuilder::build_match(const std::string& query, const std::vector<std::string>& languages,
                                        std::optional<std::uint32_t> day, std::string* corrected,
                                        const std::vector<Xapian::Query>& also) {
  const auto& langs = languages.empty() ? languages_ : languages;
  constexpr unsigned kFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_SYNONYM;
  const std::string spelled = parser_spelling(query);
  // Languages whose parser makes the same query (a concept, a prefix, a number, a word their
  // stemmers leave alike) share one branch: each branch reads the posting lists of its terms,
  // so "regulations" (en and fr: Zregul, de: Zregulation) costs two instead of three.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // description, languages
  std::vector<Xapian::Query> queries;
  for (const auto& lang : langs) {
    auto& qp = parser(lang);
    unknown_concept_.clear();
    Xapian::Query q = qp.parse_query(spelled, kFlags);
    if (!unknown_concept_.empty())
      throw Xapian::QueryParserError("unknown concept '" + unknown_concept_ + "' (known: " + concept_ids_ + ")");
    if (current_layout_) q = with_pairs(q);
    if (!also.empty()) {
      std::vector<Xapian::Query> all(also);
      if (!q.empty()) all.insert(all.begin(), q);
      q = Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
    }
    // The spelling table is shared by all languages: one correction is enough.
    if (corrected && queries.empty()) *corrected = correction(query, unknown_words(qp, q));
    const std::string description = q.get_description();
    auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == description; });
    if (g == groups.end()) {
      groups.emplace_back(description, std::vector<std::string>{});
      queries.push_back(q);
      g = groups.end() - 1;
    }
    g->second.push_back(lang);
  }
  // One query for every language of the index: no language filter to apply.
  if (queries.size() == 1 && languages.empty() && every_document_has_language_)
    return day ? Xapian::Query(Xapian::Query::OP_FILTER, queries.front(), sections_query(columns_, {}, 0, day))
               : queries.front();
  std::vector<Xapian::Query> branches;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    Xapian::doccount count = 0;
    for (const auto& lang : groups[i].second) count += db_.get_termfreq(schema::term(schema::kLanguage, lang));
    branches.emplace_back(Xapian::Query::OP_FILTER, queries[i], sections_query(columns_, groups[i].second, count, day));
  }
  return Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
}

// Xapian looks for a correction of every word, known or not, merging the spelling table's
// lists of each of its letter groups: most of a query's time at 10 % of the collections,
// for long German words. A word the corpus has is taken as meant, so only queries with an
// unknown word pay for it.
std::vector<std::string> QueryBuilder::unknown_words(const Xapian::QueryParser& qp, const Xapian::Query& q) const {
  std::vector<std::string> unknown;
  for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
    for (auto w = qp.unstem_begin(*t); w != qp.unstem_end(*t); ++w) {
      // The parser keeps the word as typed; the spelling table has it in lower case.
      const std::string word = Xapian::Unicode::tolower(*w);
      auto known = db_.spellings_begin();
      known.skip_to(word);
      if (known == db_.spellings_end() || *known != word) unknown.push_back(*w);
    }
  return unknown;
}

// `query` with each of `unknown` (as typed) replaced by the closest word of the corpus;
// empty when none has one.
std::string QueryBuilder::correction(const std::string& query, const std::vector<std::string>& unknown) {
  if (unknown.empty()) return {};
  if (!vocabulary_) vocabulary_ = Vocabulary::of(db_);
  std::string out = query;
  bool changed = false;
  for (const auto& typed : unknown) {
    const std::string better = vocabulary_->suggest(db_, Xapian::Unicode::tolower(typed));
    if (better.empty()) continue;
    for (std::size_t at = out.find(typed); at != std::string::npos; at = out.find(typed, at)) {
      const std::size_t end = at + typed.size();
      if ((at > 0 && is_word_char(out[at - 1])) || (end < out.size() && is_word_char(out[end]))) {
        at = end;
        continue;
      }
      out.replace(at, typed.size(), better);
      at += better.size();
      changed = true;
    }
  }
  return changed ? out : std::string();
}

}  // namespace hrtrack::index
