#include "reading.hpp"

#include <string_view>

namespace hrtrack::analysis {
namespace {

SentenceReading classify(std::string_view text, const text::Span& span, const std::string& language,
                         const Convention::Rules& rules) {
  SentenceReading s{span.begin, span.end};
  const auto words = text::words(text.substr(span.begin, span.end - span.begin));
  for (std::size_t i = 0; i < rules.signals.size() && i < 64; ++i)
    if (matches(rules.signals[i].patterns, language, words)) s.signals |= std::uint64_t{1} << i;
  for (std::size_t k = 0; k < rules.provisions.size() && k < 64; ++k) {
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
  for (std::size_t k = 0; k < rules.provisions.size() && k < 64; ++k)
    if (matches(rules.provisions[k].topic, language, heading)) r.heading_topics |= std::uint64_t{1} << k;
  if (memo) memo->by_text.emplace(std::move(key), ReadingMemo::Classified{r.heading_topics, r.signals, r.amends, r.sentences});
  return r;
}

}  // namespace

VersionReading read_version(const corpus::Store& store, const corpus::Version& version,
                            const corpus::Instrument& instrument, const Convention::Rules& rules,
                            ReadingMemo* memo) {
  VersionReading v{version.id, instrument.identifier, version.language, version.date,
                   instrument.type == corpus::InstrumentType::act || instrument.type == corpus::InstrumentType::bill, {}};
  std::map<std::string, std::size_t> by_address;
  for (const auto& section : store.sections(version.id)) {
    v.sections.push_back(read_section(section, instrument.identifier, version.language, rules, memo));
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
