// What `vpcsim replay` and `vpcsim diff` share: loading the scenario they replay against and
// reading flow-log inputs, with every fatal problem reported on stderr.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "io/flowlog_reader.h"
#include "io/flowlog_stream.h"
#include "model/scenario.h"
#include "sim/cli/options.h"

namespace vpcsim::cli {

// The one place replay and diff load their input: load_input_or_report (a scenario file, or
// --aws DIR imported in memory).
std::optional<Scenario> load_replay_scenario(const CommonOptions& o);
// A second scenario by path (diff --after).
std::optional<Scenario> load_replay_scenario(const std::string& path);

// Reads the flow logs; `log_format` ("" for the default version 2 format) applies to files
// without a header line. Fatal problems (unreadable file, truncated gzip, bad header, formats
// that differ) are printed with file and line.
std::optional<io::FlowLogSet> read_flowlogs_or_report(const std::vector<std::string>& inputs,
                                                      const std::string& log_format);

// The same inputs opened for streaming (io/flowlog_stream.h): the problems found in the first
// line of each file are printed here; later ones come from FlowLogStream::next().
std::optional<io::FlowLogStream> open_flowlogs_or_report(const std::vector<std::string>& inputs,
                                                         const std::string& log_format);

// The stream's warnings (io::FlowLogStream::warnings, such as a CloudWatch JSON file that is one
// page of several) on stderr, "warning: file: field: what": call once the stream is read, or
// failed.
void print_flowlog_warnings(const io::FlowLogStream& stream);

}  // namespace vpcsim::cli
