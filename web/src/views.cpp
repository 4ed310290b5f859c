// Rendering view models through the embedded mustache templates.
#include "views.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <kainjow/mustache.hpp>

#include "embedded.hpp"
#include "hrtrack/web/escape.hpp"

namespace hrtrack::web {
namespace {

namespace mu = kainjow::mustache;

// The library's set() and push_back() copy their argument: a whole subtree, again at every
// level above it. Each child is moved into place instead (the library's values are not
// const, only its accessors are).
mu::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mu::data d{mu::data::type::object};
      for (const auto& [k, v] : j.items()) {
        d.set(k, mu::data{false});
        *const_cast<mu::data*>(d.get(k)) = to_data(v);
      }
      return d;
    }
    case nlohmann::json::value_t::array: {
      mu::data d{mu::data::type::list};
      auto& list = const_cast<mu::basic_list<std::string>&>(d.list_value());
      list.reserve(j.size());
      for (const auto& v : j) list.push_back(to_data(v));
      return d;
    }
    case nlohmann::json::value_t::string: {
      const auto& str = j.get_ref<const std::string&>();
      if (str.empty()) return mu::data{false};
      return mu::data{str};
    }
    case nlohmann::json::value_t::boolean: return mu::data{j.get<bool>()};
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded: return mu::data{false};
    default: return mu::data{j.dump()};
  }
}

// A value as Markdown text that stays where the template put it: markdown() (inline markup
// escaped, line breaks as spaces), without the blanks around it, and with a leading block
// marker ("- ", "+ ", "1. ", "=", "~") escaped, so after "> " or at a line's start it cannot
// open a list, a heading underline or a fence.
std::string markdown_value(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  std::string out = markdown(std::string_view(s).substr(first, last - first + 1));
  std::size_t at = 0;
  while (at < out.size() && out[at] >= '0' && out[at] <= '9') ++at;
  if (at == 0 && std::string_view("-+=~").find(out[0]) != std::string_view::npos) {
    out.insert(0, 1, '\\');
  } else if (at > 0 && at < out.size() && (out[at] == '.' || out[at] == ')') &&
             (at + 1 == out.size() || out[at + 1] == ' ' || out[at + 1] == '\t')) {
    out.insert(at, 1, '\\');  // "1. " opens an ordered list
  }
  return out;
}

// The house's escaping (& < > " ' and invalid UTF-8; markdown_value()), not the library's.
// Set on every render: partials take it from the template that includes them.
std::string render_with(mu::mustache& t, std::string_view name, const mu::data& data, Output output) {
  if (output == Output::markdown) t.set_custom_escape(markdown_value);
  else t.set_custom_escape([](const std::string& s) { return html(s); });
  std::string out = t.render(data);
  if (!t.error_message().empty()) throw std::runtime_error("template " + std::string(name) + ": " + t.error_message());
  return out;
}

std::string source_from_folder(const char* folder, std::string_view name) {
  const std::string path = std::string(folder) + "/" + std::string(name) + ".mustache";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("HRTRACK_WEB_TEMPLATES: cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The source of template `name`: from `folder` when set, else the embedded one.
std::string source_of(const char* folder, std::string_view name) {
  if (folder) return source_from_folder(folder, name);
  for (const auto& f : embedded_templates())
    if (f.name == name) return std::string(f.bytes);
  throw std::runtime_error("no template named '" + std::string(name) + "'");
}

// `source` with each {{>_partial}} replaced by the partial's source, at any depth. The
// library parses a partial's source again at every use, once per item of a list; inlined,
// a template is parsed once. The partial renders in the context of its tag either way.
std::string inline_partials(const char* folder, std::string_view source, int depth = 0) {
  if (depth > 8) throw std::runtime_error("template partials nest deeper than 8 (a partial that includes itself?)");
  std::string out;
  std::size_t at = 0;
  while (true) {
    const auto open = source.find("{{>", at);
    if (open == std::string_view::npos) break;
    const auto close = source.find("}}", open);
    if (close == std::string_view::npos) break;
    auto name = source.substr(open + 3, close - open - 3);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    out.append(source.substr(at, open - at));
    out += inline_partials(folder, source_of(folder, name), depth + 1);
    at = close + 2;
  }
  out.append(source.substr(at));
  return out;
}

std::unique_ptr<mu::mustache> compile(std::string_view name, const char* folder) {
  auto t = std::make_unique<mu::mustache>(inline_partials(folder, source_of(folder, name)));
  if (!t->is_valid()) throw std::runtime_error("template " + std::string(name) + ": " + t->error_message());
  // The house's escaping (& < > " ' and invalid UTF-8), not the library's.
  t->set_custom_escape([](const std::string& s) { return html(s); });
  return t;
}

// Parsed once per thread: rendering writes the template's error state, so threads do not
// share one.
mu::mustache& embedded(std::string_view name) {
  thread_local std::map<std::string, std::unique_ptr<mu::mustache>, std::less<>> cache;
  if (const auto it = cache.find(name); it != cache.end()) return *it->second;
  return *cache.emplace(std::string(name), compile(name, nullptr)).first->second;
}

}  // namespace

std::string render(std::string_view name, const nlohmann::json& model, Output output) {
  const auto data = to_data(model);
  const char* folder = std::getenv("HRTRACK_WEB_TEMPLATES");
  if (folder && !*folder) folder = nullptr;
  if (folder) return render_with(*compile(name, folder), name, data, output);
  return render_with(embedded(name), name, data, output);
}

}  // namespace hrtrack::web
