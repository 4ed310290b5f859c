#pragma once
// Safe reading of untrusted XML with libxml2: no entity substitution, no DTD loading,
// no network, libxml2's own depth and text-size limits kept (no XML_PARSE_HUGE).
// Documents that declare entities are refused outright (billion laughs).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/result.hpp"

// libxml2's tree, declared only: its headers stay with the corpus sources that read it.
typedef struct _xmlNode xmlNode;
typedef struct _xmlDoc xmlDoc;

namespace hrtrack::corpus::xml {

struct DocFree {
  void operator()(xmlDoc* d) const;
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

// Parses `bytes`; the error reads "<source>: line N: <reason>".
Result<Doc> parse(std::string_view bytes, std::string_view source);

xmlNode* root(const Doc& doc);

// The element's name without its namespace prefix ("an:section" -> "section").
std::string_view name(const xmlNode* n);
// The parent element, or nullptr at the root.
const xmlNode* parent(const xmlNode* n);
bool is(const xmlNode* n, std::string_view local_name);
bool is_element(const xmlNode* n);

// The attribute whose local name is `local_name`, whatever its namespace; "" if absent.
std::string attr(const xmlNode* n, std::string_view local_name);

// First child element with that local name, or nullptr.
xmlNode* child(const xmlNode* n, std::string_view local_name);
// Child elements, all or with that local name.
std::vector<xmlNode*> children(const xmlNode* n);
std::vector<xmlNode*> children(const xmlNode* n, std::string_view local_name);
// First descendant element (depth first) with that local name, or nullptr.
xmlNode* find(const xmlNode* n, std::string_view local_name);

// Text of the subtree: text and CDATA nodes only (entity references are never expanded),
// whitespace as in the document.
std::string text(const xmlNode* n);
// The same, with runs of white space folded to one space and trimmed.
std::string clean_text(const xmlNode* n);

}  // namespace hrtrack::corpus::xml
