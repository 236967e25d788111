// Indented JSON for the analysis commands' reports, from Boost.JSON values (objects keep the
// order their keys were added in, so output is deterministic).
#pragma once

#include <boost/json/value.hpp>

#include <ostream>

namespace vpcsim::cli {

void print_pretty_json(std::ostream& out, const boost::json::value& v);

}  // namespace vpcsim::cli
