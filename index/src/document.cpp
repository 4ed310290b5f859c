#include "document.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <unordered_set>

#include "common_words.hpp"
#include "language.hpp"
#include "schema.hpp"
#include "snippet.hpp"
#include "weight.hpp"

namespace hrtrack::index {
namespace {

// Heading words count three times: a section whose heading names the subject is
// usually the one to cite.
constexpr Xapian::termcount kHeadingWeight = 3;
// Xapian's query parser gives a default-operator phrase a window of its number of words + 9.
constexpr Xapian::termpos kPhraseSlack = 9;
// Stems shorter than this are found inside too many unrelated words.
constexpr std::size_t kMinCompoundPart = 5;

std::string title_in(const corpus::Instrument& in, const std::string& lang) {
  for (const auto& [l, t] : in.titles)
    if (l == lang) return t;
  return in.titles.empty() ? "" : in.titles.front().second;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "\n") + p;
  return out;
}

void add_boolean_terms(Xapian::Document& doc, const SectionEntry& e) {
  using namespace schema;
  const auto& s = e.section;
  doc.add_boolean_term(term(kId, std::to_string(s.version_id) + ":" + std::to_string(s.ordinal)));
  doc.add_boolean_term(term(kVersion, std::to_string(s.version_id)));
  doc.add_boolean_term(term(kJurisdiction, e.instrument.jurisdiction));
  doc.add_boolean_term(term(kInstrument, lower(e.instrument.identifier)));
  for (const auto& a : e.instrument.aliases) doc.add_boolean_term(term(kInstrument, lower(a)));
  doc.add_boolean_term(term(kAddress, lower(address_of(e.instrument, s))));
  doc.add_boolean_term(term(kNumber, lower(s.body.number)));
  if (!e.language.empty()) doc.add_boolean_term(term(kLanguage, e.language));
  doc.add_boolean_term(term(kType, corpus::to_string(e.instrument.type)));
  for (const auto& t : e.tags) doc.add_boolean_term(term(kProvision, t));
}

void add_values(Xapian::Document& doc, const SectionEntry& e) {
  using namespace schema;
  doc.add_value(kFromSlot, compact_date(e.version.date));
  doc.add_value(kToSlot, e.to.empty() ? std::string(kOpenEnd) : compact_date(e.to));
  doc.add_value(kJurisdictionSlot, e.instrument.jurisdiction);
  doc.add_value(kInstrumentSlot, e.instrument.identifier);
  doc.add_value(kLanguageSlot, e.language);
}

}  // namespace

std::string address_of(const corpus::Instrument& in, const corpus::Section& s) {
  return corpus::SectionAddress{in.identifier, s.body.number}.str();
}

DocumentBuilder::DocumentBuilder(const Thesaurus& thesaurus, Xapian::WritableDatabase& db) : db_(db) {
  for (const auto& c : thesaurus.concepts())
    for (const auto& [lang, terms] : c.terms) {
      if (!compounds(lang)) continue;
      const Xapian::Stem stem = stemmer_for(lang);
      for (const auto& t : terms) {
        if (t.find_first_of(" -") != std::string::npos) continue;
        const std::string s = stem(Xapian::Unicode::tolower(t));
        if (s.size() >= kMinCompoundPart) concept_stems_[lang].push_back("Z" + s);
      }
    }
  for (const auto& c : thesaurus.concepts())
    for (const auto& [lang, terms] : c.terms)
      for (const auto& t : terms) {
        // The generator the documents of `lang` are indexed with, so the words are those
        // of the documents, stemmed and split alike.
        Xapian::Document scratch;
        auto& tg = generator(lang);
        tg.set_document(scratch);
        tg.index_text(t);
        ConceptTerm ct{schema::term(schema::kConcept, c.id), {}};
        for (auto w = scratch.termlist_begin(); w != scratch.termlist_end(); ++w)
          for (auto p = w.positionlist_begin(); p != w.positionlist_end(); ++p) ct.words.emplace_back(*w, *p);
        if (ct.words.empty()) continue;
        std::sort(ct.words.begin(), ct.words.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        const auto first = ct.words.front().second;
        for (auto& w : ct.words) w.second -= first;
        for (const auto& w : ct.words) concept_words_[lang].insert(w.first);
        concept_terms_[lang].push_back(std::move(ct));
      }
  // Spelling words as Xapian's FLAG_SPELLING takes them: lower case, unstemmed.
  words_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
}

Xapian::TermGenerator& DocumentBuilder::generator(const std::string& lang) {
  auto it = generators_.find(lang);
  if (it != generators_.end()) return it->second;
  Xapian::TermGenerator tg;
  tg.set_stemmer(stemmer_for(lang));
  // Stemmed terms only, with positions: phrases and NEAR then match any inflection,
  // and the query parser stems every word the same way (STEM_ALL_Z).
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
  return generators_.emplace(lang, std::move(tg)).first->second;
}

// "Einmalspritzen" is indexed as Zeinmalspritz; a search for "Spritzen" (Zspritz) should
// find it, so thesaurus stems found inside a longer stem are indexed at its positions.
void DocumentBuilder::add_compound_parts(Xapian::Document& doc, const std::string& lang) const {
  const auto stems = concept_stems_.find(lang);
  if (stems == concept_stems_.end()) return;
  std::vector<std::pair<std::string, std::vector<Xapian::termpos>>> found;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string word = *t;
    if (word.empty() || word[0] != 'Z') continue;
    for (const auto& part : stems->second) {
      if (word.size() <= part.size() || word.find(part.substr(1), 1) == std::string::npos) continue;
      found.emplace_back(part, std::vector<Xapian::termpos>(t.positionlist_begin(), t.positionlist_end()));
    }
  }
  for (const auto& [part, positions] : found)
    for (auto pos : positions) doc.add_posting(part, pos);
}

