// Shared set-up for the seed replays: load a shipped scenario (optionally adjusted), build its
// world, and record every pod's cause changes with their times, so a test can assert when a
// pod stopped and started being Ready, and why, at any point of the run.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "models/controllers/cluster.hpp"
#include "models/run/runner.hpp"
#include "models/scenario/loader.hpp"

namespace azsim::controllers {
/// gtest prints causes by name.
inline void PrintTo(PodCause c, std::ostream* os) { *os << to_string(c); }
}  // namespace azsim::controllers

namespace azsim::seeds::testing {

using controllers::PodCause;
using namespace azsim::sim::literals;

inline std::string source_dir() {
  if (const char* env = std::getenv("AZSIM_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return AZSIM_SOURCE_DIR;
}

/// Loads scenarios/<name>.yaml; fails the test (and returns nullopt) when it does not load.
inline std::optional<scenario::Scenario> load_shipped(const std::string& name) {
  const auto r = scenario::load_scenario(source_dir() + "/scenarios/" + name + ".yaml");
  EXPECT_TRUE(r.ok()) << r.report();
  if (!r.ok()) return std::nullopt;
  return *r.scenario;
}

/// One change of a pod's cause (CONTRACT.md's causes, or Ready).
struct CauseChange {
  sim::Time at;
  PodCause cause;
};

/// A world built from a scenario with a cause log for every pod.
class Replay {
 public:
  explicit Replay(scenario::Scenario s, run::RunOptions opts = {})
      : scenario_(std::move(s)), world_(std::make_unique<run::World>(scenario_, opts)) {
    cluster().subscribe_pod_changed([this](const std::string& pod, PodCause cause) {
      auto& log = log_[pod];
      // Causes that last no time (a pod created and scheduled in the same instant) are dropped.
      if (!log.empty() && log.back().at == sim().now()) log.pop_back();
      if (log.empty() || log.back().cause != cause) log.push_back({sim().now(), cause});
    });
    t0_ = world_->setup();
  }
  Replay(const Replay&) = delete;
  Replay& operator=(const Replay&) = delete;

  controllers::Cluster& cluster() { return world_->cluster(); }
  sim::Simulation& sim() { return world_->simulation(); }
  run::World& world() { return *world_; }
  const scenario::Scenario& scenario() const { return scenario_; }
  sim::Time t0() const { return t0_; }
  /// Simulated time `d` after time 0.
  sim::Time at(sim::Duration d) const { return t0_ + d; }
  void advance_to(sim::Duration d) { world_->advance_to(d); }

  const k8s::Pod* pod(const std::string& key) { return cluster().store().get<k8s::Pod>(key); }
  PodCause cause(const std::string& key) { return cluster().cause(key); }
  std::string node_of(const std::string& key) {
    const k8s::Pod* p = pod(key);
    return p ? p->spec.node_name : std::string();
  }
  std::string zone_of_node(const std::string& node) {
    const k8s::Node* n = cluster().store().get<k8s::Node>(node);
    return n ? n->zone() : std::string();
  }
  /// The EBS volume id bound to a claim ("ns/name"), "" when unbound.
  std::string volume_of_claim(const std::string& key) {
    const auto* pvc = cluster().store().get<k8s::PersistentVolumeClaim>(key);
    if (!pvc || pvc->volume_name.empty()) return {};
    const auto* pv = cluster().store().get<k8s::PersistentVolume>(pvc->volume_name);
    return pv ? pv->source.volume_id : std::string();
  }
  std::string volume_zone(const std::string& id) {
    const cloud::Volume* v = cluster().cloud().volume(id);
    return v ? v->zone : std::string();
  }
  /// The node a volume is attached to in EC2 ("" when detached).
  std::string node_of_volume(const std::string& id) {
    const cloud::Volume* v = cluster().cloud().volume(id);
    if (!v || v->attach_state != cloud::AttachState::Attached) return {};
    return cluster().node_of_instance(v->attached_to);
  }

  /// Events with this reason (and object, when given) at or after `from`, in time order.
  std::vector<k8s::Event> events(const std::string& reason, const std::string& object = "",
                                 sim::Time from = sim::Time::origin()) {
    std::vector<k8s::Event> out;
    for (const auto& e : cluster().events().events())
      if (e.reason == reason && (object.empty() || e.object == object) && e.time >= from) out.push_back(e);
    return out;
  }

  /// The cause changes of a pod name since the start (setup included).
  const std::vector<CauseChange>& log(const std::string& key) { return log_[key]; }
  /// The first time at or after `from` when the pod name had cause `c` (nullopt if never).
  std::optional<sim::Time> first(const std::string& key, PodCause c, sim::Time from) {
    const auto& l = log_[key];
    for (std::size_t i = 0; i < l.size(); ++i) {
      const sim::Time end = i + 1 < l.size() ? l[i + 1].at : sim::Time::infinity();
      if (l[i].cause == c && end > from) return std::max(l[i].at, from);
    }
    return std::nullopt;
  }
  /// Total time within [from, to] the pod name was not Ready.
  sim::Duration not_ready(const std::string& key, sim::Time from, sim::Time to) {
    const auto& l = log_[key];
    sim::Duration total;
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (l[i].cause == PodCause::Ready) continue;
      const sim::Time a = std::max(l[i].at, from);
      const sim::Time b = std::min(i + 1 < l.size() ? l[i + 1].at : sim::Time::infinity(), to);
      if (b > a) total += b - a;
    }
    return total;
  }
  /// The causes the pod name went through within [from, to), in order (Ready included).
  std::vector<PodCause> causes(const std::string& key, sim::Time from, sim::Time to) {
    std::vector<PodCause> out;
    const auto& l = log_[key];
    for (std::size_t i = 0; i < l.size(); ++i) {
      const sim::Time end = i + 1 < l.size() ? l[i + 1].at : sim::Time::infinity();
      if (end <= from || l[i].at >= to) continue;
      if (out.empty() || out.back() != l[i].cause) out.push_back(l[i].cause);
    }
    return out;
  }

  /// Node names of a group, by zone.
  std::map<std::string, std::vector<std::string>> group_nodes(const std::string& group) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto* n : cluster().store().list<k8s::Node>()) {
      const cloud::Instance* i = cluster().cloud().instance(cluster().instance_of_node(n->meta.name));
      if (i && i->group == group) out[n->zone()].push_back(n->meta.name);
    }
    return out;
  }

 private:
  scenario::Scenario scenario_;
  std::unique_ptr<run::World> world_;
  sim::Time t0_;
  std::map<std::string, std::vector<CauseChange>> log_;
};

}  // namespace azsim::seeds::testing
