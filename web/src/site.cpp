// The router: one top-level catch, security headers, ETags, and dispatch to the handlers.
#include "hrtrack/web/site.hpp"

#include <deque>
#include <iostream>
#include <map>
#include <mutex>

#include "embedded.hpp"
#include "handlers.hpp"
#include "hrtrack/base/hash.hpp"

namespace hrtrack::web {
namespace {

// Strict: scripts and styles only from our own embedded files, no inline code, no
// framing, forms only to ourselves.
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string content_type_of(std::string_view name) {
  auto ends = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

// Changes whenever an embedded file does: the assets' ETag.
std::string assets_etag() {
  base::Fnv1a h;
  for (const auto& f : embedded_files()) h.add(f.bytes);
  return "\"a" + std::to_string(h.value()) + "\"";
}

bool etag_matches(const Request& req, const std::string& etag) {
  const std::string inm = req.header("if-none-match");
  return !inm.empty() && (inm == etag || inm.find(etag) != std::string::npos || inm == "*");
}

}  // namespace

struct Site::Impl {
  Config config;
  Pool pool;
  SnapshotCache snapshots;
  Sessions sessions;
  std::string assets_etag = web::assets_etag();
  std::mutex overview_mutex;
  std::string overview_etag, overview_body;
  // Search answers by data revision and query: a Xapian search with facets costs ~10 ms,
  // and the same few queries (a journalist's, a linked one) come back again and again.
  // Anyone can ask for new queries, so the cache is bounded in answers and in bytes (the
  // oldest goes first): at most 512 answers and 16 MB (real ones are 2-15 kB).
  std::mutex search_mutex;
  std::map<std::string, Response> search_cache;
  std::deque<std::string> search_order;
  std::size_t search_bytes = 0;
  static constexpr std::size_t kSearchCacheSize = 512;
  static constexpr std::size_t kSearchCacheBytes = 16 << 20;

  static std::size_t cached_size(const std::string& key, const Response& r) {
    std::size_t n = 2 * key.size() + r.body.size() + r.content_type.size() + 256;  // 256: map and deque nodes
    for (const auto& [k, v] : r.headers) n += k.size() + v.size() + 64;
    return n;
  }

  void remember_search(const std::string& key, const Response& r) {
    std::lock_guard lock(search_mutex);
    if (!search_cache.emplace(key, r).second) return;
    search_order.push_back(key);
    search_bytes += cached_size(key, r);
    while (search_order.size() > kSearchCacheSize || search_bytes > kSearchCacheBytes) {
      const auto it = search_cache.find(search_order.front());
      search_bytes -= cached_size(it->first, it->second);
      search_cache.erase(it);
      search_order.pop_front();
    }
  }

  // The data's ETag, read at most every 100 ms: a catalogue query and a stat of the index's
  // files on every request were a third of a cached page's cost. A write through this site
  // (a review, a sign-in) reads it again on the next request; others show within 100 ms.
  std::mutex etag_mutex;
  std::string etag_value;
  std::chrono::steady_clock::time_point etag_read{};

  std::string data_etag(Handles& h) {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(etag_mutex);
      if (!etag_value.empty() && now - etag_read < std::chrono::milliseconds(100)) return etag_value;
    }
    auto e = current_etag(h, pool.data_dir());
    std::lock_guard lock(etag_mutex);
    etag_value = e;
    etag_read = now;
    return e;
  }

  void data_written() {
    std::lock_guard lock(etag_mutex);
    etag_value.clear();
  }

  explicit Impl(Config c) : config(std::move(c)), pool(config.data_dir), sessions(config) {}

  Response asset(const Request& req, const std::string& name) const {
    // Only names in the embedded table exist: a path like ../../etc/passwd names nothing.
    for (const auto& f : embedded_files()) {
      if (f.name != name || name.ends_with(".html")) continue;
      Response r;
      r.headers.emplace_back("ETag", assets_etag);
      r.headers.emplace_back("Cache-Control", "public, max-age=86400");
      if (etag_matches(req, assets_etag)) {
        r.status = 304;
        r.content_type.clear();
        return r;
      }
      r.content_type = content_type_of(name);
      r.body = std::string(f.bytes);
      return r;
    }
    Response r = text_response("no such asset\n", "text/plain; charset=utf-8", 404);
    return r;
  }

