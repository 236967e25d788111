// Replaying VPC Flow Log records through one interface's filters. Each record is an
// observation at one ENI in one direction (VPC User Guide, "Flow log records",
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html); the replayer
// decides what AWS would have logged as its `action` under a filtering model: REJECT when the
// subnet's network ACL or the interface's security groups drop it (VPC User Guide, "Flow log
// record examples": an allowed inbound ping whose reply the network ACL denies is logged as
// an inbound ACCEPT and an outbound REJECT on the same interface).
//
// Format-independent: io/flowlog_reader.h turns text into FlowObservations.
#pragma once

#include <array>
#include <boost/unordered/unordered_flat_set.hpp>
#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/compiled_filters.h"
#include "model/network.h"
#include "model/packet.h"
#include "model/path_evaluator.h"
#include "sim/conntrack.h"

namespace vpcsim {

// Why a flow-log line was not replayed. Every line read is either replayed or counted under
// exactly one of these.
enum class SkipReason : std::uint8_t {
  kBlankLine,         // an empty line
  kWrongFieldCount,   // not as many fields as the format names
  kBadAddress,        // srcaddr/dstaddr not an IPv4 or IPv6 address (or of different families)
  kBadPort,           // srcport/dstport not 0-65535
  kBadProtocol,       // protocol not 0-255
  kBadTime,           // start/end not a number of seconds
  kBadAction,         // action neither ACCEPT, REJECT nor -
  kBadLogStatus,      // log-status neither OK, NODATA nor SKIPDATA
  kBadTcpFlags,       // tcp-flags not 0-255
  kBadFlowDirection,  // flow-direction neither ingress, egress nor -
  kNoData,            // log-status NODATA: no traffic in the window, nothing to replay
  kSkipData,          // log-status SKIPDATA: records AWS skipped, nothing to replay
  kNoInterface,       // interface-id is "-" (e.g. Transit Gateway flow logs)
  kUnknownInterface,  // interface-id names no interface of the scenario
  kUnknownDirection,  // no flow-direction, and neither address is the interface's own
  // A CloudWatch Logs event whose envelope is unusable (io/cloudwatch_logs.h): in an S3 export
  // file, a line without an ISO-8601 timestamp prefix; in get/filter-log-events JSON, an
  // event whose message holds a line break.
  kBadLogEvent,
  // The record is traffic between the interface and an AWS service that security groups and
  // network ACLs never filter (model/aws_service.h): there is no filter verdict to compare.
  // AWS does not capture most of it in flow logs at all (VPC User Guide, "Flow log
  // limitations"); a record that names one anyway is counted here, not judged.
  kAwsService,
  kCount,
};
inline constexpr std::size_t kSkipReasons = static_cast<std::size_t>(SkipReason::kCount);
std::string_view to_string(SkipReason r);  // "wrong-field-count", "unknown-interface", ...

enum class RecordedAction : std::uint8_t { kNone, kAccept, kReject };
std::string_view to_string(RecordedAction a);  // "-", "ACCEPT", "REJECT"

// One flow-log record, as the replay needs it.
struct FlowObservation {
  std::string_view interface_id;
  // srcaddr -> dstaddr with srcport/dstport and protocol. For TCP, tcp_flags holds the record's
  // tcp-flags (FIN 1, SYN 2, RST 4, SYN-ACK 18: the same bits as Packet's) when the format has
  // them. For ICMP the record carries no type or code (AWS's examples log ports 0 0); the
  // replayer decides them (see Replayer).
  Packet packet;
  std::int64_t start = 0;              // Unix seconds; 0 when the format has no start field
  std::int64_t end = 0;                // Unix seconds; `start` when the format has no end field
  std::optional<Direction> direction;  // flow-direction, when the format has it
  RecordedAction recorded = RecordedAction::kNone;
};

// The decision for one record: the hops of its interface it crossed, in AWS order (ingress:
// network ACL inbound, unless the peer is in the interface's own subnet, then security groups;
// egress: security groups, then network ACL outbound), up to the one that dropped it.
struct ReplayDecision {
  EniId eni;
  Direction direction = Direction::kIngress;
  PathTrace trace;

