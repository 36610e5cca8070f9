#include "report_json.hpp"

#include "sim/version.hpp"

namespace azsim::cli {

namespace {
double secs(sim::Duration d) { return static_cast<double>(d.us()) / 1e6; }
}  // namespace

nlohmann::ordered_json to_json(const metrics::RunReport& r) {
  using J = nlohmann::ordered_json;
  J j;
  j["azsim"] = {{"version", kVersion}, {"schema", kReportSchema}};
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  if (r.trial) j["trial"] = *r.trial;
  j["duration_s"] = secs(r.duration);
  j["setup_s"] = secs(r.setup);
  j["setup_converged"] = r.setup_converged;
  j["warnings"] = r.warnings;
  J pods = J::array();
  for (const auto& p : r.pods) {
    J intervals = J::array();
    for (const auto& i : p.intervals) {
      J ji = {{"from_s", secs(i.from)}, {"to_s", secs(i.to)}, {"state", i.state}, {"cause", i.cause}};
      if (!i.message.empty()) ji["message"] = i.message;
      intervals.push_back(std::move(ji));
    }
    pods.push_back({{"name", p.name},
                    {"namespace", p.ns},
                    {"node", p.node},
                    {"zone", p.zone},
                    {"phase", p.phase},
                    {"ready", p.ready},
                    {"pending_s", secs(p.pending)},
                    {"not_ready_s", secs(p.not_ready)},
                    {"intervals", std::move(intervals)}});
  }
  j["pods"] = std::move(pods);
  J nodes = J::array();
  for (const auto& n : r.nodes)
    nodes.push_back({{"name", n.name},
                     {"zone", n.zone},
                     {"group", n.group},
                     {"instance", n.instance},
                     {"instance_type", n.instance_type},
                     {"ready", n.ready},
                     {"unschedulable", n.unschedulable}});
  j["nodes"] = std::move(nodes);
  J volumes = J::array();
  for (const auto& v : r.volumes)
    volumes.push_back({{"id", v.id},
                       {"zone", v.zone},
                       {"claim", v.claim},
                       {"pv", v.pv},
                       {"size_gib", v.size_gib},
                       {"type", v.type},
                       {"lost", v.lost}});
  j["volumes"] = std::move(volumes);
  J data = J::array();
  for (const auto& d : r.data) {
    J windows = J::array();
    for (const auto& w : d.unavailable_windows)
      windows.push_back({{"from_s", secs(w.from)}, {"to_s", secs(w.to)}, {"rows_unavailable", w.rows_unavailable}});
    J redundancy = J::array();
    for (const auto& e : d.redundancy)
      redundancy.push_back({{"fault_s", secs(e.fault)},
                            {"restored_s", e.restored ? J(secs(*e.restored)) : J(nullptr)},
                            {"time_to_full_redundancy_s", e.restored ? J(secs(*e.restored - e.fault)) : J(nullptr)},
                            {"replica", e.replica}});
    data.push_back({{"service", d.service},
                    {"type", d.type},
                    {"consistency", d.consistency},
                    {"read_availability", d.read_availability},
                    {"write_availability", d.write_availability},
                    {"rows", d.rows},
                    {"rows_readable_min", d.rows_readable_min},
                    {"rows_writable_min", d.rows_writable_min},
                    {"rows_lost", d.rows_lost},
                    {"unavailable_windows", std::move(windows)},
                    {"redundancy", std::move(redundancy)}});
  }
  j["data"] = std::move(data);
  J events = J::array();
  for (const auto& e : r.events)
    events.push_back({{"t_s", secs(e.t)}, {"type", e.type}, {"reason", e.reason}, {"object", e.object}, {"message", e.message}});
  j["events"] = std::move(events);
  return j;
}

}  // namespace azsim::cli
