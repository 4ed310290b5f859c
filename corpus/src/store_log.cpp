// The Store's logs: the crawler's fetches, and the records and events other modules keep
// (answers, reviews, timelines, status changes).
#include "hrtrack/corpus/store.hpp"

#include "store_impl.hpp"

namespace hrtrack::corpus {
using namespace store_detail;  // NOLINT(google-build-using-namespace): the Store's own helpers

Status Store::record_fetch(const FetchRecord& f) {
  try {
    // Cached: a crawl records thousands of fetches, and preparing each cost more than the insert.
    auto q = impl_->cached("INSERT INTO fetch(source_id, url, time, http_status, bytes, seconds, etag, "
                           "last_modified, sha256, outcome, error, parsers) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    sql::Stmt& s = *q;
    s.bind(1, f.source_id).bind(2, f.url).bind(3, f.time.empty() ? now_utc() : f.time)
        .bind(4, f.http_status).bind(5, static_cast<std::int64_t>(f.bytes));
    s.bind_real(6, f.seconds).bind(7, f.etag).bind(8, f.last_modified).bind(9, f.sha256)
        .bind(10, f.outcome).bind(11, f.error).bind(12, f.parsers).run();
  } catch (const sql::Failure& e) {
    return e.error("catalogue: ");
  }
  return {};
}

namespace {
constexpr const char* kFetchCols =
    "source_id, url, time, http_status, bytes, seconds, etag, last_modified, sha256, outcome, error, parsers";
FetchRecord read_fetch(const sql::Stmt& q) {
  FetchRecord f;
  f.source_id = q.text(0);
  f.url = q.text(1);
  f.time = q.text(2);
  f.http_status = static_cast<int>(q.integer(3));
  f.bytes = q.integer(4);
  f.seconds = q.real(5);
  f.etag = q.text(6);
  f.last_modified = q.text(7);
  f.sha256 = q.text(8);
  f.outcome = q.text(9);
  f.error = q.text(10);
  f.parsers = static_cast<int>(q.integer(11));
  return f;
}
}  // namespace

std::optional<FetchRecord> Store::Impl::newest_fetch(const char* sql_text, std::string_view url) {
  auto q = cached(sql_text);
  q->bind(1, url);
  if (!q->step()) return std::nullopt;
  return read_fetch(*q);
}

std::optional<FetchRecord> Store::last_good_fetch(std::string_view url) const {
  // Cached: a crawl asks once per source.
  static const std::string sql = std::string("SELECT ") + kFetchCols +
                                 " FROM fetch WHERE url = ? AND http_status IN (200, 304) "
                                 "AND outcome != 'failed' ORDER BY id DESC LIMIT 1";
  return impl_->newest_fetch(sql.c_str(), url);
}

std::optional<FetchRecord> Store::last_body_fetch(std::string_view url) const {
  static const std::string sql = std::string("SELECT ") + kFetchCols +
                                 " FROM fetch WHERE url = ? AND http_status = 200 "
                                 "AND outcome != 'failed' ORDER BY id DESC LIMIT 1";
  return impl_->newest_fetch(sql.c_str(), url);
}

std::vector<FetchRecord> Store::fetches(int limit) const {
  sql::Stmt q(impl_->db.get(), std::string("SELECT ") + kFetchCols + " FROM fetch ORDER BY id DESC LIMIT ?");
  q.bind(1, limit);
  std::vector<FetchRecord> out;
  while (q.step()) out.push_back(read_fetch(q));
  return out;
}

Status Store::put_record(std::string_view kind, std::string_view key, std::string_view json) {
  try {
    sql::Stmt s(impl_->db.get(),
                "INSERT INTO record(kind, key, json, updated_at) VALUES (?,?,?,?) ON CONFLICT(kind, key) "
                "DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at");
    s.bind(1, kind).bind(2, key).bind(3, json).bind(4, now_utc()).run();
    impl_->bump_revision();
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
  return {};
}

std::optional<Record> Store::record(std::string_view kind, std::string_view key) const {
  sql::Stmt q(impl_->db.get(), "SELECT kind, key, json, updated_at FROM record WHERE kind = ? AND key = ?");
  q.bind(1, kind).bind(2, key);
  if (!q.step()) return std::nullopt;
  return Record{q.text(0), q.text(1), q.text(2), q.text(3)};
}

std::vector<Record> Store::records(std::string_view kind, std::string_view key_prefix) const {
  // key >= prefix AND key < prefix + U+10FFFF: a range scan on the primary key.
  sql::Stmt q(impl_->db.get(),
              "SELECT kind, key, json, updated_at FROM record WHERE kind = ?1 AND key >= ?2 "
              "AND key < ?2 || char(1114111) ORDER BY key");
  q.bind(1, kind).bind(2, key_prefix);
  std::vector<Record> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3)});
  return out;
}

Status Store::delete_records(std::string_view kind, std::string_view key_prefix) {
  try {
    sql::Stmt q(impl_->db.get(),
                "DELETE FROM record WHERE kind = ?1 AND key >= ?2 AND key < ?2 || char(1114111)");
    q.bind(1, kind).bind(2, key_prefix).run();
    impl_->bump_revision();
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
  return {};
}

Result<std::int64_t> Store::append_event(std::string_view kind, std::string_view key,
                                         std::string_view json) {
  try {
    sql::Stmt s(impl_->db.get(), "INSERT INTO event(time, kind, key, json) VALUES (?,?,?,?)");
    s.bind(1, now_utc()).bind(2, kind).bind(3, key).bind(4, json).run();
    const std::int64_t id = sqlite3_last_insert_rowid(impl_->db.get());
    impl_->bump_revision();
    return id;
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
}

std::vector<Event> Store::events(std::string_view kind, std::int64_t after_id, int limit) const {
  sql::Stmt q(impl_->db.get(),
              "SELECT id, time, kind, key, json FROM event WHERE (?1 = '' OR kind = ?1) AND id > ?2 "
              "ORDER BY id DESC LIMIT ?3");
  q.bind(1, kind).bind(2, after_id).bind(3, limit);
  std::vector<Event> out;
  while (q.step()) out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4)});
  return out;
}

}  // namespace hrtrack::corpus
