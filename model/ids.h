// Strong index types for the objects a Network owns. An id is a position in the owning
// Network's vector; it is only meaningful together with that Network.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace vpcsim {

template <class Tag>
struct Id {
  std::uint32_t value = 0;

  constexpr Id() = default;
  constexpr explicit Id(std::uint32_t v) : value(v) {}
  friend constexpr auto operator<=>(Id, Id) = default;
};

using VpcId = Id<struct VpcTag>;
using SubnetId = Id<struct SubnetTag>;
using SgId = Id<struct SgTag>;
using NaclId = Id<struct NaclTag>;
using EniId = Id<struct EniTag>;
using InstanceId = Id<struct InstanceTag>;
using ExternalHostId = Id<struct ExternalHostTag>;
using PrefixListId = Id<struct PrefixListTag>;

}  // namespace vpcsim

template <class Tag>
struct std::hash<vpcsim::Id<Tag>> {
  std::size_t operator()(vpcsim::Id<Tag> id) const noexcept { return std::hash<std::uint32_t>{}(id.value); }
};
