#pragma once
// The files compiled into the binary (see web/cmake/embed.cmake).
#include <string_view>
#include <vector>

namespace hrtrack::web {

struct EmbeddedFile {
  std::string_view name;   // "style.css", "d3-geo.min.js"
  std::string_view bytes;
};

// web/assets and the browser libraries, served under /assets/<name>.
const std::vector<EmbeddedFile>& embedded_files();
// web/templates: name "layout" for web/templates/layout.mustache (see views.hpp).
const std::vector<EmbeddedFile>& embedded_templates();

}  // namespace hrtrack::web
