// Jurisdiction scores: weighted mean of the provisions' scores, coverage beside it, and
// how stable each rank is when the weights move.
#include <algorithm>
#include <random>
#include <set>

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
    for (const auto& j : impl_->store.jurisdictions()) codes.push_back(j.code);
  const auto& provisions = impl_->convention->provisions();
  std::vector<double> w;
  for (const auto& p : provisions) w.push_back(p.weight);
  // Rows of the assessed jurisdictions only: one not assessed is no score of 0, and takes
  // no place in the ranking or the means.
  std::vector<std::vector<double>> per;
  std::vector<JurisdictionScore> out, apart;
  for (const auto& code : codes) {
    // The latest law: the stored answers while they are current (as the web shows them).
    auto answers = as_of.empty() ? impl_->current(code, false) : impl_->answers(code, as_of, false);
    if (!answers) return answers.error();
    JurisdictionScore js;
    js.jurisdiction = code;
    const auto unassessed = std::find_if(answers->begin(), answers->end(),
                                         [](const Answer& a) { return !a.not_assessed.empty(); });
    if (unassessed != answers->end()) {
      js.assessed = false;
      js.not_assessed = unassessed->not_assessed;
      apart.push_back(std::move(js));
      continue;
    }
    std::vector<double> row;
    double covered = 0, total = 0;
    for (std::size_t k = 0; k < answers->size(); ++k) {
      row.push_back((*answers)[k].score);
      total += w[k];
      if ((*answers)[k].status != AnswerStatus::silent) covered += w[k];
    }
    js.coverage = total > 0 ? covered / total : 0;
    per.push_back(std::move(row));
    out.push_back(std::move(js));
  }
  const auto base = weighted(per, w);
  const auto base_ranks = ranks_of(base);
  for (std::size_t j = 0; j < out.size(); ++j) {
    out[j].score = base[j];
    out[j].rank = out[j].rank_min = out[j].rank_max = base_ranks[j];
  }
  std::mt19937 rng(impl_->config.seed);
  std::uniform_real_distribution<double> factor(0.75, 1.25);
  for (int round = 0; round < impl_->config.perturbations && !out.empty(); ++round) {
    std::vector<double> pw = w;
    for (double& x : pw) x *= factor(rng);
    const auto r = ranks_of(weighted(per, pw));
    for (std::size_t j = 0; j < out.size(); ++j) {
      out[j].rank_min = std::min(out[j].rank_min, r[j]);
      out[j].rank_max = std::max(out[j].rank_max, r[j]);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.rank < b.rank; });
  std::sort(apart.begin(), apart.end(), [](const auto& a, const auto& b) { return a.jurisdiction < b.jurisdiction; });
  out.insert(out.end(), std::make_move_iterator(apart.begin()), std::make_move_iterator(apart.end()));
  return out;
}

namespace {

std::string instrument_of(const std::string& section_id) { return section_id.substr(0, section_id.find('#')); }

std::string version_name(const std::string& instrument, const std::string& date, const std::string& language) {
  return instrument + " @ " + date + " (" + language + ")";
}

// The sections, among those deciding the new status and those that decided the old one,
// that the versions dated `date` added, changed or removed.
std::vector<TimelineEntry::Cause> causes_of(const Answer& before, const Law& was, const Answer& now, const Law& is,
                                            const std::string& date, const std::set<std::string>& first_held) {
  std::vector<TimelineEntry::Cause> out;
  const auto add = [&](TimelineEntry::Cause c) {
    const bool known = std::any_of(out.begin(), out.end(), [&](const auto& o) { return o.section == c.section; });
    if (!known) out.push_back(std::move(c));
  };
  for (const auto& e : now.evidence) {
    const auto* old = was.find(e.section_id, e.language);
    if (e.version_date != date || (old && old->hash == e.text_hash)) continue;
    auto version = version_name(instrument_of(e.section_id), e.version_date, e.language);
    const char* change = old ? "changed" : first_held.count(version) ? "first held" : "added";
    add({e.section_id, std::move(version), change});
  }
  for (const auto& e : before.evidence) {
    const auto* then = is.find(e.section_id, e.language);
    if (then && then->hash == e.text_hash) continue;
    // The version of its instrument that starts on `date` dropped or rewrote it.
    const auto v = std::find_if(is.versions.begin(), is.versions.end(), [&](const VersionReading* r) {
      return r->instrument == instrument_of(e.section_id) && r->language == e.language && r->date == date;
    });
    if (v == is.versions.end()) continue;
    add({e.section_id, version_name((*v)->instrument, date, e.language), then ? "changed" : "removed"});
  }
  return out;
}

}  // namespace

std::string to_string(const TimelineEntry::Cause& c) {
  if (c.change == "first held")
    return (c.section.empty() ? "" : c.section + " in ") + c.version + ", its first version held";
  return c.section.empty() ? c.change + " " + c.version : c.section + " " + c.change + " in " + c.version;
}

Result<std::vector<TimelineEntry>> Engine::Impl::timeline(std::string_view jurisdiction) {
  if (auto l = languages_of(jurisdiction); !l) return l.error();
  std::map<std::string, std::vector<std::string>> versions_on;  // date -> "ID @ date (lang)"
  // The first version held of each instrument in each language: where its coverage starts.
  std::set<std::string> first_held;
  for (const auto& in : store.instruments(jurisdiction)) {
    std::map<std::string, std::string> first;  // language -> date
    for (const auto& v : store.versions(in.id)) {
      versions_on[v.date].push_back(version_name(in.identifier, v.date, v.language));
      if (const auto it = first.find(v.language); it == first.end() || v.date < it->second) first[v.language] = v.date;
    }
    for (const auto& [language, date] : first) first_held.insert(version_name(in.identifier, date, language));
  }
  const auto& provisions = convention->provisions();
  std::vector<TimelineEntry> out;
  std::optional<Coding> last;
  for (const auto& [date, changed] : versions_on) {
    auto coding = code(jurisdiction, date);
    if (!coding) return coding.error();
    for (std::size_t k = 0; k < provisions.size(); ++k) {
      const Answer& a = coding->answers[k];
      TimelineEntry e{provisions[k].id, date, a.status, changed, {}, !last, a.not_assessed, {}};
      if (last) {
        const Answer& before = last->answers[k];
        if (before.status == a.status && before.not_assessed.empty() == a.not_assessed.empty()) continue;
        e.caused_by = causes_of(before, last->law, a, coding->law, date, first_held);
        if (e.caused_by.empty())
          for (const auto& v : changed) e.caused_by.push_back({"", v, first_held.count(v) ? "first held" : "new version"});
        // What only the first versions held of instruments brought is where their coverage
        // starts, not a change of the law.
        e.coverage_start = std::all_of(e.caused_by.begin(), e.caused_by.end(),
                                       [](const TimelineEntry::Cause& c) { return c.change == "first held"; });
      }
      for (const auto& ev : a.evidence) e.evidence.push_back(ev.section_id);
      out.push_back(std::move(e));
    }
    last = std::move(coding.value());
  }
  std::stable_sort(out.begin(), out.end(), [&](const TimelineEntry& a, const TimelineEntry& b) {
    return provision_index(a.provision) < provision_index(b.provision);
  });
  return out;
}

}  // namespace hrtrack::analysis
