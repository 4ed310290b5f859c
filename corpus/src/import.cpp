#include "hrtrack/corpus/import.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <utility>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hrtrack/corpus/citations.hpp"
#include "hrtrack/corpus/clock.hpp"
#include "amendments.hpp"
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

}  // namespace

namespace {

std::string file_kind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a folder";
  return "not a regular file";
}

std::string size_limit(std::size_t max_bytes) {
  return "more than the limit of " + std::to_string(max_bytes) + " bytes";
}

}  // namespace

Result<std::string> read_file(const fs::path& p, std::size_t max_bytes) {
  const std::string name = escape_name(p.string());
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below); the
  // checks are made on the descriptor opened, so the file cannot be swapped in between.
  struct Fd {
    int fd;
    ~Fd() {
      if (fd >= 0) ::close(fd);
    }
  } f{::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)};
  struct stat st {};
  if (f.fd < 0 || ::fstat(f.fd, &st) != 0) return Error{name + ": cannot read: " + std::strerror(errno)};
  if (!S_ISREG(st.st_mode)) return Error{name + ": " + file_kind(st.st_mode) + ", not a regular file: refused"};
  const auto size = static_cast<std::size_t>(std::max<off_t>(st.st_size, 0));
  if (size > max_bytes) return Error{name + ": " + std::to_string(size) + " bytes, " + size_limit(max_bytes) + ": refused"};
  ::fcntl(f.fd, F_SETFL, ::fcntl(f.fd, F_GETFL) & ~O_NONBLOCK);
  std::string out;
  out.resize(size);
  std::size_t got = 0;
  for (;;) {
    if (got == out.size()) {  // the file grew while it was read
      if (out.size() >= max_bytes) {
        char probe;
        if (::read(f.fd, &probe, 1) > 0) return Error{name + ": grew to " + size_limit(max_bytes) + " while read: refused"};
        break;
      }
      out.resize(std::min(out.size() + 64 * 1024, max_bytes));
    }
    const ssize_t n = ::read(f.fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{name + ": read error: " + std::strerror(errno)};
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

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
  return is_calendar_date(d) ? d : std::string();
}

ParseContext import_context(const std::string& source, const ImportOptions& options) {
  ParseContext ctx;
  ctx.source = source;
  ctx.jurisdiction = options.jurisdiction.empty() ? jurisdiction_hint(source) : options.jurisdiction;
  ctx.language = options.language;
  // Fallbacks only: a date the document itself carries wins over both.
  ctx.date = date_hint(source);
  ctx.date_source = "file name";
  if (ctx.date.empty()) {
    ctx.date = options.as_of;
    ctx.date_source = options.as_of.empty() ? "" : options.as_of_source.empty() ? "--as-of" : options.as_of_source;
  }
  return ctx;
}

PreparedDocument prepare_document(const Store& store, std::string_view bytes, const std::string& source,
                                  const ImportOptions& options, std::string_view stored_sha) {
  PreparedDocument p;
  p.source = source;
  p.source_commit = options.source_commit;
  if (bytes.empty()) {
    p.doc = Error{source + ": empty file (0 bytes)"};
    return p;
  }
  // Raw bytes first: whatever happens next, the document can be re-parsed without a re-fetch.
  if (!stored_sha.empty()) {
    p.raw_sha = stored_sha;
  } else if (auto sha = store.write_blob(bytes); !sha) {
    p.doc = Error{sha.code(), source + ": " + sha.error().message};
    return p;
  } else {
    p.raw_sha = *sha;
  }
  try {
    p.doc = parse_document(bytes, import_context(source, options), options.format);
    if (!p.doc) return p;
    ParsedDocument& doc = p.doc.value();
    if (!options.jurisdiction.empty()) doc.jurisdiction = options.jurisdiction;
    if (!options.identifier.empty() && options.identifier != doc.identifier) {
      std::erase(doc.aliases, options.identifier);
      doc.aliases.push_back(std::move(doc.identifier));
      doc.identifier = options.identifier;
    }
    // Undated and no --as-of: stored undated. Dating it by the day it was seen would make an
    // old rendering "the law in force today" over a dated text of the same instrument.
    // References written in the text, beside those the markup gave.
    // "de la même loi" points back to the instrument named last, in this section or before.
    std::string named;
    for (auto& s : doc.sections) {
      auto found = extract_citations(s.text, doc.language, named);
      named = last_named(found, named);
      for (auto& c : found) s.citations.push_back(std::move(c));
    }
    amendments::point_citations_at_amended(doc);
    p.text_sha = normalized_text_sha256(doc);
  } catch (const std::exception& e) {
    p.doc = Error{source + ": " + e.what()};
  }
  return p;
}

namespace {

// Write groups of import_paths: at most this many documents, or this old.
constexpr std::size_t kGroup = 256;
constexpr std::chrono::milliseconds kGroupAge{100};

// A file of import_paths, prepared on a parser thread.
struct PreparedFile {
  PreparedDocument prepared;
  long long bytes = 0;
  bool skipped = false;  // found by a folder walk and not a format we read
};

PreparedFile prepare_file(const Store& store, const fs::path& f, bool in_folder, const ImportOptions& options) {
  PreparedFile p;
  // The catalogue stores and prints names escaped: a file name need not be UTF-8.
  p.prepared.source = escape_name(f.string());
  try {
    auto bytes = read_file(f, options.max_bytes);
    if (!bytes) {
      p.prepared.doc = bytes.error();
      return p;
    }
    if (in_folder && !options.format && !detect_format(*bytes, p.prepared.source)) {
      p.skipped = true;  // e.g. a BWB manifest beside the laws it lists
      return p;
    }
    p.bytes = static_cast<long long>(bytes->size());
    p.prepared = prepare_document(store, *bytes, p.prepared.source, options);
  } catch (const std::exception& e) {
    p.prepared.doc = Error{p.prepared.source + ": " + e.what()};
  }
  return p;
}

// The parts of one instrument read in one batch, as one document per distinct date, oldest
// first: at each date, for each section number, the latest part dated on or before it (of
// parts with the same date, the last read). Each is still a part: the store merges it into
// the version in force at its date, so sections the batch does not hold are kept.
std::vector<PreparedDocument> compose_timeline(std::vector<PreparedDocument>& batch) {
  std::stable_sort(batch.begin(), batch.end(), [](const PreparedDocument& a, const PreparedDocument& b) {
    return a.doc->date < b.doc->date;
  });
  std::vector<std::string> aliases;
  for (const auto& p : batch)
    for (const auto& a : p.doc->aliases)
      if (std::find(aliases.begin(), aliases.end(), a) == aliases.end()) aliases.push_back(a);
  std::vector<PreparedDocument> out;
  std::map<std::string, const ParsedSection*> latest;  // by number, as of the date reached
  for (std::size_t i = 0; i < batch.size(); ++i) {
    for (const auto& s : batch[i].doc->sections) latest[s.number] = &s;
    if (i + 1 < batch.size() && batch[i + 1].doc->date == batch[i].doc->date) continue;
    // The last part of this date gives the version its metadata, raw bytes and source.
    PreparedDocument whole;
    whole.source = batch[i].source;
    whole.raw_sha = batch[i].raw_sha;
    ParsedDocument d = *batch[i].doc;
    d.sections.clear();
    for (const auto& [number, s] : latest) d.sections.push_back(*s);
    d.aliases = aliases;  // every file's name finds the instrument
    whole.doc = std::move(d);
    out.push_back(std::move(whole));
  }
  return out;
}

}  // namespace

Result<ImportOutcome> Importer::import_bytes(std::string_view bytes, const std::string& source,
                                             const ImportOptions& options) const {
  return record(prepare_document(store_, bytes, source, options));
}

Result<ImportOutcome> Importer::record(const PreparedDocument& p) const {
  if (!p.doc) return p.doc.error();
  return store_.record(p.doc.value(), p.raw_sha, p.source, p.text_sha, p.source_commit);
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
      if (ec) report.failures.push_back({escape_name(p.string()), escape_name(p.string()) + ": " + ec.message(), Code::kIOError});
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
      in_folder.resize(files.size(), true);
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
      in_folder.push_back(false);
    } else {
      report.failures.push_back({escape_name(p.string()), escape_name(p.string()) + ": no such file or folder", Code::kNotFound});
    }
  }

  const int total = static_cast<int>(files.size());
  int done = 0;
  // Documents are recorded in write groups (Store::begin_group): one commit for up to
  // kGroup documents or kGroupAge, or when the writer waits for the parsers. A group
  // that fails to commit turns its documents' outcomes into failures.
  struct Group {
    bool open = false;
    std::size_t first_outcome = 0;
    int instruments_new = 0, versions_new = 0, versions_unchanged = 0;
    long long sections = 0;
    std::vector<std::string> sources;  // recorded in the group
    std::chrono::steady_clock::time_point start;
  } group;
  const auto close_group = [this, &report, &group](bool lost) {
    if (!group.open) return;
    group.open = false;
    Status st = lost ? Status(Error{"catalogue: the write group was rolled back after an error"})
                     : store_.commit_group();
    if (st) return;
    report.outcomes.resize(group.first_outcome);
    report.instruments_new = group.instruments_new;
    report.versions_new = group.versions_new;
    report.versions_unchanged = group.versions_unchanged;
    report.sections = group.sections;
    for (const auto& source : group.sources) report.failures.push_back({source, source + ": " + st.error().message, st.code()});
  };
  // Records one prepared document within the current write group and counts what it did.
  auto record_prepared = [this, &report, &group, &close_group](const PreparedDocument& prepared) {
      if (!group.open && prepared.doc && store_.begin_group()) {
        group.open = true;
        group.first_outcome = report.outcomes.size();
        group.instruments_new = report.instruments_new;
        group.versions_new = report.versions_new;
        group.versions_unchanged = report.versions_unchanged;
        group.sections = report.sections;
        group.sources.clear();
        group.start = std::chrono::steady_clock::now();
      }
      Result<ImportOutcome> outcome = record(prepared);
      if (group.open && !store_.in_group()) close_group(true);  // SQLite gave the group up
      if (!outcome) {
        report.failures.push_back({prepared.source, outcome.error().message, outcome.code()});
      } else {
        if (group.open) group.sources.push_back(prepared.source);
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
      if (group.open && (group.sources.size() >= kGroup || std::chrono::steady_clock::now() - group.start >= kGroupAge))
        close_group(false);
  };
  // Parts of an instrument (a code published one section per file) wait for the whole batch:
  // recorded as they come, a section dated 1981 read after one dated 2023 would be missing
  // from the 2023 version. Their raw bytes are registered as they come.
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<PreparedDocument>> parts;
  auto record_file = [this, &report, &progress, &done, total, &record_prepared, &parts](PreparedFile& p) {
    if (p.skipped) {
      ++report.skipped;
    } else {
      ++report.files;
      report.bytes += p.bytes;
      if (p.prepared.doc && p.prepared.doc->part) {
        const ParsedDocument& d = *p.prepared.doc;
        if (Status st = store_.register_blob(p.prepared.raw_sha, p.bytes); !st)
          report.failures.push_back({p.prepared.source, p.prepared.source + ": " + st.error().message, st.code()});
        else
          parts[{d.jurisdiction, d.identifier, d.language}].push_back(std::move(p.prepared));
      } else {
        record_prepared(p.prepared);
      }
    }
    if (progress) progress(++done, total, p.prepared.source);
  };
  {
    ImportPipeline::Options pipeline_options;
    pipeline_options.on_idle = [&close_group] { close_group(false); };
    ImportPipeline pipeline(std::move(pipeline_options));
    for (std::size_t i = 0; i < files.size(); ++i) {
      pipeline.submit([this, &options, &record_file, file = files[i], walked = in_folder[i]] {
        auto p = std::make_shared<PreparedFile>(prepare_file(store_, file, walked, options));
        return [p, &record_file] { record_file(*p); };
      });
    }
    pipeline.finish();
  }
  for (auto& [instrument, batch] : parts)
    for (const PreparedDocument& whole : compose_timeline(batch)) record_prepared(whole);
  close_group(false);
  store_.sync();
  return report;
}

}  // namespace hrtrack::corpus

