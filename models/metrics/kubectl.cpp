#include "models/metrics/kubectl.hpp"

#include <algorithm>
#include <cstdint>

#include "models/k8s/quantity.hpp"

namespace azsim::metrics {

std::string human_duration(sim::Duration d) {
  const std::int64_t secs = d.us() / 1'000'000;
  if (d.us() < -1'000'000) return "<invalid>";
  if (secs <= 0) return "0s";
  auto s = [](std::int64_t v) { return std::to_string(v); };
  if (secs < 60 * 2) return s(secs) + "s";
  const std::int64_t minutes = secs / 60;
  if (minutes < 10) {
    const std::int64_t rem = secs % 60;
    return rem == 0 ? s(minutes) + "m" : s(minutes) + "m" + s(rem) + "s";
  }
  if (minutes < 60 * 3) return s(minutes) + "m";
  const std::int64_t hours = minutes / 60;
  if (hours < 8) {
    const std::int64_t rem = minutes % 60;
    return rem == 0 ? s(hours) + "h" : s(hours) + "h" + s(rem) + "m";
  }
  if (hours < 48) return s(hours) + "h";
  if (hours < 24 * 8) {
    const std::int64_t rem = hours % 24;
    return rem == 0 ? s(hours / 24) + "d" : s(hours / 24) + "d" + s(rem) + "h";
  }
  if (hours < 24 * 365 * 2) return s(hours / 24) + "d";
  const std::int64_t years = hours / 24 / 365;
  if (years < 8) {
    const std::int64_t days = (hours / 24) % 365;
    return days == 0 ? s(years) + "y" : s(years) + "y" + s(days) + "d";
  }
  return s(years) + "y";
}

std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 3, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string get_nodes(const controllers::Cluster& c) {
  std::vector<std::vector<std::string>> rows{{"NAME", "STATUS", "ROLES", "AGE", "VERSION", "ZONE"}};
  const sim::Time now = c.store().now();
  const std::string version = "v" + c.params().version.str() + ".0";
  for (const auto* n : c.store().list<k8s::Node>()) {
    std::string status = n->status.ready == k8s::ConditionStatus::True ? "Ready" : "NotReady";
    if (n->spec.unschedulable) status += ",SchedulingDisabled";
    std::string roles = "<none>";
    for (const auto& [k, v] : n->meta.labels) {
      const std::string prefix = "node-role.kubernetes.io/";
      if (k.rfind(prefix, 0) == 0) roles = roles == "<none>" ? k.substr(prefix.size()) : roles + "," + k.substr(prefix.size());
    }
    rows.push_back({n->meta.name, status, roles, human_duration(now - n->meta.creation_timestamp), version, n->zone()});
  }
  return table(rows);
}

std::string pod_status(const controllers::Cluster& c, const k8s::Pod& pod) {
  (void)c;
  if (pod.terminating()) return "Terminating";
  if (!pod.bound()) return "Pending";
  if (!pod.status.containers_started) return "ContainerCreating";
  return k8s::to_string(pod.status.phase);
}

namespace {

std::string pod_ip(const k8s::Pod& pod) {
  if (!pod.bound()) return "<none>";
  // A stable address from the pod's uid in the VPC CNI's secondary range.
  const std::uint64_t u = pod.meta.uid * 0x9E3779B97F4A7C15ULL;
  return "10.0." + std::to_string((u >> 8) % 250 + 1) + "." + std::to_string((u >> 24) % 250 + 2);
}

std::string access_modes(const std::vector<k8s::AccessMode>& modes) {
  std::string s;
  for (auto m : modes) {
    const char* a = m == k8s::AccessMode::ReadWriteOnce ? "RWO"
                    : m == k8s::AccessMode::ReadOnlyMany ? "ROX"
                    : m == k8s::AccessMode::ReadWriteMany ? "RWX"
                                                          : "RWOP";
    s += (s.empty() ? "" : ",") + std::string(a);
  }
  return s;
}

}  // namespace

std::string get_pods_wide(const controllers::Cluster& c) {
  std::vector<std::vector<std::string>> rows{
      {"NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"}};
  const sim::Time now = c.store().now();
  for (const auto* p : c.store().list<k8s::Pod>()) {
    const std::size_t total = std::max<std::size_t>(1, p->spec.containers.size());
    const std::size_t ready = p->status.ready ? total : 0;
    rows.push_back({p->meta.name, std::to_string(ready) + "/" + std::to_string(total), pod_status(c, *p), "0",
                    human_duration(now - p->meta.creation_timestamp), pod_ip(*p),
                    p->bound() ? p->spec.node_name : "<none>", "<none>", "<none>"});
  }
  return table(rows);
}

std::string get_pvc(const controllers::Cluster& c) {
  std::vector<std::vector<std::string>> rows{
      {"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "AGE"}};
  const sim::Time now = c.store().now();
  for (const auto* pvc : c.store().list<k8s::PersistentVolumeClaim>()) {
    std::string capacity, modes;
    if (const auto* pv = pvc->volume_name.empty() ? nullptr : c.store().get<k8s::PersistentVolume>(pvc->volume_name)) {
      capacity = k8s::format_bytes(pv->capacity_bytes);
      modes = access_modes(pv->access_modes);
    }
    std::string sc = pvc->storage_class_name.value_or("");
    if (!pvc->storage_class_name)
      for (const auto* cls : c.store().list<k8s::StorageClass>())
        if (cls->is_default()) sc = cls->meta.name;
    rows.push_back({pvc->meta.name, k8s::to_string(pvc->phase), pvc->volume_name, capacity, modes, sc,
                    human_duration(now - pvc->meta.creation_timestamp)});
  }
  return table(rows);
}

std::string get_events(const controllers::Cluster& c, sim::Time since) {
  std::vector<std::vector<std::string>> rows{{"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"}};
  const sim::Time now = c.store().now();
  for (const auto& e : c.events().events()) {
    if (e.time < since) continue;
    rows.push_back({human_duration(now - e.time), k8s::to_string(e.type), e.reason, e.object, e.message});
  }
  return table(rows);
}

}  // namespace azsim::metrics
