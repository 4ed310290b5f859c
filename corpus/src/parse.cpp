#include "hrtrack/corpus/parse.hpp"

#include <openssl/evp.h>

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

constexpr std::array<std::pair<Format, std::string_view>, 9> kFormatNames = {{
    {Format::justice_canada, "justice-canada"},
    {Format::gii, "gii"},
    {Format::akn, "akn"},
    {Format::uslm, "uslm"},
    {Format::bwb, "bwb"},
    {Format::markdown, "markdown"},
    {Format::html, "html"},
    {Format::text, "text"},
    {Format::dccouncil, "dccouncil"},
}};

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

}  // namespace

std::string_view to_string(Format f) {
  for (auto& [fmt, name] : kFormatNames)
    if (fmt == f) return name;
  return "text";
}

std::optional<Format> format_from(std::string_view name) {
  for (auto& [fmt, n] : kFormatNames)
    if (n == name) return fmt;
  if (name == "justice" || name == "lims") return Format::justice_canada;
  if (name == "akoma-ntoso" || name == "ldml") return Format::akn;
  if (name == "md") return Format::markdown;
  if (name == "xhtml") return Format::html;
  if (name == "txt") return Format::text;
  if (name == "dc-council" || name == "dc-council-xml") return Format::dccouncil;
  return std::nullopt;
}

std::optional<Format> detect_format(std::string_view bytes, std::string_view source) {
  const std::string_view s = strip_bom(bytes);
  const std::string_view tag = root_tag(s);
  const std::string ext = ascii_lower(extension(source));
  if (!tag.empty()) {
    const std::string_view name = tag_name(tag);
    if (tag.find("schemas.gpo.gov/xml/uslm") != std::string_view::npos) return Format::uslm;
    if (name == "akomaNtoso") return Format::akn;
    if (name == "Statute" || name == "Regulation" || name == "Bill") return Format::justice_canada;
    if (name == "dokumente") return Format::gii;
    if (name == "toestand") return Format::bwb;
    if (name == "html" || name == "HTML") return Format::html;
    if (name == "uscDoc") return Format::uslm;
    // The DC Council's library: code sections, title indexes and session laws.
    if ((name == "section" || name == "container" || name == "document") &&
        tag.find("code.dccouncil.us/schemas/dc-library") != std::string_view::npos)
      return Format::dccouncil;
    if (ext == "html" || ext == "htm" || ext == "xhtml") return Format::html;  // a fragment
    return std::nullopt;  // some other XML: not a format we know
  }
  if (s.substr(0, 4) == "---\n" || s.substr(0, 5) == "---\r\n" || ext == "md" || ext == "markdown")
    return Format::markdown;
  if (ext == "html" || ext == "htm" || ext == "xhtml") return Format::html;
  if (ext == "txt" || ext == "text") return Format::text;
  return std::nullopt;
}

Result<ParsedDocument> parse_document(std::string_view bytes, const ParseContext& ctx,
                                      std::optional<Format> format) {
  const std::string where = ctx.source.empty() ? "<input>" : ctx.source;
  if (bytes.empty()) return Error{where + ": empty file (0 bytes)"};
  if (!format) format = detect_format(bytes, ctx.source);
  if (!format)
    return Error{where + ": unknown format (not Justice Canada, gii, Akoma Ntoso, USLM, BWB, "
                         "markdown, HTML, DC Council XML or text; use --format to say which)"};
  if (*format != Format::justice_canada && *format != Format::gii && *format != Format::akn &&
      *format != Format::uslm && *format != Format::bwb && *format != Format::dccouncil &&
      !valid_utf8(strip_bom(bytes)))
    return Error{where + ": not valid UTF-8 text (wrong encoding?)"};

  Result<ParsedDocument> r = Error{};
  switch (*format) {
    case Format::justice_canada: r = parsers::justice_canada(bytes, ctx); break;
    case Format::gii: r = parsers::gii(bytes, ctx); break;
    case Format::akn: r = parsers::akn(bytes, ctx); break;
    case Format::uslm: r = parsers::uslm(bytes, ctx); break;
    case Format::bwb: r = parsers::bwb(bytes, ctx); break;
    case Format::markdown: r = parsers::markdown(bytes, ctx); break;
    case Format::html: r = parsers::html(bytes, ctx); break;
    case Format::text: r = parsers::plain_text(bytes, ctx); break;
    case Format::dccouncil: r = parsers::dccouncil(bytes, ctx); break;
  }
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
  if (!doc.date.empty() && !is_iso_date(doc.date)) doc.date.clear();
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
  if (doc.sections.empty()) return Error{where + std::string(kNoSections)};
  return r;
}

bool holds_no_legal_text(const Error& e) {
  const std::string_view m = e.message;
  return m.ends_with(kNoSections) || m.find(parsers::kNoLegalText) != std::string_view::npos;
}

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
