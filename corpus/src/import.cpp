#include "hrtrack/corpus/import.hpp"

#include <algorithm>
#include <ctime>
#include <fstream>
#include <sstream>

#include "text.hpp"

namespace hrtrack::corpus {
namespace fs = std::filesystem;
namespace {

bool is_upper_code(const std::string& s) {
  if (s.size() != 2 && !(s.size() >= 4 && s.size() <= 6 && s[2] == '-')) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (i != 2 && !((s[i] >= 'A' && s[i] <= 'Z') || (i > 2 && s[i] >= '0' && s[i] <= '9')))
      return false;
  return s[0] >= 'A' && s[1] >= 'A';
}

// Folder walks skip what is plainly not a legal document.
bool looks_like_document(const fs::path& p) {
  const std::string name = p.filename().string();
  if (name.empty() || name[0] == '.') return false;
  const std::string lower = ascii_lower(name);
  for (const char* skip : {"readme", "manifest", "license", "changelog"})
    if (lower.rfind(skip, 0) == 0) return false;
  const std::string ext = ascii_lower(p.extension().string());
  return ext == ".xml" || ext == ".md" || ext == ".html" || ext == ".htm" || ext == ".xhtml" ||
         ext == ".txt" || ext == ".akn";
}

Result<std::string> read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error{p.string() + ": cannot read"};
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error{p.string() + ": read error"};
  return ss.str();
}

std::string today_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace

std::string jurisdiction_hint(const fs::path& p) {
  for (fs::path dir = p.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    const std::string name = dir.filename().string();
    if (is_upper_code(name)) return name;
    if (dir == dir.parent_path()) break;
  }
  return {};
}

std::string date_hint(const fs::path& p) {
  const std::string name = p.filename().string();
  const auto at = name.rfind('@');
  if (at == std::string::npos || at + 11 > name.size()) return {};
  const std::string d = name.substr(at + 1, 10);
  return is_iso_date(d) ? d : std::string();
}

Result<ImportOutcome> Importer::import_bytes(std::string_view bytes, const std::string& source,
                                             const ImportOptions& options) const {
  if (bytes.empty()) return Error{source + ": empty file (0 bytes)"};
  // Raw bytes first: whatever happens next, the document can be re-parsed without a re-fetch.
  auto sha = store_.put_blob(bytes);
  if (!sha) return Error{source + ": " + sha.error().message};
  ParseContext ctx;
  ctx.source = source;
  ctx.jurisdiction = options.jurisdiction.empty() ? jurisdiction_hint(source) : options.jurisdiction;
  ctx.language = options.language;
  ctx.date = date_hint(source);
  if (ctx.date.empty()) ctx.date = options.as_of;
  auto doc = parse_document(bytes, ctx, options.format);
  if (!doc) return doc.error();
  if (!options.jurisdiction.empty()) doc->jurisdiction = options.jurisdiction;
  // Undated and no --as-of: the version is dated by the day it was seen, as a crawler would.
  if (doc->date.empty()) doc->date = today_utc();
  return store_.record(*doc, *sha, source);
}

ImportReport Importer::import_paths(const std::vector<fs::path>& paths,
                                    const ImportOptions& options,
                                    const ImportProgress& progress) const {
  ImportReport report;
  std::vector<fs::path> files;
  std::vector<bool> in_folder;  // found by a walk, not named: unknown formats are skipped
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        if (looks_like_document(it->path())) found.push_back(it->path());
        else ++report.skipped;
      }
      if (ec) report.failures.push_back({p.string(), p.string() + ": " + ec.message()});
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
      in_folder.resize(files.size(), true);
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
      in_folder.push_back(false);
    } else {
      report.failures.push_back({p.string(), p.string() + ": no such file or folder"});
    }
  }

  const int total = static_cast<int>(files.size());
  for (int i = 0; i < total; ++i) {
    const fs::path& f = files[static_cast<std::size_t>(i)];
    const std::string source = f.string();
    auto bytes = read_all(f);
    if (bytes && in_folder[static_cast<std::size_t>(i)] && !options.format &&
        !detect_format(*bytes, source)) {
      ++report.skipped;  // e.g. a BWB manifest beside the laws it lists
      if (progress) progress(i + 1, total, source);
      continue;
    }
    ++report.files;
    if (!bytes) {
      report.failures.push_back({source, bytes.error().message});
    } else {
      report.bytes += static_cast<long long>(bytes->size());
      auto outcome = import_bytes(*bytes, source, options);
      if (!outcome) {
        report.failures.push_back({source, outcome.error().message});
      } else {
        switch (outcome->kind) {
          case ImportOutcome::Kind::new_instrument: ++report.instruments_new; [[fallthrough]];
          case ImportOutcome::Kind::new_version:
            ++report.versions_new;
            report.sections += outcome->sections;
            break;
          case ImportOutcome::Kind::unchanged: ++report.versions_unchanged; break;
        }
        report.outcomes.push_back(std::move(*outcome));
      }
    }
    if (progress) progress(i + 1, total, source);
  }
  store_.sync();
  return report;
}

}  // namespace hrtrack::corpus
