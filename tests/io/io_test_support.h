// Shared pieces of the io tests: a valid base scenario to extend, loading helpers, and
// matchers for errors that check the field path, the message and the source position.
#pragma once

#include <gmock/gmock.h>

#include <string>
#include <string_view>

#include "io/scenario_loader.h"

namespace vpcsim::io::testing {

// A valid scenario using every kind of object; tests append fields to it (text format
// accepts repeated fields in any order), so appended objects get the next index.
extern const std::string kBase;

// Loads text-format `text` labelled "test.textproto"; fails the test if it loads.
Errors errors_of(std::string_view text);
// Loads text-format `text`; fails the test (and returns an empty scenario) if it does not.
Scenario load_ok(std::string_view text, const std::string& label = "test.textproto");

// 1-based line and column of the first occurrence of `needle` in `text` (0 if absent).
int line_of(std::string_view text, std::string_view needle);
int column_of(std::string_view text, std::string_view needle);

// An error at `field` whose message contains `message_part`.
::testing::Matcher<const Error&> ErrorAt(const std::string& field, const std::string& message_part);
// The same, also written at the position of `needle` in `text`.
::testing::Matcher<const Error&> ErrorAt(const std::string& field, const std::string& message_part,
                                         std::string_view text, std::string_view needle);

// Appends `extra` to kBase, loads it, and expects exactly one error: at `field`, containing
// `message_part`, located where `needle` (which must occur in `extra`) is.
void expect_only_error(const std::string& extra, const std::string& field, const std::string& message_part,
                       std::string_view needle);
// The same for a whole scenario `text` (for changes kBase cannot take by appending).
void expect_only_error_in(const std::string& text, const std::string& field, const std::string& message_part,
                          std::string_view needle, std::size_t search_from = 0);

// Every part of a scenario as text, so two loads can be compared whole.
std::string describe(const Scenario& s);

}  // namespace vpcsim::io::testing

namespace vpcsim {
// Lets GoogleTest print errors readably in failure messages.
void PrintTo(const Error& e, std::ostream* os);
}  // namespace vpcsim
