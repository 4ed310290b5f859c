// HTML and XHTML pages of laws from any publisher: sections open at numbered headings
// (h1-h6 "§ 29 Straftaten", or a paragraph led by bold "Art. 19b") and run to the next one.
// libxml2's HTML parser reads the page (XHTML too): it recovers from broken markup, never
// loads anything from the network, and knows only HTML's own named entities.
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <memory>

#include "numbered_text.hpp"
#include "parsers.hpp"
#include "text.hpp"
#include "xml.hpp"

namespace hrtrack::corpus::parsers {
namespace {

struct HtmlCtxtFree {
  void operator()(htmlParserCtxt* c) const { htmlFreeParserCtxt(c); }
};

void silent(void*, const char*, ...) {}
void silent_structured(void*, xmlError*) {}

// Deeper nesting than any real page has is flattened rather than followed, so that a
// hostile page cannot exhaust the stack.
constexpr int kMaxDepth = 200;

constexpr std::array<std::string_view, 10> kSkipped = {
    "script", "style", "noscript", "template", "head", "nav", "svg", "math", "iframe", "object"};

constexpr std::array<std::string_view, 28> kBlocks = {
    "p",     "div",  "h1",      "h2",     "h3",      "h4",   "h5",         "h6",
    "li",    "ul",   "ol",      "dl",     "dt",      "dd",   "table",      "tr",
    "pre",   "hr",   "section", "article", "header", "footer", "main",     "aside",
    "blockquote", "address", "figure", "caption"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& names, std::string_view n) {
  for (auto x : names)
    if (x == n) return true;
  return false;
}

int heading_level(std::string_view name) {
  return name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' ? name[1] - '0' : 0;
}

// A block of the page: a heading (level 1-6) or a paragraph (level 0), with the bold text
// it opens with, if any.
struct Block {
  int level = 0;
  std::string text;
  std::string bold;
};

class Collector {
 public:
  void walk(const xmlNode* n, bool bold, int depth);
  std::vector<Block> finish() {
    flush();
    return std::move(blocks_);
  }

 private:
  void text(std::string_view t, bool bold);
  void flush();
  std::vector<Block> blocks_;
  Block current_;
  bool leading_ = true;  // nothing but bold text seen yet in this block
};

void Collector::text(std::string_view t, bool bold) {
  current_.text += t;
  if (!leading_) return;
  if (bold) current_.bold += t;
  else if (!trim(t).empty()) leading_ = false;
}

void Collector::flush() {
  current_.text = collapse_lines(current_.text);
  current_.bold = collapse_space(current_.bold);
  if (!current_.text.empty()) blocks_.push_back(std::move(current_));
  current_ = Block{};
  leading_ = true;
}

void Collector::walk(const xmlNode* n, bool bold, int depth) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) text(reinterpret_cast<const char*>(c->content), bold);
      continue;
    }
    if (!xml::is_element(c)) continue;
    const std::string name = ascii_lower(xml::name(c));
    if (one_of(kSkipped, name)) continue;
    if (name == "br") {
      current_.text += '\n';
      continue;
    }
    if (name == "td" || name == "th") current_.text += ' ';
    const bool block = one_of(kBlocks, name);
    if (block) flush();
    if (heading_level(name)) current_.level = heading_level(name);
    const bool strong = bold || name == "b" || name == "strong";
    if (depth < kMaxDepth) walk(c, strong, depth + 1);
    else text(xml::text(c), strong);
    if (block) flush();
  }
}

std::string meta_content(const xmlNode* root, std::initializer_list<std::string_view> names) {
  const xmlNode* head = xml::find(root, "head");
  for (std::string_view wanted : names)
    for (const xmlNode* m : xml::children(head, "meta"))
      if (ascii_lower(xml::attr(m, "name")) == wanted) return collapse_space(xml::attr(m, "content"));
  return {};
}

// Feeds the page's blocks to the section builder; the first unnumbered h1 is the title.
class Sectioner {
 public:
  void block(const Block& b);
  std::string first_h1;
  numbered::SectionBuilder builder;
};

void Sectioner::block(const Block& b) {
  if (b.level > 0) {
    if (auto m = numbered::match(b.text)) return builder.section(*m, b.level);
    if (b.level == 1 && first_h1.empty()) first_h1 = b.text;
    else builder.structure(b.text, b.level);
    return;
  }
  // "<p><b>Art. 19b Title</b> Text ...</p>": the bold part is the heading.
  if (auto m = b.bold.empty() ? std::nullopt : numbered::match(b.bold)) {
    builder.section(*m);
    return builder.paragraph(trim(std::string_view(b.text).substr(std::min(b.bold.size(), b.text.size()))));
  }
  if (b.text.find('\n') == std::string::npos) {
    if (auto m = numbered::match_heading_line(b.text)) return builder.section(*m);
    if (const int rank = numbered::structure_rank(b.text)) return builder.structure(b.text, rank);
  }
  builder.paragraph(b.text);
}

void fill_metadata(ParsedDocument& doc, const xmlNode* root, const std::string& h1,
                   const ParseContext& ctx) {
  std::string title = xml::clean_text(xml::find(xml::find(root, "head"), "title"));
  if (title.empty()) title = meta_content(root, {"dc.title", "dcterms.title"});
  if (title.empty()) title = h1;
  doc.title = title;
  // A citable identifier first; a whole title is the last resort.
  doc.identifier = meta_content(root, {"dc.identifier", "dcterms.identifier", "identifier", "jurabk"});
  if (doc.identifier.empty()) doc.identifier = numbered::bracketed_abbreviation(title);
  if (doc.identifier.empty()) doc.identifier = numbered::file_stem(ctx.source);
  if (doc.identifier.empty()) doc.identifier = title;
  std::string lang = xml::attr(root, "lang");
  if (lang.empty()) lang = meta_content(root, {"dc.language", "dcterms.language", "language"});
  doc.language = ascii_lower(lang.substr(0, 2));
  doc.date = to_iso_date(meta_content(root, {"dc.date", "dcterms.date", "dcterms.modified", "date"}));
  doc.date_source = "meta date";
}

}  // namespace

Result<ParsedDocument> html(std::string_view bytes, const ParseContext& ctx) {
  const std::string where = ctx.source.empty() ? "<input>" : ctx.source;
  const std::string_view s = strip_bom(bytes);
  xmlSetGenericErrorFunc(nullptr, silent);
  xmlSetStructuredErrorFunc(nullptr, silent_structured);
  std::unique_ptr<htmlParserCtxt, HtmlCtxtFree> ctxt(htmlNewParserCtxt());
  if (!ctxt) return Error{where + ": out of memory creating the HTML parser"};
  const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT;
  // parse_document() has checked the bytes are UTF-8, whatever a meta charset claims.
  xml::Doc doc(htmlCtxtReadMemory(ctxt.get(), s.data(), static_cast<int>(s.size()), nullptr,
                                  "UTF-8", options));
  if (!doc || !xmlDocGetRootElement(doc.get())) return Error{where + ": no HTML content"};
  const xmlNode* root = xmlDocGetRootElement(doc.get());

  Collector collector;
  collector.walk(root, false, 0);
  Sectioner sectioner;
  for (const Block& b : collector.finish()) sectioner.block(b);

  ParsedDocument out;
  out.sections = sectioner.builder.finish();
  fill_metadata(out, root, sectioner.first_h1, ctx);
  return out;
}

}  // namespace hrtrack::corpus::parsers
