#pragma once
// Data derived from one revision of the index, made once and shared by every Searcher of
// the process that reads that revision (a server holds several), dropped when none does.
#include <xapian.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace hrtrack::index {

template <class T>
std::shared_ptr<const T> per_revision(const Xapian::Database& db) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const T>> made;
  // The uuid names the database (a rebuild makes a new one), the revision its commit.
  const std::string key = db.get_uuid() + ":" + std::to_string(db.get_revision());
  std::lock_guard lock(mutex);
  for (auto it = made.begin(); it != made.end();) it = it->second.expired() ? made.erase(it) : std::next(it);
  if (auto v = made[key].lock()) return v;
  auto v = std::make_shared<const T>(db);
  made[key] = v;
  return v;
}

}  // namespace hrtrack::index
