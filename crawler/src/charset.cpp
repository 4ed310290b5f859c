#include "hrtrack/crawler/charset.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>

#include "ascii.hpp"

namespace hrtrack::crawler {
namespace {

// The value after `key=` in a header or meta tag, without quotes.
std::string value_after(std::string_view text, std::string_view key) {
  const std::string l = lower(text);
  const auto at = l.find(key);
  if (at == std::string::npos) return {};
  auto start = at + key.size();
  while (start < text.size() && (text[start] == '"' || text[start] == '\'' || text[start] == ' ')) ++start;
  auto end = start;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                               text[end] == '-' || text[end] == '_' || text[end] == ':' || text[end] == '.'))
    ++end;
  return std::string(text.substr(start, end - start));
}

bool is_utf8_name(const std::string& cs) {
  const std::string u = upper(cs);
  return u == "UTF-8" || u == "UTF8";
}

struct IconvCloser {
  void operator()(iconv_t* cd) const {
    iconv_close(*cd);
    delete cd;
  }
};

Result<std::string> convert(const std::string& bytes, const std::string& from) {
  iconv_t raw = iconv_open("UTF-8", from.c_str());
  if (raw == reinterpret_cast<iconv_t>(-1)) return Error{"unknown character set '" + from + "'"};
  std::unique_ptr<iconv_t, IconvCloser> cd(new iconv_t(raw));
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());  // iconv's API is not const-correct
  std::size_t in_left = bytes.size();
  std::size_t done = 0;
  while (in_left > 0) {
    char* dst = out.data() + done;
    std::size_t out_left = out.size() - done;
    const std::size_t rc = iconv(*cd, &in, &in_left, &dst, &out_left);
    done = out.size() - out_left;
    if (rc != static_cast<std::size_t>(-1)) continue;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    return Error{"the body is not valid " + from + " (byte " +
                 std::to_string(bytes.size() - in_left) + ")"};
  }
  out.resize(done);
  return out;
}

// The encoding an XML declaration names, if the document has a declaration.
std::string xml_declared_encoding(std::string_view bytes) {
  if (bytes.substr(0, 5) != "<?xml") return {};
  const auto end = bytes.find("?>");
  return value_after(bytes.substr(0, end), "encoding=");
}

}  // namespace

std::string charset_of(std::string_view content_type) { return value_after(content_type, "charset="); }

Result<Decoded> decode_text(std::string bytes, std::string_view content_type, bool is_xml) {
  const std::string_view view(bytes);
  if (view.substr(0, 3) == "\xEF\xBB\xBF") return Decoded{std::move(bytes), "UTF-8 (BOM)", false};
  if (view.substr(0, 2) == "\xFF\xFE" || view.substr(0, 2) == "\xFE\xFF") {
    if (is_xml) return Decoded{std::move(bytes), "UTF-16 (BOM)", false};
    auto out = convert(bytes.substr(2), view[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE");
    if (!out) return out.error();
    return Decoded{std::move(*out), "UTF-16 (BOM)", true};
  }
  if (is_xml && !xml_declared_encoding(view).empty())
    return Decoded{std::move(bytes), "declared: " + xml_declared_encoding(view), false};
  if (valid_utf8(view)) return Decoded{std::move(bytes), "UTF-8", false};
  std::string charset = charset_of(content_type);
  if (charset.empty() && !is_xml) charset = value_after(view.substr(0, 4096), "charset=");
  if (charset.empty() || is_utf8_name(charset)) charset = "WINDOWS-1252";
  auto out = convert(bytes, charset);
  if (!out) return out.error();
  return Decoded{std::move(*out), upper(charset), true};
}

}  // namespace hrtrack::crawler
