#include "model/compiled_filters.h"

namespace vpcsim {

CompiledFilters::CompiledFilters(const Network& net) {
  rebuild_security_groups(net);
  nacl_.resize(net.network_acls.size());
  for (std::uint32_t i = 0; i < net.network_acls.size(); ++i) rebuild_nacl(net, NaclId(i));
}

void CompiledFilters::rebuild_security_groups(const Network& net) {
  sg_.clear();
  sg_.reserve(net.enis.size());
  for (std::uint32_t i = 0; i < net.enis.size(); ++i) {
    sg_.push_back({SgFilter(net, EniId(i), Direction::kIngress), SgFilter(net, EniId(i), Direction::kEgress)});
  }
}

void CompiledFilters::rebuild_nacl(const Network& net, NaclId acl) {
  if (nacl_.size() < net.network_acls.size()) nacl_.resize(net.network_acls.size());
  const NetworkAcl& a = net.nacl(acl);
  nacl_[acl.value] = {NaclFilter(a, acl, Direction::kIngress), NaclFilter(a, acl, Direction::kEgress)};
}

}  // namespace vpcsim
