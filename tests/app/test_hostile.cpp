// Hostile input to the real hrtrack binary (issue 14, items 13-15): files that are not files,
// files too large, names that are not UTF-8 or hold control characters, dates and codes that
// are not dates and codes, a data folder that is not there, two imports racing to create one.
// Each is refused at once with one line, or handled, and never hangs or breaks --json.
#include <fcntl.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include "child.hpp"
#include "hrtrack/corpus/model.hpp"
#include "process.hpp"
#include "shared.hpp"

namespace {

namespace fs = std::filesystem;
using hrtrack::test::legislation;
using hrtrack::test::TempDir;
using Clock = std::chrono::steady_clock;

hrtrack::test::Run cli(const fs::path& data, std::vector<std::string> args) {
  args.insert(args.begin(), {hrtrack::test::hrtrack_bin(), "--data", data.string()});
  return hrtrack::test::run(args);
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// Runs hrtrack with a deadline: a hang is killed and reported, not waited for.
struct Bounded {
  hrtrack::test::Ending ending;
  std::string output;
  double seconds = 0;
};
Bounded bounded(const fs::path& data, std::vector<std::string> args, double limit_seconds) {
  TempDir io;
  args.insert(args.begin(), {hrtrack::test::hrtrack_bin(), "--data", data.string()});
  const auto start = Clock::now();
  const pid_t pid = hrtrack::test::spawn(args, "/dev/null", io.path() / "out");
  Bounded b;
  b.ending = hrtrack::test::wait_until(
      pid, start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limit_seconds)));
  b.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  b.output = hrtrack::test::read_file(io.path() / "out");
  return b;
}

}  // namespace

TEST_CASE("a FIFO or a device given to import is refused at once, never read", "[app][hostile]") {
  TempDir data, inputs;
  const fs::path fifo = inputs.path() / "pipe.xml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const std::string& input : {fifo.string(), std::string("/dev/zero")}) {
    INFO(input);
    // Before: the FIFO waited for a writer for ever; /dev/zero was read until memory ran out.
    const auto r = bounded(data.path(), {"import", input}, hrtrack::test::time_bound(10));
    INFO(r.output);
    REQUIRE_FALSE(r.ending.killed);
    CHECK(r.ending.status == 2);
    CHECK(r.output.find(input + ": ") != std::string::npos);
    CHECK(r.output.find("not a regular file: refused") != std::string::npos);
  }
  // inspect reads the same way.
  const auto r = bounded(data.path(), {"inspect", fifo.string()}, hrtrack::test::time_bound(10));
  REQUIRE_FALSE(r.ending.killed);
  CHECK(r.output.find("not a regular file") != std::string::npos);
}

TEST_CASE("an input larger than the size limit is refused before it is read", "[app][hostile]") {
  TempDir data, inputs;
  // A sparse file over the default limit of 256 MB: nothing to read but its size.
  const fs::path big = inputs.path() / "big.xml";
  {
    const int fd = ::open(big.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, (256LL << 20) + 1) == 0);
    ::close(fd);
  }
  const auto r = bounded(data.path(), {"import", big.string()}, hrtrack::test::time_bound(5));
  INFO(r.output);
  REQUIRE_FALSE(r.ending.killed);
  CHECK(r.ending.status == 2);
  CHECK(r.output.find("big.xml: 268435457 bytes, more than the limit of 268435456 bytes: refused") !=
        std::string::npos);

  // The limit is the user's to set; within it the same file imports.
  const std::string doc = legislation("DE/btmg_1981.gii.xml").string();
  auto small = cli(data.path(), {"import", "--max-size", "100kB", doc});
  CHECK(small.status == 2);
  CHECK(small.err.find("more than the limit of 100000 bytes") != std::string::npos);
  CHECK(cli(data.path(), {"import", "--max-size", "10MB", doc}).status == 0);
  CHECK(cli(data.path(), {"import", "--max-size", "lots", doc}).status == 1);
}

