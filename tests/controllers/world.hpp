// A control plane built by hand, without the scenario loader or the runner: a Cluster over two
// zones with constant cloud latencies (boot 60 s, EBS attach/detach 2 s, create 1 s), node groups
// and workloads made in code. For tests of one controller's behaviour at a time.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "models/controllers/cluster.hpp"

namespace azsim::controllers {
/// gtest prints causes by name.
inline void PrintTo(PodCause c, std::ostream* os) { *os << to_string(c); }
}  // namespace azsim::controllers

namespace azsim::controllers::testing {

using namespace azsim::sim::literals;

inline cloud::CloudParams fixed_cloud() {
  cloud::CloudParams p;
  p.launch_to_ready = cloud::DurationDistribution::constant(60_s);
  p.ebs_attach_latency = cloud::DurationDistribution::constant(2_s);
  p.ebs_detach_latency = cloud::DurationDistribution::constant(2_s);
  p.ebs_create_latency = cloud::DurationDistribution::constant(1_s);
  return p;
}

struct World {
  explicit World(KubernetesParams kube = {}, std::vector<std::string> zones = {"eu-west-1a", "eu-west-1b"})
      : rng(1, 0), cluster(sim, rng, std::move(kube), fixed_cloud(), "eu-west-1", std::move(zones)) {}

  /// An Auto Scaling group of `n` t3.medium in `zones`.
  void group(const std::string& name, int n, std::vector<std::string> zones) {
    NodeGroupConfig cfg;
    cfg.group.name = name;
    cfg.group.instance_type = "t3.medium";
    cfg.group.zones = std::move(zones);
    cfg.group.min_size = cfg.group.desired = cfg.group.max_size = n;
    cluster.add_node_group(cfg);
  }

  /// Runs until every workload is Ready (at most `limit`), returns that time.
  sim::Time settle(sim::Duration limit = 30_min) {
    const sim::Time end = sim.now() + limit;
    while (sim.now() < end) {
      sim.run_until(std::min(end, sim.now() + 1_s));
      bool nodes_ready = !cluster.store().list<k8s::Node>().empty();
      for (const auto* n : cluster.store().list<k8s::Node>())
        nodes_ready = nodes_ready && n->status.ready == k8s::ConditionStatus::True;
      if (nodes_ready && cluster.workloads_ready()) break;
    }
    return sim.now();
  }

  std::vector<std::string> nodes_in(const std::string& zone) const {
    std::vector<std::string> out;
    for (const auto* n : cluster.store().list<k8s::Node>())
      if (n->zone() == zone) out.push_back(n->meta.name);
    return out;
  }
  std::vector<std::string> pods_on(const std::string& node) const {
    std::vector<std::string> out;
    for (const auto* p : cluster.store().list<k8s::Pod>())
      if (p->spec.node_name == node) out.push_back(p->meta.key());
    return out;
  }
  bool has_taint(const std::string& node, const char* key, k8s::TaintEffect e) const {
    const k8s::Node* n = cluster.store().get<k8s::Node>(node);
    if (!n) return false;
    for (const auto& t : n->spec.taints)
      if (t.key == key && t.effect == e) return true;
    return false;
  }
  std::vector<k8s::Event> events(const std::string& reason) const {
    std::vector<k8s::Event> out;
    for (const auto& e : cluster.events().events())
      if (e.reason == reason) out.push_back(e);
    return out;
  }

  sim::Simulation sim;
  sim::RandomStreams rng;
  Cluster cluster;
};

inline k8s::Container container(const std::string& name) {
  k8s::Container c;
  c.name = name;
  c.image = name;
  c.requests.milli_cpu = 100;
  c.requests.memory = std::int64_t{128} << 20;
  return c;
}

/// A Deployment of `replicas` pods labelled app=<name>, without volumes.
inline k8s::Deployment deployment(const std::string& name, int replicas) {
  k8s::Deployment d;
  d.meta.name = name;
  d.replicas = replicas;
  d.selector.match_labels = {{"app", name}};
  d.template_.meta.labels = {{"app", name}};
  d.template_.spec.containers.push_back(container(name));
  return d;
}

/// An EBS CSI class provisioning in the scheduler's chosen zone.
inline k8s::StorageClass ebs_class() {
  k8s::StorageClass sc;
  sc.meta.name = "ebs";
  sc.provisioner = "ebs.csi.aws.com";
  sc.volume_binding_mode = k8s::VolumeBindingMode::WaitForFirstConsumer;
  return sc;
}

/// A StatefulSet "db" of `replicas` pods with a 1Gi claim "data" each (class "ebs").
inline k8s::StatefulSet statefulset(int replicas) {
  k8s::StatefulSet s;
  s.meta.name = "db";
  s.replicas = replicas;
  s.service_name = "db";
  s.selector.match_labels = {{"app", "db"}};
  s.template_.meta.labels = {{"app", "db"}};
  s.template_.spec.containers.push_back(container("db"));
  k8s::PersistentVolumeClaim claim;
  claim.meta.name = "data";
  claim.access_modes = {k8s::AccessMode::ReadWriteOnce};
  claim.request_bytes = std::int64_t{1} << 30;
  claim.storage_class_name = "ebs";
  s.volume_claim_templates.push_back(claim);
  return s;
}

}  // namespace azsim::controllers::testing
