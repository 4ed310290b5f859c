#pragma once
// The Engine's private state and the steps it shares between analyze, explain, timeline
// and evaluate.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "candidates.hpp"
#include "decide.hpp"
#include "hrtrack/analysis/analysis.hpp"

namespace hrtrack::analysis {

// The law in force for one jurisdiction on one date, read, with its citation graph.
struct Law {
  std::vector<const VersionReading*> versions;  // preferred language first
  std::unique_ptr<CitationGraph> graph;
  // address + "|" + language -> section reading
  std::map<std::string, const SectionReading*> sections;
  const SectionReading* find(const std::string& address, const std::string& language) const;
  const SectionReading* find_any(const std::string& address) const;
};

// What makes two machine status events the same change: the law's date, from, to.
struct StatusEventKey {
  std::string date, from, to;
  auto operator<=>(const StatusEventKey&) const = default;
};

// What the machine said, with the decisions behind it.
struct Coding {
  Law law;
  std::vector<Candidates> candidates;  // one per provision, in Convention order
  std::vector<Decision> decisions;    // one per provision, in Convention order
  std::vector<Answer> answers;      // machine answers
  std::string not_assessed;         // why the law held cannot be assessed; empty when it can
};

struct Engine::Impl {
  corpus::Store& store;
  EngineConfig config;
  const Convention* convention = nullptr;
  std::unique_ptr<CandidateSource> candidates;
  // jurisdiction + "|" + date of the law -> candidates per provision: scores and analyze
  // code the same law, and a search costs more than reading the law again.
  std::map<std::string, std::vector<Candidates>> found;
  std::map<std::int64_t, std::unique_ptr<VersionReading>> readings;  // by version id
  ReadingMemo memo;  // section texts classified, shared by the versions that repeat them

  Result<std::vector<std::string>> languages_of(std::string_view jurisdiction) const;
  Result<Law> law(std::string_view jurisdiction, std::string_view as_of);
  Result<Coding> code(std::string_view jurisdiction, std::string_view as_of);
  Result<std::vector<Candidates>> find_candidates(std::string_view jurisdiction, const std::string& date,
                                                  const CitationGraph& graph);
  // Machine answers merged with reviews, needs_review set; persisted when asked.
  Result<std::vector<Answer>> answers(std::string_view jurisdiction, std::string_view as_of, bool persist);
  // What an analysis of the latest law depends on: the rules, every version of the
  // jurisdiction's law and, with `reviews`, its analysts' reviews (sha256 hex).
  std::string fingerprint(std::string_view jurisdiction, bool reviews) const;
  // The answers last persisted, if coded from the same law, reviews and rules.
  std::optional<std::vector<Answer>> stored_answers(std::string_view jurisdiction) const;
  // stored_answers, else answers(jurisdiction, {}, persist).
  Result<std::vector<Answer>> current(std::string_view jurisdiction, bool persist);
  // Each provision's status at each date a version starts (Engine::timeline stores it).
  Result<std::vector<TimelineEntry>> timeline(std::string_view jurisdiction);
  std::size_t provision_index(std::string_view id) const;  // provisions().size() if unknown
  // The machine's status changes already recorded for the jurisdiction: key -> changes.
  std::set<std::pair<std::string, StatusEventKey>> recorded_changes(std::string_view jurisdiction) const;
  // Appends the event of a change the machine found at a date of the law, unless recorded.
  Status record_change(std::set<std::pair<std::string, StatusEventKey>>& recorded, const std::string& key,
                       const StatusEventKey& change, const std::string& note,
                       const std::vector<TimelineEntry::Cause>& causes);
};

std::string key_of(std::string_view jurisdiction, std::string_view provision);  // "CA/possession"

// Persistence helpers (records and events as JSON), in persist.cpp.
std::string answer_json(const Answer& a);
std::optional<Answer> answer_from_json(const std::string& json);
std::string review_json(const Review& r, const std::map<std::string, std::string>& hashes);
std::optional<std::pair<Review, std::map<std::string, std::string>>> review_from_json(const std::string& json);
// {"fingerprint": ..., "at": now}: what a stored analysis was coded from.
std::string stamp_json(const std::string& fingerprint);
std::string stamp_fingerprint(const std::string& json);  // empty when unreadable
std::string timeline_json(const std::vector<TimelineEntry>& entries, const std::string& fingerprint);
// The entries, when the record was written for `fingerprint`.
std::optional<std::vector<TimelineEntry>> timeline_from_json(const std::string& json, const std::string& fingerprint);
// A status event: the change, who made it ("machine" or the analyst) and why; for the
// machine's, the date of the law it was found at and the sections that caused it.
std::string status_event_json(const std::string& from, const std::string& to, const std::string& by,
                              const std::string& note, const std::string& date = {},
                              const std::vector<TimelineEntry::Cause>& causes = {});
std::optional<StatusEventKey> status_event_key(const std::string& json);  // nullopt: not dated

}  // namespace hrtrack::analysis
