// Every page and API route, called as a function (Site::handle) and through the real server
// on 127.0.0.1, on a data folder imported, indexed and analysed from shared/legislation.
#include <httplib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "hrtrack/analysis/analysis.hpp"
#include "hrtrack/corpus/import.hpp"
#include "hrtrack/index/index.hpp"
#include "hrtrack/web/analysts.hpp"
#include "hrtrack/web/escape.hpp"
#include "hrtrack/web/server.hpp"
#include "hrtrack/web/site.hpp"
#include "shared.hpp"
#include "views.hpp"

using namespace hrtrack;
using web::Request;
using web::Response;

namespace {

constexpr const char* kHostileName = "<script>alert(\"x\")</script>&'";

// Built once for the whole run: Canada and Germany (with their history), South Africa (a
// court judgment, no drug law: not assessed), a jurisdiction with a hostile name, the index,
// the analysis, and one analyst.
const std::filesystem::path& data_dir() {
  static test::TempDir dir;
  static const bool built = [] {
    auto store = corpus::Store::open(dir.path());
    REQUIRE(store);
    auto& s = *store.value();
    corpus::Importer importer(s);
    const auto report = importer.import_paths(
        {test::legislation("CA"), test::legislation("DE"), test::legislation("ZA"), test::legislation("history/CA"),
         test::legislation("history/DE")},
        {});
    REQUIRE(report.versions_new > 0);
    REQUIRE(s.put_jurisdiction({"XX", kHostileName, {"en"}}).ok());
    auto indexer = index::Indexer::open(dir.path(), index::Thesaurus::builtin());
    REQUIRE(indexer);
    REQUIRE((*indexer)->update(s));
    analysis::EngineConfig ec;
    ec.data_dir = dir.path();
    auto engine = analysis::Engine::open(s, ec);
    REQUIRE(engine);
    // As `hrtrack analyze` leaves it: answers and timelines stored.
    for (const auto& j : s.jurisdictions()) {
      REQUIRE((*engine)->analyze(j.code));
      if (!s.instruments(j.code).empty()) REQUIRE((*engine)->timeline(j.code));
    }
    REQUIRE(web::add_analyst(s, "ana", "s3cret-pass", 1000).ok());
    return true;
  }();
  (void)built;
  return dir.path();
}

web::Site& site() {
  static web::Site s([] {
    web::Config c;
    c.data_dir = data_dir();
    return c;
  }());
  return s;
}

Response get(const std::string& target, std::map<std::string, std::string> headers = {}) {
  Request r;
  const auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = web::parse_query(target.substr(q + 1));
  r.headers = std::move(headers);
  return site().handle(r);
}

Response post(const std::string& path, const std::string& body, const std::string& cookie = {}) {
  Request r;
  r.method = "POST";
  r.path = path;
  r.form = web::parse_query(body);
  if (!cookie.empty()) r.headers["cookie"] = cookie;
  return site().handle(r);
}

bool has(const Response& r, const std::string& s) { return r.body.find(s) != std::string::npos; }

std::string cookie_of(const Response& r) {
  const auto set = r.header("set-cookie");
  return set.substr(0, set.find(';'));
}

std::string csrf_of(const Response& r) {
  const std::string marker = "name=\"csrf\" value=\"";
  const auto at = r.body.find(marker);
  if (at == std::string::npos) return {};
  const auto from = at + marker.size();
  return r.body.substr(from, r.body.find('"', from) - from);
}

// A real server on 127.0.0.1 (a free port) over data_dir(); start() runs it, and it stops
// when the object goes.
class LocalServer {
 public:
  explicit LocalServer(int threads) : server_([&] {
    web::Config c;
    c.data_dir = data_dir();
    c.port = 0;
    c.threads = threads;
    return c;
  }()) {
    REQUIRE(server_.bind().ok());
  }
  ~LocalServer() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }
  void start() { thread_ = std::thread([this] { server_.run(); }); }
  int port() const { return server_.port(); }

