#include "graph.hpp"

#include <algorithm>

namespace hrtrack::analysis {
namespace {

// The sentence (among those read) that contains byte `offset`; nullptr when none does.
const SentenceReading* sentence_at(const SectionReading& s, std::size_t offset) {
  for (const auto& sentence : s.sentences)
    if (offset >= sentence.begin && offset < sentence.end) return &sentence;
  return nullptr;
}

std::string edge_kind(const SentenceReading* s, const Convention::Rules& rules) {
  if (!s) return "reference";
  for (const auto& e : rules.edges)
    if (s->has(e.signal)) return e.kind;
  return "reference";
}

}  // namespace

CitationGraph::CitationGraph(const std::vector<const VersionReading*>& versions,
                             const Convention::Rules& rules) {
  for (const auto* v : versions)
    for (const auto& section : v->sections) vertex(section.address);
  for (const auto* v : versions) {
    for (const auto& section : v->sections) {
      for (const auto& [target, offset] : section.cites) {
        const auto it = index_.find(target);
        if (it == index_.end() || target == section.address) continue;
        const SentenceReading* s = offset == std::string::npos ? nullptr : sentence_at(section, offset);
        GraphEdge e{section.address, target, edge_kind(s, rules), s ? s->begin : std::string::npos,
                    v->language};
        boost::add_edge(vertex(section.address), it->second, e, graph_);
      }
    }
  }
}

std::size_t CitationGraph::vertex(const std::string& address) {
  const auto it = index_.find(address);
  if (it != index_.end()) return it->second;
  const auto v = boost::add_vertex(Vertex{address}, graph_);
  index_.emplace(address, v);
  return v;
}

std::vector<GraphEdge> CitationGraph::out_edges(const std::string& address, const std::string& language,
                                                std::size_t sentence_begin,
                                                const std::vector<std::string>& kinds) const {
  std::vector<GraphEdge> out;
  const auto it = index_.find(address);
  if (it == index_.end()) return out;
  for (auto [e, end] = boost::out_edges(it->second, graph_); e != end; ++e) {
    const GraphEdge& edge = graph_[*e];
    const bool placed = edge.language == language &&
                        (edge.sentence_begin == sentence_begin || edge.sentence_begin == std::string::npos);
    if (placed && std::find(kinds.begin(), kinds.end(), edge.kind) != kinds.end()) out.push_back(edge);
  }
  return out;
}

std::vector<std::pair<bool, std::string>> CitationGraph::neighbours(const std::string& address) const {
  std::vector<std::pair<bool, std::string>> out;
  const auto it = index_.find(address);
  if (it == index_.end()) return out;
  const auto add = [&](bool cites, const std::string& other) {
    const std::pair<bool, std::string> n{cites, other};
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  };
  for (auto [e, end] = boost::out_edges(it->second, graph_); e != end; ++e) add(true, graph_[*e].to);
  for (auto [e, end] = boost::in_edges(it->second, graph_); e != end; ++e) add(false, graph_[*e].from);
  return out;
}

}  // namespace hrtrack::analysis
