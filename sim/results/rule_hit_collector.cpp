#include "sim/results/rule_hit_collector.h"

#include <algorithm>
#include <variant>

#include "model/explain.h"

namespace vpcsim {

std::string_view to_string(RuleHit::Kind k) {
  switch (k) {
    case RuleHit::Kind::kSgRule:
      return "sg-rule";
    case RuleHit::Kind::kSgNoRuleMatched:
      return "sg-no-rule-matched";
    case RuleHit::Kind::kNaclEntry:
      return "nacl-entry";
    case RuleHit::Kind::kNaclImplicitDeny:
      return "nacl-implicit-deny";
  }
  return "?";
}

namespace {

constexpr Direction kDirections[] = {Direction::kIngress, Direction::kEgress};
// Sections of the output order.
constexpr std::uint32_t kSgSection = 0, kNoMatchSection = 1, kNaclSection = 2;
// Sorts the "*" entry after every numbered entry (numbers end at 32766).
constexpr std::uint32_t kDefaultEntryNumber = 65536;

std::size_t at(Direction d) { return static_cast<std::size_t>(d); }
std::uint32_t u32(std::size_t v) { return static_cast<std::uint32_t>(v); }

Direction direction_of(Hop h) {
  return h == Hop::kSgIngress || h == Hop::kNaclIngress ? Direction::kIngress : Direction::kEgress;
}

// Identity of a rule's target, by index so that renaming nothing can change it.
std::string peer_key(const Peer& p) {
  if (const auto* c = std::get_if<Cidr>(&p)) return c->to_string();
  if (const auto* pl = std::get_if<PrefixListId>(&p)) return "pl:" + std::to_string(pl->value);
  return "sg:" + std::to_string(std::get<SgId>(p).value);
}

std::string key_of(std::string_view kind, std::uint32_t object, Direction d) {
  return std::string(kind) + '\x1f' + std::to_string(object) + '\x1f' + std::string(to_string(d));
}

}  // namespace

RuleHitCollector::RuleHitCollector(const Network& net) : net_(net) { sync(); }

void RuleHitCollector::on_packet(const PacketRecord& r) {
  if (!r.trace) return;
  for (const HopResult& h : r.trace->hops) {
    // A position past the lists read last means the network changed without a report:
    // read it again rather than lose the hit.
    if (!count(h, r)) {
      sync();
      count(h, r);
    }
  }
}

void RuleHitCollector::on_state(const StateRecord& s) {
  if (s.kind == StateRecord::Kind::kRuleChange) sync();
}

void RuleHitCollector::add(std::uint32_t row, const PacketRecord& r) {
  rows_[row].hit.packets += r.packets;
  rows_[row].hit.bytes += r.bytes;
}

bool RuleHitCollector::count(const HopResult& h, const PacketRecord& r) {
  if (h.sg_rule) {
    const SgRuleRef& ref = *h.sg_rule;
    if (ref.sg.value >= sg_rows_.size()) return false;
    const Rows& rows = sg_rows_[ref.sg.value][at(ref.direction)];
    if (ref.index >= rows.size()) return false;
    add(rows[ref.index], r);
  } else if (h.nacl_entry) {
    const NaclEntryRef& ref = *h.nacl_entry;
    if (ref.nacl.value >= nacl_rows_.size()) return false;
    const Rows& rows = nacl_rows_[ref.nacl.value][at(ref.direction)];
    if (ref.index >= rows.size()) return false;
    add(rows[ref.index], r);
  } else if (h.reason == Reason::kImplicitDeny && h.nacl) {
    if (h.nacl->value >= nacl_default_rows_.size()) return false;
    add(nacl_default_rows_[h.nacl->value][at(direction_of(h.hop))], r);
  } else if (h.reason == Reason::kNoRuleMatched && h.eni) {
    if (h.eni->value >= no_match_rows_.size()) return false;
    add(no_match_rows_[h.eni->value][at(direction_of(h.hop))], r);
  }
  return true;
}

std::uint32_t RuleHitCollector::row_for(std::string key, Order order, RuleHit::Kind kind) {
  // Two rules with the same identity in one list (which AWS refuses) still get a row each.
  auto it = by_key_.find(key);
  while (it != by_key_.end() && synced_[it->second] == sync_generation_) {
    key += "\x1f+";
    it = by_key_.find(key);
  }
  std::uint32_t row;
  if (it != by_key_.end()) {
    row = it->second;
  } else {
    row = u32(rows_.size());
    order[4] = next_seq_++;
    RuleHit hit;
    hit.kind = kind;
    rows_.push_back({std::move(hit), order});
    synced_.push_back(0);
    by_key_.emplace(std::move(key), row);
  }
  synced_[row] = sync_generation_;
  rows_[row].hit.removed = false;
  return row;
}

void RuleHitCollector::sync_sg(SgId id, Direction d) {
  const SecurityGroup& sg = net_.sg(id);
  const std::vector<SgRule>& rules = sg.rules(d);
  Rows& rows = sg_rows_[id.value][at(d)];
  rows.clear();
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    const SgRule& rule = rules[i];
    const std::string key =
        key_of("sg", id.value, d) + '\x1f' + rule.traffic.to_string() + '\x1f' + peer_key(rule.peer);
    const std::uint32_t row = row_for(key, {kSgSection, id.value, u32(at(d)), 0, 0}, RuleHit::Kind::kSgRule);
    RuleHit& hit = rows_[row].hit;
    hit.group = sg.id;
    hit.direction = d;
    hit.rule_number = static_cast<int>(i + 1);
    hit.rule_id = rule.id;
    hit.rule = describe_sg_rule(net_, {id, d, i});
    rows.push_back(row);
  }
}

