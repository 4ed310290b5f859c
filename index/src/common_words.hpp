#pragma once
// The words common enough to be stored in pairs (index/common_words.txt, embedded at build
// time): see schema::kPair.
#include <string>
#include <string_view>

namespace hrtrack::index {

// True for a word term ("Z" + stem) of the list.
bool is_common_word(std::string_view term);
// The layout this build writes: schema::kLayout and a digest of the list, so a new list
// re-indexes every version (it is in each version's signature) and is used only once every
// document has its pairs (schema::kLayoutKey).
const std::string& index_layout();

}  // namespace hrtrack::index
