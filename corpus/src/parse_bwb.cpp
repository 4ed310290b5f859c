// BWB toestand XML (wetten.overheid.nl): one dated version of a Dutch law. Sections are
// `artikel` elements ("Artikel 20"); their text is `lid` (numbered by `lidnr`), `al`
// paragraphs and `lijst`/`li` enumerations; each artikel carries its own status and
// in-force date. Chapters, titles and paragraphs (`hoofdstuk`, `paragraaf`, ...) form the path.
#include "parsers.hpp"
#include "text.hpp"
#include "xml_walker.hpp"

namespace hrtrack::corpus::parsers {
namespace {

using xml::Role;
using xml::Unit;

constexpr xml::ElementRole kRoles[] = {
    {"meta-data", Role::editorial, Unit::skip},
    {"artikel", Role::block, Unit::section},
    {"boek deel titeldeel hoofdstuk afdeling paragraaf sub-paragraaf divisie bijlage", Role::inline_,
     Unit::container},
    // "Artikel" + "20", and the artikel's or grouping's title.
    {"kop", Role::label},
    {"label nr", Role::number, {}, {}, {}, "kop"},
    {"titel", Role::heading, {}, {}, {}, "kop"},
    // "Vervallen" replaces the text of a repealed artikel; other editorial remarks are notes.
    {"redactie", Role::inline_, {}, "type", "vervanging"},
    {"redactie", Role::note},
    {"intref", Role::internal_ref},
    {"extref", Role::external_ref},
    {"lid al li lijst row tussenkop", Role::block},
    {"lidnr li.nr", Role::number},
};
constexpr std::string_view kRoots[] = {"toestand"};

// "jci1.3:c:BWBR0002458&paragraaf=3&artikel=20&z=2015-01-01" -> value of `key`.
std::string jci_param(std::string_view jci, std::string_view key) {
  for (const std::string& part : split(jci, '&')) {
    const auto eq = part.find('=');
    if (eq != std::string::npos && std::string_view(part).substr(0, eq) == key) return part.substr(eq + 1);
  }
  return {};
}

std::optional<Citation> cite(const xmlNode* ref, const xml::Walker& w) {
  const std::string jci = xml::attr(ref, "doc");
  std::string target = xml::attr(ref, "bwb-id");
  if (target == w.document().identifier) target.clear();
  return Citation{jci.empty() ? xml::clean_text(ref) : jci, target,
                  normalize_section_number(jci_param(jci, "artikel")), "markup"};
}

// Repealed artikelen print their whole label in `label`; an artikel in force from a date
// after the version's is not yet in force in it.
bool section(const xmlNode* artikel, ParsedSection& s, const xml::Walker& w) {
  if (s.label.empty()) s.label = collapse_space(xml::attr(artikel, "label"));
  s.number = normalize_section_number(s.label);
  s.in_force_date = to_iso_date(xml::attr(artikel, "inwerking"));
  const std::string status = xml::attr(artikel, "status");
  const std::string& version = w.document().date;
  if (status == "vervallen") s.in_force = InForce::repealed;
  else if (!s.in_force_date.empty() && !version.empty() && s.in_force_date > version) s.in_force = InForce::not_yet;
  else s.in_force = status == "goed" ? InForce::yes : InForce::unknown;
  return true;
}

InstrumentType type_of(std::string_view soort) {
  if (soort == "wet" || soort == "rijkswet") return InstrumentType::act;
  if (soort == "AMvB" || soort == "ministeriele-regeling" || soort == "KB" || soort == "rijksKB")
    return InstrumentType::regulation;
  return InstrumentType::other;
}

Status metadata(const xmlNode* root, const ParseContext&, ParsedDocument& doc, xml::Walker&) {
  const xmlNode* wetgeving = xml::find(root, "wetgeving");
  doc.identifier = trim(xml::attr(root, "bwb-id"));
  if (doc.identifier.empty()) return Error{": the toestand has no bwb-id"};
  const std::string citeertitel = xml::clean_text(xml::find(wetgeving, "citeertitel"));
  if (!citeertitel.empty()) doc.aliases.push_back(citeertitel);
  doc.title = citeertitel.empty() ? xml::clean_text(xml::find(wetgeving, "intitule")) : citeertitel;
  const std::string lang = xml::attr(wetgeving, "lang");
  doc.language = lang.empty() ? "nl" : ascii_lower(lang.substr(0, 2));
  doc.jurisdiction = "NL";
  doc.type = type_of(xml::attr(wetgeving, "soort"));
  doc.date = to_iso_date(xml::attr(root, "inwerkingtreding"));
  doc.date_source = "toestand inwerkingtreding";
  if (doc.date.empty()) {
    doc.date = to_iso_date(xml::attr(wetgeving, "inwerkingtredingsdatum"));
    doc.date_source = "wetgeving inwerkingtredingsdatum";
  }
  return {};
}

}  // namespace

const xml::Format bwb{
    .name = "a BWB toestand",
    .roots = kRoots,
    .elements = kRoles,
    .layout = {.bare_number = 8},
    .metadata = metadata,
    .cite = cite,
    .section = section,
};

}  // namespace hrtrack::corpus::parsers
