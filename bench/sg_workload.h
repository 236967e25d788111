// The benchmark workload: a deterministic, realistic network and a pool of packets generated
// in advance, so the timed loops measure evaluation only. The same seed gives the same
// network and packets on every run and machine (std::mt19937 and integer arithmetic only;
// no std::*_distribution, whose output differs between standard libraries).
#pragma once

#include <cstdint>
#include <vector>

#include "model/network.h"
#include "model/packet.h"

namespace vpcsim::bench {

struct SgWorkload {
  Network net;
  EniId eni;    // the interface under test: 5 groups x 60 ingress and 60 egress rules
  NaclId nacl;  // its subnet's ACL: 20 entries per direction (the AWS default quota)
  // Inbound packets addressed to `eni`: 40% built to match one of its ingress rules, the rest
  // background traffic (mostly from the internet) of which some matches by chance; about half
  // of the pool is allowed.
  std::vector<Packet> packets;
};

struct WorkloadShape {
  std::uint32_t seed = 20240611;
  int enis = 50;
  int groups_on_eni = 5;
  int rules_per_group = 60;  // per direction
  int packets = 4096;        // a power of two: the benchmarks cycle through it with a mask
};

SgWorkload make_sg_workload(const WorkloadShape& shape = {});

}  // namespace vpcsim::bench
