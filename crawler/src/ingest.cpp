#include "ingest.hpp"

#include <curl/curl.h>

#include <ctime>

#include "hrtrack/corpus/import.hpp"
#include "hrtrack/crawler/archive.hpp"
#include "hrtrack/crawler/charset.hpp"

namespace hrtrack::crawler {
namespace {

bool xml_format(const std::string& f) { return f != "markdown" && f != "text" && f != "html"; }

std::string day_of(time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Zip -> XML, bytes -> UTF-8 where needed, then the corpus import (its own transaction).
Result<corpus::ImportOutcome> import_body(corpus::Store& store, const Config& config,
                                          const Source& source, const Fetched& f) {
  std::string bytes = f.body;
  if (looks_like_zip(bytes)) {
    auto xml = xml_from_zip(bytes, config.unzip);
    if (!xml) return Error{f.label + ": " + xml.error().message};
    bytes = std::move(*xml);
  }
  auto text = decode_text(std::move(bytes), f.content_type, xml_format(source.format));
  if (!text) return Error{f.label + ": " + text.error().message};
  corpus::ImportOptions options;
  options.format = corpus::format_from(source.format);
  options.jurisdiction = source.jurisdiction;
  options.language = source.language;
  options.as_of = f.as_of;
  return corpus::Importer(store).import_bytes(text->bytes, f.label, options);
}

SourceResult::Outcome outcome_of(const corpus::ImportOutcome& o) {
  return o.kind == corpus::ImportOutcome::Kind::unchanged ? SourceResult::Outcome::unchanged
                                                          : SourceResult::Outcome::new_version;
}

}  // namespace

std::string http_date_day(const std::string& http_date) {
  if (http_date.empty()) return {};
  const time_t t = curl_getdate(http_date.c_str(), nullptr);
  return t < 0 ? std::string() : day_of(t);
}

SourceResult ingest(corpus::Store& store, const Config& config, const Source& source, Fetched f) {
  SourceResult r;
  r.source_id = source.id;
  r.url = f.url;
  r.http_status = f.status;
  r.attempts = f.attempts;
  r.bytes = static_cast<long long>(f.body.size());
  corpus::FetchRecord rec;
  rec.source_id = source.id;
  rec.url = f.url;
  rec.http_status = f.status;
  rec.bytes = r.bytes;
  rec.seconds = f.seconds;
  rec.etag = f.etag;
  rec.last_modified = f.last_modified;
  if (!f.error.empty()) {
    r.error = f.error;
  } else if (f.not_modified) {
    r.outcome = SourceResult::Outcome::not_modified;
  } else if (auto sha = store.put_blob(f.body); !sha) {
    r.error = "storing the raw bytes: " + sha.error().message;
  } else {
    rec.sha256 = *sha;
    if (source.raw()) {
      r.outcome = SourceResult::Outcome::stored;
    } else if (auto imported = import_body(store, config, source, f); !imported) {
      r.error = imported.error().message;
    } else {
      r.outcome = outcome_of(*imported);
      r.versions_new = r.outcome == SourceResult::Outcome::new_version ? 1 : 0;
    }
  }
  if (!r.error.empty()) r.outcome = SourceResult::Outcome::failed;
  rec.outcome = std::string(to_string(r.outcome));
  rec.error = r.error;
  if (auto st = store.record_fetch(rec); !st && r.error.empty()) {
    r.outcome = SourceResult::Outcome::failed;
    r.error = "recording the fetch: " + st.error().message;
  }
  return r;
}

}  // namespace hrtrack::crawler