  // The overview is the most visited page and the same for every visitor who is not
  // signed in: rendered once per data revision.
  Response cached_overview(Ctx& c) {
    if (c.session || !c.req.query.empty()) return overview(c);
    {
      std::lock_guard lock(overview_mutex);
      if (overview_etag == c.snap.etag) return html_response(overview_body);
    }
    Response r = overview(c);
    if (r.status == 200) {
      std::lock_guard lock(overview_mutex);
      overview_etag = c.snap.etag;
      overview_body = r.body;
    }
    return r;
  }

  Response dispatch(const Request& req) {
    const auto parts = split_path(req.path);
    if (!parts.empty() && parts[0] == "assets") {
      if (req.method != "GET" && req.method != "HEAD") return text_response("use GET\n", "text/plain", 405);
      return parts.size() == 2 ? asset(req, parts[1]) : text_response("no such asset\n", "text/plain", 404);
    }
    if (req.path == "/favicon.ico") return asset(req, "favicon.svg");
    auto lease = pool.lease();
    const auto snap = snapshots.get(*lease, data_etag(*lease));
    // The snapshot's own: while a newer one is being built, pages come from the older.
    const std::string& etag = snap->etag;
    Ctx c{req, *lease, *snap, config, sessions, sessions.find(req.cookie("hrsid")), pool};
    // Pages are the same for every visitor who is not signed in, until the data changes.
    const bool cacheable = (req.method == "GET" || req.method == "HEAD") && !c.session;
    if (cacheable && etag_matches(req, etag)) {
      Response r;
      r.status = 304;
      r.content_type.clear();
      r.headers.emplace_back("ETag", etag);
      return r;
    }
    const bool search = cacheable && (req.path == "/search" || req.path == "/api/v1/search");
    std::string key;
    if (search) {
      key = etag + req.path;
      for (const auto& [k, v] : req.query) key += "&" + url_component(k) + "=" + url_component(v);
      std::lock_guard lock(search_mutex);
      if (const auto it = search_cache.find(key); it != search_cache.end()) return it->second;
    }
    Response r = web::route(c, parts, [this](Ctx& x) { return cached_overview(x); });
    if (search && r.status == 200) {
      r.headers.emplace_back("ETag", etag);
      r.headers.emplace_back("Cache-Control", "no-cache");
      remember_search(key, r);
      return r;
    }
    if (cacheable && r.status == 200) {
      r.headers.emplace_back("ETag", etag);
      r.headers.emplace_back("Cache-Control", "no-cache");
    } else {
      r.headers.emplace_back("Cache-Control", "no-store");
    }
    return r;
  }
};

Site::Site(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}

void Site::warm_up(const std::atomic<bool>& stop) const {
  try {
    auto lease = impl_->pool.lease();
    const auto snap = impl_->snapshots.get(*lease, current_etag(*lease, impl_->pool.data_dir()));
    for (const auto& j : snap->jurisdictions) {
      if (stop) return;
      (void)timeline(*snap, *lease, j.code);
    }
  } catch (const std::exception& e) {
    // The request that needs it will try again and answer the error.
    std::cerr << "hrtrack serve: preparing the pages: " << e.what() << '\n';
  }
}
Site::~Site() = default;
const Config& Site::config() const { return impl_->config; }

Response Site::handle(const Request& req) const {
  Response r;
  try {
    r = impl_->dispatch(req);
    // What it wrote (a review) shows on the next request.
    if (req.method != "GET" && req.method != "HEAD") impl_->data_written();
  } catch (const std::exception& e) {
    std::cerr << "hrtrack serve: " << req.method << ' ' << req.path << ": internal error: " << e.what() << '\n';
    r = text_response("Internal error: the request could not be answered. It has been logged.\n",
                      "text/plain; charset=utf-8", 500);
  } catch (...) {
    std::cerr << "hrtrack serve: " << req.method << ' ' << req.path << ": internal error (unknown exception)\n";
    r = text_response("Internal error: the request could not be answered. It has been logged.\n",
                      "text/plain; charset=utf-8", 500);
  }
  r.headers.emplace_back("Content-Security-Policy", kCsp);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  return r;
}

}  // namespace hrtrack::web
