#include "languages.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <toml++/toml.h>

namespace hrtrack::corpus::languages {

extern const std::pair<std::string_view, std::string_view> kBuiltinFiles[];
extern const std::size_t kBuiltinFileCount;

namespace {

// A list of strings under `key`; absent is empty unless `required`.
Status read_list(const toml::table& t, std::string_view key, bool required,
                 std::vector<std::string>& out, std::string_view source) {
  const toml::node* node = t.get(key);
  if (!node) {
    if (required) return Error{std::string(source) + ": missing \"" + std::string(key) + "\""};
    return {};
  }
  const toml::array* list = node->as_array();
  if (!list) return Error{std::string(source) + ": \"" + std::string(key) + "\" must be a list of strings"};
  for (const toml::node& item : *list) {
    const auto s = item.value<std::string>();
    if (!s || s->empty())
      return Error{std::string(source) + ": \"" + std::string(key) + "\" must hold non-empty strings"};
    out.push_back(*s);
  }
  return {};
}

// "languages/fr.toml" -> "fr".
std::string code_of(std::string_view source) {
  const auto slash = source.find_last_of("/\\");
  std::string_view name = slash == std::string_view::npos ? source : source.substr(slash + 1);
  return std::string(name.substr(0, name.find('.')));
}

}  // namespace

Result<Language> parse(std::string_view text, std::string_view source) {
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Error{std::string(source) + ":" + std::to_string(e.source().begin.line) + ": " +
                 std::string(e.description())};
  }
  Language lang;
  lang.code = code_of(source);
  if (lang.code.size() != 2)
    return Error{std::string(source) + ": the file name must be an ISO 639-1 code (\"fr.toml\")"};
  const auto name = doc["name"].value<std::string>();
  if (!name || name->empty()) return Error{std::string(source) + ": missing \"name\""};
  lang.name = *name;
  struct List {
    std::string_view key;
    bool required;
    std::vector<std::string>* out;
  };
  const List lists[] = {
      {"section_labels", true, &lang.section_labels},
      {"appendix_labels", true, &lang.appendix_labels},
      {"function_words", true, &lang.function_words},
      {"ordinal_suffixes", false, &lang.ordinal_suffixes},
      {"number_suffixes", false, &lang.number_suffixes},
      {"citation_words", false, &lang.citation_words},
      {"repealed_markers", false, &lang.repealed_markers},
      {"note_markers", false, &lang.note_markers},
  };
  for (const List& l : lists)
    if (Status s = read_list(doc, l.key, l.required, *l.out, source); !s) return s.error();
  if (const toml::node* st = doc.get("stemmer")) {
    const auto stemmer = st->value<std::string>();
    if (!stemmer || stemmer->empty())
      return Error{std::string(source) + ": \"stemmer\" must be a Xapian stemmer's name or \"none\""};
    lang.stemmer = *stemmer;
  }
  if (const toml::node* c = doc.get("compounds")) {
    const auto b = c->value<bool>();
    if (!b) return Error{std::string(source) + ": \"compounds\" must be true or false"};
    lang.compounds = *b;
  }
  const toml::table* words = doc["structure_words"].as_table();
  if (!words) return Error{std::string(source) + ": missing table [structure_words]"};
  for (const auto& [word, rank] : *words) {
    const auto r = rank.value<std::int64_t>();
    if (!r || *r < 1 || *r > 9)
      return Error{std::string(source) + ": structure word \"" + std::string(word.str()) +
                   "\" needs a rank from 1 (outermost) to 9"};
    lang.structure_words.emplace_back(std::string(word.str()), static_cast<int>(*r));
  }
  return lang;
}

const std::vector<Language>& builtin() {
  static const std::vector<Language> all = [] {
    std::vector<Language> out;
    for (std::size_t i = 0; i < kBuiltinFileCount; ++i) {
      auto lang = parse(kBuiltinFiles[i].second, kBuiltinFiles[i].first);
      // The build embeds the files; a broken one is a build defect, caught by the tests.
      if (!lang) {
        std::cerr << "hrtrack: built-in language table: " << lang.error().message << '\n';
        std::abort();
      }
      out.push_back(std::move(lang).value());
    }
    std::sort(out.begin(), out.end(), [](const Language& a, const Language& b) { return a.code < b.code; });
    return out;
  }();
  return all;
}

const Language* find(std::string_view code) {
  for (const Language& l : builtin())
    if (l.code == code) return &l;
  return nullptr;
}

std::string fold_case(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
      continue;
    }
    if (c < 0xC3 || c > 0xCE || i + 1 >= out.size()) continue;
    auto d = static_cast<unsigned char>(out[i + 1]);
    if (c == 0xC3) {  // Latin-1: À-Þ except ×
      if (d >= 0x80 && d <= 0x9E && d != 0x97) out[i + 1] = static_cast<char>(d + 0x20);
    } else if (c == 0xC4 || c == 0xC5) {
      // Latin Extended-A: upper/lower pairs, upper even except in Ĺ-ň and Ź-ž.
      const unsigned cp = ((c & 0x1Fu) << 6) | (d & 0x3Fu);
      const bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
      const bool upper = odd_upper ? (cp % 2 == 1) : (cp % 2 == 0 && cp != 0x138 && cp < 0x178);
      if (upper) {
        const unsigned lower = cp + 1;
        out[i] = static_cast<char>(0xC0 | (lower >> 6));
        out[i + 1] = static_cast<char>(0x80 | (lower & 0x3F));
      }
    } else if (c == 0xCE) {  // Greek capitals
      if (d >= 0x91 && d <= 0x9F) {
        out[i + 1] = static_cast<char>(d + 0x20);
      } else if (d >= 0xA0 && d <= 0xAB && d != 0xA2) {
        out[i] = static_cast<char>(0xCF);
        out[i + 1] = static_cast<char>(d - 0x20);
      } else if (d == 0x86) {
        out[i + 1] = static_cast<char>(0xAC);
      } else if (d >= 0x88 && d <= 0x8A) {
        out[i + 1] = static_cast<char>(d + 0x25);
      } else if (d == 0x8C) {
        out[i] = static_cast<char>(0xCF);
        out[i + 1] = static_cast<char>(0x8C);
      } else if (d == 0x8E || d == 0x8F) {
        out[i] = static_cast<char>(0xCF);
        out[i + 1] = static_cast<char>(d - 1);
      }
    }
    ++i;
  }
  return out;
}

}  // namespace hrtrack::corpus::languages