 private:
  web::Server server_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("every page answers 200 with its content", "[web]") {
  struct Case {
    std::string target, must_contain;
  };
  const std::vector<Case> cases = {
      {"/", "id=\"map\""},
      {"/", "class=\"heat\""},
      {"/jurisdictions/CA", "The ten answers"},
      {"/provisions/possession", "Deciding text"},
      {"/compare?j=CA&j=DE", "class=\"compare\""},
      {"/compare", "Choose 2 to 5"},
      {"/section?id=C-38.8%234", "Cited by"},
      {"/section?id=C-38.8%234&lang=fr", "lang=\"fr\""},
      {"/instrument?id=C-38.8", "Sections"},
      {"/search", "Search the law"},
      {"/search?q=Spritzen", "BtMG"},
      {"/search?q=Betäubungsmittel", "<mark>"},
      {"/search?concept=needle-exchange&jurisdiction=DE", "result"},
      {"/changes", "new version"},
      {"/changes?jurisdiction=CA&kind=versions", "C-38.8"},
      {"/reports/CA", "Country report"},
      {"/login", "name=\"csrf\""},
      {"/review", "need a human look"},
      {"/review/CA/possession", "Sign in"},
      {"/about", "OpenAPI"},
  };
  for (const auto& c : cases) {
    INFO(c.target);
    const auto r = get(c.target);
    CHECK(r.status == 200);
    CHECK(r.content_type.rfind("text/html", 0) == 0);
    CHECK(has(r, c.must_contain));
  }
}

TEST_CASE("Canada's possession answer quotes its deciding clause", "[web]") {
  const auto r = get("/jurisdictions/CA");
  REQUIRE(r.status == 200);
  CHECK(has(r, "id=\"possession\""));
  CHECK(has(r, "<blockquote"));
  CHECK(has(r, "/section?id=C-38.8%23"));
  CHECK(has(r, "<svg class=\"timeline\""));
}

TEST_CASE("not assessed: apart in the heat table, grey on the map, no score or rank anywhere", "[web]") {
  const auto overview = get("/");
  REQUIRE(overview.status == 200);
  const auto apart = overview.body.find("<tbody class=\"not-assessed\">");
  REQUIRE(apart != std::string::npos);
  // ZA is listed after the ranked ones, with the reason, and out of the means.
  const auto za = overview.body.find("href=\"/jurisdictions/ZA\"", overview.body.find("class=\"heat\""));
  CHECK(za > apart);
  CHECK(overview.body.find("href=\"/jurisdictions/CA\"", overview.body.find("class=\"heat\"")) < apart);
  CHECK(has(overview, "holds no drug law"));
  CHECK(has(overview, "Mean of the 2 assessed"));
  // The map's data: no score for ZA, the reason instead (map.js paints it grey).
  const std::string marker = "id=\"map-data\">";
  const auto from = overview.body.find(marker) + marker.size();
  const auto map = nlohmann::json::parse(overview.body.substr(from, overview.body.find("</script>", from) - from));
  bool seen = false;
  for (const auto& j : map)
    if (j["code"] == "ZA") {
      seen = true;
      CHECK_FALSE(j.contains("score"));
      CHECK(j["not_assessed"].get<std::string>().find("holds no drug law") != std::string::npos);
    }
  CHECK(seen);

  const auto page = get("/jurisdictions/ZA");
  CHECK(has(page, "Not assessed:"));
  CHECK(has(page, "Documents held and read"));
  CHECK_FALSE(has(page, "Convention score"));
  CHECK_FALSE(has(page, "<svg class=\"timeline\""));
  const auto report = get("/reports/ZA");
  CHECK(has(report, "Not assessed:"));
  CHECK_FALSE(has(report, "Convention score"));
  CHECK(has(get("/reports/ZA.md"), "**Not assessed:**"));
  CHECK(has(get("/provisions/possession"), "<h2>Not assessed</h2>"));

  const auto list = nlohmann::json::parse(get("/api/v1/jurisdictions").body)["jurisdictions"];
  REQUIRE(list.size() >= 3);
  CHECK(list[0]["assessed"] == true);
  CHECK(list[0]["rank"] == 1);
  for (const auto& j : list)
    if (j["code"] == "ZA" || j["code"] == "XX") {
      INFO(j.dump());
      CHECK(j["assessed"] == false);
      CHECK(j["score"].is_null());
      CHECK(j["rank"].is_null());
      CHECK_FALSE(j["not_assessed"].get<std::string>().empty());
    }
  const auto za_api = nlohmann::json::parse(get("/api/v1/jurisdictions/ZA").body);
  REQUIRE(za_api["answers"].size() == 10);
  CHECK(za_api["answers"][0]["status"] == "not-assessed");
  CHECK(za_api["answers"][0]["score"].is_null());
  CHECK(za_api["answers"][0]["read"].size() == 1);
  const auto csv = get("/api/v1/export/answers.csv");
  CHECK(has(csv, ",explanation,not_assessed,documents_read\r\n"));
  CHECK(has(csv, "\r\nZA,possession,not-assessed,,"));
  CHECK_FALSE(has(csv, "\r\nCA,possession,not-assessed"));
}

TEST_CASE("the timeline tells the start of coverage from a change, and the feed has the change", "[web]") {
  const auto t = nlohmann::json::parse(get("/api/v1/jurisdictions/CA/timeline").body)["timeline"];
  bool start = false, change = false;
  for (const auto& e : t) {
    if (e["provision"] != "possession") continue;
    if (e["coverage_start"] == true) start = true;
    if (e["coverage_start"] == false && e["status"] == "restricted") {
      change = true;
      CHECK(e["from"] == "2022-11-17");
      REQUIRE_FALSE(e["caused_by"].empty());
      CHECK(e["caused_by"][0]["section"].get<std::string>().rfind("C-38.8#", 0) == 0);
    }
  }
  CHECK(start);
  CHECK(change);
  CHECK(has(get("/jurisdictions/CA"), "<strong>coverage starts</strong>"));

  const auto feed = nlohmann::json::parse(get("/api/v1/changes?kind=status&jurisdiction=CA&provision=possession").body);
  bool found = false;
  for (const auto& e : feed["changes"])
    if (e["to"] == "restricted" && e["time"] == "2022-11-17") {
      found = true;
      CHECK(e["by"] == "machine");
      CHECK(e["from"] == "contrary");
      CHECK(e["note"].get<std::string>().find("C-38.8 @ 2022-11-17") != std::string::npos);
    }
  CHECK(found);
}

TEST_CASE("the section page shows the diff and citations as links", "[web]") {
  // C-38.8 has several versions in the history: a later version of a changed section shows
  // its word-level changes.
  const auto api = get("/api/v1/changes?jurisdiction=CA&kind=versions");
  REQUIRE(api.status == 200);
  const auto j = nlohmann::json::parse(api.body);
  std::string target;
  for (const auto& c : j["changes"])
    if (c["instrument"] == "C-38.8" && !c["changed"].empty()) {
      target = "/section?id=" + web::url_component("C-38.8#" + c["changed"][0].get<std::string>()) +
               "&version=" + std::to_string(c["version_id"].get<long long>());
      break;
    }
  REQUIRE(!target.empty());
  const auto r = get(target);
  CHECK(r.status == 200);
  CHECK(has(r, "Changed since the version of"));
  CHECK((has(r, "<ins>") || has(r, "<del>")));
}

TEST_CASE("the API serves every page's data as JSON", "[web]") {
  for (const std::string t : {"/api/v1/openapi.json", "/api/v1/jurisdictions", "/api/v1/jurisdictions/CA",
                              "/api/v1/jurisdictions/CA/timeline", "/api/v1/provisions", "/api/v1/provisions/possession",
                              "/api/v1/answers?jurisdiction=DE", "/api/v1/compare?j=CA&j=DE", "/api/v1/instruments?jurisdiction=CA",
                              "/api/v1/sections?id=C-38.8%234", "/api/v1/search?q=Spritzen", "/api/v1/changes",
                              "/api/v1/export/answers.json"}) {
    INFO(t);
    const auto r = get(t);
    CHECK(r.status == 200);
    CHECK(r.content_type.rfind("application/json", 0) == 0);
    CHECK(nlohmann::json::parse(r.body, nullptr, false).is_discarded() == false);
  }
  const auto ca = nlohmann::json::parse(get("/api/v1/jurisdictions/CA").body);
  CHECK(ca["answers"].size() == 10);
  const auto spec = nlohmann::json::parse(get("/api/v1/openapi.json").body);
  CHECK(spec["openapi"] == "3.0.3");
  CHECK(spec["paths"].contains("/api/v1/search"));
  const auto search = nlohmann::json::parse(get("/api/v1/search?q=Spritzen").body);
  REQUIRE(search["hits"].size() > 0);
  CHECK(search["hits"][0]["jurisdiction"] == "DE");
}

namespace {

// What a page's template rendered: the content of <main>.
std::string main_of(const Response& r) {
  const std::string open = "<main id=\"main\">\n", close = "\n</main>";
  const auto from = r.body.find(open);
  if (from == std::string::npos) return {};
  return r.body.substr(from + open.size(), r.body.rfind(close) - from - open.size());
}

nlohmann::json json_of(const std::string& target) { return nlohmann::json::parse(get(target).body); }

}  // namespace

TEST_CASE("the Convention pages render exactly their JSON twin's model", "[web]") {
  struct Case {
    std::string page, api, tmpl;
  };
  for (const auto& c : std::vector<Case>{{"/jurisdictions/CA", "/api/v1/jurisdictions/CA", "jurisdiction"},
                                         {"/jurisdictions/ZA", "/api/v1/jurisdictions/ZA", "jurisdiction"},
                                         {"/jurisdictions/XX", "/api/v1/jurisdictions/XX", "jurisdiction"},
                                         {"/provisions/possession", "/api/v1/provisions/possession", "provision"},
                                         {"/compare?j=DE&j=CA", "/api/v1/compare?j=DE&j=CA", "compare"},
                                         {"/", "/api/v1/jurisdictions", "overview"}}) {
    INFO(c.page);
    const auto page = get(c.page);
    REQUIRE(page.status == 200);
    auto model = json_of(c.api);
    // The one thing only the page adds: the map's data as a script's JSON.
    if (c.tmpl == "overview") model["map_script"] = web::json_for_script(model["map"].dump());
    CHECK(main_of(page) == web::render(c.tmpl, model));
  }
}

TEST_CASE("the Convention pages' models keep the API's fields and hold what the pages show", "[web]") {
  const auto provisions = json_of("/api/v1/provisions")["provisions"];
  const auto overview = json_of("/api/v1/jurisdictions");
  CHECK(overview.contains("analysis_error"));
  CHECK(overview["legend"].size() == 4);
  CHECK(overview["totals"]["jurisdictions"].get<int>() >= 4);
  for (const auto& j : overview["jurisdictions"]) {
    INFO(j["code"]);
    for (const char* k : {"code", "name", "languages", "url", "assessed", "score", "coverage", "rank", "rank_min", "rank_max"})
      CHECK(j.contains(k));
    CHECK(j["cells"].size() == (j["apart"].get<bool>() ? 0 : provisions.size()));
  }
  const auto home = get("/");
  CHECK(has(home, "class=\"heat\""));
  CHECK(has(home, "<td class=\"cell st-"));

  const auto ca = json_of("/api/v1/jurisdictions/CA");
  CHECK(ca["code"] == "CA");
  CHECK(ca["assessed"] == true);
  REQUIRE(ca["answers"].size() == 10);
  for (const auto& a : ca["answers"]) {
    INFO(a["provision"]);
    for (const char* k : {"jurisdiction", "provision", "status", "score", "confidence", "machine_status", "needs_review",
                          "explanation", "evidence", "assessed"})
      CHECK(a.contains(k));
    CHECK(a["badge"]["class"].get<std::string>().rfind("st-", 0) == 0);
    CHECK_FALSE(a["provision_title"].get<std::string>().empty());
    for (const auto& e : a["evidence"]) CHECK(e["url"].get<std::string>().rfind("/section?id=", 0) == 0);
  }
  CHECK(ca["scorecard"]["rank"] == ca["rank"]);
  const auto& chart = ca["status_over_time"]["chart"];
  REQUIRE(chart.is_object());
  CHECK(chart["rows"].size() == provisions.size());
  CHECK_FALSE(ca["status_over_time"]["list"]["changes"].empty());
  CHECK_FALSE(ca["recent_changes"].empty());
  const auto ca_page = get("/jurisdictions/CA");
  CHECK(has(ca_page, "<rect x=\"" + chart["rows"][0]["bars"][0]["x"].get<std::string>() + "\""));
  CHECK(has(ca_page, "<a class=\"cite\" href=\"" + web::html(ca["answers"][0]["evidence"][0]["url"].get<std::string>()) + "\">"));

  // Not assessed: no scorecard, no chart; why, and the documents held.
  const auto za = json_of("/api/v1/jurisdictions/ZA");
  CHECK(za["scorecard"].is_null());
  CHECK(za["withheld"]["read_line"]["lead"] == "Documents held and read");
  CHECK(za["status_over_time"]["chart"].is_null());

  const auto possession = json_of("/api/v1/provisions/possession");
  CHECK(possession["id"] == "possession");
  CHECK(possession["answers"].size() >= 3);
  bool za_apart = false;
  for (const auto& r : possession["apart"]) za_apart = za_apart || r["code"] == "ZA";
  CHECK(za_apart);
  for (const auto& r : possession["rows"]) CHECK(r["assessed"] == true);

  // Compare: by code as the API answers, the columns in the order asked for.
  const auto cmp = json_of("/api/v1/compare?j=DE&j=CA");
  CHECK(cmp["jurisdictions"]["CA"]["answers"].size() == 10);
  CHECK(cmp["jurisdictions"]["DE"]["code"] == "DE");
  CHECK(cmp["codes"] == nlohmann::json::array({"DE", "CA"}));
  CHECK(cmp["rows"].size() == provisions.size());
  const auto cmp_page = get("/compare?j=DE&j=CA");
  CHECK(cmp_page.body.find("href=\"/jurisdictions/DE\"") < cmp_page.body.find("href=\"/jurisdictions/CA\"", cmp_page.body.find("class=\"compare\"")));
  // The page takes fewer than two (the form); its API does not.
  CHECK(get("/compare?j=CA").status == 200);
  CHECK(has(get("/compare?j=CA"), "Choose at least one more jurisdiction."));
  CHECK(get("/api/v1/compare?j=CA&j=CA").status == 400);
  CHECK(get("/api/v1/compare?j=CA&j=ca").status == 400);
  CHECK(get("/api/v1/jurisdictions/ZZ").status == 404);
  CHECK(get("/api/v1/jurisdictions/c%3Ca").status == 400);
  CHECK(get("/api/v1/provisions/nope").status == 404);
}

TEST_CASE("the Convention pages escape hostile names and text", "[web]") {
  const std::string escaped = web::html(kHostileName);
  for (const std::string t : {"/jurisdictions/XX", "/provisions/possession", "/compare?j=CA&j=XX", "/compare"}) {
    INFO(t);
    const auto r = get(t);
    CHECK_FALSE(has(r, kHostileName));
    CHECK(has(r, escaped));
  }
  // Text from the law or an analyst, in every place the provision page shows it.
  auto model = json_of("/api/v1/provisions/possession");
  const std::string hostile = "<img src=x onerror=alert(1)>\"'&";
  model["title"] = model["question"] = hostile;
  REQUIRE_FALSE(model["rows"].empty());
  auto& row = model["rows"][0];
  row["jurisdiction_name"] = row["confidence_text"] = row["explanation"] = hostile;
  row["evidence"] = nlohmann::json::array({{{"section", hostile}, {"quote", hostile}, {"role", hostile}, {"language", hostile},
                                            {"version_date", hostile}, {"url", "\"><script>x</script>"}}});
  row["badge"]["reason"] = hostile;
  const auto html = web::render("provision", model);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find(web::html(hostile)) != std::string::npos);
}

