#include "hrtrack/corpus/import.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <fstream>
#include <sstream>

#include "hrtrack/corpus/citations.hpp"
#include "hrtrack/corpus/clock.hpp"
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

// Runs prepare(i) for i in [0, total) on parser threads and consume(result, i + 1) on
// this thread, in order: documents are recorded in the order given (versions and their
// diffs depend on it) while parsing, hashing and blob writes proceed in parallel. At most
// `window` results wait in memory.
template <class Prepare, class Consume>
void pipeline(int total, Prepare prepare, Consume consume) {
  const int threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
  if (total < 2) {
    for (int i = 0; i < total; ++i) {
      auto p = prepare(i);
      consume(p, i + 1);
    }
    return;
  }
  using Result = decltype(prepare(0));
  const int window = threads * 4;
  std::mutex m;
  std::condition_variable ready, space;
  std::map<int, Result> done;
  int next = 0, written = 0;
  auto work = [&] {
    while (true) {
      int i;
      {
        std::unique_lock lk(m);
        space.wait(lk, [&] { return next >= total || next < written + window; });
        if (next >= total) return;
        i = next++;
      }
      Result p = prepare(i);
      {
        std::lock_guard lk(m);
        done.emplace(i, std::move(p));
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  for (int i = 0; i < total; ++i) {
    Result p;
    {
      std::unique_lock lk(m);
      ready.wait(lk, [&] { return done.count(i) > 0; });
      p = std::move(done.at(i));
      done.erase(i);
      written = i + 1;
    }
    space.notify_all();
    consume(p, i + 1);
  }
  for (auto& t : pool) t.join();
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

namespace {

// What a parser thread hands to the writer: the document parsed, its raw bytes already
// stored, its hashes computed. The writer only records.
struct Prepared {
  std::string source;
  Result<ParsedDocument> doc = Error{};
  std::string raw_sha, text_sha;
  long long bytes = 0;
  bool skipped = false;  // found by a folder walk and not a format we read
};

void prepare_bytes(const Store& store, std::string_view bytes, const ImportOptions& options,
                   Prepared& p) {
  if (bytes.empty()) {
    p.doc = Error{p.source + ": empty file (0 bytes)"};
    return;
  }
  // Raw bytes first: whatever happens next, the document can be re-parsed without a re-fetch.
  auto sha = store.write_blob(bytes);
  if (!sha) {
    p.doc = Error{p.source + ": " + sha.error().message};
    return;
  }
  p.raw_sha = *sha;
  ParseContext ctx;
  ctx.source = p.source;
  ctx.jurisdiction = options.jurisdiction.empty() ? jurisdiction_hint(p.source) : options.jurisdiction;
  ctx.language = options.language;
  ctx.date = date_hint(p.source);
  if (ctx.date.empty()) ctx.date = options.as_of;
  p.doc = parse_document(bytes, ctx, options.format);
  if (!p.doc) return;
  ParsedDocument& doc = p.doc.value();
  if (!options.jurisdiction.empty()) doc.jurisdiction = options.jurisdiction;
  // Undated and no --as-of: the version is dated by the day it was seen, as a crawler would.
  if (doc.date.empty()) doc.date = today_utc();
  // References written in the text, beside those the markup gave.
  for (auto& s : doc.sections)
    for (auto& c : extract_citations(s.text, doc.language)) s.citations.push_back(std::move(c));
  p.text_sha = sha256_hex(normalized_text(doc));
}

Prepared prepare_file(const Store& store, const fs::path& f, bool in_folder,
                      const ImportOptions& options) {
  Prepared p;
  p.source = f.string();
  try {
    auto bytes = read_all(f);
    if (!bytes) {
      p.doc = bytes.error();
      return p;
    }
    if (in_folder && !options.format && !detect_format(*bytes, p.source)) {
      p.skipped = true;  // e.g. a BWB manifest beside the laws it lists
      return p;
    }
    p.bytes = static_cast<long long>(bytes->size());
    prepare_bytes(store, *bytes, options, p);
  } catch (const std::exception& e) {
    p.doc = Error{p.source + ": " + e.what()};
  }
  return p;
}

}  // namespace

Result<ImportOutcome> Importer::import_bytes(std::string_view bytes, const std::string& source,
                                             const ImportOptions& options) const {
  Prepared p;
  p.source = source;
  prepare_bytes(store_, bytes, options, p);
  if (!p.doc) return p.doc.error();
  return store_.record(*p.doc, p.raw_sha, source, p.text_sha);
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
  auto record = [&](Prepared& p, int done) {
    if (p.skipped) {
      ++report.skipped;
    } else {
      ++report.files;
      report.bytes += p.bytes;
      Result<ImportOutcome> outcome =
          p.doc ? store_.record(*p.doc, p.raw_sha, p.source, p.text_sha) : Result<ImportOutcome>(p.doc.error());
      if (!outcome) {
        report.failures.push_back({p.source, outcome.error().message});
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
    if (progress) progress(done, total, p.source);
  };
  pipeline(total, [&](int i) { return prepare_file(store_, files[static_cast<std::size_t>(i)],
                                                   in_folder[static_cast<std::size_t>(i)], options); },
           record);
  store_.sync();
  return report;
}

}  // namespace hrtrack::corpus
