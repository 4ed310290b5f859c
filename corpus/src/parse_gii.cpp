// gesetze-im-internet gii-norm XML: <dokumente> holds a flat list of <norm>. The first
// norm carries the law's metadata; structure headings are norms with a
// gliederungseinheit; a section is a norm with metadaten/enbez ("§ 29") and its text in
// textdaten/text/Content (P, DL/DT/DD lists, tables).
#include <array>
#include <string>
#include <vector>

#include "parsers.hpp"
#include "text.hpp"
#include "xml_walker.hpp"

namespace hrtrack::corpus::parsers {
namespace {

using xml::Role;

constexpr xml::ElementRole kRoles[] = {
    {"metadaten", Role::label},
    {"enbez", Role::number, {}, {}, {}, "metadaten"},
    {"titel", Role::heading, {}, {}, {}, "metadaten"},
    {"gliederungsbez", Role::number},
    {"gliederungstitel", Role::heading},
    {"fussnoten", Role::note},
    // Beside the Content of a text: its table of contents and its footnotes.
    {"TOC Footnotes", Role::editorial, {}, {}, {}, "text"},
    {"FnR noindex kommentar", Role::editorial},
    {"BR", Role::space},
    {"P DL row", Role::block},
    // A list item is its term (DT, the item's number) and its definition (DD), the next
    // term starting the next line.
    {"DT", Role::number},
    {"entry", Role::cell},
};
constexpr std::array<std::string_view, 1> kRoots = {"dokumente"};

bool is_section_label(std::string_view enbez) {
  return enbez.rfind("§", 0) == 0 || enbez.rfind("Art", 0) == 0 || enbez.rfind("Anlage", 0) == 0;
}

bool is_repealed_text(const std::string& text) {
  return text == "(weggefallen)" || text == "-" || text == "(aufgehoben)";
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

Status metadata(const xmlNode* root, const ParseContext& ctx, ParsedDocument& doc, xml::Walker&) {
  doc.jurisdiction = "DE";
  doc.language = "de";
  doc.type = InstrumentType::act;
  const std::string build = xml::attr(root, "builddate");
  doc.date = build.size() >= 8 ? to_iso_date(build.substr(0, 8)) : "";
  doc.date_source = "dokumente builddate";
  const xmlNode* meta = xml::child(xml::child(root, "norm"), "metadaten");
  if (!meta) return {};
  const std::string amtabk = xml::clean_text(xml::child(meta, "amtabk"));
  const std::string jurabk = xml::clean_text(xml::child(meta, "jurabk"));
  doc.identifier = amtabk.empty() ? jurabk : amtabk;
  if (!jurabk.empty() && jurabk != doc.identifier) doc.aliases.push_back(jurabk);
  doc.title = xml::clean_text(xml::child(meta, "langue"));
  if (doc.title.empty()) doc.title = xml::clean_text(xml::child(meta, "kurzue"));
  if (const std::string slug = slug_of(ctx.source); !slug.empty()) doc.aliases.push_back(slug);
  if (const std::string doknr = xml::attr(root, "doknr"); !doknr.empty()) doc.aliases.push_back(doknr);
  if (std::string ord = ascii_lower(doc.title); ord.find("verordnung") != std::string::npos)
    doc.type = InstrumentType::regulation;
  return {};
}

bool section(const xmlNode*, ParsedSection& s, const xml::Walker&) {
  s.number = normalize_section_number(s.label);
  s.in_force = is_repealed_text(s.text) ? InForce::repealed : InForce::yes;
  return true;
}

// Norms follow one another; a gliederungseinheit's code ("010020") gives its level, three
// digits a level.
Status units(const xmlNode* root, xml::Walker& w, ParsedDocument& doc) {
  std::vector<const xmlNode*> unnumbered;
  for (const xmlNode* norm : xml::children(root, "norm")) {
    const xmlNode* meta = xml::child(norm, "metadaten");
    if (const xmlNode* unit = xml::child(meta, "gliederungseinheit")) {
      const std::string code = xml::clean_text(xml::child(unit, "gliederungskennzahl"));
      const std::size_t depth = std::max<std::size_t>(1, code.size() / 3);
      w.path.resize(std::min(w.path.size(), depth - 1));
      w.path.push_back(w.title(unit));
    } else if (is_section_label(xml::clean_text(xml::child(meta, "enbez")))) {
      doc.sections.push_back(*w.section(norm));
    } else {
      unnumbered.push_back(norm);  // "(XXXX)", "Eingangsformel", or none
    }
  }
  // A law without numbered sections (a short ordinance, a notice of a treaty): its text is
  // one unit, cited by the instrument itself and addressed as "#text".
  if (doc.sections.empty()) {
    for (const xmlNode* norm : unnumbered) {
      ParsedSection s = *w.section(norm);
      if (s.text.empty()) continue;
      if (doc.sections.empty()) {
        s.label.clear();
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
    return Error{Code::kNoLegalText, std::string(kNoLegalText) + "the file holds only metadata and footnotes"};
  return {};
}

}  // namespace

const xml::Format gii{
    .name = "a gii-norm document",
    .roots = kRoots,
    .elements = kRoles,
    .layout = {.keep_empty_cells = true},
    .metadata = metadata,
    .units = units,
    .section = section,
};

}  // namespace hrtrack::corpus::parsers
