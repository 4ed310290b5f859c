#pragma once
// The crawl of the git sources (hrtrack/crawler/git_source.hpp), in two halves around the
// crawler's ingestion: GitCrawl's constructor fetches each repository once (a clone into
// <data>/git/ the first time) and lists, in date order, the files of the commits to read;
// the crawler hands each to the same ingestion as a fetched body; finish() then records,
// for each repository, the last commit whose versions all landed, so that the next crawl
// starts from there. A kill before finish() records nothing: the next crawl reads the same
// commits again, and the versions already stored are found unchanged.
// Private to the crawler.
#include <functional>
#include <memory>
#include <vector>

#include "hrtrack/corpus/store.hpp"
#include "hrtrack/crawler/crawler.hpp"
#include "ingest.hpp"

namespace hrtrack::crawler {

// One file of one commit to import.
struct GitVersion {
  const Source* source = nullptr;  // the instrument's file, as a one-document source
  std::function<Fetched()> read;   // on a parser thread; never throws
};

class GitCrawl {
 public:
  // Fetches the repositories of `sources` (not those a mirror or host-override crawl leaves
  // out), on the calling thread, one after the other, and lists what to import. The store is
  // only read here.
  GitCrawl(corpus::Store& store, const Config& config, const std::vector<GitSource>& sources);
  ~GitCrawl();
  GitCrawl(const GitCrawl&) = delete;
  GitCrawl& operator=(const GitCrawl&) = delete;

  // In the order to import them: repository after repository, each in date order.
  const std::vector<GitVersion>& versions() const;

  // `recorded`: the ingestion's results for versions(), in the same order. Records each
  // repository's crawled commit and its fetch; returns one result per repository, each
  // followed by those of its versions.
  std::vector<SourceResult> finish(std::vector<SourceResult> recorded);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hrtrack::crawler
