// BWB toestand XML (wetten.overheid.nl): one dated version of a Dutch law. Sections are
// `artikel` elements ("Artikel 20"); their text is `lid` (numbered by `lidnr`), `al`
// paragraphs and `lijst`/`li` enumerations; each artikel carries its own status and
// in-force date. Chapters, titles and paragraphs (`hoofdstuk`, `paragraaf`, ...) form the path.
#include <array>

#include "parsers.hpp"
#include "text.hpp"
#include "xml.hpp"

namespace hrtrack::corpus::parsers {
namespace {

constexpr std::array<std::string_view, 9> kContainers = {
    "boek", "deel", "titeldeel", "hoofdstuk", "afdeling", "paragraaf", "sub-paragraaf",
    "divisie", "bijlage"};

// Elements whose text starts a line of its own.
constexpr std::array<std::string_view, 6> kLines = {"lid", "al", "li", "lijst", "row", "tussenkop"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& names, std::string_view n) {
  for (auto x : names)
    if (x == n) return true;
  return false;
}

// "jci1.3:c:BWBR0002458&paragraaf=3&artikel=20&z=2015-01-01" -> value of `key`.
std::string jci_param(std::string_view jci, std::string_view key) {
  for (const std::string& part : split(jci, '&')) {
    const auto eq = part.find('=');
    if (eq != std::string::npos && std::string_view(part).substr(0, eq) == key) return part.substr(eq + 1);
  }
  return {};
}

class ArtikelText {
 public:
  ArtikelText(ParsedSection& s, const std::string& self) : s_(s), self_(self) {}
  void render(const xmlNode* n);
  void finish() { flush(true); }

 private:
  void flush(bool last = false);
  void cite(const xmlNode* ref);
  ParsedSection& s_;
  const std::string& self_;
  std::string line_;
};

// "1" or "2°." alone: a lidnr or li.nr waits for the paragraph it numbers.
static bool bare_number(std::string_view line) {
  return line.size() <= 8 && line.find(' ') == std::string_view::npos;
}

void ArtikelText::flush(bool last) {
  std::string line = collapse_space(line_);
  line_.clear();
  if (line.empty()) return;
  if (!last && bare_number(line)) {
    line_ = line + " ";
    return;
  }
  if (!s_.text.empty()) s_.text += '\n';
  s_.text += line;
}

void ArtikelText::cite(const xmlNode* ref) {
  const std::string jci = xml::attr(ref, "doc");
  std::string target = xml::attr(ref, "bwb-id");
  if (target == self_) target.clear();
  s_.citations.push_back(Citation{jci.empty() ? xml::clean_text(ref) : jci, target,
                                  normalize_section_number(jci_param(jci, "artikel")), "markup"});
}

void ArtikelText::render(const xmlNode* n) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) line_ += reinterpret_cast<const char*>(c->content);
      continue;
    }
    if (!xml::is_element(c)) continue;
    const std::string_view name = xml::name(c);
    if (name == "kop" || name == "meta-data") continue;
    // "Vervallen" replaces the text of a repealed artikel; other editorial remarks are notes.
    if (name == "redactie" && xml::attr(c, "type") != "vervanging") {
      s_.notes.push_back(xml::clean_text(c));
      continue;
    }
    if (name == "intref" || name == "extref") cite(c);
    const bool line = one_of(kLines, name);
    if (line) flush();
    render(c);
    if (line) flush();
    else if (name == "lidnr" || name == "li.nr") line_ += ' ';
  }
}

// "Artikel" + "20" -> "Artikel 20"; repealed artikelen print the whole label in `label`.
std::string artikel_label(const xmlNode* artikel) {
  const xmlNode* kop = xml::child(artikel, "kop");
  const std::string label =
      collapse_space(xml::clean_text(xml::child(kop, "label")) + " " + xml::clean_text(xml::child(kop, "nr")));
  return label.empty() ? collapse_space(xml::attr(artikel, "label")) : label;
}

InForce artikel_status(const xmlNode* artikel, std::string_view in_force_date, std::string_view version_date) {
  const std::string status = xml::attr(artikel, "status");
  if (status == "vervallen") return InForce::repealed;
  if (!in_force_date.empty() && !version_date.empty() && in_force_date > version_date)
    return InForce::not_yet;
  return status == "goed" ? InForce::yes : InForce::unknown;
}

class Reader {
 public:
  Reader(std::string self, std::string date) : self_(std::move(self)), date_(std::move(date)) {}
  void walk(const xmlNode* n, std::vector<std::string>& path);
  std::vector<ParsedSection> sections;

 private:
  void artikel(const xmlNode* n, const std::vector<std::string>& path);
  std::string self_;
  std::string date_;
};

void Reader::artikel(const xmlNode* n, const std::vector<std::string>& path) {
  ParsedSection s;
  s.label = artikel_label(n);
  s.number = normalize_section_number(s.label);
  s.heading = xml::clean_text(xml::child(xml::child(n, "kop"), "titel"));
  s.path = path;
  s.in_force_date = to_iso_date(xml::attr(n, "inwerking"));
  s.in_force = artikel_status(n, s.in_force_date, date_);
  ArtikelText text(s, self_);
  text.render(n);
  text.finish();
  sections.push_back(std::move(s));
}

std::string container_title(const xmlNode* n) {
  const xmlNode* kop = xml::child(n, "kop");
  std::string t;
  for (const char* part : {"label", "nr", "titel"}) t += " " + xml::clean_text(xml::child(kop, part));
  return collapse_space(t);
}

void Reader::walk(const xmlNode* n, std::vector<std::string>& path) {
  for (const xmlNode* c : xml::children(n)) {
    const std::string_view name = xml::name(c);
    if (name == "meta-data" || name == "kop") continue;
    if (name == "artikel") {
      artikel(c, path);
    } else if (one_of(kContainers, name)) {
      path.push_back(container_title(c));
      walk(c, path);
      path.pop_back();
    } else {
      walk(c, path);
    }
  }
}

InstrumentType type_of(std::string_view soort) {
  if (soort == "wet" || soort == "rijkswet") return InstrumentType::act;
  if (soort == "AMvB" || soort == "ministeriele-regeling" || soort == "KB" || soort == "rijksKB")
    return InstrumentType::regulation;
  return InstrumentType::other;
}

void fill_metadata(ParsedDocument& doc, const xmlNode* root) {
  const xmlNode* wetgeving = xml::find(root, "wetgeving");
  doc.identifier = trim(xml::attr(root, "bwb-id"));
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
}

}  // namespace

Result<ParsedDocument> bwb(std::string_view bytes, const ParseContext& ctx) {
  auto parsed = xml::parse(bytes, ctx.source);
  if (!parsed) return parsed.error();
  const xmlNode* root = xml::root(parsed.value());
  if (!xml::is(root, "toestand"))
    return Error{ctx.source + ": not a BWB toestand (root <" + std::string(xml::name(root)) + ">)"};
  ParsedDocument doc;
  fill_metadata(doc, root);
  if (doc.identifier.empty()) return Error{ctx.source + ": the toestand has no bwb-id"};
  Reader reader(doc.identifier, doc.date);
  std::vector<std::string> path;
  reader.walk(root, path);
  doc.sections = std::move(reader.sections);
  return doc;
}

}  // namespace hrtrack::corpus::parsers
