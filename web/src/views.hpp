#pragma once
// Pages from templates: a view model (JSON, the same the API returns) rendered through a
// mustache template of web/templates/, compiled into the binary. Every {{value}} is escaped
// as html() escapes; only {{{body}}}-style triple braces take markup, and only markup that
// a template rendered.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hrtrack::web {

// Renders web/templates/<name>.mustache with `model`. Numbers render as JSON writes them;
// null, false and "" render as nothing and are false in sections, as [] is. Templates named
// _name are partials: {{>_name}}. With HRTRACK_WEB_TEMPLATES=<folder> set, the template is read
// from <folder>/<name>.mustache on every call (for editing templates without a rebuild).
// Throws std::runtime_error for an unknown template or one that does not parse.
std::string render(std::string_view name, const nlohmann::json& model);

}  // namespace hrtrack::web
