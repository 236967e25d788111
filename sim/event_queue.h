// The engine's pending events, ordered by (time, sequence number). The sequence number is the
// push order, so events at equal times replay in the order they were scheduled and a run is
// deterministic.
//
// Simulated time is monotone: no event is pushed earlier than the last popped one (asserted
// in debug builds). That makes a monotone radix heap legal (Ahuja, Mehlhorn, Orlin, Tarjan,
// "Faster algorithms for the shortest path problem", JACM 1990). It is what the engine uses;
// HeapEventQueue is the plain binary heap it is measured and tested against.
//
// Both queues have the same API. push() and pop() invalidate references returned by top().
// clear() returns a queue to its freshly constructed state (sequence numbers restart at 0,
// last_popped() is 0 again) and keeps its memory.
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/sim_time.h"

namespace vpcsim {

template <class Payload>
struct QueuedEvent {
  SimTime time{0};
  std::uint64_t seq = 0;
  Payload payload{};
};

// A monotone radix heap over the 128-bit key (time << 64 | seq), in base 16. Keys are unique
// (seq is) and popped in increasing order, so each pop has a strictly larger key than the one
// before. The key is read as 32 hexadecimal digits; an event sits in bucket (level, digit):
// `level` is the highest digit position where its key differs from the last popped key, and
// `digit` its own digit there (always above the last key's: keys only grow). Bucket 0 holds a
// key equal to the last one, which only the very first key 0 can be. The minimum is in the
// lowest non-empty bucket (levels in order, digits in order within a level); each bucket
// remembers where its own minimum is, so finding it reads no event. Popping takes that minimum
// as the new reference key, and every other event of its bucket then differs from it at a
// lower level and moves down. An event moves at most once per level, in practice about
// log16 of the spread of pending times (a binary radix heap moves it about log2 of it: 4
// times as often; measured in bench/README.md). Buckets are vectors whose capacity is kept
// across pops and clear().
template <class Payload>
class RadixEventQueue {
 public:
  using Event = QueuedEvent<Payload>;

  std::uint64_t push(SimTime time, Payload p) {
    assert(time >= SimTime{0} && "negative simulated time");
    assert(time >= last_popped_ && "event pushed earlier than the last popped one");
    const std::uint64_t seq = next_seq_++;
    place(Event{time, seq, std::move(p)});
    ++size_;
    return seq;
  }

  // An event whose sequence number the caller assigned (LanedEventQueue shares one counter
  // between its lanes and this heap). Its key must exceed every key popped so far.
  void push_sequenced(Event e) {
    assert((key(e) > last_ || key(e) == 0) && "event pushed at or before the last popped key");
    place(std::move(e));
    ++size_;
  }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  // The smallest (time, seq). It does not move the reference key, so an event may still be
  // pushed between last_popped() and top().time, and is then the new top.
  const Event& top() const {
    assert(!empty());
    const std::size_t b = lowest_nonempty();
    return buckets_[b][min_index_[b]];
  }

  Event pop() {
    assert(!empty());
    const std::size_t b = lowest_nonempty();
    std::vector<Event>& from = buckets_[b];
    const std::size_t m = min_index_[b];
    Event out = std::move(from[m]);
    if (m + 1 != from.size()) from[m] = std::move(from.back());
    from.pop_back();
    --size_;
    last_ = key(out);
    last_popped_ = out.time;
    forget(b);
    for (Event& e : from) place(std::move(e));  // all into buckets below b
    from.clear();
    return out;
  }

  SimTime last_popped() const { return last_popped_; }

  void clear() {
    for (std::size_t b = 0; b < kBuckets; ++b) {
      buckets_[b].clear();
      min_key_[b] = kNoKey;
    }
    level_mask_ = 0;
    digit_mask_.fill(0);
    equal_nonempty_ = false;
    size_ = 0;
    next_seq_ = 0;
    last_ = 0;
    last_popped_ = SimTime{0};
  }

 private:
  using Key = unsigned __int128;
  static constexpr std::size_t kDigitBits = 4;
  static constexpr std::size_t kDigits = std::size_t{1} << kDigitBits;  // 16
  static constexpr std::size_t kLevels = 128 / kDigitBits;                // 32
  static constexpr std::size_t kBuckets = 1 + kLevels * kDigits;         // bucket 0: equal key
  static constexpr Key kNoKey = ~Key{0};  // above every real key: time is never negative

  static constexpr std::array<Key, kBuckets> filled(Key k) {
    std::array<Key, kBuckets> a{};
    a.fill(k);
    return a;
  }

  static Key key(const Event& e) { return Key{static_cast<std::uint64_t>(e.time.count())} << 64 | e.seq; }

