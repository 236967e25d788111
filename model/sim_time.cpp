#include "model/sim_time.h"

#include <cstdio>

namespace vpcsim {

std::string format_time(SimTime t) {
  const bool negative = t.count() < 0;
  const std::int64_t ns = negative ? -t.count() : t.count();
  const std::int64_t total_s = ns / 1'000'000'000;
  std::int64_t frac = ns % 1'000'000'000;  // nanoseconds, printed with trailing zeros trimmed
  const std::int64_t h = total_s / 3600, m = (total_s % 3600) / 60, s = total_s % 60;
  char buf[64];
  if (h > 0) std::snprintf(buf, sizeof buf, "%lldh%02lldm%02lld", static_cast<long long>(h), static_cast<long long>(m), static_cast<long long>(s));
  else if (m > 0) std::snprintf(buf, sizeof buf, "%lldm%02lld", static_cast<long long>(m), static_cast<long long>(s));
  else std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(s));
  std::string out = (negative ? "-" : "") + std::string(buf);
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(frac));
    std::string digits(buf);
    while (digits.back() == '0') digits.pop_back();
    out += digits;
  }
  return out + "s";
}

}  // namespace vpcsim
