#include "trace.hpp"

#include <map>

namespace azsim::cli {

nlohmann::ordered_json to_trace(const metrics::RunReport& r) {
  using J = nlohmann::ordered_json;
  J events = J::array();
  constexpr int kPods = 1, kNodes = 2, kFaults = 3;
  auto meta = [&](int pid, int tid, const std::string& what, const std::string& name) {
    J m = {{"ph", "M"}, {"pid", pid}, {"name", what}, {"args", {{"name", name}}}};
    if (tid >= 0) m["tid"] = tid;
    events.push_back(std::move(m));
  };
  meta(kPods, -1, "process_name", "pods");
  meta(kNodes, -1, "process_name", "nodes");
  meta(kFaults, -1, "process_name", "faults");
  const std::int64_t end = r.duration.us();
  int tid = 0;
  for (const auto& p : r.pods) {
    ++tid;
    meta(kPods, tid, "thread_name", p.ns + "/" + p.name);
    for (const auto& i : p.intervals) {
      J e = {{"ph", "X"}, {"pid", kPods}, {"tid", tid}, {"name", i.cause}, {"ts", i.from.us()}, {"dur", (i.to - i.from).us()}};
      if (!i.message.empty()) e["args"] = {{"message", i.message}};
      events.push_back(std::move(e));
    }
  }
  // Node NotReady periods from the event log.
  std::map<std::string, int> node_tid;
  std::map<std::string, std::int64_t> down_since;
  auto tid_of = [&](const std::string& node) {
    auto [it, fresh] = node_tid.emplace(node, static_cast<int>(node_tid.size()) + 1);
    if (fresh) meta(kNodes, it->second, "thread_name", node);
    return it->second;
  };
  for (const auto& n : r.nodes) tid_of(n.name);
  for (const auto& e : r.events) {
    if (e.object.rfind("node/", 0) != 0) continue;
    const std::string node = e.object.substr(5);
    if (e.reason == "NodeNotReady") {
      down_since[node] = e.t.us();
    } else if ((e.reason == "NodeReady" || e.reason == "DeletingNode") && down_since.count(node)) {
      events.push_back({{"ph", "X"}, {"pid", kNodes}, {"tid", tid_of(node)}, {"name", "NotReady"},
                        {"ts", down_since[node]}, {"dur", e.t.us() - down_since[node]}});
      down_since.erase(node);
    }
  }
  for (const auto& [node, since] : down_since)
    events.push_back({{"ph", "X"}, {"pid", kNodes}, {"tid", tid_of(node)}, {"name", "NotReady"}, {"ts", since}, {"dur", end - since}});
  // Data services: a counter track of rows readable and writable per level.
  constexpr int kData = 4;
  meta(kData, -1, "process_name", "data");
  for (const auto& d : r.data)
    for (const auto& sample : d.series)
      events.push_back({{"ph", "C"}, {"pid", kData}, {"name", d.service + " " + d.consistency + " rows"}, {"ts", sample.t.us()},
                        {"args", {{"readable", sample.readable}, {"writable", sample.writable}}}});
  for (const auto& e : r.events)
    if (e.reason == "Fault" || e.reason == "FaultSkipped")
      events.push_back({{"ph", "i"}, {"pid", kFaults}, {"tid", 1}, {"s", "g"}, {"name", e.message}, {"ts", e.t.us()}});
  return J{{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}, {"otherData", {{"scenario", r.scenario}, {"seed", r.seed}}}};
}

}  // namespace azsim::cli
