#pragma once
// Pages from templates: a view model (JSON, the same the API returns) rendered through a
// mustache template of web/templates/, compiled into the binary. Every {{value}} is escaped
// for the template's output (HTML by default: as html() escapes); only {{{body}}}-style
// triple braces take a value as it is, and only markup that a template rendered or, in
// Markdown, a URL the code built.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hrtrack::web {

// What a template writes, and so how each {{value}} is escaped.
enum class Output {
  html,      // html(): & < > " ' as entities, invalid UTF-8 and control characters as U+FFFD
  xml,       // the same html() (valid XML 1.0 text and attributes): Atom feeds
  markdown,  // markdown(): markup characters backslash-escaped, line breaks as spaces, so a
             // value stays one line of text in a table cell, a heading or a quote
};

// Renders web/templates/<name>.mustache with `model`. Numbers render as JSON writes them;
// null, false and "" render as nothing and are false in sections, as [] is. Templates named
// _name are partials: {{>_name}}. With HRTRACK_WEB_TEMPLATES=<folder> set, the template is read
// from <folder>/<name>.mustache on every call (for editing templates without a rebuild).
// Throws std::runtime_error for an unknown template or one that does not parse.
std::string render(std::string_view name, const nlohmann::json& model, Output output = Output::html);

}  // namespace hrtrack::web
