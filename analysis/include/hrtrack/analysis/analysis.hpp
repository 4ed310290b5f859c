#pragma once
// The analysis module's one entry header: the Harm Reduction Convention as data, and the
// coded answers (status, score, confidence, evidence) for each jurisdiction, provision and
// date, with human review, history and evaluation against reference labels.
//
// Pipeline, per jurisdiction and provision: candidates (sections of the versions in force
// that the index finds for the provision's concept, in the jurisdiction's languages, and
// the sections citing or cited by them; every section when there is no index) -> reading (each
// sentence classified: creates an offence, sets a penalty, exempts, permits, requires,
// prohibits, compels, refrains from prosecution...) -> citation graph (sections that
// qualify another: exception, diversion, discretion, exemption power, penalty rule) ->
// propagation (an offence qualified by a diversion is "restricted", not "contrary") ->
// one Answer with its deciding sections and the exact sentences quoted.
//
// Thread safety: an Engine is used by one thread at a time (it holds a Store reference,
// which is one-per-thread). Functions that only read the Convention are thread-safe.
// Failures a user can act on (unknown jurisdiction or provision, bad date, bad labels
// file, a store error) are Error values; nothing here throws on expected failures.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/result.hpp"
#include "hrtrack/corpus/store.hpp"

namespace hrtrack::analysis {

// ---------------------------------------------------------------------------------------
// The Convention as data (convention/provisions.toml).

// The coded status of one answer (PROTOCOL.md "Statuses").
enum class AnswerStatus { provided, restricted, contrary, silent };
std::string_view to_string(AnswerStatus s);
std::optional<AnswerStatus> answer_status_from(std::string_view s);  // nullopt if unknown

// One provision of the Convention: what the coder answers, and how much it counts.
struct Provision {
  std::string id;        // "possession", "needle-exchange", ...
  std::string title;     // "No punishment for possession for personal use"
  std::string question;  // "Is possession of a controlled drug for personal use punished?"
  double weight = 1.0;   // in the jurisdiction score
  // True where the Convention rejects a practice (possession punished, forced treatment,
  // forced urine tests, paraphernalia restricted): "provided" then means the practice is
  // absent or barred.
  bool rejects_practice = false;
};

// The status -> score table (protocol defaults 1.0 / 0.5 / 0.0 / 0.0), from the data.
struct Scores {
  double provided = 1.0, restricted = 0.5, contrary = 0.0, silent = 0.0;
  double of(AnswerStatus s) const;
};

class Convention {
 public:
  // The rule files as they were when hrtrack was built (convention/provisions.toml).
  static const Convention& builtin();
  // Parses TOML rule text; errors name `source`, the provision and what is wrong.
  static Result<Convention> parse(std::string_view toml, std::string_view source);
  static Result<Convention> load(const std::filesystem::path& file);

  const std::vector<Provision>& provisions() const;
  const Provision* find(std::string_view id) const;  // nullptr when unknown
  const Scores& scores() const;
  std::vector<std::string> languages() const;  // every language the rules cover

  Convention();
  ~Convention();
  Convention(const Convention&);
  Convention& operator=(const Convention&);
  Convention(Convention&&) noexcept;
  Convention& operator=(Convention&&) noexcept;

  struct Rules;  // the compiled patterns and signals (private to the implementation)
  const Rules& rules() const;

