#pragma once
// The text a document keeps for its snippets, compressed by the indexer so that a search
// inflates only as much of it as the snippet reads.
//
// Glass compresses a document's data with zlib as one piece, so each hit paid for inflating
// up to 32 KB (SnippetMaker::kScanBytes) although the words a snippet marks are mostly in
// its first kilobytes: 40 % of the time of a search that lands on long sections (annexes,
// schedules). The indexer stores the text as its own zlib stream after a short header
// (Xapian then finds nothing left to compress), and a reader inflates it step by step, as
// far as asked.
#include <zlib.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "snippet.hpp"

namespace hrtrack::index {

// `text` as a document's data: a header (kMagic, then the text's length, 4 bytes
// little-endian) and the text as one zlib stream.
std::string pack_text(std::string_view text);

// A document's data read as text: packed by pack_text(), or plain (an older index's).
class StoredText : public SnippetMaker::Text {
 public:
  explicit StoredText(std::string data);
  ~StoredText() override;
  StoredText(const StoredText&) = delete;
  StoredText& operator=(const StoredText&) = delete;

  std::size_t size() const override { return size_; }
  // At least the first min(n, size()) bytes; fewer only when the stream is damaged.
  std::string_view prefix(std::size_t n) override;

  static constexpr std::string_view kMagic{"\0hrz", 4};

 private:
  std::string data_;
  std::string text_;  // inflated so far (or the whole plain text)
  std::size_t size_ = 0;
  bool packed_ = false;
  bool failed_ = false;
  z_stream z_{};
};

}  // namespace hrtrack::index
