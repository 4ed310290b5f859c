#include "text.hpp"

#include <array>
#include <cstdint>

namespace hrtrack::corpus {
namespace {

// Length of the white-space character at s[i] (ASCII or a Unicode space in UTF-8), or 0.
std::size_t space_len(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 2;
  if (c == 0xE2 && i + 2 < s.size()) {
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    const auto b2 = static_cast<unsigned char>(s[i + 2]);
    // U+2000..U+200A spaces, U+2028/2029 separators, U+202F narrow NBSP, U+205F.
    if (b1 == 0x80 && ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF))
      return 3;
    if (b1 == 0x81 && b2 == 0x9F) return 3;
  }
  if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      static_cast<unsigned char>(s[i + 2]) == 0x80)
    return 3;  // U+3000
  return 0;
}

}  // namespace

namespace {

// Bytes that may start white space (ASCII controls and space; lead bytes of U+00A0,
// U+2000-U+205F, U+3000): every other byte is copied as it is.
constexpr auto kMayBeSpace = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c <= ' '; ++c) t[static_cast<std::size_t>(c)] = true;
  t[0xC2] = t[0xE2] = t[0xE3] = true;
  return t;
}();

bool may_be_space(char c) { return kMayBeSpace[static_cast<unsigned char>(c)]; }

}  // namespace

void collapse_space_into(std::string& out, std::string_view s) {
  const std::size_t start = out.size();
  bool pending = false;
  std::size_t i = 0;
  while (i < s.size()) {
    // A run of bytes that cannot start a space character is copied in one go; a single
    // ASCII space between two such bytes is already folded, so it joins the run.
    std::size_t j = i;
    while (j < s.size()) {
      if (!may_be_space(s[j])) {
        ++j;
      } else if (s[j] == ' ' && j > i && j + 1 < s.size() && !may_be_space(s[j + 1])) {
        j += 2;
      } else {
        break;
      }
    }
    if (j > i) {
      if (pending && out.size() > start) out += ' ';
      pending = false;
      out.append(s.data() + i, j - i);
      i = j;
      continue;
    }
    if (std::size_t n = space_len(s, i)) {
      pending = true;
      i += n;
      continue;
    }
    if (pending && out.size() > start) out += ' ';
    pending = false;
    out += s[i++];
  }
}

std::string collapse_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  collapse_space_into(out, s);
  return out;
}

bool is_blank(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = space_len(s, i);
    if (!n) return false;
    i += n;
  }
  return true;
}

std::string trim(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size()) {
    std::size_t n = space_len(s, b);
    if (!n) break;
    b += n;
  }
  std::size_t e = s.size();
  while (e > b) {
    // Step back over one character and test it.
    std::size_t start = e - 1;
    while (start > b && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (space_len(s, start) != e - start) break;
    e = start;
  }
  return std::string(s.substr(b, e - b));
}

std::string collapse_lines(std::string_view s) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    const std::size_t mark = out.size();
    if (!out.empty()) out += '\n';
    const std::size_t line = out.size();
    collapse_space_into(out, s.substr(pos, nl - pos));
    if (out.size() == line) out.resize(mark);  // an empty line
    pos = nl + 1;
  }
  return out;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && base::ascii_iequals(s.substr(0, prefix.size()), prefix);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (true) {
    std::size_t e = s.find(sep, pos);
    out.emplace_back(s.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos));
    if (e == std::string_view::npos) break;
    pos = e + 1;
  }
  return out;
}

static bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

std::string to_iso_date(std::string_view s) {
  std::string t = trim(s);
  if (t.size() >= 10 && is_calendar_date(std::string_view(t).substr(0, 10))) return t.substr(0, 10);
  if (t.size() == 8 && digits(t)) {
    std::string iso = t.substr(0, 4) + "-" + t.substr(4, 2) + "-" + t.substr(6, 2);
    return is_calendar_date(iso) ? iso : "";
  }
  // 17.11.2022 or 1.2.2022
  auto parts = split(t, '.');
  if (parts.size() == 3 && digits(parts[0]) && digits(parts[1]) && parts[2].size() == 4 &&
      digits(parts[2]) && parts[0].size() <= 2 && parts[1].size() <= 2) {
    auto pad = [](const std::string& p) { return p.size() == 1 ? "0" + p : p; };
    std::string iso = parts[2] + "-" + pad(parts[1]) + "-" + pad(parts[0]);
    return is_calendar_date(iso) ? iso : "";
  }
  return "";
}

std::string_view strip_bom(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

bool natural_less(std::string_view a, std::string_view b) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && digit(a[ei])) ++ei;
      while (ej < b.size() && digit(b[ej])) ++ej;
      std::string_view x = a.substr(i, ei - i), y = b.substr(j, ej - j);
      const auto strip = [](std::string_view& v) {
        while (v.size() > 1 && v.front() == '0') v.remove_prefix(1);
      };
      strip(x);
      strip(y);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = ei, j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

}  // namespace hrtrack::corpus