TEST_CASE("templates from a folder: partials in lists, and a partial that includes itself is refused", "[web]") {
  test::TempDir dir;
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.path() / (name + ".mustache")) << text;
  };
  write("t", "{{#items}}[{{>_item}}]{{/items}}");
  write("_item", "{{name}}{{#tags}}<{{>_tag}}>{{/tags}}");
  write("_tag", "{{.}}");
  write("loop", "{{>_loop}}");
  write("_loop", "x{{>_loop}}");
  ::setenv("HRTRACK_WEB_TEMPLATES", dir.path().c_str(), 1);
  const auto model = nlohmann::json{{"items", {{{"name", "a&b"}, {"tags", {"1", "<2>"}}}, {{"name", "c"}, {"tags", nlohmann::json::array()}}}}};
  std::string out, error;
  try {
    out = web::render("t", model);
    web::render("loop", {});
  } catch (const std::runtime_error& e) {
    error = e.what();
  }
  ::unsetenv("HRTRACK_WEB_TEMPLATES");
  CHECK(out == "[a&amp;b<1><&lt;2&gt;>][c]");
  CHECK(error.find("nest deeper") != std::string::npos);
}

TEST_CASE("the CSV export has one row per evidence with a header", "[web]") {
  const auto r = get("/api/v1/export/answers.csv");
  REQUIRE(r.status == 200);
  CHECK(r.content_type.rfind("text/csv", 0) == 0);
  CHECK(r.body.rfind("jurisdiction,provision,status,", 0) == 0);
  CHECK(has(r, "\r\nCA,possession,"));
}