TEST_CASE("file names that are not UTF-8 or hold control characters are stored escaped and never break --json",
          "[app][hostile]") {
  TempDir data, inputs;
  fs::create_directories(inputs.path() / "DE");
  // Latin-1 "é" (not UTF-8) and an ANSI escape sequence (turns a terminal red).
  const std::string name = "btm\xe9g\x1b[31m.md";
  const fs::path file = inputs.path() / "DE" / name;
  fs::copy_file(legislation("DE/btmg_1981.bundestag.md"), file);
  fs::copy_file(legislation("DE/btmg_1981.gii.xml"), inputs.path() / "DE" / "btmg.gii.xml");
  auto imported = cli(data.path(), {"import", (inputs.path() / "DE").string()});
  INFO(imported.err);
  REQUIRE(imported.status == 0);

  // Before: "[json.exception.type_error.316] invalid UTF-8 byte", for the whole catalogue.
  auto listed = cli(data.path(), {"instruments", "--json"});
  INFO(listed.err);
  REQUIRE(listed.status == 0);
  CHECK(nlohmann::json::parse(listed.out).size() == 1);
  auto history = cli(data.path(), {"history", "BtMG", "--json"});
  REQUIRE(history.status == 0);
  const auto h = nlohmann::json::parse(history.out);
  bool found = false;
  for (const auto& v : h["versions"]) {
    const std::string source = v["source"];
    if (source.find(".md") == std::string::npos) continue;
    found = true;
    CHECK(source.find("btm\\xe9g\\x1b[31m.md") != std::string::npos);
    CHECK(hrtrack::corpus::unescape_name(source) == file.string());  // lossless
  }
  CHECK(found);
  auto shown = cli(data.path(), {"show", "BtMG#1", "--json"});
  CHECK(shown.status == 0);
  CHECK_NOTHROW(nlohmann::json::parse(shown.out));

  // On the terminal: escaped, no raw escape character or invalid byte.
  for (const auto& args : std::vector<std::vector<std::string>>{{"history", "BtMG"}, {"instruments"}}) {
    auto text = cli(data.path(), args);
    CHECK(text.status == 0);
    CHECK(text.out.find('\x1b') == std::string::npos);
    CHECK(text.out.find('\xe9') == std::string::npos);
  }
  auto missing = cli(data.path(), {"import", (inputs.path() / "no\x1b[2Jsuch.xml").string()});
  CHECK(missing.err.find('\x1b') == std::string::npos);
  CHECK(missing.err.find("no\\x1b[2Jsuch.xml: no such file") != std::string::npos);
}

TEST_CASE("dates are calendar dates everywhere: one line, exit 1", "[app][hostile]") {
  TempDir data;
  REQUIRE(cli(data.path(), {"import", legislation("DE/btmg_1981.gii.xml").string()}).status == 0);
  const auto doc = legislation("DE/btmg_1981.gii.xml").string();
  for (const std::string& date :
       std::vector<std::string>{"2022-13-45", "2022-02-30", "2023-02-29", "2100-02-29", "2022-00-10", "0000-01-01", "2022-1-1"}) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"show", "BtMG#1", "--as-of", date},
             {"diff", "BtMG", "--from", date, "--to", "2023-01-01"},
             {"diff", "BtMG", "--from", "2023-01-01", "--to", date},
             {"analyze", "--as-of", date},
             {"explain", "DE", "possession", "--as-of", date},
             {"search", "Spritzen", "--as-of", date},
             {"import", "--as-of", date, doc}}) {
      auto r = cli(data.path(), args);
      INFO(args.front() << " " << date << ": " << r.out << r.err);
      CHECK(r.status == 1);
      CHECK(lines(r.err) == 1);
      CHECK(r.err.find("expected a date as YYYY-MM-DD, got '" + date + "'") != std::string::npos);
    }
  }
  auto leap = cli(data.path(), {"show", "BtMG#1", "--as-of", "2096-02-29"});
  INFO(leap.err);
  CHECK(leap.status == 0);
}

TEST_CASE("jurisdiction codes are ISO 3166 codes: others refused, lower case normalised", "[app][hostile]") {
  TempDir data;
  REQUIRE(cli(data.path(), {"import", legislation("DE/btmg_1981.gii.xml").string()}).status == 0);
  for (const std::string& code : std::vector<std::string>{"../../x", "<b>", "DEU", "D", "DE-", "DE-ABCD", "", "D\xe9"}) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"instruments", "--jurisdiction", code},
             {"analyze", "--jurisdiction", code},
             {"explain", code, "possession"},
             {"timeline", code},
             {"search", "Spritzen", "--jurisdiction", code},
             {"crawl", "--only", code + ",DE"},
             {"import", "--jurisdiction", code, legislation("DE/btmg_1981.gii.xml").string()}}) {
      auto r = cli(data.path(), args);
      INFO(args.front() << " '" << code << "': " << r.out << r.err);
      if (code.empty() && args.front() == "crawl") continue;  // an empty item of a list is skipped
      CHECK(r.status == 1);
      CHECK(lines(r.err) == 1);
      CHECK(r.err.find("is not a jurisdiction code") != std::string::npos);
    }
  }
  auto lower = cli(data.path(), {"instruments", "--jurisdiction", "de", "--json"});
  REQUIRE(lower.status == 0);
  const auto j = nlohmann::json::parse(lower.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["jurisdiction"] == "DE");
}

TEST_CASE("a read command on a missing --data folder says so and creates nothing", "[app][hostile]") {
  TempDir parent;
  const fs::path missing = parent.path() / "no-such-folder";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"instruments"}, {"show", "BtMG#1"}, {"history", "BtMG"}, {"diff", "BtMG", "--from", "2020-01-01", "--to", "2021-01-01"},
           {"search", "Spritzen"}, {"analyze"}, {"timeline", "DE"}, {"index"}}) {
    auto r = cli(missing, args);
    INFO(args.front() << ": " << r.out << r.err);
    CHECK(r.status == 1);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find("no-such-folder: no such data folder") != std::string::npos);
    CHECK_FALSE(fs::exists(missing));
  }
  // A command that makes a catalogue makes the folder.
  CHECK(cli(missing, {"import", legislation("DE/btmg_1981.gii.xml").string()}).status == 0);
  CHECK(cli(missing, {"instruments"}).status == 0);
}

