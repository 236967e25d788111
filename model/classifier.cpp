#include "model/classifier.h"

#include <algorithm>
#include <map>

namespace vpcsim {

LinearClassifier::LinearClassifier(std::vector<ClassifierRule> rules) : rules_(std::move(rules)) {
  std::ranges::stable_sort(rules_, {}, &ClassifierRule::index);
}

std::optional<std::uint32_t> LinearClassifier::classify(Family f, std::uint8_t proto, std::uint16_t key, U128 addr) const {
  for (const ClassifierRule& r : rules_) {
    if (r.matches(f, proto, key, addr)) return r.index;
  }
  return std::nullopt;
}

namespace {

// Elementary address intervals over `rules` (all covering one key segment), each with the
// smallest covering index. Adjacent intervals with the same winner are merged.
void build_address_map(const std::vector<const ClassifierRule*>& rules, std::vector<U128>& starts,
                       std::vector<std::uint32_t>& winners, std::uint32_t no_match) {
  std::vector<U128> points{0};
  for (const ClassifierRule* r : rules) {
    points.push_back(r->addr_low);
    if (r->addr_high != ~U128{0}) points.push_back(r->addr_high + 1);
  }
  std::ranges::sort(points);
  points.erase(std::unique(points.begin(), points.end()), points.end());
  // For a handful of rules per segment a direct scan per elementary interval is simplest and
  // fast enough at build time; the index-min is taken over rules covering the interval.
  for (const U128 p : points) {
    std::uint32_t best = no_match;
    for (const ClassifierRule* r : rules) {
      if (r->addr_low <= p && p <= r->addr_high && r->index < best) best = r->index;
    }
    if (!winners.empty() && winners.back() == best) continue;
    starts.push_back(p);
    winners.push_back(best);
  }
}

}  // namespace

CompiledClassifier::Bucket CompiledClassifier::build_bucket(const std::vector<const ClassifierRule*>& rules, bool ipv4) {
  Bucket b;
  std::vector<std::uint32_t> cuts{0};
  for (const ClassifierRule* r : rules) {
    cuts.push_back(r->key_low);
    cuts.push_back(static_cast<std::uint32_t>(r->key_high) + 1);
  }
  std::ranges::sort(cuts);
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  if (cuts.back() == 65536) cuts.pop_back();

  std::map<std::vector<const ClassifierRule*>, std::uint32_t> map_of_rule_set;
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    const std::uint32_t key = cuts[i];
    std::vector<const ClassifierRule*> covering;
    for (const ClassifierRule* r : rules) {
      if (r->key_low <= key && key <= r->key_high) covering.push_back(r);
    }
    auto [it, inserted] = map_of_rule_set.try_emplace(covering, static_cast<std::uint32_t>(b.maps.size()));
    if (inserted) {
      AddressMap m;
      build_address_map(covering, m.starts, m.winners, kNoMatch);
      if (ipv4) {
        for (const U128 start : m.starts) {
          if (start > U128{UINT32_MAX}) break;
          m.starts4.push_back(static_cast<std::uint32_t>(start));
        }
      }
      b.maps.push_back(std::move(m));
    }
    // Merge neighbouring segments that share a map.
    if (!b.segment_map.empty() && b.segment_map.back() == it->second) continue;
    b.key_starts.push_back(key);
    b.segment_map.push_back(it->second);
  }
  return b;
}

CompiledClassifier::CompiledClassifier(std::span<const ClassifierRule> rules) {
  for (int fi = 0; fi < 2; ++fi) {
    const Family f = fi == 0 ? Family::kIpv4 : Family::kIpv6;
    std::vector<const ClassifierRule*> any_protocol;
    std::array<bool, 256> named{};
    for (const ClassifierRule& r : rules) {
      if (r.family != f) continue;
      if (r.protocol == -1) any_protocol.push_back(&r);
      else named[static_cast<std::size_t>(r.protocol)] = true;
    }
    const auto shared = static_cast<std::uint16_t>(buckets_.size());
    buckets_.push_back(build_bucket(any_protocol, f == Family::kIpv4));
    for (std::size_t p = 0; p < 256; ++p) {
      if (!named[p]) {
        bucket_of_[static_cast<std::size_t>(fi)][p] = shared;
        continue;
      }
      std::vector<const ClassifierRule*> applicable;
      for (const ClassifierRule& r : rules) {
        if (r.family == f && (r.protocol == -1 || r.protocol == static_cast<int>(p))) applicable.push_back(&r);
      }
      bucket_of_[static_cast<std::size_t>(fi)][p] = static_cast<std::uint16_t>(buckets_.size());
      buckets_.push_back(build_bucket(applicable, f == Family::kIpv4));
    }
  }
}

std::optional<std::uint32_t> CompiledClassifier::classify(Family f, std::uint8_t proto, std::uint16_t key, U128 addr) const {
  const Bucket& b = buckets_[bucket_of_[f == Family::kIpv4 ? 0 : 1][proto]];
  const auto seg = std::upper_bound(b.key_starts.begin(), b.key_starts.end(), std::uint32_t{key}) - b.key_starts.begin() - 1;
  const AddressMap& m = b.maps[b.segment_map[static_cast<std::size_t>(seg)]];
  // starts[0] (and starts4[0]) is 0, so the interval holding addr always exists.
  const auto at = f == Family::kIpv4 && addr <= U128{UINT32_MAX}
                      ? std::upper_bound(m.starts4.begin(), m.starts4.end(), static_cast<std::uint32_t>(addr)) - m.starts4.begin() - 1
                      : std::upper_bound(m.starts.begin(), m.starts.end(), addr) - m.starts.begin() - 1;
  const std::uint32_t w = m.winners[static_cast<std::size_t>(at)];
  if (w == kNoMatch) return std::nullopt;
  return w;
}

std::size_t CompiledClassifier::memory_bytes() const {
  std::size_t n = sizeof(*this);
  for (const Bucket& b : buckets_) {
    n += b.key_starts.capacity() * sizeof(std::uint32_t) + b.segment_map.capacity() * sizeof(std::uint32_t);
    for (const AddressMap& m : b.maps) {
      n += m.starts.capacity() * sizeof(U128) + (m.winners.capacity() + m.starts4.capacity()) * sizeof(std::uint32_t);
    }
  }
  return n;
}

}  // namespace vpcsim
