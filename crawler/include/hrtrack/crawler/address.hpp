#pragma once
// Where an IP address leads, for the crawler's rule on redirects: a hop may go to the public
// internet, or to an address of the same kind as the source's own (a source on 127.0.0.1 may
// redirect within loopback), never from a public source into an internal network.
#include <string_view>

namespace hrtrack::crawler {

enum class Reach {
  public_internet,
  loopback,    // 127.0.0.0/8, ::1
  private_network,  // 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier NAT), fc00::/7
  link_local,  // 169.254/16 (cloud metadata services live here), fe80::/10
  reserved,    // unspecified, multicast, broadcast, documentation and other special ranges
};
std::string_view to_string(Reach r);  // "public", "loopback", "private", "link-local", "reserved"

// An IPv4 or IPv6 address in text ("10.0.0.1", "::ffff:169.254.169.254"); an IPv4-mapped
// IPv6 address is judged as its IPv4 address. Text that is no address is `reserved`.
Reach reach_of(std::string_view ip);

// Whether a redirect from a source on `source` may connect to `hop`.
bool may_redirect(Reach source, Reach hop);

}  // namespace hrtrack::crawler
