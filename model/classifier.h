// Packet classification over (family, protocol, 16-bit key, address) rules, the hot path of
// every filter. Rules are plain data with a priority index; classify() returns the smallest
// index among the rules that match, which is "first match" for NACL entries and a stable
// choice of the deciding rule for the union of SG rules.
//
// Two implementations with one contract: LinearClassifier is the oracle (a scan, obviously
// right); CompiledClassifier splits the key space into classes and each class's address
// space into disjoint intervals that each know their winning rule, so a lookup is two
// binary searches. Tests check that both agree on random rule sets.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/ip_address.h"

namespace vpcsim {

struct ClassifierRule {
  Family family = Family::kIpv4;
  int protocol = -1;  // -1 = every protocol, otherwise 0-255
  std::uint16_t key_low = 0;
  std::uint16_t key_high = 65535;
  U128 addr_low = 0;
  U128 addr_high = 0;
  std::uint32_t index = 0;  // priority: smaller wins

  bool matches(Family f, std::uint8_t proto, std::uint16_t key, U128 addr) const {
    return f == family && (protocol == -1 || protocol == proto) && key_low <= key && key <= key_high &&
           addr_low <= addr && addr <= addr_high;
  }
};

class LinearClassifier {
 public:
  LinearClassifier() = default;
  explicit LinearClassifier(std::vector<ClassifierRule> rules);
  std::optional<std::uint32_t> classify(Family f, std::uint8_t proto, std::uint16_t key, U128 addr) const;
  std::span<const ClassifierRule> rules() const { return rules_; }

 private:
  std::vector<ClassifierRule> rules_;  // sorted by index, so the first match wins
};

class CompiledClassifier {
 public:
  CompiledClassifier() : CompiledClassifier(std::span<const ClassifierRule>{}) {}
  explicit CompiledClassifier(std::span<const ClassifierRule> rules);
  std::optional<std::uint32_t> classify(Family f, std::uint8_t proto, std::uint16_t key, U128 addr) const;
  // Bytes held by the lookup structure (for benchmarks and memory reports).
  std::size_t memory_bytes() const;

 private:
  static constexpr std::uint32_t kNoMatch = UINT32_MAX;
  // Disjoint address intervals: starts[i] begins an interval won by winners[i] (kNoMatch for
  // a gap); the interval ends where the next one starts.
  struct AddressMap {
    std::vector<U128> starts;
    std::vector<std::uint32_t> winners;
    // IPv4 buckets only: the starts below 2^32 (a prefix of `starts`; an interval starting at
    // 2^32 holds no IPv4 address) as 32-bit values, which the per-packet search compares in
    // one instruction and four times as many to a cache line.
    std::vector<std::uint32_t> starts4;
  };
  // One (family, protocol) table: key segments [key_starts[i], key_starts[i+1]) map to
  // an AddressMap shared between segments with the same rule set.
  struct Bucket {
    std::vector<std::uint32_t> key_starts;
    std::vector<std::uint32_t> segment_map;
    std::vector<AddressMap> maps;
  };
  static Bucket build_bucket(const std::vector<const ClassifierRule*>& rules, bool ipv4);

  // bucket_of_[family][protocol]: index into buckets_; protocols no rule names share the
  // bucket of the "every protocol" rules.
  std::array<std::array<std::uint16_t, 256>, 2> bucket_of_{};
  std::vector<Bucket> buckets_;
};

}  // namespace vpcsim
