// Which rules carried traffic and which never matched: packets (and bytes) per security-group
// rule and network-ACL entry whose hop verdict that rule decided, plus each ACL's final "*"
// deny and each interface's "no rule matched", per direction. Every rule of the network is
// listed, those without a hit included. Memory grows with the number of rules, never with the
// number of flows.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/network.h"
#include "sim/observer.h"

namespace vpcsim {

struct RuleHit {
  enum class Kind : std::uint8_t {
    kSgRule,            // a rule of a security group
    kSgNoRuleMatched,   // no rule of an interface's groups allowed the packet (group: the interface)
    kNaclEntry,         // a numbered entry of a network ACL
    kNaclImplicitDeny,  // the final "*" entry of a network ACL
  };
  Kind kind = Kind::kSgRule;
  std::string group;  // the security group's id, the ACL's id, or the interface's id
  Direction direction = Direction::kIngress;
  // NACL entries: the rule number. SG rules: the 1-based position in the group's list (as the
  // console numbers them) when last seen. 0 for the other kinds.
  int rule_number = 0;
  std::string rule_id;  // SG rules: "sgr-..." when the rule has an id
  std::string rule;     // "sg-web ingress #1: tcp 22 from 203.0.113.0/24", as traces name it
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  bool removed = false;  // a timed change removed (or replaced) the rule during the run

  bool is_rule() const { return kind == Kind::kSgRule || kind == Kind::kNaclEntry; }
};
std::string_view to_string(RuleHit::Kind k);  // "sg-rule", "sg-no-rule-matched", "nacl-entry", "nacl-implicit-deny"

class RuleHitCollector : public Observer {
 public:
  // `net` is the network the engine evaluates packets against, the one its timed changes edit:
  // HopResult refers to rules by position in it. It must outlive the collector.
  explicit RuleHitCollector(const Network& net);

  void on_packet(const PacketRecord& r) override;
  // Re-reads the rule lists after each kRuleChange. The engine reports a change after applying
  // it and before evaluating the next packet, so positions in later traces match what was read.
  void on_state(const StateRecord& s) override;

  // Re-reads the network's rule lists now. A rule keeps its counts for as long as its identity
  // stays (SG: group, direction, traffic and peer, which AWS keeps unique; NACL: ACL,
  // direction, number, action, traffic and CIDR, so a replaced entry is a new rule). Rules added
  // since are listed with the others; rules gone are kept with `removed` set.
  void sync();

  // Every rule, deterministic: security-group rules (group order, ingress then egress, list
  // order, rules added during the run after those of the start), then each interface's "no
  // rule matched" (interface order, ingress then egress), then ACL entries (ACL order, ingress
  // then egress, by number, each direction ending with its "*" entry).
  std::vector<RuleHit> hits() const;
  // The rules (kSgRule, kNaclEntry) that no packet matched, in the same order.
  std::vector<RuleHit> never_matched() const;

 private:
  // Sort key of a row: section, object index, direction, NACL number, first-seen sequence.
  using Order = std::array<std::uint32_t, 5>;
  struct Row {
    RuleHit hit;
    Order order;
  };
  using Rows = std::vector<std::uint32_t>;  // position in a rule list -> row

  std::uint32_t row_for(std::string key, Order order, RuleHit::Kind kind);
  bool count(const HopResult& h, const PacketRecord& r);
  void add(std::uint32_t row, const PacketRecord& r);
  void sync_sg(SgId sg, Direction d);
  void sync_nacl(NaclId nacl, Direction d);

  const Network& net_;
  std::vector<Row> rows_;
  std::map<std::string, std::uint32_t> by_key_;
  std::uint32_t next_seq_ = 0;
  std::vector<std::uint32_t> synced_;  // per row: the sync() pass that last saw it
  std::uint32_t sync_generation_ = 0;
  std::vector<std::array<Rows, 2>> sg_rows_;                     // [sg][direction]
  std::vector<std::array<Rows, 2>> nacl_rows_;                   // [acl][direction]
  std::vector<std::array<std::uint32_t, 2>> nacl_default_rows_;  // [acl][direction]: the "*" entry
  std::vector<std::array<std::uint32_t, 2>> no_match_rows_;      // [interface][direction]
};

}  // namespace vpcsim
