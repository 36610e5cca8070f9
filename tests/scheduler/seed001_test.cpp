// End to end on seed 001's cluster (kops, 3 masters + 6 t2.small workers over eu-west-1a/b/c,
// Cassandra StatefulSet of 6 with required hostname anti-affinity and a 10Gi claim each):
// every replica lands on its own worker, none on a master, and every claim's volume is in its
// pod's zone, whether provisioned at binding (WaitForFirstConsumer) or beforehand (Immediate,
// zones from choose_zone_for_claim).
#include <gtest/gtest.h>

#include <set>

#include "models/cloud/instance_types.hpp"
#include "models/scheduler/zone_heuristic.hpp"
#include "tests/scheduler/world.hpp"

namespace azsim::scheduler::testing {
namespace {

const char* kZones[] = {"eu-west-1a", "eu-west-1b", "eu-west-1c"};

k8s::Node seed_node(const std::string& name, const std::string& zone, bool master) {
  const auto type = cloud::find_instance_type("t2.small");
  const auto res = cloud::node_resources(*type, 110, cloud::KubeletReservation::none());
  k8s::Node n;
  n.meta.ns = "";
  n.meta.name = name;
  n.meta.labels = {{k8s::wellknown::kHostname, name},
                   {k8s::wellknown::kZone, zone},
                   {k8s::wellknown::kZoneLegacy, zone},
                   {k8s::wellknown::kRegion, "eu-west-1"},
                   {k8s::wellknown::kRegionLegacy, "eu-west-1"},
                   {k8s::wellknown::kEbsCsiZone, zone},  // set by the EBS CSI node plugin
                   {"kubernetes.io/role", master ? "master" : "node"}};
  n.status.capacity = res.capacity;
  n.status.allocatable = res.allocatable;
  n.status.attachable_volumes = type->ebs_attach_limit();
  if (master) n.spec.taints.push_back({k8s::wellknown::kTaintMaster, "", k8s::TaintEffect::NoSchedule, std::nullopt});
  return n;
}

void build_cluster(World& w) {
  // Names and zones as `kubectl get no` shows them in the tutorial.
  const std::pair<const char*, int> workers[] = {{"ip-172-20-35-200", 0},  {"ip-172-20-42-220", 0},
                                                 {"ip-172-20-94-29", 1},   {"ip-172-20-94-34", 1},
                                                 {"ip-172-20-114-66", 2},  {"ip-172-20-116-132", 2}};
  const std::pair<const char*, int> masters[] = {{"ip-172-20-58-140", 0}, {"ip-172-20-85-234", 1}, {"ip-172-20-112-210", 2}};
  for (const auto& [name, z] : masters) w.store.create(seed_node(name, kZones[z], true));
  for (const auto& [name, z] : workers) w.store.create(seed_node(name, kZones[z], false));
  k8s::StatefulSet sts;
  sts.meta.name = "cassandra";
  sts.replicas = 6;
  sts.selector.match_labels = {{"app", "cassandra"}};
  sts.service_name = "cassandra";
  w.store.create(sts);
}

k8s::Pod cassandra_pod(int ordinal, std::uint64_t sts_uid) {
  k8s::Pod p;
  p.meta.name = "cassandra-" + std::to_string(ordinal);
  p.meta.labels = {{"app", "cassandra"}};
  p.meta.owner = k8s::OwnerReference{"StatefulSet", "cassandra", sts_uid, true};
  p.spec.containers.push_back(k8s::Container{"cassandra", "merapar/cassandra:2.3", {}, {}, {}, std::nullopt});
  k8s::PodAffinityTerm t;
  t.label_selector.match_labels = {{"app", "cassandra"}};
  t.topology_key = k8s::wellknown::kHostname;
  p.spec.affinity.pod_anti_affinity = k8s::PodAffinity{{t}, {}};
  k8s::PodVolume v;
  v.name = "cassandra-storage";
  v.pvc_claim_name = "cassandra-storage-cassandra-" + std::to_string(ordinal);
  p.spec.volumes.push_back(v);
  return p;
}

k8s::PersistentVolumeClaim cassandra_claim(int ordinal) {
  k8s::PersistentVolumeClaim c;
  c.meta.name = "cassandra-storage-cassandra-" + std::to_string(ordinal);
  c.access_modes = {k8s::AccessMode::ReadWriteOnce};
  c.request_bytes = 10 * kGi;
  return c;  // storage class unset: the default class
}

/// A small deterministic stand-in for the seeded stream.
TieBreak lcg() {
  auto state = std::make_shared<std::uint64_t>(42);
  return [state](std::uint64_t n) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (*state >> 33) % n;
  };
}

std::string pv_zone(const k8s::PersistentVolume& pv) {
  if (!pv.node_affinity) return {};
  return pv.node_affinity->terms.at(0).match_expressions.at(0).values.at(0);
}

void schedule_all(World& w) {
  for (int guard = 0; guard < 20; ++guard) {
    ScheduleResult r = w.scheduler->schedule_and_bind(w.now);
    if (r.outcome == ScheduleResult::Outcome::NoPod) return;
    ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Scheduled) << r.pod << ": " << r.message;
  }
}

