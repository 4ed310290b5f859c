#pragma once
// robots.txt (RFC 9309): groups by user-agent, Allow/Disallow with '*' and '$', the
// longest match wins and Allow wins a tie; Crawl-delay (not in the RFC, widely used).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack::crawler {

class RobotsRules {
 public:
  // The group for `product` (matched case-insensitively against each User-agent line, as
  // a prefix of the product token), else the '*' group, else no rules.
  static RobotsRules parse(std::string_view text, std::string_view product);
  static RobotsRules allow_all() { return {}; }
  // RFC 9309 2.3.1.4: when robots.txt is unreachable (5xx, network), assume disallow.
  static RobotsRules disallow_all();

  // `path` is the URL's path and query ("/eng/XML/C-38.8.xml").
  bool allowed(std::string_view path) const;
  std::optional<double> crawl_delay_seconds() const { return crawl_delay_; }

 private:
  struct Rule {
    bool allow = false;
    std::string pattern;
  };
  std::vector<Rule> rules_;
  std::optional<double> crawl_delay_;
};

}  // namespace hrtrack::crawler
