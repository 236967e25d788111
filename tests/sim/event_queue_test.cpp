#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace vpcsim {
namespace {

using std::chrono::nanoseconds;

template <class Queue>
class EventQueueTest : public ::testing::Test {};

using Queues = ::testing::Types<RadixEventQueue<int>, HeapEventQueue<int>, LanedEventQueue<int>>;
class QueueNames {
 public:
  template <class T>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<T, RadixEventQueue<int>>) return "Radix";
    if constexpr (std::is_same_v<T, LanedEventQueue<int>>) return "Laned";
    return "Heap";
  }
};
TYPED_TEST_SUITE(EventQueueTest, Queues, QueueNames);

template <class Queue>
std::vector<int> drain(Queue& q) {
  std::vector<int> out;
  while (!q.empty()) out.push_back(q.pop().payload);
  return out;
}

TYPED_TEST(EventQueueTest, EqualTimesPopInPushOrder) {
  TypeParam q;
  for (int i = 0; i < 10; ++i) q.push(seconds(3), i);
  q.push(seconds(1), 100);
  q.push(seconds(3), 10);
  EXPECT_EQ(drain(q), (std::vector<int>{100, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TYPED_TEST(EventQueueTest, PopsInTimeOrder) {
  TypeParam q;
  q.push(nanoseconds(50), 5);
  q.push(nanoseconds(10), 1);
  q.push(seconds(1000000), 9);  // far beyond 2^32 ns: the high half of the time matters
  q.push(nanoseconds(0), 0);
  q.push(nanoseconds(20), 2);
  EXPECT_EQ(drain(q), (std::vector<int>{0, 1, 2, 5, 9}));
}

TYPED_TEST(EventQueueTest, SequenceNumbersCountPushesFromZero) {
  TypeParam q;
  EXPECT_EQ(q.push(seconds(5), 0), 0u);
  EXPECT_EQ(q.push(seconds(1), 0), 1u);
  EXPECT_EQ(q.push(seconds(1), 0), 2u);
  EXPECT_EQ(q.pop().seq, 1u);
  EXPECT_EQ(q.push(seconds(2), 0), 3u);
  EXPECT_EQ(q.pop().seq, 2u);
  EXPECT_EQ(q.pop().seq, 3u);
  EXPECT_EQ(q.pop().seq, 0u);
}

TYPED_TEST(EventQueueTest, SizeEmptyAndTopTrackContents) {
  TypeParam q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
  q.push(seconds(2), 20);
  q.push(seconds(1), 10);
  EXPECT_FALSE(q.empty());
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.top().time, seconds(1));
  EXPECT_EQ(q.top().payload, 10);
  EXPECT_EQ(q.top().seq, 1u);
  EXPECT_EQ(q.size(), 2u);  // top() removes nothing
  const auto e = q.pop();
  EXPECT_EQ(e.time, seconds(1));
  EXPECT_EQ(e.payload, 10);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.top().payload, 20);
  q.pop();
  EXPECT_TRUE(q.empty());
}

TYPED_TEST(EventQueueTest, LastPoppedIsZeroUntilTheFirstPop) {
  TypeParam q;
  EXPECT_EQ(q.last_popped(), SimTime{0});
  q.push(seconds(7), 0);
  q.push(seconds(9), 0);
  EXPECT_EQ(q.last_popped(), SimTime{0});
  q.pop();
  EXPECT_EQ(q.last_popped(), seconds(7));
  q.pop();
  EXPECT_EQ(q.last_popped(), seconds(9));
}

// top() looks ahead without advancing time: an event may still be scheduled between the last
// popped time and the top's time, and must come out first.
TYPED_TEST(EventQueueTest, PushBetweenLastPoppedAndTopComesOutFirst) {
  TypeParam q;
  q.push(seconds(1), 1);
  q.push(seconds(10), 10);
  q.push(seconds(12), 12);
  q.pop();
  EXPECT_EQ(q.top().payload, 10);
  q.push(seconds(5), 5);
  EXPECT_EQ(q.top().payload, 5);
  q.push(seconds(1), 11);  // equal to the last popped time is allowed
  EXPECT_EQ(q.top().payload, 11);
  q.push(seconds(11), 110);
  EXPECT_EQ(drain(q), (std::vector<int>{11, 5, 10, 110, 12}));
}

TYPED_TEST(EventQueueTest, ClearMakesANewQueue) {
  TypeParam q;
  for (int i = 0; i < 100; ++i) q.push(seconds(10 + i), i);
  q.pop();
  q.pop();
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
  EXPECT_EQ(q.last_popped(), SimTime{0});
  EXPECT_EQ(q.push(seconds(3), 3), 0u);  // earlier than before clear(): a new run
  EXPECT_EQ(q.push(seconds(2), 2), 1u);
  EXPECT_EQ(drain(q), (std::vector<int>{2, 3}));
}

TYPED_TEST(EventQueueTest, ALargeRunPopsInOrder) {
  constexpr int kEvents = 100'000;
  TypeParam q;
  std::mt19937_64 rng(7);
  for (int i = 0; i < kEvents; ++i) q.push(nanoseconds(rng() % 1'000'000'000'000), i);
  EXPECT_EQ(q.size(), static_cast<std::size_t>(kEvents));
  SimTime time{0};
  std::uint64_t seq = 0;
  int popped = 0;
  while (!q.empty()) {
    const auto e = q.pop();
    ASSERT_TRUE(e.time > time || (e.time == time && (popped == 0 || e.seq > seq))) << "event " << popped;
    time = e.time;
    seq = e.seq;
    ++popped;
  }
  EXPECT_EQ(popped, kEvents);
}

#ifndef NDEBUG
TYPED_TEST(EventQueueTest, PushEarlierThanLastPoppedAsserts) {
  TypeParam q;
  q.push(seconds(5), 0);
  q.pop();
  EXPECT_DEATH(q.push(seconds(4), 0), "earlier than the last popped");
}
#endif

TEST(RadixEventQueueTest, MovesMoveOnlyPayloads) {
  RadixEventQueue<std::unique_ptr<int>> q;
  q.push(seconds(2), std::make_unique<int>(2));
  q.push(seconds(1), std::make_unique<int>(1));
  q.push(seconds(1), std::make_unique<int>(3));  // redistributed with the first pop
  EXPECT_EQ(*q.pop().payload, 1);
  EXPECT_EQ(*q.pop().payload, 3);
  EXPECT_EQ(*q.pop().payload, 2);
}

// Random interleavings of push, top and pop; every push is at or after the last popped time.
// The radix queue must give exactly the events the binary heap gives, in the same order.
struct Interleaving {
  const char* name;
  std::int64_t max_delay;  // a push is at last_popped + [0, max_delay] ns
  int ops;
  int max_pending;
};

void PrintTo(const Interleaving& w, std::ostream* os) { *os << w.name; }

class MatchesHeapTest : public ::testing::TestWithParam<Interleaving> {};

TEST_P(MatchesHeapTest, SamePopSequenceAsTheHeap) {
  const Interleaving w = GetParam();
  RadixEventQueue<std::uint32_t> radix;
  HeapEventQueue<std::uint32_t> heap;
  // The laned queue gets lanes for a few delays, and a quarter of the pushes use one of them,
  // so lanes and its radix heap both hold events and their heads compete for the top.
  LanedEventQueue<std::uint32_t> laned;
  const std::int64_t lane_delays[] = {0, 1, w.max_delay / 3, w.max_delay};
  for (const std::int64_t d : lane_delays) laned.add_lane(nanoseconds(d));
  std::mt19937_64 rng(20240611);
  std::uint32_t next_payload = 0;
  std::uint64_t pops = 0;
  for (int op = 0; op < w.ops; ++op) {
    const auto roll = rng() % 100;
    // Push more often than pop while the queue is small, less once it is large.
    const bool push = radix.empty() || (radix.size() < static_cast<std::size_t>(w.max_pending) && roll < 55);
    if (push) {
      std::int64_t delay = static_cast<std::int64_t>(rng() % (static_cast<std::uint64_t>(w.max_delay) + 1));
      if (rng() % 4 == 0) delay = 0;  // many events at exactly the current time
      if (rng() % 4 == 0) delay = lane_delays[rng() % 4];
      delay = std::min(delay, std::numeric_limits<std::int64_t>::max() - radix.last_popped().count());
      const SimTime t = radix.last_popped() + nanoseconds(delay);
      const auto seq = heap.push(t, next_payload);
      ASSERT_EQ(radix.push(t, next_payload), seq);
      ASSERT_EQ(laned.push(t, next_payload), seq);
      ++next_payload;
    } else if (roll < 70) {
      const auto& a = radix.top();
      const auto& b = heap.top();
      const auto& c = laned.top();
      ASSERT_EQ(a.time, b.time);
      ASSERT_EQ(a.seq, b.seq);
      ASSERT_EQ(a.payload, b.payload);
      ASSERT_EQ(c.time, b.time);
      ASSERT_EQ(c.seq, b.seq);
      ASSERT_EQ(c.payload, b.payload);
    } else {
      const auto a = radix.pop();
      const auto b = heap.pop();
      const auto c = laned.pop();
      ASSERT_EQ(a.time, b.time) << "pop " << pops;
      ASSERT_EQ(a.seq, b.seq) << "pop " << pops;
      ASSERT_EQ(a.payload, b.payload) << "pop " << pops;
      ASSERT_EQ(c.time, b.time) << "laned pop " << pops;
      ASSERT_EQ(c.seq, b.seq) << "laned pop " << pops;
      ASSERT_EQ(c.payload, b.payload) << "laned pop " << pops;
      ++pops;
    }
    ASSERT_EQ(radix.size(), heap.size());
    ASSERT_EQ(laned.size(), heap.size());
    ASSERT_EQ(radix.last_popped(), heap.last_popped());
    ASSERT_EQ(laned.last_popped(), heap.last_popped());
  }
  while (!heap.empty()) {
    const auto a = radix.pop();
    const auto b = heap.pop();
    const auto c = laned.pop();
    ASSERT_EQ(a.seq, b.seq);
    ASSERT_EQ(a.time, b.time);
    ASSERT_EQ(c.seq, b.seq);
    ASSERT_EQ(c.time, b.time);
  }
  EXPECT_TRUE(radix.empty());
  EXPECT_TRUE(laned.empty());
}

INSTANTIATE_TEST_SUITE_P(Workloads, MatchesHeapTest,
                         ::testing::Values(Interleaving{"ManyEqualTimes", 3, 200'000, 1'000},
                                           Interleaving{"Microseconds", 1'000, 200'000, 5'000},
                                           Interleaving{"UpTo1e15ns", 1'000'000'000'000'000, 200'000, 5'000},
                                           Interleaving{"UpTo2e18ns", 2'000'000'000'000'000'000, 100'000, 2'000},
                                           Interleaving{"DeepQueue", 1'000'000'000, 300'000, 100'000}),
                         [](const ::testing::TestParamInfo<Interleaving>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace vpcsim
