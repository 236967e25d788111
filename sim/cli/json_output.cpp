// Boost.JSON is used header-only: this file compiles its implementation once for the tool.
#include "sim/cli/json_output.h"

#include <boost/json/src.hpp>

#include <string>

namespace vpcsim::cli {

namespace {

void print(std::ostream& out, const boost::json::value& v, int depth) {
  const std::string pad(static_cast<std::size_t>(depth + 1) * 2, ' ');
  const std::string close_pad(static_cast<std::size_t>(depth) * 2, ' ');
  if (const auto* o = v.if_object(); o && !o->empty()) {
    out << "{\n";
    bool first = true;
    for (const auto& kv : *o) {
      out << (first ? "" : ",\n") << pad << boost::json::serialize(boost::json::value(kv.key())) << ": ";
      print(out, kv.value(), depth + 1);
      first = false;
    }
    out << '\n' << close_pad << '}';
  } else if (const auto* a = v.if_array(); a && !a->empty()) {
    out << "[\n";
    bool first = true;
    for (const auto& e : *a) {
      out << (first ? "" : ",\n") << pad;
      print(out, e, depth + 1);
      first = false;
    }
    out << '\n' << close_pad << ']';
  } else {
    out << boost::json::serialize(v);
  }
}

}  // namespace

void print_pretty_json(std::ostream& out, const boost::json::value& v) {
  print(out, v, 0);
  out << '\n';
}

}  // namespace vpcsim::cli