 private:
  std::unique_ptr<Rules> rules_;
};

// ---------------------------------------------------------------------------------------
// Answers.

// One deciding section and the sentence that decides it.
struct Evidence {
  std::string section_id;  // "C-38.8#4", "BtMG#31a" (instrument identifier # section number)
  std::string quote;       // one sentence, exactly as it stands in the stored section text
  std::string rule;        // the rule that fired: "possession/offence", "diversion", ...
  std::string role;        // what the sentence does: offence, penalty, exemption, permission,
                           // licence, pilot, diversion, discretion, compulsion, prohibition
  std::string language;
  std::string version_date;  // YYYY-MM-DD of the version quoted
  std::string text_hash;     // fingerprint of the section text quoted: a change flags the answer
};

// An analyst's decision on one answer; it wins over the machine.
struct Review {
  AnswerStatus status = AnswerStatus::silent;
  std::vector<std::string> evidence;  // section ids the analyst relies on
  std::string note;
  std::string by;
  std::string at;  // ISO 8601 UTC
};

struct Answer {
  std::string jurisdiction;
  std::string provision;
  std::string as_of;  // YYYY-MM-DD the law was read as of; empty: the latest
  AnswerStatus status = AnswerStatus::silent;
  double score = 0;        // from Scores; a silent answer scores 0 and counts against coverage
  double confidence = 0;   // 0..1: how clearly the text decided it
  std::vector<Evidence> evidence;  // non-empty for every non-silent answer
  AnswerStatus machine_status = AnswerStatus::silent;  // what the rules said
  std::optional<Review> review;    // present when an analyst confirmed or overrode it
  // The text of a section cited by the evidence changed since the answer (or the review)
  // was recorded: a human should look again.
  bool needs_review = false;
  std::string explanation;  // one line: why this status
  // Not empty when the jurisdiction could not be assessed at all, and why: the corpus holds
  // no drug law for it, no rules cover its language, or nothing of it is in force. Such an
  // answer is no finding: it is not scored, and its jurisdiction is not ranked.
  std::string not_assessed;
  // For a silent or not-assessed answer: the documents read, in which nothing answered it
  // ("Zákon 167/1998 Sb. (cs, 2025-01-01)").
  std::vector<std::string> read;
};

// What a reader is shown for an answer's status: "not-assessed", or the status itself.
std::string_view shown_status(const Answer& a);

// Weighted mean of the provisions' scores, and its stability under weight perturbation.
struct JurisdictionScore {
  std::string jurisdiction;
  double score = 0;     // sum(weight * score) / sum(weight), over all provisions
  double coverage = 0;  // share of provisions (by weight) with a non-silent answer
  int rank = 0;         // 1 = best, among the assessed jurisdictions scored together
  int rank_min = 0, rank_max = 0;  // over 1,000 ±25% random weight perturbations (fixed seed)
  // False when the jurisdiction could not be assessed (Answer::not_assessed says why): then
  // score, coverage and ranks are 0 and mean nothing, and it is listed after those ranked.
  bool assessed = true;
  std::string not_assessed;
};

// One provision's status from one date on, and the versions that changed it.
struct TimelineEntry {
  std::string provision;
  std::string from;  // YYYY-MM-DD
  AnswerStatus status = AnswerStatus::silent;
  std::vector<std::string> changed_by;  // "C-38.8 @ 2022-11-17 (en)": versions dated `from`
  std::vector<std::string> evidence;    // section ids deciding the status from then on
  // Where coverage starts, not a change of the law: the first entry of each provision (the
  // first versions held), and an entry that only the first versions held of instruments
  // brought (cause "first held": the corpus cannot tell a new law from one newly held).
  bool coverage_start = false;
  std::string not_assessed;  // the jurisdiction could not be assessed from then on: why
  // What changed the status (empty at the start of coverage): a section a version dated
  // `from` added, changed or removed, among those deciding the new status or the old one;
  // with no such section, the versions dated `from` (section empty, change "new version").
  struct Cause {
    std::string section;  // "C-38.8#4.1"
    std::string version;  // "C-38.8 @ 2022-11-17 (en)"
    std::string change;   // added, changed, removed, new version; "first held": in the
                          // first version held of its instrument
  };
  std::vector<Cause> caused_by;
};
// "C-38.8#4.1 added in C-38.8 @ 2022-11-17 (en)"
std::string to_string(const TimelineEntry::Cause& c);
std::string_view shown_status(const TimelineEntry& e);  // as for an Answer

// What `explain` shows: how an answer was reached.
struct Explanation {
  Answer answer;
  struct Candidate {
    std::string section_id, heading;
    std::vector<std::string> rules;  // the rules that fired on its sentences
    // How it became a candidate: "index" (a concept hit), "cites X" / "cited by X" (the
    // citation ring around the hits), "store" (every section read).
    std::string via;
  };
  std::vector<Candidate> candidates;
  struct Edge {
    std::string from, to, kind;  // kind: exception, diversion, discretion, exemption-power,
                                 // penalty, amendment, reference
  };
  std::vector<Edge> edges_followed;
  std::string candidate_source;  // "index" or "store"
  std::string candidate_note;    // why the Store was read when the index was asked for; else empty
};

// ---------------------------------------------------------------------------------------
// Evaluation against reference labels (shared/eval/labels-*.json).

// One reference answer compared with ours.
struct Disagreement {
  std::string jurisdiction, provision;
  AnswerStatus reference = AnswerStatus::silent;
  std::vector<AnswerStatus> also;
  AnswerStatus ours = AnswerStatus::silent;
  double confidence = 0;  // ours
  // How ours was reached, which sets its confidence: nothing (no sentence read names the
  // topic), undecided (some do, none decides), conflict (findings point both ways), one or
  // several deciding sections.
  std::string basis;
  bool status_agrees = false, evidence_agrees = false;
  std::vector<std::string> reference_deciding, our_evidence;
  std::string reference_reason, our_reason;
};

// Whether the law one reference answer rests on is in the Store: each deciding section
// looked up as of the label's date, and the quoted sentence looked for in their texts.
struct EvidenceBase {
  std::string jurisdiction, provision;
  std::string as_of;  // the label's date the sections were looked up as of
  struct Deciding {
    std::string reference;   // as the label names it: "D.C. Code#48-904.01"
    std::string section_id;  // the Store's name for it ("C-38.8#4"); the reference when not found
    // A version in force on as_of (any language) of an instrument named by the reference's
    // instrument, its label name or one of the label's aliases holds the section.
    bool found = false;
    bool empty = false;       // found, but with no stored text in any language
    bool quote_here = false;  // the quote is in this section's text (any language)
  };
  std::vector<Deciding> deciding;  // distinct, in the label's order
  std::string quote;               // the reference's quote
  // In the text of at least one deciding section, compared with whitespace, typographic
  // quotes and apostrophes, dashes, soft hyphens and line-end hyphenation normalised.
  bool quote_found = false;
};

// Agreement and evidence base over a group of reference answers: all of them, one
// jurisdiction's or one provision's.
struct EvaluationTally {
  std::string key;  // jurisdiction code or provision id; empty for all answers
  int answers = 0, status_agree = 0;
  int evidence_total = 0, evidence_agree = 0;  // non-silent reference answers; ours cites a deciding one
  // Sections our answers cite (distinct per answer, Store names), and of those how many are
  // among the reference's deciding sections (resolved to Store names too).
  int cited = 0, cited_deciding = 0;
  int deciding_total = 0, deciding_found = 0;  // deciding sections of non-silent references
  int quotes_total = 0, quotes_found = 0;      // one quote per non-silent reference
  double status_agreement() const { return answers ? double(status_agree) / answers : 0; }
  double evidence_agreement() const { return evidence_total ? double(evidence_agree) / evidence_total : 0; }
  double precision() const { return cited ? double(cited_deciding) / cited : 0; }  // 0 when nothing cited
};

// Agreement of the answers whose confidence is in [from, to): what a confidence shown to a
// user means (README "Confidence").
struct ConfidenceBand {
  double from = 0, to = 0;
  int answers = 0, status_agree = 0;
  int evidence_total = 0, evidence_agree = 0;  // as in EvaluationTally
  double status_agreement() const { return answers ? double(status_agree) / answers : 0; }
};

struct Evaluation {
  int answers = 0;                 // reference answers compared
  int status_agree = 0;            // status equal to the reference or one of its `also`
  int evidence_total = 0;          // non-silent reference answers
  int evidence_agree = 0;          // of those, ours cites one of the deciding sections
  double status_agreement = 0, evidence_agreement = 0;  // shares, 0..1
  // confusion[reference][ours] counts, statuses as strings.
  std::map<std::string, std::map<std::string, int>> confusion;
  std::vector<Disagreement> disagreements;  // every answer failing either test
  std::vector<Disagreement> compared;       // every answer, labels' order
  // Agreement by our confidence, in bands [0, 0.5), [0.5, 0.6), ... [0.9, 1.0]; and of all
  // answers at or above 0.8 (the answers shown as confident).
  std::vector<ConfidenceBand> confidence;
  ConfidenceBand confident;
  // Agreement per basis (Disagreement::basis), the calibration of the confidences: `from`
  // is the confidence its answers carry, `to` the one these answers calibrate it to.
  std::map<std::string, ConfidenceBand> bases;
  EvaluationTally all;                        // the same totals, with precision and evidence base
  std::vector<EvaluationTally> jurisdictions;  // in the labels' order
  std::vector<EvaluationTally> provisions;     // in the Convention's order
  // Jurisdictions of the labels the Store does not know: their answers are counted as
  // silent (nothing held answers them) and their deciding sections as missing.
  std::vector<std::string> not_in_store;
  std::vector<EvidenceBase> evidence_base;  // one per non-silent reference answer, labels' order
};

// ---------------------------------------------------------------------------------------
// The engine.

struct EngineConfig {
  // The data folder: the search index at <data>/index gives each provision's candidate
  // sections (its concept's hits in force on the analysis date, and the sections citing or
  // cited by them); the texts are always read from the Store. With use_index off, or no
  // index in the folder, every section of the versions in force is a candidate;
  // Explanation::candidate_source says which was used and candidate_note why.
  std::filesystem::path data_dir;
  bool use_index = true;
  // Persist current answers (as_of empty) as records and status changes as events.
  bool persist = true;
  const Convention* convention = nullptr;  // nullptr: Convention::builtin()
  int perturbations = 1000;                // for rank ranges
  unsigned seed = 20240601;                // fixed, so rank ranges are reproducible
};

class Engine {
 public:
  // `store` must outlive the Engine. Error when <data>/index exists but cannot be opened.
  static Result<std::unique_ptr<Engine>> open(corpus::Store& store, EngineConfig config = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const Convention& convention() const;

  // Codes every provision for `jurisdiction` from the versions in force on `as_of`
  // (empty: the latest). For the latest law, reviews win over the machine and needs_review
  // is set as described on Answer; an answer as of a date is the machine's reading of it. With as_of empty and persist on, answers are stored (kind "answer",
  // key "CA/possession") and status changes appended as events (kind "status").
  Result<std::vector<Answer>> analyze(std::string_view jurisdiction, std::string_view as_of = {});
  // The answers about the latest law as `analyze` last stored them, while the law, its
  // reviews and the rules are unchanged since; otherwise coded now (and stored when persist
  // is on). What read paths such as the web show.
  Result<std::vector<Answer>> current(std::string_view jurisdiction);
  // One provision, with candidates, rules fired and graph edges followed.
  Result<Explanation> explain(std::string_view jurisdiction, std::string_view provision,
                              std::string_view as_of = {});

  // Scores for the jurisdictions given (all in the Store when empty), the assessed ones
  // ranked together, best first, then those not assessed (by code).
  Result<std::vector<JurisdictionScore>> scores(const std::vector<std::string>& jurisdictions = {},
                                                std::string_view as_of = {});

  // Records an analyst's decision: stored (kind "review"), audited (event kind "review"),
  // and a "status" event when the effective status changes; the jurisdiction's answers are
  // stored with it, even with persist off. Evidence ids must name
  // sections that exist in the jurisdiction; `by` and `note` must not be empty.
  Result<Answer> review(std::string_view jurisdiction, std::string_view provision, Review review);
  // The audit trail of one answer (reviews and status changes), oldest first.
  std::vector<corpus::Event> history(std::string_view jurisdiction, std::string_view provision) const;

  // Each provision's status over time: the jurisdiction is coded as of every date on which
  // one of its versions starts, and consecutive equal statuses are merged. Stored (with
  // persist on) and read back while the jurisdiction's versions and the rules are unchanged;
  // when coded with persist on, each change of status (not the start of coverage) is also
  // an event of kind "status" (once: a change already recorded is not recorded again).
  Result<std::vector<TimelineEntry>> timeline(std::string_view jurisdiction);

  // Compares with a labels file (each jurisdiction read as of its own "as_of"), and checks
  // the evidence base of every non-silent reference answer (see EvidenceBase). A reference
  // names an instrument by its Store identifier or by a name the labels list for it
  // (`instruments` keys and their `aliases`), resolved with Store::find_instrument within
  // the jurisdiction.
  Result<Evaluation> evaluate(const std::filesystem::path& labels_file);

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hrtrack::analysis
