// Akoma Ntoso 3.0 (OASIS LegalDocML) and its national profiles: legislation.gov.uk,
// EU, Italian Senate (every element prefixed "an:"), Laws.Africa, LegalDocML.de.
// Element names are compared without their prefix, so the profiles' different
// namespaces need no special case here.
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "parsers.hpp"
#include "text.hpp"
#include "xml_walker.hpp"

namespace hrtrack::corpus::parsers {
namespace {

using Node = const xmlNode*;

template <std::size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

using xml::Role;
using xml::Unit;

// Sections and articles are the citable units; the groupings' num and heading make up a
// section's path (hcontainer, the generic grouping of legislation.gov.uk cross-headings,
// counts only when it has a title). Amending text quotes other laws' units: they belong
// to the quoting section's text. Meta holds no text; attachments (annexes, appendices)
// are not the instrument's numbered provisions.
constexpr xml::ElementRole kRoles[] = {
    {"section article", Role::block, Unit::section},
    {"part chapter title division hcontainer", Role::block, Unit::container},
    {"subpart subchapter subtitle book subdivision", Role::inline_, Unit::container},
    {"quotedStructure embeddedStructure", Role::block, Unit::skip},
    {"mod attachments attachment", Role::inline_, Unit::skip},
    {"meta", Role::editorial, Unit::skip},
    {"num", Role::number},
    {"heading", Role::heading},
    {"subheading", Role::line},
    {"authorialNote note", Role::note},
    {"noteRef", Role::note_ref},
    {"del", Role::editorial},  // text a later amendment removed
    {"eol br", Role::line_break},
    {"ref", Role::external_ref},
    {"p intro content wrapUp listIntroduction listWrapUp blockList list item point paragraph "
     "subparagraph subsection clause subclause alinea indent level container tblock block "
     "blockContainer table tr formula foreign longTitle recital tocItem",
     Role::block},
};
constexpr std::string_view kRoots[] = {"akomaNtoso"};

// ---------------------------------------------------------------------------------------
// Citations from <ref href>.

// UK legislation types as they open a legislation.gov.uk path ("/ukpga/1971/38/...").
constexpr std::array<std::string_view, 20> kUkTypes = {
    "ukpga", "uksi", "asp",  "ssi", "wsi",  "nisr", "nia",  "asc",  "anaw", "mwa",
    "ukla",  "ukcm", "apni", "aep", "aosp", "apgb", "gbla", "nisi", "ukmo", "european"};

// Path segments that end the instrument part of a legislation.gov.uk URI.
constexpr std::array<std::string_view, 14> kUkStops = {
    "section",   "article",      "regulation", "rule", "schedule", "part",         "chapter",
    "paragraph", "crossheading", "enacted",    "made", "contents", "introduction", "data.akn"};

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  for (auto& s : split(path, '/')) {
    std::string t = trim(s);
    if (!t.empty()) out.push_back(std::move(t));
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n && i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// normalize_section_number, after removing what it does not: the brackets of judgment
// paragraphs ("[12]") and the ordinal sign of Spanish articles ("1º"). The sign must go
// first: normalize_section_number drops every 0xC2 byte (NBSP's lead byte), half of "º".
std::string section_number(std::string_view label) {
  std::string s = trim(label);
  if (s.size() > 2 && (s.front() == '[' || s.front() == '(') &&
      (s.back() == ']' || s.back() == ')'))
    s = s.substr(1, s.size() - 2);
  for (std::string_view ord : {"\xC2\xBA", "\xC2\xB0"})  // º °
    for (auto p = s.find(ord); p != std::string::npos; p = s.find(ord)) s.erase(p, ord.size());
  return normalize_section_number(s);
}

// The section an eId names, from its outermost component that is a section-level unit:
// "sec_11__subsec_2" -> "11", "section-9A" -> "9A", "art_19" -> "19", "sec27" -> "27",
// "hauptteil-1_art-5_abs-8" and "art-z5" -> "5" (LegalDocML.de: z for the printed number),
// "par12" -> "12" (judgment paragraphs).
// "part_1" and "para_a" name no section: "".
std::string section_from_eid(std::string_view eid) {
  static constexpr std::array<std::string_view, 5> keys = {"section", "sec", "article", "art",
                                                           "par"};
  for (std::size_t i = 0; i < eid.size(); ++i) {
    if (i > 0 && eid[i - 1] != '_' && eid[i - 1] != '-' && eid[i - 1] != '/') continue;
    for (auto key : keys) {
      if (eid.compare(i, key.size(), key) != 0) continue;
      std::size_t v = i + key.size();
      while (v < eid.size() && (eid[v] == '_' || eid[v] == '-')) ++v;        // UY writes "art__85"
      if (v + 1 < eid.size() && eid[v] == 'z' && is_digit(eid[v + 1])) ++v;  // LDML.de "art-z1"
      if (v >= eid.size() || !is_digit(eid[v])) continue;
      std::size_t e = v;
      while (e < eid.size() && (is_alnum(eid[e]) || eid[e] == '.')) ++e;
      return section_number(eid.substr(v, e - v));
    }
  }
  return {};
}

// "http://www.legislation.gov.uk/id/ukpga/2000/36/section/68/2/a" or "/ukpga/1971/38/section/5":
// the instrument is the path up to the first structural segment ("ukpga/2000/36"), the
// section the segment after "section", "article", "regulation" or "rule".
Citation uk_citation(std::string_view path, Citation c) {
  auto segs = path_segments(path);
  if (!segs.empty() && segs[0] == "id") segs.erase(segs.begin());
  std::size_t stop = 0;
  while (stop < segs.size() && !one_of(std::string_view(segs[stop]), kUkStops)) ++stop;
  c.target_instrument = join(segs, stop);
  if (stop + 1 < segs.size() && (segs[stop] == "section" || segs[stop] == "article" ||
                                 segs[stop] == "regulation" || segs[stop] == "rule"))
    c.target_section = section_number(segs[stop + 1]);
  return c;
}

// "/akn/uk/act/2000-07-28/chapter23/main#sec_11__subsec_2": the work is the path before the
// expression ("eng@...") or component ("!main", "main") part; the section from the fragment.
Citation akn_citation(std::string_view path, std::string_view fragment, Citation c) {
  auto segs = path_segments(path);
  std::size_t stop = 0;
  while (stop < segs.size() && segs[stop].find('@') == std::string::npos && segs[stop][0] != '!' &&
         segs[stop] != "main")
    ++stop;
  c.target_instrument = "/" + join(segs, stop);
  c.target_section = section_from_eid(fragment);
  return c;
}

// "eli/bund/bgbl-1/2021/s818/2021-04-16/1/deu/regelungstext-verkuendung-1/hauptteil-1_art-5.xml":
// the work is the first five segments (eli/bund/gazette/year/page); the section from the
// last segment, which is an eId.
Citation eli_citation(std::string_view path, Citation c) {
  auto segs = path_segments(path);
  c.target_instrument = join(segs, 5);
  if (segs.size() > 5) c.target_section = section_from_eid(segs.back());
  return c;
}

Citation parse_href(std::string_view href) {
  Citation c{std::string(href), {}, {}, "markup"};
  const auto hash = href.find_first_of("#~");  // older AKN URIs (EU) use "~" for "#"
  const std::string_view path = href.substr(0, hash);
  const std::string_view fragment =
      hash == std::string_view::npos ? std::string_view{} : href.substr(hash + 1);
  if (path.empty()) {  // "#sec_4": this instrument
    c.target_section = section_from_eid(fragment);
    return c;
  }
  if (const auto host = path.find("legislation.gov.uk/"); host != std::string_view::npos)
    return uk_citation(path.substr(host + 19), c);
  if (path.substr(0, 4) == "eli/" || path.substr(0, 5) == "/eli/") return eli_citation(path, c);
  const auto segs = path_segments(path);
  if (path[0] == '/' && !segs.empty() && one_of(std::string_view(segs[0]), kUkTypes))
    return uk_citation(path, c);
  // "/akn/..." and the older form without the prefix ("/eu/act/directive/2001/83").
  if (path[0] == '/' || path.substr(0, 4) == "akn/") return akn_citation(path, fragment, c);
  c.target_instrument = std::string(path);  // some other URI: named as written
  c.target_section = section_from_eid(fragment);
  return c;
}

// ---------------------------------------------------------------------------------------
// Text.

// "1" -> "(1)": legislation.gov.uk stores subdivision numbers bare and prints them in
// brackets (its num@title says "(a)"). Numbers printed with their punctuation stay as they are.
std::string subdivision_label(const xmlNode*, std::string num, const xml::Walker&) {
  if (!num.empty() && std::all_of(num.begin(), num.end(), is_alnum)) return "(" + num + ")";
  return num;
}

std::optional<Citation> cite(const xmlNode* ref, const xml::Walker&) {
  const std::string href = xml::attr(ref, "href");
  if (href.empty()) return std::nullopt;
  return parse_href(href);
}

// ---------------------------------------------------------------------------------------
// Sections.

// Words a publisher puts in place of a repealed unit's text, in the languages we read.
bool repealed_text(std::string_view text) {
  std::string s = ascii_lower(trim(text));
  if (s.find('\n') != std::string::npos) return false;
  while (!s.empty() && (s.front() == '[' || s.front() == '(')) s.erase(0, 1);
  static constexpr std::array<std::string_view, 9> words = {"repealed",    "omitted",  "revoked",
                                                            "spent",       "imefutwa", "aufgehoben",
                                                            "weggefallen", "abrogato", "derogado"};
  for (auto w : words)
    if (s.compare(0, w.size(), w) == 0) return true;
  return s == ". . ." || s == "...";
}

bool section(const xmlNode* n, ParsedSection& s, const xml::Walker&) {
  s.number = section_number(s.label);
  const std::string status = xml::attr(n, "status");
  if (status == "repealed" || status == "removed" || repealed_text(s.text)) s.in_force = InForce::repealed;
  return true;
}

// The outermost elements named `name` below `n` (with a number when `numbered`).
void outermost(Node n, std::string_view name, bool numbered, xml::Walker& w, std::vector<ParsedSection>& out) {
  for (Node c : xml::children(n)) {
    if (w.unit(c) == Unit::skip) continue;
    const bool hit = xml::name(c) == name || (numbered && xml::is(c, "item"));
    if (hit && (!numbered || !xml::clean_text(xml::child(c, "num")).empty())) {
      if (auto s = w.section(c)) out.push_back(std::move(*s));
      continue;
    }
    outermost(c, name, numbered, w, out);
  }
}

// Sections and articles; else judgments' numbered paragraphs ("[12]", as paragraph or list
// item elements); else any paragraphs.
void collect_sections(Node root, xml::Walker& w, std::vector<ParsedSection>& out) {
  w.units(root, out);
  if (!out.empty()) return;
  if (Node body = xml::find(root, "judgmentBody")) {
    outermost(body, "paragraph", true, w, out);
    if (!out.empty()) return;
  }
  outermost(root, "paragraph", false, w, out);
}

// ---------------------------------------------------------------------------------------
// Metadata.

std::string frbr(Node parent, std::string_view element, std::string_view attribute = "value") {
  return trim(xml::attr(xml::child(parent, element), attribute));
}

// ISO 639-2 (bibliographic and terminologic) to 639-1; "esp" is what UY publishes.
std::string iso639_1(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> table = {
      {"eng", "en"}, {"deu", "de"}, {"ger", "de"}, {"ita", "it"}, {"spa", "es"}, {"esp", "es"},
      {"swa", "sw"}, {"swh", "sw"}, {"fra", "fr"}, {"fre", "fr"}, {"nld", "nl"}, {"dut", "nl"},
      {"por", "pt"}, {"afr", "af"}, {"zul", "zu"}, {"xho", "xh"}, {"sot", "st"}, {"tsn", "tn"},
      {"ara", "ar"}, {"pol", "pl"}, {"ron", "ro"}, {"rum", "ro"}, {"swe", "sv"}, {"dan", "da"},
      {"fin", "fi"}, {"ell", "el"}, {"gre", "el"}, {"ces", "cs"}, {"cze", "cs"}, {"hun", "hu"},
      {"cym", "cy"}, {"wel", "cy"}, {"gle", "ga"}, {"gla", "gd"}};
  const std::string c = ascii_lower(trim(code));
  if (c.size() == 2) return c;
  if (auto it = table.find(c); it != table.end()) return it->second;
  return {};
}

// FRBRcountry to ISO 3166: "gb" -> "GB", "ita" -> "IT", "GB-UKM" (the whole UK) -> "GB",
// other subdivisions kept ("GB-SCT"); "" when it is none of these.
std::string jurisdiction_code(std::string_view country) {
  static const std::map<std::string, std::string, std::less<>> alpha3 = {
      {"ITA", "IT"}, {"DEU", "DE"}, {"GBR", "GB"}, {"ZAF", "ZA"}, {"TZA", "TZ"}, {"URY", "UY"},
      {"USA", "US"}, {"CAN", "CA"}, {"NLD", "NL"}, {"FRA", "FR"}, {"ESP", "ES"}, {"KEN", "KE"},
      {"NGA", "NG"}, {"UGA", "UG"}, {"ZMB", "ZM"}, {"ZWE", "ZW"}, {"BRA", "BR"}, {"ARG", "AR"},
      {"CHL", "CL"}, {"MEX", "MX"}, {"AUT", "AT"}, {"CHE", "CH"}, {"BEL", "BE"}, {"PRT", "PT"}};
  std::string c = trim(country);
  for (char& ch : c)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  const auto letters = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
  };
  if (c.size() == 2 && letters(c)) return c;
  if (c.size() == 3 && letters(c)) {
    auto it = alpha3.find(c);
    return it == alpha3.end() ? std::string() : it->second;
  }
  if (c.size() > 3 && c[2] == '-' && letters(c.substr(0, 2))) return c == "GB-UKM" ? "GB" : c;
  return {};
}

InstrumentType type_of(std::string_view element) {
  if (element == "act") return InstrumentType::act;
  if (element == "bill") return InstrumentType::bill;
  if (element == "judgment") return InstrumentType::judgment;
  return InstrumentType::other;
}

// A document collection (EU proposal, UY bill with its motives) takes the type of the
// first act, bill or judgment among its components.
InstrumentType collection_type(Node n) {
  for (Node c : xml::children(n)) {
    if (xml::is(c, "meta")) continue;
    if (const auto t = type_of(xml::name(c)); t != InstrumentType::other) return t;
    if (const auto t = collection_type(c); t != InstrumentType::other) return t;
  }
  return InstrumentType::other;
}

// The first descendant with that name outside meta (titles live in preface, coverPage,
// header), as one line of text.
std::string first_text(Node doc, std::string_view name, xml::Walker& w) {
  for (Node c : xml::children(doc)) {
    if (xml::is(c, "meta") || xml::is(c, "components")) continue;
    if (Node hit = xml::is(c, name) ? c : xml::find(c, name)) return w.inline_text(hit);
  }
  return {};
}

bool parenthesised(std::string_view s) {
  return s.size() > 1 && s.front() == '(' && s.back() == ')';
}

// "(Lobbyregistergesetz - LobbyRG)" -> "LobbyRG", "(StiftPKG)" -> "StiftPKG": the
// abbreviation a German law is cited by.
std::string abbreviation(std::string_view short_title) {
  if (!parenthesised(short_title)) return {};
  std::string inner = trim(short_title.substr(1, short_title.size() - 2));
  for (std::string_view dash : {" - ", " \xE2\x80\x93 "})  // hyphen, en dash
    if (auto p = inner.rfind(dash); p != std::string::npos)
      inner = trim(inner.substr(p + dash.size()));
  return inner.find(' ') == std::string::npos ? inner : std::string();
}

// "DISEGNO DI LEGGE" as a phrase is written ("Disegno di legge"); other casing is kept.
std::string sentence_case(std::string s) {
  const bool shouting = std::none_of(s.begin(), s.end(), [](unsigned char c) { return c >= 'a' && c <= 'z'; });
  if (!shouting) return s;
  s = ascii_lower(s);
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

struct Identity {
  std::string identifier;
  std::vector<std::string> aliases;
};

void add_alias(Identity& id, std::string a) {
  a = trim(a);
  while (a.size() > 1 && a.back() == '/') a.pop_back();
  if (a.empty() || a == id.identifier) return;
  if (std::find(id.aliases.begin(), id.aliases.end(), a) == id.aliases.end())
    id.aliases.push_back(std::move(a));
}

// The identifier as the instrument is cited, per flavour:
//  - legislation.gov.uk: its own path "type/year/number" ("ukpga/1998/29"), which is also
//    how its hrefs name instruments; aliases: FRBRname ("1998 c. 29") and the work URI.
//  - judgments: the neutral citation in the header ("[2008] ZASCA 134"); alias: work URI.
//  - EU: the FRBRalias named "...number" ("COM(2013) 619"); the others (CELEX) are aliases.
//  - LegalDocML.de: the abbreviation in shortTitle ("LobbyRG"), as the gii parser uses
//    jurabk; without one the ELI work URI ("eli/bund/bgbl-1/2024/10"), always an alias.
//  - otherwise a title short enough to cite, then the cover's docType and docNumber
//    ("Disegno di legge N. 356"), then the AKN work URI without component
//    ("/akn/tz/act/1977/1"), which is how AKN hrefs name instruments (always an alias).
// Expression and manifestation URIs name a version or a file, so they are never aliases.
Identity identify(Node doc, Node work, InstrumentType type, xml::Walker& w) {
  Identity id;
  std::string uri = frbr(work, "FRBRuri");
  if (uri.empty()) uri = frbr(work, "FRBRthis");
  if (auto p = uri.find("/!"); p != std::string::npos) uri.erase(p);
  while (!uri.empty() && uri.back() == '/') uri.pop_back();
  const std::string name = frbr(work, "FRBRname");

  if (const auto host = uri.find("legislation.gov.uk/"); host != std::string::npos) {
    auto segs = path_segments(std::string_view(uri).substr(host + 19));
    if (!segs.empty() && segs[0] == "id") segs.erase(segs.begin());
    id.identifier = join(segs, 3);
    add_alias(id, name);
    add_alias(id, uri.substr(0, uri.find(id.identifier) + id.identifier.size()));
    return id;
  }
  if (type == InstrumentType::judgment) id.identifier = first_text(doc, "neutralCitation", w);
  for (Node a : xml::children(work, "FRBRalias")) {
    const std::string an = ascii_lower(xml::attr(a, "name"));
    if (an.size() < 6 || an.compare(an.size() - 6, 6, "number") != 0) continue;
    if (id.identifier.empty())
      id.identifier = trim(xml::attr(a, "value"));
    else
      add_alias(id, xml::attr(a, "value"));
  }
  if (id.identifier.empty() && uri.substr(0, 4) == "eli/")
    id.identifier = abbreviation(first_text(doc, "shortTitle", w));
  // A work URI or an ELI names the instrument for machines; a document that gives itself a
  // title a person can cite is named by it (a long descriptive title is not cited as such).
  if (id.identifier.empty()) {
    std::string t = first_text(doc, "shortTitle", w);
    if (t.empty() || parenthesised(t)) t = first_text(doc, "docTitle", w);
    for (Node a : xml::children(work, "FRBRalias"))
      if (t.empty() && xml::attr(a, "name") == "title") t = trim(xml::attr(a, "value"));
    t = collapse_space(t);
    if (!t.empty() && t.size() <= 100) id.identifier = t;
  }
  // A document too long-titled to be cited by title is cited by its number as its cover
  // gives it ("DISEGNO DI LEGGE" "N. 356": "Disegno di legge N. 356").
  if (id.identifier.empty()) {
    const std::string number = collapse_space(first_text(doc, "docNumber", w));
    if (std::any_of(number.begin(), number.end(), is_digit))
      id.identifier = collapse_space(sentence_case(first_text(doc, "docType", w)) + " " + number);
  }
  if (id.identifier.empty()) id.identifier = uri;
  add_alias(id, uri);
  add_alias(id, xml::attr(doc, "includedIn"));  // a portion names the work it is cut from
  if (uri.substr(0, 4) != "eli/" && std::any_of(name.begin(), name.end(), is_digit))
    add_alias(id, name);
  return id;
}

// shortTitle unless it is only a bracketed abbreviation, then docTitle, then the
// FRBRalias named "title" (Laws.Africa), then FRBRname when it is more than a word
// ("1998 c. 29", not "title"), then the first heading (a portion of a code has no title).
std::string title_of(Node doc, Node work, xml::Walker& w) {
  std::string t = first_text(doc, "shortTitle", w);
  if (!t.empty() && !parenthesised(t)) return t;
  if (std::string d = first_text(doc, "docTitle", w); !d.empty()) return d;
  for (Node a : xml::children(work, "FRBRalias"))
    if (xml::attr(a, "name") == "title") return trim(xml::attr(a, "value"));
  if (!t.empty()) return t;
  if (std::string name = frbr(work, "FRBRname"); std::any_of(name.begin(), name.end(), is_digit))
    return name;
  return first_text(doc, "heading", w);
}

// Citations of this very instrument carry an empty target_instrument.
void mark_self_citations(ParsedDocument& doc) {
  std::set<std::string> self(doc.aliases.begin(), doc.aliases.end());
  self.insert(doc.identifier);
  for (auto& s : doc.sections)
    for (auto& c : s.citations)
      if (self.count(c.target_instrument)) c.target_instrument.clear();
}

Status metadata(const xmlNode* root, const ParseContext&, ParsedDocument& out, xml::Walker& w) {
  const auto docs = xml::children(root);
  if (docs.empty() || xml::is(docs.front(), "components")) return Error{": the akomaNtoso element holds no document"};
  const Node doc = docs.front();
  const Node ident = xml::child(xml::child(doc, "meta"), "identification");
  const Node work = xml::child(ident, "FRBRWork");
  const Node expr = xml::child(ident, "FRBRExpression");
  out.type = type_of(xml::name(doc));
  if (xml::is(doc, "documentCollection")) out.type = collection_type(root);
  Identity id = identify(doc, work, out.type, w);
  out.identifier = std::move(id.identifier);
  out.aliases = std::move(id.aliases);
  out.title = title_of(doc, work, w);
  out.language = iso639_1(frbr(expr, "FRBRlanguage", "language"));
  out.date = to_iso_date(frbr(expr, "FRBRdate", "date"));
  out.date_source = "FRBRExpression FRBRdate";
  out.jurisdiction = jurisdiction_code(frbr(work, "FRBRcountry"));
  return {};
}

// The documents a collection only points to (documentRef href), not holding them itself.
void referenced_documents(Node n, std::vector<std::string>& out) {
  for (Node c : xml::children(n)) {
    if (xml::is(c, "meta")) continue;
    if (xml::is(c, "documentRef")) out.push_back(xml::attr(c, "href"));
    else referenced_documents(c, out);
  }
}

Status units(const xmlNode* root, xml::Walker& w, ParsedDocument& doc) {
  collect_sections(root, w, doc.sections);
  if (doc.sections.empty()) {
    // A wrapper (LegalDocML.de's Rechtsetzungsdokument, any AKN collection by reference)
    // names the documents that hold the text.
    std::vector<std::string> refs;
    referenced_documents(root, refs);
    if (!refs.empty()) {
      std::string names;
      for (std::size_t i = 0; i < refs.size() && i < 3; ++i) names += (i ? ", " : "") + escape_name(refs[i]);
      if (refs.size() > 3) names += ", ...";
      return Error{Code::kNoLegalText, std::string(kNoLegalText) + "a document collection that refers to " + std::to_string(refs.size()) +
                   (refs.size() == 1 ? " document" : " documents") + " (" + names +
                   ") held in files of their own: import those instead"};
    }
  }
  mark_self_citations(doc);
  return {};
}

}  // namespace

// A number opens a line ("(1) ..."), unless a quotation mark just opened it; footnotes
// reached through noteRef live in meta/notes, each note kept once.
const xml::Format akn{
    .name = "an Akoma Ntoso document",
    .roots = kRoots,
    .elements = kRoles,
    .layout = {.numbering = xml::Numbering::own_line, .rendered_labels = true, .notes_once = true,
               .quote_attributes = true},
    .metadata = metadata,
    .units = units,
    .cite = cite,
    .number = subdivision_label,
    .section = section,
};

}  // namespace hrtrack::corpus::parsers
