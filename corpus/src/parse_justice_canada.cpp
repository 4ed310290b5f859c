// Justice Canada XML (LIMS): consolidated <Statute> and <Regulation>, and as-enacted
// annual statutes (<Bill>). The Body is a flat run of Heading[@level] and Section; a
// Section holds Label, MarginalNote, Text and nested Subsection / Paragraph / ... blocks.
#include <algorithm>
#include <string>
#include <vector>

#include "parsers.hpp"
#include "text.hpp"
#include "xml.hpp"

namespace hrtrack::corpus::parsers {
namespace {

// Elements whose content is not the law's own text.
bool is_editorial(std::string_view n) {
  return n == "HistoricalNote" || n == "Footnote" || n == "FootnoteRef" || n == "Note" ||
         n == "OriginatingRef" || n == "RecentAmendments";
}

struct SectionBuilder {
  ParsedSection& out;
  std::vector<std::string> lines;

  // Text of an inline run (a <Text>), footnotes moved to notes, references recorded.
  void inline_text(const xmlNode* n, std::string& acc) {
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (c->content) acc += reinterpret_cast<const char*>(c->content);
        continue;
      }
      if (!xml::is_element(c)) continue;
      const auto name = xml::name(c);
      if (name == "FootnoteRef") continue;
      if (name == "Footnote" || name == "HistoricalNote") {
        out.notes.push_back(xml::clean_text(c));
        continue;
      }
      if (name == "XRefInternal") {
        const std::string t = xml::clean_text(c);
        out.citations.push_back({t, "", normalize_section_number(t), "markup"});
      } else if (name == "XRefExternal") {
        const std::string t = xml::clean_text(c);
        const std::string link = xml::attr(c, "link");
        out.citations.push_back({t, link.empty() ? t : link, "", "markup"});
      }
      inline_text(c, acc);
    }
  }

  // A block (Section, Subsection, Paragraph, Definition, Item, ...): its Label prefixes
  // its first line; each Text becomes a line; nested blocks follow.
  void block(const xmlNode* n, bool top) {
    std::string label;
    const std::size_t first = lines.size();
    std::size_t labelled = std::string::npos;  // the line the Label prefixes: its first Text
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (!xml::is_element(c)) continue;
      const auto name = xml::name(c);
      if (name == "Label") {
        if (!top) label = xml::clean_text(c);
      } else if (name == "MarginalNote") {
        if (!top) lines.push_back(xml::clean_text(c));
      } else if (name == "Text" || name == "TitleText") {
        std::string t;
        inline_text(c, t);
        t = collapse_space(t);
        if (t.empty()) continue;
        if (labelled == std::string::npos) labelled = lines.size();
        lines.push_back(std::move(t));
      } else if (is_editorial(name)) {
        if (name == "HistoricalNote" || name == "Footnote") out.notes.push_back(xml::clean_text(c));
      } else if (name == "row") {
        std::string row;
        for (const xmlNode* e : xml::children(c)) {
          std::string cell;
          inline_text(e, cell);
          cell = collapse_space(cell);
          if (cell.empty()) continue;
          if (!row.empty()) row += " | ";
          row += cell;
        }
        if (!row.empty()) lines.push_back(std::move(row));
      } else {
        block(c, false);
      }
    }
    if (!label.empty()) {
      if (labelled != std::string::npos) lines[labelled] = label + " " + lines[labelled];
      else if (lines.size() > first) lines[first] = label + " " + lines[first];
      else lines.push_back(label);
    }
  }
};

bool only_repealed(const xmlNode* section) {
  // "[Repealed, 2012, c. 1, s. 43]": the Section's Text holds nothing but <Repealed>.
  const xmlNode* text = xml::child(section, "Text");
  return text && xml::find(text, "Repealed") && xml::child(section, "Subsection") == nullptr &&
         collapse_space(xml::text(text)).rfind("[", 0) == 0;
}

ParsedSection read_section(const xmlNode* s, const std::vector<std::string>& path) {
  ParsedSection out;
  out.label = xml::clean_text(xml::child(s, "Label"));
  out.number = normalize_section_number(out.label);
  out.heading = xml::clean_text(xml::child(s, "MarginalNote"));
  out.path = path;
  out.in_force_date = xml::attr(s, "inforce-start-date");
  if (xml::attr(s, "in-force") == "no") out.in_force = InForce::not_yet;
  else if (only_repealed(s)) out.in_force = InForce::repealed;
  else out.in_force = InForce::yes;
  SectionBuilder b{out, {}};
  b.block(s, true);
  for (auto& line : b.lines) {
    if (!out.text.empty()) out.text += '\n';
    out.text += line;
  }
  return out;
}

// "SCHEDULE I (Sections 2 to 5, ...)": a schedule becomes a section numbered "schedule-i".
void read_schedule(const xmlNode* s, std::vector<ParsedSection>& out) {
  // Amendments not yet in force are reprinted in a schedule-like block: not the law's text.
  if (xml::find(s, "RelatedOrNotInForce")) return;
  const xmlNode* h = xml::child(s, "ScheduleFormHeading");
  ParsedSection sec;
  sec.label = xml::clean_text(xml::child(h, "Label"));
  if (sec.label.empty()) return;
  sec.number = normalize_section_number(sec.label);
  sec.heading = xml::clean_text(xml::child(h, "TitleText"));
  sec.in_force = InForce::yes;
  sec.in_force_date = xml::attr(s, "inforce-start-date");
  SectionBuilder b{sec, {}};
  for (const xmlNode* c : xml::children(s))
    if (xml::name(c) != "ScheduleFormHeading") b.block(c, false);
  for (auto& line : b.lines) {
    if (!sec.text.empty()) sec.text += '\n';
    sec.text += line;
  }
  out.push_back(std::move(sec));
}

