#pragma once
// Reading: every sentence of a version classified once, by what it does (signals) and
// what it is about (each provision's topic, scope, limits, exclusions). A version never
// changes once stored, so its reading is cached by version id and reused across dates.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "hrtrack/corpus/store.hpp"
#include "rules.hpp"

namespace hrtrack::analysis {

struct SentenceReading;
using Mask = std::uint64_t;  // one bit per signal or provision
static_assert(kMaxSignals <= sizeof(Mask) * 8 && kMaxProvisions <= sizeof(Mask) * 8,
              "the loader's limits must fit the reading's masks");

struct SentenceReading {
  std::size_t begin = 0, end = 0;  // bytes of the section text
  std::size_t lead_begin = 0, lead_end = 0;  // an enumeration item's lead-in, read with it
  std::uint64_t signals = 0;       // bit i: Rules::signals[i] fired
  std::uint64_t topics = 0, scopes = 0, limits = 0, excluded = 0;  // bit k: provision k
  bool has(std::size_t signal) const { return (signals >> signal) & 1U; }
};

struct SectionReading {
  std::string address;  // "INSTRUMENT#SECTION"
  std::string heading;
  std::string text;
  std::string hash;     // text::fingerprint(text)
  std::uint64_t heading_topics = 0;  // bit k: the heading names provision k's topic
  std::uint64_t signals = 0;         // every signal that fired in any sentence
  bool amends = false;  // the section amends another text: its words are not law in force here
  std::vector<SentenceReading> sentences;  // only those with a signal or a topic
  // Resolved citations: (target address, byte offset of the citation in text or npos).
  std::vector<std::pair<std::string, std::size_t>> cites;
};

struct VersionReading {
  std::int64_t version_id = 0;
  std::string instrument, language, date;
  bool primary = false;  // an act or bill (not a regulation made under one)
  std::vector<SectionReading> sections;
};

// What a section's text and heading say, in one language, under one set of rules: a new
// version mostly repeats the one before it, so each text is classified once.
struct ReadingMemo {
  struct Classified {
    std::uint64_t heading_topics = 0, signals = 0;
    bool amends = false;
    std::vector<SentenceReading> sentences;
  };
  std::unordered_map<std::string, Classified> by_text;  // language \0 heading \0 text
};

// Classifies every sentence of a stored version (the loader holds the rules to kMaxSignals
// and kMaxProvisions).
// With a memo (used with these rules only), texts already classified are not read again.
VersionReading read_version(const corpus::Store& store, const corpus::Version& version,
                            const corpus::Instrument& instrument, const Convention::Rules& rules,
                            ReadingMemo* memo = nullptr);

}  // namespace hrtrack::analysis
