#include "stored_text.hpp"

#include <algorithm>
#include <cstdint>

namespace hrtrack::index {
namespace {

constexpr std::size_t kHeader = StoredText::kMagic.size() + 4;
// Inflated at least this much at a time: a snippet's window and its margins.
constexpr std::size_t kStep = 4096;

}  // namespace

std::string pack_text(std::string_view text) {
  std::string out(StoredText::kMagic);
  const auto n = static_cast<std::uint32_t>(text.size());
  for (int i = 0; i < 4; ++i) out += static_cast<char>((n >> (8 * i)) & 0xFF);
  uLongf bound = compressBound(static_cast<uLong>(text.size()));
  std::string packed(bound, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &bound, reinterpret_cast<const Bytef*>(text.data()),
                static_cast<uLong>(text.size()), Z_DEFAULT_COMPRESSION) != Z_OK)
    return std::string(text);  // stored plain: readers take data without the header as text
  packed.resize(bound);
  return out + packed;
}

StoredText::StoredText(std::string data) : data_(std::move(data)) {
  if (data_.size() < kHeader || std::string_view(data_).substr(0, kMagic.size()) != kMagic) {
    text_ = std::move(data_);
    size_ = text_.size();
    return;
  }
  for (int i = 0; i < 4; ++i) size_ |= static_cast<std::size_t>(static_cast<unsigned char>(data_[kMagic.size() + i])) << (8 * i);
  packed_ = true;
  z_.next_in = reinterpret_cast<Bytef*>(data_.data() + kHeader);
  z_.avail_in = static_cast<uInt>(data_.size() - kHeader);
  failed_ = inflateInit(&z_) != Z_OK;
}

StoredText::~StoredText() {
  if (packed_ && !failed_) inflateEnd(&z_);
}

std::string_view StoredText::prefix(std::size_t n) {
  n = std::min(n, size_);
  if (packed_ && !failed_ && text_.size() < n) {
    const std::size_t want = std::min(size_, std::max(n, text_.size() + kStep));
    const std::size_t had = text_.size();
    text_.resize(want);
    z_.next_out = reinterpret_cast<Bytef*>(text_.data() + had);
    z_.avail_out = static_cast<uInt>(want - had);
    const int status = inflate(&z_, Z_SYNC_FLUSH);
    text_.resize(want - z_.avail_out);
    // A damaged stream, or one shorter than its header says (all its input was given, so
    // output short of the request means it ran out): the text is what came out.
    const bool short_of = text_.size() < want && status != Z_STREAM_END;
    if ((status != Z_OK && status != Z_STREAM_END) || short_of || (status == Z_STREAM_END && text_.size() < size_)) {
      failed_ = true;
      inflateEnd(&z_);
      size_ = text_.size();
    }
  }
  return std::string_view(text_).substr(0, std::min(n, text_.size()));
}

}  // namespace hrtrack::index
