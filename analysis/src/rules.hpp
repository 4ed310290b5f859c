#pragma once
// The compiled Convention: signals (what a sentence does), provisions (what it is about,
// and what each signal means for that provision), edge kinds for the citation graph.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "hrtrack/analysis/analysis.hpp"
#include "text.hpp"

namespace hrtrack::analysis {

// language (ISO 639-1) -> patterns.
using Patterns = std::map<std::string, std::vector<text::Pattern>>;

// True when a pattern of `language` matches.
bool matches(const Patterns& p, const std::string& language, const std::vector<std::string>& words);

// What a sentence does, whatever it is about: creates an offence, refrains from
// prosecution, permits, requires a licence, compels...
struct Signal {
  std::string id;
  std::string label;
  Patterns patterns;
};

// What a signal means for one provision.
enum class Effect {
  practice,     // imposes what the Convention rejects (punishment, compulsion)
  qualifier,    // softens an imposed practice (diversion, discretion, fine, limited legality)
  bar,          // declares the rejected practice absent (not an offence, consent needed)
  permission,   // allows what the Convention asks
  prohibition,  // forbids what the Convention asks
};
std::string_view to_string(Effect e);

struct EffectRule {
  std::size_t signal = 0;     // index into Rules::signals
  Effect effect = Effect::permission;
  bool needs_topic = true;    // false: may act through a citation edge to a topical section
  bool needs_scope = false;   // the provision's scope patterns must match too
  std::string id;             // "possession/offence"
  std::vector<std::size_t> unless;  // signals that, in the same sentence, keep it from firing
};

struct ProvisionRules {
  Provision provision;
  std::string concept_id;  // in the thesaurus (index candidates)
  Patterns topic;          // the sentence is about the provision
  Patterns exclude;        // look-alikes that are about something else
  Patterns scope;          // who/what/how much (personal use, quantities), when a rule needs it
  Patterns limits;         // a permission limited to some substances or quantities: partial
  std::vector<std::size_t> context;  // signals the section must carry somewhere (drugs named)
  std::vector<EffectRule> effects;
};

// A citation edge's kind, decided by the signals of the citing sentence (first match wins).
struct EdgeRule {
  std::size_t signal = 0;
  std::string kind;  // diversion, exception, exemption-power, penalty, amendment
};

// How many signals and provisions a reading can hold: one bit each in SentenceReading's
// masks (reading.hpp). The loader refuses more.
inline constexpr std::size_t kMaxSignals = 64, kMaxProvisions = 64;

struct Convention::Rules {
  Scores scores;
  std::vector<Signal> signals;
  std::vector<ProvisionRules> provisions;
  std::vector<Provision> plain;       // provisions() view
  std::vector<std::size_t> partial;   // signals that make a permission or prohibition partial
  std::vector<std::size_t> partial_practice;  // signals that make an imposed practice partial
  std::vector<EdgeRule> edges;
  std::vector<std::string> qualifying_edges;  // kinds that carry a qualifier to its target
  std::vector<std::string> languages;
  std::string digest;  // sha256 of the rule text: stored answers coded by other rules are stale

  std::size_t signal_index(const std::string& id) const;  // signals.size() when unknown
};

}  // namespace hrtrack::analysis