void read_body(const xmlNode* body, std::vector<std::string>& path,
               std::vector<ParsedSection>& out) {
  for (const xmlNode* c : xml::children(body)) {
    const auto name = xml::name(c);
    if (name == "Heading") {
      int level = 1;
      try {
        level = std::max(1, std::stoi(xml::attr(c, "level")));
      } catch (...) {
      }
      const std::string label = xml::clean_text(xml::child(c, "Label"));
      const std::string title = xml::clean_text(xml::child(c, "TitleText"));
      path.resize(std::min<std::size_t>(path.size(), static_cast<std::size_t>(level - 1)));
      path.push_back(label.empty() ? title : label + " " + title);
    } else if (name == "Section") {
      out.push_back(read_section(c, path));
    } else if (name == "RelatedOrNotInForce" || is_editorial(name)) {
      continue;
    } else {
      read_body(c, path, out);  // Part / Division wrappers in some documents
    }
  }
}

// An instrument without numbered sections (an order made of provisions, or an act repealed
// as a whole) is one unit addressed as "#text", so it is still catalogued and searchable.
void read_unnumbered(const xmlNode* root, ParsedDocument& doc) {
  ParsedSection s;
  s.number = "text";
  s.heading = doc.title;
  if (const xmlNode* repealed = xml::child(root, "Repealed")) {
    s.text = xml::clean_text(repealed);
    s.in_force = InForce::repealed;
  } else {
    SectionBuilder b{s, {}};
    for (const char* part : {"Order", "Body"})
      if (const xmlNode* n = xml::child(root, part)) b.block(n, false);
    for (auto& line : b.lines) {
      if (!s.text.empty()) s.text += '\n';
      s.text += line;
    }
    s.in_force = InForce::yes;
  }
  if (!s.text.empty()) doc.sections.push_back(std::move(s));
}

std::string date_of(const xmlNode* date) {
  if (!date) return {};
  auto two = [](std::string v) { return v.size() == 1 ? "0" + v : v; };
  return xml::clean_text(xml::child(date, "YYYY")) + "-" +
         two(xml::clean_text(xml::child(date, "MM"))) + "-" +
         two(xml::clean_text(xml::child(date, "DD")));
}

// French identifiers of the same instrument, in their English (canonical) form.
std::string english_identifier(std::string id) {
  auto replace_prefix = [&](std::string_view from, std::string_view to) {
    if (id.rfind(from, 0) == 0) id = std::string(to) + id.substr(from.size());
  };
  replace_prefix("DORS/", "SOR/");
  replace_prefix("TR/", "SI/");
  if (auto p = id.find(", ch. "); p != std::string::npos) id.replace(p, 6, ", c. ");
  return id;
}

}  // namespace

Result<ParsedDocument> justice_canada(std::string_view bytes, const ParseContext& ctx) {
  auto parsed = xml::parse(bytes, ctx.source);
  if (!parsed) return parsed.error();
  const xmlNode* root = xml::root(*parsed);
  const auto kind = xml::name(root);
  if (kind != "Statute" && kind != "Regulation" && kind != "Bill")
    return Error{ctx.source + ": not a Justice Canada document (root <" + std::string(kind) + ">)"};

  ParsedDocument doc;
  doc.jurisdiction = "CA";
  doc.language = xml::attr(root, "lang");
  const xmlNode* ident = xml::child(root, "Identification");
  doc.title = xml::clean_text(xml::child(ident, "ShortTitle"));
  if (doc.title.empty()) doc.title = xml::clean_text(xml::child(ident, "LongTitle"));

  const xmlNode* chapter = xml::child(ident, "Chapter");
  const xmlNode* annual = xml::child(chapter, "AnnualStatuteId");
  const std::string annual_id =
      annual ? xml::clean_text(xml::child(annual, "YYYY")) + ", c. " +
                   xml::clean_text(xml::child(annual, "AnnualStatuteNumber"))
             : std::string();
  if (kind == "Regulation") {
    const std::string printed = xml::clean_text(xml::child(ident, "InstrumentNumber"));
    doc.identifier = english_identifier(printed);
    if (printed != doc.identifier) doc.aliases.push_back(printed);
    doc.type = InstrumentType::regulation;
  } else {
    doc.identifier = xml::clean_text(xml::child(chapter, "ConsolidatedNumber"));
    if (doc.identifier.empty()) doc.identifier = annual_id;
    else if (!annual_id.empty()) doc.aliases.push_back(annual_id);
    // An annual statute is an enacted act; a <Bill> without a chapter is still a bill.
    doc.type = (kind == "Bill" && annual_id.empty()) ? InstrumentType::bill : InstrumentType::act;
    if (doc.identifier.empty()) doc.identifier = xml::clean_text(xml::child(ident, "BillNumber"));
  }
  if (!doc.title.empty()) doc.aliases.push_back(doc.title);

  doc.date = xml::attr(root, "pit-date");
  doc.date_source = "pit-date";
  if (doc.date.empty()) {
    doc.date_source = "assent date";
    for (const xmlNode* st : xml::children(xml::child(ident, "BillHistory"), "Stages"))
      if (xml::attr(st, "stage") == "assented-to") doc.date = date_of(xml::child(st, "Date"));
  }
  if (!is_iso_date(doc.date)) doc.date.clear();

  std::vector<std::string> path;
  if (const xmlNode* body = xml::child(root, "Body")) read_body(body, path, doc.sections);
  for (const xmlNode* s : xml::children(root, "Schedule")) read_schedule(s, doc.sections);
  if (doc.sections.empty()) read_unnumbered(root, doc);
  return doc;
}

}  // namespace hrtrack::corpus::parsers
