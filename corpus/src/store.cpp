#include "hrtrack/corpus/store.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "hrtrack/corpus/clock.hpp"
#include "hrtrack/corpus/import.hpp"
#include "amendments.hpp"
#include "sqlite.hpp"
#include "text.hpp"

namespace hrtrack::corpus {
namespace fs = std::filesystem;
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

constexpr char kSep = '\x1f';  // joins path elements and notes in one column

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += kSep;
    out += s;
  }
  return out;
}

std::vector<std::string> unjoin(const std::string& s) {
  if (s.empty()) return {};
  return split(s, kSep);
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md.data(), &len, EVP_sha256(), nullptr);
  return to_hex(md.data(), len);
}

namespace {

// Edits serialised as lines "<op><words>" (words never hold a newline).
std::string encode(const std::vector<WordEdit>& edits) {
  std::string out;
  for (const auto& e : edits) {
    out += e.op;
    out += e.words;
    out += '\n';
  }
  return out;
}

std::vector<WordEdit> decode(const std::string& s) {
  std::vector<WordEdit> out;
  for (const auto& line : split(s, '\n'))
    if (!line.empty()) out.push_back({line[0], line.substr(1)});
  return out;
}

// Sections keyed by number and occurrence, so omnibus bills with repeated numbers diff.
struct Keyed {
  std::string key, number, heading, text;
};
template <class Range, class Get>
std::vector<Keyed> keyed(const Range& sections, Get get) {
  std::map<std::string, int> seen;
  std::vector<Keyed> out;
  for (const auto& s : sections) {
    const ParsedSection& p = get(s);
    const int n = seen[p.number]++;
    out.push_back({p.number + (n ? "~" + std::to_string(n) : ""), p.number, p.heading,
                   collapse_space(p.text)});
  }
  return out;
}

std::vector<SectionChange> diff_sections(const std::vector<Keyed>& before,
                                         const std::vector<Keyed>& after) {
  std::map<std::string, const Keyed*> old;
  for (const auto& k : before) old[k.key] = &k;
  std::set<std::string> now;
  std::vector<SectionChange> out;
  for (const auto& k : after) {
    now.insert(k.key);
    auto it = old.find(k.key);
    if (it == old.end()) {
      out.push_back({SectionChange::Kind::added, k.number, k.heading, {}});
    } else if (it->second->text != k.text || it->second->heading != k.heading) {
      std::string was = it->second->heading + "\n" + it->second->text;
      out.push_back({SectionChange::Kind::changed, k.number, k.heading,
                     word_diff(was, k.heading + "\n" + k.text)});
    }
  }
  for (const auto& k : before)
    if (!now.count(k.key)) out.push_back({SectionChange::Kind::removed, k.number, k.heading, {}});
  return out;
}

}  // namespace

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

struct Store::Impl {
  fs::path dir;
  base::Env* env = &base::Env::posix();
  sql::Db db;
  int schema = 0;
  bool read_only = false;
  // <dir>/blobs.lock: shared while this Store may hold blob files it has not recorded yet
  // (from its first write_blob on), exclusive while blobs are swept.
  std::mutex lock_mutex;
  int lock_fd = -1;
  bool lock_shared = false;
  ~Impl() {
    if (lock_fd >= 0) ::close(lock_fd);
  }
  Status hold_writer_lock();
  // Takes the lock exclusively without waiting (dropping this Store's shared hold); false
  // when another Store holds it. The caller calls release_sweep_lock() after.
  bool try_sweep_lock();
  void release_sweep_lock();
  std::vector<std::string> superseded_failure_bodies();
  Result<BlobSweep> remove_blobs(const std::vector<std::string>& shas);
  // Prepared statements of the import path, prepared once per connection.
  std::map<const char*, std::unique_ptr<sql::Stmt>> cache;

  // A cached statement, reset when the returned handle goes out of scope so that no read
  // stays open between uses.
  struct Use {
    sql::Stmt& s;
    ~Use() { s.reset(); }
    sql::Stmt* operator->() { return &s; }
    sql::Stmt& operator*() { return s; }
  };
  Use cached(const char* sql_text) {
    auto& slot = cache[sql_text];
    if (!slot) slot = std::make_unique<sql::Stmt>(db.get(), sql_text);
    return Use{*slot};
  }

  Version read_version(const sql::Stmt& q) const {
    Version v;
    v.id = q.integer(0);
    v.instrument_id = q.integer(1);
    v.language = q.text(2);
    v.date = q.text(3);
    v.sha256 = q.text(4);
    v.text_sha256 = q.text(5);
    v.source = q.text(6);
    v.format = q.text(7);
    v.imported_at = q.text(8);
    v.section_count = static_cast<int>(q.integer(9));
    v.date_source = q.text(10);
    v.derived = q.integer(11) != 0;
    v.source_commit = q.text(12);
    return v;
  }
  static constexpr const char* kVersionCols =
      "id, instrument_id, language, date, sha256, text_sha256, source, format, imported_at, "
      "section_count, date_source, derived, source_commit";

