// Agreement with reference labels (shared/eval/labels-*.json), as PROTOCOL.md defines it,
// and whether the law the labels rest on is in the Store.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "engine_impl.hpp"
#include "hrtrack/base/ascii.hpp"
#include "text.hpp"

namespace hrtrack::analysis {
namespace {

using nlohmann::json;

// Every name a label gives an instrument (its `instruments` key and `aliases`), by each name.
std::map<std::string, std::vector<std::string>> label_names(const json& jurisdiction) {
  std::map<std::string, std::vector<std::string>> groups;  // key -> key, then its aliases
  if (const auto it = jurisdiction.find("instruments"); it != jurisdiction.end() && it->is_object())
    for (const auto& item : it->items()) groups[item.key()] = {item.key()};
  if (const auto it = jurisdiction.find("aliases"); it != jurisdiction.end() && it->is_object())
    for (const auto& item : it->items()) {
      auto& names = groups[item.key()];
      if (names.empty()) names.push_back(item.key());
      if (item.value().is_array())
        for (const auto& a : item.value())
          if (a.is_string()) names.push_back(a.get<std::string>());
    }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [key, names] : groups)
    for (const auto& n : names) out.emplace(n, names);
  return out;
}

// Resolves references of one jurisdiction's labels to the Store as of the labels' date.
class Resolver {
 public:
  struct Found {
    std::string section_id;          // Store identifier # stored number
    std::vector<std::string> texts;  // heading and text, one per language
    bool empty = true;               // no text in any language
  };

  Resolver(const corpus::Store& store, std::string jurisdiction, std::string as_of, const json& labels)
      : store_(store), jurisdiction_(std::move(jurisdiction)), as_of_(std::move(as_of)), names_(label_names(labels)) {}

  // The section as a version in force on the date holds it, in the first instrument named
  // (the reference's name, then the label's other names for it) that has it.
  const std::optional<Found>& find(const corpus::SectionAddress& a) {
    const auto [it, fresh] = found_.try_emplace(a.str());
    if (!fresh) return it->second;
    std::vector<std::string> numbers{a.section};
    if (const auto n = corpus::normalize_section_number(a.section); n != a.section && !n.empty()) numbers.push_back(n);
    for (const auto& in : instruments(a.instrument)) {
      Found f;
      std::set<std::string> languages;
      for (const auto& v : store_.versions(in.id)) languages.insert(v.language);
      for (const auto& lang : languages) {
        const auto v = store_.version_as_of(in.id, lang, as_of_);
        if (!v) continue;
        for (const auto& number : numbers)
          if (const auto s = store_.section(v->id, number)) {
            if (f.section_id.empty()) f.section_id = in.identifier + "#" + s->body.number;
            f.texts.push_back(s->body.heading + "\n" + s->body.text);
            f.empty = f.empty && text::quote_form(s->body.text).empty();
            break;
          }
      }
      if (!f.section_id.empty()) return it->second = std::move(f);
    }
    return it->second;
  }

  // "INSTRUMENT#SECTION" under the Store's identifier: the instrument that holds the section
  // on the date, else the first one named; unchanged when the Store knows no such name.
  std::string canonical(const std::string& id) {
    const auto a = corpus::SectionAddress::parse(id);
    if (!a) return id;
    if (const auto& f = find(*a)) return f->section_id;
    const auto& in = instruments(a->instrument);
    return in.empty() ? id : in.front().identifier + "#" + a->section;
  }

 private:
  // The jurisdiction's instruments named `name` or one of the label's names for it, each once.
  const std::vector<corpus::Instrument>& instruments(const std::string& name) {
    const auto [it, fresh] = instruments_.try_emplace(name);
    if (!fresh) return it->second;
    std::vector<std::string> names{name};
    if (const auto n = names_.find(name); n != names_.end())
      for (const auto& other : n->second)
        if (other != name) names.push_back(other);
    auto& out = it->second;
    const auto add = [&out](const corpus::Instrument& in) {
      if (std::none_of(out.begin(), out.end(), [&](const corpus::Instrument& o) { return o.id == in.id; }))
        out.push_back(in);
    };
    for (const auto& n : names) {
      if (const auto in = store_.find_instrument(n); in && in->jurisdiction == jurisdiction_) {
        add(*in);
        continue;
      }
      // find_instrument answers for all jurisdictions: another's instrument may bear the name.
      if (!listed_) all_ = store_.instruments(jurisdiction_), listed_ = true;
      for (const auto& in : all_)
        if (base::ascii_iequals(in.identifier, n) ||
            std::any_of(in.aliases.begin(), in.aliases.end(), [&](const std::string& x) { return base::ascii_iequals(x, n); }))
          add(in);
    }
    return out;
  }

