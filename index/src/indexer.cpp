#include <stdio.h>  // renameat2
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

#include "common_words.hpp"
#include "concept_ranks.hpp"
#include "document.hpp"
#include "hrtrack/index/index.hpp"
#include "language.hpp"
#include "schema.hpp"
#include "spelling.hpp"

namespace hrtrack::index {
namespace {

namespace fs = std::filesystem;

// Commit this often (at a version boundary), so a long first run shows progress to
// readers and an interrupted one keeps most of its work.
constexpr long long kCommitEvery = 20000;

std::string busy_message(const fs::path& dir) {
  return "index busy: another hrtrack is writing the index (" + dir.string() + "); try again when it has finished";
}

Result<Xapian::WritableDatabase> open_writable(const fs::path& dir, int action) {
  try {
    return Xapian::WritableDatabase(dir.string(), action | Xapian::DB_BACKEND_GLASS);
  } catch (const Xapian::DatabaseLockError&) {
    return Error{Code::kBusy, busy_message(dir)};
  } catch (const Xapian::Error& e) {
    return Error{"cannot open the index " + dir.string() + ": " + e.get_description()};
  }
}

// The text of every thesaurus term, as the query parser of each language would make it
// ("Z" + stem), so `~syringe` typed under any language's stemmer finds the key.
void load_synonyms(Xapian::WritableDatabase& db, const Thesaurus& th) {
  const std::string fp = th.fingerprint();
  if (db.get_metadata(std::string(schema::kSynonymsKey)) == fp) return;
  std::vector<std::string> old(db.synonym_keys_begin(), db.synonym_keys_end());
  for (const auto& k : old) db.clear_synonyms(k);
  std::set<std::string> languages;
  for (const auto& c : th.concepts())
    for (const auto& [lang, terms] : c.terms) languages.insert(lang);
  for (const auto& c : th.concepts()) {
    std::set<std::string> values, keys;
    for (const auto& [lang, terms] : c.terms)
      for (const auto& t : terms) {
        if (t.find_first_of(" -'") != std::string::npos) continue;  // phrases: concept: only
        const std::string word = Xapian::Unicode::tolower(t);
        values.insert("Z" + stemmer_for(lang)(word));
        for (const auto& l : languages) keys.insert("Z" + stemmer_for(l)(word));
      }
    for (const auto& k : keys)
      for (const auto& v : values)
        if (k != v) db.add_synonym(k, v);
  }
  db.set_metadata(std::string(schema::kSynonymsKey), fp);
}

std::map<std::int64_t, std::string> indexed_versions(const Xapian::Database& db) {
  std::map<std::int64_t, std::string> out;
  const std::string prefix(schema::kVersionKey);
  for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
    out[std::stoll((*k).substr(prefix.size()))] = db.get_metadata(*k);
  return out;
}

std::vector<std::string> split_tags(const std::string& value) {
  std::vector<std::string> tags;
  for (std::size_t start = 0; start < value.size();) {
    const auto end = std::min(value.find('\n', start), value.size());
    if (end > start) tags.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  return tags;
}

std::map<std::string, std::vector<std::string>> section_tags(const Xapian::Database& db) {
  std::map<std::string, std::vector<std::string>> out;
  const std::string prefix(schema::kTagKey);
  for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
    out[(*k).substr(prefix.size())] = split_tags(db.get_metadata(*k));
  return out;
}

bool has_term(const Xapian::Document& doc, const std::string& term) {
  auto t = doc.termlist_begin();
  t.skip_to(term);
  return t != doc.termlist_end() && *t == term;
}

// A version is in force until the next version of the same instrument and language.
std::vector<std::string> end_dates(const std::vector<corpus::Version>& versions,
                                   const std::vector<std::string>& languages) {
  std::vector<std::string> to(versions.size());
  for (std::size_t i = 0; i < versions.size(); ++i)
    for (std::size_t j = i + 1; j < versions.size(); ++j)
      if (languages[j] == languages[i] && versions[j].date > versions[i].date) {
        to[i] = versions[j].date;
        break;
      }
  return to;
}

std::string signature(const std::string& thesaurus_fp, const corpus::Instrument& in,
                      const corpus::Version& v, const std::string& lang, const std::string& to) {
  schema::Fingerprint f;
  f.add(index_layout()).add(thesaurus_fp).add(in.jurisdiction).add(in.identifier);
  f.add(corpus::to_string(in.type));
  for (const auto& [l, t] : in.titles) f.add(l).add(t);
  for (const auto& a : in.aliases) f.add(a);
  f.add(std::to_string(v.id)).add(v.sha256).add(v.text_sha256).add(v.date).add(lang).add(to);
  f.add(std::to_string(v.section_count));
  return f.hex();
}

// One indexing pass of `db` against the catalogue: the body of update() and rebuild().
class Sync {
 public:
  Sync(Xapian::WritableDatabase& db, const corpus::Store& store, const Thesaurus& th)
      : db_(db), store_(store), thesaurus_fp_(th.fingerprint()), builder_(th, db),
        indexed_(indexed_versions(db)), tags_(section_tags(db)) {
    for (const auto& j : store.jurisdictions())
      if (!j.languages.empty()) jurisdiction_language_[j.code] = j.languages.front();
  }

  IndexReport run(const IndexProgress& progress) {
    const auto instruments = store_.instruments("");
    for (std::size_t i = 0; i < instruments.size(); ++i) {
      instrument(instruments[i]);
      if (progress) progress(static_cast<int>(i + 1), static_cast<int>(instruments.size()));
    }
    sweep();
    commit();
    return report_;
  }

 private:
  std::string language_of(const corpus::Instrument& in, const corpus::Version& v) const {
    if (!v.language.empty()) return v.language;
    auto it = jurisdiction_language_.find(in.jurisdiction);
    return it == jurisdiction_language_.end() ? "" : it->second;
  }

  void instrument(const corpus::Instrument& in) {
    const auto versions = store_.versions(in.id, "");
    std::vector<std::string> langs;
    for (const auto& v : versions) langs.push_back(language_of(in, v));
    const auto to = end_dates(versions, langs);
    for (std::size_t i = 0; i < versions.size(); ++i) {
      const auto& v = versions[i];
      const std::string sig = signature(thesaurus_fp_, in, v, langs[i], to[i]);
      auto known = indexed_.find(v.id);
      const bool same = known != indexed_.end() && known->second == sig;
      if (known != indexed_.end()) indexed_.erase(known);
      if (same) {
        report_.unchanged += db_.get_termfreq(schema::term(schema::kVersion, std::to_string(v.id)));
        continue;
      }
      write_version(in, v, langs[i], to[i]);
      db_.set_metadata(std::string(schema::kVersionKey) + std::to_string(v.id), sig);
      if (pending_ >= kCommitEvery) commit();
    }
  }

  // Replaces every document of the version; a version's sections never change, but a
  // run interrupted before its metadata was written may have left some behind.
  void write_version(const corpus::Instrument& in, const corpus::Version& v, const std::string& lang,
                     const std::string& to) {
    outdate_ranks();
    const std::string vterm = schema::term(schema::kVersion, std::to_string(v.id));
    const long long before = db_.get_termfreq(vterm);
    if (before > 0) db_.delete_document(vterm);
    long long now = 0;
    static const std::vector<std::string> kNoTags;
    for (const auto& s : store_.sections(v.id)) {
      auto t = tags_.find(schema::lower(address_of(in, s)));
      const SectionEntry e{in, v, lang, to, s, t == tags_.end() ? kNoTags : t->second};
      db_.add_document(builder_.build(e));
      ++now;
    }
    report_.updated += std::min(before, now);
    report_.added += std::max(0LL, now - before);
    report_.deleted += std::max(0LL, before - now);
    ++report_.versions_indexed;
    pending_ += now;
  }

  // The concepts' stored ranks no longer describe the documents from the first change on.
  void outdate_ranks() {
    if (ranks_outdated_) return;
    ConceptRanks::outdate(db_);
    ranks_outdated_ = true;
  }

  void commit() {
    builder_.flush_spelling();
    db_.commit();
    pending_ = 0;
  }

  // Versions indexed before but gone from the catalogue.
  void sweep() {
    for (const auto& [id, sig] : indexed_) {
      outdate_ranks();
      const std::string vterm = schema::term(schema::kVersion, std::to_string(id));
      report_.deleted += db_.get_termfreq(vterm);
      db_.delete_document(vterm);
      db_.set_metadata(std::string(schema::kVersionKey) + std::to_string(id), "");
    }
  }

  Xapian::WritableDatabase& db_;
  const corpus::Store& store_;
  std::string thesaurus_fp_;
  DocumentBuilder builder_;
  std::map<std::int64_t, std::string> indexed_;  // what is left are versions not seen yet
  std::map<std::string, std::vector<std::string>> tags_;
  std::map<std::string, std::string> jurisdiction_language_;
  IndexReport report_;
  long long pending_ = 0;
  bool ranks_outdated_ = false;
};

Result<IndexReport> sync(Xapian::WritableDatabase& db, const corpus::Store& store, const Thesaurus& th,
                         const IndexProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  try {
    load_synonyms(db, th);
    // Marks true of every document only once a run has remade them all, cleared meanwhile:
    // until then searches match the concepts' phrases themselves (schema::kConceptsKey)
    // and rank and check phrases as an index of an earlier layout needs (schema::kLayoutKey).
    const std::map<std::string, std::string> marks{{std::string(schema::kConceptsKey), th.fingerprint()},
                                                   {std::string(schema::kLayoutKey), index_layout()}};
    std::vector<const std::pair<const std::string, std::string>*> stale;
    for (const auto& mark : marks)
      if (db.get_metadata(mark.first) != mark.second) stale.push_back(&mark);
    for (const auto* mark : stale) db.set_metadata(mark->first, "");
    auto report = Sync(db, store, th).run(progress);
    for (const auto* mark : stale) db.set_metadata(mark->first, mark->second);
    // Rewritten only when the index changed: a run that changes nothing makes no new
    // revision (a server would otherwise reload what it derives from the index). Whatever
    // makes one needs the concepts' ranks worked out again for it.
    bool changed = report.added + report.updated + report.deleted > 0 || !stale.empty();
    if (changed || !Vocabulary::stored(db)) {
      Vocabulary::store(db);
      changed = true;
    }
    if (changed || !ConceptRanks::current(db)) ConceptRanks::store(db, th);
    db.commit();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  } catch (const Xapian::Error& e) {
    return Error{"indexing failed: " + e.get_description()};
  }
}

// Swaps two directories in one step where the file system can (Linux renameat2), so
// readers always find an index; else two renames.
Status swap_dirs(const fs::path& a, const fs::path& b) {
  if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return {};
  if (errno != EINVAL && errno != ENOSYS)
    return Error{"cannot swap " + a.string() + " and " + b.string() + ": " + std::strerror(errno)};
  const fs::path aside = b.string() + ".old";
  std::error_code ec;
  fs::remove_all(aside, ec);
  fs::rename(b, aside, ec);
  if (!ec) fs::rename(a, b, ec);
  if (!ec) fs::rename(aside, a, ec);
  if (ec) return Error{"cannot swap " + a.string() + " and " + b.string() + ": " + ec.message()};
  return {};
}

// Xapian writes a new database's files one at a time and its version file (iamglass) last:
// a kill in between leaves a folder that neither readers nor writers can open, for good. So
// a new index is made whole in a folder of its own beside the live path and renamed into
// place. A folder at the live path without a version file is such a leftover and holds
// nothing; so do the creation folders of processes that are gone.
Status create_index(const fs::path& live) {
  std::error_code ec;
  if (fs::exists(live / "iamglass", ec)) return {};
  const std::string prefix = live.filename().string() + ".create.";
  for (const auto& e : fs::directory_iterator(live.parent_path(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const pid_t pid = static_cast<pid_t>(std::atol(name.c_str() + prefix.size()));
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(e.path(), ec);
  }
  const fs::path fresh = live.parent_path() / (prefix + std::to_string(::getpid()));
  fs::remove_all(fresh, ec);
  try {
    Xapian::WritableDatabase db(fresh.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    db.commit();
    db.close();
  } catch (const Xapian::Error& e) {
    fs::remove_all(fresh, ec);
    return Error{"cannot create the index " + live.string() + ": " + e.get_description()};
  }
  std::error_code moved;
  if (!fs::exists(live / "iamglass", ec)) {
    fs::remove_all(live, ec);
    fs::rename(fresh, live, moved);
  }
  fs::remove_all(fresh, ec);  // left when another hrtrack created the index first
  if (!fs::exists(live / "iamglass", ec))
    return Error{"cannot create the index " + live.string() + ": " + moved.message()};
  return {};
}

// Xapian's B-trees are left part-empty by a bulk load; compacting (a second of CPU) nearly
// halves the index (169 -> 97 MB at 10 % of the bulk collections). Worth it after a run
// that wrote at least a quarter of the documents, not after a new version or two.
bool worth_compacting(const IndexReport& r, long long docs) {
  const long long written = r.added + r.updated;
  return written > 0 && written * 4 >= docs;
}

std::string tags_value(const std::vector<std::string>& tags) {
  std::string v;
  for (const auto& t : tags) v += t + "\n";
  return v;
}

}  // namespace

fs::path index_dir(const fs::path& data_dir) { return data_dir / "index"; }

struct Indexer::Impl {
  fs::path data_dir;
  Thesaurus thesaurus;
  Xapian::WritableDatabase db;
  bool open = true;  // false after a rebuild could not reopen the live index

  Status replace_live(const fs::path& fresh);
  Status compact_live();
};

// Swaps `fresh` in for the live index (readers see it at their next search) and reopens
// the live index for writing.
Status Indexer::Impl::replace_live(const fs::path& fresh) {
  const fs::path live = index_dir(data_dir);
  if (auto s = swap_dirs(fresh, live); !s) return s;
  try {
    db.close();
  } catch (const Xapian::Error&) {
    // The old index is being thrown away; nothing in it needs saving.
  }
  std::error_code ec;
  fs::remove_all(fresh, ec);
  auto reopened = open_writable(live, Xapian::DB_OPEN);
  if (!reopened) {
    open = false;
    return reopened.error();
  }
  db = std::move(reopened).value();
  return {};
}

Status Indexer::Impl::compact_live() {
  const fs::path packed = data_dir / "index.compact";
  std::error_code ec;
  fs::remove_all(packed, ec);  // left by a run that died: we hold the write lock
  try {
    // Docids kept: the concepts' stored ranks name documents by them (ConceptRanks).
    db.compact(packed.string(), Xapian::DBCOMPACT_NO_RENUMBER);
  } catch (const Xapian::Error& e) {
    fs::remove_all(packed, ec);
    return Error{"compacting the index failed: " + e.get_description()};
  }
  return replace_live(packed);
}

Indexer::Indexer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Indexer::~Indexer() = default;

Result<std::unique_ptr<Indexer>> Indexer::open(const fs::path& data_dir, const Thesaurus& thesaurus) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return Error{"cannot create " + data_dir.string() + ": " + ec.message()};
  if (auto created = create_index(index_dir(data_dir)); !created) return created.error();
  auto db = open_writable(index_dir(data_dir), Xapian::DB_OPEN);
  if (!db) return db.error();
  // With the write lock held no other run is rebuilding or compacting, so these are from a
  // run that was killed: each can be a whole copy of the index.
  for (const char* left : {"index.new", "index.compact"}) fs::remove_all(data_dir / left, ec);
  return std::unique_ptr<Indexer>(new Indexer(std::make_unique<Impl>(Impl{data_dir, thesaurus, std::move(db).value()})));
}

Result<IndexReport> Indexer::update(const corpus::Store& store, const IndexProgress& progress) {
  if (!impl_->open) return Error{"the index was rebuilt but could not be reopened: open it again"};
  auto report = sync(impl_->db, store, impl_->thesaurus, progress);
  if (report && worth_compacting(*report, impl_->db.get_doccount()))
    if (auto s = impl_->compact_live(); !s) return s.error();
  return report;
}

Result<IndexReport> Indexer::rebuild(const corpus::Store& store, const IndexProgress& progress) {
  if (!impl_->open) return Error{"the index was rebuilt but could not be reopened: open it again"};
  const fs::path fresh = impl_->data_dir / "index.new";
  std::error_code ec;
  // Holding the live index's lock makes us the only writer, so a leftover index.new is
  // from a run that died.
  fs::remove_all(fresh, ec);
  auto db = open_writable(fresh, Xapian::DB_CREATE_OR_OVERWRITE);
  if (!db) return db.error();
  Result<IndexReport> report = IndexReport{};
  try {
    const std::string prefix(schema::kTagKey);
    for (auto k = impl_->db.metadata_keys_begin(prefix); k != impl_->db.metadata_keys_end(prefix); ++k)
      db->set_metadata(*k, impl_->db.get_metadata(*k));
    report = sync(*db, store, impl_->thesaurus, progress);
    db->close();
  } catch (const Xapian::Error& e) {
    return Error{"rebuilding the index failed: " + e.get_description()};
  }
  if (!report) return report;
  if (auto s = impl_->replace_live(fresh); !s) return s.error();
  if (auto s = impl_->compact_live(); !s) return s.error();
  report->rebuilt = true;
  return report;
}

Result<long long> Indexer::tag(std::string_view address, std::string_view provision, bool on) {
  if (!impl_->open) return Error{"the index was rebuilt but could not be reopened: open it again"};
  auto addr = corpus::SectionAddress::parse(address);
  if (!addr) return Error{"expected INSTRUMENT#SECTION, e.g. C-38.8#56.1, got '" + std::string(address) + "'"};
  if (provision.empty() || provision.find_first_of(" \n\t") != std::string_view::npos)
    return Error{"a provision tag is one word, got '" + std::string(provision) + "'"};
  const std::string key = schema::lower(addr->str());
  const std::string tag = schema::term(schema::kProvision, provision);
  try {
    auto& db = impl_->db;
    const std::string key_name = std::string(schema::kTagKey) + key;
    auto tags = split_tags(db.get_metadata(key_name));
    std::erase(tags, std::string(provision));
    if (on) tags.emplace_back(provision);
    db.set_metadata(key_name, tags_value(tags));
    long long changed = 0;
    const std::string aterm = schema::term(schema::kAddress, key);
    std::vector<Xapian::docid> ids(db.postlist_begin(aterm), db.postlist_end(aterm));
    for (auto id : ids) {
      auto doc = db.get_document(id);
      if (has_term(doc, tag) == on) continue;
      if (on) doc.add_boolean_term(tag);
      else doc.remove_term(tag);
      db.replace_document(id, doc);
      ++changed;
    }
    db.commit();
    return changed;
  } catch (const Xapian::Error& e) {
    return Error{"tagging " + std::string(address) + " failed: " + e.get_description()};
  }
}

}  // namespace hrtrack::index
