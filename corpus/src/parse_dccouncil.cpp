// DC Council XML (the Council's "dc-library" schema, code.dccouncil.us): the D.C. Code
// published one section per file, its title indexes, and the session laws that amend it.
//
// A code section file is a part: its root `section` names the instrument it belongs to
// (containing-doc), so the document is that instrument, holding one section; the import
// merges it into the instrument (ParsedDocument::part). A title index is a `container` of
// XInclude references only: no legal text. A session law is a `document` whose sections
// carry codification instructions (codify:*) beside the printed amending words; the
// instructions repeat the words for a machine and are left out, the quoted new text
// (`include`) is kept in the text, in quotes.
#include <libxml/tree.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/import.hpp"
#include "parsers.hpp"
#include "text.hpp"
#include "xml_walker.hpp"

namespace hrtrack::corpus::parsers {
namespace {

using Node = const xmlNode*;

constexpr std::string_view kLibrary = "https://code.dccouncil.us/schemas/dc-library";
constexpr std::string_view kXInclude = "http://www.w3.org/2001/XInclude";

std::string_view ns_of(Node n) {
  return n && n->ns && n->ns->href ? std::string_view(reinterpret_cast<const char*>(n->ns->href))
                                   : std::string_view();
}
// Elements of the other namespaces (codify, codified, cache, macro) are instructions for the
// Council's own tools, never printed text.
bool printed(Node n) { return xml::is_element(n) && ns_of(n) == kLibrary; }
bool lib(Node n, std::string_view name) { return printed(n) && xml::name(n) == name; }

Node lib_child(Node n, std::string_view name) {
  for (Node c : xml::children(n))
    if (lib(c, name)) return c;
  return nullptr;
}

// The code the library publishes: a section file that names no containing document (newer
// editions leave containing-doc out) is one of its sections, and a reference without a doc
// attribute points into it.
constexpr std::string_view kLibraryCode = "D.C. Code";

// The names the Council's documents are also cited by (the session laws say "D.C. Official
// Code § 48-1101" of what the section files call containing-doc="D.C. Code").
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kOtherNames = {{
    {"D.C. Code", "D.C. Official Code"},
    {"D.C. Code", "District of Columbia Official Code"},
}};

// "Sept. 17, 1982, D.C. Law 4-149, § 4a" -> "1982-09-17": the first date a note prints.
std::string printed_date(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  const auto alpha = [&](std::size_t i) { return i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])); };
  const auto digit = [&](std::size_t i) { return i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); };
  for (std::size_t i = 0; i + 3 <= s.size(); ++i) {
    if ((i > 0 && alpha(i - 1)) || !alpha(i)) continue;
    const std::string m = ascii_lower(s.substr(i, 3));
    const auto month = std::find(kMonths.begin(), kMonths.end(), m);
    if (month == kMonths.end()) continue;
    std::size_t j = i + 3;
    while (alpha(j)) ++j;
    if (j < s.size() && s[j] == '.') ++j;
    while (j < s.size() && s[j] == ' ') ++j;
    int day = 0, digits = 0;
    for (; digit(j) && digits < 2; ++j, ++digits) day = day * 10 + (s[j] - '0');
    if (digits == 0 || day < 1 || day > 31 || j >= s.size() || s[j] != ',') continue;
    ++j;
    while (j < s.size() && s[j] == ' ') ++j;
    std::string year;
    for (; digit(j) && year.size() < 4; ++j) year += s[j];
    if (year.size() != 4 || digit(j)) continue;
    const int mon = static_cast<int>(month - kMonths.begin()) + 1;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s-%02d-%02d", year.c_str(), mon, day);
    return buf;
  }
  return {};
}

// "§7-403|(i)|(2)" -> "7-403"; "7|16B" (a chapter of a title) -> "": no section.
std::string section_of_path(std::string_view path) {
  if (!path.starts_with("\xC2\xA7")) return {};
  path.remove_prefix(2);
  return normalize_section_number(path.substr(0, path.find('|')));
}

// "§5|(c)" -> "§ 5(c)", for a note made from a History annotation's attributes.
std::string printed_path(std::string_view path) {
  std::string out;
  for (const auto& part : split(path, '|')) {
    if (part.starts_with("\xC2\xA7")) out += "\xC2\xA7 " + part.substr(2);
    else out += part;
  }
  return out;
}

using xml::Role;
using xml::Unit;

// A section's paras each open a line, "(a) text", nested ones indented two spaces a level;
// a para without text of its own opens its first child's line ("(a)(1) Except as ...").
// Annotations are notes; cites are citations; the new text an amending law quotes
// (`include`) is kept in quotation marks.
constexpr xml::ElementRole kRoles[] = {
    {"section", Role::block, Unit::section},
    {"container", Role::block, Unit::container},
    {"meta", Role::editorial, Unit::skip},
    {"num", Role::editorial, {}, "undesignated", "true"},  // a level the Code does not print
    {"num prefix", Role::number},
    {"heading", Role::heading},
    {"para", Role::block},
    {"text", Role::editorial, {}, {}, {}, "annotations"},  // editor's notes are not read
    {"text aftertext", Role::line},
    {"include", Role::quotation},
    {"annotations", Role::inline_},
    {"annotation", Role::note},
    {"cite code-cite", Role::external_ref},
};