TEST_CASE("the Markdown report and the Atom feeds", "[web]") {
  const auto md = get("/reports/CA.md");
  CHECK(md.status == 200);
  CHECK(md.content_type.rfind("text/markdown", 0) == 0);
  CHECK(md.body.rfind("# Canada", 0) == 0);
  for (const std::string t : {"/feeds/changes.atom", "/feeds/jurisdictions/CA.atom", "/feeds/provisions/possession.atom"}) {
    INFO(t);
    const auto r = get(t);
    CHECK(r.status == 200);
    CHECK(r.content_type.rfind("application/atom+xml", 0) == 0);
    CHECK(r.body.rfind("<?xml", 0) == 0);
    CHECK(has(r, "</feed>"));
  }
}

TEST_CASE("bad parameters are 400 with a message; unknown addresses 404", "[web]") {
  for (const std::string t : {"/search?q=Spritzen&page=0", "/search?q=%22unbalanced", "/search?q=x&as_of=2020-13-01",
                              "/search?q=x&lang=english", "/search?q=x&concept=nope", "/compare?j=ca", "/compare?j=CA&j=ZZ",
                              "/section", "/section?id=nohash", "/section?id=C-38.8%234&version=abc", "/changes?kind=all",
                              "/jurisdictions/c%3Ca", "/api/v1/search", "/api/v1/search?q=x&limit=1000",
                              "/api/v1/compare?j=CA"}) {
    INFO(t);
    const auto r = get(t);
    CHECK(r.status == 400);
    CHECK(r.body.size() > 20);
  }
  for (const std::string t : {"/nope", "/jurisdictions/ZZ", "/provisions/nope", "/section?id=C-38.8%2399999",
                              "/section?id=NOPE%231", "/assets/../../etc/passwd", "/assets/layout.html", "/api/v1/nope",
                              "/api/v2/jurisdictions", "/reports/ZZ", "/feeds/jurisdictions/ZZ.atom"}) {
    INFO(t);
    CHECK(get(t).status == 404);
  }
  const auto api = get("/api/v1/nope");
  CHECK(api.content_type.rfind("application/json", 0) == 0);
  CHECK(nlohmann::json::parse(api.body)["error"].is_string());
}

