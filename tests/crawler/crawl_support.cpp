#include "crawl_support.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace hrtrack::test {

Site::Site() {
  server_.Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
  server_.set_keep_alive_max_count(1000);
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("test server: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

Site::~Site() {
  stopping = true;
  server_.stop();
  thread_.join();
}

void Site::put(const std::string& path, Page page) {
  std::string gz = gzip_of(page.body);
  std::lock_guard<std::mutex> lock(mutex_);
  pages_[path] = std::move(page);
  gzipped_[path] = std::move(gz);
}

namespace {

// A body with a fixed length, so httplib does not compress it again on its own (it would
// pick brotli at its slowest setting); gzip is ours, when the client accepts it.
void send(httplib::Response& res, const std::string& bytes, const std::string& content_type) {
  auto shared = std::make_shared<std::string>(bytes);
  res.set_content_provider(shared->size(), content_type,
                           [shared](size_t offset, size_t length, httplib::DataSink& sink) {
                             return sink.write(shared->data() + offset, length);
                           });
}

}  // namespace

void Site::behave(const std::string& path, Behaviour b) {
  std::lock_guard<std::mutex> lock(mutex_);
  behaviours_[path] = std::move(b);
}

void Site::robots(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  robots_ = text;
}

int Site::hits(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = hits_.find(path);
  return it == hits_.end() ? 0 : it->second;
}

std::vector<std::string> Site::user_agents() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return agents_;
}

std::vector<long long> Site::arrivals(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = arrivals_.find(path);
  return it == arrivals_.end() ? std::vector<long long>{} : it->second;
}

void Site::handle(const httplib::Request& req, httplib::Response& res) {
  const int now_in = ++in_flight_;
  for (int seen = max_in_flight_; now_in > seen && !max_in_flight_.compare_exchange_weak(seen, now_in);) {}
  struct Leave {
    std::atomic<int>& n;
    ~Leave() { --n; }
  } leave{in_flight_};
  if (slow_ms_) std::this_thread::sleep_for(std::chrono::milliseconds(slow_ms_.load()));
  int hit = 0;
  Behaviour behaviour;
  Page page;
  std::string gz;
  bool found = false;
  std::string robots;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    hit = ++hits_[req.path];
    arrivals_[req.path].push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::steady_clock::now().time_since_epoch()).count());
    agents_.push_back(req.get_header_value("User-Agent"));
    if (auto b = behaviours_.find(req.path); b != behaviours_.end()) behaviour = b->second;
    if (auto p = pages_.find(req.path); p != pages_.end()) page = p->second, gz = gzipped_[req.path], found = true;
    robots = robots_;
  }
  if (behaviour && behaviour(req, res, hit)) return;
  if (req.path == "/robots.txt") {
    if (robots.empty()) res.status = 404;
    else send(res, robots, "text/plain");
    return;
  }
  if (!found) {
    res.status = 404;
    return;
  }
  if (!page.etag.empty()) res.set_header("ETag", page.etag);
  if (!page.last_modified.empty()) res.set_header("Last-Modified", page.last_modified);
  const bool etag_match = !page.etag.empty() && req.get_header_value("If-None-Match") == page.etag;
  const bool date_match = !page.last_modified.empty() && req.get_header_value("If-Modified-Since") == page.last_modified;
  if (etag_match || (page.etag.empty() && date_match)) {
    res.status = 304;
    ++not_modified_;
    return;
  }
  if (req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos) {
    res.set_header("Content-Encoding", "gzip");
    send(res, gz, page.content_type);
  } else {
    send(res, page.body, page.content_type);
  }
  ++bodies_;
}

ResetServer::ResetServer() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0)
    throw std::runtime_error("reset server: cannot listen");
  socklen_t len = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] {
    while (!stop_) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      ++accepted_;
      linger l{1, 0};  // close with RST, not FIN: a "connection reset by peer"
      ::setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      ::close(c);
    }
  });
}

ResetServer::~ResetServer() {
  stop_ = true;
  ::shutdown(fd_, SHUT_RDWR);
  ::close(fd_);
  thread_.join();
}

namespace {

struct WriterDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t append(archive*, void* out, const void* data, size_t n) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), n);
  return static_cast<la_ssize_t>(n);
}

