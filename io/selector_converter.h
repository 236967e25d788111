// The endpoints a generator's selectors choose: instances by role, interfaces by security
// group or subnet, one endpoint by name, or every internet host the scenario declares (of the
// generator's address family).
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/conversion_context.h"
#include "model/endpoint.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

struct SelectorRules {
  // Every selected endpoint needs an address of this family; not checked when absent (the
  // family could not be told, which has been reported).
  std::optional<Family> family = Family::kIpv4;
  // When not empty, internet hosts may not be selected, and this says why ("a scanner
  // probes the VPC's interfaces").
  std::string_view vpc_only;
  // The generator whose selectors these are ("g"), named in the errors.
  std::string_view generator;
  // How to make the generator's traffic IPv6, for an IPv4 generator that selects IPv6-only
  // interfaces ("set ipv6: true").
  std::string_view to_ipv6;
};

// The endpoints `selectors` (the repeated field at `path`) choose, in the order first chosen,
// without repeats; nullopt after reporting a selector that is wrong or selects nothing, or an
// endpoint the rules exclude. Groups and subnets select by the network as the scenario
// declares it, before any timed change. Needs instances and internet hosts converted.
std::optional<std::vector<Endpoint>> convert_selectors(
    const google::protobuf::RepeatedPtrField<pb::Selector>& selectors, const std::string& path,
    const SelectorRules& rules, ConversionContext& ctx);

// Checks endpoints chosen another way (a default) against `rules`, reporting at `path`.
bool check_selected(const std::vector<Endpoint>& endpoints, const std::string& path, const SelectorRules& rules,
                    ConversionContext& ctx);

}  // namespace vpcsim::io
