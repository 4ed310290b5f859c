#include "hrtrack/corpus/model.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "text.hpp"

namespace hrtrack::corpus {

std::string_view to_string(InstrumentType t) {
  switch (t) {
    case InstrumentType::act: return "act";
    case InstrumentType::regulation: return "regulation";
    case InstrumentType::bill: return "bill";
    case InstrumentType::judgment: return "judgment";
    case InstrumentType::other: break;
  }
  return "other";
}

InstrumentType instrument_type_from(std::string_view s) {
  if (s == "act") return InstrumentType::act;
  if (s == "regulation") return InstrumentType::regulation;
  if (s == "bill") return InstrumentType::bill;
  if (s == "judgment") return InstrumentType::judgment;
  return InstrumentType::other;
}

std::string_view to_string(InForce f) {
  switch (f) {
    case InForce::yes: return "in-force";
    case InForce::not_yet: return "not-in-force";
    case InForce::repealed: return "repealed";
    case InForce::unknown: break;
  }
  return "unknown";
}

InForce in_force_from(std::string_view s) {
  if (s == "in-force") return InForce::yes;
  if (s == "not-in-force") return InForce::not_yet;
  if (s == "repealed") return InForce::repealed;
  return InForce::unknown;
}

std::optional<SectionAddress> SectionAddress::parse(std::string_view s) {
  const auto hash = s.rfind('#');
  if (hash == std::string_view::npos || hash == 0 || hash + 1 == s.size()) return std::nullopt;
  return SectionAddress{trim(s.substr(0, hash)), normalize_section_number(s.substr(hash + 1))};
}

std::string normalize_section_number(std::string_view label) {
  std::string s = trim(label);
  // Leading words and signs that introduce a number in the languages we read.
  static constexpr std::array<std::string_view, 22> prefixes = {
      "§§", "§", "articles", "article", "artikel", "artículo", "articolo", "artigo", "art.",
      "art", "sections", "section", "sec.", "ss.", "s.", "paragraph", "para.", "rule", "regulation",
      "reg.", "no.", "nr."};
  for (bool again = true; again;) {
    again = false;
    for (auto p : prefixes) {
      if (starts_with_icase(s, p)) {
        // "s." must not eat the start of a word ("section" is listed before it anyway).
        std::string rest = trim(std::string_view(s).substr(p.size()));
        if (rest.empty()) continue;
        const bool word = std::isalpha(static_cast<unsigned char>(p.back())) != 0;
        if (word && std::isalpha(static_cast<unsigned char>(s[p.size()]))) continue;
        s = rest;
        again = true;
        break;
      }
    }
  }
  // "Anlage I (zu § 1 Abs. 1)", "SCHEDULE I": a named unit keeps its word, joined by '-'.
  if (auto paren = s.find(" ("); paren != std::string::npos) s = trim(std::string_view(s).substr(0, paren));
  std::string word;
  if (auto sp = s.find(' '); sp != std::string::npos && sp >= 3) {
    bool alpha = true;
    for (std::size_t i = 0; i < sp; ++i) alpha = alpha && std::isalpha(static_cast<unsigned char>(s[i]));
    if (alpha) {
      word = ascii_lower(std::string_view(s).substr(0, sp)) + "-";
      s = trim(std::string_view(s).substr(sp));
    }
  }
  std::string out = word;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '[' || c == ']') continue;  // "[12]": a judgment's paragraph
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      ++i;  // no-break space
      continue;
    }
    out += base::ascii_lower(static_cast<char>(c));
  }
  while (!out.empty() && (out.back() == '.' || out.back() == ':' || out.back() == ',')) out.pop_back();
  // Ordinal marks are how the number is printed, not part of it: "1°", "5º", "1er" -> "1".
  for (bool again = true; again;) {
    again = false;
    for (std::string_view mark : {"\xC2\xB0", "\xC2\xBA", "\xC2\xAA", "er"}) {
      if (out.size() <= mark.size() || !out.ends_with(mark)) continue;
      const char before = out[out.size() - mark.size() - 1];
      if (before < '0' || before > '9') continue;
      out.erase(out.size() - mark.size());
      again = true;
    }
  }
  return out;
}

}  // namespace hrtrack::corpus

namespace hrtrack::corpus {
namespace {

bool ascii_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool ascii_alnum(char c) { return ascii_alpha(c) || (c >= '0' && c <= '9'); }
void hex_byte(std::string& out, unsigned char c) {
  out += "\\x";
  out += base::to_hex(&c, 1);
}

}  // namespace

Result<std::string> jurisdiction_code(std::string_view code) {
  bool ok = code.size() == 2 || (code.size() >= 4 && code.size() <= 6 && code[2] == '-');
  for (std::size_t i = 0; ok && i < code.size(); ++i)
    ok = i < 2 ? ascii_alpha(code[i]) : i == 2 || ascii_alnum(code[i]);
  if (!ok)
    return Error{"'" + escape_name(code) +
                 "' is not a jurisdiction code (ISO 3166-1 \"CA\", or ISO 3166-2 \"US-DC\")"};
  return base::ascii_upper(code);
}

std::string escape_name(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    const std::size_t n = base::utf8_sequence_length(bytes, i);
    const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(bytes[i + 1]) <= 0x9F;
    if (n == 0 || c1 || c < 0x20 || c == 0x7F) {
      for (std::size_t k = 0; k < std::max<std::size_t>(n, 1); ++k) hex_byte(out, static_cast<unsigned char>(bytes[i + k]));
      i += std::max<std::size_t>(n, 1);
    } else if (c == '\\') {
      out += "\\\\";
      ++i;
    } else {
      out.append(bytes.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string unescape_name(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && base::hex_value(s[i + 2]) >= 0 &&
               base::hex_value(s[i + 3]) >= 0) {
      out += static_cast<char>(base::hex_value(s[i + 2]) * 16 + base::hex_value(s[i + 3]));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace hrtrack::corpus
