#include "hrtrack/crawler/address.hpp"

#include <arpa/inet.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace hrtrack::crawler {
namespace {

bool in(std::uint32_t a, std::uint32_t net, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

constexpr std::uint32_t v4(int a, int b, int c, int d) {
  return static_cast<std::uint32_t>(a) << 24 | static_cast<std::uint32_t>(b) << 16 |
         static_cast<std::uint32_t>(c) << 8 | static_cast<std::uint32_t>(d);
}

Reach reach_v4(std::uint32_t a) {
  if (in(a, v4(127, 0, 0, 0), 8)) return Reach::loopback;
  if (in(a, v4(10, 0, 0, 0), 8) || in(a, v4(172, 16, 0, 0), 12) || in(a, v4(192, 168, 0, 0), 16) ||
      in(a, v4(100, 64, 0, 0), 10))
    return Reach::private_network;
  if (in(a, v4(169, 254, 0, 0), 16)) return Reach::link_local;
  if (in(a, v4(0, 0, 0, 0), 8) || in(a, v4(192, 0, 0, 0), 24) || in(a, v4(192, 0, 2, 0), 24) ||
      in(a, v4(198, 18, 0, 0), 15) || in(a, v4(198, 51, 100, 0), 24) || in(a, v4(203, 0, 113, 0), 24) ||
      in(a, v4(224, 0, 0, 0), 4) || in(a, v4(240, 0, 0, 0), 4))
    return Reach::reserved;
  return Reach::public_internet;
}

}  // namespace

std::string_view to_string(Reach r) {
  switch (r) {
    case Reach::public_internet: return "public";
    case Reach::loopback: return "loopback";
    case Reach::private_network: return "private";
    case Reach::link_local: return "link-local";
    case Reach::reserved: break;
  }
  return "reserved";
}

Reach reach_of(std::string_view ip) {
  std::string text(ip);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (const auto zone = text.find('%'); zone != std::string::npos) text.resize(zone);  // fe80::1%eth0
  in_addr a4{};
  if (inet_pton(AF_INET, text.c_str(), &a4) == 1) return reach_v4(ntohl(a4.s_addr));
  in6_addr a6{};
  if (inet_pton(AF_INET6, text.c_str(), &a6) != 1) return Reach::reserved;
  const unsigned char* b = a6.s6_addr;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  static constexpr unsigned char kZero[16] = {};
  if (std::memcmp(b, kMapped, 12) == 0) return reach_v4(v4(b[12], b[13], b[14], b[15]));
  if (std::memcmp(b, kZero, 15) == 0) return b[15] == 1 ? Reach::loopback : Reach::reserved;  // ::1, ::
  if ((b[0] & 0xFE) == 0xFC) return Reach::private_network;              // fc00::/7
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return Reach::link_local;   // fe80::/10
  if (b[0] == 0xFF) return Reach::reserved;                              // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return Reach::reserved;  // 2001:db8::/32
  if (std::memcmp(b, kZero, 12) == 0) return reach_v4(v4(b[12], b[13], b[14], b[15]));  // ::a.b.c.d (deprecated)
  return Reach::public_internet;
}

bool may_redirect(Reach source, Reach hop) {
  if (hop == Reach::public_internet) return true;
  return hop != Reach::reserved && hop == source;
}

}  // namespace hrtrack::crawler