// Where a cross-reference points: a reference without a doc attribute names the instrument
// of a code section, or the one a session law's section codifies into.
std::optional<Citation> cite(const xmlNode* c, const xml::Walker& w) {
  const xmlNode* unit = w.current_unit();
  const std::string& self = w.document().identifier;
  const std::string path = xml::attr(c, "path");
  std::string doc = xml::attr(c, "doc");
  if (doc.empty()) doc = !xml::parent(unit) ? self : xml::attr(unit, "doc");
  if (doc.empty()) doc = kLibraryCode;
  std::string section = section_of_path(path);
  if (doc == self) doc.clear();
  if (doc.empty() && section.empty()) return std::nullopt;  // a chapter or title of the same instrument
  return Citation{path.empty() ? xml::attr(c, "doc") : path, doc, section, "markup"};
}

// "History: Sept. 17, 1982, D.C. Law 4-149, § 4a"; a History annotation that prints
// nothing is written from its attributes.
std::string note(const xmlNode* a, xml::Walker&) {
  const std::string type = xml::attr(a, "type");
  std::string text = collapse_space(xml::text(a));
  if (type == "History" && text.empty()) {
    text = xml::attr(a, "doc");
    if (const std::string p = xml::attr(a, "path"); !p.empty()) text += ", " + printed_path(p);
    if (is_calendar_date(xml::attr(a, "eff"))) text += ", effective " + xml::attr(a, "eff");
  }
  if (text.empty()) return {};
  return type.empty() ? text : type + ": " + text;
}

// A section quoted whole by an amending law prints as "Sec. 104a.".
std::string number(const xmlNode* num, std::string text, const xml::Walker&) {
  if (!text.empty() && lib(xml::parent(num), "section")) return "Sec. " + text + ".";
  return text;
}

// The latest History annotation's date: of those displayed, else of all. Hidden History
// lines record temporary and emergency measures, whose changes the codified text does not
// carry: they do not date it.
void history_dates(Node n, std::string& shown, std::string& any) {
  for (Node c : xml::children(n)) {
    if (!printed(c) || lib(c, "text") || lib(c, "aftertext")) continue;
    if (lib(c, "annotation")) {
      if (xml::attr(c, "type") != "History") continue;
      std::string date = xml::attr(c, "eff");
      if (!is_calendar_date(date)) date = printed_date(collapse_space(xml::text(c)));
      if (xml::attr(c, "display") != "false") shown = std::max(shown, date);
      any = std::max(any, date);
    } else {
      history_dates(c, shown, any);
    }
  }
}

// "§ 48-904.01" in the Code, "Sec. 2" in a session law.
bool section(const xmlNode* n, ParsedSection& s, const xml::Walker&) {
  const std::string num = xml::clean_text(lib_child(n, "num"));
  const bool code = !xml::parent(n);
  s.label = (code ? "\xC2\xA7 " : "Sec. ") + num;
  s.number = normalize_section_number(num);
  std::string shown, any;
  history_dates(n, shown, any);
  s.in_force_date = shown.empty() ? any : shown;
  if (s.heading.find("[Repealed]") != std::string::npos || s.text == "Repealed.") s.in_force = InForce::repealed;
  return true;
}

// The file's name without its folder, extension and codified date: "dccode-48-904.01".
std::string file_stem(std::string_view source) {
  std::string stem = std::filesystem::path(std::string(source)).stem().string();
  if (const auto at = stem.rfind('@'); at != std::string::npos) stem.erase(at);
  return stem;
}

void add_alias(ParsedDocument& doc, std::string a) {
  a = collapse_space(a);
  if (a.empty() || a == doc.identifier) return;
  if (std::find(doc.aliases.begin(), doc.aliases.end(), a) == doc.aliases.end()) doc.aliases.push_back(std::move(a));
}

void code_section(Node root, const ParseContext& ctx, ParsedDocument& doc) {
  doc.identifier = collapse_space(xml::attr(root, "containing-doc"));
  if (doc.identifier.empty()) doc.identifier = kLibraryCode;
  doc.part = true;
  add_alias(doc, file_stem(ctx.source));
  for (const auto& [name, other] : kOtherNames)
    if (doc.identifier == name) add_alias(doc, std::string(other));
  doc.title = doc.identifier;
  doc.type = InstrumentType::act;
  doc.language = "en";
  // A history file's name gives the date of the Code's edition it was taken from
  // ("@2024-03-18"): that version of the Code, which the latest amendment's effective date
  // need not be (amendments are codified weeks or months after they take effect, and an
  // edition may change nothing but annotations). Without it, the latest amendment dates it.
  doc.date = date_hint(std::filesystem::path(ctx.source));
  doc.date_source = "file name (codified date)";
}