// `concept:X` was the OR of X's terms, each a phrase query in its language: for a concept of
// a dozen terms over thousands of sections, most of a search's time. Matched here once, the
// concept is one posting list; its wdf (occurrences of any of its terms, a one-word term
// counted as its own wdf, heading weight and compound parts included) keeps BM25 ranking.
void DocumentBuilder::add_concepts(Xapian::Document& doc, const std::string& lang) const {
  const auto terms = concept_terms_.find(lang);
  if (terms == concept_terms_.end()) return;
  const auto& words = concept_words_.at(lang);
  struct Posting {
    Xapian::termcount wdf = 0;
    std::vector<Xapian::termpos> positions;
  };
  std::unordered_map<std::string, Posting> found;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    std::string word = *t;
    if (!words.contains(word)) continue;
    found.emplace(std::move(word), Posting{t.get_wdf(), {t.positionlist_begin(), t.positionlist_end()}});
  }
  if (found.empty()) return;
  std::map<std::string, Xapian::termcount> occurrences;
  std::vector<const Posting*> at;
  for (const auto& ct : terms->second) {
    at.clear();
    for (const auto& w : ct.words) {
      const auto f = found.find(w.first);
      if (f == found.end()) break;
      at.push_back(&f->second);
    }
    if (at.size() != ct.words.size()) continue;
    Xapian::termcount n = 0;
    if (at.size() == 1) {
      n = at.front()->wdf;
    } else {
      // As the query parser matched a thesaurus phrase (its default operator OP_PHRASE): the
      // words in order within a window of their number + 9 positions ("programme judiciaire
      // de traitement" for "programme de traitement"). The earliest next word from each start.
      const Xapian::termpos window = static_cast<Xapian::termpos>(at.size()) + kPhraseSlack;
      for (auto p : at.front()->positions) {
        Xapian::termpos last = p;
        bool all = true;
        for (std::size_t i = 1; i < at.size() && all; ++i) {
          const auto& pos = at[i]->positions;
          const auto next = std::upper_bound(pos.begin(), pos.end(), last);
          all = next != pos.end() && *next - p < window;
          if (all) last = *next;
        }
        n += all ? 1 : 0;
      }
    }
    if (n > 0) occurrences[ct.term] += n;
  }
  for (const auto& [term, n] : occurrences) doc.add_term(term, n);
}

// The unprefixed text, as the main generator indexes it (the heading once: its weight
// is not a count of occurrences).
void DocumentBuilder::count_spelling(const SectionEntry& e) {
  Xapian::Document words;
  words_.set_document(words);
  words_.index_text_without_positions(e.section.body.heading);
  words_.index_text_without_positions(joined(e.section.body.path));
  words_.index_text_without_positions(e.section.body.text);
  for (auto t = words.termlist_begin(); t != words.termlist_end(); ++t) spelling_[*t] += t.get_wdf();
}

void DocumentBuilder::flush_spelling() {
  for (const auto& [word, count] : spelling_) db_.add_spelling(word, count);
  spelling_.clear();
}

