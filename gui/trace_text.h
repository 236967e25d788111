// Words for the trace dock: one flow of the table, as the run judged it and hop by hop in both
// directions with the deciding rules; and one stepped packet.
#pragma once

#include <QString>

#include "gui/flow_table_model.h"

namespace vpcsim::gui {

// The flow at `row` of `m`: the run's verdicts, then the exchange traced hop by hop against
// the rules as the scenario writes them (PathEvaluator::exchange, as `vpcsim explain` does).
QString flowTraceText(const FlowTableModel& m, int row);
// A packet judged by a single step.
QString packetText(const Network& net, const SteppedPacket& p);
// An instance's interfaces with their groups and every rule of them, and its subnet's ACL.
QString instanceText(const Network& net, InstanceId id);

}  // namespace vpcsim::gui
