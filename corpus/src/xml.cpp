#include "xml.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <cstring>

#include "text.hpp"

namespace hrtrack::corpus::xml {
namespace {

struct CtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};

void silent(void*, const char*, ...) {}
void silent_structured(void*, xmlError*) {}

void append_text(const xmlNode* n, std::string& out) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) out += reinterpret_cast<const char*>(c->content);
    } else if (c->type == XML_ELEMENT_NODE) {
      append_text(c, out);
    }
  }
}

}  // namespace

Result<Doc> parse(std::string_view bytes, std::string_view source) {
  const std::string where(source.empty() ? "<input>" : source);
  if (bytes.empty()) return Error{where + ": empty file (0 bytes)"};
  // libxml2's error handlers are per thread; keep its messages off stderr.
  xmlSetGenericErrorFunc(nullptr, silent);
  xmlSetStructuredErrorFunc(nullptr, silent_structured);

  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) return Error{where + ": out of memory creating the XML parser"};
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                      XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
  Doc doc(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()),
                            nullptr, nullptr, options));
  const xmlError* err = xmlCtxtGetLastError(ctxt.get());
  if (!doc || !ctxt->wellFormed) {
    std::string reason = err && err->message ? collapse_space(err->message) : "not well-formed XML";
    const int line = err ? err->line : 0;
    return Error{where + (line > 0 ? ": line " + std::to_string(line) : std::string()) +
                 ": malformed XML: " + reason};
  }
  if (doc->intSubset && (doc->intSubset->entities || doc->intSubset->pentities))
    return Error{where + ": refused: the document declares entities (entity expansion is "
                         "disabled for untrusted input)"};
  if (!xmlDocGetRootElement(doc.get())) return Error{where + ": no root element"};
  return doc;
}

void DocFree::operator()(xmlDoc* d) const { xmlFreeDoc(d); }

const xmlNode* parent(const xmlNode* n) {
  return n && n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : nullptr;
}

xmlNode* root(const Doc& doc) { return xmlDocGetRootElement(doc.get()); }

std::string_view name(const xmlNode* n) {
  if (!n || !n->name) return {};
  std::string_view s(reinterpret_cast<const char*>(n->name));
  // Elements without a declared namespace keep their prefix in the name.
  if (auto colon = s.find(':'); colon != std::string_view::npos) s.remove_prefix(colon + 1);
  return s;
}

bool is_element(const xmlNode* n) { return n && n->type == XML_ELEMENT_NODE; }
bool is(const xmlNode* n, std::string_view local_name) {
  return is_element(n) && name(n) == local_name;
}

static const xmlAttr* find_attr(const xmlNode* n, std::string_view local_name) {
  if (!is_element(n)) return nullptr;
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    std::string_view an(reinterpret_cast<const char*>(a->name));
    if (auto colon = an.find(':'); colon != std::string_view::npos) an.remove_prefix(colon + 1);
    if (an == local_name) return a;
  }
  return nullptr;
}

std::string attr(const xmlNode* n, std::string_view local_name) {
  const xmlAttr* a = find_attr(n, local_name);
  if (!a) return {};
  std::string out;
  for (const xmlNode* c = a->children; c; c = c->next)
    if (c->type == XML_TEXT_NODE && c->content) out += reinterpret_cast<const char*>(c->content);
  return out;
}

xmlNode* child(const xmlNode* n, std::string_view local_name) {
  if (!n) return nullptr;
  for (xmlNode* c = n->children; c; c = c->next)
    if (is(c, local_name)) return c;
  return nullptr;
}

std::vector<xmlNode*> children(const xmlNode* n) {
  std::vector<xmlNode*> out;
  if (n)
    for (xmlNode* c = n->children; c; c = c->next)
      if (is_element(c)) out.push_back(c);
  return out;
}

std::vector<xmlNode*> children(const xmlNode* n, std::string_view local_name) {
  std::vector<xmlNode*> out;
  if (n)
    for (xmlNode* c = n->children; c; c = c->next)
      if (is(c, local_name)) out.push_back(c);
  return out;
}

xmlNode* find(const xmlNode* n, std::string_view local_name) {
  if (!n) return nullptr;
  for (xmlNode* c = n->children; c; c = c->next) {
    if (!is_element(c)) continue;
    if (name(c) == local_name) return c;
    if (xmlNode* d = find(c, local_name)) return d;
  }
  return nullptr;
}

std::string text(const xmlNode* n) {
  std::string out;
  if (n) append_text(n, out);
  return out;
}

std::string clean_text(const xmlNode* n) { return collapse_space(text(n)); }

}  // namespace hrtrack::corpus::xml
