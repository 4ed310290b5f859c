#include "hrtrack/index/thesaurus.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "schema.hpp"

namespace hrtrack::index {
namespace {

bool valid_id(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool valid_language(std::string_view l) {
  return l.size() == 2 && l[0] >= 'a' && l[0] <= 'z' && l[1] >= 'a' && l[1] <= 'z';
}

Result<Concept> read_concept(const toml::table& t, std::string_view source, std::size_t n) {
  const std::string where = std::string(source) + ": concept " + std::to_string(n + 1);
  Concept c;
  c.id = t["id"].value_or(std::string{});
  if (!valid_id(c.id))
    return Error{where + ": id '" + c.id + "' must be lower case letters, digits and '-'"};
  c.label = t["label"].value_or(std::string{});
  const auto* terms = t["terms"].as_table();
  if (!terms) return Error{where + " (" + c.id + "): no [concept.terms] table"};
  for (const auto& [lang, list] : *terms) {
    const std::string l(lang.str());
    if (!valid_language(l))
      return Error{where + " (" + c.id + "): '" + l + "' is not an ISO 639-1 language code"};
    const auto* arr = list.as_array();
    if (!arr) return Error{where + " (" + c.id + "): terms." + l + " must be a list of strings"};
    for (const auto& item : *arr) {
      auto s = item.value<std::string>();
      if (!s || s->empty())
        return Error{where + " (" + c.id + "): terms." + l + " holds an empty or non-string term"};
      c.terms[l].push_back(*s);
    }
  }
  if (c.terms.empty()) return Error{where + " (" + c.id + "): no terms"};
  return c;
}

}  // namespace

Result<Thesaurus> Thesaurus::parse(std::string_view text, std::string_view source) {
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << source << ": line " << e.source().begin.line << ": " << e.description();
    return Error{msg.str()};
  }
  const auto* list = doc["concept"].as_array();
  if (!list) return Error{std::string(source) + ": no [[concept]] entries"};
  Thesaurus th;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto* t = list->get(i)->as_table();
    if (!t) return Error{std::string(source) + ": concept " + std::to_string(i + 1) + " is not a table"};
    auto c = read_concept(*t, source, i);
    if (!c) return c.error();
    if (!seen.insert(c->id).second) return Error{std::string(source) + ": concept '" + c->id + "' appears twice"};
    th.concepts_.push_back(std::move(c).value());
  }
  return th;
}

Result<Thesaurus> Thesaurus::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{"cannot read the thesaurus " + file.string()};
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), file.string());
}

const Concept* Thesaurus::find(std::string_view id) const {
  for (const auto& c : concepts_)
    if (c.id == id) return &c;
  return nullptr;
}

std::string Thesaurus::ids() const {
  std::string out;
  for (const auto& c : concepts_) out += (out.empty() ? "" : ", ") + c.id;
  return out;
}

std::string Thesaurus::fingerprint() const {
  schema::Fingerprint f;
  for (const auto& c : concepts_) {
    f.add(c.id);
    for (const auto& [lang, terms] : c.terms) {
      f.add(lang);
      for (const auto& t : terms) f.add(t);
    }
  }
  return f.hex();
}

}  // namespace hrtrack::index
