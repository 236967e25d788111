// The engine benchmark's workload: a deterministic 100-instance scenario built in code, whose
// generators produce a fixed number of flows lazily (bench/README.md, "vpcsim_engine_bench").
// The same shape gives the same scenario, flows and results on every run and machine: the
// network is written out by hand, the few random choices (internet addresses, allow-list
// CIDRs) come from splitmix64, and the flows from the engine's own generators.
#pragma once

#include <cstdint>

#include "model/scenario.h"

namespace vpcsim::bench {

struct EngineWorkloadShape {
  std::uint64_t flows = 1'000'000;  // across all generators (their flow_limits add up to it)
  double flows_per_second = 5'000;  // all generators together: the run lasts flows / rate seconds
  double mean_duration_s = 2.0;     // exponential session durations (ssh sessions last longer)
  std::uint64_t seed = 1;
  // Every interface's TcpEstablishedTimeout in seconds (60-432000); 0 leaves AWS's default of
  // 432000 s (5 days). Nitro v6 instance types default to 350 s.
  std::int64_t tcp_established_s = 0;
};

// One VPC (10.0.0.0/16) with an internet gateway and four subnets: public-a and public-b
// (route to the gateway) and app and data, each pair with its hand-written ACL. 100 instances with one
// interface each: 28 web servers with public IPv4 addresses, 40 app servers, 4 batch workers,
// 2 monitoring hosts, 16 databases, 8 caches and 2 bastions, each with its role's groups
// (group references between tiers, a shared management group, partner and office allow lists,
// the VPC's default group on some). 96 internet hosts: users, partners, SaaS APIs, scanners.
// Ten session generators (TCP and UDP, IPv4, Poisson arrivals) from users to the web tier,
// web to app, app to databases, caches and APIs, monitoring scrapes, metrics over UDP, ssh
// from the bastions and stray internet traffic that the filters mostly drop.
Scenario make_engine_scenario(const EngineWorkloadShape& shape = {});

}  // namespace vpcsim::bench
