#pragma once
// The Store's state and the logic of its version history (composing parts, consolidating
// amendments, diffs), shared by the files the Store is written in: store.cpp (opening, the
// catalogue of jurisdictions, instruments, versions and sections), store_blobs.cpp (the
// content-addressed blobs, their sweeps and fsck) and store_log.cpp (the fetch log,
// records and events). Private to corpus.
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

namespace store_detail {

inline constexpr char kSep = '\x1f';  // joins path elements and notes in one column

inline std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += kSep;
    out += s;
  }
  return out;
}

inline std::vector<std::string> unjoin(const std::string& s) {
  if (s.empty()) return {};
  return split(s, kSep);
}

// Edits serialised as lines "<op><words>" (words never hold a newline).
inline std::string encode(const std::vector<WordEdit>& edits) {
  std::string out;
  for (const auto& e : edits) {
    out += e.op;
    out += e.words;
    out += '\n';
  }
  return out;
}

inline std::vector<WordEdit> decode(const std::string& s) {
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

inline std::vector<SectionChange> diff_sections(const std::vector<Keyed>& before,
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

}  // namespace store_detail

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
      s.body.path = store_detail::unjoin(q.text(6));
      s.body.in_force = in_force_from(q.text(7));
      s.body.in_force_date = q.text(8);
      s.body.notes = store_detail::unjoin(q.text(9));
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
          .bind(5, c.heading).bind(6, store_detail::encode(c.words)).run();
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
      store_changes(version_id, store_detail::diff_sections(store_detail::keyed(load_sections(previous), body), store_detail::keyed(load_sections(version_id), body)));
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
        store_changes(id, store_detail::diff_sections(store_detail::keyed(load_sections(before), body), store_detail::keyed(load_sections(id), body)));
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
        changes = store_detail::diff_sections(store_detail::keyed(load_sections(*prev), body), store_detail::keyed(load_sections(*next), body));
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
          .bind(5, s.heading).bind_view(6, s.text).bind(7, store_detail::join(s.path))
          .bind(8, to_string(s.in_force)).bind(9, s.in_force_date).bind(10, store_detail::join(s.notes)).run();
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

}  // namespace hrtrack::corpus