  std::vector<Section> load_sections(std::int64_t version_id) const {
    sql::Stmt q(db.get(),
                "SELECT id, ordinal, number, label, heading, text, path, in_force, in_force_date, "
                "notes FROM section WHERE version_id = ? ORDER BY ordinal");
    q.bind(1, version_id);
    std::vector<Section> out;
    while (q.step()) {
      Section s;
      s.id = q.integer(0);
      s.version_id = version_id;
      s.ordinal = static_cast<int>(q.integer(1));
      s.body.number = q.text(2);
      s.body.label = q.text(3);
      s.body.heading = q.text(4);
      s.body.text = q.text(5);
      s.body.path = unjoin(q.text(6));
      s.body.in_force = in_force_from(q.text(7));
      s.body.in_force_date = q.text(8);
      s.body.notes = unjoin(q.text(9));
      out.push_back(std::move(s));
    }
    return out;
  }

  void store_changes(std::int64_t version_id, const std::vector<SectionChange>& changes) {
    auto del = cached("DELETE FROM section_change WHERE version_id = ?");
    del->bind(1, version_id).run();
    auto ins = cached("INSERT INTO section_change(version_id, ordinal, kind, number, heading, words) "
                  "VALUES (?, ?, ?, ?, ?, ?)");
    int added = 0, removed = 0, changed = 0, ordinal = 0;
    for (const auto& c : changes) {
      ins->reset();
      ins->bind(1, version_id).bind(2, ordinal++).bind(3, to_string(c.kind)).bind(4, c.number)
          .bind(5, c.heading).bind(6, encode(c.words)).run();
      (c.kind == SectionChange::Kind::added     ? added
       : c.kind == SectionChange::Kind::removed ? removed
                                                : changed)++;
    }
    auto upd = cached("UPDATE version SET added = ?, removed = ?, changed = ? WHERE id = ?");
    upd->bind(1, added).bind(2, removed).bind(3, changed).bind(4, version_id).run();
  }

  void bump_revision() {
    cached("UPDATE meta SET value = value + 1 WHERE key = 'revision'")->run();
  }

  std::int64_t ensure_instrument(const ParsedDocument& doc, bool& created) {
    auto ins = cached("INSERT OR IGNORE INTO jurisdiction(code) VALUES (?)");
    ins->bind(1, doc.jurisdiction).run();
    // Renderings and languages of one instrument are one instrument: the document's
    // identifier is one of its names, or one of the document's aliases is its identifier.
    // (Alias to alias does not join: two laws may share a descriptive title.)
    // Each lookup goes through an index ((jurisdiction, identifier), alias_lower): a scan of
    // a jurisdiction's instruments per document made a bulk import quadratic.
    auto by_identifier = cached("SELECT id FROM instrument WHERE jurisdiction = ? AND identifier = ?");
    auto by_alias = cached(
        "SELECT i.id FROM instrument_alias a JOIN instrument i ON i.id = a.instrument_id "
        "WHERE a.alias_lower = ?1 AND a.alias = ?2 AND i.jurisdiction = ?3 ORDER BY i.id LIMIT 1");
    std::int64_t id = 0;
    by_identifier->bind(1, doc.jurisdiction).bind(2, doc.identifier);
    if (by_identifier->step()) id = by_identifier->integer(0);
    if (id == 0) {
      by_alias->bind(1, ascii_lower(doc.identifier)).bind(2, doc.identifier).bind(3, doc.jurisdiction);
      if (by_alias->step()) id = by_alias->integer(0);
    }
    for (std::size_t i = 0; id == 0 && i < doc.aliases.size(); ++i) {
      by_identifier->reset();
      by_identifier->bind(1, doc.jurisdiction).bind(2, doc.aliases[i]);
      if (by_identifier->step()) id = by_identifier->integer(0);
    }
    created = id == 0;
    if (created) {
      auto add = cached("INSERT INTO instrument(jurisdiction, identifier, type) VALUES (?,?,?)");
      add->bind(1, doc.jurisdiction).bind(2, doc.identifier).bind(3, to_string(doc.type)).run();
      id = sqlite3_last_insert_rowid(db.get());
    }
    if (!doc.title.empty()) {
      auto t = cached("INSERT INTO instrument_title(instrument_id, language, title) VALUES (?,?,?) "
                  "ON CONFLICT(instrument_id, language) DO UPDATE SET title = excluded.title");
      t->bind(1, id).bind(2, doc.language).bind(3, doc.title).run();
    }
    auto alias = cached("INSERT OR IGNORE INTO instrument_alias(instrument_id, alias, alias_lower) "
                    "VALUES (?,?,?)");
    auto add_alias = [&](const std::string& a) {
      if (a.empty()) return;
      alias->reset();
      alias->bind(1, id).bind(2, a).bind(3, ascii_lower(a)).run();
    };
    add_alias(doc.identifier);
    for (const auto& a : doc.aliases) add_alias(a);
    return id;
  }

