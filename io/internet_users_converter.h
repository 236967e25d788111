// The hosts of an internet_users generator: `count` internet hosts with consecutive addresses
// from a pool outside the VPC, named after the generator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/conversion_context.h"
#include "model/traffic_spec.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

// The most users one generator may have: each is a host the network keeps.
inline constexpr std::uint32_t kMaxInternetUsers = 65536;

struct UserPool {
  std::size_t generator = 0;  // index in Scenario::generators
  std::string name;           // the generator's: users are "<name>-user-1", "<name>-user-2", ...
  Cidr pool;
  std::uint32_t count = 0;  // users get pool.first() + 1 ... pool.first() + count
  std::string field;        // "generators[2].internet_users", for messages
};

// The pool of the internet_users at `path` (of generator `generator`, named `name`), checked:
// a block outside the VPC with `count` usable addresses, none of them an address the scenario
// already uses or another generator's user has, and no user name taken by an instance, an
// interface or an internet host. nullopt after reporting what is wrong.
std::optional<UserPool> convert_user_pool(const pb::InternetUsers& users, const std::string& path,
                                          std::size_t generator, const std::string& name,
                                          const std::vector<UserPool>& earlier, ConversionContext& ctx);

// Creates the hosts of every pool in the network and makes them their generator's clients.
void add_internet_users(const std::vector<UserPool>& pools, std::vector<GeneratorSpec>& generators, Network& net);

}  // namespace vpcsim::io
