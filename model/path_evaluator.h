// Walks a packet along its path, hop by hop, and a request/reply exchange in both
// directions under a filtering model.
#pragma once

#include <boost/container/static_vector.hpp>

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "model/aws_service.h"
#include "model/compiled_filters.h"
#include "model/endpoint.h"
#include "model/hop.h"
#include "model/network.h"
#include "model/packet.h"

namespace vpcsim {

enum class FilteringModel : std::uint8_t {
  // Every packet, request or reply, must be allowed by the rules on its own, security
  // groups included: the model of the course material vpcsim starts from.
  kStateless,
  // Real AWS: security groups track connections and pass replies; network ACLs stay
  // stateless (EC2 User Guide, "Security group connection tracking").
  kStateful,
};
std::string_view to_string(FilteringModel m);

struct PathTrace {
  // The packet as the filters see it: inside the VPC an interface's private address (the
  // internet gateway translates public IPv4 addresses 1:1, VPC User Guide "Internet gateways").
  Packet packet;
  // The hops in order, up to and including the one that dropped the packet. At most five
  // (SG egress, two NACLs or the route and a NACL, SG ingress), kept inline: the engine
  // traces millions of packets and must not allocate for each.
  static constexpr std::size_t kMaxHops = 5;
  boost::container::static_vector<HopResult, kMaxHops> hops;

  bool delivered() const;
  // The hop that dropped it, or nullptr. A trace ends at its drop (see `hops`), so this is
  // the last hop or nothing: the engine and every collector ask for it on every packet.
  const HopResult* drop() const;
  // For a delivered packet, the hop a reader asks about: the security-group decision nearest
  // the receiver (the rule, or the tracked connection, that let it in), else the last hop.
  // nullptr when the trace has no hops.
  const HopResult* deciding_hop() const;
};

struct Exchange {
  PathTrace request;
  std::optional<PathTrace> reply;  // absent when the request was dropped: nothing replies

  bool request_delivered() const { return request.delivered(); }
  bool reply_delivered() const { return reply && reply->delivered(); }
  bool works() const { return request_delivered() && reply_delivered(); }
};

// Which security-group hops of a packet belong to a tracked connection, so that the
// stateful model passes them without consulting rules.
struct TrackedHops {
  bool sg_egress = false;   // the sender's interface tracks this connection
  bool sg_ingress = false;  // the receiver's interface tracks this connection
};

class PathEvaluator {
 public:
  // Both must outlive the evaluator.
  PathEvaluator(const Network& net, const CompiledFilters& filters) : net_(net), filters_(filters) {}

  // The request packet of a flow from `from` to `to`: addresses of the given family as the
  // filters see them, ports or ICMP type/code as given. Fails when an endpoint has no address
  // of that family.
  std::expected<Packet, std::string> make_packet(const Endpoint& from, const Endpoint& to, Family family,
                                                 std::uint8_t protocol, std::uint16_t src_port, std::uint16_t dst_port,
                                                 std::uint8_t icmp_type = 0, std::uint8_t icmp_code = 0) const;

  PathTrace trace(const Endpoint& from, const Endpoint& to, const Packet& p, TrackedHops tracked = {}) const;
  // The same, written into `out` (its previous contents replaced), for callers that reuse one
  // PathTrace for many packets.
  void trace_into(PathTrace& out, const Endpoint& from, const Endpoint& to, const Packet& p,
                  TrackedHops tracked = {}) const;

  // The request from client to server and, when it arrives, the server's reply.
  Exchange exchange(const Endpoint& client, const Endpoint& server, const Packet& request, FilteringModel model) const;

 private:
  HopResult sg_hop(EniId eni, Direction d, const Packet& p, bool tracked) const;
  HopResult nacl_hop(EniId eni, Direction d, const Packet& p) const;
  // `d` is the direction at the interface: kEgress towards the internet, kIngress from it.
  HopResult route_hop(EniId eni, Family f, Direction d) const;
  // The interface's two hops, skipped: the far end is an AWS service that security groups and
  // network ACLs never filter. `d` is the direction at the interface.
  void never_filtered(PathTrace& t, EniId eni, Direction d, AwsService service) const;

  const Network& net_;
  const CompiledFilters& filters_;
};

}  // namespace vpcsim
