#include "document_identity.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "numbered_text.hpp"
#include "text.hpp"

namespace hrtrack::corpus::identity {
namespace {

// Words that name a kind of instrument at the start of its name, with the spelling it is
// cited by (an all-capitals title "LEY" or "ΝΟΜΟΣ" is cited "Ley", "Νόμος"). Matched
// without regard to ASCII case.
struct Kind {
  std::string_view word, cited;
};
constexpr std::array<Kind, 40> kKinds = {{
    {"Act", "Act"},           {"Law", "Law"},           {"Ordinance", "Ordinance"},
    {"Decree", "Decree"},     {"Statute", "Statute"},   {"Loi", "Loi"},
    {"Décret", "Décret"},     {"DÉCRET", "Décret"},     {"Arrêté", "Arrêté"},
    {"Ordonnance", "Ordonnance"}, {"Règlement", "Règlement"}, {"Ley", "Ley"},
    {"Decreto", "Decreto"},   {"Resolución", "Resolución"}, {"Lei", "Lei"},
    {"Legge", "Legge"},       {"Gesetz", "Gesetz"},     {"Verordnung", "Verordnung"},
    {"Zákon", "Zákon"},       {"ZÁKON", "Zákon"},       {"Vyhláška", "Vyhláška"},
    {"Nařízení", "Nařízení"}, {"Seadus", "Seadus"},     {"Määrus", "Määrus"},
    {"Νόμος", "Νόμος"},       {"ΝΟΜΟΣ", "Νόμος"},       {"Ν.", "Ν."},
    {"Προεδρικό Διάταγμα", "Προεδρικό Διάταγμα"}, {"ΠΡΟΕΔΡΙΚΟ ΔΙΑΤΑΓΜΑ", "Προεδρικό Διάταγμα"},
    {"Wet", "Wet"},           {"Besluit", "Besluit"},   {"Ustawa", "Ustawa"},
    {"Rozporządzenie", "Rozporządzenie"}, {"Zakon", "Zakon"}, {"Törvény", "Törvény"},
    {"Lag", "Lag"},           {"Lov", "Lov"},           {"Laki", "Laki"},
    {"Bill", "Bill"},         {"Public Law", "Public Law"},
}};

// Signs that stand for "number" between the kind and the number.
constexpr std::array<std::string_view, 16> kNumberSigns = {
    "N°", "Nº", "N.º", "No.", "No", "Nr.", "Nr", "nr.", "nr", "n°", "nº", "č.", "Č.",
    "ΥΠ’ ΑΡΙΘ.", "ΥΠ' ΑΡΙΘ.", "αριθ."};

// Words that join a kind to the date that names the instrument.
constexpr std::array<std::string_view, 10> kDateJoins = {
    "du", "del", "de", "vom", "of", "from", "ze dne", "z dnia", "της", "van"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The kind at the start of `s`, and the offset after it (a space or the end follows it).
std::pair<const Kind*, std::size_t> kind_at(std::string_view s) {
  for (const Kind& k : kKinds) {
    if (!starts_with_icase(s, k.word)) continue;
    const std::size_t end = k.word.size();
    if (end == s.size() || s[end] == ' ' || k.word.back() == '.') return {&k, end};
  }
  return {nullptr, 0};
}

std::size_t skip_space(std::string_view s, std::size_t i) {
  while (i < s.size() && s[i] == ' ') ++i;
  return i;
}

// Markdown emphasis and heading marks around a line of the preamble.
std::string plain(std::string_view line) {
  std::string out;
  for (char c : line)
    if (c != '*' && c != '#' && c != '_') out += c;
  return collapse_space(out);
}

std::string field(const Fields& f, const char* key) {
  auto it = f.find(key);
  return it == f.end() ? std::string() : trim(it->second);
}

bool placeholder(std::string_view iso) { return iso < "1800" || iso == "1900-01-01"; }

// "NPALS", "KarS", "StGB": an abbreviation (no spaces, a capital), not a descriptive title.
bool abbreviation(std::string_view s) {
  if (s.empty() || s.size() > 16 || s.find(' ') != std::string_view::npos) return false;
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// "BtMG 1981" -> "BtMG": gesetze-im-internet adds the year of the Ausfertigung to the
// juristic abbreviation where one was reused; the law is cited without it.
std::string without_year(std::string_view jurabk) {
  std::string s = trim(jurabk);
  const auto space = s.rfind(' ');
  if (space == std::string::npos || s.size() - space - 1 != 4) return s;
  for (std::size_t i = space + 1; i < s.size(); ++i)
    if (!is_digit(s[i])) return s;
  return s.substr(0, space);
}

// "http://data.example/eli/x/1973/n1/jo" -> "/eli/x/1973/n1/jo": citations name an ELI by
// its path as often as by its full URL.
std::string url_path(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const auto slash = url.find('/', scheme + 3);
  return slash == std::string_view::npos ? std::string() : std::string(url.substr(slash));
}

}  // namespace

DatedBy version_date(const Fields& fields) {
  DatedBy out;
  auto take = [&](const char* key) {
    const std::string d = to_iso_date(field(fields, key));
    if (d.empty() || placeholder(d)) return false;
    out = {d, std::string("front matter: ") + key};
    return true;
  };
  for (const char* key : {"effective_from", "valid_from", "version_date", "consolidation_date",
                          "consolidated", "last_updated", "last_modified", "date"})
    if (take(key)) break;
  for (const char* key : {"entry_in_force", "entry_into_force", "in_force_date", "in_force_from"}) {
    const std::string d = to_iso_date(field(fields, key));
    if (!d.empty() && !placeholder(d) && d > out.date) {
      out = {d, std::string("front matter: ") + key};
      break;
    }
  }
  if (out.date.empty()) take("publication_date");
  return out;
}

std::string kind_and_number(std::string_view line) {
  const std::string s = plain(line);
  if (s.size() > 80) return {};
  const auto [kind, after] = kind_at(s);
  if (!kind) return {};
  std::size_t i = skip_space(s, after);
  for (std::string_view sign : kNumberSigns)
    if (std::string_view(s).substr(i).starts_with(sign)) {
      i = skip_space(s, i + sign.size());
      break;
    }
  const std::size_t num = i;
  while (i < s.size() && (is_digit(s[i]) || ((s[i] == '.' || s[i] == '/' || s[i] == '-') &&
                                             i + 1 < s.size() && is_digit(s[i + 1]))))
    ++i;
  if (i == num) return {};
  std::string number = s.substr(num, i - num);
  // What may follow the number in the name itself: a collection mark ("Sb.", "Coll.").
  std::string rest = trim(std::string_view(s).substr(i));
  while (!rest.empty() && (rest.back() == ',' || rest.back() == ':')) rest.pop_back();
  if (rest == "." ) rest.clear();
  const bool mark = !rest.empty() && rest.size() <= 6 && rest.find(' ') == std::string::npos &&
                    rest[0] >= 'A' && rest[0] <= 'Z';
  if (!rest.empty() && !mark) return {};
  std::string out = std::string(kind->cited) + " " + number;
  if (mark) out += " " + rest;
  return out;
}

std::string kind_and_date(std::string_view title) {
  const std::string s = plain(title);
  const auto [kind, after] = kind_at(s);
  if (!kind) return {};
  // The first year within the name's head, after a word that joins a date to the kind.
  const std::size_t limit = std::min<std::size_t>(s.size(), after + 60);
  bool joined = false;
  for (std::size_t i = after; i + 4 <= limit; ++i) {
    if (s[i] == ' ') {
      for (std::string_view j : kDateJoins)
        if (std::string_view(s).substr(i + 1).starts_with(j) && i + 1 + j.size() < s.size() &&
            s[i + 1 + j.size()] == ' ')
          joined = true;
      continue;
    }
    if (!joined || (i > 0 && is_digit(s[i - 1]))) continue;
    const std::string_view y = std::string_view(s).substr(i, 4);
    if (!(y.starts_with("19") || y.starts_with("20")) || !std::all_of(y.begin(), y.end(), is_digit))
      continue;
    if (i + 4 < s.size() && s[i + 4] != ' ' && s[i + 4] != ',') continue;
    return s.substr(0, i + 4);
  }
  return {};
}

void identify(ParsedDocument& doc, const Fields& f, std::string_view title,
              const std::vector<std::string>& preamble, const std::string& stem) {
  const std::string fm_title = field(f, "title");
  const std::string full_title = !fm_title.empty() ? fm_title : std::string(title);
  const std::string year = to_iso_date(field(f, "publication_date")).substr(0, 4);

  // The name the document gives itself, most specific first.
  std::string id;
  std::vector<std::string> extra;
  auto with_year = [&](std::string name) {
    // Where laws are numbered within each year, a bare number is cited with its year
    // ("ν. 4139/2013"); elsewhere it is not ("Ley 27350"). Which holds is not in the
    // document, so the year form is an alias only.
    const auto space = name.rfind(' ');
    const std::string number = name.substr(space + 1);
    if (!year.empty() && std::all_of(number.begin(), number.end(), is_digit)) {
      extra.push_back(number + "/" + year);
      extra.push_back(name + "/" + year);
    }
    return name;
  };
  if (const std::string j = field(f, "jurabk"); !j.empty()) id = without_year(j);
  if (id.empty())
    if (const std::string st = field(f, "short_title"); abbreviation(st)) id = st;
  if (id.empty())
    for (const char* key : {"full_citation", "citation"}) {
      const std::string head = field(f, key).substr(0, field(f, key).find(','));
      if (const std::string k = kind_and_number(head); !k.empty()) {
        id = k;
        break;
      }
    }
  if (id.empty()) id = without_year(numbered::bracketed_abbreviation(full_title));
  if (id.empty()) id = without_year(numbered::bracketed_abbreviation(title));
  if (id.empty())
    if (const std::string k = kind_and_number(full_title); !k.empty()) id = with_year(k);
  if (id.empty()) id = kind_and_date(full_title);
  if (id.empty())
    for (std::size_t i = 0; i < preamble.size() && i < 40 && id.empty(); ++i)
      if (const std::string k = kind_and_number(preamble[i]); !k.empty()) id = with_year(k);
  if (id.empty()) id = collapse_space(full_title);
  if (id.empty()) id = field(f, "identifier");
  if (id.empty()) id = stem;
  doc.identifier = id;
  if (doc.title.empty()) doc.title = full_title;

  auto alias = [&](std::string a) {
    a = collapse_space(a);
    if (a.empty() || a == doc.identifier) return;
    if (std::find(doc.aliases.begin(), doc.aliases.end(), a) == doc.aliases.end())
      doc.aliases.push_back(std::move(a));
  };
  for (auto& e : extra) alias(e);
  for (const char* key : {"identifier", "jurabk", "slug", "origslug", "short_title", "official_code",
                          "official_number", "eli", "complex_work", "source", "fek_label"}) {
    const std::string v = field(f, key);
    alias(v);
    if (const std::string path = url_path(v); !path.empty()) alias(path);
  }
  if (const std::string code = field(f, "official_code"); !code.empty()) {
    // "167/1998 Sb." is also cited without its collection mark.
    const auto space = code.find(' ');
    if (space != std::string::npos) alias(code.substr(0, space));
  }
  alias(kind_and_date(full_title));
  alias(full_title);
  alias(std::string(title));
  alias(stem);
}

}  // namespace hrtrack::corpus::identity
