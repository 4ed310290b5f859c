#pragma once
// Step 1 of the engine: the sections of the law in force worth reading for one provision.
// From the search index (the provision's concept, in every language of the jurisdiction,
// plus the sections that cite or are cited by those hits) or, when there is no index, every
// section. The texts are always the Store's: a source only says which sections to read.
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "graph.hpp"
#include "hrtrack/analysis/analysis.hpp"

namespace hrtrack::analysis {

struct Candidates {
  bool all = false;  // every section of the law in force
  // address -> how it was reached: "index", or "cites X" / "cited by X" for the second ring.
  std::map<std::string, std::string> via;
  bool contains(const std::string& address) const { return all || via.count(address) != 0; }
};

class CandidateSource {
 public:
  virtual ~CandidateSource() = default;
  virtual std::string_view name() const = 0;  // "index" or "store"
  // One line on why this source was used when it is not the one asked for; empty otherwise.
  virtual const std::string& note() const = 0;
  // `law_date` is the date of the versions in force (the latest version's when as_of is empty).
  virtual Result<Candidates> find(std::string_view jurisdiction, std::string_view law_date,
                                  const ProvisionRules& provision, const CitationGraph& graph) = 0;
};

// The source `config` asks for: the index at <data_dir>/index when use_index is set and one
// exists, else every section from the Store (with a note saying why). Error when an index
// exists but cannot be opened.
Result<std::unique_ptr<CandidateSource>> open_candidate_source(const EngineConfig& config);

}  // namespace hrtrack::analysis
