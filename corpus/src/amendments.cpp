// Amending instructions, read as data: a table of phrasings per language says what an
// instruction does; a small scanner finds the articles it names and the new wording it
// quotes. What the table cannot read safely becomes a note on the amended article, never a
// guess at its new text.
#include "amendments.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "document_identity.hpp"
#include "hrtrack/corpus/citations.hpp"
#include "text.hpp"

namespace hrtrack::corpus::amendments {
namespace {

constexpr std::size_t npos = std::string::npos;

// ---------------------------------------------------------------- the table
// Phrases are lower case, apostrophes as ', matched on word boundaries anywhere in an
// instruction's head (the sentence before its new wording). When several match, the kind
// listed first in Kind wins ("est abrogé et remplacé par" replaces).

enum class Kind { insert, replace, as_follows, repeal, modify };

struct Phrase {
  std::string_view text;
  Kind kind;
};

constexpr Phrase kPhrases[] = {
    // fr
    {"est inséré", Kind::insert}, {"sont insérés", Kind::insert}, {"est insérée", Kind::insert},
    {"sont insérées", Kind::insert}, {"est intercalé", Kind::insert}, {"sont intercalés", Kind::insert},
    {"est ajouté", Kind::insert}, {"sont ajoutés", Kind::insert}, {"est complété par", Kind::insert},
    {"est complétée par", Kind::insert},
    {"est remplacé par", Kind::replace}, {"est remplacée par", Kind::replace},
    {"sont remplacés par", Kind::replace}, {"sont remplacées par", Kind::replace},
    {"prend la teneur suivante", Kind::replace}, {"prennent la teneur suivante", Kind::replace},
    {"se lit comme suit", Kind::replace}, {"se lisent comme suit", Kind::replace},
    {"est modifié comme suit", Kind::as_follows}, {"est modifiée comme suit", Kind::as_follows},
    {"est rédigé comme suit", Kind::as_follows}, {"est libellé comme suit", Kind::as_follows},
    {"est abrogé", Kind::repeal}, {"est abrogée", Kind::repeal}, {"sont abrogés", Kind::repeal},
    {"sont abrogées", Kind::repeal}, {"est supprimé", Kind::repeal}, {"est supprimée", Kind::repeal},
    {"sont supprimés", Kind::repeal},
    {"est modifié", Kind::modify}, {"est modifiée", Kind::modify}, {"sont modifiés", Kind::modify},
    {"devient", Kind::modify}, {"deviennent", Kind::modify},
    // en
    {"is inserted", Kind::insert}, {"are inserted", Kind::insert}, {"insert the following", Kind::insert},
    {"is added", Kind::insert}, {"are added", Kind::insert},
    {"is replaced by", Kind::replace}, {"are replaced by", Kind::replace},
    {"is substituted", Kind::replace}, {"are substituted", Kind::replace},
    {"substitute the following", Kind::replace}, {"substitute", Kind::replace}, {"shall read as follows", Kind::replace},
    {"is amended to read as follows", Kind::replace},
    {"is repealed", Kind::repeal}, {"are repealed", Kind::repeal}, {"is omitted", Kind::repeal},
    {"are omitted", Kind::repeal},
    {"is amended as follows", Kind::as_follows}, {"is amended", Kind::modify}, {"are amended", Kind::modify},
    // de
    {"eingefügt", Kind::insert}, {"angefügt", Kind::insert},
    {"wird wie folgt gefasst", Kind::replace}, {"werden wie folgt gefasst", Kind::replace},
    {"erhält folgende fassung", Kind::replace}, {"ersetzt", Kind::replace},
    {"wird aufgehoben", Kind::repeal}, {"werden aufgehoben", Kind::repeal}, {"gestrichen", Kind::repeal},
    {"wird wie folgt geändert", Kind::as_follows}, {"geändert", Kind::modify},
    // es
    {"incorpórase", Kind::insert}, {"incorporase", Kind::insert}, {"se incorpora", Kind::insert},
    {"agrégase", Kind::insert}, {"se agrega", Kind::insert}, {"se añade", Kind::insert},
    {"sustitúyese", Kind::replace}, {"sustituyese", Kind::replace}, {"se sustituye", Kind::replace},
    {"sustitúyense", Kind::replace}, {"reemplázase", Kind::replace}, {"se reemplaza", Kind::replace},
    {"queda redactado", Kind::replace}, {"quedará redactado", Kind::replace},
    {"derógase", Kind::repeal}, {"derógase", Kind::repeal}, {"deróganse", Kind::repeal},
    {"se deroga", Kind::repeal}, {"queda derogado", Kind::repeal}, {"quedan derogados", Kind::repeal},
    {"suprímese", Kind::repeal},
    {"modifícase", Kind::modify}, {"modificase", Kind::modify}, {"se modifica", Kind::modify},
    // it, pt, nl
    {"è inserito", Kind::insert}, {"è aggiunto", Kind::insert}, {"é aditado", Kind::insert},
    {"wordt ingevoegd", Kind::insert},
    {"è sostituito", Kind::replace}, {"passa a ter a seguinte redação", Kind::replace},
    {"é substituído", Kind::replace}, {"komt te luiden", Kind::replace},
    {"wordt vervangen door", Kind::replace},
    {"è abrogato", Kind::repeal}, {"é revogado", Kind::repeal}, {"são revogados", Kind::repeal},
    {"vervalt", Kind::repeal}, {"vervallen", Kind::repeal},
    {"è modificato", Kind::modify}, {"wordt gewijzigd", Kind::modify},
    // cs, et, el
    {"vkládá se", Kind::insert}, {"vkládají se", Kind::insert}, {"täiendatakse", Kind::insert},
    {"προστίθεται", Kind::insert}, {"προστίθενται", Kind::insert},
    {"zní:", Kind::replace}, {"znějí:", Kind::replace}, {"sõnastatakse järgmiselt", Kind::replace},
    {"αντικαθίσταται", Kind::replace},
    {"se zrušuje", Kind::repeal}, {"zrušuje se", Kind::repeal}, {"se zrušují", Kind::repeal},
    {"tunnistatakse kehtetuks", Kind::repeal}, {"καταργείται", Kind::repeal}, {"καταργούνται", Kind::repeal},
    {"se mění", Kind::modify}, {"muudetakse", Kind::modify}, {"τροποποιείται", Kind::modify},
};

// Words that name an article (a number follows them).
constexpr std::string_view kArticleWords[] = {
    "articles", "article", "arts.", "art.", "sections", "section", "secs.", "sec.", "§§", "§",
    "artikels", "artikeln", "artikel", "artículos", "artículo", "articoli", "articolo", "artigos",
    "artigo", "paragrahvi", "paragrahv", "άρθρα", "άρθρου", "άρθρο", "článku", "článek", "čl."};

// Words that name a unit below the article: an instruction that has one does not change a
// whole article. Those of the first group number paragraphs of running text (an alinéa).
constexpr std::string_view kParagraphWords[] = {
    "alinéa", "alinéas", "subsection", "absatz", "párrafo", "comma", "odstavec", "odstavce",
    "lõige", "lõiget", "lõikes", "παράγραφος", "παράγραφο"};
constexpr std::string_view kOtherPartWords[] = {
    "paragraphe", "paragraphes", "point", "points", "lettre", "lettres", "phrase", "phrases",
    "termes", "mots", "numéro", "numéros", "tiret", "chiffre", "subsections", "paragraph",
    "paragraphs", "subparagraph", "words", "word", "sentence", "item", "definition", "absätze",
    "satz", "nummer", "buchstabe", "wörter", "wort", "angabe", "halbsatz", "inciso", "apartado",
    "palabras", "expresión", "punto", "lettera", "parole", "parágrafo", "alínea", "expressão",
    "lid", "onderdeel", "woorden", "písm.", "písmeno", "slova", "věta", "punkt", "punkti",
    "sõna", "sõnad", "lause", "εδάφιο", "λέξεις", "περίπτωση"};

// What ends a head and opens the new wording when no colon does.
constexpr std::string_view kIntroducers[] = {
    "comme suit", "suivant", "suivante", "suivants", "as follows", "the following", "wie folgt",
    "folgende fassung", "lo siguiente", "el siguiente", "la siguiente", "seguente", "seguinte",
    "als volgt", "järgmiselt", "ως εξής"};

// Words that run an article number list ("articles 7-1, 7-2 et 7-3").
constexpr std::string_view kListWords[] = {"et", "and", "und", "y", "e", "en", "ou", "or", "oder", "a", "à", "to", "bis"};

// Words a title uses to say what it amends ("... modifiant la loi modifiée du ...").
constexpr std::string_view kTitlePhrases[] = {
    "portant modification de la", "portant modification du", "portant modification de",
    "modifiant la", "modifiant le", "modifiant les", "modifiant", "to amend the", "amending the",
    "zur änderung des", "zur änderung der", "por la que se modifica la", "por el que se modifica el",
    "que modifica la", "que modifica el", "modificando la", "recante modifiche alla",
    "recante modifiche al", "que altera a", "que altera o", "tot wijziging van de", "tot wijziging van het"};

// ---------------------------------------------------------------- folded text
// Lower case (ASCII and Latin-1 capitals), typographic apostrophes as ', runs of white space
// as one space, with each byte's offset in the original so that matches map back.
struct Folded {
  std::string text;
  std::vector<std::size_t> at;  // at[i]: offset in the original of text[i]; one past the end too
};

Folded fold(std::string_view s) {
  Folded f;
  f.text.reserve(s.size());
  f.at.reserve(s.size() + 1);
  const auto push = [&f](char c, std::size_t i) {
    f.text += c;
    f.at.push_back(i);
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    const auto third = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c == 0xC2 && next == 0xA0)) {
      if (!f.text.empty() && f.text.back() != ' ') push(' ', i);
      i += c == 0xC2 ? 2 : 1;
    } else if (c == 0xE2 && next == 0x80 && (third == 0x99 || third == 0x98)) {
      push('\'', i);
      i += 3;
    } else if (c == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) {
      push(static_cast<char>(c), i);
      push(static_cast<char>(next + 0x20), i + 1);
      i += 2;
    } else {
      push(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c), i);
      ++i;
    }
  }
  f.at.push_back(s.size());
  return f;
}

