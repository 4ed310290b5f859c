#pragma once
// Amending instruments: the instructions an amending law gives ("L'article 7 ... est remplacé
// par le libellé suivant :", "§ 29 wird wie folgt gefasst:", "Section 5 is repealed."), and
// the amended law's text once they are applied. Pure functions on parsed sections; the store
// decides which texts to amend and records the results (Store::record).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/parse.hpp"

namespace hrtrack::corpus::amendments {

enum class Op {
  replace,            // the whole article takes the new text
  insert,             // new articles (one per label in the new text)
  repeal,             // the articles cease to exist
  replace_paragraph,  // alinéa / paragraph / Absatz `paragraph` takes the new text
  add_paragraph,      // the article gains alinéa `paragraph`, at its end
  remove_paragraph,   // alinéa `paragraph` ceases to exist
  note,               // an amendment not applied (words, sentences, points): kept as a note
};
std::string_view to_string(Op op);

// One article of new text given by an instruction.
struct NewArticle {
  std::string number;  // normalised ("7-1"); empty when the text carries no label
  std::string label;   // as printed in the new text ("Art. 7-1")
  std::string text;    // without its label line
};

struct Instruction {
  Op op = Op::note;
  std::string source;             // the amending law's article ("2", or "8, 2." for an item)
  std::vector<std::string> articles;  // target articles, normalised ("7", "30-1")
  int paragraph = 0;              // for the paragraph operations, 1-based
  std::string instrument;         // the amended instrument as named; empty when not named
  std::vector<NewArticle> text;   // the new wording, where the instruction gives one
  std::string wording;            // the whole instruction as written, one line
};

// Instructions in an amending law's sections, in document order. `named_before` is the
// instrument a "de la même loi" of the first section points back to. Lines that give no
// instruction (preamble, signatures) yield nothing.
std::vector<Instruction> find_instructions(const std::vector<ParsedSection>& sections,
                                           std::string_view language);

// What an amending law does to one instrument's text.
struct Amendment {
  std::string by;       // the amending instrument's identifier
  std::string date;     // its in-force date
  std::vector<Instruction> instructions;  // only those that apply to this instrument
};

// The text of `base` (the amended instrument's sections in force before `a.date`) with the
// amendment applied: replaced and inserted articles take the new wording (their citations
// re-read from it, their in-force date set to a.date), in the law's natural number order;
// repealed articles leave; what cannot be applied safely leaves the article's text as it was
// and adds a note "amended by <by>, art. <n>, in force <date>: <wording>". Returns the number
// of instructions applied (not noted) through `applied` when given.
std::vector<ParsedSection> apply(std::vector<ParsedSection> base, const Amendment& a,
                                 std::string_view language, int* applied = nullptr);

// True for a note apply() attached (they are dropped when the article is replaced).
bool is_amendment_note(std::string_view note);

// Instruments an amending law's title names ("Loi du 27 avril 2001 modifiant la loi modifiée
// du 19 février 1973 ..." -> "loi du 19 février 1973"); empty when the title amends nothing.
std::vector<std::string> amended_in_title(std::string_view title);

// A parser may read the new articles an instruction quotes ("Art. 7-1.") as sections of the
// amending law; they are put back into the instruction's article. Only documents that amend
// something (doc.amends) are touched.
void fold_quoted_articles(ParsedDocument& doc);

// In an amending law that amends one instrument, a reference that names no instrument inside
// an instruction ("l'article 10 est modifié") is to the amended one: such citations are
// pointed at doc.amends.front().
void point_citations_at_amended(ParsedDocument& doc);

}  // namespace hrtrack::corpus::amendments