  const corpus::Store& store_;
  std::string jurisdiction_, as_of_;
  std::map<std::string, std::vector<std::string>> names_;
  std::map<std::string, std::vector<corpus::Instrument>> instruments_;
  std::map<std::string, std::optional<Found>> found_;
  std::vector<corpus::Instrument> all_;
  bool listed_ = false;
};

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

std::vector<std::string> strings_of(const json& ref, const char* key) {
  std::vector<std::string> out;
  if (const auto it = ref.find(key); it != ref.end() && it->is_array())
    for (const auto& x : *it)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

void add_once(std::vector<std::string>& list, std::string id) {
  if (std::find(list.begin(), list.end(), id) == list.end()) list.push_back(std::move(id));
}

Disagreement compare(Resolver& resolve, const json& ref, const Answer& ours) {
  Disagreement d;
  d.jurisdiction = ours.jurisdiction;
  d.provision = ours.provision;
  d.reference = answer_status_from(ref.value("status", "silent")).value_or(AnswerStatus::silent);
  for (const auto& s : strings_of(ref, "also"))
    if (auto st = answer_status_from(s)) d.also.push_back(*st);
  d.ours = ours.status;
  d.confidence = ours.confidence;
  d.status_agrees = d.ours == d.reference || std::find(d.also.begin(), d.also.end(), d.ours) != d.also.end();
  for (const auto& id : strings_of(ref, "deciding")) add_once(d.reference_deciding, resolve.canonical(id));
  for (const auto& e : ours.evidence) add_once(d.our_evidence, resolve.canonical(e.section_id));
  d.evidence_agrees = std::any_of(d.our_evidence.begin(), d.our_evidence.end(), [&](const std::string& id) {
    return std::find(d.reference_deciding.begin(), d.reference_deciding.end(), id) != d.reference_deciding.end();
  });
  d.reference_reason = ref.value("reason", "");
  d.our_reason = ours.explanation;
  return d;
}

EvidenceBase check_evidence(Resolver& resolve, const json& ref, const Disagreement& d, const std::string& as_of) {
  EvidenceBase b;
  b.jurisdiction = d.jurisdiction;
  b.provision = d.provision;
  b.as_of = as_of;
  b.quote = ref.value("quote", "");
  const std::string quote = text::quote_form(b.quote);
  for (const auto& id : strings_of(ref, "deciding")) {
    if (std::any_of(b.deciding.begin(), b.deciding.end(), [&](const EvidenceBase::Deciding& x) { return x.reference == id; }))
      continue;
    EvidenceBase::Deciding x;
    x.reference = x.section_id = id;
    if (const auto a = corpus::SectionAddress::parse(id))
      if (const auto& f = resolve.find(*a)) {
        x.found = true;
        x.section_id = f->section_id;
        x.empty = f->empty;
        x.quote_here = !quote.empty() && std::any_of(f->texts.begin(), f->texts.end(), [&](const std::string& t) {
          return text::quote_form(t).find(quote) != std::string::npos;
        });
      }
    b.quote_found = b.quote_found || x.quote_here;
    b.deciding.push_back(std::move(x));
  }
  return b;
}

void tally(EvaluationTally& t, const Disagreement& d, const EvidenceBase* base) {
  ++t.answers;
  if (d.status_agrees) ++t.status_agree;
  t.cited += static_cast<int>(d.our_evidence.size());
  for (const auto& id : d.our_evidence)
    if (std::find(d.reference_deciding.begin(), d.reference_deciding.end(), id) != d.reference_deciding.end())
      ++t.cited_deciding;
  if (!base) return;
  ++t.evidence_total;
  if (d.evidence_agrees) ++t.evidence_agree;
  t.deciding_total += static_cast<int>(base->deciding.size());
  t.deciding_found += static_cast<int>(
      std::count_if(base->deciding.begin(), base->deciding.end(), [](const auto& x) { return x.found; }));
  ++t.quotes_total;
  if (base->quote_found) ++t.quotes_found;
}

// The confidence from which an answer is shown as confident (README "Confidence").
constexpr double kConfident = 0.8;

void add_to_band(ConfidenceBand& b, const Disagreement& d) {
  ++b.answers;
  if (d.status_agrees) ++b.status_agree;
  if (d.reference == AnswerStatus::silent) return;
  ++b.evidence_total;
  if (d.evidence_agrees) ++b.evidence_agree;
}

std::vector<ConfidenceBand> confidence_bands(const std::vector<Disagreement>& compared) {
  std::vector<ConfidenceBand> bands{{0.0, 0.5}, {0.5, 0.6}, {0.6, 0.7}, {0.7, 0.8}, {0.8, 0.9}, {0.9, 1.0}};
  for (const auto& d : compared)
    for (auto& b : bands)
      // Confidences are sums of tenths: a small tolerance keeps 0.8 in [0.8, 0.9).
      if (d.confidence >= b.from - 1e-9 && (d.confidence < b.to - 1e-9 || b.to == 1.0)) {
        add_to_band(b, d);
        break;
      }
  return bands;
}

}  // namespace

Result<Evaluation> Engine::evaluate(const std::filesystem::path& labels_file) {
  auto labels = read_labels(labels_file);
  if (!labels) return labels.error();
  Evaluation e;
  std::set<std::string> known;
  for (const auto& j : impl_->store.jurisdictions()) known.insert(j.code);
  const auto& provisions = impl_->convention->provisions();
  std::vector<EvaluationTally> by_provision(provisions.size());
  for (std::size_t k = 0; k < provisions.size(); ++k) by_provision[k].key = provisions[k].id;
  for (const auto& j : labels.value()["jurisdictions"]) {
    const std::string code = j.value("jurisdiction", "");
    const std::string as_of = j.value("as_of", "");
    std::vector<Answer> ours;
    std::vector<std::string> bases;
    if (known.count(code)) {
      // The machine is measured, not the analysts: reviews are left out.
      auto coding = impl_->code(code, as_of);
      if (!coding) return Error{labels_file.string() + ": " + coding.error().message};
      ours = std::move(coding->answers);
      for (const auto& decision : coding->decisions) bases.push_back(decision.basis);
    } else {
      // Nothing held answers any question: silent, so the report shows what is missing.
      e.not_in_store.push_back(code);
      for (const auto& p : provisions) {
        Answer a;
        a.jurisdiction = code;
        a.provision = p.id;
        a.as_of = as_of;
        a.explanation = "the Store holds no law of " + code;
        ours.push_back(std::move(a));
      }
    }
    Resolver resolve(impl_->store, code, as_of, j);
    EvaluationTally mine;
    mine.key = code;
    for (const auto& ref : j.value("answers", json::array())) {
      const auto k = impl_->provision_index(ref.value("provision", ""));
      if (k == ours.size())
        return Error{labels_file.string() + ": unknown provision '" + ref.value("provision", "") + "'"};
      Disagreement d = compare(resolve, ref, ours[k]);
      d.basis = k < bases.size() ? bases[k] : "nothing";
      const bool needs_evidence = d.reference != AnswerStatus::silent;
      if (needs_evidence) e.evidence_base.push_back(check_evidence(resolve, ref, d, as_of));
      const EvidenceBase* base = needs_evidence ? &e.evidence_base.back() : nullptr;
      for (auto* t : {&e.all, &mine, &by_provision[k]}) tally(*t, d, base);
      e.confusion[std::string(to_string(d.reference))][std::string(to_string(d.ours))]++;
      if (!d.status_agrees || (needs_evidence && !d.evidence_agrees)) e.disagreements.push_back(d);
      e.compared.push_back(d);
    }
    e.jurisdictions.push_back(std::move(mine));
  }
  for (auto& t : by_provision)
    if (t.answers) e.provisions.push_back(std::move(t));
  e.confidence = confidence_bands(e.compared);
  e.confident = {kConfident, 1.0};
  for (const auto& d : e.compared) {
    if (d.confidence >= kConfident - 1e-9) add_to_band(e.confident, d);
    auto& b = e.bases[d.basis];
    b.from = d.confidence;
    add_to_band(b, d);
  }
  for (auto& [basis, b] : e.bases) b.to = std::floor(calibrated(b.status_agree, b.answers) * 100 + 1e-9) / 100;
  e.answers = e.all.answers;
  e.status_agree = e.all.status_agree;
  e.evidence_total = e.all.evidence_total;
  e.evidence_agree = e.all.evidence_agree;
  e.status_agreement = e.all.status_agreement();
  e.evidence_agreement = e.all.evidence_agreement();
  return e;
}

}  // namespace hrtrack::analysis