  std::optional<Version> neighbour(std::int64_t instrument_id, std::string_view language,
                                   std::string_view date, bool before) {
    static const std::string kBefore = std::string("SELECT ") + kVersionCols +
                                       " FROM version WHERE instrument_id = ? AND language = ? AND "
                                       "date <= ? ORDER BY date DESC, id DESC LIMIT 1";
    static const std::string kAfter = std::string("SELECT ") + kVersionCols +
                                      " FROM version WHERE instrument_id = ? AND language = ? AND "
                                      "date > ? ORDER BY date ASC, id ASC LIMIT 1";
    auto s = cached(before ? kBefore.c_str() : kAfter.c_str());
    s->bind(1, instrument_id).bind(2, language).bind(3, date);
    if (!s->step()) return std::nullopt;
    return read_version(*s);
  }

  // A version's sections as parsed, with the citations stored for them.
  std::vector<ParsedSection> load_parsed(std::int64_t version_id) const {
    std::vector<ParsedSection> out;
    std::map<std::int64_t, std::size_t> by_id;
    for (auto& s : load_sections(version_id)) {
      by_id[s.id] = out.size();
      out.push_back(std::move(s.body));
    }
    sql::Stmt q(db.get(),
                "SELECT c.section_id, c.kind, c.raw, c.target_instrument, c.target_section FROM citation c "
                "JOIN section s ON s.id = c.section_id WHERE s.version_id = ? ORDER BY c.id");
    q.bind(1, version_id);
    while (q.step())
      if (auto it = by_id.find(q.integer(0)); it != by_id.end())
        out[it->second].citations.push_back(Citation{q.text(2), q.text(3), q.text(4), q.text(1)});
    return out;
  }

  static ParsedSection* numbered(std::vector<ParsedSection>& v, const std::string& number) {
    auto it = std::find_if(v.begin(), v.end(), [&](const ParsedSection& s) { return s.number == number; });
    return it == v.end() ? nullptr : &*it;
  }
  static void code_order(std::vector<ParsedSection>& v) {
    std::stable_sort(v.begin(), v.end(),
                     [](const ParsedSection& a, const ParsedSection& b) { return natural_less(a.number, b.number); });
  }

  // A part as the whole instrument at its date: the version in force then, its sections of
  // the part's numbers replaced and new numbers added, in the code's order. `replaced`
  // receives the version's sections the part replaces.
  ParsedDocument compose(const ParsedDocument& part, std::vector<ParsedSection>& replaced) {
    ParsedDocument whole = part;
    auto find = cached("SELECT id FROM instrument WHERE jurisdiction = ? AND identifier = ?");
    find->bind(1, part.jurisdiction).bind(2, part.identifier);
    if (!find->step()) return whole;
    const std::int64_t id = find->integer(0);
    const auto base = neighbour(id, part.language, part.date, true);
    if (!base) return whole;
    whole.sections = load_parsed(base->id);
    for (const auto& s : part.sections) {
      if (ParsedSection* same = numbered(whole.sections, s.number)) {
        replaced.push_back(*same);
        *same = s;
      } else {
        whole.sections.push_back(s);
      }
    }
    code_order(whole.sections);
    return whole;
  }

  // After a part made a new version: each later version that still holds the text the part
  // replaced (or, like the version before the part, lacks its number) inherited it from
  // there, and takes the part's text instead; a later version with its own text of the
  // section keeps it. Diffs are recomputed where a version or the one before it changed.
  // A version's sections replaced by `whole`'s (a part completed or carried into it).
  void rewrite_sections(std::int64_t version_id, const ParsedDocument& whole, const std::string& text_sha) {
    cached("DELETE FROM section WHERE version_id = ?")->bind(1, version_id).run();
    insert_sections(version_id, whole);
    auto upd = cached("UPDATE version SET text_sha256 = ?, section_count = ? WHERE id = ?");
    upd->bind(1, text_sha).bind(2, static_cast<int>(whole.sections.size())).bind(3, version_id).run();
  }

