#include "decide.hpp"

#include <algorithm>
#include <set>

#include "hrtrack/index/index.hpp"

namespace hrtrack::analysis {
namespace {

constexpr std::size_t kMaxEvidence = 6;
// Of each kind of finding, so that an offence and what qualifies it are both cited.
constexpr std::size_t kMaxPerKind = 2;

bool any_of_signals(const SentenceReading& s, const std::vector<std::size_t>& signals) {
  return std::any_of(signals.begin(), signals.end(), [&](std::size_t i) { return s.has(i); });
}

bool is_partial(const SentenceReading& s, Effect e, std::uint64_t bit, const Convention::Rules& rules) {
  if (s.limits & bit) return true;
  if (e == Effect::practice) return any_of_signals(s, rules.partial_practice);
  if (e == Effect::permission || e == Effect::prohibition) return any_of_signals(s, rules.partial);
  return false;
}

// Every (sentence, effect) that fires for provision k; `untied` marks those that need a
// citation edge because their sentence does not name the topic.
std::vector<Finding> collect(std::size_t k, const std::vector<const VersionReading*>& versions,
                             const Candidates& candidates, const Convention::Rules& rules,
                             std::vector<bool>& untied) {
  const auto& p = rules.provisions[k];
  const std::uint64_t bit = std::uint64_t{1} << k;
  std::vector<Finding> out;
  for (const auto* v : versions) {
    // The index finds only the exact words of a language it does not stem, not their
    // inflections: every section of such a text is read.
    const bool whole = !index::stems(v->language);
    for (const auto& section : v->sections) {
      if (section.amends) continue;  // an amending text's words live in the text it amends
      if (!whole && !candidates.contains(section.address)) continue;
      // A section outside the provision's context (possession of other things) counts only
      // through a citation edge to one inside it.
      const bool in_context = std::all_of(p.context.begin(), p.context.end(),
                                          [&](std::size_t i) { return (section.signals >> i) & 1U; });
      for (const auto& s : section.sentences) {
        // A sentence of a section whose heading names the topic ("Seeking health care for an
        // overdose victim") is about it, though it only says "shall not be considered crimes".
        const bool topical = in_context && ((s.topics | section.heading_topics) & bit) && !(s.excluded & bit);
        std::set<Effect> seen;
        for (std::size_t r = 0; r < p.effects.size(); ++r) {
          const auto& rule = p.effects[r];
          if (!s.has(rule.signal) || (rule.needs_scope && !(s.scopes & bit)) || any_of_signals(s, rule.unless)) continue;
          if ((rule.needs_topic && !topical) || (s.excluded & bit) || !seen.insert(rule.effect).second) continue;
          out.push_back({v, &section, &s, rule.effect, rule.id, is_partial(s, rule.effect, bit, rules), {}, r});
          untied.push_back(!topical);
        }
      }
    }
  }
  return out;
}

// Keeps an untied qualifier only when one of its citation edges (of a qualifying kind)
// reaches a section where the practice is imposed, or where what the Convention asks is
// prohibited.
std::vector<Finding> tie(std::vector<Finding> all, const std::vector<bool>& untied,
                         const CitationGraph& graph, const Convention::Rules& rules) {
  std::set<std::string> practice_sections, prohibiting_sections;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (untied[i]) continue;
    if (all[i].effect == Effect::practice) practice_sections.insert(all[i].section->address);
    if (all[i].effect == Effect::prohibition) prohibiting_sections.insert(all[i].section->address);
  }
  std::vector<Finding> kept;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!untied[i]) {
      kept.push_back(std::move(all[i]));
      continue;
    }
    auto& f = all[i];
    // A subsection qualifying the offence its own section creates ("the offender of the
    // previous paragraph may be held unpunished") needs no citation to reach it.
    if (practice_sections.count(f.section->address)) {
      kept.push_back(std::move(f));
      continue;
    }
    // A carve-out from a prohibition in the prohibition's own section ("notwithstanding
    // paragraph (1), it shall not be unlawful ...") allows part of what it prohibits.
    if (f.effect == Effect::permission && prohibiting_sections.count(f.section->address)) {
      f.partial = true;
      kept.push_back(std::move(f));
      continue;
    }
    for (auto& e : graph.out_edges(f.section->address, f.version->language, f.sentence->begin, rules.qualifying_edges))
      if (practice_sections.count(e.to)) f.via.push_back(std::move(e));
    if (!f.via.empty()) kept.push_back(std::move(f));
  }
  return kept;
}


