#pragma once
// Deciding one provision for one jurisdiction from the readings of the law in force:
// findings (sentence x effect), propagation along the citation graph, one status.
#include <string>
#include <vector>

#include "candidates.hpp"
#include "graph.hpp"
#include "reading.hpp"

namespace hrtrack::analysis {

struct Finding {
  const VersionReading* version = nullptr;
  const SectionReading* section = nullptr;
  const SentenceReading* sentence = nullptr;
  Effect effect = Effect::permission;
  std::string rule;      // "possession/offence"
  bool partial = false;  // rests on a licence, pilot, regional decision or a limit
  std::vector<GraphEdge> via;  // edges that tied a qualifier to the practice it modifies
  std::size_t order = 0;       // the rule's place among the provision's effects (data order)

  std::string quote() const { return section->text.substr(sentence->begin, sentence->end - sentence->begin); }
};

struct Decision {
  AnswerStatus status = AnswerStatus::silent;
  double confidence = 0;
  std::string basis;  // how it was reached: nothing, undecided, conflict, one, several
  std::vector<Finding> deciding;  // one per section, the jurisdiction's first language first
  std::vector<Finding> findings;  // everything that fired
  std::vector<GraphEdge> edges;   // edges followed
  std::string explanation;
  std::uint64_t bit = 0;  // the provision's bit in SentenceReading masks
};

// The calibration of confidences (decide.cpp, confidence_of): a basis's agreement with the
// reference labels, shrunk towards the agreement the engine had on jurisdictions it was not
// written against, with the weight of this many answers.
inline constexpr double kPriorAgreement = 0.55, kPriorWeight = 10;
inline double calibrated(int agree, int answers) {
  return (agree + kPriorWeight * kPriorAgreement) / (answers + kPriorWeight);
}

// `versions` are the versions in force, the jurisdiction's preferred language first; only
// the sections among `candidates` are read.
Decision decide(std::size_t provision, const std::vector<const VersionReading*>& versions,
                const Candidates& candidates, const CitationGraph& graph, const Convention::Rules& rules);

}  // namespace hrtrack::analysis
