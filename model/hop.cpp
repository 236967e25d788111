#include "model/hop.h"

namespace vpcsim {

std::string_view to_string(Hop h) {
  switch (h) {
    case Hop::kSgEgress: return "sg-egress";
    case Hop::kNaclEgress: return "nacl-egress";
    case Hop::kNaclIngress: return "nacl-ingress";
    case Hop::kSgIngress: return "sg-ingress";
    case Hop::kRoute: return "route";
  }
  return "?";
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::kAllowed: return "allowed";
    case Outcome::kDropped: return "dropped";
    case Outcome::kSkipped: return "skipped";
  }
  return "?";
}

std::string_view to_string(Reason r) {
  switch (r) {
    case Reason::kRuleAllowed: return "rule-allowed";
    case Reason::kRuleDenied: return "rule-denied";
    case Reason::kNoRuleMatched: return "no-rule-matched";
    case Reason::kImplicitDeny: return "implicit-deny";
    case Reason::kTracked: return "connection-tracked";
    case Reason::kSameSubnet: return "same-subnet";
    case Reason::kInternetGateway: return "internet-gateway";
    case Reason::kNoInternetGateway: return "no-internet-gateway";
    case Reason::kNoInternetRoute: return "no-internet-route";
    case Reason::kNoPublicAddress: return "no-public-address";
    case Reason::kNeverFiltered: return "never-filtered";
  }
  return "?";
}

}  // namespace vpcsim
