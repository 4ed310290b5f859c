#pragma once
// After the transfer: store the raw bytes, unzip, decode, import, record the fetch. The
// same path for a network response and for a mirror file.
#include <string>

#include "hrtrack/corpus/store.hpp"
#include "hrtrack/crawler/crawler.hpp"

namespace hrtrack::crawler {

struct Fetched {
  std::string url;    // recorded in the fetch log: the official URL, or the mirror path
  std::string label;  // the Version's source: the official URL, or the mirror path
  int status = 0;     // HTTP status; 0 for a mirror read
  bool not_modified = false;
  std::string body, content_type, etag, last_modified;
  double seconds = 0;
  int attempts = 0;
  std::string error;  // the transfer failed: nothing to import
  std::string as_of;  // version date for documents that carry none
};

// Never throws for a bad document; every outcome, failures included, is recorded in the
// fetch log after the import's own transaction.
SourceResult ingest(corpus::Store& store, const Config& config, const Source& source, Fetched f);

// An HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT") as YYYY-MM-DD, "" when it does not parse.
std::string http_date_day(const std::string& http_date);

}  // namespace hrtrack::crawler
