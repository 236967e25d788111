#include "model/analysis/reach_graph.h"

namespace vpcsim::analysis {

std::vector<Topology::OverlayEdge> reach_overlay(const Topology& t, const ReachMatrix& m, FilteringModel model) {
  const ReachQuery& q = m.query();
  const std::string what = Protocol::number(q.protocol).to_string() +
                           (q.protocol == Protocol::kTcp || q.protocol == Protocol::kUdp ? "/" + std::to_string(q.port) : "");
  std::vector<Topology::OverlayEdge> out;
  for (std::size_t i = 0; i < m.clients().size(); ++i) {
    for (std::size_t j = 0; j < m.servers().size(); ++j) {
      const ReachCell& c = m.at(model, i, j);
      if (!c.applicable || !c.request) continue;
      const bool works = c.works();
      out.push_back({t.vertex(m.clients()[i]), t.vertex(m.servers()[j]), works ? what : what + " (reply dropped)",
                     works ? "darkgreen" : "orange", works ? "bold" : "dashed"});
    }
  }
  return out;
}

}  // namespace vpcsim::analysis
