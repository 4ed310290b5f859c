#include <catch2/catch.hpp>

#include "hrtrack/base/ascii.hpp"
#include "hrtrack/base/date.hpp"
#include "hrtrack/base/hash.hpp"
#include "hrtrack/base/hex.hpp"
#include "hrtrack/base/utf8.hpp"

using namespace hrtrack::base;

TEST_CASE("a date is YYYY-MM-DD and a day of the calendar", "[date]") {
  CHECK(is_calendar_date("2024-02-29"));
  CHECK(is_calendar_date("2000-02-29"));
  CHECK(is_calendar_date("0001-01-01"));
  CHECK(is_calendar_date("9999-12-31"));
  CHECK_FALSE(is_calendar_date("2023-02-29"));
  CHECK_FALSE(is_calendar_date("1900-02-29"));
  CHECK_FALSE(is_calendar_date("2022-02-30"));
  CHECK_FALSE(is_calendar_date("2022-04-31"));
  CHECK_FALSE(is_calendar_date("2022-13-01"));
  CHECK_FALSE(is_calendar_date("2022-00-10"));
  CHECK_FALSE(is_calendar_date("2022-01-00"));
  CHECK_FALSE(is_calendar_date("0000-01-01"));
  CHECK_FALSE(is_calendar_date("2022-1-01"));
  CHECK_FALSE(is_calendar_date("2022/01/01"));
  CHECK_FALSE(is_calendar_date("2022-01-01T00:00"));
  CHECK_FALSE(is_calendar_date("+022-01-01"));
  CHECK_FALSE(is_calendar_date(""));
  const auto d = parse_date("2024-05-23");
  REQUIRE(d);
  CHECK(format_date(*d) == "2024-05-23");
}

TEST_CASE("UTC dates and times are written as the catalogue stores them", "[date]") {
  using namespace std::chrono;
  const sys_seconds t = sys_days{year{2026} / 11 / 22} + hours{7} + minutes{35} + seconds{51};
  CHECK(utc_date(t) == "2026-11-22");
  CHECK(utc_timestamp(t) == "2026-11-22T07:35:51Z");
}

TEST_CASE("UTF-8 is valid only as RFC 3629 defines it", "[utf8]") {
  CHECK(valid_utf8(""));
  CHECK(valid_utf8("Betäubungsmittel"));
  CHECK(valid_utf8("\xF0\x9F\x98\x80"));        // U+1F600
  CHECK(valid_utf8("\xF4\x8F\xBF\xBF"));        // U+10FFFF
  CHECK_FALSE(valid_utf8("\xC3"));              // truncated
  CHECK_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(valid_utf8("\xE0\x80\xAF"));      // overlong
  CHECK_FALSE(valid_utf8("\xED\xA0\x80"));      // a surrogate (U+D800)
  CHECK_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(valid_utf8("abc\xFF"));
  CHECK(utf8_sequence_length("a\xC3\xA4", 0) == 1);
  CHECK(utf8_sequence_length("a\xC3\xA4", 1) == 2);
  CHECK(utf8_sequence_length("a\xC3\xA4", 2) == 0);  // a continuation byte
  CHECK(utf8_sequence_length("\xED\xA0\x80", 0) == 0);
  CHECK(utf8_sequence_length("\xE2\x82", 0) == 0);
  CHECK(utf8_sequence_length("x", 5) == 0);
}

TEST_CASE("ASCII folding leaves other bytes alone", "[ascii]") {
  CHECK(ascii_lower("BtMG-Ä 12") == "btmg-Ä 12");
  CHECK(ascii_upper("us-or ä") == "US-OR ä");
  CHECK(ascii_iequals("Content-Type", "content-type"));
  CHECK_FALSE(ascii_iequals("Straße", "STRASSE"));
  CHECK_FALSE(ascii_iequals("a", "ab"));
}

TEST_CASE("hex round-trips bytes", "[hex]") {
  const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  CHECK(to_hex(bytes, sizeof bytes) == "000fa5ff");
  CHECK(from_hex("000FA5ff") == std::string("\x00\x0f\xa5\xff", 4));
  CHECK_FALSE(from_hex("abc"));
  CHECK_FALSE(from_hex("zz"));
  CHECK(hex_value('g') == -1);
}

TEST_CASE("FNV-1a gives the published 64-bit values; a seed starts elsewhere", "[hash]") {
  CHECK(Fnv1a().value() == 0xcbf29ce484222325ULL);
  CHECK(Fnv1a().add("a").value() == 0xaf63dc4c8601ec8cULL);
  CHECK(Fnv1a().add("foobar").hex() == "85944171f73967e8");
  CHECK(Fnv1a().add("ab").add("c").value() == Fnv1a().add("abc").value());
  CHECK(Fnv1a(1).add("a").value() != Fnv1a().add("a").value());
  CHECK(Fnv1a().add_word(7).value() == ((Fnv1a::kOffsetBasis ^ 7) * 1099511628211ULL));
}