namespace hrtrack::corpus {

struct ImportPipeline::Impl {
  Options options;
  mutable std::mutex mutex;
  std::condition_variable work, ready;  // for the parser threads; for the writer
  // Submitted, not yet taken by a parser thread, with their sequence numbers.
  std::deque<std::pair<std::uint64_t, PrepareStep>> queue;
  // Prepared items by sequence number, until the writer reaches them.
  std::map<std::uint64_t, std::pair<RecordStep, std::exception_ptr>> prepared;
  std::uint64_t submitted = 0, recorded = 0;
  bool closing = false;
  std::exception_ptr first_error;
  std::vector<std::thread> parsers;
  std::thread writer;

  void keep(std::exception_ptr e) {  // with the mutex held
    if (!first_error) first_error = std::move(e);
  }

  void parse_loop() {
    std::unique_lock lock(mutex);
    for (;;) {
      work.wait(lock, [this] {
        return (closing && queue.empty()) ||
               (!queue.empty() && queue.front().first < recorded + static_cast<std::uint64_t>(options.window));
      });
      if (queue.empty()) return;
      const std::uint64_t seq = queue.front().first;
      PrepareStep step = std::move(queue.front().second);
      queue.pop_front();
      lock.unlock();
      RecordStep record;
      std::exception_ptr error;
      try {
        record = step();
      } catch (...) {
        error = std::current_exception();
      }
      step = nullptr;  // free what it held before waiting for the lock
      lock.lock();
      prepared.emplace(seq, std::make_pair(std::move(record), std::move(error)));
      if (seq == recorded) ready.notify_one();
    }
  }