namespace {

// Each term's wdf becomes BM25's term-frequency part for this section's length (see
// weight.hpp); positions stay as they are. Returns the section's length: the sum of the
// counts.
Xapian::termcount normalise_wdfs(Xapian::Document& doc) {
  std::vector<std::pair<std::string, Xapian::termcount>> terms;
  Xapian::termcount length = 0;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    length += t.get_wdf();
    if (t.get_wdf() > 0) terms.emplace_back(*t, t.get_wdf());
  }
  for (const auto& [term, wdf] : terms) {
    const Xapian::termcount to = normalised_wdf(wdf, length);
    if (to >= wdf) {
      doc.add_term(term, to - wdf);
      continue;
    }
    // Only a decrease of a positional term needs it taken out and put back.
    auto t = doc.termlist_begin();
    t.skip_to(term);
    const std::vector<Xapian::termpos> positions(t.positionlist_begin(), t.positionlist_end());
    doc.remove_term(term);
    for (auto p : positions) doc.add_posting(term, p, 0);
    doc.add_term(term, to);
  }
  return length;
}

// The pairs of common words at consecutive positions (schema::kPair), weighed as words are
// in a section of `length`.
void add_pairs(Xapian::Document& doc, Xapian::termcount length) {
  std::vector<std::string> words;
  std::vector<std::pair<Xapian::termpos, std::uint32_t>> at;  // position, index into words
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if (!schema::is_word_term(*t) || !is_common_word(*t)) continue;
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
      at.emplace_back(*p, static_cast<std::uint32_t>(words.size()));
    words.push_back(*t);
  }
  std::sort(at.begin(), at.end());
  // A position may hold more than one word (a compound and its parts): each of them pairs
  // with each word of the next position, as a phrase may match through any.
  std::unordered_map<std::string, Xapian::termcount> pairs;
  for (std::size_t i = 0, next = 0; i < at.size(); i = next) {
    next = i;
    while (next < at.size() && at[next].first == at[i].first) ++next;
    for (std::size_t j = next; j < at.size() && at[j].first == at[i].first + 1; ++j)
      for (std::size_t k = i; k < next; ++k) ++pairs[schema::pair_term(words[at[k].second], words[at[j].second])];
  }
  for (const auto& [term, n] : pairs) doc.add_term(term, normalised_wdf(n, length));
}

// What snippets read (SnippetMaker::kScanBytes), cut at a character's start: the index
// keeps no more of a long section's text than that.
std::string kept_text(const std::string& text) {
  std::size_t end = std::min(text.size(), SnippetMaker::kScanBytes);
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

Xapian::Document DocumentBuilder::build(const SectionEntry& e) {
  Xapian::Document doc;
  add_boolean_terms(doc, e);
  add_values(doc, e);
  const auto& body = e.section.body;
  const std::string title = title_in(e.instrument, e.language);
  auto& tg = generator(e.language);
  tg.set_document(doc);
  tg.index_text(body.heading, kHeadingWeight);
  tg.index_text(body.heading, 1, std::string(schema::kHeading));
  tg.increase_termpos();
  // The enclosing part and chapter titles say what a section is about ("Evidence-based
  // diversion measures") when its own words do not.
  tg.index_text(joined(body.path));
  tg.increase_termpos();
  tg.index_text(body.text);
  tg.index_text(title, 1, std::string(schema::kTitle));
  add_compound_parts(doc, e.language);
  add_concepts(doc, e.language);
  count_spelling(e);
  add_pairs(doc, normalise_wdfs(doc));

  StoredSection s;
  s.id = address_of(e.instrument, e.section);
  s.jurisdiction = e.instrument.jurisdiction;
  s.instrument = e.instrument.identifier;
  s.title = title;
  s.type = corpus::to_string(e.instrument.type);
  s.section = body.number;
  s.label = body.label;
  s.heading = body.heading;
  s.language = e.language;
  s.date = e.version.date;
  s.to = e.to;
  s.version_id = e.section.version_id;
  doc.add_value(schema::kHitSlot, encode(s));
  doc.set_data(kept_text(body.text));
  return doc;
}

std::string encode(const StoredSection& s) {
  nlohmann::json j{{"id", s.id}, {"jurisdiction", s.jurisdiction}, {"instrument", s.instrument},
                   {"title", s.title}, {"type", s.type}, {"section", s.section},
                   {"label", s.label}, {"heading", s.heading}, {"language", s.language},
                   {"date", s.date}, {"to", s.to}, {"version", s.version_id}};
  if (!s.text.empty()) j["text"] = s.text;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

StoredSection decode(const std::string& json) {
  StoredSection s;
  const auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return s;
  auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
  s.id = str("id");
  s.jurisdiction = str("jurisdiction");
  s.instrument = str("instrument");
  s.title = str("title");
  s.type = str("type");
  s.section = str("section");
  s.label = str("label");
  s.heading = str("heading");
  s.language = str("language");
  s.date = str("date");
  s.to = str("to");
  s.text = str("text");
  s.version_id = j.contains("version") && j["version"].is_number_integer() ? j["version"].get<long long>() : 0;
  return s;
}

}  // namespace hrtrack::index