void check_placement(World& w, std::vector<std::string>* zones_by_ordinal) {
  std::set<std::string> used;
  for (int i = 0; i < 6; ++i) {
    const auto* pod = w.store.get<k8s::Pod>("default/cassandra-" + std::to_string(i));
    ASSERT_NE(pod, nullptr);
    ASSERT_TRUE(pod->bound()) << pod->meta.name;
    const auto* node = w.store.get<k8s::Node>(pod->spec.node_name);
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node->meta.labels.at("kubernetes.io/role"), "node") << pod->meta.name << " on a master";
    EXPECT_TRUE(used.insert(node->meta.name).second) << "two replicas on " << node->meta.name;
    const auto* pvc = w.store.get<k8s::PersistentVolumeClaim>("default/cassandra-storage-cassandra-" + std::to_string(i));
    ASSERT_NE(pvc, nullptr);
    ASSERT_EQ(pvc->phase, k8s::PvcPhase::Bound);
    const auto* pv = w.store.get<k8s::PersistentVolume>(pvc->volume_name);
    ASSERT_NE(pv, nullptr);
    EXPECT_EQ(pv->phase, k8s::PvPhase::Bound);
    EXPECT_EQ(pv->claim_ref->name, pvc->meta.name);
    EXPECT_EQ(pv_zone(*pv), node->zone()) << pod->meta.name;
    zones_by_ordinal->push_back(node->zone());
  }
  EXPECT_EQ(used.size(), 6u);
}

TEST(Seed001, WaitForFirstConsumerPlacesOneReplicaPerWorker) {
  World w({1, 29});
  build_cluster(w);
  w.store.create(make_class("gp2", "ebs.csi.aws.com", k8s::VolumeBindingMode::WaitForFirstConsumer, true));
  w.start({}, lcg());
  const auto* set = w.store.get<k8s::StatefulSet>("default/cassandra");
  ASSERT_NE(set, nullptr);
  const auto uid = set->meta.uid;
  for (int i = 0; i < 6; ++i) {
    w.store.create(cassandra_claim(i));
    w.store.create(cassandra_pod(i, uid));
  }
  schedule_all(w);
  std::vector<std::string> zones;
  check_placement(w, &zones);
  // Provisioned at binding in the chosen node's zone, with the EBS CSI driver's topology key.
  const auto* pvc = w.store.get<k8s::PersistentVolumeClaim>("default/cassandra-storage-cassandra-0");
  ASSERT_NE(pvc, nullptr);
  const auto* pv = w.store.get<k8s::PersistentVolume>(pvc->volume_name);
  ASSERT_NE(pv, nullptr);
  EXPECT_EQ(pv->node_affinity->terms[0].match_expressions[0].key, k8s::wellknown::kEbsCsiZone);
  EXPECT_EQ(pv->source.driver, "ebs.csi.aws.com");
  EXPECT_EQ(pv->capacity_bytes, 10 * kGi);
  // A seventh replica has nowhere to go: anti-affinity on every worker, the master taint on the rest.
  w.store.create(cassandra_claim(6));
  w.store.create(cassandra_pod(6, uid));
  ScheduleResult r = w.scheduler->schedule_one(w.now);
  ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Unschedulable);
  EXPECT_EQ(r.message,
            "0/9 nodes are available: 3 node(s) had untolerated taint {node-role.kubernetes.io/master: }, 6 node(s) "
            "didn't match pod anti-affinity rules. preemption: 0/9 nodes are available: 3 Preemption is not helpful "
            "for scheduling, 6 No preemption victims found for incoming pod.");
}

TEST(Seed001, ImmediateInTreeVolumesPinTheirPods) {
  World w({1, 29});
  build_cluster(w);
  const auto sc = make_class("gp2", "kubernetes.io/aws-ebs", k8s::VolumeBindingMode::Immediate, true);
  w.store.create(sc);
  w.start({}, lcg());
  const auto* set = w.store.get<k8s::StatefulSet>("default/cassandra");
  ASSERT_NE(set, nullptr);
  const auto uid = set->meta.uid;
  const std::vector<std::string> zones(std::begin(kZones), std::end(kZones));
  for (int i = 0; i < 6; ++i) {
    const auto& claim = w.store.create(cassandra_claim(i));
    ASSERT_TRUE(w.provisioner->provision_immediate(claim, sc, zones).ok);
  }
  for (int i = 0; i < 6; ++i) w.store.create(cassandra_pod(i, uid));
  schedule_all(w);
  std::vector<std::string> got;
  check_placement(w, &got);
  // hash("cassandra") mod 3 = 1: ordinals 0..5 -> 1b, 1c, 1a, 1b, 1c, 1a (zone_heuristic_test).
  EXPECT_EQ(got, (std::vector<std::string>{"eu-west-1b", "eu-west-1c", "eu-west-1a", "eu-west-1b", "eu-west-1c",
                                           "eu-west-1a"}));
  const auto* pvc = w.store.get<k8s::PersistentVolumeClaim>("default/cassandra-storage-cassandra-0");
  ASSERT_NE(pvc, nullptr);
  const auto* pv = w.store.get<k8s::PersistentVolume>(pvc->volume_name);
  ASSERT_NE(pv, nullptr);
  EXPECT_EQ(pv->source.type, k8s::PersistentVolumeSource::Type::AwsElasticBlockStore);
  EXPECT_EQ(pv->meta.labels.at(k8s::wellknown::kZoneLegacy), "eu-west-1b");
}

}  // namespace
}  // namespace azsim::scheduler::testing