  // Runs on_idle without the lock held; what it throws is kept like a record step's.
  void idle(std::unique_lock<std::mutex>& lock) {
    lock.unlock();
    std::exception_ptr error;
    try {
      options.on_idle();
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error) keep(std::move(error));
  }

  void write_loop() {
    std::unique_lock lock(mutex);
    const auto has_work = [this] { return prepared.count(recorded) > 0 || (closing && recorded == submitted); };
    for (;;) {
      if (options.on_idle && !has_work() && !ready.wait_for(lock, options.idle_after, has_work)) idle(lock);
      ready.wait(lock, has_work);
      const auto it = prepared.find(recorded);
      if (it == prepared.end()) {
        if (options.on_idle) idle(lock);
        return;
      }
      auto [record, error] = std::move(it->second);
      prepared.erase(it);
      lock.unlock();
      if (!error && record) {
        try {
          record();
        } catch (...) {
          error = std::current_exception();
        }
      }
      record = nullptr;
      lock.lock();
      if (error) keep(std::move(error));
      ++recorded;
      work.notify_all();  // the window moved
      if (options.on_recorded) {
        lock.unlock();
        options.on_recorded();
        lock.lock();
      }
    }
  }
};

ImportPipeline::ImportPipeline(Options options) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  if (options.threads <= 0) options.threads = std::clamp(cores, 1, 8);
  if (options.window <= 0) options.window = 4 * options.threads;
  options.window = std::max(options.window, options.threads);
  m.options = std::move(options);
  for (int i = 0; i < m.options.threads; ++i) m.parsers.emplace_back([&m] { m.parse_loop(); });
  m.writer = std::thread([&m] { m.write_loop(); });
}