std::string write_archive(archive* a, const std::vector<std::pair<std::string, std::string>>& entries,
                          bool with_size) {
  std::string out;
  archive_write_set_bytes_in_last_block(a, 1);
  if (archive_write_open(a, &out, nullptr, append, nullptr) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(a));
  for (const auto& [name, bytes] : entries) {
    std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    if (with_size) archive_entry_set_size(e.get(), static_cast<la_int64_t>(bytes.size()));
    if (archive_write_header(a, e.get()) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(a));
    for (std::size_t at = 0; at < bytes.size(); at += 1 << 20)
      archive_write_data(a, bytes.data() + at, std::min<std::size_t>(1 << 20, bytes.size() - at));
  }
  archive_write_close(a);
  return out;
}

}  // namespace

std::string gzip_of(const std::string& data) {
  std::unique_ptr<archive, WriterDeleter> a(archive_write_new());
  archive_write_add_filter_gzip(a.get());
  archive_write_set_format_raw(a.get());
  return write_archive(a.get(), {{"body", data}}, true);
}

std::string gzip_bomb(std::size_t zeros) {
  std::unique_ptr<archive, WriterDeleter> a(archive_write_new());
  archive_write_add_filter_gzip(a.get());
  archive_write_set_filter_option(a.get(), "gzip", "compression-level", "1");  // fast: zeros pack anyway
  archive_write_set_format_raw(a.get());
  std::string out;
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open(a.get(), &out, nullptr, append, nullptr) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(a.get()));
  std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
  archive_entry_set_pathname(e.get(), "body");
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(zeros));
  if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(a.get()));
  const std::string block(1 << 20, '\0');
  for (std::size_t left = zeros; left > 0;) {
    const std::size_t n = std::min(left, block.size());
    archive_write_data(a.get(), block.data(), n);
    left -= n;
  }
  archive_write_close(a.get());
  return out;
}

std::string zip_of(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::unique_ptr<archive, WriterDeleter> a(archive_write_new());
  archive_write_set_format_zip(a.get());
  return write_archive(a.get(), entries, false);
}

crawler::Config test_config() {
  crawler::Config c;
  c.contact_url = "https://example.org/hrtrack-tests";
  c.min_delay = std::chrono::milliseconds(0);
  c.connect_timeout = std::chrono::milliseconds(1000);
  c.source_budget = std::chrono::milliseconds(5000);
  c.min_bytes_per_second = 1000;
  c.rate_window = std::chrono::milliseconds(1000);
  c.retries = 2;
  c.backoff_base = std::chrono::milliseconds(20);
  c.backoff_max = std::chrono::milliseconds(100);
  return c;
}

std::vector<std::string> versions_of(const corpus::Store& store) {
  std::vector<std::string> out;
  for (const auto& in : store.instruments())
    for (const auto& v : store.versions(in.id))
      out.push_back(std::to_string(in.id) + "/" + std::to_string(v.id) + "/" + v.text_sha256);
  std::sort(out.begin(), out.end());
  return out;
}

bool only_additions(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  return std::includes(after.begin(), after.end(), before.begin(), before.end());
}

crawler::Source source_at(const std::string& id, const std::string& url, const std::string& format,
                          const std::string& language, const std::string& mirror, const std::string& jurisdiction) {
  crawler::Source s;
  s.id = id;
  s.url = url;
  s.format = format;
  s.language = language;
  s.mirror = mirror;
  s.jurisdiction = jurisdiction;
  return s;
}

crawler::Registry registry_of(std::vector<crawler::Source> sources) {
  crawler::Registry r;
  for (const auto& s : sources)
    if (std::none_of(r.jurisdictions.begin(), r.jurisdictions.end(),
                     [&](const corpus::Jurisdiction& j) { return j.code == s.jurisdiction; }))
      r.jurisdictions.push_back({s.jurisdiction, s.jurisdiction, {s.language}});
  r.sources = std::move(sources);
  return r;
}

const crawler::SourceResult& result_of(const crawler::CrawlReport& r, const std::string& source_id) {
  for (const auto& x : r.results)
    if (x.source_id == source_id) return x;
  throw std::runtime_error("no result for " + source_id);
}

std::string counts_of(const corpus::Store::Totals& t) {
  return "instruments " + std::to_string(t.instruments) + ", versions " + std::to_string(t.versions) + ", sections " +
         std::to_string(t.sections);
}

}  // namespace hrtrack::test
