// Justice Canada XML (LIMS): consolidated <Statute> and <Regulation>, and as-enacted
// annual statutes (<Bill>). The Body is a flat run of Heading[@level] and Section; a
// Section holds Label, MarginalNote, Text and nested Subsection / Paragraph / ... blocks.
#include <algorithm>
#include <string>
#include <vector>

#include "parsers.hpp"
#include "text.hpp"
#include "xml_walker.hpp"

namespace hrtrack::corpus::parsers {
namespace {

using xml::Role;
using xml::Unit;

// A Section holds its Label, MarginalNote, Text and nested blocks (Subsection, Paragraph,
// Definition, ...); only Text (and table cells) hold text. A block's Label prefixes its
// first Text ("(2) No person ..."), its MarginalNote stands on a line of its own before.
constexpr xml::ElementRole kRoles[] = {
    {"Section", Role::block, Unit::section},
    {"Heading", Role::block, Unit::outline},
    // Amendments not yet in force, reprinted: not the law's text.
    {"RelatedOrNotInForce", Role::editorial, Unit::skip},
    {"Label", Role::number},
    {"MarginalNote", Role::heading},
    {"ScheduleFormHeading", Role::label},
    {"Text TitleText", Role::line},
    {"HistoricalNote Footnote", Role::note},
    {"FootnoteRef Note OriginatingRef RecentAmendments", Role::editorial},
    {"XRefInternal", Role::internal_ref},
    {"XRefExternal", Role::external_ref},
    {"row", Role::row},
    {"entry", Role::cell},
};
constexpr std::string_view kRoots[] = {"Statute", "Regulation", "Bill"};

bool only_repealed(const xmlNode* section) {
  // "[Repealed, 2012, c. 1, s. 43]": the Section's Text holds nothing but <Repealed>.
  const xmlNode* text = xml::child(section, "Text");
  return text && xml::find(text, "Repealed") && xml::child(section, "Subsection") == nullptr &&
         collapse_space(xml::text(text)).rfind("[", 0) == 0;
}

bool section(const xmlNode* n, ParsedSection& s, const xml::Walker&) {
  s.number = normalize_section_number(s.label);
  s.in_force_date = xml::attr(n, "inforce-start-date");
  if (xml::attr(n, "in-force") == "no") s.in_force = InForce::not_yet;
  else if (only_repealed(n)) s.in_force = InForce::repealed;
  else s.in_force = InForce::yes;
  return true;
}

// "PART I Offences and Punishment": a Heading's Label and TitleText.
std::string title(const xmlNode* heading, xml::Walker&) {
  const std::string label = xml::clean_text(xml::child(heading, "Label"));
  const std::string title = xml::clean_text(xml::child(heading, "TitleText"));
  return label.empty() ? title : label + " " + title;
}

std::size_t level(const xmlNode* heading) {
  try {
    return static_cast<std::size_t>(std::max(1, std::stoi(xml::attr(heading, "level"))));
  } catch (...) {
    return 1;
  }
}

// "SCHEDULE I (Sections 2 to 5, ...)": a schedule becomes a section numbered "schedule-i",
// whatever it holds read as blocks.
void schedule(const xmlNode* n, xml::Walker& w, ParsedDocument& doc) {
  // Amendments not yet in force are reprinted in a schedule-like block: not the law's text.
  if (xml::find(n, "RelatedOrNotInForce")) return;
  const xmlNode* h = xml::child(n, "ScheduleFormHeading");
  ParsedSection s;
  s.label = xml::clean_text(xml::child(h, "Label"));
  if (s.label.empty()) return;
  s.number = normalize_section_number(s.label);
  s.heading = xml::clean_text(xml::child(h, "TitleText"));
  s.in_force = InForce::yes;
  s.in_force_date = xml::attr(n, "inforce-start-date");
  for (const xmlNode* c : xml::children(n))
    if (c != h)
      if (std::string t = w.block_text(c, s); !t.empty()) s.text += (s.text.empty() ? "" : "\n") + t;
  doc.sections.push_back(std::move(s));
}

// The Body is a flat run of Heading[@level] and Section, in Part / Division wrappers in
// some documents; schedules follow it. An instrument without numbered sections (an order
// made of provisions, or an act repealed as a whole) is one unit addressed as "#text", so
// it is still catalogued and searchable.
Status units(const xmlNode* root, xml::Walker& w, ParsedDocument& doc) {
  if (const xmlNode* body = xml::child(root, "Body")) w.units(body, doc.sections);
  for (const xmlNode* s : xml::children(root, "Schedule")) schedule(s, w, doc);
  if (!doc.sections.empty()) return {};
  ParsedSection s;
  s.number = "text";
  s.heading = doc.title;
  if (const xmlNode* repealed = xml::child(root, "Repealed")) {
    s.text = xml::clean_text(repealed);
    s.in_force = InForce::repealed;
  } else {
    for (const char* part : {"Order", "Body"})
      if (const xmlNode* n = xml::child(root, part))
        if (std::string t = w.block_text(n, s); !t.empty()) s.text += (s.text.empty() ? "" : "\n") + t;
    s.in_force = InForce::yes;
  }
  if (!s.text.empty()) doc.sections.push_back(std::move(s));
  return {};
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

Status metadata(const xmlNode* root, const ParseContext&, ParsedDocument& doc, xml::Walker&) {
  const std::string_view kind = xml::name(root);
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
  if (!is_calendar_date(doc.date)) doc.date.clear();

  return {};
}

}  // namespace

const xml::Format justice_canada{
    .name = "a Justice Canada document",
    .roots = kRoots,
    .elements = kRoles,
    .layout = {.structured = true, .numbering = xml::Numbering::prefix, .plain_numbers = true},
    .metadata = metadata,
    .units = units,
    .section = section,
    .title = title,
    .level = level,
};

}  // namespace hrtrack::corpus::parsers