  // A version's diff against the one before it, stored again after either changed.
  void rediff(std::int64_t version_id) {
    const auto body = [](const Section& s) -> const ParsedSection& { return s.body; };
    auto q = cached("SELECT previous_id FROM version WHERE id = ?");
    q->bind(1, version_id);
    const bool has_previous = q->step() && !q->is_null(0);
    const std::int64_t previous = has_previous ? q->integer(0) : 0;
    if (has_previous) {
      store_changes(version_id, diff_sections(keyed(load_sections(previous), body), keyed(load_sections(version_id), body)));
      return;
    }
    std::vector<SectionChange> all;
    for (const auto& sec : load_sections(version_id))
      all.push_back({SectionChange::Kind::added, sec.body.number, sec.body.heading, {}});
    store_changes(version_id, all);
  }

  // `new_version_changed`: the version the part went into was rewritten in place, so the
  // next version's diff must be stored again even when the next itself does not change.
  void carry_forward(const ParsedDocument& part, const std::vector<ParsedSection>& replaced,
                     std::int64_t instrument_id, std::int64_t new_version,
                     bool new_version_changed = false) {
    std::vector<std::int64_t> later;
    {
      sql::Stmt q(db.get(), "SELECT id FROM version WHERE instrument_id = ? AND language = ? AND date > ? "
                            "ORDER BY date, id");
      q.bind(1, instrument_id).bind(2, part.language).bind(3, part.date);
      while (q.step()) later.push_back(q.integer(0));
    }
    const auto body = [](const Section& s) -> const ParsedSection& { return s.body; };
    const auto same = [](const ParsedSection& a, const ParsedSection& b) {
      return a.heading == b.heading && a.text == b.text;
    };
    std::int64_t before = new_version;
    bool before_changed = new_version_changed;  // else its own diff is stored already
    for (const std::int64_t id : later) {
      std::vector<ParsedSection> secs = load_parsed(id);
      bool changed = false;
      for (const auto& s : part.sections) {
        const auto old = std::find_if(replaced.begin(), replaced.end(),
                                      [&](const ParsedSection& r) { return r.number == s.number; });
        ParsedSection* now = numbered(secs, s.number);
        const bool inherited = old == replaced.end() ? now == nullptr : now && same(*now, *old);
        if (!inherited || (now && same(*now, s))) continue;
        if (now) *now = s;
        else secs.push_back(s);
        changed = true;
      }
      if (changed) {
        code_order(secs);
        ParsedDocument whole;
        whole.sections = std::move(secs);
        rewrite_sections(id, whole, normalized_text_sha256(whole));
      }
      if (changed || before_changed)
        store_changes(id, diff_sections(keyed(load_sections(before), body), keyed(load_sections(id), body)));
      before = id;
      before_changed = changed;
    }
  }

  // The one fetch row a cached query selects by url, if any.
  std::optional<FetchRecord> newest_fetch(const char* sql_text, std::string_view url);

  // Store::record's work, within its transaction. A derived version (amendments applied)
  // is marked so, and records nothing it amends.
  Result<ImportOutcome> record_version(const ParsedDocument& doc, std::string_view raw_sha256,
                                       std::string_view source, std::string_view text_sha256,
                                       bool derived, std::string_view source_commit = {});

  // ---------------------------------------------------------------- amendments

  void record_amends(std::int64_t version_id, const ParsedDocument& doc) {
    if (doc.amends.empty()) return;
    auto ins = cached("INSERT OR IGNORE INTO version_amends(version_id, target, target_lower) VALUES (?,?,?)");
    for (const auto& t : doc.amends) {
      ins->reset();
      ins->bind(1, version_id).bind(2, t).bind(3, ascii_lower(t)).run();
    }
  }

  // The instrument of `jurisdiction` an amending document names, by identifier or alias.
  std::optional<std::int64_t> resolve_amended(std::string_view jurisdiction, std::string_view name) {
    auto q = cached("SELECT i.id FROM instrument_alias a JOIN instrument i ON i.id = a.instrument_id "
                    "WHERE a.alias_lower = ? AND i.jurisdiction = ? ORDER BY i.id LIMIT 1");
    q->bind(1, ascii_lower(name)).bind(2, jurisdiction);
    if (!q->step()) return std::nullopt;
    return q->integer(0);
  }

  bool is_amended(std::int64_t instrument_id) {
    auto q = cached("SELECT 1 FROM instrument_alias al JOIN version_amends va ON va.target_lower = al.alias_lower "
                    "JOIN version v ON v.id = va.version_id JOIN instrument i ON i.id = v.instrument_id "
                    "JOIN instrument x ON x.id = al.instrument_id "
                    "WHERE al.instrument_id = ?1 AND v.instrument_id != ?1 AND i.jurisdiction = x.jurisdiction LIMIT 1");
    q->bind(1, instrument_id);
    return q->step();
  }