  static std::size_t bucket(std::size_t level, std::size_t digit) { return 1 + level * kDigits + digit; }

  void place(Event&& e) {
    const Key k = key(e);
    const Key x = k ^ last_;
    const auto hi = static_cast<std::uint64_t>(x >> 64);
    const auto lo = static_cast<std::uint64_t>(x);
    std::size_t b = 0;
    if (hi != 0 || lo != 0) {
      const std::size_t top_bit = hi != 0 ? 127 - static_cast<std::size_t>(__builtin_clzll(hi))
                                          : 63 - static_cast<std::size_t>(__builtin_clzll(lo));
      const std::size_t level = top_bit / kDigitBits;
      const auto digit = static_cast<std::size_t>(k >> (level * kDigitBits)) & (kDigits - 1);
      b = bucket(level, digit);
      level_mask_ |= std::uint32_t{1} << level;
      digit_mask_[level] = static_cast<std::uint16_t>(digit_mask_[level] | 1u << digit);
    } else {
      equal_nonempty_ = true;
    }
    std::vector<Event>& to = buckets_[b];
    to.push_back(std::move(e));
    if (k < min_key_[b]) {
      min_key_[b] = k;
      min_index_[b] = to.size() - 1;
    }
  }

  void forget(std::size_t b) {
    min_key_[b] = kNoKey;
    if (b == 0) {
      equal_nonempty_ = false;
      return;
    }
    const std::size_t level = (b - 1) / kDigits;
    const std::size_t digit = (b - 1) % kDigits;
    digit_mask_[level] = static_cast<std::uint16_t>(digit_mask_[level] & ~(1u << digit));
    if (digit_mask_[level] == 0) level_mask_ &= ~(std::uint32_t{1} << level);
  }

  std::size_t lowest_nonempty() const {
    if (equal_nonempty_) return 0;
    assert(level_mask_ != 0 && "no non-empty bucket");
    const auto level = static_cast<std::size_t>(__builtin_ctz(level_mask_));
    return bucket(level, static_cast<std::size_t>(__builtin_ctz(digit_mask_[level])));
  }

  std::array<std::vector<Event>, kBuckets> buckets_;
  std::uint32_t level_mask_ = 0;                 // bit l: some bucket of level l is not empty
  std::array<std::uint16_t, kLevels> digit_mask_{};  // bit d of [l]: bucket (l, d) is not empty
  bool equal_nonempty_ = false;                  // bucket 0 is not empty
  std::array<Key, kBuckets> min_key_ = filled(kNoKey);  // the smallest key in each bucket
  std::array<std::size_t, kBuckets> min_index_{};       // and where it is
  std::size_t size_ = 0;
  std::uint64_t next_seq_ = 0;
  Key last_ = 0;  // the reference key: the last popped one
  SimTime last_popped_{0};
};

// The engine's queue: a RadixEventQueue with a few FIFO lanes in front of it. A lane is
// registered for one constant delay (add_lane); an event pushed exactly that delay after the
// last popped time goes to that lane's tail instead of the heap. Simulated time is monotone
// and sequence numbers grow, so every lane is sorted by (time, seq) as it stands, and the
// earliest event is the smallest of the heap's top and the lanes' heads. Pop order is exactly
// the heap's ((time, seq), one counter for all); only the cost changes: the engine's
// connection-tracking timers mostly wait one of a few constant delays (120 s, a protocol's
// timeout), and in a radix heap an event that far ahead is moved dozens of times before it
// pops, while in a lane it is written once.
template <class Payload>
class LanedEventQueue {
 public:
  using Event = QueuedEvent<Payload>;
  static constexpr std::size_t kMaxLanes = 8;

  // Events pushed `delay` after the last popped time go to a FIFO lane. Ignored when that
  // delay already has a lane or kMaxLanes are in use (such events go to the heap).
  void add_lane(SimTime delay) {
    assert(delay >= SimTime{0});
    if (lane_count_ == kMaxLanes) return;
    for (std::size_t i = 0; i < lane_count_; ++i) {
      if (lanes_[i].delay == delay) return;
    }
    lanes_[lane_count_++].delay = delay;
  }

  std::uint64_t push(SimTime time, Payload p) {
    assert(time >= SimTime{0} && "negative simulated time");
    assert(time >= last_popped_ && "event pushed earlier than the last popped one");
    const std::uint64_t seq = next_seq_++;
    source_ = kUnknown;
    const SimTime delay = time - last_popped_;
    for (std::size_t i = 0; i < lane_count_; ++i) {
      if (lanes_[i].delay == delay) {
        lanes_[i].push(Event{time, seq, std::move(p)});
        ++size_;
        return seq;
      }
    }
    heap_.push_sequenced(Event{time, seq, std::move(p)});
    ++size_;
    return seq;
  }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  const Event& top() const {
    assert(!empty());
    if (lane_count_ == 0) return heap_.top();
    const std::size_t s = source();
    return s == kHeap ? heap_.top() : lanes_[s].front();
  }