bool word_byte(char c) {
  const auto b = static_cast<unsigned char>(c);
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b >= 0x80;
}

// The first match of `phrase` at or after `from` that starts and ends on word boundaries.
std::size_t find_word(const std::string& t, std::string_view phrase, std::size_t from = 0) {
  for (std::size_t pos = t.find(phrase, from); pos != npos; pos = t.find(phrase, pos + 1)) {
    const std::size_t end = pos + phrase.size();
    const bool starts = pos == 0 || !word_byte(t[pos - 1]) || !word_byte(phrase.front());
    const bool ends = end == t.size() || !word_byte(phrase.back()) || !word_byte(t[end]);
    if (starts && ends) return pos;
  }
  return npos;
}

bool has_word(const std::string& t, std::string_view phrase) { return find_word(t, phrase) != npos; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ---------------------------------------------------------------- article numbers

// An article number at t[i] ("7", "7-1", "10a", "4 bis", "1er", "1<sup>er</sup>", "15¹"):
// its normalised form and the offset after it; empty when no number starts there.
std::pair<std::string, std::size_t> number_at(std::string_view t, std::size_t i) {
  if (i >= t.size() || !is_digit(t[i])) return {"", i};
  std::string n;
  while (i < t.size() && is_digit(t[i])) n += t[i++];
  while (i + 1 < t.size() && (t[i] == '-' || t[i] == '.') && is_digit(t[i + 1])) {
    n += t[i++];
    while (i < t.size() && is_digit(t[i])) n += t[i++];
  }
  if (t.substr(i).starts_with("<sup>")) {
    const std::size_t close = t.find("</sup>", i);
    if (close != npos) {
      const std::string_view sup = t.substr(i + 5, close - i - 5);
      if (sup != "er" && sup != "o" && sup != "e") n += "-" + std::string(sup);
      i = close + 6;
    }
  }
  // Letters glued to the number, or a Latin ordinal after a space ("4 bis").
  std::size_t j = i;
  while (j < t.size() && j - i < 10 && ((t[j] >= 'a' && t[j] <= 'z') || (t[j] >= 'A' && t[j] <= 'Z'))) ++j;
  const std::string letters = ascii_lower(t.substr(i, j - i));
  const bool ends = j == t.size() || !word_byte(t[j]);
  if (ends && (letters == "er" || letters == "re")) {
    i = j;
  } else if (ends && (letters.size() == 1 || letters == "bis" || letters == "ter" || letters == "quater" ||
                      letters == "quinquies" || letters == "sexies")) {
    n += letters;
    i = j;
  } else if (letters.empty() && i + 1 < t.size() && t[i] == ' ') {
    std::size_t k = i + 1;
    while (k < t.size() && t[k] >= 'a' && t[k] <= 'z' && k - i < 12) ++k;
    const std::string_view w = t.substr(i + 1, k - i - 1);
    if ((k == t.size() || !word_byte(t[k])) &&
        (w == "bis" || w == "ter" || w == "quater" || w == "quinquies" || w == "sexies")) {
      n += w;
      i = k;
    }
  }
  return {normalize_section_number(n), i};
}

struct ArticleRef {
  std::size_t pos = 0;               // where the article word starts (folded text)
  std::vector<std::string> numbers;  // "articles 7-1, 7-2 et 7-3": three
};

// Article references in a folded head: an article word, then a list of numbers.
std::vector<ArticleRef> article_refs(const std::string& t) {
  std::vector<ArticleRef> out;
  for (std::size_t i = 0; i < t.size();) {
    std::size_t best = npos, len = 0;
    for (std::string_view w : kArticleWords) {
      const std::size_t p = find_word(t, w, i);
      if (p != npos && (p < best || (p == best && w.size() > len))) best = p, len = w.size();
    }
    if (best == npos) break;
    ArticleRef ref;
    ref.pos = best;
    std::size_t k = best + len;
    if (k < t.size() && t[k] == ' ') ++k;
    for (;;) {
      auto [n, after] = number_at(t, k);
      if (n.empty()) break;
      ref.numbers.push_back(n);
      // A separator, then the next number ("7-1, 7-2, et 7-3"; "10 et 11").
      std::size_t s = after;
      while (s < t.size() && (t[s] == ' ' || t[s] == ',')) ++s;
      bool listed = s > after && t[after] == ',';
      for (std::string_view w : kListWords)
        if (t.compare(s, w.size(), w) == 0 && s + w.size() < t.size() && t[s + w.size()] == ' ') {
          s += w.size() + 1;
          listed = true;
          break;
        }
      if (!listed || s >= t.size() || !is_digit(t[s])) break;
      k = s;
    }
    if (!ref.numbers.empty()) out.push_back(std::move(ref));
    i = best + len;
  }
  return out;
}

// A line that is only an item marker: "1.", "2)", "a)", "(3)", "B.", "1°".
bool bare_marker(std::string_view line) {
  const std::string t = trim(line);
  if (t.empty() || t.size() > 6) return false;
  std::size_t i = t[0] == '(' ? 1 : 0;
  const std::size_t start = i;
  while (i < t.size() && (is_digit(t[i]) || (t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z'))) ++i;
  if (i == start || i - start > 3) return false;
  const std::string_view rest = std::string_view(t).substr(i);
  return rest == "." || rest == ")" || rest == "°" || rest == "º" || (start == 1 && rest == ")");
}

// A label that opens an article of new wording ("Art. 7-1.", "Article 7.", "« Art. 30-2.Tout
// médecin", "§ 29a Straftaten"): its number, the label as printed, and the text after it on
// the same line. Empty when the line does not start with one.
struct Label {
  std::string number, label, rest;
};
std::optional<Label> label_at(std::string_view line) {
  std::string_view s = line;
  while (!s.empty() && (s.front() == ' ' || s.front() == '*' || s.front() == '"')) s.remove_prefix(1);
  for (std::string_view quote : {"«", "“", "„"})
    if (s.starts_with(quote)) s.remove_prefix(quote.size());
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  const Folded f = fold(s.substr(0, std::min<std::size_t>(s.size(), 40)));
  for (std::string_view w : kArticleWords) {
    if (!f.text.starts_with(w)) continue;
    std::size_t k = w.size();
    if (k < f.text.size() && word_byte(w.back()) && word_byte(f.text[k])) continue;  // "articles"
    if (k < f.text.size() && f.text[k] == ' ') ++k;
    if (k >= f.text.size() || !is_digit(f.text[k])) continue;
    const std::size_t from = f.at[k];
    auto [n, after] = number_at(s, from);
    if (n.empty()) continue;
    // The number ends the label: a full stop, the end, or a heading after a space. A
    // reference in running text ("Article 5 of the Act applies") is not a label.
    std::string_view rest = s.substr(after);
    std::string label(s.substr(0, after));
    if (rest.starts_with(".")) {
      label += '.';
      rest.remove_prefix(1);
    } else if (!rest.empty() && rest.front() != ' ') {
      continue;
    } else if (w != "§" && !trim(rest).empty()) {
      continue;
    }
    return Label{n, trim(label), trim(rest)};
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- instructions

// Strips quotation marks that enclose new wording.
std::string unquote(std::string text) {
  text = trim(text);
  for (std::string_view q : {"«", "“", "„", "\""})
    if (text.starts_with(q)) text = trim(text.substr(q.size()));
  for (std::string_view q : {"»", "”", "“", "\""})
    if (text.ends_with(q)) text = trim(text.substr(0, text.size() - q.size()));
  if (text.ends_with("».") || text.ends_with("”.")) text = trim(text.substr(0, text.size() - 3));
  return text;
}

struct Head {
  std::vector<Kind> kinds;  // every kind the head's phrases name
  bool part = false;        // names a unit below the article
  int paragraph = 0;        // the alinéa it names, when it names exactly one and nothing else
  std::vector<ArticleRef> refs;
};

Head read_head(const std::string& folded) {
  Head h;
  for (const Phrase& p : kPhrases)
    if (has_word(folded, p.text) && std::find(h.kinds.begin(), h.kinds.end(), p.kind) == h.kinds.end())
      h.kinds.push_back(p.kind);
  std::sort(h.kinds.begin(), h.kinds.end());
  h.refs = article_refs(folded);
  int paragraph_words = 0;
  for (std::string_view w : kParagraphWords)
    for (std::size_t p = find_word(folded, w); p != npos; p = find_word(folded, w, p + 1)) {
      ++paragraph_words;
      std::size_t k = p + w.size();
      if (k < folded.size() && folded[k] == ' ') ++k;
      auto [n, after] = number_at(folded, k);
      const bool plain = !n.empty() && std::all_of(n.begin(), n.end(), is_digit);
      h.paragraph = plain ? std::stoi(n) : -1;
      if (folded.compare(k, 7, "premier") == 0) h.paragraph = 1;
    }
  bool other = false;
  for (std::string_view w : kOtherPartWords) other = other || has_word(folded, w);
  h.part = paragraph_words > 0 || other;
  if (paragraph_words != 1 || other || h.paragraph <= 0) h.paragraph = 0;
  return h;
}

bool is_head(std::string_view line) {
  const Folded f = fold(line);
  if (article_refs(f.text).empty()) return false;
  for (const Phrase& p : kPhrases)
    if (has_word(f.text, p.text)) return true;
  return false;
}

// The head of an instruction line: the text before its first colon (the rest of the line
// is new wording, as in "libellé comme suit :Art. 30-2.Tout médecin ..."), and whether new
// wording follows.
struct Split {
  std::string head, rest;
  bool opens = false;
};
Split split_head(std::string_view line) {
  Split s;
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    s.head = trim(line.substr(0, colon));
    s.rest = trim(line.substr(colon + 1));
    s.opens = true;
    return s;
  }
  s.head = trim(line);
  const Folded f = fold(s.head);
  for (std::string_view w : kIntroducers)
    if (f.text.ends_with(w) || f.text.ends_with(std::string(w) + ".")) s.opens = true;
  return s;
}

// Splits new wording into articles at their labels.
std::vector<NewArticle> new_articles(const std::vector<std::string>& lines) {
  std::vector<NewArticle> out;
  for (const auto& raw : lines) {
    const std::string line = trim(raw);
    if (line.empty()) continue;
    if (const auto l = label_at(line)) {
      out.push_back({l->number, l->label, l->rest});
      continue;
    }
    if (out.empty()) out.push_back({});
    NewArticle& a = out.back();
    a.text += (a.text.empty() ? "" : "\n") + line;
  }
  for (auto& a : out) {
    a.text = unquote(a.text);
    while (!a.label.empty() && a.label.back() == '.') a.label.pop_back();
  }
  return out;
}

std::string one_line(const std::string& head, const std::vector<std::string>& body) {
  std::string s = head;
  for (const auto& l : body) s += " " + l;
  s = collapse_space(s);
  constexpr std::size_t kMax = 4000;
  if (s.size() > kMax) {
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = s.substr(0, cut) + "…";
  }
  return s;
}

// One instruction block: a head line, and the lines of new wording or sub-items after it.
struct Block {
  std::string source;
  std::string head;  // before the colon
  bool opens = false;
  bool closed = false;  // its new wording ended (the amending law's next article began)
  std::vector<std::string> body;
};

// New wording that is itself a list of changes ("1. les termes ... sont remplacés par ..."),
// as after "L'article 10-1, alinéa 1er, est modifié comme suit :": not text to put in place.
bool lists_changes(const std::vector<NewArticle>& text) {
  for (const auto& a : text)
    for (const auto& line : split(a.text, '\n')) {
      const Folded f = fold(line);
      for (const Phrase& p : kPhrases)
        if (p.kind != Kind::modify && has_word(f.text, p.text)) return true;
    }
  return false;
}

Instruction to_instruction(const Block& b, const std::string& instrument) {
  Instruction in;
  in.source = b.source;
  in.instrument = instrument;
  in.wording = one_line(b.head + (b.opens ? ":" : ""), b.body);
  const Folded f = fold(b.head);
  const Head h = read_head(f.text);
  for (const auto& r : h.refs)
    for (const auto& n : r.numbers)
      if (std::find(in.articles.begin(), in.articles.end(), n) == in.articles.end()) in.articles.push_back(n);
  if (b.opens) in.text = new_articles(b.body);
  const Kind kind = h.kinds.empty() ? Kind::modify : h.kinds.front();
  const bool renumbers = has_word(f.text, "devient") || has_word(f.text, "deviennent") ||
                         has_word(f.text, "becomes") || has_word(f.text, "wird zu");
  if (renumbers) return in;  // note
  if (h.part) {
    if (h.paragraph > 0 && in.articles.size() == 1 && !in.text.empty() && kind != Kind::repeal &&
        in.text.size() == 1 && in.text[0].number.empty() && !lists_changes(in.text)) {
      in.op = kind == Kind::insert ? Op::add_paragraph : Op::replace_paragraph;
      in.paragraph = h.paragraph;
    } else if (h.paragraph > 0 && in.articles.size() == 1 && kind == Kind::repeal) {
      in.op = Op::remove_paragraph;
      in.paragraph = h.paragraph;
    }
    return in;
  }
  switch (kind) {
    case Kind::insert:
      if (!in.text.empty()) in.op = Op::insert;
      break;
    case Kind::replace:
      if (!in.text.empty() && !in.articles.empty()) in.op = Op::replace;
      break;
    case Kind::as_follows:
      // "L'article 7 est modifié comme suit:" replaces the article only when the new wording
      // is the article itself, under its own label; otherwise it lists changes within it.
      if (!in.text.empty() && !in.articles.empty() && in.text.front().number == in.articles.front())
        in.op = Op::replace;
      break;
    case Kind::repeal:
      if (!in.articles.empty() && !b.opens) in.op = Op::repeal;
      break;
    case Kind::modify: break;
  }
  return in;
}

std::string section_source(const ParsedSection& s) { return s.number.empty() ? s.label : s.number; }

}  // namespace

std::string_view to_string(Op op) {
  switch (op) {
    case Op::replace: return "replace";
    case Op::insert: return "insert";
    case Op::repeal: return "repeal";
    case Op::replace_paragraph: return "replace-paragraph";
    case Op::add_paragraph: return "add-paragraph";
    case Op::remove_paragraph: return "remove-paragraph";
    case Op::note: break;
  }
  return "note";
}

std::vector<Instruction> find_instructions(const std::vector<ParsedSection>& sections,
                                           std::string_view language) {
  std::vector<Instruction> out;
  std::string named;  // the instrument named last: "de la même loi" and unnamed heads point to it
  for (const auto& s : sections) {
    const std::vector<std::string> lines = split(s.text, '\n');
    std::vector<Block> blocks;
    std::string marker;  // a bare item marker seen just before
    std::string source = section_source(s);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string line = trim(lines[i]);
      if (line.empty()) continue;
      if (bare_marker(line)) {
        if (!blocks.empty() && blocks.back().opens && !blocks.back().closed && !marker.empty())
          blocks.back().body.push_back(marker);
        marker = line;
        continue;
      }
      // An article of the amending law itself that the parser left inside the one before: its
      // label is followed by an instruction, never by new wording.
      if (const auto l = label_at(line); l && l->rest.empty() && i + 1 < lines.size() && is_head(lines[i + 1])) {
        source = l->number;
        marker = "";
        if (!blocks.empty()) blocks.back().closed = true;
        continue;
      }
      // Inside new wording, a head starts a new instruction only after a bare item marker
      // ("2." alone on its line); sub-items ("1. À la lettre a), ...") belong to the head.
      const bool starts = blocks.empty() || !blocks.back().opens || blocks.back().closed || !marker.empty();
      if (starts && is_head(line)) {
        const Split sp = split_head(line);
        Block b;
        b.source = source + (marker.empty() ? "" : ", " + marker);
        b.head = sp.head;
        b.opens = sp.opens;
        if (!sp.rest.empty()) b.body.push_back(sp.rest);
        blocks.push_back(std::move(b));
        marker.clear();
        continue;
      }
      if (!blocks.empty() && blocks.back().opens && !blocks.back().closed) {
        if (!marker.empty()) blocks.back().body.push_back(marker);
        blocks.back().body.push_back(line);
      }
      marker.clear();
    }
    for (const auto& b : blocks) {
      const auto cites = extract_citations(b.head, language, named);
      std::string instrument;
      for (const auto& c : cites)
        if (!c.target_instrument.empty()) {
          instrument = c.target_instrument;
          break;
        }
      if (instrument.empty()) instrument = named;
      named = instrument;
      Instruction in = to_instruction(b, instrument);
      if (!in.articles.empty() || !in.text.empty()) out.push_back(std::move(in));
    }
  }
  return out;
}

bool is_amendment_note(std::string_view note) { return note.starts_with("amended by "); }

namespace {

ParsedSection* numbered(std::vector<ParsedSection>& v, std::string_view number) {
  auto it = std::find_if(v.begin(), v.end(), [&](const ParsedSection& s) { return s.number == number; });
  return it == v.end() ? nullptr : &*it;
}

bool has_item_lines(const std::string& text) {
  for (const auto& l : split(text, '\n')) {
    const std::string t = trim(l);
    if (t.empty()) continue;
    if (bare_marker(t)) return true;
    const auto sp = t.find(' ');
    if (sp != npos && bare_marker(t.substr(0, sp))) return true;
  }
  return false;
}

// The new wording of an article, in place of `old` (or new, after `before` for its path).
ParsedSection rewritten(const ParsedSection* old, const ParsedSection* before, const NewArticle& a,
                        const std::string& number, const Amendment& am, std::string_view language) {
  ParsedSection s = old ? *old : ParsedSection{};
  if (!old && before) s.path = before->path;
  s.number = number;
  if (!old) s.label = a.label.empty() ? "Art. " + number : a.label;
  s.text = a.text;
  s.in_force = InForce::unknown;
  s.in_force_date = am.date;
  s.citations = extract_citations(s.text, language);
  std::erase_if(s.notes, [](const std::string& n) { return is_amendment_note(n); });
  return s;
}

// Inserts `s` before the first section whose number comes after it in the law's order.
void insert_in_order(std::vector<ParsedSection>& v, ParsedSection s) {
  auto it = std::find_if(v.begin(), v.end(), [&](const ParsedSection& x) { return natural_less(s.number, x.number); });
  v.insert(it, std::move(s));
}

const ParsedSection* preceding(const std::vector<ParsedSection>& v, const std::string& number) {
  const ParsedSection* out = nullptr;
  for (const auto& x : v)
    if (natural_less(x.number, number)) out = &x;
  return out;
}

}  // namespace

std::vector<ParsedSection> apply(std::vector<ParsedSection> v, const Amendment& a,
                                 std::string_view language, int* applied) {
  int done = 0;
  for (const Instruction& in : a.instructions) {
    bool ok = false;
    switch (in.op) {
      case Op::replace: {
        const std::string number = in.articles.empty() ? in.text.front().number : in.articles.front();
        if (in.text.size() != 1 || number.empty()) break;
        if (ParsedSection* old = numbered(v, number)) {
          *old = rewritten(old, nullptr, in.text.front(), number, a, language);
        } else {
          insert_in_order(v, rewritten(nullptr, preceding(v, number), in.text.front(), number, a, language));
        }
        ok = true;
        break;
      }
      case Op::insert: {
        // New articles by their labels; unlabelled wording is the one article the head names
        // that the law does not have yet.
        std::vector<std::string> missing;
        for (const auto& n : in.articles)
          if (!numbered(v, n)) missing.push_back(n);
        bool all = true;
        for (const NewArticle& na : in.text) {
          std::string number = na.number;
          if (number.empty() && missing.size() == 1 && in.text.size() == 1) number = missing.front();
          if (number.empty()) {
            all = false;
            continue;
          }
          if (ParsedSection* old = numbered(v, number)) *old = rewritten(old, nullptr, na, number, a, language);
          else insert_in_order(v, rewritten(nullptr, preceding(v, number), na, number, a, language));
        }
        ok = all;
        break;
      }
      case Op::repeal:
        for (const auto& n : in.articles)
          if (numbered(v, n)) {
            std::erase_if(v, [&](const ParsedSection& s) { return s.number == n; });
            ok = true;
          }
        break;
      case Op::replace_paragraph:
      case Op::add_paragraph:
      case Op::remove_paragraph: {
        // Only where every line of the article is one alinéa (no numbered items that might
        // or might not count), and the count fits what the instruction says.
        ParsedSection* s = numbered(v, in.articles.front());
        if (!s || has_item_lines(s->text)) break;
        std::vector<std::string> paras;
        for (const auto& l : split(s->text, '\n'))
          if (!trim(l).empty()) paras.push_back(trim(l));
        const auto n = static_cast<std::size_t>(in.paragraph);
        const std::string wording = in.text.empty() ? "" : in.text.front().text;
        if (in.op == Op::add_paragraph && paras.size() + 1 == n) paras.push_back(wording);
        else if (in.op == Op::replace_paragraph && n <= paras.size()) paras[n - 1] = wording;
        else if (in.op == Op::remove_paragraph && n <= paras.size()) paras.erase(paras.begin() + static_cast<std::ptrdiff_t>(n - 1));
        else break;
        std::string text;
        for (const auto& p : paras) text += (text.empty() ? "" : "\n") + p;
        s->text = text;
        s->in_force_date = a.date;
        s->citations = extract_citations(s->text, language);
        ok = true;
        break;
      }
      case Op::note: break;
    }
    if (ok) {
      ++done;
      continue;
    }
    // Not applied: the article keeps its text, and says how it was amended.
    for (const auto& n : in.articles)
      if (ParsedSection* s = numbered(v, n)) {
        s->notes.push_back("amended by " + a.by + ", art. " + in.source + ", in force " + a.date + ": " +
                           in.wording);
        break;
      }
  }
  if (applied) *applied = done;
  return v;
}

std::vector<std::string> amended_in_title(std::string_view title) {
  const Folded f = fold(title);
  for (std::string_view p : kTitlePhrases) {
    const std::size_t at = find_word(f.text, p);
    if (at == npos) continue;
    std::size_t from = at + p.size();
    while (from < f.text.size() && f.text[from] == ' ') ++from;
    std::string rest(title.substr(f.at[from]));
    // "la loi modifiée du 19 février 1973": the participle is not part of the name.
    std::vector<std::string> words = split(collapse_space(rest), ' ');
    if (words.size() >= 3) {
      const std::string w = fold(words[1]).text;
      for (std::string_view x : {"modifiée", "modifié", "amended", "modificada", "modificado", "modificata", "alterada"})
        if (w == x) words.erase(words.begin() + 1);
    }
    std::string name;
    for (const auto& w : words) name += (name.empty() ? "" : " ") + w;
    if (std::string k = identity::kind_and_date(name); !k.empty()) return {k};
    // "Ley N° 23.737 ...": the kind and number, from the first few words.
    std::string head;
    for (std::size_t i = 0; i < words.size() && i < 6; ++i) {
      head += (head.empty() ? "" : " ") + words[i];
      while (!head.empty() && (head.back() == ',' || head.back() == ';')) head.pop_back();
      if (std::string k = identity::kind_and_number(head); !k.empty()) return {k};
    }
  }
  return {};
}

void fold_quoted_articles(ParsedDocument& doc) {
  if (doc.amends.empty()) return;
  auto& v = doc.sections;
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    const auto lines = split(v[i].text, '\n');
    std::string last;
    for (auto it = lines.rbegin(); it != lines.rend() && last.empty(); ++it) last = trim(*it);
    if (!is_head(last) || !split_head(last).opens || !split_head(last).rest.empty()) continue;
    // The new wording follows as sections: the first always, the next ones until the
    // amending law's own next article.
    const std::string& own = v[i].number;
    const bool counted = !own.empty() && std::all_of(own.begin(), own.end(), is_digit);
    const std::string next_own = counted ? std::to_string(std::stoi(own) + 1) : std::string();
    std::size_t j = i + 1;
    while (j < v.size() && (j == i + 1 || v[j].number != next_own)) {
      const ParsedSection& q = v[j];
      std::string label = q.label + (q.heading.empty() ? "" : " " + q.heading);
      v[i].text += "\n" + trim(label);
      if (!q.text.empty()) v[i].text += "\n" + q.text;
      v[i].notes.insert(v[i].notes.end(), q.notes.begin(), q.notes.end());
      ++j;
    }
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(i + 1), v.begin() + static_cast<std::ptrdiff_t>(j));
  }
}

void point_citations_at_amended(ParsedDocument& doc) {
  if (doc.amends.size() != 1) return;
  for (auto& s : doc.sections) {
    if (find_instructions({s}, doc.language).empty()) continue;
    for (auto& c : s.citations)
      if (c.target_instrument.empty() && !c.target_section.empty()) c.target_instrument = doc.amends.front();
  }
}

}  // namespace hrtrack::corpus::amendments