// One finding per section, in the order given, at most kMaxPerKind of these and
// kMaxEvidence in all.
void add_deciding(Decision& d, const std::vector<const Finding*>& findings) {
  std::size_t added = 0;
  for (const auto* f : findings) {
    if (d.deciding.size() >= kMaxEvidence || added >= kMaxPerKind) return;
    const bool known = std::any_of(d.deciding.begin(), d.deciding.end(),
                                   [&](const Finding& g) { return g.section->address == f->section->address; });
    if (!known) {
      d.deciding.push_back(*f);
      ++added;
    }
  }
}

// The findings a lawyer would cite first: those of the rule listed first among the
// provision's effects (a permission the law grants before the licence regime it implies);
// then those tied by a citation to what they qualify,
// then those in a section whose heading names the topic; then the statute before the
// regulations made under it; then the sections that deal with
// the topic most (most sentences naming it); then the shorter sentence (it states the rule
// most directly).
std::vector<const Finding*> ranked(std::vector<const Finding*> v, std::uint64_t bit) {
  const auto tier = [bit](const Finding* f) { return !f->via.empty() ? 0 : (f->section->heading_topics & bit) ? 1 : 2; };
  const auto density = [bit](const Finding* f) {
    const auto& s = f->section->sentences;
    return std::count_if(s.begin(), s.end(), [bit](const SentenceReading& r) { return (r.topics & bit) != 0; });
  };
  // An enumeration item is as long as the lead-in it is read with.
  const auto length = [](const Finding* f) {
    const auto& s = *f->sentence;
    return s.end - s.begin + s.lead_end - s.lead_begin;
  };
  std::stable_sort(v.begin(), v.end(), [&](const Finding* a, const Finding* b) {
    if (a->order != b->order) return a->order < b->order;
    if (tier(a) != tier(b)) return tier(a) < tier(b);
    if (a->version->primary != b->version->primary) return a->version->primary;
    if (density(a) != density(b)) return density(a) > density(b);
    return length(a) < length(b);
  });
  return v;
}

// Whole (unqualified) findings first: they are what decides a contrary or provided answer.
std::vector<const Finding*> whole_first(std::vector<const Finding*> v, bool partial_first = false) {
  std::stable_sort(v.begin(), v.end(), [&](const Finding* a, const Finding* b) {
    return partial_first ? (a->partial && !b->partial) : (!a->partial && b->partial);
  });
  return v;
}

std::vector<const Finding*> of(const Decision& d, Effect e);

// The qualifiers about the provision's own scope (personal use, a small quantity), when
// there are any: a prosecutor's discretion for possession for personal use decides, a
// court's leniency for informants is about other cases.
std::vector<const Finding*> scoped_first(const std::vector<const Finding*>& v, std::uint64_t bit) {
  std::vector<const Finding*> scoped;
  for (const auto* f : v)
    if (f->sentence->scopes & bit) scoped.push_back(f);
  return scoped.empty() ? v : scoped;
}

// The practices that the qualifiers cited qualify: in their own section, or in a section
// one of them cites.
std::vector<const Finding*> qualified_by(const std::vector<const Finding*>& practices, const Decision& d,
                                         const CitationGraph& graph) {
  std::set<std::string> reached;
  for (const auto& q : d.deciding) {
    reached.insert(q.section->address);
    for (const auto& [cites, other] : graph.neighbours(q.section->address))
      if (cites) reached.insert(other);
  }
  std::vector<const Finding*> out;
  for (const auto* p : practices)
    if (reached.count(p->section->address)) out.push_back(p);
  return out;
}

