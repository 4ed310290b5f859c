// Jurisdiction scores: weighted mean of the provisions' scores, coverage beside it, and
// how stable each rank is when the weights move.
#include <algorithm>
#include <random>

#include "engine_impl.hpp"

namespace hrtrack::analysis {
namespace {

// Competition ranking (1 = best; equal scores share the better rank).
std::vector<int> ranks_of(const std::vector<double>& scores) {
  std::vector<int> out(scores.size(), 1);
  for (std::size_t i = 0; i < scores.size(); ++i)
    for (std::size_t j = 0; j < scores.size(); ++j)
      if (scores[j] > scores[i] + 1e-12) ++out[i];
  return out;
}

// per[j][k]: jurisdiction j's score on provision k.
std::vector<double> weighted(const std::vector<std::vector<double>>& per, const std::vector<double>& w) {
  std::vector<double> out;
  double total = 0;
  for (double x : w) total += x;
  for (const auto& row : per) {
    double s = 0;
    for (std::size_t k = 0; k < row.size(); ++k) s += w[k] * row[k];
    out.push_back(total > 0 ? s / total : 0);
  }
  return out;
}

}  // namespace

Result<std::vector<JurisdictionScore>> Engine::scores(const std::vector<std::string>& jurisdictions,
                                                      std::string_view as_of) {
  std::vector<std::string> codes = jurisdictions;
  if (codes.empty())
    for (const auto& j : impl_->store.jurisdictions())
      if (!impl_->store.instruments(j.code).empty()) codes.push_back(j.code);
  const auto& provisions = impl_->convention->provisions();
  std::vector<double> w;
  for (const auto& p : provisions) w.push_back(p.weight);
  std::vector<std::vector<double>> per;
  std::vector<JurisdictionScore> out;
  for (const auto& code : codes) {
    // The latest law: the stored answers while they are current (as the web shows them).
    auto answers = as_of.empty() ? impl_->current(code, false) : impl_->answers(code, as_of, false);
    if (!answers) return answers.error();
    JurisdictionScore js{code, 0, 0, 0, 0, 0};
    std::vector<double> row;
    double covered = 0, total = 0;
    for (std::size_t k = 0; k < answers->size(); ++k) {
      row.push_back((*answers)[k].score);
      total += w[k];
      if ((*answers)[k].status != AnswerStatus::silent) covered += w[k];
    }
    js.coverage = total > 0 ? covered / total : 0;
    per.push_back(std::move(row));
    out.push_back(js);
  }
  const auto base = weighted(per, w);
  const auto base_ranks = ranks_of(base);
  for (std::size_t j = 0; j < out.size(); ++j) {
    out[j].score = base[j];
    out[j].rank = out[j].rank_min = out[j].rank_max = base_ranks[j];
  }
  std::mt19937 rng(impl_->config.seed);
  std::uniform_real_distribution<double> factor(0.75, 1.25);
  for (int round = 0; round < impl_->config.perturbations; ++round) {
    std::vector<double> pw = w;
    for (double& x : pw) x *= factor(rng);
    const auto r = ranks_of(weighted(per, pw));
    for (std::size_t j = 0; j < out.size(); ++j) {
      out[j].rank_min = std::min(out[j].rank_min, r[j]);
      out[j].rank_max = std::max(out[j].rank_max, r[j]);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.rank < b.rank; });
  return out;
}

Result<std::vector<TimelineEntry>> Engine::Impl::timeline(std::string_view jurisdiction) {
  if (auto l = languages_of(jurisdiction); !l) return l.error();
  std::map<std::string, std::vector<std::string>> versions_on;  // date -> "ID @ date (lang)"
  for (const auto& in : store.instruments(jurisdiction))
    for (const auto& v : store.versions(in.id))
      versions_on[v.date].push_back(in.identifier + " @ " + v.date + " (" + v.language + ")");
  const auto& provisions = convention->provisions();
  std::vector<std::optional<AnswerStatus>> last(provisions.size());
  std::vector<TimelineEntry> out;
  for (const auto& [date, changed] : versions_on) {
    auto coding = code(jurisdiction, date);
    if (!coding) return coding.error();
    for (std::size_t k = 0; k < provisions.size(); ++k) {
      const Answer& a = coding->answers[k];
      if (last[k] && *last[k] == a.status) continue;
      last[k] = a.status;
      TimelineEntry e{provisions[k].id, date, a.status, changed, {}};
      for (const auto& ev : a.evidence) e.evidence.push_back(ev.section_id);
      out.push_back(std::move(e));
    }
  }
  std::stable_sort(out.begin(), out.end(), [&](const TimelineEntry& a, const TimelineEntry& b) {
    return provision_index(a.provision) < provision_index(b.provision);
  });
  return out;
}

}  // namespace hrtrack::analysis
