// USLM (United States Legislative Markup): bills and resolutions from GPO, US Code titles.
// A section is a `section` with a `num`; titles, divisions and the like around it form its
// path. Amending text inside `quotedContent` is text of the section that quotes it, never a
// section of its own. Section numbers may repeat across the divisions of an omnibus bill, so
// sections are kept in document order, duplicates included.
#include <algorithm>
#include <array>
#include <cctype>

#include "parsers.hpp"
#include "text.hpp"
#include "xml_walker.hpp"

namespace hrtrack::corpus::parsers {
namespace {

using xml::Role;
using xml::Unit;

constexpr xml::ElementRole kRoles[] = {
    {"meta preface endorsement", Role::editorial, Unit::skip},
    {"quotedContent", Role::inline_, Unit::skip},
    {"section", Role::block, Unit::section},
    {"division subdivision title subtitle part subpart chapter subchapter", Role::inline_, Unit::container},
    {"num", Role::number},
    {"heading", Role::heading},
    {"subsection paragraph subparagraph clause subclause item subitem subsubitem continuation p tr "
     "quotedBlock toc",
     Role::block},
    {"footnote note sourceCredit", Role::note},
    {"ref", Role::external_ref},
};
constexpr std::string_view kRoots[] = {"bill", "resolution", "uscDoc"};

// "/us/usc/t21/s959/b" -> {"21 U.S.C.", "959"}; "/us/pl/115/141/dB/s5" -> {"Pub. L. 115-141", "5"}.
struct Target {
  std::string instrument;
  std::string section;
};

// The kinds of bill and resolution: as hrefs and dc:type name them, and as cited.
struct BillKind {
  std::string_view code, type, abbreviation;
};
constexpr BillKind kBillKinds[] = {
    {"hr", "House Bill", "H.R."}, {"s", "Senate Bill", "S."},
    {"hjres", "House Joint Resolution", "H.J.Res."}, {"sjres", "Senate Joint Resolution", "S.J.Res."},
    {"hconres", "House Concurrent Resolution", "H.Con.Res."},
    {"sconres", "Senate Concurrent Resolution", "S.Con.Res."},
    {"hres", "House Resolution", "H.Res."}, {"sres", "Senate Resolution", "S.Res."},
};

std::string bill_abbreviation(std::string_view code) {
  for (const BillKind& k : kBillKinds)
    if (code == k.code) return std::string(k.abbreviation);
  return {};
}

// 116 -> "116th", 101 -> "101st", 112 -> "112th".
std::string ordinal(std::string_view n) {
  const std::string s = trim(n);
  if (s.empty()) return s;
  const int last = s.back() - '0';
  const bool teen = s.size() >= 2 && s[s.size() - 2] == '1';
  const char* suffix = teen ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
  return s + suffix;
}

std::string bill_identifier(std::string_view abbr, std::string_view number, std::string_view congress) {
  return std::string(abbr) + " " + std::string(number) + " (" + ordinal(congress) + ")";
}

// The section of a path such as ".../s959/b" or "s811–812": its first number.
std::string section_of(const std::vector<std::string>& parts) {
  for (const auto& p : parts) {
    if (p.size() < 2 || p[0] != 's' || !std::isdigit(static_cast<unsigned char>(p[1]))) continue;
    std::string n = p.substr(1);
    const auto dash = n.find("\xE2\x80\x93");
    return dash == std::string::npos ? n : n.substr(0, dash);
  }
  return {};
}

Target parse_href(std::string_view href) {
  std::string_view h = href;
  if (h.starts_with("/")) h.remove_prefix(1);
  if (h.starts_with("us/")) h.remove_prefix(3);
  const auto parts = split(h, '/');
  auto at = [&](std::size_t i) { return i < parts.size() ? parts[i] : std::string(); };
  const std::vector<std::string> rest(parts.size() > 2 ? parts.begin() + 2 : parts.end(), parts.end());
  if (at(0) == "usc" && at(1).starts_with("t"))
    return {at(1).substr(1) + " U.S.C.", section_of(rest)};
  if (at(0) == "usc" || at(0) == "usc-chapter")  // "usc/21/959": the older short form
    return {at(1) + " U.S.C.", at(0) == "usc" ? at(2) : std::string()};
  if (at(0) == "cfr" && at(1).starts_with("t"))
    return {at(1).substr(1) + " CFR", section_of(rest)};
  if (at(0) == "pl") {
    const std::vector<std::string> tail(parts.size() > 3 ? parts.begin() + 3 : parts.end(), parts.end());
    return {"Pub. L. " + at(1) + "-" + at(2), section_of(tail)};
  }
  if (at(0) == "stat") return {at(1) + " Stat. " + at(2), {}};
  if (at(0) == "bill" && !bill_abbreviation(at(2)).empty()) {
    const std::vector<std::string> tail(parts.size() > 4 ? parts.begin() + 4 : parts.end(), parts.end());
    return {bill_identifier(bill_abbreviation(at(2)), at(3), at(1)), section_of(tail)};
  }
  return {std::string(href), {}};
}

std::optional<Citation> cite(const xmlNode* ref, const xml::Walker& w) {
  const std::string href = xml::attr(ref, "href");
  // GPO nests the canonical link inside an older one; the inner ref is cited once.
  if (href.empty() || xml::find(ref, "ref")) return std::nullopt;
  Target t = parse_href(href);
  if (t.instrument == w.document().identifier) t.instrument.clear();
  return Citation{href, t.instrument, normalize_section_number(t.section), "markup"};
}

// "SEC. 2." -> "Sec. 2.": the capitals are typography; GPO prints the same label in small
// caps. The enacting words of an appropriations act sit in a `section` without a number.
bool section(const xmlNode* n, ParsedSection& s, const xml::Walker&) {
  const xmlNode* num = xml::child(n, "num");
  if (!num) return false;
  s.label = xml::clean_text(num);
  if (s.label.starts_with("SEC.")) s.label = "Sec." + s.label.substr(4);
  else if (s.label.starts_with("SECTION")) s.label = "Section" + s.label.substr(7);
  const std::string value = xml::attr(num, "value");
  s.number = normalize_section_number(value.empty() ? s.label : value);
  return true;
}

// dc:type "House Bill" -> "H.R."; falls back on the preface's printed "H. R. ".
std::string bill_type_abbreviation(const xmlNode* meta, const xmlNode* preface) {
  const std::string type = xml::clean_text(xml::child(meta, "type"));
  for (const BillKind& k : kBillKinds)
    if (type == k.type) return std::string(k.abbreviation);
  std::string printed = xml::clean_text(xml::child(preface, "type"));
  printed.erase(std::remove(printed.begin(), printed.end(), ' '), printed.end());
  return printed;
}

// The latest action date in the preface, else dc:date: the stage this text records.
std::string document_date(const xmlNode* meta, const xmlNode* preface) {
  std::string latest;
  for (const xmlNode* action : xml::children(preface, "action"))
    for (const xmlNode* d : xml::children(action, "date"))
      latest = std::max(latest, to_iso_date(xml::attr(d, "date")));
  if (latest.empty()) latest = to_iso_date(xml::clean_text(xml::child(meta, "date")));
  if (latest.empty()) latest = to_iso_date(xml::clean_text(xml::child(meta, "created")));
  return latest;
}

// The Act's own short title ("This Act may be cited as ..."), outside quoted amendments.
const xmlNode* act_short_title(const xmlNode* n) {
  for (const xmlNode* c : xml::children(n)) {
    if (xml::is(c, "quotedContent")) continue;
    if (xml::is(c, "shortTitle") && xml::attr(c, "role") == "act") return c;
    if (const xmlNode* found = act_short_title(c)) return found;
  }
  return nullptr;
}

std::string document_title(const xmlNode* root, const xmlNode* meta) {
  std::string title = xml::clean_text(act_short_title(root));
  if (title.empty()) title = xml::clean_text(xml::find(root, "officialTitle"));
  if (title.empty()) title = xml::clean_text(xml::child(meta, "title"));
  return title;
}

Status metadata(const xmlNode* root, const ParseContext&, ParsedDocument& doc, xml::Walker&) {
  const xmlNode* meta = xml::child(root, "meta");
  const xmlNode* preface = xml::child(root, "preface");
  const std::string number = xml::clean_text(xml::child(meta, "docNumber"));
  if (xml::is(root, "uscDoc")) {
    doc.identifier = number.empty() ? std::string() : number + " U.S.C.";
    doc.type = InstrumentType::act;
  } else {
    const std::string congress = xml::clean_text(xml::child(meta, "congress"));
    const std::string abbr = bill_type_abbreviation(meta, preface);
    if (!number.empty() && !abbr.empty() && !congress.empty())
      doc.identifier = bill_identifier(abbr, number, congress);
    doc.type = InstrumentType::bill;
  }
  for (const xmlNode* c : xml::children(meta, "citableAs"))
    if (std::string a = xml::clean_text(c); !a.empty() && a != doc.identifier) doc.aliases.push_back(a);
  doc.title = document_title(root, meta);
  doc.jurisdiction = "US";
  const std::string lang = ascii_lower(xml::clean_text(xml::child(meta, "language")));
  doc.language = lang.empty() ? "en" : lang.substr(0, 2);
  doc.date = document_date(meta, preface);
  doc.date_source = "bill action date";
  return {};
}

}  // namespace

// A level opens a line: "(a) text"; a number alone ("(a)" before "(1) ...") waits for the
// line it opens; the full stop after a quoted block closes its last line.
const xml::Format uslm{
    .name = "a USLM bill, resolution or uscDoc",
    .roots = kRoots,
    .elements = kRoles,
    .layout = {.bare_number = 12, .bare_bracketed = true, .inner_heading = Role::inline_,
               .punctuation_closes = true},
    .metadata = metadata,
    .cite = cite,
    .section = section,
};

}  // namespace hrtrack::corpus::parsers
