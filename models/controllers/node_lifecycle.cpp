// Node lifecycle controller and taint-based eviction (FIDELITY A rows "node-monitor-*",
// "node-eviction-rate", "secondary-node-eviction-rate", "unhealthy-zone-threshold",
// "large-cluster-size-threshold"; B "Node loss").
//
// A node whose kubelet stopped renewing its lease is marked Ready=Unknown once the grace period
// has passed since the monitor last saw a renewal; it gets the unreachable NoSchedule taint at
// once and the NoExecute taint through a per-zone rate limiter that slows or stops in a
// disrupted zone. Pods on a NoExecute-tainted node are marked for deletion when their
// toleration runs out (300 s by default, from DefaultTolerationSeconds).
#include <algorithm>
#include <limits>
#include <string_view>
#include <vector>

#include "models/controllers/internal.hpp"

namespace azsim::controllers {

namespace {

enum class ZoneHealth { Normal, PartialDisruption, FullDisruption };

bool has_taint(const k8s::Node& n, const char* key, k8s::TaintEffect e) {
  return std::any_of(n.spec.taints.begin(), n.spec.taints.end(),
                     [&](const k8s::Taint& t) { return t.key == key && t.effect == e; });
}

}  // namespace

void Cluster::Impl::node_monitor() {
  const sim::Time now = sim.now();
  // 1. Health: declare lost nodes Unknown; lift taints from recovered ones.
  for (auto& [name, n] : nodes) {
    const k8s::Node* node = store.get<k8s::Node>(name);
    if (!node) continue;
    if (n.dead_since && node->status.ready == k8s::ConditionStatus::True) {
      if (now < n.unknown_at) {
        monitor->request_at(n.unknown_at);
        continue;
      }
      store.mutate<k8s::Node>(name, [&](k8s::Node& nd) {
        nd.status.ready = k8s::ConditionStatus::Unknown;
        nd.spec.taints.push_back(k8s::Taint{k8s::wellknown::kTaintUnreachable, "", k8s::TaintEffect::NoSchedule, {}});
      });
      if (recording())
        record(k8s::EventType::Normal, "NodeNotReady", "node/" + name, "Node " + name + " status is now: NodeNotReady",
               "node-controller");
      // MarkPodsNotReady: the controller flips the Ready condition of the node's pods.
      for (const auto& key : copy_keys(pod_index.on_node(name)))
        if (const k8s::Pod* pod = store.get<k8s::Pod>(key); pod && pod->status.ready)
          store.mutate<k8s::Pod>(key, [](k8s::Pod& pd) { pd.status.ready = false; });
      n.noexec_queued = true;
      cloud_lifecycle->request_next();
    } else if (!n.dead_since && node->status.ready == k8s::ConditionStatus::True &&
               (has_taint(*node, k8s::wellknown::kTaintUnreachable, k8s::TaintEffect::NoSchedule) ||
                has_taint(*node, k8s::wellknown::kTaintUnreachable, k8s::TaintEffect::NoExecute) ||
                has_taint(*node, k8s::wellknown::kTaintShutdown, k8s::TaintEffect::NoSchedule))) {
      store.mutate<k8s::Node>(name, [&](k8s::Node& nd) {
        std::erase_if(nd.spec.taints, [](const k8s::Taint& t) {
          return t.key == k8s::wellknown::kTaintUnreachable || t.key == k8s::wellknown::kTaintShutdown;
        });
      });
      request_scheduling(now);
    }
  }
  schedule_noexec_taints();
}

void Cluster::Impl::schedule_noexec_taints() {
  // Zone health (nodelifecycle ComputeZoneState): Full when no node is Ready, Partial when more
  // than 2 are not Ready and they are at least unhealthy-zone-threshold of the zone.
  // A handful of zones: a list searched in place beats a map built on every call.
  struct Zone {
    std::string_view name;
    int ready = 0;
    int not_ready = 0;
    ZoneHealth health = ZoneHealth::Normal;
  };
  std::vector<Zone> zones;
  auto zone_of = [&zones](std::string_view name) -> Zone* {
    for (Zone& z : zones)
      if (z.name == name) return &z;
    return nullptr;
  };
  for (const auto& [name, n] : nodes) {
    const k8s::Node* node = store.get<k8s::Node>(name);
    if (!node) continue;
    Zone* z = zone_of(n.zone);
    if (z == nullptr) z = &zones.emplace_back(Zone{n.zone});
    (node->status.ready == k8s::ConditionStatus::True ? z->ready : z->not_ready)++;
  }
  bool all_full = !zones.empty();
  for (Zone& z : zones) {
    const int total = z.ready + z.not_ready;
    if (z.ready == 0 && z.not_ready > 0) z.health = ZoneHealth::FullDisruption;
    else if (z.not_ready > 2 && static_cast<double>(z.not_ready) / total >= p.unhealthy_zone_threshold)
      z.health = ZoneHealth::PartialDisruption;
    if (z.health != ZoneHealth::FullDisruption) all_full = false;
  }
  if (all_full) {
    // Every zone is down: the controller assumes its own connectivity is at fault, evicts
    // nothing and lifts the NoExecute taints it set (handleDisruption, "master disruption mode").
    for (auto& [name, n] : nodes) {
      remove_noexec_taints(name);
      cancel_evictions(name);
    }
    return;
  }
  for (auto& [name, n] : nodes) {
    if (!n.noexec_queued) continue;
    const Zone* z = zone_of(n.zone);  // none: the node's object is gone, its zone counts as Normal
    const ZoneHealth h = z ? z->health : ZoneHealth::Normal;
    // setLimiterInZone: Normal and FullDisruption evict at the primary rate; PartialDisruption
    // at the secondary rate when the zone has more than large-cluster-size-threshold nodes
    // (ReducedQPSFunc is called with the zone's size), else not at all.
    double rate = p.node_eviction_rate;
    if (h == ZoneHealth::PartialDisruption)
      rate = z->ready + z->not_ready > p.large_cluster_size_threshold ? p.secondary_node_eviction_rate : 0.0;
    if (rate <= 0) continue;  // evictions stop in a partially disrupted small zone
    n.noexec_queued = false;
    sim::Time& next = zone_next_taint[n.zone];
    const sim::Time when = std::max(sim.now(), next);
    next = when + sim::Duration::from_seconds(1.0 / rate);
    const std::string node_name = name;
    sim.at(when, [this, node_name] { apply_noexec_taint(node_name); }, 0, "noexecute-taint");
  }
}

void Cluster::Impl::remove_noexec_taints(const std::string& name) {
  const k8s::Node* node = store.get<k8s::Node>(name);
  if (!node || !has_taint(*node, k8s::wellknown::kTaintUnreachable, k8s::TaintEffect::NoExecute)) return;
  store.mutate<k8s::Node>(name, [](k8s::Node& nd) {
    std::erase_if(nd.spec.taints, [](const k8s::Taint& t) {
      return t.key == k8s::wellknown::kTaintUnreachable && t.effect == k8s::TaintEffect::NoExecute;
    });
  });
  if (auto it = nodes.find(name); it != nodes.end() && it->second.dead_since) it->second.noexec_queued = true;
}

void Cluster::Impl::apply_noexec_taint(const std::string& name) {
  const k8s::Node* node = store.get<k8s::Node>(name);
  if (!node || node->status.ready == k8s::ConditionStatus::True) return;
  if (has_taint(*node, k8s::wellknown::kTaintUnreachable, k8s::TaintEffect::NoExecute)) return;
  const sim::Time now = sim.now();
  store.mutate<k8s::Node>(name, [&](k8s::Node& nd) {
    nd.spec.taints.push_back(k8s::Taint{k8s::wellknown::kTaintUnreachable, "", k8s::TaintEffect::NoExecute, now});
  });
  schedule_evictions(name, now);
}

void Cluster::Impl::schedule_evictions(const std::string& name, sim::Time taint_time) {
  const k8s::Node* node = store.get<k8s::Node>(name);
  if (!node) return;
  // Only sim events are scheduled below: the node's pod set does not change while it is walked.
  for (const auto& pod_key : pod_index.on_node(name)) {
    const k8s::Pod* pod = store.get<k8s::Pod>(pod_key);
    if (!pod || pod->terminating()) continue;
    // The pod stays for the shortest tolerationSeconds among the tolerations of every NoExecute
    // taint; an untolerated taint evicts at once, a toleration without seconds never.
    std::optional<std::int64_t> stay = std::numeric_limits<std::int64_t>::max();
    for (const auto& taint : node->spec.taints) {
      if (taint.effect != k8s::TaintEffect::NoExecute) continue;
      std::optional<std::int64_t> best;
      bool tolerated = false;
      for (const auto& tol : pod->spec.tolerations) {
        if (!tol.tolerates(taint)) continue;
        tolerated = true;
        if (!tol.toleration_seconds) { best.reset(); break; }
        best = best ? std::min(*best, *tol.toleration_seconds) : *tol.toleration_seconds;
        if (!best) break;
      }
      if (!tolerated) { stay = 0; break; }
      if (best) stay = std::min(*stay, std::max<std::int64_t>(0, *best));
    }
    if (*stay == std::numeric_limits<std::int64_t>::max()) continue;
    const std::string& key = pod_key;
    PodRuntime& pr = pods[key];
    const sim::Time when = std::max(sim.now(), taint_time + sim::Duration::seconds(*stay));
    // An eviction already planned stands unless this one comes earlier (an untolerated taint
    // evicts at once: processPodOnNode cancels the planned work).
    if (sim.pending(pr.eviction)) {
      if (pr.eviction_at <= when) continue;
      sim.cancel(pr.eviction);
    }
    pr.eviction_at = when;
    pr.eviction = sim.at(when, [this, key] { evict(key); }, 0, "taint-eviction");
  }
}

void Cluster::Impl::evict(const std::string& key) {
  const k8s::Pod* pod = store.get<k8s::Pod>(key);
  if (!pod || pod->terminating()) return;
  if (recording())
    record(k8s::EventType::Normal, "TaintManagerEviction", "pod/" + pod->meta.name, "Marking for deletion Pod " + key,
           "taint-eviction-controller");
  c.delete_pod(key, false, std::nullopt);
}

void Cluster::Impl::cancel_evictions(const std::string& name) {
  for (const auto& key : pod_index.on_node(name))
    if (auto it = pods.find(key); it != pods.end()) sim.cancel(it->second.eviction);
}

}  // namespace azsim::controllers