  void consolidate_around(const ParsedDocument& doc, const ImportOutcome& out) {
    std::set<std::int64_t> targets;
    for (const auto& name : doc.amends)
      if (auto id = resolve_amended(doc.jurisdiction, name); id && *id != out.instrument_id) targets.insert(*id);
    if (is_amended(out.instrument_id)) targets.insert(out.instrument_id);
    for (const std::int64_t id : targets) consolidate(id, doc.language);
  }

  // Removes a version (a derived one that no longer follows from what is held): the version
  // after it is re-based on the one before it.
  void remove_version(std::int64_t id) {
    std::optional<std::int64_t> prev, next;
    {
      auto q = cached("SELECT previous_id FROM version WHERE id = ?");
      q->bind(1, id);
      if (q->step() && !q->is_null(0)) prev = q->integer(0);
    }
    {
      auto q = cached("SELECT id FROM version WHERE previous_id = ?");
      q->bind(1, id);
      if (q->step()) next = q->integer(0);
    }
    auto relink = cached("UPDATE version SET previous_id = ? WHERE previous_id = ?");
    relink->bind(1, prev).bind(2, id).run();
    cached("DELETE FROM section WHERE version_id = ?")->bind(1, id).run();
    cached("DELETE FROM version WHERE id = ?")->bind(1, id).run();
    if (next) {
      const auto body = [](const Section& x) -> const ParsedSection& { return x.body; };
      std::vector<SectionChange> changes;
      if (prev) {
        changes = diff_sections(keyed(load_sections(*prev), body), keyed(load_sections(*next), body));
      } else {
        for (const auto& x : load_sections(*next)) changes.push_back({SectionChange::Kind::added, x.body.number, x.body.heading, {}});
      }
      store_changes(*next, changes);
    }
    bump_revision();
  }

  struct Amending {
    std::int64_t version_id = 0;
    std::string identifier, date, sha256, source, format;
    int amends = 0;  // how many instruments its document names as amended
  };

