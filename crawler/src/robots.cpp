#include "hrtrack/crawler/robots.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "ascii.hpp"

namespace hrtrack::crawler {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// '*' matches any run of characters, a final '$' anchors the end; otherwise a prefix match.
bool matches(std::string_view pattern, std::string_view path) {
  const bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  std::size_t p = 0, s = 0, star = std::string_view::npos, mark = 0;
  while (s < path.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = s;
    } else if (p < pattern.size() && pattern[p] == path[s]) {
      ++p, ++s;
    } else if (p == pattern.size() && !anchored) {
      return true;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

struct Line {
  std::string key;
  std::string value;
};

std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> out;
  while (!text.empty()) {
    const auto nl = text.find_first_of("\r\n");
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    out.push_back({lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  }
  return out;
}

}  // namespace

RobotsRules RobotsRules::disallow_all() {
  RobotsRules r;
  r.rules_.push_back({false, "/"});
  return r;
}

RobotsRules RobotsRules::parse(std::string_view text, std::string_view product) {
  const std::string me = lower(product);
  // A group is a run of user-agent lines followed by rules; rules of every group naming
  // us are merged (RFC 9309 2.2.1), and '*' is used only when no group names us.
  RobotsRules mine, star;
  bool named_us = false, in_agents = false, group_mine = false, group_star = false;
  for (const auto& l : lines_of(text)) {
    if (l.key == "user-agent") {
      if (!in_agents) group_mine = group_star = false;
      in_agents = true;
      const std::string agent = lower(l.value);
      if (agent == "*") group_star = true;
      else if (!agent.empty() && me.rfind(agent, 0) == 0) group_mine = named_us = true;
      continue;
    }
    in_agents = false;
    auto add = [&](RobotsRules& r) {
      if (l.key == "allow" || l.key == "disallow") {
        if (!l.value.empty()) r.rules_.push_back({l.key == "allow", l.value});
      } else if (l.key == "crawl-delay") {
        char* end = nullptr;
        const double d = std::strtod(l.value.c_str(), &end);
        if (end != l.value.c_str() && d >= 0) r.crawl_delay_ = d;
      }
    };
    if (group_mine) add(mine);
    if (group_star) add(star);
  }
  return named_us ? mine : star;
}

bool RobotsRules::allowed(std::string_view path) const {
  if (path == "/robots.txt") return true;
  const Rule* best = nullptr;
  for (const auto& r : rules_) {
    if (!matches(r.pattern, path)) continue;
    if (!best || r.pattern.size() > best->pattern.size() ||
        (r.pattern.size() == best->pattern.size() && r.allow))
      best = &r;
  }
  return !best || best->allow;
}

}  // namespace hrtrack::crawler