TEST_CASE("hostile strings are escaped in every context", "[web]") {
  const auto overview = get("/");
  CHECK_FALSE(has(overview, "<script>alert"));
  CHECK(has(overview, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"));
  // In the map's JSON data island the name cannot close the script element.
  CHECK(has(overview, "\\u003cscript\\u003ealert"));
  CHECK_FALSE(has(get("/jurisdictions/XX"), "<script>alert"));
  CHECK_FALSE(has(get("/compare?j=CA&j=XX"), "<script>alert"));
  const auto search = get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E%22%27");
  CHECK_FALSE(has(search, "<script>alert(1)"));
  const auto missing = get("/section?id=%3Cimg%20src=x%20onerror=alert(1)%3E%231");
  CHECK(missing.status == 404);
  CHECK_FALSE(has(missing, "<img src=x"));
  const auto md = get("/reports/XX.md");
  CHECK_FALSE(has(md, "<script>"));
}

TEST_CASE("responses carry a strict Content-Security-Policy and no inline script", "[web]") {
  const auto r = get("/");
  const auto csp = r.header("content-security-policy");
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  // Scripts only by src; the one script element without src is JSON data.
  std::size_t at = 0;
  while ((at = r.body.find("<script", at)) != std::string::npos) {
    const auto end = r.body.find('>', at);
    const auto tag = r.body.substr(at, end - at);
    CHECK((tag.find(" src=") != std::string::npos || tag.find("application/json") != std::string::npos));
    at = end;
  }
  CHECK(r.header("x-content-type-options") == "nosniff");
}

TEST_CASE("ETags come from the data revision and answer 304", "[web]") {
  const auto first = get("/jurisdictions/CA");
  const auto etag = first.header("etag");
  REQUIRE(!etag.empty());
  CHECK(get("/api/v1/jurisdictions").header("etag") == etag);
  CHECK(get("/jurisdictions/CA", {{"if-none-match", etag}}).status == 304);
  CHECK(get("/jurisdictions/CA", {{"if-none-match", "\"stale\""}}).status == 200);
  const auto asset = get("/assets/style.css");
  CHECK(asset.status == 200);
  CHECK(get("/assets/style.css", {{"if-none-match", asset.header("etag")}}).status == 304);
  CHECK(get("/assets/d3-geo.min.js").status == 200);
  CHECK(get("/assets/countries-110m.json").body.find("\"Topology\"") != std::string::npos);
}

TEST_CASE("review forms refuse requests without their CSRF token", "[web]") {
  // No session at all.
  CHECK(post("/review/CA/possession", "status=provided&note=x").status == 403);
  CHECK(post("/login", "name=ana&password=s3cret-pass").status == 403);
  // A session, but the wrong token.
  const auto form = get("/login");
  const auto cookie = cookie_of(form);
  REQUIRE(cookie.rfind("hrlogin=", 0) == 0);
  CHECK(form.header("set-cookie").find("HttpOnly") != std::string::npos);
  CHECK(form.header("set-cookie").find("SameSite=Strict") != std::string::npos);
  CHECK(post("/login", "name=ana&password=s3cret-pass&csrf=forged", cookie).status == 403);
  // Wrong password: refused, still signed out.
  CHECK(post("/login", "name=ana&password=wrong-pass&csrf=" + csrf_of(form), cookie).status == 401);
  // Right token and password: a new session.
  const auto in = post("/login", "name=ana&password=s3cret-pass&csrf=" + csrf_of(form), cookie);
  REQUIRE(in.status == 303);
  const auto analyst = cookie_of(in);
  CHECK(analyst != cookie);
  const auto review = get("/review/CA/possession", {{"cookie", analyst}});
  REQUIRE(has(review, "Record decision"));
  const auto token = csrf_of(review);
  CHECK(post("/review/CA/possession", "status=restricted&note=checked", analyst).status == 403);
  CHECK(post("/review/CA/possession", "status=bogus&note=checked&csrf=" + token, analyst).status == 400);
  // Signed-in pages are not cached by ETag.
  CHECK(review.header("etag").empty());
}

TEST_CASE("an analyst's review is recorded and shown", "[web]") {
  const auto form = get("/login");
  const auto in = post("/login", "name=ana&password=s3cret-pass&csrf=" + csrf_of(form), cookie_of(form));
  REQUIRE(in.status == 303);
  const auto analyst = cookie_of(in);
  const auto token = csrf_of(get("/review/DE/urine-testing", {{"cookie", analyst}}));
  const auto done = post("/review/DE/urine-testing", "status=silent&note=read+the+whole+BtMG&csrf=" + token, analyst);
  CHECK(done.status == 303);
  const auto page = get("/jurisdictions/DE");
  CHECK(has(page, "reviewed by ana"));
  CHECK(has(get("/changes?kind=status&jurisdiction=DE"), "read the whole BtMG"));
}

TEST_CASE("the real server on 127.0.0.1: pages, limits, methods, concurrency", "[web]") {
  LocalServer server(4);
  server.start();
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(30, 0);
  auto r = client.Get("/");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type").rfind("text/html", 0) == 0);
  r = client.Get("/search?q=Bet%C3%A4ubungsmittel&jurisdiction=DE");
  REQUIRE(r);
  CHECK(r->body.find("<mark>") != std::string::npos);
  r = client.Post("/login", std::string(200 * 1024, 'a'), "application/x-www-form-urlencoded");
  REQUIRE(r);
  CHECK(r->status == 413);
  r = client.Delete("/");
  REQUIRE(r);
  CHECK(r->status == 405);
  r = client.Get("/nope");
  REQUIRE(r);
  CHECK(r->status == 404);
  // Handler threads each with their own handles: parallel clients all get answers.
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    clients.emplace_back([&] {
      httplib::Client cl("127.0.0.1", server.port());
      cl.set_read_timeout(30, 0);  // the first visit to a page computes its timeline
      for (const std::string p : {"/api/v1/search?q=possession", "/jurisdictions/DE", "/section?id=BtMG%2329"}) {
        auto res = cl.Get(p.c_str());
        if (res && res->status == 200) ++ok;
      }
    });
  for (auto& x : clients) x.join();
  CHECK(ok == 24);
}

TEST_CASE("more keep-alive connections than threads are all answered at once", "[web]") {
  // httplib holds a thread for each keep-alive connection: with a fixed pool of 2, the third
  // client waited for one of the first two to hang up (5 s of keep-alive).
  LocalServer server(2);
  server.start();
  std::vector<std::unique_ptr<httplib::Client>> open;
  int answered = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 12; ++i) {
    auto cl = std::make_unique<httplib::Client>("127.0.0.1", server.port());
    cl->set_keep_alive(true);
    cl->set_read_timeout(2, 0);
    auto r = cl->Get("/assets/style.css");
    if (r && r->status == 200) ++answered;
    open.push_back(std::move(cl));  // the connection stays open
  }
  CHECK(answered == 12);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  open.clear();
}

TEST_CASE("a burst of connects is queued by the kernel, not dropped", "[web]") {
  // Before the server accepts anything, 64 clients connect at once (as wrk does). With
  // httplib's backlog of 5 the kernel dropped the rest of the handshakes, and those clients
  // waited 1-3 s for retransmits.
  LocalServer server(64);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<int> fds;
  for (int i = 0; i < 64; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    REQUIRE(fd >= 0);
    (void)::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    fds.push_back(fd);
  }
  // A connect completes when the handshake does; poll until all have or 500 ms pass.
  int connected = 0;
  for (int round = 0; round < 50 && connected < 64; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    connected = 0;
    for (const int fd : fds) {
      int err = -1;
      socklen_t len = sizeof err;
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 0) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) ++connected;
    }
  }
  CHECK(connected == 64);
  // And each is served once the server runs.
  server.start();
  const std::string get = "GET /assets/style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  int answered = 0;
  for (const int fd : fds) {
    pollfd w{fd, POLLOUT, 0};
    if (::poll(&w, 1, 2000) == 1 && ::send(fd, get.data(), get.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(get.size())) {
      pollfd r{fd, POLLIN, 0};
      char buf[16] = {};
      if (::poll(&r, 1, 5000) == 1 && ::recv(fd, buf, 12, 0) == 12 && std::string(buf, 12) == "HTTP/1.1 200") ++answered;
    }
    ::close(fd);
  }
  CHECK(answered == 64);
}