  bool accepted() const { return trace.delivered(); }
  // The hop that dropped it, or for an accepted record the security-group hop that let it
  // pass (its rule or the tracked connection). Never null: a trace has at least one hop.
  const HopResult& deciding_hop() const;
};

// Replays records one by one, in the order given (callers sort them with replay_order).
// In the stateful model each interface keeps a ConntrackTable with its own timeouts, built
// from the records replayed before: a record that belongs to a connection its interface
// tracks passes the security groups (EC2 User Guide, "Security group connection tracking");
// network ACLs judge every record. Records are aggregates of a capture window, so a tracked
// connection counts as seen until the record's `end`.
//
// Memory follows the connections live at a time, not the records replayed: when a table has
// doubled since it was last swept, its entries dead at the latest start replayed so far are
// erased (amortised: each sweep costs no more than the insertions since the one before). A
// dead entry never passes anything (match erases it), so in start order sweeping changes no
// decision; a record replayed out of order (ReplayStreamStats::out_of_order) may find gone an
// entry that was still live at its own start.
//
// ICMP records carry no type or code (assumption, after AWS's examples, which log ports 0 0):
// a record is taken as an echo request (type 8, ICMPv6 128) unless the reverse pair of
// addresses was replayed at the same interface before, then as an echo reply (0 / 129).
class Replayer {
 public:
  // `net` must outlive the replayer.
  Replayer(const Network& net, FilteringModel model);

  std::expected<ReplayDecision, SkipReason> replay(const FlowObservation& r);

  const Network& network() const { return net_; }
  FilteringModel model() const { return model_; }
  // Entries held by all interfaces' tables, dead ones not swept yet included.
  std::size_t tracked_connections() const;

 private:
  std::optional<Direction> direction_of(EniId eni, const FlowObservation& r) const;
  HopResult sg_hop(EniId eni, Direction d, const Packet& p, const FlowObservation& r);
  HopResult nacl_hop(EniId eni, Direction d, const Packet& p) const;
  Packet with_icmp_kind(EniId eni, Direction d, Packet p);

  const Network& net_;
  CompiledFilters filters_;
  FilteringModel model_;
  std::vector<ConntrackTable> conntrack_;                                   // by EniId
  std::vector<std::size_t> sweep_at_;  // by EniId: the table size that triggers its next sweep
  SimTime latest_{0};                  // the latest record start replayed
  std::vector<boost::unordered_flat_set<PackedConnKey, ConnKeyHash>> icmp_seen_;  // by EniId
};

// The replay order, as indices into `records`: by start time; within one start second the
// records that look like replies (TCP or UDP with the source port below the destination port:
// a server answering from its service port to a client's ephemeral port) after the others,
// then in file order. AWS logs both directions of a connection in the same capture window,
// usually with the same start second, and in no particular order; a reply replayed before its
// request would find no tracked connection.
std::vector<std::uint32_t> replay_order(std::span<const FlowObservation> records);
// The same order from each record's key alone, for callers that do not keep every observation.
struct ReplayOrderKey {
  std::int64_t start = 0;
  bool reply_like = false;
  friend auto operator<=>(const ReplayOrderKey&, const ReplayOrderKey&) = default;
};
ReplayOrderKey replay_order_key(const FlowObservation& r);
std::vector<std::uint32_t> replay_order(std::span<const ReplayOrderKey> keys);

// What decided a record at hop `h`, one line: the rule as a console names it ("sg-web ingress
// #1: tcp 22 from 0.0.0.0/0", "acl-app egress rule 100: deny ..."), or why no rule decided
// ("no rule matched", "tracked connection", "implicit deny").
std::string decision_text(const Network& net, const HopResult& h);

}  // namespace vpcsim
