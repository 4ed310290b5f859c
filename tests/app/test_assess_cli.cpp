// The real hrtrack binary: a jurisdiction not assessed is said so in `analyze` (text and
// JSON), apart from the ranked ones; `timeline` tells where coverage starts from a change.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "shared.hpp"

using hrtrack::test::legislation;
using hrtrack::test::cli;
using hrtrack::test::run;
using hrtrack::test::TempDir;

namespace {


}  // namespace

TEST_CASE("analyze lists a jurisdiction with no drug law apart, unranked; timeline says where coverage starts",
          "[app]") {
  TempDir data;
  // Two versions of the CDSA (the second qualifies possession), and a court judgment (ZA).
  REQUIRE(cli(data, {"import", legislation("history/CA/eng_acts_C-38.8@2022-09-15.xml").string(),
                     legislation("history/CA/eng_acts_C-38.8@2022-12-09.xml").string(), legislation("ZA").string()})
              .status == 0);
  REQUIRE(cli(data, {"index"}).status == 0);

  const auto text = cli(data, {"analyze"});
  INFO(text.err);
  REQUIRE(text.status == 0);
  const auto apart = text.out.find("not assessed (unranked, no score, not in the means):");
  REQUIRE(apart != std::string::npos);
  CHECK(text.out.find("CA  score ") < apart);
  CHECK(text.out.find("ZA  not assessed: the corpus holds no drug law for it", apart) != std::string::npos);
  CHECK(text.out.find("ZA  score") == std::string::npos);
  CHECK(text.out.find("read: C-38.8 (en; 2022-11-17)") != std::string::npos);  // a silent answer's documents

  const auto json = cli(data, {"analyze", "--json"});
  REQUIRE(json.status == 0);
  const auto j = nlohmann::json::parse(json.out);
  bool za = false;
  for (const auto& x : j["jurisdictions"]) {
    if (x["jurisdiction"] == "CA") CHECK(x["rank"] == 1);
    if (x["jurisdiction"] != "ZA") continue;
    za = true;
    CHECK(x["assessed"] == false);
    CHECK(x["rank"].is_null());
    CHECK(x["score"].is_null());
    CHECK(x["answers"][0]["status"] == "not-assessed");
  }
  CHECK(za);
  CHECK(j["mean"]["assessed"] == 1);

  const auto timeline = cli(data, {"timeline", "CA"});
  REQUIRE(timeline.status == 0);
  CHECK(timeline.out.find("coverage starts: C-38.8 @ 2022-08-31 (en)") != std::string::npos);
  CHECK(timeline.out.find("changed by: C-38.8#10.") != std::string::npos);
}
