#include "gui/trace_text.h"

#include "model/compiled_filters.h"
#include "model/explain.h"
#include "model/path_evaluator.h"

namespace vpcsim::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

void appendTrace(QString& out, const Network& net, const char* title, const PathTrace& t) {
  out += QStringLiteral("%1  %2\n").arg(QLatin1String(title), q(t.packet.to_string()));
  int n = 1;
  for (const HopResult& h : t.hops) {
    out += QStringLiteral("  %1 %2 %3 %4  %5\n")
               .arg(n++)
               .arg(q(to_string(h.hop)), -12)
               .arg(q(describe_location(net, h)), -34)
               .arg(h.dropped() ? QStringLiteral("DROPPED") : q(to_string(h.outcome)), -8)
               .arg(q(explain_hop(net, h, t.packet)));
  }
  out += t.delivered() ? QStringLiteral("  => delivered\n") : QStringLiteral("  => dropped\n");
}

QString counts(const FlowDirectionRecord& d) {
  if (d.verdict == DirectionVerdict::kNotSent) return {};
  return QStringLiteral(" [%1 of %2 packets delivered]").arg(d.packets_delivered).arg(d.packets_delivered + d.packets_dropped);
}

}  // namespace

QString flowTraceText(const FlowTableModel& m, int row) {
  const Scenario* s = m.scenario();
  if (s == nullptr || row < 0 || row >= m.rowCount()) return {};
  const FlowRecord& r = m.record(row);
  const Network& net = s->network;
  QString out = QStringLiteral("%1 (flow #%2) at %3: %4 -> %5\n")
                    .arg(m.flowName(r))
                    .arg(r.id)
                    .arg(q(format_time(r.start)), q(endpoint_label(net, r.client)), q(endpoint_label(net, r.server)));
  out += QStringLiteral("\nAs run under the %1 model:\n").arg(q(to_string(m.model())));
  out += QStringLiteral("  request  %1%2\n").arg(m.directionText(r.request), counts(r.request));
  out += QStringLiteral("  reply    %1%2\n").arg(m.directionText(r.reply), counts(r.reply));

  out += QStringLiteral("\nHop by hop, rules as the scenario writes them (before any timed change):\n");
  const CompiledFilters filters(net);
  const PathEvaluator eval(net, filters);
  const Exchange ex = eval.exchange(r.client, r.server, r.first_packet, m.model());
  appendTrace(out, net, "request", ex.request);
  if (ex.reply) {
    appendTrace(out, net, "reply  ", *ex.reply);
  } else {
    out += QStringLiteral("reply    not sent: the request never arrived\n");
  }
  return out;
}

QString packetText(const Network& net, const SteppedPacket& p) {
  // Flow fidelity labels the packet "request" or "reply"; packet fidelity "SYN", "data", ...
  const QString direction = p.reply ? QStringLiteral("reply") : QStringLiteral("request");
  const QString what = q(p.label) == direction ? direction : QStringLiteral("%1 %2").arg(direction, q(p.label));
  QString out = QStringLiteral("Step at %1: %2 of flow #%3 (%4 -> %5)\n")
                    .arg(q(format_time(p.time)), what)
                    .arg(p.flow_id)
                    .arg(q(endpoint_label(net, p.from)), q(endpoint_label(net, p.to)));
  out += QStringLiteral("%1\n").arg(q(p.trace.packet.to_string()));
  for (std::size_t i = 0; i < p.trace.hops.size(); ++i) {
    const HopResult& h = p.trace.hops[i];
    out += QStringLiteral("  %1 %2 %3  %4\n")
               .arg(i + 1)
               .arg(q(to_string(h.hop)), -12)
               .arg(h.dropped() ? QStringLiteral("DROPPED") : q(to_string(h.outcome)), -8)
               .arg(i < p.explanations.size() ? q(p.explanations[i]) : QString());
  }
  out += p.trace.delivered() ? QStringLiteral("  => delivered\n") : QStringLiteral("  => dropped\n");
  return out;
}

QString instanceText(const Network& net, InstanceId id) {
  const Instance& inst = net.instance(id);
  QString out = QStringLiteral("%1").arg(q(inst.name));
  if (!inst.role.empty()) out += QStringLiteral(" (%1)").arg(q(inst.role));
  out += QLatin1Char('\n');
  if (!inst.description.empty()) out += q(inst.description) + QLatin1Char('\n');
  for (EniId e : inst.enis) {
    const Eni& eni = net.eni(e);
    const Subnet& subnet = net.subnet(eni.subnet);
    const auto address = eni.display_address();
    out += QStringLiteral("\ninterface %1 in %2, private %3%4")
               .arg(q(eni.id), q(subnet.id), address ? q(address->to_string()) : QStringLiteral("-"),
                    eni.ipv6_only() ? QStringLiteral(" (IPv6-only)") : QString());
    if (eni.public_ipv4) out += QStringLiteral(", public %1").arg(q(eni.public_ipv4->to_string()));
    out += QStringLiteral("\n  network ACL %1 on its subnet\n").arg(q(net.nacl(subnet.nacl).id));
    for (SgId g : eni.groups) {
      const SecurityGroup& sg = net.sg(g);
      out += QStringLiteral("  security group %1%2\n")
                 .arg(q(sg.id), sg.description.empty() ? QString() : QStringLiteral(": ") + q(sg.description));
      for (Direction d : {Direction::kIngress, Direction::kEgress}) {
        const auto& rules = sg.rules(d);
        if (rules.empty()) out += QStringLiteral("    (no %1 rules)\n").arg(q(to_string(d)));
        for (std::uint32_t i = 0; i < rules.size(); ++i) {
          out += QStringLiteral("    %1\n").arg(q(describe_sg_rule(net, SgRuleRef{g, d, i})));
        }
      }
    }
  }
  return out;
}

}  // namespace vpcsim::gui
