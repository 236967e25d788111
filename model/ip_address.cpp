#include "model/ip_address.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>

namespace vpcsim {

std::string_view to_string(Family f) { return f == Family::kIpv4 ? "IPv4" : "IPv6"; }

namespace {

std::expected<IpAddress, std::string> parse_v4(std::string_view text) {
  std::uint32_t value = 0;
  std::string_view rest = text;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (rest.empty() || rest.front() != '.') break;
      rest.remove_prefix(1);
    }
    if (rest.empty() || rest.front() < '0' || rest.front() > '9') {
      return std::unexpected("'" + std::string(text) + "' is not an IPv4 address: expected four numbers 0-255 separated by dots");
    }
    unsigned part = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), part);
    std::size_t digits = static_cast<std::size_t>(end - rest.data());
    if (ec != std::errc{} || part > 255) {
      return std::unexpected("'" + std::string(text) + "': octet " + std::to_string(octet + 1) + " ('" +
                             std::string(rest.substr(0, digits)) + "') is out of range 0-255");
    }
    if (digits > 1 && rest.front() == '0') {
      return std::unexpected("'" + std::string(text) + "': octet " + std::to_string(octet + 1) +
                             " has a leading zero, which is ambiguous (octal?); write it without");
    }
    rest.remove_prefix(digits);
    value = (value << 8) | part;
    if (octet == 3) {
      if (!rest.empty()) break;
      return IpAddress::v4(value);
    }
  }
  return std::unexpected("'" + std::string(text) + "' is not an IPv4 address: expected four numbers 0-255 separated by dots");
}

std::expected<IpAddress, std::string> parse_v6(std::string_view text) {
  std::string copy(text);  // inet_pton needs a NUL-terminated string
  std::array<unsigned char, 16> bytes{};
  if (copy.find('%') != std::string::npos || inet_pton(AF_INET6, copy.c_str(), bytes.data()) != 1) {
    return std::unexpected("'" + copy + "' is not an IPv6 address (expected e.g. 2001:db8::1)");
  }
  U128 value = 0;
  for (unsigned char b : bytes) value = (value << 8) | b;
  return IpAddress::v6(value);
}

}  // namespace

std::expected<IpAddress, std::string> IpAddress::parse(std::string_view text) {
  if (text.empty()) return std::unexpected(std::string("empty address"));
  if (text.find(':') != std::string_view::npos) return parse_v6(text);
  return parse_v4(text);
}

std::string IpAddress::to_string() const {
  if (is_v4()) {
    auto v = static_cast<std::uint32_t>(value_);
    return std::to_string(v >> 24) + '.' + std::to_string((v >> 16) & 0xff) + '.' + std::to_string((v >> 8) & 0xff) +
           '.' + std::to_string(v & 0xff);
  }
  // RFC 5952: lowercase hex without leading zeros, the longest run (first on a tie) of two
  // or more zero groups as "::". Written out rather than inet_ntop, whose output for
  // IPv4-compatible addresses ("::10.0.0.1") differs between C libraries.
  if ((value_ >> 32) == 0xffff) {  // IPv4-mapped: RFC 5952 section 5 keeps the dotted quad
    return "::ffff:" + IpAddress::v4(static_cast<std::uint32_t>(value_)).to_string();
  }
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) groups[i] = static_cast<unsigned>((value_ >> (16 * (7 - i))) & 0xffff);
  std::size_t best_start = 8, best_len = 0;
  for (std::size_t i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best_start = 8;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned nibble = (groups[i] >> shift) & 0xf;
      if (nibble != 0 || started || shift == 0) {
        out += kHex[nibble];
        started = true;
      }
    }
  }
  return out;
}

}  // namespace vpcsim
