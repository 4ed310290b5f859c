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
#include "xml.hpp"

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

bool punctuation_only(std::string_view s) {
  return !s.empty() && s.find_first_not_of(".,;:") == std::string_view::npos;
}

// Where a section's cross-references point: `self` is the instrument the section belongs
// to; `default_doc` the instrument a reference without a doc attribute names.
struct CiteScope {
  std::string self;
  std::string default_doc;
};

// Renders a section's body: each para on its own line, "(a) text", nested paras indented
// two spaces a level; a para without text of its own opens its first child's line
// ("(a)(1) Except as ..."). Annotations become notes; references become citations.
class SectionText {
 public:
  SectionText(ParsedSection& s, CiteScope scope) : s_(s), scope_(std::move(scope)) {}

  // The content of `n`: its text lines at `depth`, its paras at `child_depth`.
  void body(Node n, int depth, int child_depth);
  void finish() {
    if (!pending_.empty()) emit(pending_depth_, "");
    std::string text;
    for (const auto& l : lines_) {
      if (!text.empty()) text += '\n';
      text += std::string(static_cast<std::size_t>(2 * l.depth), ' ') + l.text;
    }
    s_.text = std::move(text);
  }
  void note(Node annotation);
  std::string history_date;      // the latest displayed History annotation's
  std::string any_history_date;  // the latest of all History annotations'

 private:
  struct Line {
    int depth;
    std::string text;
  };
  void para(Node p, int depth);
  void quoted(Node include, int depth);
  std::string inline_text(Node n);
  void inline_into(Node n, std::string& out);
  void cite(Node c);
  void emit(int depth, std::string text) {
    if (!pending_.empty()) {
      text = text.empty() ? pending_ : pending_ + (text.starts_with("(") ? "" : " ") + text;
      depth = pending_depth_;
      pending_.clear();
    }
    if (!text.empty()) lines_.push_back({depth, std::move(text)});
  }

  ParsedSection& s_;
  CiteScope scope_;
  std::vector<Line> lines_;
  std::string pending_;  // a para's number waiting for the line its first child opens
  int pending_depth_ = 0;
};

void SectionText::cite(Node c) {
  const std::string path = xml::attr(c, "path");
  std::string doc = xml::attr(c, "doc");
  if (doc.empty()) doc = scope_.default_doc;
  std::string section = section_of_path(path);
  if (doc == scope_.self) doc.clear();
  if (doc.empty() && section.empty()) return;  // a chapter or title of the same instrument
  s_.citations.push_back(Citation{path.empty() ? xml::attr(c, "doc") : path, doc, section, "markup"});
}

void SectionText::inline_into(Node n, std::string& out) {
  for (Node c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) out += reinterpret_cast<const char*>(c->content);
      continue;
    }
    if (!printed(c)) continue;
    const std::string_view name = xml::name(c);
    if (name == "cite" || name == "code-cite") cite(c);
    inline_into(c, out);
  }
}

std::string SectionText::inline_text(Node n) {
  std::string out;
  if (n) inline_into(n, out);
  return collapse_space(out);
}

void SectionText::note(Node a) {
  const std::string type = xml::attr(a, "type");
  std::string text = collapse_space(xml::text(a));
  if (type == "History") {
    std::string date = xml::attr(a, "eff");
    if (!is_iso_date(date)) date = printed_date(text);
    // Hidden History lines record temporary and emergency measures, whose changes the
    // codified text does not carry: they do not date it.
    if (xml::attr(a, "display") != "false") history_date = std::max(history_date, date);
    any_history_date = std::max(any_history_date, date);
    if (text.empty()) {
      text = xml::attr(a, "doc");
      if (const std::string p = xml::attr(a, "path"); !p.empty()) text += ", " + printed_path(p);
      if (is_iso_date(xml::attr(a, "eff"))) text += ", effective " + xml::attr(a, "eff");
    }
  }
  if (text.empty()) return;
  s_.notes.push_back(type.empty() ? text : type + ": " + text);
}

