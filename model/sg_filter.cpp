#include "model/sg_filter.h"

#include <algorithm>

namespace vpcsim {

bool peer_covers(const Network& net, const Peer& peer, const IpAddress& address) {
  if (const auto* cidr = std::get_if<Cidr>(&peer)) return cidr->contains(address);
  if (const auto* pl = std::get_if<PrefixListId>(&peer)) {
    if (pl->value >= net.prefix_lists.size()) return false;
    return std::ranges::any_of(net.prefix_list(*pl).entries, [&](const Cidr& c) { return c.contains(address); });
  }
  const SgId sg = std::get<SgId>(peer);
  return std::ranges::any_of(net.members_of(sg), [&](EniId e) { return net.eni(e).has_private_address(address); });
}

SgDecision evaluate_sg_linear(const Network& net, EniId eni, Direction d, const Packet& p) {
  const IpAddress& peer = peer_address(p, d);
  for (const SgId sg : net.eni(eni).groups) {
    const auto& rules = net.sg(sg).rules(d);
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (rules[i].traffic.matches(p) && peer_covers(net, rules[i].peer, peer)) {
        return {true, SgRuleRef{sg, d, static_cast<std::uint32_t>(i)}};
      }
    }
  }
  return {false, std::nullopt};
}

std::vector<ClassifierRule> expand_sg_rules(const Network& net, EniId eni, Direction d, std::vector<SgRuleRef>& refs) {
  std::vector<ClassifierRule> out;
  refs.clear();
  for (const SgId sg : net.eni(eni).groups) {
    const auto& rules = net.sg(sg).rules(d);
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const auto index = static_cast<std::uint32_t>(refs.size());
      refs.push_back({sg, d, static_cast<std::uint32_t>(i)});
      const SgRule& r = rules[i];
      if (const auto* cidr = std::get_if<Cidr>(&r.peer)) {
        out.push_back(to_classifier_rule(r.traffic, *cidr, index));
      } else if (const auto* pl = std::get_if<PrefixListId>(&r.peer)) {
        if (pl->value >= net.prefix_lists.size()) continue;
        for (const Cidr& c : net.prefix_list(*pl).entries) out.push_back(to_classifier_rule(r.traffic, c, index));
      } else {
        for (const EniId member : net.members_of(std::get<SgId>(r.peer))) {
          const Eni& m = net.eni(member);
          for (const IpAddress& a : m.private_ipv4) out.push_back(to_classifier_rule(r.traffic, Cidr::host(a), index));
          for (const IpAddress& a : m.ipv6) out.push_back(to_classifier_rule(r.traffic, Cidr::host(a), index));
        }
      }
    }
  }
  return out;
}

SgFilter::SgFilter(const Network& net, EniId eni, Direction d) : direction_(d) {
  const auto rules = expand_sg_rules(net, eni, d, refs_);
  classifier_ = CompiledClassifier(rules);
}

SgDecision SgFilter::evaluate(const Packet& p) const {
  const IpAddress& peer = peer_address(p, direction_);
  const auto hit = classifier_.classify(p.family(), p.protocol, p.match_key(), peer.value());
  if (!hit) return {false, std::nullopt};
  return {true, refs_[*hit]};
}

namespace {

bool is_all_addresses(const Peer& peer, Family f) {
  const auto* cidr = std::get_if<Cidr>(&peer);
  return cidr && cidr->family() == f && cidr->is_all();
}

}  // namespace

bool flow_is_untracked(const Network& net, EniId eni, Direction initiated, const Packet& request) {
  if (!request.has_ports()) return false;
  const Family f = request.family();
  bool open_initiating = false;
  bool open_return = false;
  for (const SgId sg : net.eni(eni).groups) {
    for (const SgRule& r : net.sg(sg).rules(initiated)) {
      open_initiating |= is_all_addresses(r.peer, f) && r.traffic.matches(request);
    }
    for (const SgRule& r : net.sg(sg).rules(opposite(initiated))) {
      const bool covers_protocol = r.traffic.protocol.is_all() || r.traffic.protocol.value() == request.protocol;
      open_return |= is_all_addresses(r.peer, f) && covers_protocol && r.traffic.selects_all_keys();
    }
  }
  return open_initiating && open_return;
}

}  // namespace vpcsim
