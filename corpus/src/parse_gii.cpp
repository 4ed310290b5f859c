// gesetze-im-internet gii-norm XML: <dokumente> holds a flat list of <norm>. The first
// norm carries the law's metadata; structure headings are norms with a
// gliederungseinheit; a section is a norm with metadaten/enbez ("§ 29") and its text in
// textdaten/text/Content (P, DL/DT/DD lists, tables).
#include <string>
#include <vector>

#include "parsers.hpp"
#include "text.hpp"
#include "xml.hpp"

namespace hrtrack::corpus::parsers {
namespace {

struct TextBuilder {
  std::string text;     // the lines so far, each folded, empty ones dropped, joined by '\n'
  std::string current;  // the line being read

  void flush() {
    const std::size_t mark = text.size();
    if (!text.empty()) text += '\n';
    const std::size_t line = text.size();
    collapse_space_into(text, current);
    if (text.size() == line) text.resize(mark);  // an empty line
    current.clear();
  }

  // Paragraphs (P), list items (DT + DD) and table rows start new lines; the rest is inline.
  void walk(const xmlNode* n) {
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (c->content) current += reinterpret_cast<const char*>(c->content);
        continue;
      }
      if (!xml::is_element(c)) continue;
      const auto name = xml::name(c);
      if (name == "FnR" || name == "noindex" || name == "kommentar") continue;
      if (name == "BR") {
        current += ' ';
      } else if (name == "P" || name == "row" || name == "DL") {
        flush();
        walk(c);
        flush();
      } else if (name == "DT") {
        flush();
        walk(c);
        current += ' ';
      } else if (name == "DD") {
        walk(c);
        flush();
      } else if (name == "entry") {
        if (!is_blank(current)) current += " | ";
        walk(c);
      } else {
        walk(c);
      }
    }
  }
};

bool is_section_label(std::string_view enbez) {
  return enbez.rfind("§", 0) == 0 || enbez.rfind("Art", 0) == 0 || enbez.rfind("Anlage", 0) == 0;
}

bool is_repealed_text(const std::string& text) {
  return text == "(weggefallen)" || text == "-" || text == "(aufgehoben)";
}

ParsedSection read_norm(const xmlNode* norm, const std::string& enbez,
                        const std::vector<std::string>& path) {
  ParsedSection s;
  const xmlNode* meta = xml::child(norm, "metadaten");
  s.label = enbez;
  s.number = normalize_section_number(enbez);
  s.heading = xml::clean_text(xml::child(meta, "titel"));
  s.path = path;
  const xmlNode* textdaten = xml::child(norm, "textdaten");
  TextBuilder b;
  if (const xmlNode* content = xml::child(xml::child(textdaten, "text"), "Content")) b.walk(content);
  b.flush();
  s.text = std::move(b.text);
  if (const xmlNode* fn = xml::child(textdaten, "fussnoten")) {
    std::string note = xml::clean_text(fn);
    if (!note.empty()) s.notes.push_back(std::move(note));
  }
  s.in_force = is_repealed_text(s.text) ? InForce::repealed : InForce::yes;
  return s;
}

std::string slug_of(std::string_view source) {
  auto slash = source.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? source : source.substr(slash + 1);
  if (name == "xml.zip" || name.empty()) {
    // .../btmg_1981/xml.zip: the slug is the folder.
    if (slash == std::string_view::npos) return {};
    source = source.substr(0, slash);
    slash = source.find_last_of('/');
    name = slash == std::string_view::npos ? source : source.substr(slash + 1);
  }
  return std::string(name.substr(0, name.find('.')));
}

}  // namespace

Result<ParsedDocument> gii(std::string_view bytes, const ParseContext& ctx) {
  auto parsed = xml::parse(bytes, ctx.source);
  if (!parsed) return parsed.error();
  const xmlNode* root = xml::root(*parsed);
  if (!xml::is(root, "dokumente"))
    return Error{ctx.source + ": not a gii-norm document (root <" +
                 std::string(xml::name(root)) + ">)"};

  ParsedDocument doc;
  doc.jurisdiction = "DE";
  doc.language = "de";
  doc.type = InstrumentType::act;
  const std::string build = xml::attr(root, "builddate");
  doc.date = build.size() >= 8 ? to_iso_date(build.substr(0, 8)) : "";
  doc.date_source = "dokumente builddate";

  std::vector<std::string> path;
  std::vector<const xmlNode*> unnumbered;
  bool first = true;
  for (const xmlNode* norm : xml::children(root, "norm")) {
    const xmlNode* meta = xml::child(norm, "metadaten");
    if (first) {
      first = false;
      const std::string amtabk = xml::clean_text(xml::child(meta, "amtabk"));
      const std::string jurabk = xml::clean_text(xml::child(meta, "jurabk"));
      doc.identifier = amtabk.empty() ? jurabk : amtabk;
      if (!jurabk.empty() && jurabk != doc.identifier) doc.aliases.push_back(jurabk);
      doc.title = xml::clean_text(xml::child(meta, "langue"));
      if (doc.title.empty()) doc.title = xml::clean_text(xml::child(meta, "kurzue"));
      if (const std::string slug = slug_of(ctx.source); !slug.empty()) doc.aliases.push_back(slug);
      if (const std::string doknr = xml::attr(root, "doknr"); !doknr.empty())
        doc.aliases.push_back(doknr);
      if (std::string ord = ascii_lower(doc.title); ord.find("verordnung") != std::string::npos)
        doc.type = InstrumentType::regulation;
    }
    if (const xmlNode* unit = xml::child(meta, "gliederungseinheit")) {
      const std::string code = xml::clean_text(xml::child(unit, "gliederungskennzahl"));
      const std::size_t depth = std::max<std::size_t>(1, code.size() / 3);
      std::string title = xml::clean_text(xml::child(unit, "gliederungsbez"));
      const std::string sub = xml::clean_text(xml::child(unit, "gliederungstitel"));
      if (!sub.empty()) title += (title.empty() ? "" : " ") + sub;
      path.resize(std::min(path.size(), depth - 1));
      path.push_back(title);
      continue;
    }
    const std::string enbez = xml::clean_text(xml::child(meta, "enbez"));
    if (is_section_label(enbez)) doc.sections.push_back(read_norm(norm, enbez, path));
    else unnumbered.push_back(norm);  // "(XXXX)", "Eingangsformel", or none
  }
  // A law without numbered sections (a short ordinance, a notice of a treaty): its text is
  // one unit, cited by the instrument itself and addressed as "#text".
  if (doc.sections.empty()) {
    for (const xmlNode* norm : unnumbered) {
      ParsedSection s = read_norm(norm, "", path);
      if (s.text.empty()) continue;
      if (doc.sections.empty()) {
        s.number = "text";
        s.heading = doc.title;
        s.path.clear();
        doc.sections.push_back(std::move(s));
      } else {
        doc.sections.back().text += "\n" + s.text;
      }
    }
  }
  if (doc.sections.empty())
    return Error{ctx.source + std::string(kNoLegalText) + "the file holds only metadata and footnotes"};
  return doc;
}

}  // namespace hrtrack::corpus::parsers
