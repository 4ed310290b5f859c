#pragma once
// After the transfer: store the raw bytes, unzip, decode, parse (on a parser thread), then
// record the version and the fetch (on the one writer thread). The same path for a network
// response and for a mirror file.
#include <optional>
#include <string>
#include <vector>

#include "hrtrack/corpus/import.hpp"
#include "hrtrack/corpus/store.hpp"
#include "fetcher.hpp"
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
  std::vector<Hop> hops;  // redirects on the way, each logged as a fetch of its own
  std::string error;  // the transfer failed: nothing to import
  std::string as_of;  // version date for documents that carry none
  std::string as_of_source;   // where as_of came from ("commit author date"); empty: the source's as_of
  std::string source_commit;  // a git source's commit the body was read from
};

// What a parser thread made of one body, for the writer to record.
struct Ingest {
  Fetched fetched;  // its body is kept only for a raw source (the writer stores it)
  long long bytes = 0;       // body bytes received
  std::string raw_sha;       // of the body as received, once stored under blobs/
  bool raw_registered = false;  // the import registers the raw blob itself (same bytes)
  std::optional<corpus::PreparedDocument> document;  // parsed (or failed to parse)
  std::string error;         // the transfer, storing, unzipping or decoding failed
};

// The parser-thread half: stores the raw bytes before anything else, then unzips, decodes
// and parses. Writes blob files only, never the catalogue; never throws for a bad body. A
// raw source's body is left to the writer (stored, not parsed: one hash instead of two).
Ingest prepare_ingest(const corpus::Store& store, const Config& config, const Source& source, Fetched f);

// What is left for the catalogue after record_ingest: the fetch log entry, and the raw
// blob's row where no import registered it. Written in batches by write_fetch_log.
struct Recording {
  SourceResult result;
  std::vector<corpus::FetchRecord> hops;  // logged before `fetch`
  corpus::FetchRecord fetch;
  std::optional<std::string> unregistered_blob;  // a raw source's bytes: no file, no catalogue row
  std::string unregistered_sha;                   // a stored blob without its catalogue row,
  long long unregistered_size = 0;                // and its size
};

// Whether record_ingest writes a version (its own transaction): what is batched before it
// must be written first, so the fetch log keeps the order of the crawl.
bool imports(const Source& source, const Ingest& in);

// The writer half: records the version (the import's own transaction), if the body parsed;
// returns the fetch log entry to write, whatever the outcome. A failure leaves the last good
// version in place.
Recording record_ingest(corpus::Store& store, const Source& source, Ingest& in);

// Writes the recordings' blob rows and fetch log entries in one transaction (or within the
// store's open write group); on an error none is written (the caller rolls the group back),
// each result becomes a failure that says why, and the error is returned.
Status write_fetch_log(corpus::Store& store, std::vector<Recording>& batch);

}  // namespace hrtrack::crawler