TEST_CASE("a server on a folder without a catalogue refuses to start", "[web]") {
  test::TempDir empty;
  web::Config c;
  c.data_dir = empty.path();
  c.port = 0;
  web::Server server(c);
  const auto s = server.bind();
  CHECK_FALSE(s.ok());
  CHECK(s.error().message.find("hrtrack import") != std::string::npos);
}

TEST_CASE("the route table: each page and its JSON twin, and openapi.json from the same table", "[web]") {
  const auto spec = nlohmann::json::parse(get("/api/v1/openapi.json").body);
  int twins = 0;
  for (const auto& r : web::route_table()) {
    INFO(r.method << " " << r.pattern);
    if (!r.summary.empty()) CHECK(spec["paths"].contains(r.pattern));
    if (r.twin.empty()) continue;
    ++twins;
    REQUIRE(!r.example.empty());
    const auto page = get(r.example);
    CHECK(page.status == 200);
    CHECK(page.content_type.rfind("text/html", 0) == 0);
    const auto target = web::twin_of(r.example);
    INFO(target);
    CHECK(target.rfind("/api/v1/", 0) == 0);
    const auto twin = get(target);
    CHECK(twin.status == 200);
    const auto model = nlohmann::json::parse(twin.body, nullptr, false);
    REQUIRE(!model.is_discarded());
    // The page shows the model it was rendered from.
    if (model.is_object() && model.contains("title") && model["title"].is_string())
      CHECK(has(page, web::html(model["title"].get<std::string>())));
  }
  CHECK(twins >= 10);
  // Page and API choose the same version, and read the same search parameters.
  const auto section = nlohmann::json::parse(get("/api/v1/sections?id=BtMG%2329").body);
  CHECK(has(get("/section?id=BtMG%2329"), "version=" + std::to_string(section["version"]["id"].get<long long>())));
  const auto search = nlohmann::json::parse(get("/api/v1/search?q=possession&page=2&limit=10").body);
  CHECK(search["query"]["offset"] == 10);
  REQUIRE(search["hits"].size() > 0);
  CHECK(search["hits"][0]["rank"] == 11);
  CHECK(search["hits"][0]["snippet"].is_string());
  CHECK(search["hits"][0]["marks"].is_array());
}

