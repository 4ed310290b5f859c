#include "reading.hpp"

#include <string_view>

namespace hrtrack::analysis {
namespace {

SentenceReading classify(std::string_view text, const text::Span& span, const std::string& language,
                         const Convention::Rules& rules) {
  SentenceReading s{span.begin, span.end, span.lead_begin, span.lead_end};
  auto words = text::words(text.substr(span.begin, span.end - span.begin));
  if (span.has_lead()) {
    auto lead = text::words(text.substr(span.lead_begin, span.lead_end - span.lead_begin));
    lead.insert(lead.end(), words.begin(), words.end());
    words = std::move(lead);
  }
  for (std::size_t i = 0; i < rules.signals.size(); ++i)
    if (matches(rules.signals[i].patterns, language, words)) s.signals |= std::uint64_t{1} << i;
  for (std::size_t k = 0; k < rules.provisions.size(); ++k) {
    const auto& p = rules.provisions[k];
    const std::uint64_t bit = std::uint64_t{1} << k;
    if (matches(p.topic, language, words)) s.topics |= bit;
    if (matches(p.scope, language, words)) s.scopes |= bit;
    if (matches(p.limits, language, words)) s.limits |= bit;
    if (matches(p.exclude, language, words)) s.excluded |= bit;
  }
  return s;
}

SectionReading read_section(const corpus::Section& section, const std::string& instrument,
                            const std::string& language, const Convention::Rules& rules, ReadingMemo* memo) {
  SectionReading r;
  r.address = instrument + "#" + section.body.number;
  r.heading = section.body.heading;
  r.text = section.body.text;
  r.hash = text::fingerprint(r.text);
  std::string key;
  if (memo) {
    key = language + '\0' + r.heading + '\0' + r.text;
    if (const auto it = memo->by_text.find(key); it != memo->by_text.end()) {
      r.heading_topics = it->second.heading_topics;
      r.signals = it->second.signals;
      r.amends = it->second.amends;
      r.sentences = it->second.sentences;
      return r;
    }
  }
  const auto amendment = rules.signal_index("amendment");
  for (const auto& span : text::sentences(r.text)) {
    auto s = classify(r.text, span, language, rules);
    r.amends = r.amends || s.has(amendment);
    r.signals |= s.signals;
    if (s.signals || s.topics) r.sentences.push_back(s);
  }
  const auto heading = text::words(r.heading);
  for (std::size_t k = 0; k < rules.provisions.size(); ++k)
    if (matches(rules.provisions[k].topic, language, heading)) r.heading_topics |= std::uint64_t{1} << k;
  if (memo) memo->by_text.emplace(std::move(key), ReadingMemo::Classified{r.heading_topics, r.signals, r.amends, r.sentences});
  return r;
}

// True when `instrument` amends another instrument held in the store and the store applied
// its instructions there (a version of the amended law "consolidated from" it): its words are
// read in the law it amended, as they stand on each date, not as a text of their own.
bool consolidated_elsewhere(const corpus::Store& store, const corpus::Instrument& instrument) {
  const std::string mark = "consolidated from " + instrument.identifier + " (";
  for (const auto& target : store.amends(instrument.id)) {
    const auto amended = store.find_instrument(target);
    if (!amended || amended->jurisdiction != instrument.jurisdiction || amended->id == instrument.id) continue;
    for (const auto& v : store.versions(amended->id))
      if (v.derived && v.date_source.find(mark) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

VersionReading read_version(const corpus::Store& store, const corpus::Version& version,
                            const corpus::Instrument& instrument, const Convention::Rules& rules,
                            ReadingMemo* memo) {
  VersionReading v{version.id, instrument.identifier, version.language, version.date,
                   instrument.type == corpus::InstrumentType::act || instrument.type == corpus::InstrumentType::bill, {}};
  std::map<std::string, std::size_t> by_address;
  const bool consolidated = consolidated_elsewhere(store, instrument);
  for (const auto& section : store.sections(version.id)) {
    v.sections.push_back(read_section(section, instrument.identifier, version.language, rules, memo));
    v.sections.back().amends = v.sections.back().amends || consolidated;
    by_address[v.sections.back().address] = v.sections.size() - 1;
  }
  for (const auto& c : store.citations_from(version.id)) {
    const auto it = by_address.find(c.from);
    if (it == by_address.end() || !c.target_instrument_id) continue;
    auto& section = v.sections[it->second];
    section.cites.emplace_back(c.target, section.text.find(c.citation.raw));
  }
  return v;
}

}  // namespace hrtrack::analysis
