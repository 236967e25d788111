// The state shared by the steps of a scenario conversion: the network being built, the
// diagnostics, and the indexes that resolve the names a scenario uses for its objects.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/diagnostics.h"
#include "io/scenario_converter.h"
#include "model/endpoint.h"
#include "model/ids.h"
#include "model/network.h"
#include "model/sim_time.h"

namespace vpcsim::io {

// Names (ids) of one kind of object, in declaration order, each with where it was declared.
template <class IdT>
class NameIndex {
 public:
  explicit NameIndex(std::string kind) : kind_(std::move(kind)) {}

  // Records `name`, declared at `path`. An empty name (reported by the caller as missing)
  // and a duplicate (reported here) are not recorded; returns whether it was.
  bool add(const std::string& name, IdT id, const std::string& path, Diagnostics& diag) {
    if (name.empty()) return false;
    auto [it, inserted] = by_name_.try_emplace(name, Entry{id, path});
    if (!inserted) {
      diag.error(path, "duplicate " + kind_ + " '" + name + "': already declared at " + it->second.path +
                           "; give each " + kind_ + " its own name");
      return false;
    }
    order_.push_back(name);
    return true;
  }

  std::optional<IdT> find(std::string_view name) const {
    const auto it = by_name_.find(std::string(name));
    if (it == by_name_.end()) return std::nullopt;
    return it->second.id;
  }

  // The id `name` refers to at `path`, or an error listing the declared names.
  std::optional<IdT> resolve(const std::string& name, const std::string& path, Diagnostics& diag) const {
    if (auto id = find(name)) return id;
    diag.error(path, "no " + kind_ + " is named '" + name + "' (" + known_names(order_) + ")");
    return std::nullopt;
  }

  const std::vector<std::string>& names() const { return order_; }

 private:
  struct Entry {
    IdT id;
    std::string path;
  };
  std::string kind_;  // "security group", for messages
  std::unordered_map<std::string, Entry> by_name_;
  std::vector<std::string> order_;
};

// The names flows use for their ends. Instance names, interface ids and internet host names
// share one namespace, so that "from: web" means one thing.
class EndpointNames {
 public:
  struct Entry {
    std::optional<Endpoint> endpoint;  // absent for an instance without interfaces (already reported)
    std::string kind;                  // "instance", "interface", "internet host"
    std::string path;                  // of the object
  };

  // Records `name`, written at `field`; reports a clash with a name of another kind
  // declared earlier.
  void add(const std::string& name, Entry entry, const std::string& field, Diagnostics& diag);
  const Entry* find(std::string_view name) const;
  const std::vector<std::string>& names() const { return order_; }

 private:
  std::unordered_map<std::string, Entry> by_name_;
  std::vector<std::string> order_;
};

struct ConversionContext {
  ConversionContext(Network& n, Diagnostics& d, const ConversionOptions& o) : net(n), diag(d), options(o) {}

  Network& net;
  Diagnostics& diag;
  const ConversionOptions& options;

  NameIndex<PrefixListId> prefix_lists{"prefix list"};
  NameIndex<SgId> sgs{"security group"};
  NameIndex<NaclId> nacls{"network ACL"};
  NameIndex<SubnetId> subnets{"subnet"};
  NameIndex<InstanceId> instances{"instance"};
  NameIndex<EniId> enis{"interface"};
  NameIndex<ExternalHostId> hosts{"internet host"};
  EndpointNames endpoints;
  // False when a VPC block is missing or wrong: "outside the VPC" checks would only add noise.
  bool vpc_blocks_valid = true;
  // The scenario's horizon (0: none), converted first: flows, generators and changes that
  // would start after it are reported.
  SimTime horizon{0};
};

// The VPC's IPv4 or IPv6 block that contains `a`, if any.
const Cidr* vpc_block_containing(const Vpc& vpc, const IpAddress& a);
// "10.0.0.0/16, 10.1.0.0/16", or "none" when the list is empty.
std::string cidr_list(const std::vector<Cidr>& cidrs);

}  // namespace vpcsim::io
