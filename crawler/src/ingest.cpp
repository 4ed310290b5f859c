#include "ingest.hpp"

#include <curl/curl.h>

#include <ctime>

#include "hrtrack/crawler/archive.hpp"
#include "hrtrack/crawler/charset.hpp"

namespace hrtrack::crawler {
namespace {

bool xml_format(const std::string& f) { return f != "markdown" && f != "text" && f != "html"; }

// Zip -> XML, bytes -> UTF-8 where needed, then parse (the parsed text's blob is stored
// too when it differs from the raw bytes). False when unzipping or decoding failed.
bool prepare_body(const corpus::Store& store, const Config& config, const Source& source, Ingest& in) {
  Fetched& f = in.fetched;
  std::string bytes;
  const bool zipped = looks_like_zip(f.body);
  if (zipped) {
    auto xml = xml_from_zip(f.body, config.unzip);
    if (!xml) {
      in.error = f.label + ": " + xml.error().message;
      return false;
    }
    bytes = std::move(*xml);
  } else {
    bytes = std::move(f.body);  // stored already (in.raw_sha): not needed again, not copied
  }
  auto text = decode_text(std::move(bytes), f.content_type, xml_format(source.format));
  if (!text) {
    in.error = f.label + ": " + text.error().message;
    return false;
  }
  corpus::ImportOptions options;
  options.format = corpus::format_from(source.format);
  options.jurisdiction = source.jurisdiction;
  options.language = source.language;
  options.as_of = f.as_of;
  options.identifier = source.identifier;
  options.as_of_source = f.as_of_source;
  options.source_commit = f.source_commit;
  // The body as received is stored already (in.raw_sha): not hashed a second time.
  const bool as_received = !zipped && !text->converted;
  in.document = corpus::prepare_document(store, text->bytes, f.label, options,
                                         as_received ? std::string_view(in.raw_sha) : std::string_view());
  // The import registers the blob it parsed; when that is the body itself, nothing is left
  // for the writer to register.
  in.raw_registered = as_received && in.document->doc.ok();
  return true;
}

SourceResult::Outcome outcome_of(const corpus::ImportOutcome& o) {
  return o.kind == corpus::ImportOutcome::Kind::unchanged ? SourceResult::Outcome::unchanged
                                                          : SourceResult::Outcome::new_version;
}

}  // namespace

Ingest prepare_ingest(const corpus::Store& store, const Config& config, const Source& source, Fetched f) {
  Ingest in;
  in.bytes = static_cast<long long>(f.body.size());
  in.fetched = std::move(f);
  if (!in.fetched.error.empty() || in.fetched.not_modified) return in;
  // A raw source is only stored: the writer's put_blob hashes and writes it once.
  if (source.raw()) return in;
  // Raw bytes first: whatever happens next, the body can be re-parsed without a re-fetch.
  if (auto sha = store.write_blob(in.fetched.body); !sha) {
    in.error = "storing the raw bytes: " + sha.error().message;
  } else {
    in.raw_sha = *sha;
    try {
      prepare_body(store, config, source, in);
    } catch (const std::exception& e) {
      in.error = in.fetched.label + ": " + e.what();
    }
  }
  return in;
}

bool imports(const Source& source, const Ingest& in) {
  return in.fetched.error.empty() && !in.fetched.not_modified && in.error.empty() && !source.raw() &&
         in.document.has_value();
}

Recording record_ingest(corpus::Store& store, const Source& source, Ingest& in) {
  Fetched& f = in.fetched;
  Recording out;
  SourceResult& r = out.result;
  r.source_id = source.id;
  r.url = f.url;
  r.http_status = f.status;
  r.attempts = f.attempts;
  r.bytes = in.bytes;
  if (!f.error.empty()) {
    r.error = f.error;
  } else if (f.not_modified) {
    r.outcome = SourceResult::Outcome::not_modified;
  } else if (!in.error.empty()) {
    r.error = in.error;
  } else if (source.raw()) {
    r.outcome = SourceResult::Outcome::stored;
  }
  bool registered = false;
  if (imports(source, in)) {
    if (!in.document->doc && corpus::holds_no_legal_text(in.document->doc.error())) {
      r.outcome = SourceResult::Outcome::no_legal_text;
      r.error = in.document->doc.error().message;
    } else if (auto imported = corpus::Importer(store).record(*in.document); !imported) {
      r.error = imported.error().message;
    } else {
      registered = in.raw_registered;
      r.outcome = outcome_of(*imported);
      r.versions_new = r.outcome == SourceResult::Outcome::new_version ? 1 : 0;
    }
  }
  // The blob's catalogue row (and, for a raw source, the file) is added with the fetch log
  // entry.
  if (source.raw() && r.outcome == SourceResult::Outcome::stored) {
    out.unregistered_blob = std::move(f.body);
  } else if (!in.raw_sha.empty() && !registered) {
    out.unregistered_sha = in.raw_sha;
    out.unregistered_size = in.bytes;
  }
  if (!r.error.empty() && r.outcome != SourceResult::Outcome::no_legal_text) r.outcome = SourceResult::Outcome::failed;
  for (const Hop& hop : f.hops) {
    corpus::FetchRecord h;
    h.source_id = source.id;
    h.url = hop.url;
    h.http_status = hop.status;
    h.seconds = hop.seconds;
    h.outcome = "redirect";
    h.error = "to " + hop.location;
    out.hops.push_back(std::move(h));
  }
  corpus::FetchRecord& rec = out.fetch;
  rec.source_id = source.id;
  rec.url = f.url;
  rec.http_status = f.status;
  rec.bytes = r.bytes;
  rec.seconds = f.seconds;
  rec.etag = f.etag;
  rec.last_modified = f.last_modified;
  rec.sha256 = in.raw_sha;
  rec.outcome = std::string(to_string(r.outcome));
  rec.error = r.error;
  if (in.document) rec.parsers = corpus::kParsersRevision;
  return out;
}

Status write_fetch_log(corpus::Store& store, std::vector<Recording>& batch) {
  if (batch.empty()) return {};
  std::string why;
  const Status st = store.transaction([&]() -> Status {
    for (auto& x : batch) {
      if (x.unregistered_blob) {
        auto sha = store.put_blob(*x.unregistered_blob);
        if (!sha) {
          why = "storing the raw bytes: " + sha.error().message;
          return sha.error();
        }
        x.fetch.sha256 = *sha;
      } else if (!x.unregistered_sha.empty()) {
        if (auto st = store.register_blob(x.unregistered_sha, x.unregistered_size); !st) {
          why = "storing the raw bytes: " + st.error().message;
          return st;
        }
      }
      for (const auto& hop : x.hops)
        if (auto st = store.record_fetch(hop); !st) {
          why = "recording the fetch: " + st.error().message;
          return st;
        }
      if (auto st = store.record_fetch(x.fetch); !st) {
        why = "recording the fetch: " + st.error().message;
        return st;
      }
    }
    return {};
  });
  if (st) return {};
  if (why.empty()) why = "recording the fetch: " + st.error().message;
  for (auto& x : batch) {
    if (x.result.outcome == SourceResult::Outcome::failed) continue;
    x.result.outcome = SourceResult::Outcome::failed;
    x.result.error = why;
  }
  return Error{why};
}

}  // namespace hrtrack::crawler
