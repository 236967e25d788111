// Every filter of a network compiled once: an SgFilter per interface and direction and a
// NaclFilter per ACL and direction. Built from a Network and rebuilt when it changes; the
// per-packet path never re-reads or re-compiles rules.
#pragma once

#include <array>
#include <vector>

#include "model/nacl_filter.h"
#include "model/network.h"
#include "model/sg_filter.h"

namespace vpcsim {

class CompiledFilters {
 public:
  explicit CompiledFilters(const Network& net);

  SgDecision sg(EniId eni, Direction d, const Packet& p) const { return sg_[eni.value][index(d)].evaluate(p); }
  NaclDecision nacl(NaclId acl, Direction d, const Packet& p) const { return nacl_[acl.value][index(d)].evaluate(p); }

  // Recompile after a change. Security groups reference each other through membership, so
  // any SG, attachment or prefix-list change recompiles every interface's filters.
  void rebuild_security_groups(const Network& net);
  void rebuild_nacl(const Network& net, NaclId acl);

 private:
  static constexpr std::size_t index(Direction d) { return d == Direction::kIngress ? 0 : 1; }
  std::vector<std::array<SgFilter, 2>> sg_;
  std::vector<std::array<NaclFilter, 2>> nacl_;
};

}  // namespace vpcsim
