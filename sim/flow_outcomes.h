// Keeps the results of a scenario's explicit flows (there are few) and checks their
// expectations, for `vpcsim run` and the lesson tests. Generated flows are not kept.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.h"
#include "sim/expectations.h"
#include "sim/observer.h"

namespace vpcsim {

struct ObservedFlow {
  const FlowSpec* spec = nullptr;
  std::uint64_t id = 0;
  SimTime start{0};
  SimTime end{0};
  DirectionResult request;
  DirectionResult reply;
  std::size_t expectations_checked = 0;
  std::size_t expectations_failed = 0;
  std::vector<std::string> failures;

  bool works() const { return request.all_delivered() && reply.all_delivered(); }
};

ObservedDirection observe(const DirectionResult& d);

class FlowOutcomes : public Observer {
 public:
  FlowOutcomes(const Scenario& scenario, FilteringModel model) : scenario_(scenario), model_(model) {}
  void on_flow(const FlowResult& r) override;

  // In the scenario's order; a flow the run never started (past the horizon) is absent.
  std::vector<const ObservedFlow*> flows() const;
  std::size_t expectations_checked() const;
  std::size_t expectations_failed() const;
  // Expectations of flows that never ran count as failed: a lesson whose flow lies past
  // the horizon has not shown what it claims.
  std::vector<std::string> not_run() const;

 private:
  const Scenario& scenario_;
  FilteringModel model_;
  std::vector<ObservedFlow> observed_;
};

}  // namespace vpcsim