TEST_CASE("the changes, report and review twins carry what their pages show", "[web]") {
  // /api/v1/changes answers as it always did (first 100, kind/date/... per change), with the
  // page's fields beside them.
  const auto changes = nlohmann::json::parse(get("/api/v1/changes").body);
  REQUIRE(changes["changes"].size() > 0);
  CHECK(changes["changes"].size() <= 100);
  CHECK(changes["query"]["limit"] == 100);
  for (const auto& ch : changes["changes"]) {
    INFO(ch.dump());
    REQUIRE(ch["kind"].is_string());
    CHECK(ch["jurisdiction"].is_string());
    CHECK(ch["jurisdiction_url"].is_string());
    CHECK(ch["jurisdiction_name"].is_string());
    if (ch["kind"] == "version") {
      for (const char* k : {"date", "instrument", "language", "title", "summary", "instrument_url"}) CHECK(ch[k].is_string());
      CHECK(ch["version_id"].is_number());
      CHECK(ch["first"].is_boolean());
      for (const char* k : {"added", "changed", "removed", "numbers"}) CHECK(ch[k].is_array());
    } else {
      for (const char* k : {"time", "day", "provision", "from", "to", "by", "note", "kind_label", "provision_url", "provision_title"})
        CHECK(ch[k].is_string());
    }
  }
  for (const char* k : {"jurisdictions", "provisions", "kinds"}) CHECK(changes["form"][k].is_array());
  CHECK(changes["feed"] == "/feeds/changes.atom");
  // The page shows 50 a page, and its twin with the same limit the same changes.
  const auto page2 = nlohmann::json::parse(get("/api/v1/changes?limit=50&page=2").body);
  const auto all = changes["total"].get<std::size_t>();
  CHECK(page2["changes"].size() == std::min<std::size_t>(50, all > 50 ? all - 50 : 0));
  if (all > 50) CHECK(has(get("/changes"), "rel=\"next\" href=\"/changes?page=2\""));
  CHECK(get("/api/v1/changes?page=0").status == 400);
  CHECK(get("/api/v1/changes?kind=all").status == 400);

  const auto report = nlohmann::json::parse(get("/api/v1/reports/CA").body);
  CHECK(report["title"] == "Canada – country report");
  CHECK(report["coded"] == true);
  CHECK(report["score"]["rank"].is_number());
  REQUIRE(report["answers"].size() == 10);
  for (const auto& a : report["answers"]) {
    for (const char* k : {"provision", "provision_title", "provision_url", "status", "confidence_label"}) CHECK(a[k].is_string());
    CHECK(a["badge"]["class"].is_string());
    CHECK(a["sections"].is_array());
    CHECK(a["evidence"].is_array());
  }
  REQUIRE(report["citations"].size() > 0);
  CHECK(report["citations"][0]["url"].get<std::string>().rfind("/section?id=", 0) == 0);
  const auto za = nlohmann::json::parse(get("/api/v1/reports/ZA").body);
  CHECK(za["not_assessed"].get<std::string>().find("holds no drug law") != std::string::npos);
  CHECK(za["score"].is_null());
  CHECK(za["documents_read"]["items"].size() == 1);
  CHECK(get("/api/v1/reports/ZZ").status == 404);
  CHECK(get("/api/v1/reports/c%3Ca").status == 400);

  const auto list = nlohmann::json::parse(get("/api/v1/review").body);
  CHECK(list["signed_in"] == false);
  REQUIRE(list["answers"].size() >= 20);
  CHECK(list["answers"][0]["url"].get<std::string>().rfind("/review/", 0) == 0);
  // A review form's twin is the public part: no form and no CSRF token for a visitor, and
  // for an analyst the form without the token (the page adds it).
  const auto anon = nlohmann::json::parse(get("/api/v1/review/CA/possession").body);
  CHECK(anon["form"].is_null());
  CHECK(anon["answer"]["badge"]["class"].is_string());
  CHECK(get("/api/v1/review/CA/nope").status == 404);
  const auto form = get("/login");
  const auto in = post("/login", "name=ana&password=s3cret-pass&csrf=" + csrf_of(form), cookie_of(form));
  REQUIRE(in.status == 303);
  const auto analyst = cookie_of(in);
  const auto signed_in = get("/api/v1/review/CA/possession", {{"cookie", analyst}});
  const auto model = nlohmann::json::parse(signed_in.body);
  REQUIRE(model["form"].is_object());
  CHECK(model["form"]["statuses"].size() == 4);
  CHECK_FALSE(model["form"].contains("csrf"));
  const auto token = csrf_of(get("/review/CA/possession", {{"cookie", analyst}}));
  REQUIRE(token.size() == 64);
  CHECK(signed_in.body.find(token) == std::string::npos);
  CHECK(signed_in.header("cache-control") == "no-store");
}

