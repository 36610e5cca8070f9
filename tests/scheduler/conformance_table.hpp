// The conformance table runner: each case is data (cluster objects, the pod, the node to look
// at, and the expected code and exact reason of one plugin), evaluated through
// Scheduler::explain so the real PreFilter + Filter path is exercised.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/scheduler/world.hpp"

namespace azsim::scheduler::testing {

struct FilterCase {
  std::string name;
  std::vector<k8s::Node> nodes;
  std::vector<k8s::Pod> existing;  ///< pods already bound (spec.node_name set)
  k8s::Pod pod;
  std::string node;                ///< node whose verdict is checked
  PluginId plugin;
  Code code = Code::Success;
  std::string reason;              ///< exact reason; empty for Success
  k8s::KubeVersion version{1, 29};
  bool pre_filter = false;         ///< the reason is a PreFilter rejection of the whole pod
  std::vector<k8s::StorageClass> classes = {};
  std::vector<k8s::PersistentVolume> pvs = {};
  std::vector<k8s::PersistentVolumeClaim> pvcs = {};
  std::vector<std::pair<std::string, std::string>> bound = {};  ///< claim -> pv
};

inline void run_case(const FilterCase& c) {
  SCOPED_TRACE(c.name);
  World w(c.version);
  for (const auto& sc : c.classes) w.store.create(sc);
  for (const auto& pv : c.pvs) w.store.create(pv);
  for (const auto& pvc : c.pvcs) w.store.create(pvc);
  for (const auto& [claim, pv] : c.bound) bind_claim(w.store, claim, pv);
  for (const auto& n : c.nodes) w.store.create(n);
  for (const auto& p : c.existing) w.store.create(p);
  Scheduler& s = w.start();
  const Explanation e = s.explain(c.pod);
  if (c.pre_filter) {
    EXPECT_EQ(e.pre_filter.code, c.code);
    EXPECT_EQ(e.pre_filter.plugin, plugin_name(c.plugin));
    ASSERT_EQ(e.pre_filter.reasons.size(), 1u);
    EXPECT_EQ(e.pre_filter.reasons[0], c.reason);
    return;
  }
  ASSERT_TRUE(e.pre_filter.ok()) << e.pre_filter.message();
  for (const auto& ne : e.nodes) {
    if (ne.node != c.node) continue;
    const Status& st = ne.filters.at(static_cast<std::size_t>(c.plugin));
    if (c.code == Code::Success) {
      EXPECT_TRUE(st.code == Code::Success || st.code == Code::Skip) << to_string(st.code) << ": " << st.message();
    } else {
      EXPECT_EQ(st.code, c.code) << st.message();
      EXPECT_EQ(st.message(), c.reason);
    }
    return;
  }
  FAIL() << "node " << c.node << " not evaluated";
}

// Small builders used by the tables.
inline k8s::Node tainted(k8s::Node n, std::string key, std::string value, k8s::TaintEffect e) {
  n.spec.taints.push_back({std::move(key), std::move(value), e, std::nullopt});
  return n;
}
inline k8s::Node labeled(k8s::Node n, const std::string& k, const std::string& v) {
  n.meta.labels[k] = v;
  return n;
}
inline k8s::Node unlabeled(k8s::Node n, const std::string& k) {
  n.meta.labels.erase(k);
  return n;
}
inline k8s::Pod tolerating(k8s::Pod p, std::string key, k8s::TolerationOp op, std::string value,
                           std::optional<k8s::TaintEffect> e) {
  p.spec.tolerations.push_back({std::move(key), op, std::move(value), e, std::nullopt});
  return p;
}
inline k8s::Pod requiring(k8s::Pod p, std::vector<k8s::NodeSelectorTerm> terms) {
  k8s::NodeAffinity na;
  na.required = k8s::NodeSelector{std::move(terms)};
  p.spec.affinity.node_affinity = na;
  return p;
}
inline k8s::NodeSelectorTerm expr(std::string key, k8s::SelectorOp op, std::vector<std::string> values = {}) {
  k8s::NodeSelectorTerm t;
  t.match_expressions.push_back({std::move(key), op, std::move(values)});
  return t;
}
inline k8s::Pod with_port(k8s::Pod p, std::int32_t port, std::string protocol = "TCP") {
  p.spec.containers[0].ports.push_back({port, port, std::move(protocol), ""});
  return p;
}
inline k8s::Pod with_ebs(k8s::Pod p, const std::string& volume_id) {
  k8s::PodVolume v;
  v.name = volume_id;
  v.aws_ebs_volume_id = volume_id;
  p.spec.volumes.push_back(v);
  return p;
}
inline k8s::Pod in_ns(k8s::Pod p, const std::string& ns) {
  p.meta.ns = ns;
  return p;
}
inline k8s::Pod spread(k8s::Pod p, const std::string& key, int max_skew, k8s::Labels match,
                       k8s::UnsatisfiableConstraintAction when = k8s::UnsatisfiableConstraintAction::DoNotSchedule,
                       std::optional<std::int32_t> min_domains = std::nullopt) {
  k8s::TopologySpreadConstraint c;
  c.max_skew = max_skew;
  c.topology_key = key;
  c.when_unsatisfiable = when;
  c.label_selector = k8s::LabelSelector{std::move(match), {}};
  c.min_domains = min_domains;
  p.spec.topology_spread_constraints.push_back(std::move(c));
  return p;
}
inline k8s::Node with_alloc(k8s::Node n, std::int64_t cpu, std::int64_t mem, std::int64_t pods) {
  n.status.allocatable = {cpu, mem, 0, pods};
  return n;
}
inline k8s::Node attach_limit(k8s::Node n, std::int32_t limit) {
  n.status.attachable_volumes = limit;
  return n;
}

}  // namespace azsim::scheduler::testing