// Identifiers the codification instructions name, in document order: a codify:doc attribute
// of a printed element, or the doc attribute of an instruction of the codify namespace.
void amended(Node n, ParsedDocument& doc) {
  for (Node c : xml::children(n)) {
    bool instruction = ns_of(c).ends_with("/codify");
    for (const xmlAttr* a = c->properties; a && !instruction; a = a->next)
      instruction = a->ns && a->ns->href && std::string_view(reinterpret_cast<const char*>(a->name)) == "doc" &&
                    std::string_view(reinterpret_cast<const char*>(a->ns->href)).ends_with("/codify");
    if (instruction) {
      const std::string d = collapse_space(xml::attr(c, "doc"));
      if (!d.empty() && d != doc.identifier && std::find(doc.amends.begin(), doc.amends.end(), d) == doc.amends.end())
        doc.amends.push_back(d);
    }
    amended(c, doc);
  }
}

std::string num_of_type(Node root, std::string_view type) {
  for (Node c : xml::children(root))
    if (lib(c, "num") && xml::attr(c, "type") == type) return xml::clean_text(c);
  return {};
}

// "23-54" -> "B23-0054", the Council's bill number as its legislative system writes it.
std::string bill_code(std::string_view bill) {
  const auto dash = bill.find('-');
  if (dash == std::string_view::npos || dash == 0 || bill.size() - dash - 1 > 4) return {};
  std::string n(bill.substr(dash + 1));
  if (n.empty() || !std::all_of(n.begin(), n.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
    return {};
  return "B" + std::string(bill.substr(0, dash)) + "-" + std::string(4 - n.size(), '0') + n;
}

Status session_law(Node root, ParsedDocument& doc) {
  doc.identifier = collapse_space(xml::attr(root, "id"));
  if (const std::string law = num_of_type(root, "law"); doc.identifier.empty() && !law.empty())
    doc.identifier = "D.C. Law " + law;
  if (doc.identifier.empty()) return Error{": a DC Council document without an id or law number"};
  const Node meta = lib_child(root, "meta");
  for (Node c : xml::children(lib_child(meta, "citations")))
    if (lib(c, "citation")) add_alias(doc, xml::clean_text(c));
  if (const std::string bill = num_of_type(root, "bill"); !bill.empty()) {
    add_alias(doc, "Bill " + bill);
    add_alias(doc, bill_code(bill));
  }
  for (Node c : xml::children(root))
    if (lib(c, "heading") && xml::attr(c, "type") == "short") doc.title = xml::clean_text(c);
  add_alias(doc, doc.title);
  doc.type = InstrumentType::act;
  doc.language = "en";
  doc.date = to_iso_date(xml::clean_text(lib_child(meta, "effective")));
  doc.date_source = "meta effective";
  amended(root, doc);
  return {};
}

std::size_t count_includes(Node n) {
  std::size_t k = 0;
  for (Node c : xml::children(n)) {
    if (ns_of(c) == kXInclude && xml::name(c) == "include") ++k;
    k += count_includes(c);
  }
  return k;
}

Status metadata(Node root, const ParseContext& ctx, ParsedDocument& doc, xml::Walker&) {
  // The Council's library holds the District's law only.
  doc.jurisdiction = ctx.jurisdiction.empty() ? "US-DC" : ctx.jurisdiction;
  if (lib(root, "section")) {
    code_section(root, ctx, doc);
    return {};
  }
  if (lib(root, "document")) return session_law(root, doc);
  if (lib(root, "container")) {
    const std::string title = collapse_space(xml::clean_text(lib_child(root, "prefix")) + " " +
                                             xml::clean_text(lib_child(root, "num")));
    return Error{Code::kNoLegalText, std::string(kNoLegalText) + "a table of contents" + (title.empty() ? std::string() : " of " + title) +
                 " (" + std::to_string(count_includes(root)) +
                 " references to section files, which hold the text: import those instead)"};
  }
  return Error{": DC Council XML of a kind not read (root <" + std::string(xml::name(root)) +
               ">; sections, session laws and title indexes are)"};
}

// A code section file is its one section; a session law's sections are in its titles.
Status units(Node root, xml::Walker& w, ParsedDocument& doc) {
  if (!lib(root, "section")) {
    w.units(root, doc.sections);
    return {};
  }
  doc.sections.push_back(*w.section(root));
  if (doc.date.empty()) {
    doc.date = doc.sections.back().in_force_date;
    doc.date_source = "latest History annotation eff";
  }
  return {};
}

}  // namespace

const xml::Format dccouncil{
    .name = "DC Council XML",
    .roots = {},
    .elements = kRoles,
    .layout = {.structured = true, .unknown = Role::line, .numbering = xml::Numbering::adjoin,
               .punctuation_closes = true, .indent = 2},
    .text_namespace = kLibrary,
    .metadata = metadata,
    .units = units,
    .cite = cite,
    .note = note,
    .number = number,
    .section = section,
};

}  // namespace hrtrack::corpus::parsers