  Event pop() {
    assert(!empty());
    const std::size_t s = lane_count_ == 0 ? kHeap : source();
    source_ = kUnknown;
    Event out = s == kHeap ? heap_.pop() : lanes_[s].pop();
    --size_;
    last_popped_ = out.time;
    return out;
  }

  SimTime last_popped() const { return last_popped_; }

  void clear() {
    heap_.clear();
    for (Lane& l : lanes_) l.clear();
    size_ = 0;
    next_seq_ = 0;
    last_popped_ = SimTime{0};
    source_ = kUnknown;
  }

 private:
  static constexpr std::size_t kHeap = kMaxLanes;
  static constexpr std::size_t kUnknown = kMaxLanes + 1;

  // A ring buffer whose capacity (a power of two) is kept across pops and clear().
  struct Lane {
    SimTime delay{-1};
    std::vector<Event> ring;
    std::size_t head = 0;
    std::size_t count = 0;

    bool empty() const { return count == 0; }
    const Event& front() const { return ring[head]; }
    void push(Event&& e) {
      if (count == ring.size()) grow();
      ring[(head + count) & (ring.size() - 1)] = std::move(e);
      ++count;
    }
    Event pop() {
      Event out = std::move(ring[head]);
      head = (head + 1) & (ring.size() - 1);
      --count;
      return out;
    }
    void clear() {
      head = 0;
      count = 0;
    }
    void grow() {
      std::vector<Event> bigger(ring.empty() ? 64 : ring.size() * 2);
      for (std::size_t i = 0; i < count; ++i) bigger[i] = std::move(ring[(head + i) & (ring.size() - 1)]);
      ring = std::move(bigger);
      head = 0;
    }
  };

  static bool earlier(const Event& a, const Event& b) { return a.time != b.time ? a.time < b.time : a.seq < b.seq; }

  // Where the earliest event is: a lane's index, or kHeap. Remembered until the next push or
  // pop, so that top() then pop() scan the lanes once.
  std::size_t source() const {
    if (source_ == kUnknown) source_ = find_source();
    return source_;
  }
  std::size_t find_source() const {
    std::size_t best = kHeap;
    const Event* min = heap_.empty() ? nullptr : &heap_.top();
    for (std::size_t i = 0; i < lane_count_; ++i) {
      if (lanes_[i].empty()) continue;
      const Event& e = lanes_[i].front();
      if (min == nullptr || earlier(e, *min)) {
        min = &e;
        best = i;
      }
    }
    return best;
  }

  RadixEventQueue<Payload> heap_;
  std::array<Lane, kMaxLanes> lanes_;
  std::size_t lane_count_ = 0;
  mutable std::size_t source_ = kUnknown;
  std::size_t size_ = 0;
  std::uint64_t next_seq_ = 0;
  SimTime last_popped_{0};
};

// The baseline and the test oracle: a binary heap on (time, seq). It is std::priority_queue's
// own algorithm (std::push_heap / std::pop_heap on a vector), written out so that pop() can
// move the payload out instead of copying it.
template <class Payload>
class HeapEventQueue {
 public:
  using Event = QueuedEvent<Payload>;

  std::uint64_t push(SimTime time, Payload p) {
    assert(time >= SimTime{0} && "negative simulated time");
    assert(time >= last_popped_ && "event pushed earlier than the last popped one");
    const std::uint64_t seq = next_seq_++;
    heap_.push_back(Event{time, seq, std::move(p)});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
    return seq;
  }

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }

  const Event& top() const {
    assert(!empty());
    return heap_.front();
  }

  Event pop() {
    assert(!empty());
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    Event out = std::move(heap_.back());
    heap_.pop_back();
    last_popped_ = out.time;
    return out;
  }

  SimTime last_popped() const { return last_popped_; }

  void clear() {
    heap_.clear();
    next_seq_ = 0;
    last_popped_ = SimTime{0};
  }

 private:
  // std heaps put the largest element first; "larger" here means later.
  struct Later {
    bool operator()(const Event& a, const Event& b) const { return a.time != b.time ? a.time > b.time : a.seq > b.seq; }
  };

  std::vector<Event> heap_;
  std::uint64_t next_seq_ = 0;
  SimTime last_popped_{0};
};

}  // namespace vpcsim
