// Checking what a scenario expects of a flow against what the evaluator decided.
#pragma once

#include <string>
#include <vector>

#include "model/path_evaluator.h"
#include "model/scenario.h"

namespace vpcsim {

// Whether an expectation is checked under `model` (an expectation without a model applies
// to both).
bool applies(const Expectation& e, FilteringModel model);

// The verdict of one direction of an exchange as the expectation language names it.
ExpectedVerdict request_verdict(const Exchange& x);
ExpectedVerdict reply_verdict(const Exchange& x);

// What happened in one direction, as expectations see it.
struct ObservedDirection {
  ExpectedVerdict verdict = ExpectedVerdict::kNotSent;
  std::optional<Hop> dropped_at;
};

// Every way the observation differs from `e`, as sentences ("reply: expected dropped at
// sg-egress, got allowed"); empty when it holds.
std::vector<std::string> check_expectation(const Expectation& e, const ObservedDirection& request,
                                           const ObservedDirection& reply);
std::vector<std::string> check_expectation(const Expectation& e, const Exchange& x);

}  // namespace vpcsim
