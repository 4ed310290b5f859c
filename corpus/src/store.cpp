#include "hrtrack/corpus/store.hpp"

#include <openssl/evp.h>

#include <array>

#include "store_impl.hpp"

namespace hrtrack::corpus {
using namespace store_detail;  // NOLINT(google-build-using-namespace): the Store's own helpers
namespace {

// Numbered schema migrations: migrations[i] takes the schema from version i to i + 1.
// Never edit a released migration; append a new one.
const std::array<const char*, 7> kMigrations = {R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta VALUES ('revision', 0);
CREATE TABLE jurisdiction(
  code TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', languages TEXT NOT NULL DEFAULT '');
CREATE TABLE instrument(
  id INTEGER PRIMARY KEY,
  jurisdiction TEXT NOT NULL REFERENCES jurisdiction(code),
  identifier TEXT NOT NULL,
  type TEXT NOT NULL,
  UNIQUE(jurisdiction, identifier));
CREATE TABLE instrument_title(
  instrument_id INTEGER NOT NULL REFERENCES instrument(id) ON DELETE CASCADE,
  language TEXT NOT NULL, title TEXT NOT NULL,
  PRIMARY KEY(instrument_id, language));
CREATE TABLE instrument_alias(
  instrument_id INTEGER NOT NULL REFERENCES instrument(id) ON DELETE CASCADE,
  alias TEXT NOT NULL, alias_lower TEXT NOT NULL,
  PRIMARY KEY(instrument_id, alias));
CREATE INDEX instrument_alias_lower ON instrument_alias(alias_lower);
CREATE TABLE blob(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, stored_at TEXT NOT NULL);
CREATE TABLE version(
  id INTEGER PRIMARY KEY,
  instrument_id INTEGER NOT NULL REFERENCES instrument(id),
  language TEXT NOT NULL,
  date TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blob(sha256),
  text_sha256 TEXT NOT NULL,
  source TEXT NOT NULL,
  format TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  section_count INTEGER NOT NULL,
  previous_id INTEGER REFERENCES version(id),
  added INTEGER NOT NULL DEFAULT 0, removed INTEGER NOT NULL DEFAULT 0,
  changed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX version_by_instrument ON version(instrument_id, language, date, id);
CREATE TABLE section(
  id INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES version(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  number TEXT NOT NULL, label TEXT NOT NULL, heading TEXT NOT NULL, text TEXT NOT NULL,
  path TEXT NOT NULL, in_force TEXT NOT NULL, in_force_date TEXT NOT NULL,
  notes TEXT NOT NULL);
CREATE INDEX section_by_version ON section(version_id, number);
CREATE TABLE citation(
  id INTEGER PRIMARY KEY,
  section_id INTEGER NOT NULL REFERENCES section(id) ON DELETE CASCADE,
  kind TEXT NOT NULL, raw TEXT NOT NULL,
  target_instrument TEXT NOT NULL, target_section TEXT NOT NULL);
CREATE INDEX citation_by_section ON citation(section_id);
CREATE INDEX citation_by_target ON citation(target_section);
CREATE TABLE section_change(
  version_id INTEGER NOT NULL REFERENCES version(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  kind TEXT NOT NULL, number TEXT NOT NULL, heading TEXT NOT NULL, words TEXT NOT NULL,
  PRIMARY KEY(version_id, ordinal));
)sql", R"sql(
CREATE TABLE fetch(
  id INTEGER PRIMARY KEY,
  source_id TEXT NOT NULL, url TEXT NOT NULL, time TEXT NOT NULL,
  http_status INTEGER NOT NULL, bytes INTEGER NOT NULL, seconds REAL NOT NULL,
  etag TEXT NOT NULL, last_modified TEXT NOT NULL, sha256 TEXT NOT NULL,
  outcome TEXT NOT NULL, error TEXT NOT NULL);
CREATE INDEX fetch_by_url ON fetch(url, id);
)sql", R"sql(
CREATE TABLE record(
  kind TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY(kind, key));
CREATE TABLE event(
  id INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
  json TEXT NOT NULL);
CREATE INDEX event_by_kind ON event(kind, id);
)sql", R"sql(
ALTER TABLE fetch ADD COLUMN parsers INTEGER NOT NULL DEFAULT 0;
)sql", R"sql(
ALTER TABLE version ADD COLUMN date_source TEXT NOT NULL DEFAULT '';
)sql", R"sql(
ALTER TABLE version ADD COLUMN derived INTEGER NOT NULL DEFAULT 0;
CREATE TABLE version_amends(
  version_id INTEGER NOT NULL REFERENCES version(id) ON DELETE CASCADE,
  target TEXT NOT NULL, target_lower TEXT NOT NULL,
  PRIMARY KEY(version_id, target));
CREATE INDEX version_amends_by_target ON version_amends(target_lower);
)sql", R"sql(
ALTER TABLE version ADD COLUMN source_commit TEXT NOT NULL DEFAULT '';
)sql"};

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md.data(), &len, EVP_sha256(), nullptr);
  return to_hex(md.data(), len);
}

std::string_view to_string(SectionChange::Kind k) {
  switch (k) {
    case SectionChange::Kind::added: return "added";
    case SectionChange::Kind::removed: return "removed";
    case SectionChange::Kind::changed: break;
  }
  return "changed";
}

std::string_view to_string(ImportOutcome::Kind k) {
  switch (k) {
    case ImportOutcome::Kind::new_instrument: return "new-instrument";
    case ImportOutcome::Kind::new_version: return "new-version";
    case ImportOutcome::Kind::unchanged: break;
  }
  return "unchanged";
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;
const fs::path& Store::dir() const { return impl_->dir; }
int Store::schema_version() const { return impl_->schema; }
bool Store::read_only() const { return impl_->read_only; }

namespace {

// Without write access a catalogue in WAL mode can be read where SQLite's -shm file exists
// (a writer has the catalogue open); elsewhere it is opened immutable, as it is on disk (a
// writer that starts later is not seen until the catalogue is opened again).
Result<sql::Db> open_read_only(const fs::path& file) {
  std::string uri = "file:";
  for (const unsigned char c : file.string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      char esc[4];
      std::snprintf(esc, sizeof esc, "%%%02X", c);
      uri += esc;
    }
  }
  uri += "?immutable=1";
  std::string why;
  for (const bool immutable : {false, true}) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(immutable ? uri.c_str() : file.c_str(), &raw,
                                   SQLITE_OPEN_READONLY | (immutable ? SQLITE_OPEN_URI : 0), nullptr);
    sql::Db db(raw);
    if (rc != SQLITE_OK) {
      why = raw ? sqlite3_errmsg(raw) : "out of memory";
      continue;
    }
    try {
      sql::Stmt probe(db.get(), "PRAGMA user_version");
      probe.step();
      return db;
    } catch (const sql::Failure& f) {
      why = f.message;
    }
  }
  return Error{Code::kIOError, file.string() + ": cannot read the catalogue: " + why};
}

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const fs::path& data_dir) { return open(data_dir, base::Env::posix()); }

Result<std::unique_ptr<Store>> Store::open(const fs::path& data_dir, base::Env& env) {
  std::error_code ec;
  const fs::path file = data_dir / "catalogue.sqlite3";
  // A catalogue this process may not write (a read-only mount, or permissions; SQLite also
  // writes beside it, in the folder) is read as it is.
  const bool read_only = fs::exists(file, ec) && (::access(file.c_str(), W_OK) != 0 || ::access(data_dir.c_str(), W_OK) != 0);
  if (!read_only) fs::create_directories(data_dir / "blobs", ec);
  if (ec) return Error{Code::kIOError, data_dir.string() + ": cannot create the data folder: " + ec.message()};
  sql::Db db;
  if (read_only) {
    auto ro = open_read_only(file);
    if (!ro) return ro.error();
    db = std::move(ro.value());
  } else {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db.reset(raw);
    if (rc != SQLITE_OK)
      return Error{Code::kIOError, file.string() + ": cannot open the catalogue: " + (raw ? sqlite3_errmsg(raw) : "out of memory")};
  }
  auto impl = std::make_unique<Impl>();
  impl->dir = data_dir;
  impl->env = &env;
  impl->read_only = read_only;
  try {
    sqlite3_busy_timeout(db.get(), 5000);
    if (read_only) {
      sql::exec(db.get(), "PRAGMA foreign_keys = ON;");
      sql::Stmt v(db.get(), "PRAGMA user_version");
      v.step();
      impl->schema = static_cast<int>(v.integer(0));
      if (impl->schema != static_cast<int>(kMigrations.size()))
        return Error{Code::kReadOnly, file.string() + ": catalogue schema " + std::to_string(impl->schema) + ", this hrtrack reads " +
                     std::to_string(kMigrations.size()) + ", and the folder is read-only: open it once with write access"};
      impl->db = std::move(db);
      return std::unique_ptr<Store>(new Store(std::move(impl)));
    }
    // WAL with synchronous=NORMAL: a commit is atomic against a kill without an fsync;
    // checkpoints (which do fsync) run every ~80 MB of WAL rather than every 4 MB, so a
    // bulk import is not dominated by fsyncs. Store::sync() checkpoints at the end.
    // Two processes opening a new folder at once both get here: switching a new file to WAL
    // can be refused as busy without SQLite's busy handler being asked, so it is retried.
    for (int tries = 0;; ++tries) {
      try {
        sql::exec(db.get(), "PRAGMA journal_mode = WAL");
        break;
      } catch (const sql::Failure& f) {
        if ((f.code & 0xFF) != SQLITE_BUSY || tries >= 500) throw;
        sqlite3_sleep(10);
      }
    }
    sql::exec(db.get(), "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 20000;");
    const auto schema = [&db] {
      sql::Stmt v(db.get(), "PRAGMA user_version");
      v.step();
      return static_cast<int>(v.integer(0));
    };
    int version = schema();
    // Each migration reads the schema version again under the write lock: another process
    // may have migrated meanwhile (it then waited for it, rather than failing on a table
    // that exists or on a read snapshot it could not upgrade).
    while (version < static_cast<int>(kMigrations.size())) {
      sql::Transaction tx(db.get());
      version = schema();
      if (version < static_cast<int>(kMigrations.size())) {
        sql::exec(db.get(), kMigrations[static_cast<std::size_t>(version)]);
        sql::exec(db.get(), ("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
        ++version;
      }
      tx.commit();
    }
    if (version > static_cast<int>(kMigrations.size()))
      return Error{Code::kCorruption, file.string() + ": catalogue schema " + std::to_string(version) +
                   " is newer than this hrtrack understands (" +
                   std::to_string(kMigrations.size()) + "); upgrade hrtrack"};
    impl->schema = version;
  } catch (const sql::Failure& f) {
    return f.error(file.string() + ": ");
  }
  impl->db = std::move(db);
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Status Store::put_jurisdiction(const Jurisdiction& j) {
  try {
    std::string langs;
    for (const auto& l : j.languages) langs += (langs.empty() ? "" : ",") + l;
    sql::Stmt s(impl_->db.get(),
                "INSERT INTO jurisdiction(code, name, languages) VALUES (?,?,?) ON CONFLICT(code) "
                "DO UPDATE SET name = excluded.name, languages = excluded.languages");
    s.bind(1, j.code).bind(2, j.name).bind(3, langs).run();
    impl_->bump_revision();
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
  return {};
}

std::vector<Jurisdiction> Store::jurisdictions() const {
  sql::Stmt q(impl_->db.get(), "SELECT code, name, languages FROM jurisdiction ORDER BY code");
  std::vector<Jurisdiction> out;
  while (q.step()) {
    Jurisdiction j{q.text(0), q.text(1), {}};
    if (auto l = q.text(2); !l.empty()) j.languages = split(l, ',');
    out.push_back(std::move(j));
  }
  return out;
}

Result<ImportOutcome> Store::Impl::record_version(const ParsedDocument& given, std::string_view raw_sha256,
                                                  std::string_view source, std::string_view text_sha256,
                                                  bool derived, std::string_view source_commit) {
  if (given.jurisdiction.empty())
    return Error{std::string(source) + ": no jurisdiction (give --jurisdiction)"};
  // A part is recorded as the whole instrument it belongs to, at the part's date.
  ParsedDocument composed;
  std::vector<ParsedSection> replaced;
  if (given.part) {
    try {
      composed = compose(given, replaced);
    } catch (const sql::Failure& f) {
      return f.error(std::string(source) + ": catalogue: ");
    }
    text_sha256 = {};  // the caller hashed the part, not the whole
  }
  const ParsedDocument& doc = given.part ? composed : given;
  ImportOutcome out;
  out.jurisdiction = doc.jurisdiction;
  out.identifier = doc.identifier;
  out.language = doc.language;
  out.date = doc.date;
  out.sections = static_cast<int>(doc.sections.size());
  try {
    sql::Transaction tx(db.get());
    bool created = false;
    out.instrument_id = ensure_instrument(doc, created);
    {
      std::error_code ec;
      const auto size = fs::file_size(dir / "blobs" / std::string(raw_sha256.substr(0, 2)) /
                                          std::string(raw_sha256.substr(2)), ec);
      auto blob = cached("INSERT OR IGNORE INTO blob(sha256, size, stored_at) VALUES (?, ?, ?)");
      blob->bind(1, raw_sha256).bind(2, static_cast<std::int64_t>(ec ? 0 : size)).bind(3, now_utc()).run();
    }
    const std::string text_sha =
        text_sha256.empty() ? normalized_text_sha256(doc) : std::string(text_sha256);
    const auto previous = neighbour(out.instrument_id, doc.language, doc.date, true);
    if (given.part && previous && !previous->derived && previous->date == doc.date &&
        previous->text_sha256 != text_sha) {
      // Another file of the same edition of the code: the version of that date is completed
      // in place, not followed by a second version of the same date.
      rewrite_sections(previous->id, doc, text_sha);
      rediff(previous->id);
      carry_forward(given, replaced, out.instrument_id, previous->id, true);
      if (!derived) record_amends(previous->id, doc);
      out.kind = ImportOutcome::Kind::new_version;
      out.version_id = previous->id;
      bump_revision();
      tx.commit();
      return out;
    }
    if (previous && previous->text_sha256 == text_sha) {
      out.kind = ImportOutcome::Kind::unchanged;
      out.version_id = previous->id;
      if (!derived) record_amends(out.version_id, doc);
      tx.commit();  // titles and aliases may still have been learnt
      return out;
    }
    out.kind = created ? ImportOutcome::Kind::new_instrument : ImportOutcome::Kind::new_version;
    const auto next = neighbour(out.instrument_id, doc.language, doc.date, false);

    auto v = cached("INSERT INTO version(instrument_id, language, date, sha256, text_sha256, source, "
                           "format, imported_at, section_count, previous_id, date_source, derived, "
                           "source_commit) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    v->bind(1, out.instrument_id).bind(2, doc.language).bind(3, doc.date).bind(4, raw_sha256)
        .bind(5, text_sha).bind(6, source).bind(7, to_string(doc.format)).bind(8, now_utc())
        .bind(9, out.sections)
        .bind(10, previous ? std::optional<std::int64_t>(previous->id) : std::nullopt)
        .bind(11, doc.date_source).bind(12, derived ? 1 : 0).bind(13, source_commit).run();
    out.version_id = sqlite3_last_insert_rowid(db.get());
    insert_sections(out.version_id, doc);
    if (!derived) record_amends(out.version_id, doc);

    // Keyed sections are needed only for a diff; a first version has none to compute.
    std::vector<Keyed> mine;
    if (previous || next)
      mine = keyed(doc.sections, [](const ParsedSection& s) -> const ParsedSection& { return s; });
    const auto body = [](const Section& s) -> const ParsedSection& { return s.body; };
    if (previous) {
      const auto changes = diff_sections(keyed(load_sections(previous->id), body), mine);
      store_changes(out.version_id, changes);
      for (const auto& c : changes)
        (c.kind == SectionChange::Kind::added     ? out.added
         : c.kind == SectionChange::Kind::removed ? out.removed
                                                  : out.changed)++;
    } else {
      // The first version: every section is new.
      std::vector<SectionChange> all;
      for (const auto& s : doc.sections) all.push_back({SectionChange::Kind::added, s.number, s.heading, {}});
      store_changes(out.version_id, all);
      out.added = static_cast<int>(all.size());
    }
    if (next) {
      // The new version slots in before `next`: re-base next's diff on it.
      store_changes(next->id, diff_sections(mine, keyed(load_sections(next->id), body)));
      auto p = cached("UPDATE version SET previous_id = ? WHERE id = ?");
      p->bind(1, out.version_id).bind(2, next->id).run();
      if (given.part) carry_forward(given, replaced, out.instrument_id, out.version_id);
    }
    bump_revision();
    tx.commit();
  } catch (const sql::Failure& f) {
    Error e = f.error(std::string(source) + ": catalogue: ");
    if (e.code == Code::kBusy) e.message += " (another hrtrack is writing; try again)";
    return e;
  }
  return out;
}

Result<ImportOutcome> Store::record(const ParsedDocument& given, std::string_view raw_sha256,
                                    std::string_view source, std::string_view text_sha256,
                                    std::string_view source_commit) {
  try {
    sql::Transaction tx(impl_->db.get());
    auto out = impl_->record_version(given, raw_sha256, source, text_sha256, false, source_commit);
    if (!out) return out;  // rolled back already
    // An amending document amends what it names; a document of an amended instrument is a
    // new base for the amendments already held. Either way the derived versions follow.
    impl_->consolidate_around(given, *out);
    tx.commit();
    return out;
  } catch (const sql::Failure& f) {
    Error e = f.error(std::string(source) + ": catalogue: ");
    if (e.code == Code::kBusy) e.message += " (another hrtrack is writing; try again)";
    return e;
  }
}

namespace {
Instrument read_instrument(sqlite3* db, sql::Stmt& q) {
  Instrument in;
  in.id = q.integer(0);
  in.jurisdiction = q.text(1);
  in.identifier = q.text(2);
  in.type = instrument_type_from(q.text(3));
  sql::Stmt t(db, "SELECT language, title FROM instrument_title WHERE instrument_id = ? ORDER BY language");
  t.bind(1, in.id);
  while (t.step()) in.titles.emplace_back(t.text(0), t.text(1));
  sql::Stmt a(db, "SELECT alias FROM instrument_alias WHERE instrument_id = ? ORDER BY alias");
  a.bind(1, in.id);
  while (a.step())
    if (auto s = a.text(0); s != in.identifier) in.aliases.push_back(s);
  return in;
}
}  // namespace

std::vector<Instrument> Store::instruments(std::string_view jurisdiction) const {
  sql::Stmt q(impl_->db.get(),
              "SELECT id, jurisdiction, identifier, type FROM instrument "
              "WHERE ?1 = '' OR jurisdiction = ?1 ORDER BY jurisdiction, identifier");
  q.bind(1, jurisdiction);
  std::vector<Instrument> out;
  while (q.step()) out.push_back(read_instrument(impl_->db.get(), q));
  return out;
}

std::optional<Instrument> Store::instrument(std::int64_t id) const {
  sql::Stmt q(impl_->db.get(), "SELECT id, jurisdiction, identifier, type FROM instrument WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_instrument(impl_->db.get(), q);
}

std::optional<Instrument> Store::find_instrument(std::string_view name) const {
  sql::Stmt q(impl_->db.get(),
              "SELECT i.id, i.jurisdiction, i.identifier, i.type FROM instrument i "
              "JOIN instrument_alias a ON a.instrument_id = i.id "
              "WHERE a.alias = ?1 OR a.alias_lower = ?2 "
              "ORDER BY (i.identifier = ?1) DESC, (a.alias = ?1) DESC, i.id LIMIT 1");
  q.bind(1, name).bind(2, ascii_lower(name));
  if (!q.step()) return std::nullopt;
  return read_instrument(impl_->db.get(), q);
}

std::vector<Version> Store::versions(std::int64_t instrument_id, std::string_view language) const {
  sql::Stmt q(impl_->db.get(), std::string("SELECT ") + Impl::kVersionCols +
                                   " FROM version WHERE instrument_id = ?1 AND (?2 = '' OR "
                                   "language = ?2) ORDER BY date, id");
  q.bind(1, instrument_id).bind(2, language);
  std::vector<Version> out;
  while (q.step()) out.push_back(impl_->read_version(q));
  return out;
}

std::optional<Version> Store::version(std::int64_t version_id) const {
  sql::Stmt q(impl_->db.get(), std::string("SELECT ") + Impl::kVersionCols + " FROM version WHERE id = ?");
  q.bind(1, version_id);
  if (!q.step()) return std::nullopt;
  return impl_->read_version(q);
}

std::optional<Version> Store::version_as_of(std::int64_t instrument_id, std::string_view language,
                                            std::string_view as_of) const {
  return impl_->neighbour(instrument_id, language, as_of.empty() ? "9999-12-31" : as_of, true);
}

std::vector<Section> Store::sections(std::int64_t version_id) const {
  return impl_->load_sections(version_id);
}

std::optional<Section> Store::section(std::int64_t version_id, std::string_view number) const {
  const std::string n = normalize_section_number(number);
  for (auto& s : impl_->load_sections(version_id))
    if (s.body.number == n) return s;
  return std::nullopt;
}

std::vector<SectionChange> Store::changes(std::int64_t version_id) const {
  sql::Stmt q(impl_->db.get(),
              "SELECT kind, number, heading, words FROM section_change WHERE version_id = ? "
              "ORDER BY ordinal");
  q.bind(1, version_id);
  std::vector<SectionChange> out;
  while (q.step()) {
    SectionChange c;
    const std::string kind = q.text(0);
    c.kind = kind == "added" ? SectionChange::Kind::added
             : kind == "removed" ? SectionChange::Kind::removed
                                 : SectionChange::Kind::changed;
    c.number = q.text(1);
    c.heading = q.text(2);
    c.words = decode(q.text(3));
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<SectionChange> Store::diff(std::int64_t from_version, std::int64_t to_version) const {
  const auto body = [](const Section& s) -> const ParsedSection& { return s.body; };
  return diff_sections(keyed(impl_->load_sections(from_version), body),
                       keyed(impl_->load_sections(to_version), body));
}

namespace {
// Resolves a citation's named target to an instrument: the same one when unnamed, else an
// alias in the same jurisdiction, else an alias anywhere.
std::optional<std::int64_t> resolve(sqlite3* db, std::int64_t from_instrument,
                                    const std::string& jurisdiction, const std::string& name) {
  if (name.empty()) return from_instrument;
  sql::Stmt q(db,
              "SELECT i.id FROM instrument_alias a JOIN instrument i ON i.id = a.instrument_id "
              "WHERE a.alias_lower = ? ORDER BY (i.jurisdiction = ?) DESC, i.id LIMIT 1");
  q.bind(1, ascii_lower(name)).bind(2, jurisdiction);
  if (!q.step()) return std::nullopt;
  return q.integer(0);
}
}  // namespace

std::vector<std::string> Store::amends(std::int64_t instrument_id) const {
  sql::Stmt q(impl_->db.get(),
              "SELECT DISTINCT va.target, (SELECT x.identifier FROM instrument_alias al JOIN instrument x "
              "ON x.id = al.instrument_id WHERE al.alias_lower = va.target_lower AND x.jurisdiction = i.jurisdiction "
              "ORDER BY x.id LIMIT 1) FROM version_amends va JOIN version v ON v.id = va.version_id "
              "JOIN instrument i ON i.id = v.instrument_id WHERE v.instrument_id = ? ORDER BY va.target");
  q.bind(1, instrument_id);
  std::vector<std::string> out;
  while (q.step()) {
    std::string name = q.is_null(1) ? q.text(0) : q.text(1);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  return out;
}

std::vector<StoredCitation> Store::citations_from(std::int64_t version_id, std::string_view number) const {
  sqlite3* db = impl_->db.get();
  sql::Stmt q(db,
              "SELECT i.identifier, s.number, c.kind, c.raw, c.target_instrument, c.target_section, "
              "i.id, i.jurisdiction FROM citation c JOIN section s ON s.id = c.section_id "
              "JOIN version v ON v.id = s.version_id JOIN instrument i ON i.id = v.instrument_id "
              "WHERE v.id = ?1 AND (?2 = '' OR s.number = ?2) ORDER BY s.ordinal, c.id");
  q.bind(1, version_id).bind(2, number);
  std::vector<StoredCitation> out;
  // target instrument as cited -> its id and identifier, when it resolves
  std::map<std::string, std::optional<std::pair<std::int64_t, std::string>>> cache;
  while (q.step()) {
    StoredCitation c;
    c.from = q.text(0) + "#" + q.text(1);
    c.citation = {q.text(3), q.text(4), q.text(5), q.text(2)};
    auto it = cache.find(c.citation.target_instrument);
    if (it == cache.end()) {
      std::optional<std::pair<std::int64_t, std::string>> target;
      if (const auto id = resolve(db, q.integer(6), q.text(7), c.citation.target_instrument))
        if (const auto in = instrument(*id)) target.emplace(*id, in->identifier);
      it = cache.emplace(c.citation.target_instrument, std::move(target)).first;
    }
    const std::string section = c.citation.target_section.empty() ? "" : "#" + c.citation.target_section;
    if (it->second) {
      c.target_instrument_id = it->second->first;
      c.target = it->second->second + section;
    } else {
      c.target = c.citation.target_instrument + section;
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<StoredCitation> Store::citations_to(std::int64_t instrument_id,
                                                std::string_view number) const {
  // Candidates: citations naming this section number from the latest version of each
  // instrument and language; kept when their named target resolves to this instrument.
  sqlite3* db = impl_->db.get();
  sql::Stmt q(db,
              "SELECT i.identifier, s.number, c.kind, c.raw, c.target_instrument, c.target_section, "
              "i.id, i.jurisdiction FROM citation c JOIN section s ON s.id = c.section_id "
              "JOIN version v ON v.id = s.version_id JOIN instrument i ON i.id = v.instrument_id "
              "WHERE c.target_section = ? AND v.id = (SELECT v2.id FROM version v2 WHERE "
              "v2.instrument_id = v.instrument_id AND v2.language = v.language "
              "ORDER BY v2.date DESC, v2.id DESC LIMIT 1) ORDER BY i.identifier, s.ordinal");
  q.bind(1, normalize_section_number(number));
  std::vector<StoredCitation> out;
  const auto target = instrument(instrument_id);
  while (q.step()) {
    auto resolved = resolve(db, q.integer(6), q.text(7), q.text(4));
    if (resolved != instrument_id) continue;
    StoredCitation c;
    c.from = q.text(0) + "#" + q.text(1);
    c.citation = {q.text(3), q.text(4), q.text(5), q.text(2)};
    c.target_instrument_id = instrument_id;
    c.target = (target ? target->identifier : "") + "#" + c.citation.target_section;
    out.push_back(std::move(c));
  }
  return out;
}

Status Store::transaction(const std::function<Status()>& body) {
  sqlite3* db = impl_->db.get();
  if (!sqlite3_get_autocommit(db)) return body();  // already inside one: join it
  try {
    sql::Transaction tx(db);
    Status st = body();
    if (!st.ok()) return st;  // the destructor rolls back
    tx.commit();
    return {};
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
}

Status Store::begin_group() {
  if (in_group()) return Error{"catalogue: a write group is open already"};
  try {
    sql::exec(impl_->db.get(), "BEGIN IMMEDIATE");
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
  return {};
}

Status Store::commit_group() {
  if (!in_group()) return Error{"catalogue: the write group was lost (rolled back after an error)"};
  try {
    sql::exec(impl_->db.get(), "COMMIT");
  } catch (const sql::Failure& f) {
    rollback_group();
    return f.error("catalogue: ");
  }
  return {};
}

void Store::rollback_group() {
  if (in_group()) sqlite3_exec(impl_->db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

bool Store::in_group() const { return !sqlite3_get_autocommit(impl_->db.get()); }

Store::Totals Store::totals() const {
  sql::Stmt q(impl_->db.get(),
              "SELECT (SELECT count(*) FROM jurisdiction), (SELECT count(*) FROM instrument), "
              "(SELECT count(*) FROM version), (SELECT count(*) FROM section), "
              "(SELECT count(*) FROM citation)");
  q.step();
  return {q.integer(0), q.integer(1), q.integer(2), q.integer(3), q.integer(4)};
}

std::int64_t Store::revision() const {
  sql::Stmt q(impl_->db.get(), "SELECT value FROM meta WHERE key = 'revision'");
  return q.step() ? q.integer(0) : 0;
}

}  // namespace hrtrack::corpus