void SectionText::para(Node p, int depth) {
  const Node num = lib_child(p, "num");
  if (num && xml::attr(num, "undesignated") == "true") {
    body(p, depth, depth);  // a wrapper the Code does not print: its children stand at its level
    return;
  }
  std::string label = inline_text(num);
  if (const Node heading = lib_child(p, "heading")) label = collapse_space(label + " " + inline_text(heading));
  int line_depth = depth;
  if (!pending_.empty()) {  // the first child of a para without text: "(a)(1)"
    label = pending_ + label;
    line_depth = pending_depth_;
    pending_.clear();
  }
  pending_ = std::move(label);
  pending_depth_ = line_depth;
  body(p, line_depth, depth + 1);
  // A number with neither text nor children ("(c)" of a repealed paragraph) stands alone.
  if (!pending_.empty()) emit(pending_depth_, "");
}

void SectionText::quoted(Node include, int depth) {
  if (!pending_.empty()) emit(pending_depth_, "");
  const std::size_t first = lines_.size();
  body(include, depth, depth);
  if (!pending_.empty()) emit(pending_depth_, "");
  if (lines_.size() == first) return;
  lines_[first].text = "\xE2\x80\x9C" + lines_[first].text;
  lines_.back().text += "\xE2\x80\x9D";
}