  // The texts of `x` the amendments held derive, each at its amending law's in-force date,
  // brought into the catalogue: derived versions that no longer follow are removed, missing
  // ones recorded. A version from a document of `x` itself is never touched, and an amendment
  // in force on or before the date of one is not applied: a consolidated text wins.
  void consolidate(std::int64_t x, const std::string& language) {
    std::string jurisdiction, identifier, type;
    {
      auto q = cached("SELECT jurisdiction, identifier, type FROM instrument WHERE id = ?");
      q->bind(1, x);
      if (!q->step()) return;
      jurisdiction = q->text(0), identifier = q->text(1), type = q->text(2);
    }
    std::set<std::string> names;
    {
      auto q = cached("SELECT alias_lower FROM instrument_alias WHERE instrument_id = ?");
      q->bind(1, x);
      while (q->step()) names.insert(q->text(0));
    }
    // The latest own version of each instrument that amends x.
    std::vector<Amending> amending;
    {
      auto q = cached(
          "SELECT v.id, i.identifier, v.date, v.sha256, v.source, v.format, v.instrument_id, "
          "(SELECT count(*) FROM version_amends c WHERE c.version_id = v.id) FROM version v "
          "JOIN instrument i ON i.id = v.instrument_id WHERE v.derived = 0 AND v.language = ?2 "
          "AND v.date != '' AND v.instrument_id != ?1 AND i.jurisdiction = ?3 AND EXISTS (SELECT 1 "
          "FROM version_amends va JOIN instrument_alias al ON al.alias_lower = va.target_lower "
          "WHERE va.version_id = v.id AND al.instrument_id = ?1) "
          "ORDER BY v.instrument_id, v.date DESC, v.id DESC");
      q->bind(1, x).bind(2, language).bind(3, jurisdiction);
      std::int64_t last = 0;
      while (q->step()) {
        if (q->integer(6) == last) continue;
        last = q->integer(6);
        amending.push_back({q->integer(0), q->text(1), q->text(2), q->text(3), q->text(4), q->text(5),
                            static_cast<int>(q->integer(7))});
      }
    }
    std::sort(amending.begin(), amending.end(), [](const Amending& a, const Amending& b) {
      return std::tie(a.date, a.identifier) < std::tie(b.date, b.identifier);
    });
    std::vector<std::pair<std::string, std::int64_t>> own;  // (date, version id), oldest first
    std::map<std::string, std::pair<std::int64_t, std::string>> existing;  // derived: date -> id, text sha
    {
      auto q = cached("SELECT id, date, derived, text_sha256 FROM version WHERE instrument_id = ? AND language = ? "
                      "ORDER BY date, id");
      q->bind(1, x).bind(2, language);
      while (q->step()) {
        if (q->integer(2)) existing[q->text(1)] = {q->integer(0), q->text(3)};
        else own.emplace_back(q->text(1), q->integer(0));
      }
    }

    struct Derived {
      ParsedDocument doc;
      std::string text_sha, raw_sha, source;
    };
    std::vector<Derived> desired;
    for (std::size_t i = 0; i < amending.size();) {
      const std::string date = amending[i].date;
      std::size_t j = i;
      while (j < amending.size() && amending[j].date == date) ++j;
      // A text of x's own dated the same or later holds this amendment already (a
      // consolidation): it wins, and nothing is derived.
      const bool held = std::any_of(own.begin(), own.end(), [&](const auto& o) { return o.first >= date; });
      // The text in force when the amendments take effect: the latest own version then, or
      // what the amendments before made of it when they came later.
      const std::pair<std::string, std::int64_t>* base = nullptr;
      for (const auto& o : own)
        if (o.first <= date) base = &o;
      std::vector<ParsedSection> sections;
      if (!desired.empty() && (!base || desired.back().doc.date >= base->first)) sections = desired.back().doc.sections;
      else if (base) sections = load_parsed(base->second);
      if (held || sections.empty()) {
        i = j;
        continue;
      }
      const std::vector<ParsedSection> before = sections;
      std::string from;
      for (std::size_t k = i; k < j; ++k) {
        const Amending& a = amending[k];
        amendments::Amendment am{a.identifier, a.date, {}};
        for (auto& in : amendments::find_instructions(load_parsed(a.version_id), language)) {
          const bool applies = in.instrument.empty() ? a.amends == 1 : names.count(ascii_lower(in.instrument)) > 0;
          if (applies) am.instructions.push_back(std::move(in));
        }
        sections = amendments::apply(std::move(sections), am, language);
        from += (from.empty() ? "" : "; ") + a.identifier;
      }
      const auto same = [](const std::vector<ParsedSection>& p, const std::vector<ParsedSection>& q) {
        return std::equal(p.begin(), p.end(), q.begin(), q.end(), [](const ParsedSection& a, const ParsedSection& b) {
          return a.number == b.number && a.heading == b.heading && a.text == b.text && a.notes == b.notes;
        });
      };
      if (!same(before, sections)) {
        Derived d;
        d.doc.format = format_from(amending[j - 1].format).value_or(Format::text);
        d.doc.jurisdiction = jurisdiction;
        d.doc.identifier = identifier;
        d.doc.language = language;
        d.doc.type = instrument_type_from(type);
        d.doc.date = date;
        d.doc.date_source = "consolidated from " + from + " (in force " + date + ")";
        d.doc.sections = std::move(sections);
        // The notes count: a version whose only change is a note on how it was amended is
        // still a different text for a reader.
        std::string text = normalized_text(d.doc);
        for (const auto& s : d.doc.sections)
          for (const auto& n : s.notes) text += n + '\x1d';
        d.text_sha = sha256_hex(text);
        d.raw_sha = amending[j - 1].sha256;
        d.source = amending[j - 1].source;
        desired.push_back(std::move(d));
      }
      i = j;
    }

    std::set<std::string> kept;
    for (const auto& e : existing) {
      const std::string& date = e.first;
      const auto it = std::find_if(desired.begin(), desired.end(), [&](const Derived& d) { return d.doc.date == date; });
      if (it != desired.end() && it->text_sha == e.second.second) kept.insert(date);
      else remove_version(e.second.first);
    }
    for (const auto& d : desired)
      if (!kept.count(d.doc.date)) {
        auto r = record_version(d.doc, d.raw_sha, d.source, d.text_sha, true);
        if (!r) throw sql::Failure{r.error().message, 0};
      }
  }

  void insert_sections(std::int64_t version_id, const ParsedDocument& doc) {
    auto sec = cached("INSERT INTO section(version_id, ordinal, number, label, heading, text, path, "
                  "in_force, in_force_date, notes) VALUES (?,?,?,?,?,?,?,?,?,?)");
    auto cite = cached("INSERT INTO citation(section_id, kind, raw, target_instrument, target_section) "
                   "VALUES (?,?,?,?,?)");
    int ordinal = 0;
    for (const auto& s : doc.sections) {
      sec->reset();
      sec->bind(1, version_id).bind(2, ordinal++).bind(3, s.number).bind(4, s.label)
          .bind(5, s.heading).bind_view(6, s.text).bind(7, join(s.path))
          .bind(8, to_string(s.in_force)).bind(9, s.in_force_date).bind(10, join(s.notes)).run();
      const std::int64_t section_id = sqlite3_last_insert_rowid(db.get());
      std::set<std::pair<std::string, std::string>> seen;
      auto add = [&](const Citation& c) {
        if (c.target_section.empty() && c.target_instrument.empty()) return;
        if (c.target_instrument.empty() && c.target_section == s.number) return;  // itself
        if (!seen.insert({c.target_instrument, c.target_section}).second) return;
        cite->reset();
        cite->bind(1, section_id).bind(2, c.kind).bind(3, c.raw).bind(4, c.target_instrument)
            .bind(5, c.target_section).run();
      };
      for (const auto& c : s.citations) add(c);
    }
  }
};

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