void RuleHitCollector::sync_nacl(NaclId id, Direction d) {
  const NetworkAcl& acl = net_.nacl(id);
  const std::vector<NaclEntry>& entries = acl.entries(d);
  Rows& rows = nacl_rows_[id.value][at(d)];
  rows.clear();
  for (std::uint32_t i = 0; i < entries.size(); ++i) {
    const NaclEntry& e = entries[i];
    const std::string key = key_of("acl", id.value, d) + '\x1f' + std::to_string(e.number) + '\x1f' +
                            std::string(to_string(e.action)) + '\x1f' + e.traffic.to_string() + '\x1f' +
                            e.cidr.to_string();
    const Order order{kNaclSection, id.value, u32(at(d)), static_cast<std::uint32_t>(e.number), 0};
    const std::uint32_t row = row_for(key, order, RuleHit::Kind::kNaclEntry);
    RuleHit& hit = rows_[row].hit;
    hit.group = acl.id;
    hit.direction = d;
    hit.rule_number = e.number;
    hit.rule = describe_nacl_entry(net_, {id, d, i});
    rows.push_back(row);
  }
  const std::uint32_t row =
      row_for(key_of("acl*", id.value, d), {kNaclSection, id.value, u32(at(d)), kDefaultEntryNumber, 0},
              RuleHit::Kind::kNaclImplicitDeny);
  RuleHit& hit = rows_[row].hit;
  hit.group = acl.id;
  hit.direction = d;
  hit.rule = acl.id + " " + std::string(to_string(d)) + " rule * (implicit deny)";
  nacl_default_rows_[id.value][at(d)] = row;
}

void RuleHitCollector::sync() {
  ++sync_generation_;
  sg_rows_.resize(net_.security_groups.size());
  nacl_rows_.resize(net_.network_acls.size());
  nacl_default_rows_.resize(net_.network_acls.size());
  no_match_rows_.resize(net_.enis.size());
  for (std::uint32_t i = 0; i < net_.security_groups.size(); ++i) {
    for (const Direction d : kDirections) sync_sg(SgId(i), d);
  }
  for (std::uint32_t i = 0; i < net_.enis.size(); ++i) {
    for (const Direction d : kDirections) {
      const std::uint32_t row =
          row_for(key_of("eni", i, d), {kNoMatchSection, i, u32(at(d)), 0, 0}, RuleHit::Kind::kSgNoRuleMatched);
      RuleHit& hit = rows_[row].hit;
      hit.group = net_.eni(EniId(i)).id;
      hit.direction = d;
      hit.rule = net_.eni_label(EniId(i)) + " " + std::string(to_string(d)) + ": no security group rule matched";
      no_match_rows_[i][at(d)] = row;
    }
  }
  for (std::uint32_t i = 0; i < net_.network_acls.size(); ++i) {
    for (const Direction d : kDirections) sync_nacl(NaclId(i), d);
  }
  // What this pass did not see has been removed (or, for a NACL entry, replaced).
  for (std::size_t row = 0; row < rows_.size(); ++row) {
    if (synced_[row] != sync_generation_) rows_[row].hit.removed = true;
  }
}

std::vector<RuleHit> RuleHitCollector::hits() const {
  std::vector<const Row*> sorted;
  sorted.reserve(rows_.size());
  for (const Row& r : rows_) sorted.push_back(&r);
  std::ranges::sort(sorted, [](const Row* a, const Row* b) { return a->order < b->order; });
  std::vector<RuleHit> out;
  out.reserve(sorted.size());
  for (const Row* r : sorted) out.push_back(r->hit);
  return out;
}

std::vector<RuleHit> RuleHitCollector::never_matched() const {
  std::vector<RuleHit> out = hits();
  std::erase_if(out, [](const RuleHit& h) { return !h.is_rule() || h.packets > 0; });
  return out;
}

}  // namespace vpcsim