void SectionText::body(Node n, int depth, int child_depth) {
  for (Node c : xml::children(n)) {
    if (!printed(c)) continue;
    const std::string_view name = xml::name(c);
    if (name == "num" || name == "heading" || name == "prefix") continue;  // the owner's label
    if (name == "para") {
      para(c, child_depth);
    } else if (name == "text") {
      emit(depth, inline_text(c));
    } else if (name == "aftertext") {
      std::string t = inline_text(c);
      if (punctuation_only(t) && !lines_.empty() && pending_.empty()) lines_.back().text += t;
      else emit(depth, std::move(t));
    } else if (name == "annotations") {
      for (Node a : xml::children(c))
        if (lib(a, "annotation")) note(a);
    } else if (name == "annotation") {
      note(c);
    } else if (name == "include") {
      quoted(c, child_depth);
    } else if (name == "section" || name == "container") {
      // A section or chapter quoted by an amending law: its label line, then its body.
      std::string label = collapse_space(inline_text(lib_child(c, "prefix")) + " " + inline_text(lib_child(c, "num")));
      if (name == "section" && !label.empty()) label = "Sec. " + label + ".";
      emit(child_depth, collapse_space(label + " " + inline_text(lib_child(c, "heading"))));
      body(c, child_depth, child_depth);
    } else {
      emit(child_depth, inline_text(c));
    }
  }
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

ParsedSection read_section(Node n, const std::string& label_prefix, const CiteScope& scope, std::string& date) {
  ParsedSection s;
  const std::string num = xml::clean_text(lib_child(n, "num"));
  s.label = label_prefix + num;
  s.number = normalize_section_number(num);
  s.heading = xml::clean_text(lib_child(n, "heading"));
  SectionText text(s, scope);
  text.body(n, 0, 0);
  text.finish();
  s.in_force_date = text.history_date.empty() ? text.any_history_date : text.history_date;
  date = s.in_force_date;
  if (s.heading.find("[Repealed]") != std::string::npos || s.text == "Repealed.")
    s.in_force = InForce::repealed;
  return s;
}

Result<ParsedDocument> code_section(Node root, const ParseContext& ctx) {
  ParsedDocument doc;
  doc.identifier = collapse_space(xml::attr(root, "containing-doc"));
  if (doc.identifier.empty()) doc.identifier = kLibraryCode;
  doc.part = true;
  add_alias(doc, file_stem(ctx.source));
  for (const auto& [name, other] : kOtherNames)
    if (doc.identifier == name) add_alias(doc, std::string(other));
  doc.title = doc.identifier;
  doc.type = InstrumentType::act;
  doc.language = "en";
  std::string eff;
  doc.sections.push_back(read_section(root, "\xC2\xA7 ", CiteScope{doc.identifier, doc.identifier}, eff));
  // A history file's name gives the date of the Code's edition it was taken from
  // ("@2024-03-18"): that version of the Code, which the latest amendment's effective date
  // need not be (amendments are codified weeks or months after they take effect, and an
  // edition may change nothing but annotations). Without it, the latest amendment dates it.
  doc.date = date_hint(std::filesystem::path(ctx.source));
  doc.date_source = "file name (codified date)";
  if (doc.date.empty()) {
    doc.date = eff;
    doc.date_source = "latest History annotation eff";
  }
  return doc;
}

void walk_law(Node n, std::vector<std::string>& path, const ParsedDocument& doc, std::vector<ParsedSection>& out) {
  for (Node c : xml::children(n)) {
    if (!printed(c)) continue;  // codify:insert of a whole chapter, and the like
    const std::string_view name = xml::name(c);
    if (name == "section") {
      std::string codify_doc = xml::attr(c, "doc");
      if (codify_doc.empty()) codify_doc = kLibraryCode;
      std::string unused;
      out.push_back(read_section(c, "Sec. ", CiteScope{doc.identifier, codify_doc}, unused));
      out.back().path = path;
    } else if (name == "container") {
      path.push_back(collapse_space(xml::clean_text(lib_child(c, "prefix")) + " " +
                                    xml::clean_text(lib_child(c, "num")) + " " +
                                    xml::clean_text(lib_child(c, "heading"))));
      walk_law(c, path, doc, out);
      path.pop_back();
    }
  }
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

Result<ParsedDocument> session_law(Node root, const ParseContext& ctx) {
  ParsedDocument doc;
  doc.identifier = collapse_space(xml::attr(root, "id"));
  if (const std::string law = num_of_type(root, "law"); doc.identifier.empty() && !law.empty())
    doc.identifier = "D.C. Law " + law;
  if (doc.identifier.empty()) return Error{ctx.source + ": a DC Council document without an id or law number"};
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
  std::vector<std::string> path;
  walk_law(root, path, doc, doc.sections);
  return doc;
}

std::size_t count_includes(Node n) {
  std::size_t k = 0;
  for (Node c : xml::children(n)) {
    if (ns_of(c) == kXInclude && xml::name(c) == "include") ++k;
    k += count_includes(c);
  }
  return k;
}

}  // namespace

Result<ParsedDocument> dccouncil(std::string_view bytes, const ParseContext& ctx) {
  auto parsed = xml::parse(bytes, ctx.source);
  if (!parsed) return parsed.error();
  const Node root = xml::root(parsed.value());
  if (!printed(root))
    return Error{ctx.source + ": not DC Council XML (root <" + std::string(xml::name(root)) +
                 "> outside the dc-library namespace)"};
  Result<ParsedDocument> r = Error{};
  if (lib(root, "section")) {
    r = code_section(root, ctx);
  } else if (lib(root, "document")) {
    r = session_law(root, ctx);
  } else if (lib(root, "container")) {
    const std::string title = collapse_space(xml::clean_text(lib_child(root, "prefix")) + " " +
                                             xml::clean_text(lib_child(root, "num")));
    return Error{ctx.source + std::string(kNoLegalText) + "a table of contents" +
                 (title.empty() ? std::string() : " of " + title) + " (" +
                 std::to_string(count_includes(root)) +
                 " references to section files, which hold the text: import those instead)"};
  } else {
    return Error{ctx.source + ": DC Council XML of a kind not read (root <" + std::string(xml::name(root)) +
                 ">; sections, session laws and title indexes are)"};
  }
  if (!r) return r;
  ParsedDocument& doc = r.value();
  // The Council's library holds the District's law only.
  doc.jurisdiction = ctx.jurisdiction.empty() ? "US-DC" : ctx.jurisdiction;
  return r;
}

}  // namespace hrtrack::corpus::parsers
