#include "hrtrack/corpus/parse.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>
#include <new>
#include <utility>

#include "amendments.hpp"
#include "parsers.hpp"
#include "text.hpp"

namespace hrtrack::corpus {
namespace {

constexpr std::string_view kNoSections = ": no numbered sections found";

std::string_view extension(std::string_view source) {
  const auto slash = source.find_last_of('/');
  const auto name = slash == std::string_view::npos ? source : source.substr(slash + 1);
  const auto dot = name.find_last_of('.');
  return dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
}

// The root element's start tag ("<akomaNtoso xmlns=...>"), skipping the prolog,
// comments, processing instructions and the doctype. Empty when the content is not markup.
std::string_view root_tag(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
    if (i >= s.size() || s[i] != '<') return {};
    if (s.compare(i, 2, "<?") == 0) {
      i = s.find("?>", i);
      if (i == std::string_view::npos) return {};
      i += 2;
    } else if (s.compare(i, 4, "<!--") == 0) {
      i = s.find("-->", i);
      if (i == std::string_view::npos) return {};
      i += 3;
    } else if (s.compare(i, 2, "<!") == 0) {
      // DOCTYPE, possibly with an internal subset in brackets.
      int depth = 0;
      for (; i < s.size(); ++i) {
        if (s[i] == '[') ++depth;
        else if (s[i] == ']') --depth;
        else if (s[i] == '>' && depth <= 0) break;
      }
      if (i >= s.size()) return {};
      ++i;
    } else {
      const auto end = s.find('>', i);
      return s.substr(i, end == std::string_view::npos ? std::min<std::size_t>(s.size() - i, 4096)
                                                       : end - i + 1);
    }
  }
  return {};
}

std::string_view tag_name(std::string_view tag) {
  std::size_t e = 1;
  while (e < tag.size() && tag[e] != ' ' && tag[e] != '>' && tag[e] != '/' && tag[e] != '\n' &&
         tag[e] != '\r' && tag[e] != '\t')
    ++e;
  auto name = tag.substr(1, e - 1);
  if (auto colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return name;
}

// What detection looks at: the root element's start tag (empty when the content is not
// markup), its name without a namespace prefix, the file name's extension, the text.
struct Sniff {
  std::string_view tag, name, ext, text;
  bool tag_has(std::string_view part) const { return tag.find(part) != std::string_view::npos; }
  bool ext_is_html() const { return ext == "html" || ext == "htm" || ext == "xhtml"; }
};

using Parser = Result<ParsedDocument> (*)(std::string_view, const ParseContext&);

// One row per format: adding a format is adding a row and its parser (for XML, its role
// table and metadata: parsers.hpp). Detection tries the rows in order; the first whose
// test fits wins, and `why` says what it looked at.
struct FormatRow {
  Format format;
  std::string_view name;                    // as --format and sources/*.toml spell it
  std::array<std::string_view, 3> aliases;  // other spellings accepted
  std::string_view description;             // for messages
  // An XML format's roles and metadata, read by the walker (libxml2 reads the declared
  // encoding); null for the others, which must be UTF-8 and are read by `parse`.
  const xml::Format* xml;
  bool (*detect)(const Sniff&);
  std::string_view why;
  Parser parse;
};

constexpr std::array<FormatRow, 9> kFormats = {{
    {Format::uslm, "uslm", {}, "USLM", &parsers::uslm,
     [](const Sniff& f) { return f.tag_has("schemas.gpo.gov/xml/uslm") || f.name == "uscDoc"; },
     "the USLM namespace or root <uscDoc>", nullptr},
    {Format::akn, "akn", {"akoma-ntoso", "ldml"}, "Akoma Ntoso", &parsers::akn,
     [](const Sniff& f) { return f.name == "akomaNtoso"; }, "root <akomaNtoso>", nullptr},
    {Format::justice_canada, "justice-canada", {"justice", "lims"}, "Justice Canada XML", &parsers::justice_canada,
     [](const Sniff& f) { return f.name == "Statute" || f.name == "Regulation" || f.name == "Bill"; },
     "root <Statute>, <Regulation> or <Bill>", nullptr},
    {Format::gii, "gii", {}, "gesetze-im-internet gii-norm XML", &parsers::gii,
     [](const Sniff& f) { return f.name == "dokumente"; }, "root <dokumente>", nullptr},
    {Format::bwb, "bwb", {}, "BWB XML", &parsers::bwb, [](const Sniff& f) { return f.name == "toestand"; },
     "root <toestand>", nullptr},
    // The DC Council's library: code sections, title indexes and session laws.
    {Format::dccouncil, "dccouncil", {"dc-council", "dc-council-xml"}, "DC Council XML", &parsers::dccouncil,
     [](const Sniff& f) {
       return (f.name == "section" || f.name == "container" || f.name == "document") &&
              f.tag_has("code.dccouncil.us/schemas/dc-library");
     },
     "a <section>, <container> or <document> in the dc-library namespace", nullptr},
    // Before HTML: an .html page with YAML front matter is a rendering's source.
    {Format::markdown, "markdown", {"md"}, "markdown", nullptr,
     [](const Sniff& f) {
       return f.tag.empty() && (f.text.starts_with("---\n") || f.text.starts_with("---\r\n") ||
                                f.ext == "md" || f.ext == "markdown");
     },
     "YAML front matter, or an .md name", parsers::markdown},
    {Format::html, "html", {"xhtml"}, "HTML", nullptr,
     [](const Sniff& f) { return f.name == "html" || f.name == "HTML" || f.ext_is_html(); },
     "root <html>, or an .html name", parsers::html},
    {Format::text, "text", {"txt"}, "plain text", nullptr,
     [](const Sniff& f) { return f.tag.empty() && (f.ext == "txt" || f.ext == "text"); },
     "a .txt name", parsers::plain_text},
}};

const FormatRow& row(Format f) {
  for (const auto& r : kFormats)
    if (r.format == f) return r;
  return kFormats.back();
}

const FormatRow* detect_row(std::string_view bytes, std::string_view source) {
  const std::string_view s = strip_bom(bytes);
  Sniff f;
  f.tag = root_tag(s);
  if (!f.tag.empty()) f.name = tag_name(f.tag);
  const std::string ext = ascii_lower(extension(source));
  f.ext = ext;
  f.text = s;
  for (const auto& r : kFormats)
    if (r.detect(f)) return &r;
  return nullptr;  // some other XML, or text of no known kind
}

}  // namespace

std::string_view to_string(Format f) { return row(f).name; }

std::optional<Format> format_from(std::string_view name) {
  for (const auto& r : kFormats)
    if (r.name == name || std::find(r.aliases.begin(), r.aliases.end(), name) != r.aliases.end())
      return r.format;
  return std::nullopt;
}

std::optional<Format> detect_format(std::string_view bytes, std::string_view source) {
  const FormatRow* r = detect_row(bytes, source);
  return r ? std::optional<Format>(r->format) : std::nullopt;
}

std::string detection_reason(std::string_view bytes, std::string_view source) {
  const FormatRow* r = detect_row(bytes, source);
  return r ? std::string(r->why) : std::string();
}

Result<ParsedDocument> parse_document(std::string_view bytes, const ParseContext& ctx,
                                      std::optional<Format> format) {
  const std::string where = ctx.source.empty() ? "<input>" : ctx.source;
  if (bytes.empty()) return Error{where + ": empty file (0 bytes)"};
  if (!format) format = detect_format(bytes, ctx.source);
  if (!format) {
    std::string known;
    for (const auto& r : kFormats) known += (known.empty() ? "" : ", ") + std::string(r.description);
    return Error{where + ": unknown format (not " + known + "; use --format to say which)"};
  }
  const FormatRow& parser = row(*format);
  if (!parser.xml && !valid_utf8(strip_bom(bytes)))
    return Error{where + ": not valid UTF-8 text (wrong encoding?)"};

  Result<ParsedDocument> r = parser.xml ? xml::read(bytes, ctx, *parser.xml) : parser.parse(bytes, ctx);
  if (!r) return r;
  ParsedDocument& doc = r.value();
  doc.format = *format;
  if (doc.jurisdiction.empty()) doc.jurisdiction = ctx.jurisdiction;
  if (doc.language.empty()) doc.language = ctx.language;
  if (doc.language.empty()) {
    std::string sample;
    for (const auto& s : doc.sections) {
      sample += s.text;
      sample += '\n';
      if (sample.size() > 20'000) break;
    }
    doc.language = detect_language(sample);
  }
  if (!doc.date.empty() && !is_calendar_date(doc.date)) doc.date.clear();
  if (doc.date.empty()) doc.date_source.clear();
  if (doc.date.empty() && !ctx.date.empty()) {
    doc.date = ctx.date;
    doc.date_source = ctx.date_source.empty() ? "given" : ctx.date_source;
  }
  // An amending law says what it amends in its metadata, or else in its title.
  if (doc.amends.empty()) doc.amends = amendments::amended_in_title(doc.title);
  amendments::fold_quoted_articles(doc);
  if (doc.identifier.empty())
    return Error{where + ": no instrument identifier found in the document"};
  if (doc.sections.empty()) return Error{Code::kNoLegalText, where + std::string(kNoSections)};
  return r;
}

bool holds_no_legal_text(const Error& e) { return e.code == Code::kNoLegalText; }

namespace {

void append_normalized(std::string& out, const ParsedSection& s) {
  out += s.number;
  out += '\x1f';
  collapse_space_into(out, s.heading);
  out += '\x1f';
  collapse_space_into(out, s.text);
  out += '\x1f';
  out += to_string(s.in_force);
  out += '\x1e';
}

struct DigestFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

std::string normalized_text(const ParsedDocument& doc) {
  std::string out;
  for (const auto& s : doc.sections) append_normalized(out, s);
  return out;
}

std::string normalized_text_sha256(const ParsedDocument& doc) {
  std::unique_ptr<EVP_MD_CTX, DigestFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
  // One section at a time through a buffer that keeps its capacity: the whole text of a
  // large code is never held at once.
  std::string chunk;
  for (const auto& s : doc.sections) {
    chunk.clear();
    append_normalized(chunk, s);
    EVP_DigestUpdate(ctx.get(), chunk.data(), chunk.size());
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md.data(), &len);
  return to_hex(md.data(), len);
}

}  // namespace hrtrack::corpus