Result<std::string> Store::put_blob(std::string_view bytes) {
  auto sha = write_blob(bytes);
  if (!sha) return sha;
  if (auto st = register_blob(*sha, static_cast<std::int64_t>(bytes.size())); !st) return st.error();
  return sha;
}

Status Store::register_blob(std::string_view sha256, std::int64_t size) {
  try {
    auto s = impl_->cached("INSERT OR IGNORE INTO blob(sha256, size, stored_at) VALUES (?, ?, ?)");
    s->bind(1, sha256).bind(2, size).bind(3, now_utc()).run();
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
  return {};
}

Result<std::string> Store::write_blob(std::string_view bytes) const {
  if (auto st = impl_->hold_writer_lock(); !st) return st.error();
  const std::string sha = sha256_hex(bytes);
  const fs::path dir = impl_->dir / "blobs" / sha.substr(0, 2);
  const fs::path file = dir / sha.substr(2);
  base::Env& env = *impl_->env;
  if (!env.file_exists(file)) {
    if (auto st = env.create_dirs(dir); !st) return st.error();
    // Temp file + rename: a kill never leaves a half-written blob under its hash. No fsync
    // per blob: Store::sync() makes a batch durable against power loss in one call.
    if (auto st = base::write_file_atomic(env, file, bytes, /*durable=*/false); !st)
      return Error{st.code(), "cannot store the raw bytes: " + st.error().message};
  }
  return sha;
}

Result<std::string> Store::get_blob(std::string_view sha256) const {
  if (sha256.size() != 64) return Error{"not a sha256: " + std::string(sha256)};
  const fs::path file = impl_->dir / "blobs" / std::string(sha256.substr(0, 2)) /
                        std::string(sha256.substr(2));
  // Written by the store itself: no input limit applies.
  auto bytes = read_file(file, std::numeric_limits<std::size_t>::max());
  if (!bytes) return Error{Code::kNotFound, file.string() + ": blob missing"};
  return bytes;
}

void Store::sync() const {
  sqlite3_wal_checkpoint_v2(impl_->db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  const int fd = ::open(impl_->dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::syncfs(fd);
  ::close(fd);
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

namespace hrtrack::corpus {
namespace {

constexpr const char* kFailure = "('failed', 'no-legal-text')";

fs::path blob_path(const fs::path& dir, std::string_view sha) {
  return dir / "blobs" / std::string(sha.substr(0, 2)) / std::string(sha.substr(2));
}

bool hex_name(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Status Store::Impl::hold_writer_lock() {
  std::lock_guard lock(lock_mutex);
  if (lock_shared) return {};
  if (lock_fd < 0) lock_fd = ::open((dir / "blobs.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return Error{Code::kIOError, (dir / "blobs.lock").string() + ": " + std::strerror(errno)};
  // Waits while a sweep (hrtrack fsck) runs.
  while (::flock(lock_fd, LOCK_SH) != 0)
    if (errno != EINTR) return Error{Code::kIOError, (dir / "blobs.lock").string() + ": " + std::strerror(errno)};
  lock_shared = true;
  return {};
}

bool Store::Impl::try_sweep_lock() {
  std::lock_guard lock(lock_mutex);
  if (lock_fd < 0) lock_fd = ::open((dir / "blobs.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return false;
  // Converting a shared lock drops it first (flock(2)); this Store's blobs are all recorded
  // when a sweep is asked for, so nothing is left unguarded.
  const bool exclusive = ::flock(lock_fd, LOCK_EX | LOCK_NB) == 0;
  lock_shared = false;
  return exclusive;
}

void Store::Impl::release_sweep_lock() {
  std::lock_guard lock(lock_mutex);
  if (lock_fd >= 0) ::flock(lock_fd, LOCK_UN);
  lock_shared = false;
}

std::vector<std::string> Store::Impl::superseded_failure_bodies() {
  // Kept: each source's newest fetch with a body, when it failed (for diagnosis); every blob
  // a version or a fetch that did not fail names. The rest of the failed bodies go.
  const std::string sql =
      std::string("SELECT DISTINCT sha256 FROM fetch WHERE sha256 != '' AND outcome IN ") + kFailure +
      " AND sha256 NOT IN (SELECT sha256 FROM fetch WHERE id IN"
      " (SELECT MAX(id) FROM fetch WHERE sha256 != '' GROUP BY source_id))"
      " AND sha256 NOT IN (SELECT sha256 FROM version)"
      " AND sha256 NOT IN (SELECT sha256 FROM fetch WHERE sha256 != '' AND outcome NOT IN " + kFailure + ")";
  sql::Stmt q(db.get(), sql);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

Result<BlobSweep> Store::Impl::remove_blobs(const std::vector<std::string>& shas) {
  BlobSweep out;
  if (shas.empty()) return out;
  std::vector<std::string> gone;
  try {
    sql::Transaction tx(db.get());
    sql::Stmt del(db.get(), "DELETE FROM blob WHERE sha256 = ?");
    for (const auto& sha : shas) {
      del.reset();
      del.bind(1, sha).run();
      gone.push_back(sha);
    }
    tx.commit();
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
  // Files after the commit: a kill in between leaves files without rows, which the next
  // sweep (hrtrack fsck) removes.
  for (const auto& sha : gone) {
    std::error_code ec;
    const fs::path file = blob_path(dir, sha);
    const auto size = fs::file_size(file, ec);
    if (!ec && fs::remove(file, ec)) {
      ++out.removed;
      out.bytes += static_cast<long long>(size);
    }
  }
  return out;
}

Result<BlobSweep> Store::sweep_failed_bodies() {
  if (!impl_->try_sweep_lock()) {
    BlobSweep skipped;
    skipped.skipped = true;
    return skipped;
  }
  struct Unlock {
    Impl& impl;
    ~Unlock() { impl.release_sweep_lock(); }
  } unlock{*impl_};
  try {
    return impl_->remove_blobs(impl_->superseded_failure_bodies());
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
}

Result<FsckReport> Store::fsck() {
  if (!impl_->try_sweep_lock())
    return Error{Code::kBusy, impl_->dir.string() + ": another hrtrack is writing blobs (an import or a crawl): run fsck when it has finished"};
  struct Unlock {
    Impl& impl;
    ~Unlock() { impl.release_sweep_lock(); }
  } unlock{*impl_};
  FsckReport out;
  try {
    sql::Stmt integrity(impl_->db.get(), "PRAGMA integrity_check");
    while (integrity.step())
      if (const auto line = integrity.text(0); line != "ok") out.problems.push_back("catalogue: " + line);
    sql::Stmt keys(impl_->db.get(), "PRAGMA foreign_key_check");
    while (keys.step())
      out.problems.push_back("catalogue: a row of " + keys.text(0) + " (rowid " + keys.text(1) + ") names a missing " +
                             keys.text(2));
    if (!out.problems.empty()) return out;  // a damaged catalogue: nothing is removed on its word

    auto failed = impl_->remove_blobs(impl_->superseded_failure_bodies());
    if (!failed) return failed.error();
    out.failed_bodies = *failed;

    std::set<std::string> rows;
    {
      sql::Stmt q(impl_->db.get(), "SELECT sha256 FROM blob");
      while (q.step()) rows.insert(q.text(0));
    }
    // Files no row names (a kill between writing a blob and recording it; a document that
    // failed to parse), and temporary files of interrupted writes.
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(impl_->dir / "blobs", ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      const fs::path& file = it->path();
      const std::string name = file.filename().string(), prefix = file.parent_path().filename().string();
      const bool temporary = name.find(".tmp") != std::string::npos;
      const std::string sha = prefix + name;
      const bool blob = !temporary && prefix.size() == 2 && sha.size() == 64 && hex_name(sha);
      if (blob && rows.count(sha)) continue;
      if (!temporary && !blob) continue;  // not ours: left alone
      std::error_code rm;
      const auto size = it->file_size(rm);
      if (!fs::remove(file, rm)) continue;
      ++(temporary ? out.temporary_files : out.unreferenced.removed);
      if (!temporary) out.unreferenced.bytes += static_cast<long long>(size);
    }
    // What the catalogue names and the folder lacks cannot be repaired here.
    sql::Stmt versions(impl_->db.get(),
                       "SELECT DISTINCT v.sha256, i.identifier FROM version v JOIN instrument i ON i.id = v.instrument_id "
                       "WHERE v.derived = 0");
    while (versions.step()) {
      const std::string sha = versions.text(0);
      if (sha.size() == 64 && !fs::exists(blob_path(impl_->dir, sha), ec))
        out.problems.push_back("blobs: the raw bytes of a version of " + versions.text(1) + " (" + sha +
                               ") are missing: import or crawl it again");
    }
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
  return out;
}

}  // namespace hrtrack::corpus
