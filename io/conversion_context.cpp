#include "io/conversion_context.h"

namespace vpcsim::io {

void EndpointNames::add(const std::string& name, Entry entry, const std::string& field, Diagnostics& diag) {
  if (name.empty()) return;
  const auto it = by_name_.find(name);
  if (it != by_name_.end()) {
    diag.error(field, "'" + name + "' is already the name of " + it->second.kind + " " + it->second.path +
                          "; flows refer to instances, interfaces and internet hosts by name, so their names "
                          "must be distinct: rename one");
    return;
  }
  by_name_.emplace(name, std::move(entry));
  order_.push_back(name);
}

const EndpointNames::Entry* EndpointNames::find(std::string_view name) const {
  const auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : &it->second;
}

const Cidr* vpc_block_containing(const Vpc& vpc, const IpAddress& a) {
  for (const auto* blocks : {&vpc.ipv4_cidrs, &vpc.ipv6_cidrs}) {
    for (const Cidr& c : *blocks) {
      if (c.contains(a)) return &c;
    }
  }
  return nullptr;
}

std::string cidr_list(const std::vector<Cidr>& cidrs) {
  if (cidrs.empty()) return "none";
  std::string out;
  for (const Cidr& c : cidrs) {
    if (!out.empty()) out += ", ";
    out += c.to_string();
  }
  return out;
}

}  // namespace vpcsim::io
