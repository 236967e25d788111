#include "model/network.h"

#include <algorithm>

namespace vpcsim {

namespace {

template <class IdT, class Vec, class Key>
std::optional<IdT> find_by(const Vec& items, Key key, std::string_view wanted) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].*key == wanted) return IdT(static_cast<std::uint32_t>(i));
  }
  return std::nullopt;
}

}  // namespace

bool Eni::has_private_address(const IpAddress& a) const {
  return std::ranges::find(private_ipv4, a) != private_ipv4.end() || std::ranges::find(ipv6, a) != ipv6.end();
}

std::optional<SubnetId> Network::find_subnet(std::string_view id) const { return find_by<SubnetId>(subnets, &Subnet::id, id); }
std::optional<SgId> Network::find_sg(std::string_view id) const { return find_by<SgId>(security_groups, &SecurityGroup::id, id); }
std::optional<NaclId> Network::find_nacl(std::string_view id) const { return find_by<NaclId>(network_acls, &NetworkAcl::id, id); }
std::optional<EniId> Network::find_eni(std::string_view id) const { return find_by<EniId>(enis, &Eni::id, id); }
std::optional<InstanceId> Network::find_instance(std::string_view name) const {
  return find_by<InstanceId>(instances, &Instance::name, name);
}
std::optional<ExternalHostId> Network::find_external_host(std::string_view name) const {
  return find_by<ExternalHostId>(external_hosts, &ExternalHost::name, name);
}
std::optional<PrefixListId> Network::find_prefix_list(std::string_view id) const {
  return find_by<PrefixListId>(prefix_lists, &PrefixList::id, id);
}

std::optional<EniId> Network::find_eni_by_private_address(const IpAddress& a) const {
  for (std::size_t i = 0; i < enis.size(); ++i) {
    if (enis[i].has_private_address(a)) return EniId(static_cast<std::uint32_t>(i));
  }
  return std::nullopt;
}

std::vector<EniId> Network::members_of(SgId sg) const {
  std::vector<EniId> out;
  for (std::size_t i = 0; i < enis.size(); ++i) {
    if (std::ranges::find(enis[i].groups, sg) != enis[i].groups.end()) out.emplace_back(static_cast<std::uint32_t>(i));
  }
  return out;
}

std::string Network::eni_label(EniId id) const {
  const Eni& e = eni(id);
  if (e.instance.value < instances.size()) return instance(e.instance).name + " (" + e.id + ")";
  return e.id;
}

}  // namespace vpcsim