TEST_CASE("two imports into a new folder: one waits for the other, neither fails", "[app][hostile]") {
  for (int round = 0; round < 5; ++round) {
    TempDir parent, io;
    const fs::path data = parent.path() / "data";
    const auto start = [&](const std::string& doc, const char* out) {
      return hrtrack::test::spawn({hrtrack::test::hrtrack_bin(), "--data", data.string(), "import", legislation(doc).string()},
                                  "/dev/null", io.path() / out);
    };
    // Before: one of the two failed with "database is locked" nearly every time.
    const pid_t a = start("DE/btmg_1981.gii.xml", "a"), b = start("CA/eng_acts_C-38.8.xml", "b");
    const auto ea = hrtrack::test::wait_for(a), eb = hrtrack::test::wait_for(b);
    INFO("round " << round << ": " << hrtrack::test::read_file(io.path() / "a") << hrtrack::test::read_file(io.path() / "b"));
    CHECK(ea.status == 0);
    CHECK(eb.status == 0);
    auto listed = cli(data, {"instruments", "--json"});
    REQUIRE(listed.status == 0);
    CHECK(nlohmann::json::parse(listed.out).size() == 2);
  }
}

namespace {

// Blob files under <data>/blobs (by hash), and the hashes the catalogue has rows for.
std::set<std::string> blob_files(const fs::path& data) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(data / "blobs"))
    if (e.is_regular_file()) out.insert(e.path().parent_path().filename().string() + e.path().filename().string());
  return out;
}

std::set<std::string> column(const fs::path& data, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2((data / "catalogue.sqlite3").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &q, nullptr) == SQLITE_OK);
  std::set<std::string> out;
  while (sqlite3_step(q) == SQLITE_ROW) out.insert(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
  sqlite3_finalize(q);
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("hrtrack fsck sweeps what a kill left, checks the catalogue and the index, and says what it repaired",
          "[app][hostile]") {
  TempDir data;
  REQUIRE(cli(data.path(), {"import", legislation("DE/btmg_1981.gii.xml").string()}).status == 0);
  REQUIRE(cli(data.path(), {"index"}).status == 0);
  const auto kept = blob_files(data.path());
  // What a kill between writing a blob and recording it leaves, and an interrupted write.
  const std::string orphan = std::string(2, 'a') + std::string(62, 'b');
  fs::create_directories(data.path() / "blobs" / "aa");
  std::ofstream(data.path() / "blobs" / "aa" / orphan.substr(2)) << "bytes nobody recorded";
  std::ofstream(data.path() / "blobs" / "aa" / (orphan.substr(2) + ".tmp123.0")) << "half";
  std::ofstream(data.path() / "blobs" / "README") << "not ours: left alone";
  // A damaged index (a block overwritten).
  {
    std::fstream postlist(data.path() / "index" / "postlist.glass", std::ios::in | std::ios::out | std::ios::binary);
    postlist.seekp(8192);
    postlist << std::string(4096, 'x');
  }
  auto r = cli(data.path(), {"fsck"});  // before: no such command
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("Catalogue: ok") != std::string::npos);
  CHECK(r.out.find("removed 1 unreferenced file(s)") != std::string::npos);
  CHECK(r.out.find("1 temporary file(s)") != std::string::npos);
  CHECK(r.out.find("Index: rebuilt (xapian-check:") != std::string::npos);
  auto files = blob_files(data.path());
  files.erase("blobsREADME");
  CHECK(files == kept);
  CHECK(fs::exists(data.path() / "blobs" / "README"));
  auto search = cli(data.path(), {"search", "Betäubungsmittel"});
  CHECK(search.status == 0);
  CHECK(search.out.find("BtMG") != std::string::npos);
  // Once repaired, a second run has nothing to do.
  auto again = cli(data.path(), {"fsck", "--json"});
  REQUIRE(again.status == 0);
  const auto j = nlohmann::json::parse(again.out);
  CHECK(j["removed"]["unreferenced_blobs"] == 0);
  CHECK(j["index"]["state"] == "ok");
}

TEST_CASE("after an import killed twice, fsck leaves exactly the blobs the catalogue records", "[app][hostile]") {
  TempDir data, io;
  const auto folder = legislation("history/CA").string();
  for (int delay_ms : {150, 400}) {
    const pid_t pid = hrtrack::test::spawn({hrtrack::test::hrtrack_bin(), "--data", data.path().string(), "import", folder},
                                           "/dev/null", io.path() / "out");
    hrtrack::test::kill_after(pid, std::chrono::milliseconds(delay_ms));
  }
  if (!fs::exists(data.path() / "catalogue.sqlite3")) return;  // killed before it began: nothing to check
  auto r = cli(data.path(), {"fsck"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  const auto files = blob_files(data.path());
  CHECK(files == column(data.path(), "SELECT sha256 FROM blob"));
  for (const auto& sha : column(data.path(), "SELECT sha256 FROM version")) CHECK(files.count(sha) == 1);
  CHECK(cli(data.path(), {"import", folder}).status == 0);  // and the import completes afterwards
}
