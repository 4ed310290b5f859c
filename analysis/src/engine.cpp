// The Engine: the law in force, coded provision by provision; reviews, needs-review flags
// and status events.
#include <algorithm>
#include <limits>
#include <set>

#include "engine_impl.hpp"
#include "hrtrack/corpus/clock.hpp"
#include "hrtrack/index/index.hpp"

namespace hrtrack::analysis {

std::string key_of(std::string_view jurisdiction, std::string_view provision) {
  return std::string(jurisdiction) + "/" + std::string(provision);
}

namespace {

using corpus::now_utc;

std::string signal_of(const std::string& rule) {
  const auto slash = rule.find('/');
  return slash == std::string::npos ? rule : rule.substr(slash + 1);
}

Evidence evidence_of(const Finding& f) {
  return {f.section->address, f.quote(), f.rule, signal_of(f.rule),
          f.version->language, f.version->date, f.section->hash};
}

Answer answer_of(std::string_view jurisdiction, std::string_view as_of, const Provision& p, const Decision& d,
                 const Scores& scores) {
  Answer a;
  a.jurisdiction = std::string(jurisdiction);
  a.provision = p.id;
  a.as_of = std::string(as_of);
  a.status = a.machine_status = d.status;
  a.score = scores.of(d.status);
  a.confidence = d.confidence;
  for (const auto& f : d.deciding) a.evidence.push_back(evidence_of(f));
  a.explanation = d.explanation;
  return a;
}

// True when the text of a section an answer rests on is not what it was.
bool evidence_changed(const std::map<std::string, std::string>& recorded, const Law& law) {
  for (const auto& [address, hash] : recorded) {
    const auto* s = law.find_any(address);
    if (!s || s->hash != hash) return true;
  }
  return false;
}

// True when a section quoted by `evidence` is gone or its text differs from the one quoted.
bool evidence_changed(const std::vector<Evidence>& evidence, const Law& law) {
  for (const auto& e : evidence) {
    const auto* s = law.find(e.section_id, e.language);
    if (!s || s->hash != e.text_hash) return true;
  }
  return false;
}

// An analyst's evidence as Evidence: the machine's sentence for that section when it has
// one, else the section's first sentence.
std::vector<Evidence> review_evidence(const Review& r, const Answer& machine, const Law& law) {
  std::vector<Evidence> out;
  for (const auto& id : r.evidence) {
    const auto same = std::find_if(machine.evidence.begin(), machine.evidence.end(),
                                   [&](const Evidence& e) { return e.section_id == id; });
    if (same != machine.evidence.end()) {
      out.push_back(*same);
      out.back().rule = "review";
      continue;
    }
    const auto* s = law.find_any(id);
    if (!s) continue;
    const auto spans = text::sentences(s->text);
    const std::string quote = spans.empty() ? s->text : s->text.substr(spans[0].begin, spans[0].end - spans[0].begin);
    out.push_back({id, quote, "review", "review", "", "", s->hash});
  }
  return out;
}

// The date on which every latest version is in force: the newest of their dates. (The index
// reads an empty date as today, which misses versions that come into force later.)
std::string latest_date(const Law& law) {
  std::string date;
  for (const auto* v : law.versions) date = std::max(date, v->date);
  return date;
}

// The documents of the law in force, as a reader names them, each instrument once:
// "A-1 (en, fr; 2022-12-09)", "B-2 (de; 2024-05-23)", "C-3 (en 2020-01-01; fr 2019-05-02)".
std::vector<std::string> documents_of(const Law& law) {
  std::vector<std::pair<std::string, std::vector<const VersionReading*>>> by_instrument;
  for (const auto* v : law.versions) {
    auto it = std::find_if(by_instrument.begin(), by_instrument.end(), [&](const auto& e) { return e.first == v->instrument; });
    if (it == by_instrument.end()) it = by_instrument.insert(by_instrument.end(), {v->instrument, {}});
    it->second.push_back(v);
  }
  std::vector<std::string> out;
  for (const auto& entry : by_instrument) {
    const auto& versions = entry.second;
    const std::string& date = versions.front()->date;
    const bool one_date = std::all_of(versions.begin(), versions.end(), [&](auto* v) { return v->date == date; });
    std::string s;
    for (const auto* v : versions) {
      s += (s.empty() ? "" : one_date ? ", " : "; ") + v->language;
      if (!one_date && !v->date.empty()) s += " " + v->date;
    }
    if (one_date && !date.empty()) s += "; " + date;
    out.push_back(entry.first + " (" + s + ")");
  }
  return out;
}

// True when a section of the law in force (not one amending another text) names a
// controlled substance, as the provisions' context signals recognise one, and is about what
// one of the Convention's provisions asks: the corpus holds a drug law.
bool holds_drug_law(const Law& law, const Convention::Rules& rules) {
  std::uint64_t context = 0;
  for (const auto& p : rules.provisions)
    for (const auto i : p.context) context |= std::uint64_t{1} << i;
  for (const auto* v : law.versions)
    for (const auto& s : v->sections) {
      if (s.amends || (s.signals & context) != context) continue;
      if (s.heading_topics) return true;
      for (const auto& sentence : s.sentences)
        if (sentence.topics & ~sentence.excluded) return true;
    }
  return false;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// Why the law held cannot be assessed, or empty when it can. A jurisdiction with an answer
// found is always assessed; one with none is not when nothing of it is in force, when no
// rules cover the languages of what is, or when none of it is a drug law.
std::string not_assessed_reason(const Law& law, const std::vector<Decision>& decisions, std::string_view as_of,
                                const Convention::Rules& rules) {
  if (std::any_of(decisions.begin(), decisions.end(), [](const Decision& d) { return d.status != AnswerStatus::silent; }))
    return {};
  if (law.versions.empty())
    return as_of.empty() ? "the corpus holds no document of it"
                         : "the corpus holds no document of it in force on " + std::string(as_of);
  std::set<std::string> held;
  for (const auto* v : law.versions) held.insert(v->language);
  if (std::none_of(held.begin(), held.end(), [&](const std::string& l) {
        return std::find(rules.languages.begin(), rules.languages.end(), l) != rules.languages.end();
      }))
    return "no rules for its language (" + joined({held.begin(), held.end()}) +
           "): the Convention's rules cover " + joined(rules.languages);
  if (holds_drug_law(law, rules)) return {};
  const auto n = documents_of(law).size();
  return "the corpus holds no drug law for it: no section of " +
         (n == 1 ? std::string("the one document held") : "the " + std::to_string(n) + " documents held") +
         " names a controlled substance together with what a Convention provision is about";
}

}  // namespace

std::string_view shown_status(const Answer& a) { return a.not_assessed.empty() ? to_string(a.status) : "not-assessed"; }
std::string_view shown_status(const TimelineEntry& e) { return e.not_assessed.empty() ? to_string(e.status) : "not-assessed"; }

const SectionReading* Law::find(const std::string& address, const std::string& language) const {
  const auto it = sections.find(address + "|" + language);
  return it == sections.end() ? nullptr : it->second;
}

const SectionReading* Law::find_any(const std::string& address) const {
  for (const auto* v : versions)
    if (const auto* s = find(address, v->language)) return s;
  return nullptr;
}

std::size_t Engine::Impl::provision_index(std::string_view id) const {
  const auto& ps = convention->provisions();
  for (std::size_t i = 0; i < ps.size(); ++i)
    if (ps[i].id == id) return i;
  return ps.size();
}

Result<std::vector<std::string>> Engine::Impl::languages_of(std::string_view jurisdiction) const {
  std::vector<std::string> known;
  for (const auto& j : store.jurisdictions()) {
    if (j.code == jurisdiction) return j.languages;
    known.push_back(j.code);
  }
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  return Error{"unknown jurisdiction '" + std::string(jurisdiction) + "' (known: " + list + ")"};
}

Result<Law> Engine::Impl::law(std::string_view jurisdiction, std::string_view as_of) {
  auto langs = languages_of(jurisdiction);
  if (!langs) return langs.error();
  const auto& rules = convention->rules();
  Law law;
  for (const auto& in : store.instruments(jurisdiction)) {
    std::set<std::string> languages;
    for (const auto& v : store.versions(in.id)) languages.insert(v.language);
    for (const auto& lang : languages) {
      const auto v = store.version_as_of(in.id, lang, as_of);
      if (!v) continue;
      auto& slot = readings[v->id];
      if (!slot) slot = std::make_unique<VersionReading>(read_version(store, *v, in, rules, &memo));
      law.versions.push_back(slot.get());
    }
  }
  // The jurisdiction's first language decides which sentence is quoted when a section is
  // found in several.
  const auto rank = [&](const std::string& l) {
    const auto it = std::find(langs->begin(), langs->end(), l);
    return it == langs->end() ? langs->size() : static_cast<std::size_t>(it - langs->begin());
  };
  std::stable_sort(law.versions.begin(), law.versions.end(),
                   [&](const VersionReading* a, const VersionReading* b) { return rank(a->language) < rank(b->language); });
  for (const auto* v : law.versions)
    for (const auto& s : v->sections) law.sections.emplace(s.address + "|" + v->language, &s);
  law.graph = std::make_unique<CitationGraph>(law.versions, rules);
  return law;
}

Result<std::vector<Candidates>> Engine::Impl::find_candidates(std::string_view jurisdiction, const std::string& date,
                                                              const CitationGraph& graph) {
  const auto key = std::string(jurisdiction) + "|" + date;
  if (const auto it = found.find(key); it != found.end()) return it->second;
  std::vector<Candidates> out;
  for (const auto& p : convention->rules().provisions) {
    auto c = candidates->find(jurisdiction, date, p, graph);
    if (!c) return c.error();
    out.push_back(std::move(c.value()));
  }
  found.emplace(key, out);
  return out;
}

Result<Coding> Engine::Impl::code(std::string_view jurisdiction, std::string_view as_of) {
  auto l = law(jurisdiction, as_of);
  if (!l) return l.error();
  Coding c{std::move(l.value()), {}, {}, {}, {}};
  const auto& rules = convention->rules();
  auto found = find_candidates(jurisdiction, as_of.empty() ? latest_date(c.law) : std::string(as_of), *c.law.graph);
  if (!found) return found.error();
  c.candidates = std::move(found.value());
  for (std::size_t k = 0; k < rules.provisions.size(); ++k) {
    c.decisions.push_back(decide(k, c.law.versions, c.candidates[k], *c.law.graph, rules));
    c.answers.push_back(answer_of(jurisdiction, as_of, rules.provisions[k].provision, c.decisions.back(),
                                  rules.scores));
  }
  c.not_assessed = not_assessed_reason(c.law, c.decisions, as_of, rules);
  const auto read = documents_of(c.law);
  for (auto& a : c.answers) {
    if (!c.not_assessed.empty()) {
      a.not_assessed = c.not_assessed;
      a.score = a.confidence = 0;
      a.explanation = "not assessed: " + c.not_assessed;
    }
    if (a.status == AnswerStatus::silent) a.read = read;
  }
  return c;
}

Result<std::vector<Answer>> Engine::Impl::answers(std::string_view jurisdiction, std::string_view as_of,
                                                  bool persist) {
  auto coding = code(jurisdiction, as_of);
  if (!coding) return coding.error();
  std::vector<Answer> out;
  std::optional<std::set<std::pair<std::string, StatusEventKey>>> recorded;  // read when first needed
  Status status = store.transaction([&]() -> Status {
    for (auto& machine : coding->answers) {
      const auto key = key_of(jurisdiction, machine.provision);
      Answer a = machine;
      // Stored answers and reviews are about the law as it stands; an answer as of another
      // date is the machine's reading of that date alone.
      if (!as_of.empty()) {
        out.push_back(std::move(a));
        continue;
      }
      const auto old_record = store.record("answer", key);
      const auto old = old_record ? answer_from_json(old_record->json) : std::nullopt;
      if (old) a.needs_review = old->needs_review || evidence_changed(old->evidence, coding->law);
      if (const auto rec = store.record("review", key)) {
        if (auto r = review_from_json(rec->json)) {
          a.review = r->first;
          a.status = r->first.status;
          a.score = convention->scores().of(a.status);
          a.confidence = 1.0;
          a.evidence = review_evidence(r->first, machine, coding->law);
          a.needs_review = evidence_changed(r->second, coding->law);
          a.explanation = "reviewed by " + r->first.by + ": " + r->first.note;
        }
      }
      if (persist) {
        if (old && shown_status(*old) != shown_status(a) && !a.review) {
          if (!recorded) recorded = recorded_changes(jurisdiction);
          const StatusEventKey change{latest_date(coding->law), std::string(shown_status(*old)), std::string(shown_status(a))};
          if (auto s = record_change(*recorded, key, change, "coded again: the law or the rules changed", {}); !s) return s;
        }
        if (auto s = store.put_record("answer", key, answer_json(a)); !s) return s;
      }
      out.push_back(std::move(a));
    }
    // Read paths (the web) use these answers while the law, its reviews and the rules stay as
    // they are now.
    if (persist && as_of.empty())
      if (auto s = store.put_record("analysis", jurisdiction, stamp_json(fingerprint(jurisdiction, true))); !s)
        return s;
    return {};
  });
  if (!status) return status.error();
  return out;
}

std::set<std::pair<std::string, StatusEventKey>> Engine::Impl::recorded_changes(std::string_view jurisdiction) const {
  std::set<std::pair<std::string, StatusEventKey>> out;
  const std::string prefix = std::string(jurisdiction) + "/";
  for (const auto& e : store.events("status", 0, std::numeric_limits<int>::max()))
    if (e.key.starts_with(prefix))
      if (auto k = status_event_key(e.json)) out.emplace(e.key, std::move(*k));
  return out;
}

Status Engine::Impl::record_change(std::set<std::pair<std::string, StatusEventKey>>& recorded, const std::string& key,
                                   const StatusEventKey& change, const std::string& note,
                                   const std::vector<TimelineEntry::Cause>& causes) {
  if (!recorded.emplace(key, change).second) return {};
  auto e = store.append_event("status", key, status_event_json(change.from, change.to, "machine", note, change.date, causes));
  if (!e) return e.error();
  return {};
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(corpus::Store& store, EngineConfig config) {
  const Convention* c = config.convention ? config.convention : &Convention::builtin();
  auto source = open_candidate_source(config);
  if (!source) return source.error();
  auto impl = std::make_unique<Impl>(Impl{store, std::move(config), c, std::move(source.value()), {}, {}, {}});
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

const Convention& Engine::convention() const { return *impl_->convention; }

Result<std::vector<Answer>> Engine::analyze(std::string_view jurisdiction, std::string_view as_of) {
  return impl_->answers(jurisdiction, as_of, impl_->config.persist && as_of.empty());
}

Result<Answer> Engine::review(std::string_view jurisdiction, std::string_view provision, Review r) {
  if (impl_->provision_index(provision) == impl_->convention->provisions().size())
    return Error{"unknown provision '" + std::string(provision) + "'"};
  if (r.by.empty()) return Error{"a review needs the analyst's name (--by)"};
  if (r.note.empty()) return Error{"a review needs a note saying why (--note)"};
  auto coding = impl_->code(jurisdiction, {});
  if (!coding) return coding.error();
  const Answer& machine = coding->answers[impl_->provision_index(provision)];
  if (r.evidence.empty() && r.status != AnswerStatus::silent)
    for (const auto& e : machine.evidence) r.evidence.push_back(e.section_id);
  for (const auto& id : r.evidence)
    if (!coding->law.find_any(id))
      return Error{"evidence '" + id + "' is not a section of the law in force in " + std::string(jurisdiction)};
  if (r.status != AnswerStatus::silent && r.evidence.empty())
    return Error{"a " + std::string(to_string(r.status)) + " answer needs evidence (--evidence INSTRUMENT#SECTION)"};
  r.at = now_utc();
  const auto key = key_of(jurisdiction, provision);
  auto& store = impl_->store;
  std::map<std::string, std::string> hashes;
  for (const auto& id : r.evidence) hashes[id] = coding->law.find_any(id)->hash;
  const auto before = impl_->answers(jurisdiction, {}, false);
  if (!before) return before.error();
  const auto old_status = before.value()[impl_->provision_index(provision)].status;
  Status s = store.transaction([&]() -> Status {
    const auto json = review_json(r, hashes);
    if (auto st = store.put_record("review", key, json); !st) return st;
    if (auto e = store.append_event("review", key, json); !e) return e.error();
    if (old_status != r.status) {
      auto e = store.append_event("status", key, status_event_json(std::string(to_string(old_status)),
                                                                   std::string(to_string(r.status)), r.by, r.note));
      if (!e) return e.error();
    }
    return {};
  });
  if (!s) return s.error();
  // A review is a write: the answers it changes are stored with it, whatever `persist` says,
  // so that read paths see it at once.
  auto after = impl_->answers(jurisdiction, {}, true);
  if (!after) return after.error();
  return after.value()[impl_->provision_index(provision)];
}

std::vector<corpus::Event> Engine::history(std::string_view jurisdiction, std::string_view provision) const {
  const auto key = key_of(jurisdiction, provision);
  std::vector<corpus::Event> out;
  for (const char* kind : {"review", "status"})
    for (auto& e : impl_->store.events(kind, 0, 10000))
      if (e.key == key) out.push_back(std::move(e));
  std::sort(out.begin(), out.end(), [](const corpus::Event& a, const corpus::Event& b) { return a.id < b.id; });
  return out;
}

Result<Explanation> Engine::explain(std::string_view jurisdiction, std::string_view provision,
                                    std::string_view as_of) {
  const auto k = impl_->provision_index(provision);
  if (k == impl_->convention->provisions().size())
    return Error{"unknown provision '" + std::string(provision) + "'"};
  auto answers = impl_->answers(jurisdiction, as_of, false);
  if (!answers) return answers.error();
  auto coding = impl_->code(jurisdiction, as_of);
  if (!coding) return coding.error();
  Explanation x;
  x.answer = answers.value()[k];
  x.candidate_source = std::string(impl_->candidates->name());
  x.candidate_note = impl_->candidates->note();
  const std::uint64_t bit = std::uint64_t{1} << k;
  const Decision& d = coding->decisions[k];
  const Candidates& found = coding->candidates[k];
  std::map<std::string, std::size_t> seen;
  const auto add = [&](const SectionReading& s) -> Explanation::Candidate& {
    const auto [it, fresh] = seen.emplace(s.address, x.candidates.size());
    if (fresh) {
      const auto via = found.via.find(s.address);
      x.candidates.push_back({s.address, s.heading, {}, via == found.via.end() ? "store" : via->second});
    }
    return x.candidates[it->second];
  };
  // Every candidate would list the whole law or the whole citation ring: those naming the
  // topic are the ones a reader checks.
  for (const auto* v : coding->law.versions)
    for (const auto& s : v->sections)
      if ((found.contains(s.address) || !index::stems(v->language)) &&
          std::any_of(s.sentences.begin(), s.sentences.end(), [&](const SentenceReading& r) { return r.topics & bit; }))
        add(s);
  for (const auto& f : d.findings) {
    auto& c = add(*f.section);
    const std::string rule = f.rule + " -> " + std::string(to_string(f.effect)) + (f.partial ? " (partial)" : "");
    if (std::find(c.rules.begin(), c.rules.end(), rule) == c.rules.end()) c.rules.push_back(rule);
  }
  for (const auto& e : d.edges) x.edges_followed.push_back({e.from, e.to, e.kind});
  return x;
}

}  // namespace hrtrack::analysis
