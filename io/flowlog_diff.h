// `vpcsim diff` over flow logs, streamed (io/flowlog_stream.h). A header of its own because
// sim/verdict_diff.h and sim/results/flow_collector.h both define kHopKinds.
#pragma once

#include <expected>

#include "io/flowlog_stream.h"
#include "sim/verdict_diff.h"

namespace vpcsim::io {

// `vpcsim diff` over flow logs: every line of `stream` replayed against both networks side by
// side in one pass (two ReplayStreams fed the same lines release the same records at the same
// time), each record's two decisions folded into the diff in input order as soon as both are
// known. A record one side cannot place (e.g. its interface is missing there) counts as
// only_before / only_after. Memory is bounded by the window, as for the replay.
struct FlowLogDiff {
  VerdictDiff diff;
  std::uint64_t out_of_order = 0;  // as ReplayStreamStats::out_of_order (the same on both sides)
};
std::expected<FlowLogDiff, Error> diff_flowlogs(FlowLogStream& stream, const Network& before, const Network& after,
                                                FilteringModel model, ReplayStreamOptions options = {});
// The JudgedFlow of one replayed record, as diff_flowlogs judges it: key = its line number,
// label "path:line interface direction packet".
JudgedFlow judge_record(const Network& net, std::uint64_t line, const std::string& location, const FlowObservation& r,
                        const ReplayDecision& d);

}  // namespace vpcsim::io
