// Agreement with reference labels (shared/eval/labels-*.json), as PROTOCOL.md defines it.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine_impl.hpp"

namespace hrtrack::analysis {
namespace {

using nlohmann::json;

// A reference "INSTRUMENT#SECTION" as the catalogue names it (identifier or alias resolved).
std::string canonical(const corpus::Store& store, const std::string& id) {
  const auto a = corpus::SectionAddress::parse(id);
  if (!a) return id;
  const auto in = store.find_instrument(a->instrument);
  return (in ? in->identifier : a->instrument) + "#" + a->section;
}

Result<json> read_labels(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{file.string() + ": cannot read the labels file"};
  std::ostringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.contains("jurisdictions") || !j["jurisdictions"].is_array())
    return Error{file.string() + ": not a labels file (expected {\"jurisdictions\": [...]})"};
  return j;
}

Disagreement compare(const corpus::Store& store, const json& ref, const Answer& ours) {
  Disagreement d;
  d.jurisdiction = ours.jurisdiction;
  d.provision = ours.provision;
  d.reference = answer_status_from(ref.value("status", "silent")).value_or(AnswerStatus::silent);
  for (const auto& s : ref.value("also", std::vector<std::string>{}))
    if (auto st = answer_status_from(s)) d.also.push_back(*st);
  d.ours = ours.status;
  d.status_agrees = d.ours == d.reference || std::find(d.also.begin(), d.also.end(), d.ours) != d.also.end();
  for (const auto& id : ref.value("deciding", std::vector<std::string>{})) d.reference_deciding.push_back(canonical(store, id));
  for (const auto& e : ours.evidence) d.our_evidence.push_back(e.section_id);
  d.evidence_agrees = std::any_of(d.our_evidence.begin(), d.our_evidence.end(), [&](const std::string& id) {
    return std::find(d.reference_deciding.begin(), d.reference_deciding.end(), id) != d.reference_deciding.end();
  });
  d.reference_reason = ref.value("reason", "");
  d.our_reason = ours.explanation;
  return d;
}

void tally(Evaluation& e, const Disagreement& d) {
  ++e.answers;
  e.confusion[std::string(to_string(d.reference))][std::string(to_string(d.ours))]++;
  if (d.status_agrees) ++e.status_agree;
  const bool needs_evidence = d.reference != AnswerStatus::silent;
  if (needs_evidence) {
    ++e.evidence_total;
    if (d.evidence_agrees) ++e.evidence_agree;
  }
  if (!d.status_agrees || (needs_evidence && !d.evidence_agrees)) e.disagreements.push_back(d);
}

}  // namespace

Result<Evaluation> Engine::evaluate(const std::filesystem::path& labels_file) {
  auto labels = read_labels(labels_file);
  if (!labels) return labels.error();
  Evaluation e;
  for (const auto& j : labels.value()["jurisdictions"]) {
    const std::string code = j.value("jurisdiction", "");
    const std::string as_of = j.value("as_of", "");
    // The machine is measured, not the analysts: reviews are left out.
    auto coding = impl_->code(code, as_of);
    if (!coding) return Error{labels_file.string() + ": " + coding.error().message};
    for (const auto& ref : j.value("answers", json::array())) {
      const auto k = impl_->provision_index(ref.value("provision", ""));
      if (k == coding->answers.size())
        return Error{labels_file.string() + ": unknown provision '" + ref.value("provision", "") + "'"};
      tally(e, compare(impl_->store, ref, coding->answers[k]));
    }
  }
  e.status_agreement = e.answers ? double(e.status_agree) / e.answers : 0;
  e.evidence_agreement = e.evidence_total ? double(e.evidence_agree) / e.evidence_total : 0;
  return e;
}

}  // namespace hrtrack::analysis