void decide_rejected_practice(Decision& d, const CitationGraph& graph) {
  const auto practices = of(d, Effect::practice), quals = of(d, Effect::qualifier),
             bars = of(d, Effect::bar);
  const bool partial = std::any_of(practices.begin(), practices.end(), [](const Finding* f) { return f->partial; });
  if (!practices.empty()) {
    // A carve-out in the imposing section itself ("notwithstanding paragraph (1), it shall
    // not be unlawful for ...") leaves the practice imposed only in part; one elsewhere is
    // about other cases. A consent clause beside a compulsion is often about another
    // measure, so only a declaration of lawfulness counts.
    std::vector<const Finding*> carve_outs;
    for (const auto* b : bars)
      if (b->rule.size() > 15 && b->rule.compare(b->rule.size() - 15, 15, "/not-an-offence") == 0 &&
          std::any_of(practices.begin(), practices.end(),
                      [&](const Finding* p) { return p->section->address == b->section->address; }))
        carve_outs.push_back(b);
    const bool whole = quals.empty() && !partial && carve_outs.empty();
    d.status = whole ? AnswerStatus::contrary : AnswerStatus::restricted;
    // Qualified: the clause that qualifies decides it, cited first, with the offence it
    // qualifies. Restricted by the practice's own limits: those limits decide it.
    if (!quals.empty()) {
      add_deciding(d, scoped_first(quals, d.bit));
      auto tied = qualified_by(practices, d, graph);
      if (tied.empty()) tied.push_back(practices.front());
      add_deciding(d, whole_first(tied));
    } else {
      add_deciding(d, whole_first(practices, partial));
    }
    if (quals.empty() && !partial) add_deciding(d, carve_outs);
    if (whole) d.explanation = "imposed with no statutory way out";
    else if (!quals.empty()) d.explanation = "imposed, but qualified by diversion, discretion, a fine or a limited legality";
    else if (partial) d.explanation = "imposed only in part (limited scope or regional)";
    else d.explanation = "imposed, but its own section declares it absent for some cases";
    if (!bars.empty()) d.explanation += "; elsewhere declared absent for some cases";
  } else if (!quals.empty()) {
    d.status = AnswerStatus::restricted;
    add_deciding(d, scoped_first(quals, d.bit));
    d.explanation = "no general imposition found, but a limited legality or qualification";
  } else if (!bars.empty()) {
    d.status = AnswerStatus::provided;
    add_deciding(d, bars);
    d.explanation = "expressly absent: not an offence, or only with consent";
  }
}

void decide_asked_practice(Decision& d) {
  const auto perms = of(d, Effect::permission), prohibs = of(d, Effect::prohibition);
  const auto partial = [](const std::vector<const Finding*>& v, bool all) {
    const auto p = [](const Finding* f) { return f->partial; };
    return all ? std::all_of(v.begin(), v.end(), p) : std::any_of(v.begin(), v.end(), p);
  };
  if (!perms.empty()) {
    const bool some_partial = partial(perms, false);
    d.status = some_partial ? AnswerStatus::restricted : AnswerStatus::provided;
    add_deciding(d, whole_first(perms, some_partial));
    d.explanation = some_partial ? "allowed only under a licence, exemption, pilot, regional opt-in or limit"
                                 : "allowed by law with no punishment attached";
  } else if (!prohibs.empty()) {
    const bool all_partial = partial(prohibs, true);
    d.status = all_partial ? AnswerStatus::restricted : AnswerStatus::contrary;
    add_deciding(d, whole_first(prohibs));
    d.explanation = all_partial ? "prohibited except under a licence or approval, or where a local authority decides"
                                : "prohibited, with no statutory way out";
  }
}