namespace {

// Whether `xml` is well-formed; its root's name and the text of every <summary>.
struct Parsed {
  bool ok = false;
  std::string root;
  std::vector<std::string> summaries;
  std::string title;
};

Parsed parse_xml(const std::string& xml) {
  Parsed out;
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return out;
  out.ok = true;
  const xmlNode* root = xmlDocGetRootElement(doc);
  out.root = reinterpret_cast<const char*>(root->name);
  auto text = [](const xmlNode* n) {
    xmlChar* t = xmlNodeGetContent(n);
    std::string s = t ? reinterpret_cast<const char*>(t) : "";
    xmlFree(t);
    return s;
  };
  for (const xmlNode* n = root->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    const std::string name = reinterpret_cast<const char*>(n->name);
    if (name == "title") out.title = text(n);
    if (name != "entry") continue;
    for (const xmlNode* e = n->children; e; e = e->next)
      if (e->type == XML_ELEMENT_NODE && std::string(reinterpret_cast<const char*>(e->name)) == "summary")
        out.summaries.push_back(text(e));
  }
  xmlFreeDoc(doc);
  return out;
}

}  // namespace

TEST_CASE("hostile values are escaped in the changes, report and review pages, the feeds and Markdown", "[web]") {
  // HTML: the hostile jurisdiction's name in the report, the changes form and the review pages.
  for (const std::string t : {"/reports/XX", "/changes", "/review", "/review/XX/possession"}) {
    INFO(t);
    const auto r = get(t);
    CHECK(r.status == 200);
    CHECK_FALSE(has(r, "<script>alert"));
  }
  CHECK(has(get("/reports/XX"), "<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</h1>"));
  // Atom: well-formed, and the name comes back as the text it is.
  for (const std::string t : {"/feeds/changes.atom", "/feeds/jurisdictions/CA.atom", "/feeds/provisions/possession.atom",
                              "/feeds/jurisdictions/XX.atom"}) {
    INFO(t);
    const auto feed = parse_xml(get(t).body);
    CHECK(feed.ok);
    CHECK(feed.root == "feed");
  }
  CHECK(parse_xml(get("/feeds/jurisdictions/XX.atom").body).title == std::string("hrtrack: changes in ") + kHostileName);
  const std::string nasty = "</summary><entry>&amp; \x01 \xff <![CDATA[ x ]]>";
  const auto atom = web::render("changes_atom", {{"title", nasty}, {"self", "http://h/x\"y"}, {"home", "h"}, {"updated", "u"},
                                                 {"entries", {{{"title", nasty}, {"id", "i"}, {"link", "l'\""}, {"updated", "u"},
                                                               {"summary", nasty}}}}},
                                web::Output::xml);
  const auto parsed = parse_xml(atom);
  REQUIRE(parsed.ok);
  REQUIRE(parsed.summaries.size() == 1);
  CHECK(parsed.summaries[0] == "</summary><entry>&amp; \xEF\xBF\xBD \xEF\xBF\xBD <![CDATA[ x ]]>");
  // Markdown: the name is escaped text; a value with line breaks and block markers stays
  // inside its line.
  const auto md = get("/reports/XX.md");
  CHECK(md.body.rfind("# \\<script\\>alert(\"x\")\\</script\\>&': ", 0) == 0);
  auto model = nlohmann::json::parse(get("/api/v1/reports/CA").body);
  auto& a = model["answers"][0];
  a["explanation"] = "- a list?\n# a heading?\n\n| a | table |";
  a["provision_title"] = "1. first\n## second";
  REQUIRE(!a["evidence"].empty());
  a["evidence"][0]["quote"] = "\n\n1. quoted\n> nested\n```";
  const auto text = web::render("report_md", model, web::Output::markdown);
  INFO(text);
  CHECK(text.find("\n\\- a list? \\# a heading?  \\| a \\| table \\|\n") != std::string::npos);
  CHECK(text.find("\n### 1\\. first \\#\\# second: ") != std::string::npos);
  CHECK(text.find("\n> 1\\. quoted \\> nested \\`\\`\\`\n") != std::string::npos);
  for (const std::string line : {"\n# a heading?", "\n- a list?", "\n## second", "\n1. quoted", "\n```"})
    CHECK(text.find(line) == std::string::npos);
}

TEST_CASE("a version read from a git repository shows its commit beside its source", "[web]") {
  test::TempDir dir;
  const std::string commit = "0c74d1423e66a720d155cedf84f62c966ebbe5f2";
  {
    auto store = corpus::Store::open(dir.path());
    REQUIRE(store);
    corpus::ImportOptions o;
    o.source_commit = commit;
    const auto report = corpus::Importer(*store.value()).import_paths({test::legislation("DE/btmg_1981.gii.xml")}, o);
    REQUIRE(report.versions_new == 1);
  }
  web::Config c;
  c.data_dir = dir.path();
  web::Site git_site(c);
  auto ask = [&](const std::string& target) {
    Request r;
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    r.query = web::parse_query(target.substr(q + 1));
    return git_site.handle(r);
  };
  const auto page = ask("/section?id=BtMG%2329");
  REQUIRE(page.status == 200);
  CHECK(has(page, "commit <code class=\"commit\">" + commit + "</code>"));
  const auto api = ask("/api/v1/sections?id=BtMG%2329");
  REQUIRE(api.status == 200);
  CHECK(nlohmann::json::parse(api.body)["version"]["source_commit"] == commit);
  const auto inst = ask("/instrument?id=BtMG");
  REQUIRE(inst.status == 200);
  CHECK(has(inst, commit));
}
