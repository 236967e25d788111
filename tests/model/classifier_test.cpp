#include "model/classifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "model/cidr.h"
#include "tests/model/random_model.h"

namespace vpcsim {
namespace {

using test::RandomModel;

U128 v4(const char* text) { return IpAddress::parse(text).value().value(); }

ClassifierRule rule(std::uint32_t index, int protocol, std::uint16_t key_low, std::uint16_t key_high,
                    const char* cidr) {
  const Cidr c = Cidr::parse(cidr).value();
  return {c.family(), protocol, key_low, key_high, c.first().value(), c.last().value(), index};
}

TEST(ClassifierTest, EmptyRuleSetMatchesNothing) {
  const LinearClassifier linear;
  const CompiledClassifier compiled;
  const CompiledClassifier compiled_from_empty{std::span<const ClassifierRule>{}};
  for (const Family f : {Family::kIpv4, Family::kIpv6}) {
    for (const int proto : {0, 1, 6, 17, 58, 255}) {
      for (const U128 addr : {U128{0}, U128{0xffffffff}, ~U128{0}}) {
        EXPECT_FALSE(linear.classify(f, static_cast<std::uint8_t>(proto), 22, addr));
        EXPECT_FALSE(compiled.classify(f, static_cast<std::uint8_t>(proto), 22, addr));
        EXPECT_FALSE(compiled_from_empty.classify(f, static_cast<std::uint8_t>(proto), 0, addr));
      }
    }
  }
}

TEST(ClassifierTest, SmallestIndexWinsWhateverTheOrderGiven) {
  const std::vector<ClassifierRule> rules{
      rule(5, -1, 0, 65535, "0.0.0.0/0"),
      rule(2, 6, 22, 22, "10.0.0.0/8"),
      rule(9, 6, 0, 65535, "10.0.1.0/24"),
  };
  const auto check = [](const auto& c) {
    EXPECT_EQ(c.classify(Family::kIpv4, 6, 22, v4("10.0.1.5")), 2u);
    EXPECT_EQ(c.classify(Family::kIpv4, 6, 80, v4("10.0.1.5")), 5u);
    EXPECT_EQ(c.classify(Family::kIpv4, 17, 22, v4("10.0.1.5")), 5u);
    EXPECT_EQ(c.classify(Family::kIpv4, 6, 22, v4("192.0.2.1")), 5u);
  };
  const LinearClassifier linear(rules);
  check(linear);
  check(CompiledClassifier(rules));
  EXPECT_TRUE(std::ranges::is_sorted(linear.rules(), {}, &ClassifierRule::index));
}

TEST(ClassifierTest, FamilyKeepsEqualAddressValuesApart) {
  const std::vector<ClassifierRule> rules{rule(0, -1, 0, 65535, "0.0.0.0/0")};
  const CompiledClassifier compiled(rules);
  EXPECT_TRUE(compiled.classify(Family::kIpv4, 6, 22, 1));
  EXPECT_FALSE(compiled.classify(Family::kIpv6, 6, 22, 1));
}

TEST(ClassifierTest, BoundariesOfKeyAndAddressRangesAreInclusive) {
  const std::vector<ClassifierRule> rules{rule(0, 6, 1024, 65535, "10.0.1.0/24"), rule(1, 58, 0x8000, 0x80ff, "::/0")};
  const LinearClassifier linear(rules);
  const CompiledClassifier compiled(rules);
  const auto both = [&](Family f, std::uint8_t proto, std::uint16_t key, U128 addr) {
    const auto a = linear.classify(f, proto, key, addr);
    EXPECT_EQ(a, compiled.classify(f, proto, key, addr));
    return a;
  };
  EXPECT_EQ(both(Family::kIpv4, 6, 1024, v4("10.0.1.0")), 0u);
  EXPECT_EQ(both(Family::kIpv4, 6, 65535, v4("10.0.1.255")), 0u);
  EXPECT_FALSE(both(Family::kIpv4, 6, 1023, v4("10.0.1.0")));
  EXPECT_FALSE(both(Family::kIpv4, 6, 1024, v4("10.0.2.0")));
  EXPECT_FALSE(both(Family::kIpv4, 6, 1024, v4("10.0.0.255")));
  EXPECT_EQ(both(Family::kIpv6, 58, 0x80ff, ~U128{0}), 1u);
  EXPECT_FALSE(both(Family::kIpv6, 58, 0x8100, ~U128{0}));
}

// A random rule: both families, protocols incl. -1, port-like or ICMP-like key ranges,
// CIDR-aligned address ranges around a few anchors (so that rules overlap), and repeated
// indices (an SG rule naming a prefix list or group expands to several classifier rules).
ClassifierRule random_rule(RandomModel& rnd, const std::vector<IpAddress>& anchors, std::uint32_t max_index) {
  ClassifierRule r;
  const IpAddress anchor = rnd.pick(anchors);
  const Cidr block = rnd.cidr_around(anchor);
  r.family = block.family();
  r.addr_low = block.first().value();
  r.addr_high = block.last().value();
  r.protocol = rnd.chance(0.2) ? -1 : rnd.protocol_number();
  switch (rnd.uniform(0, 3)) {
    case 0:
      break;  // all keys
    case 1: {
      const PortRange p = rnd.port_range();
      r.key_low = p.from;
      r.key_high = p.to;
      break;
    }
    case 2: {  // ICMP type with all codes, or one type and code
      const auto type = static_cast<std::uint16_t>(rnd.uniform(0, 255));
      const bool all_codes = rnd.chance(0.5);
      const auto code = static_cast<std::uint16_t>(rnd.uniform(0, 255));
      r.key_low = static_cast<std::uint16_t>(type << 8 | (all_codes ? 0 : code));
      r.key_high = static_cast<std::uint16_t>(type << 8 | (all_codes ? 255 : code));
      break;
    }
    default:
      r.key_low = r.key_high = rnd.port();
      break;
  }
  r.index = static_cast<std::uint32_t>(rnd.uniform(0, max_index));
  return r;
}

TEST(ClassifierTest, CompiledAgreesWithLinearOnRandomRuleSets) {
  RandomModel rnd(42);
  const std::vector<IpAddress> anchors{
      IpAddress::parse("10.0.1.10").value(),        IpAddress::parse("10.0.2.20").value(),
      IpAddress::parse("203.0.113.7").value(),      IpAddress::parse("0.0.0.0").value(),
      IpAddress::parse("255.255.255.255").value(),  IpAddress::parse("2001:db8::10").value(),
      IpAddress::parse("2001:db8:0:1::20").value(), IpAddress::parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").value(),
  };
  int hits = 0;
  int lookups = 0;
  for (int round = 0; round < 60; ++round) {
    const auto n = static_cast<std::uint32_t>(rnd.chance(0.2) ? rnd.uniform(0, 3) : rnd.uniform(4, 120));
    std::vector<ClassifierRule> rules;
    for (std::uint32_t i = 0; i < n; ++i) rules.push_back(random_rule(rnd, anchors, n));
    std::ranges::shuffle(rules, rnd.engine());
    const LinearClassifier linear(rules);
    const CompiledClassifier compiled(rules);
    for (int i = 0; i < 2000; ++i, ++lookups) {
      // Half the lookups probe a rule's edges, where an interval structure goes wrong.
      Family f = rnd.chance(0.5) ? Family::kIpv4 : Family::kIpv6;
      auto proto = rnd.protocol_number();
      std::uint16_t key = rnd.port();
      U128 addr = rnd.address_near(rnd.pick(anchors)).value();
      if (!rules.empty() && rnd.chance(0.5)) {
        const ClassifierRule& r = rnd.pick(rules);
        f = r.family;
        if (r.protocol != -1 && rnd.chance(0.8)) proto = static_cast<std::uint8_t>(r.protocol);
        const std::uint16_t keys[] = {r.key_low, r.key_high, static_cast<std::uint16_t>(r.key_low - 1),
                                      static_cast<std::uint16_t>(r.key_high + 1)};
        const U128 addrs[] = {r.addr_low, r.addr_high, r.addr_low - 1, r.addr_high + 1};
        key = keys[rnd.uniform(0, 3)];
        addr = addrs[rnd.uniform(0, 3)];
        if (f == Family::kIpv4) addr &= U128{0xffffffff};
      }
      const auto expected = linear.classify(f, proto, key, addr);
      const auto actual = compiled.classify(f, proto, key, addr);
      hits += expected.has_value();
      ASSERT_EQ(actual, expected) << "round " << round << ", " << n << " rules, protocol " << int{proto} << ", key "
                                  << key;
    }
  }
  // Both outcomes were exercised in earnest.
  EXPECT_GT(hits, lookups / 10);
  EXPECT_LT(hits, lookups * 9 / 10);
}

TEST(ClassifierTest, MemoryIsReported) {
  const std::vector<ClassifierRule> rules{rule(0, 6, 22, 22, "10.0.0.0/8")};
  EXPECT_GT(CompiledClassifier(rules).memory_bytes(), sizeof(CompiledClassifier));
}

}  // namespace
}  // namespace vpcsim
