#include "model/analysis/finding.h"

#include <algorithm>
#include <array>

namespace vpcsim::analysis {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
    case Severity::kCritical: return "critical";
  }
  return "?";
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (const Severity s : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

namespace {

constexpr std::string_view kSgRulesUri = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html";
constexpr std::string_view kDefaultSgUri = "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html";
constexpr std::string_view kSecurityHubEc2Uri = "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html";
constexpr std::string_view kNaclUri = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html";
constexpr std::string_view kNaclEphemeralUri =
    "https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html#nacl-ephemeral-ports";
constexpr std::string_view kConntrackUri =
    "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html";
constexpr std::string_view kSgUri = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html";

constexpr std::array kChecks{
    CheckInfo{"VPCSIM-NACL001", "NaclNoOutboundReturnRule",
              "a network ACL admits requests but no outbound entry lets the replies leave",
              "Network ACLs are stateless: the reply to a request admitted by an inbound entry is checked by the "
              "outbound entries, and it goes to the client's ephemeral port (Linux 32768-60999, Windows "
              "49152-65535, NAT gateways and ELB 1024-65535). AWS's example ACLs add an outbound allow for the "
              "ephemeral range (VPC User Guide, 'Ephemeral ports'). Add an outbound allow entry for tcp/udp "
              "1024-65535 to the clients' addresses, numbered before any deny that would hide it.",
              kNaclEphemeralUri, Severity::kHigh},
    CheckInfo{"VPCSIM-NACL002", "NaclNoInboundReturnRule",
              "a network ACL lets requests out but no inbound entry lets the replies back in",
              "Network ACLs are stateless: replies to connections that instances in the subnet open to a service "
              "port come back to their ephemeral ports and need an inbound allow entry (VPC User Guide, "
              "'Ephemeral ports'). Add an inbound allow entry for tcp/udp 1024-65535 from the servers' addresses.",
              kNaclEphemeralUri, Severity::kHigh},
    CheckInfo{"VPCSIM-NACL003", "NaclShadowedEntry", "a network ACL entry can never match: an earlier entry covers it",
              "Entries are evaluated in ascending rule number and the first match decides (VPC User Guide, "
              "'Network ACL rules'), so an entry whose traffic and CIDR an earlier entry already covers is never "
              "reached. When the two entries have different actions, the later one is a rule that silently does "
              "nothing. Renumber it below the covering entry, or delete it.",
              kNaclUri, Severity::kMedium},
    CheckInfo{"VPCSIM-NACL004", "NaclLikelyMistypedPort", "a network ACL entry names a port one typo away from a well-known one",
              "The entry opens a single port that nothing else in the network uses and that differs by one digit "
              "(changed, added, dropped or two swapped) from a well-known service port that the network does not "
              "use either, e.g. 433 for 443. Traffic to the intended port is denied. Correct the port.",
              kNaclUri, Severity::kMedium},
    CheckInfo{"VPCSIM-NACL005", "NaclReversedPortRange", "a network ACL entry's port range is reversed and matches nothing",
              "A port range whose first port is above its last selects no port at all (the EC2 API rejects it). "
              "Swap the bounds.",
              kNaclUri, Severity::kHigh},
    CheckInfo{"VPCSIM-SG001", "AdminPortOpenToWorld",
              "an inbound rule opens an administration or database port to the whole internet",
              "AWS recommends authorising only specific address ranges for SSH, RDP and database access (VPC "
              "User Guide, 'Security group rules'; Security Hub controls EC2.13, EC2.14 and EC2.19 flag "
              "0.0.0.0/0 and ::/0 to such ports). Internet scanners find these ports within minutes. Restrict the "
              "source to the administrators' addresses, a prefix list, or a bastion's security group.",
              kSecurityHubEc2Uri, Severity::kHigh},
    CheckInfo{"VPCSIM-SG002", "AllTrafficOpenToWorld", "an inbound rule opens every port (or every protocol) to the whole internet",
              "Every service the instance runs, including ones nobody meant to publish, becomes reachable from "
              "anywhere (Security Hub EC2.18: only authorised ports may be open to 0.0.0.0/0). Allow only the "
              "service ports the instance serves.",
              kSecurityHubEc2Uri, Severity::kCritical},
    CheckInfo{"VPCSIM-SG003", "DefaultGroupHasCustomRules", "the VPC's default security group carries rules beyond AWS's defaults",
              "Interfaces launched without a group get the default group, so rules added to it reach instances "
              "nobody reviewed. AWS recommends not using the default group and Security Hub EC2.2 expects it to "
              "allow no traffic at all (VPC User Guide, 'Default security groups'). Move the rules to a group "
              "of their own and remove them from the default group.",
              kDefaultSgUri, Severity::kMedium},
    CheckInfo{"VPCSIM-SG004", "DefaultGroupInUse", "the VPC's default security group is attached to interfaces",
              "The default group lets every member talk to every other on all ports, so unrelated instances "
              "that share it can reach each other. AWS recommends creating groups for your instances instead "
              "(VPC User Guide, 'Default security groups'; Security Hub EC2.2). Attach purpose-made groups and "
              "detach the default one.",
              kDefaultSgUri, Severity::kMedium},
    CheckInfo{"VPCSIM-SG005", "LikelyMistypedPort", "a rule names a port one typo away from a well-known one",
              "The rule opens a single port that nothing else in the network uses and that differs by one digit "
              "(changed, added, dropped or two swapped) from a well-known service port that the network does not "
              "use either, e.g. 433 for 443 or 2 for 22. Traffic to the intended port is dropped while an odd "
              "port is open. Correct the port.",
              kSgRulesUri, Severity::kMedium},
    CheckInfo{"VPCSIM-SG006", "ReversedPortRange", "a rule's port range is reversed and matches nothing",
              "A port range whose first port is above its last selects no port at all (the EC2 API rejects it). "
              "Swap the bounds.",
              kSgRulesUri, Severity::kHigh},
    CheckInfo{"VPCSIM-SG007", "OversizedPortRange", "an inbound rule opens a wide port range that includes privileged ports",
              "A range of hundreds of ports starting below 1024 opens many services at once; it is usually a "
              "shortcut for one or two ports. AWS recommends least privilege in security group rules (VPC User "
              "Guide, 'Security best practices'). List the ports the instance serves.",
              kSgRulesUri, Severity::kLow},
    CheckInfo{"VPCSIM-SG008", "StatelessReplyBlockedOutbound",
              "stateless model: an inbound rule admits requests whose replies no outbound rule allows",
              "In the stateless model every packet needs a rule, so the server's reply (to the client's "
              "ephemeral port, 1024-65535; Linux uses 32768-60999) must be allowed by an outbound rule of the "
              "interface's groups. Real AWS security groups are stateful and would pass it (EC2 User Guide, "
              "'Security group connection tracking'). Add an outbound rule for the ephemeral range to the "
              "clients' addresses; an outbound rule for the service port does not help.",
              kConntrackUri, Severity::kHigh},
    CheckInfo{"VPCSIM-SG009", "StatelessReplyBlockedInbound",
              "stateless model: an outbound rule lets requests out whose replies no inbound rule allows",
              "In the stateless model the reply from the server comes back to the client's ephemeral port and "
              "needs an inbound rule for it. Add an inbound rule for the ephemeral range (1024-65535) from the "
              "servers' addresses.",
              kConntrackUri, Severity::kHigh},
    CheckInfo{"VPCSIM-SG010", "RedundantRule", "a rule is redundant: another rule on the same interfaces allows a superset",
              "The rules of all groups on an interface are unioned (VPC User Guide, 'Security group rules'), so "
              "a rule whose traffic and peer another rule already covers adds nothing; it hides what the "
              "configuration really allows and outlives the rule it duplicates. Remove it.",
              kSgRulesUri, Severity::kLow},
    CheckInfo{"VPCSIM-SG011", "UnattachedGroup", "a security group is attached to no interface",
              "An unused group is clutter that can be attached later with rules nobody reviews; rules that "
              "reference it match no address. Security Hub (EC2.22) reports unused groups. Delete it or attach it.",
              kSecurityHubEc2Uri, Severity::kLow},
    CheckInfo{"VPCSIM-SG012", "DanglingReference", "a rule references a security group or prefix list that does not exist",
              "A rule whose peer does not exist matches no address, so the traffic it was meant for is "
              "dropped (VPC User Guide, 'Security group rules': a referenced group must exist). Point it at an "
              "existing group or prefix list, or remove it.",
              kSgRulesUri, Severity::kHigh},
    CheckInfo{"VPCSIM-SG013", "EgressOpenToWorld", "an outbound rule allows all traffic to the whole internet",
              "New groups get this rule, and it lets a compromised instance send anything anywhere. AWS "
              "recommends least privilege for outbound rules too (VPC User Guide, 'Security groups'). Where the "
              "instance's destinations are known, replace it with rules for them.",
              kSgUri, Severity::kInfo},
};

}  // namespace

std::span<const CheckInfo> lint_checks() { return kChecks; }

const CheckInfo* find_check(std::string_view id) {
  const auto it = std::ranges::find(kChecks, id, &CheckInfo::id);
  return it == kChecks.end() ? nullptr : &*it;
}

}  // namespace vpcsim::analysis
