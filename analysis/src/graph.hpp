#pragma once
// The citation graph of the law in force: one vertex per section (all languages share it),
// one typed edge per resolved citation. The kind of an edge comes from what the citing
// sentence does (a diversion, an exception, an exemption power, a penalty, an amendment),
// so a qualifier can be carried to the offence or duty it modifies.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "reading.hpp"

namespace hrtrack::analysis {

struct GraphEdge {
  std::string from, to, kind;
  std::size_t sentence_begin = 0;  // the citing sentence in the source section's text
  std::string language;
};

class CitationGraph {
 public:
  CitationGraph(const std::vector<const VersionReading*>& versions, const Convention::Rules& rules);

  // Edges leaving `address` from the sentence starting at `sentence_begin` (any sentence
  // of the section when none of its edges were placed in a sentence), of the given kinds.
  std::vector<GraphEdge> out_edges(const std::string& address, const std::string& language,
                                   std::size_t sentence_begin, const std::vector<std::string>& kinds) const;
  // The sections `address` cites (first: true) and those citing it (first: false), each once.
  std::vector<std::pair<bool, std::string>> neighbours(const std::string& address) const;
  std::size_t edge_count() const { return boost::num_edges(graph_); }

 private:
  struct Vertex {
    std::string address;
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Vertex, GraphEdge>;
  std::size_t vertex(const std::string& address);

  Graph graph_;
  std::map<std::string, std::size_t> index_;
};

}  // namespace hrtrack::analysis