// How an answer was reached, for its confidence.
enum class Basis {
  nothing,     // silent: no sentence of the law read names the topic
  undecided,   // silent: sentences name the topic, none decides it
  conflict,    // decided, though findings point both ways (a permission and a prohibition)
  one,         // decided by one section
  several,     // decided by two sections or more, none pointing the other way
};

Basis basis_of(const Decision& d, bool rejects, bool topical) {
  if (d.status == AnswerStatus::silent) return topical ? Basis::undecided : Basis::nothing;
  const bool conflict = rejects ? !of(d, Effect::practice).empty() && !of(d, Effect::bar).empty()
                                : !of(d, Effect::permission).empty() && !of(d, Effect::prohibition).empty();
  if (conflict) return Basis::conflict;
  std::set<std::string> sections;
  for (const auto& f : d.deciding) sections.insert(f.section->address);
  return sections.size() == 1 ? Basis::one : Basis::several;
}

std::string_view to_string(Basis b) {
  switch (b) {
    case Basis::nothing: return "nothing";
    case Basis::undecided: return "undecided";
    case Basis::conflict: return "conflict";
    case Basis::one: return "one";
    case Basis::several: return "several";
  }
  return "?";
}

// The confidence of each basis: calibrated(agree, answers) (decide.hpp) of its answers on
// the development labels (shared/eval/labels-dev.json), rounded down to hundredths: their
// agreement, shrunk towards 0.55, the agreement the engine had on jurisdictions it was not
// written against ("little more than half", issue 15), with the weight of ten answers. The
// dev labels are in-sample (the rules were written reading them); the prior keeps a basis
// seen few times from claiming more than it has shown. `hrtrack evaluate` prints each
// basis's answers, agreement and calibrated value; README "Confidence" has the figures.
double confidence_of(Basis b) {
  switch (b) {
    case Basis::nothing: return 0.86;    // 30 of 31 agree
    case Basis::undecided: return 0.73;  // 7 of 7
    case Basis::conflict: return 0.80;   // 13 of 13
    case Basis::one: return 0.84;        // 25 of 26
    case Basis::several: return 0.86;    // 23 of 23
  }
  return 0;
}

// True when a sentence of the law read for provision k names its topic.
bool topical(const std::vector<const VersionReading*>& versions, const Candidates& candidates, std::uint64_t bit) {
  for (const auto* v : versions)
    for (const auto& section : v->sections)
      if (!section.amends && (candidates.contains(section.address) || !index::stems(v->language)))
        for (const auto& s : section.sentences)
          if ((s.topics | section.heading_topics) & bit) return true;
  return false;
}

// The findings of one effect, best first.
std::vector<const Finding*> of(const Decision& d, Effect e) {
  std::vector<const Finding*> out;
  for (const auto& f : d.findings)
    if (f.effect == e) out.push_back(&f);
  return ranked(std::move(out), d.bit);
}

}  // namespace

Decision decide(std::size_t k, const std::vector<const VersionReading*>& versions, const Candidates& candidates,
                const CitationGraph& graph, const Convention::Rules& rules) {
  Decision d;
  d.bit = std::uint64_t{1} << k;
  std::vector<bool> untied;
  auto all = collect(k, versions, candidates, rules, untied);
  d.findings = tie(std::move(all), untied, graph, rules);
  for (const auto& f : d.findings) d.edges.insert(d.edges.end(), f.via.begin(), f.via.end());
  const bool rejects = rules.provisions[k].provision.rejects_practice;
  if (rejects) decide_rejected_practice(d, graph);
  else decide_asked_practice(d);
  if (d.status == AnswerStatus::silent) d.explanation = "no section of the law in force answers the question";
  const Basis basis = basis_of(d, rejects, topical(versions, candidates, d.bit));
  d.basis = std::string(to_string(basis));
  d.confidence = confidence_of(basis);
  return d;
}

}  // namespace hrtrack::analysis
