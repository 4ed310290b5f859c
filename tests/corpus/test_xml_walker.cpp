// The XML walker: a national XML format defined here as what a new one costs, its table of
// element roles and its metadata function, read from a document written in the test.
#include <catch2/catch.hpp>

#include "text.hpp"
#include "xml_walker.hpp"

using namespace hrtrack;
using namespace hrtrack::corpus;
using xml::Role;
using xml::Unit;

namespace {

// A made-up publisher's markup: <loi> with its <meta>, chapters, articles, paragraphs
// (<al>) with numbered items, footnotes, printer's marks and two kinds of reference.
constexpr xml::ElementRole kRoles[] = {
    {"meta", Role::editorial, Unit::skip},
    {"chapitre", Role::inline_, Unit::container},
    {"article", Role::block, Unit::section},
    {"no", Role::number},
    {"titre", Role::heading},
    {"al point", Role::block},
    {"note", Role::note},
    {"marque", Role::editorial},
    {"renvoi", Role::internal_ref},
    {"ext", Role::external_ref},
};
constexpr std::string_view kRoots[] = {"loi"};

Status metadata(const xmlNode* root, const ParseContext&, ParsedDocument& doc, xml::Walker&) {
  const xmlNode* meta = xml::child(root, "meta");
  doc.identifier = xml::clean_text(xml::child(meta, "id"));
  if (doc.identifier.empty()) return Error{": the loi has no id"};
  doc.title = xml::clean_text(xml::child(meta, "intitule"));
  doc.date = xml::clean_text(xml::child(meta, "date"));
  doc.date_source = "meta date";
  doc.language = "fr";
  return {};
}

const xml::Format kLoi{.name = "a loi", .roots = kRoots, .elements = kRoles, .metadata = metadata};

const std::string kDocument = R"(<?xml version="1.0" encoding="UTF-8"?>
<loi><meta><id>L-1</id><intitule>Loi sur les essais</intitule><date>2024-03-01</date></meta>
<chapitre><no>I</no><titre>Dispositions générales</titre>
 <article><no>Art. 1</no><titre>Objet</titre>
  <al>La présente loi complète l'article <renvoi>2</renvoi>.<note>Modifié en 2020.</note></al>
  <al>Elle ne touche pas
   <point><no>1°</no> aux <ext href="L-9">lois spéciales</ext><marque>†</marque>;</point>
   <point><no>2°</no> aux règlements.</point></al>
 </article>
 <article><no>Art. 2</no><al>Entrée en vigueur.</al></article>
</chapitre></loi>)";

Result<ParsedDocument> read(const std::string& bytes) {
  ParseContext ctx;
  ctx.source = "essai.xml";
  return xml::read(bytes, ctx, kLoi);
}

}  // namespace

TEST_CASE("walker: a new format is its role table and a metadata function", "[walker]") {
  const auto r = read(kDocument);
  REQUIRE(r.ok());
  const ParsedDocument& d = r.value();
  CHECK(d.identifier == "L-1");
  CHECK(d.title == "Loi sur les essais");
  CHECK(d.date == "2024-03-01");
  CHECK(d.language == "fr");
  REQUIRE(d.sections.size() == 2);

  const ParsedSection& a1 = d.sections[0];
  // Numbers and headings: the unit's own, and its chapter's as its path.
  CHECK(a1.label == "Art. 1");
  CHECK(a1.number == "1");
  CHECK(a1.heading == "Objet");
  CHECK(a1.path == std::vector<std::string>{"I Dispositions générales"});
  // Blocks make the lines, a subdivision's number opens its line; the footnote is out of
  // the text and kept as a note, the printer's mark is dropped.
  CHECK(a1.text ==
        "La présente loi complète l'article 2.\n"
        "Elle ne touche pas\n"
        "1° aux lois spéciales;\n"
        "2° aux règlements.");
  CHECK(a1.notes == std::vector<std::string>{"Modifié en 2020."});
  // References are recorded: one within the instrument, one to another.
  REQUIRE(a1.citations.size() == 2);
  CHECK(a1.citations[0].target_instrument.empty());
  CHECK(a1.citations[0].target_section == "2");
  CHECK(a1.citations[1].target_instrument == "L-9");
  CHECK(a1.citations[1].raw == "lois spéciales");
  for (const auto& c : a1.citations) CHECK(c.kind == "markup");

  const ParsedSection& a2 = d.sections[1];
  CHECK(a2.number == "2");
  CHECK(a2.heading.empty());
  CHECK(a2.text == "Entrée en vigueur.");
}

TEST_CASE("walker: layout says how a publisher's numbers and text are set", "[walker]") {
  // The same grammar read as structured content: text counts only in lines, and a block's
  // number prefixes its first line once the block is read.
  constexpr xml::ElementRole roles[] = {
      {"article", Role::block, Unit::section}, {"no", Role::number}, {"texte", Role::line}};
  xml::Format structured = kLoi;
  structured.elements = roles;
  structured.layout = {.structured = true, .numbering = xml::Numbering::prefix};
  ParseContext ctx;
  ctx.source = "structure.xml";
  const auto r = xml::read(R"(<loi><meta><id>L-2</id></meta><article><no>3</no>
  layout only <alinea><no>(1)</no><texte>First.</texte></alinea>
  <alinea><no>(2)</no><sous><no>(a)</no><texte>Second.</texte></sous></alinea></article></loi>)",
                           ctx, structured);
  REQUIRE(r.ok());
  REQUIRE(r->sections.size() == 1);
  CHECK(r->sections[0].number == "3");
  CHECK(r->sections[0].text == "(1) First.\n(2) (a) Second.");
}

TEST_CASE("walker: errors name the file and the reason; untrusted XML stays safe", "[walker]") {
  const auto wrong = read("<gesetz/>");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message == "essai.xml: not a loi (root <gesetz>)");
  const auto no_id = read("<loi><meta/></loi>");
  REQUIRE_FALSE(no_id.ok());
  CHECK(no_id.error().message == "essai.xml: the loi has no id");
  // Entities are never expanded: a document that declares any is refused.
  const auto entities = read("<!DOCTYPE loi [<!ENTITY x \"ha\">]><loi><meta><id>&x;</id></meta></loi>");
  REQUIRE_FALSE(entities.ok());
  CHECK(entities.error().message.find("entit") != std::string::npos);
}
