#include "io/internet_users_converter.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace vpcsim::io {

namespace {

IpAddress offset(const Cidr& block, U128 n) {
  const U128 v = block.first().value() + n;
  return block.family() == Family::kIpv4 ? IpAddress::v4(static_cast<std::uint32_t>(v)) : IpAddress::v6(v);
}

// Addresses of `block` a user may have: all but the network address and, for IPv4, the
// broadcast address, as hosts on a LAN would be numbered.
U128 usable_addresses(const Cidr& block) {
  const int host_bits = address_bits(block.family()) - block.prefix();
  if (host_bits >= 64) return std::numeric_limits<std::uint64_t>::max();
  const U128 size = U128{1} << host_bits;
  const U128 reserved = block.family() == Family::kIpv4 ? 2 : 1;
  return size > reserved ? size - reserved : 0;
}

// The first address in [first, last] the scenario already gives a host or an interface's
// public IP, with whose it is.
std::optional<std::string> taken_address(const Network& net, const IpAddress& first, const IpAddress& last) {
  const auto inside = [&](const IpAddress& a) { return a.family() == first.family() && first <= a && a <= last; };
  for (const ExternalHost& h : net.external_hosts) {
    if (inside(h.address)) return fmt::format("{} is internet host {}'s address", h.address.to_string(), h.name);
  }
  for (std::size_t i = 0; i < net.enis.size(); ++i) {
    const auto& ip = net.enis[i].public_ipv4;
    if (ip && inside(*ip)) {
      return fmt::format("{} is the public IP of {}", ip->to_string(),
                         net.eni_label(EniId(static_cast<std::uint32_t>(i))));
    }
  }
  return std::nullopt;
}

// A declared name "<generator>-user-<i>" with 1 <= i <= count, if any.
std::optional<std::string> taken_name(const EndpointNames& names, const std::string& generator, std::uint32_t count) {
  const std::string prefix = generator + "-user-";
  for (const std::string& n : names.names()) {
    if (!n.starts_with(prefix)) continue;
    const std::string digits = n.substr(prefix.size());
    if (digits.empty() || digits.size() > 5 || digits.front() == '0' ||
        !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    if (const auto i = std::stoul(digits); i >= 1 && i <= count) return n;
  }
  return std::nullopt;
}

}  // namespace

std::optional<UserPool> convert_user_pool(const pb::InternetUsers& users, const std::string& path,
                                          std::size_t generator, const std::string& name,
                                          const std::vector<UserPool>& earlier, ConversionContext& ctx) {
  const std::string pool_path = path + ".address_pool";
  const std::string count_path = path + ".count";
  std::optional<Cidr> pool;
  if (users.address_pool().empty()) {
    ctx.diag.error(pool_path,
                   "address_pool is required: the block on the internet the users' addresses come from "
                   "(e.g. \"198.51.100.0/24\")");
  } else if (auto parsed = Cidr::parse(users.address_pool()); !parsed) {
    ctx.diag.error(pool_path, parsed.error());
  } else {
    pool = *parsed;
    const auto& blocks = pool->family() == Family::kIpv4 ? ctx.net.vpc.ipv4_cidrs : ctx.net.vpc.ipv6_cidrs;
    for (const Cidr& block : blocks) {
      if (ctx.vpc_blocks_valid && block.overlaps(*pool)) {
        ctx.diag.error(pool_path, fmt::format("{} overlaps the VPC's block {}; internet users' addresses are outside "
                                              "the VPC",
                                              pool->to_string(), block.to_string()));
        pool.reset();
        break;
      }
    }
  }
  const std::uint32_t count = users.count();
  bool count_ok = false;
  if (count == 0) {
    ctx.diag.error(count_path, fmt::format("count is required: how many users, 1-{}", kMaxInternetUsers));
  } else if (count > kMaxInternetUsers) {
    ctx.diag.error(count_path, fmt::format("count {} is more than one generator may have ({}): each user is a host "
                                           "the simulator keeps; split them over several generators",
                                           count, kMaxInternetUsers));
  } else {
    count_ok = true;
  }
  if (!pool || !count_ok) return std::nullopt;
  if (usable_addresses(*pool) < count) {
    ctx.diag.error(count_path,
                   fmt::format("{} has {} usable addresses, fewer than the {} users: use a larger pool",
                               pool->to_string(), static_cast<std::uint64_t>(usable_addresses(*pool)), count));
    return std::nullopt;
  }
  const IpAddress first = offset(*pool, 1);
  const IpAddress last = offset(*pool, count);
  const std::string range = fmt::format("{}-{}", first.to_string(), last.to_string());
  bool ok = true;
  if (auto taken = taken_address(ctx.net, first, last)) {
    ctx.diag.error(pool_path, fmt::format("the users would have {}, and {}: use a pool clear of it", range, *taken));
    ok = false;
  }
  for (const UserPool& other : earlier) {
    const IpAddress other_first = offset(other.pool, 1);
    const IpAddress other_last = offset(other.pool, other.count);
    if (other_first.family() == first.family() && first <= other_last && other_first <= last) {
      ctx.diag.error(pool_path, fmt::format("the users would have {}, which overlaps the users of {} ({}-{}); give "
                                            "each generator addresses of its own",
                                            range, other.field, other_first.to_string(), other_last.to_string()));
      ok = false;
    }
  }
  if (auto taken = taken_name(ctx.endpoints, name, count)) {
    const EndpointNames::Entry* entry = ctx.endpoints.find(*taken);
    ctx.diag.error(path, fmt::format("its users are named {}-user-1 to {}-user-{}, and '{}' is already the name of {} "
                                     "{}: rename the generator or the {}",
                                     name, name, count, *taken, entry->kind, entry->path, entry->kind));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return UserPool{generator, name, *pool, count, path};
}

void add_internet_users(const std::vector<UserPool>& pools, std::vector<GeneratorSpec>& generators, Network& net) {
  for (const UserPool& p : pools) {
    GeneratorSpec& spec = generators.at(p.generator);
    spec.clients.reserve(p.count);
    for (std::uint32_t i = 1; i <= p.count; ++i) {
      spec.clients.emplace_back(ExternalHostId(static_cast<std::uint32_t>(net.external_hosts.size())));
      net.external_hosts.push_back(ExternalHost{fmt::format("{}-user-{}", p.name, i), offset(p.pool, i),
                                                fmt::format("internet user {} of generator {}", i, p.name)});
    }
  }
}

}  // namespace vpcsim::io
