// Loading the Convention's rules from TOML (convention/provisions.toml).
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "hrtrack/corpus/languages.hpp"
#include "hrtrack/corpus/store.hpp"
#include "rules.hpp"

namespace hrtrack::analysis {
namespace {

Error fail(std::string_view source, const std::string& where, const std::string& what) {
  return Error{std::string(source) + ": " + where + ": " + what};
}

// A table of language = [patterns]; every pattern must have words.
Result<Patterns> read_patterns(const toml::table* t, std::string_view source, const std::string& where) {
  Patterns out;
  if (!t) return out;
  for (const auto& [lang, node] : *t) {
    const std::string language(lang.str());
    if (language.size() != 2) return fail(source, where, "'" + language + "' is not an ISO 639-1 code");
    // A language is one entry of the languages table, which the corpus and the index read
    // too: patterns for a language without one could never meet a text read in it.
    if (!corpus::languages::find(language))
      return fail(source, where, "'" + language + "' has no languages/" + language + ".toml");
    const auto* list = node.as_array();
    if (!list) return fail(source, where + "." + language, "expected a list of patterns");
    for (const auto& item : *list) {
      const auto s = item.value<std::string>();
      auto p = s ? text::Pattern::compile(*s) : text::Pattern{};
      if (p.empty()) return fail(source, where + "." + language, "empty or non-text pattern");
      out[language].push_back(std::move(p));
    }
  }
  return out;
}

std::optional<Effect> effect_from(std::string_view s) {
  if (s == "practice") return Effect::practice;
  if (s == "qualifier") return Effect::qualifier;
  if (s == "bar") return Effect::bar;
  if (s == "permission") return Effect::permission;
  if (s == "prohibition") return Effect::prohibition;
  return std::nullopt;
}

Status read_signals(const toml::table& doc, std::string_view source, Convention::Rules& r) {
  const auto* list = doc["signal"].as_array();
  if (!list) return fail(source, "signal", "no [[signal]] tables");
  for (const auto& node : *list) {
    const auto* t = node.as_table();
    Signal s;
    s.id = t ? (*t)["id"].value_or(std::string{}) : std::string{};
    if (s.id.empty()) return fail(source, "signal", "a signal without an id");
    if (r.signal_index(s.id) != r.signals.size()) return fail(source, "signal " + s.id, "duplicate id");
    s.label = (*t)["label"].value_or(std::string{});
    auto p = read_patterns((*t)["patterns"].as_table(), source, "signal " + s.id);
    if (!p) return p.error();
    s.patterns = std::move(p.value());
    r.signals.push_back(std::move(s));
  }
  if (r.signals.size() > kMaxSignals)
    return fail(source, "signal", std::to_string(r.signals.size()) + " signals: a reading holds at most " +
                                      std::to_string(kMaxSignals));
  return {};
}

Result<std::vector<std::size_t>> signal_list(const toml::array* a, std::string_view source,
                                             const std::string& where, const Convention::Rules& r) {
  std::vector<std::size_t> out;
  if (!a) return out;
  for (const auto& item : *a) {
    const auto id = item.value_or(std::string{});
    const auto i = r.signal_index(id);
    if (i == r.signals.size()) return fail(source, where, "unknown signal '" + id + "'");
    out.push_back(i);
  }
  return out;
}

Status read_effects(const toml::table& t, std::string_view source, const Convention::Rules& r,
                    ProvisionRules& p) {
  const auto* list = t["effect"].as_array();
  if (!list || list->empty()) return fail(source, "provision " + p.provision.id, "no [[provision.effect]]");
  for (const auto& node : *list) {
    const auto* e = node.as_table();
    const auto signal = e ? (*e)["signal"].value_or(std::string{}) : std::string{};
    const auto effect = effect_from(e ? (*e)["effect"].value_or(std::string{}) : std::string{});
    const auto i = r.signal_index(signal);
    const std::string where = "provision " + p.provision.id + ", effect " + signal;
    if (i == r.signals.size()) return fail(source, where, "unknown signal");
    if (!effect) return fail(source, where, "effect must be practice, qualifier, bar, permission or prohibition");
    EffectRule rule{i, *effect, (*e)["topic"].value_or(true), (*e)["scope"].value_or(false),
                    p.provision.id + "/" + signal, {}};
    auto unless = signal_list((*e)["unless"].as_array(), source, where + ".unless", r);
    if (!unless) return unless.error();
    rule.unless = std::move(unless.value());
    p.effects.push_back(std::move(rule));
  }
  return {};
}

Result<ProvisionRules> read_provision(const toml::table& t, std::string_view source,
                                      const Convention::Rules& r) {
  ProvisionRules p;
  p.provision.id = t["id"].value_or(std::string{});
  if (p.provision.id.empty()) return fail(source, "provision", "a provision without an id");
  const std::string where = "provision " + p.provision.id;
  p.provision.title = t["title"].value_or(std::string{});
  p.provision.question = t["question"].value_or(std::string{});
  p.provision.weight = t["weight"].value_or(1.0);
  p.provision.rejects_practice = t["rejects_practice"].value_or(false);
  p.concept_id = t["concept"].value_or(p.provision.id);
  if (p.provision.question.empty()) return fail(source, where, "no question");
  if (!(p.provision.weight > 0)) return fail(source, where, "weight must be positive");
  for (auto [key, field] : {std::pair{"topic", &p.topic}, std::pair{"exclude", &p.exclude},
                            std::pair{"scope", &p.scope}, std::pair{"limits", &p.limits}}) {
    auto patterns = read_patterns(t[key].as_table(), source, where + "." + key);
    if (!patterns) return patterns.error();
    *field = std::move(patterns.value());
  }
  if (p.topic.empty()) return fail(source, where, "no topic patterns");
  auto context = signal_list(t["context"].as_array(), source, where + ".context", r);
  if (!context) return context.error();
  p.context = std::move(context.value());
  if (auto s = read_effects(t, source, r, p); !s) return s.error();
  return p;
}

Status read_structure(const toml::table& doc, std::string_view source, Convention::Rules& r) {
  r.scores.provided = doc["scores"]["provided"].value_or(1.0);
  r.scores.restricted = doc["scores"]["restricted"].value_or(0.5);
  r.scores.contrary = doc["scores"]["contrary"].value_or(0.0);
  r.scores.silent = doc["scores"]["silent"].value_or(0.0);
  auto partial = signal_list(doc["modifiers"]["partial"].as_array(), source, "modifiers.partial", r);
  if (!partial) return partial.error();
  r.partial = std::move(partial.value());
  auto partial_practice =
      signal_list(doc["modifiers"]["partial_practice"].as_array(), source, "modifiers.partial_practice", r);
  if (!partial_practice) return partial_practice.error();
  r.partial_practice = std::move(partial_practice.value());
  if (const auto* edges = doc["edge"].as_array()) {
    for (const auto& node : *edges) {
      const auto* e = node.as_table();
      const auto signal = e ? (*e)["signal"].value_or(std::string{}) : std::string{};
      const auto i = r.signal_index(signal);
      if (i == r.signals.size()) return fail(source, "edge", "unknown signal '" + signal + "'");
      r.edges.push_back({i, (*e)["kind"].value_or(std::string{"reference"})});
    }
  }
  if (const auto* q = doc["modifiers"]["qualifying_edges"].as_array())
    for (const auto& k : *q) r.qualifying_edges.push_back(k.value_or(std::string{}));
  return {};
}

void collect_languages(Convention::Rules& r) {
  std::set<std::string> langs;
  for (const auto& s : r.signals)
    for (const auto& [l, _] : s.patterns) langs.insert(l);
  for (const auto& p : r.provisions)
    for (const auto& [l, _] : p.topic) langs.insert(l);
  r.languages.assign(langs.begin(), langs.end());
}

}  // namespace

bool matches(const Patterns& p, const std::string& language, const std::vector<std::string>& words) {
  const auto it = p.find(language);
  return it != p.end() && text::any_matches(it->second, words);
}

std::string_view to_string(Effect e) {
  switch (e) {
    case Effect::practice: return "practice";
    case Effect::qualifier: return "qualifier";
    case Effect::bar: return "bar";
    case Effect::permission: return "permission";
    case Effect::prohibition: return "prohibition";
  }
  return "?";
}

std::size_t Convention::Rules::signal_index(const std::string& id) const {
  for (std::size_t i = 0; i < signals.size(); ++i)
    if (signals[i].id == id) return i;
  return signals.size();
}

std::string_view to_string(AnswerStatus s) {
  switch (s) {
    case AnswerStatus::provided: return "provided";
    case AnswerStatus::restricted: return "restricted";
    case AnswerStatus::contrary: return "contrary";
    case AnswerStatus::silent: return "silent";
  }
  return "silent";
}

std::optional<AnswerStatus> answer_status_from(std::string_view s) {
  for (auto v : {AnswerStatus::provided, AnswerStatus::restricted, AnswerStatus::contrary, AnswerStatus::silent})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

double Scores::of(AnswerStatus s) const {
  switch (s) {
    case AnswerStatus::provided: return provided;
    case AnswerStatus::restricted: return restricted;
    case AnswerStatus::contrary: return contrary;
    case AnswerStatus::silent: return silent;
  }
  return 0;
}

Convention::Convention() : rules_(std::make_unique<Rules>()) {}
Convention::~Convention() = default;
Convention::Convention(const Convention& o) : rules_(std::make_unique<Rules>(*o.rules_)) {}
Convention& Convention::operator=(const Convention& o) {
  if (this != &o) rules_ = std::make_unique<Rules>(*o.rules_);
  return *this;
}
Convention::Convention(Convention&&) noexcept = default;
Convention& Convention::operator=(Convention&&) noexcept = default;

const std::vector<Provision>& Convention::provisions() const { return rules_->plain; }
const Scores& Convention::scores() const { return rules_->scores; }
std::vector<std::string> Convention::languages() const { return rules_->languages; }
const Convention::Rules& Convention::rules() const { return *rules_; }

const Provision* Convention::find(std::string_view id) const {
  for (const auto& p : rules_->plain)
    if (p.id == id) return &p;
  return nullptr;
}

Result<Convention> Convention::parse(std::string_view toml_text, std::string_view source) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    return Error{std::string(source) + ": " + where.str() + ": " + std::string(e.description())};
  }
  Convention c;
  Rules& r = *c.rules_;
  r.digest = corpus::sha256_hex(toml_text);
  if (auto s = read_signals(doc, source, r); !s) return s.error();
  if (auto s = read_structure(doc, source, r); !s) return s.error();
  const auto* list = doc["provision"].as_array();
  if (!list || list->empty()) return fail(source, "provision", "no [[provision]] tables");
  if (list->size() > kMaxProvisions)
    return fail(source, "provision", std::to_string(list->size()) + " provisions: a reading holds at most " +
                                         std::to_string(kMaxProvisions));
  for (const auto& node : *list) {
    if (!node.as_table()) return fail(source, "provision", "expected a table");
    auto p = read_provision(*node.as_table(), source, r);
    if (!p) return p.error();
    if (c.find(p->provision.id)) return fail(source, "provision " + p->provision.id, "duplicate id");
    r.plain.push_back(p->provision);
    r.provisions.push_back(std::move(p.value()));
  }
  collect_languages(r);
  return c;
}

Result<Convention> Convention::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{file.string() + ": cannot read the Convention rules"};
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), file.string());
}

}  // namespace hrtrack::analysis
