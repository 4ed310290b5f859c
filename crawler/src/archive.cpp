#include "hrtrack/crawler/archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace hrtrack::crawler {
namespace {

struct ArchiveReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveReadDeleter>;

bool ends_with_xml(const std::string& name) {
  return name.size() >= 4 && (name.compare(name.size() - 4, 4, ".xml") == 0 ||
                              name.compare(name.size() - 4, 4, ".XML") == 0);
}

// Inflates the current entry in chunks, so a bomb stops at the cap instead of filling memory.
Result<std::string> read_entry(archive* a, const std::string& name, const UnzipLimits& limits,
                               std::size_t& total) {
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    const la_ssize_t n = archive_read_data(a, buf, sizeof buf);
    if (n < 0) return Error{"zip entry " + name + ": " + archive_error_string(a)};
    if (n == 0) return out;
    total += static_cast<std::size_t>(n);
    if (out.size() + static_cast<std::size_t>(n) > limits.max_entry_bytes)
      return Error{"zip entry " + name + " inflates to more than " +
                   std::to_string(limits.max_entry_bytes) + " bytes: refused (zip bomb?)"};
    if (total > limits.max_total_bytes)
      return Error{"zip inflates to more than " + std::to_string(limits.max_total_bytes) +
                   " bytes: refused (zip bomb?)"};
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

bool looks_like_zip(std::string_view bytes) {
  return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4);
}

Result<std::string> xml_from_zip(std::string_view zip, const UnzipLimits& limits) {
  ArchiveReader a(archive_read_new());
  if (!a) return Error{"zip: out of memory"};
  archive_read_support_format_zip(a.get());
  if (archive_read_open_memory(a.get(), zip.data(), zip.size()) != ARCHIVE_OK)
    return Error{std::string("not a zip archive: ") + archive_error_string(a.get())};
  std::size_t total = 0;
  archive_entry* entry = nullptr;
  for (int count = 0;; ++count) {
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
      return Error{std::string("zip: ") + archive_error_string(a.get())};
    if (count >= limits.max_entries)
      return Error{"zip has more than " + std::to_string(limits.max_entries) + " entries: refused"};
    const char* raw_name = archive_entry_pathname(entry);
    const std::string name = raw_name ? raw_name : "";
    if (archive_entry_filetype(entry) != AE_IFREG || !ends_with_xml(name)) continue;
    if (archive_entry_size_is_set(entry) &&
        static_cast<std::size_t>(archive_entry_size(entry)) > limits.max_entry_bytes)
      return Error{"zip entry " + name + " declares " + std::to_string(archive_entry_size(entry)) +
                   " bytes, more than the limit of " + std::to_string(limits.max_entry_bytes) +
                   ": refused (zip bomb?)"};
    return read_entry(a.get(), name, limits, total);
  }
  return Error{"zip holds no .xml file"};
}

}  // namespace hrtrack::crawler