ImportPipeline::~ImportPipeline() {
  try {
    finish();
  } catch (...) {
    // Destruction during unwinding, or an owner that did not call finish(): dropped.
  }
}

void ImportPipeline::submit(PrepareStep prepare) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->queue.emplace_back(impl_->submitted++, std::move(prepare));
  }
  impl_->work.notify_one();
}

void ImportPipeline::submit_ready(RecordStep record) {
  bool next;
  {
    std::lock_guard lock(impl_->mutex);
    const std::uint64_t seq = impl_->submitted++;
    impl_->prepared.emplace(seq, std::make_pair(std::move(record), std::exception_ptr()));
    next = seq == impl_->recorded;
  }
  if (next) impl_->ready.notify_one();
}

std::size_t ImportPipeline::pending() const {
  std::lock_guard lock(impl_->mutex);
  return static_cast<std::size_t>(impl_->submitted - impl_->recorded);
}

void ImportPipeline::finish() {
  Impl& m = *impl_;
  {
    std::lock_guard lock(m.mutex);
    m.closing = true;
  }
  m.work.notify_all();
  m.ready.notify_all();
  for (auto& t : m.parsers)
    if (t.joinable()) t.join();
  if (m.writer.joinable()) m.writer.join();
  if (m.first_error) std::rethrow_exception(std::exchange(m.first_error, nullptr));
}

}  // namespace hrtrack::corpus
