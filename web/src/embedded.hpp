#pragma once
// The files compiled into the binary (see web/cmake/embed.cmake).
#include <string_view>
#include <vector>

namespace hrtrack::web {

struct EmbeddedFile {
  std::string_view name;   // "style.css", "d3-geo.min.js"
  std::string_view bytes;
};

const std::vector<EmbeddedFile>& embedded_files();

}  // namespace hrtrack::web
