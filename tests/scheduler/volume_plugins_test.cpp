// Conformance cases for VolumeRestrictions, NodeVolumeLimits, VolumeBinding and VolumeZone,
// after volume_restrictions_test.go, csi_test.go, volume_binding_test.go/binder_test.go and
// volume_zone_test.go.
#include "tests/scheduler/conformance_table.hpp"

namespace azsim::scheduler::testing {
namespace {

constexpr auto U = Code::Unschedulable;
constexpr auto UU = Code::UnschedulableAndUnresolvable;
constexpr auto OK = Code::Success;
using k8s::VolumeBindingMode;

k8s::PersistentVolumeClaim rwop(k8s::PersistentVolumeClaim c) {
  c.access_modes = {k8s::AccessMode::ReadWriteOncePod};
  return c;
}
k8s::PersistentVolume legacy_zone_pv(const std::string& name, const std::string& cls, const std::string& zone_label,
                                     const std::string& key = k8s::wellknown::kZoneLegacy) {
  k8s::PersistentVolume pv = make_pv(name, cls, "");
  pv.source.type = k8s::PersistentVolumeSource::Type::AwsElasticBlockStore;
  pv.meta.labels[key] = zone_label;
  return pv;
}
k8s::StorageClass with_topology(k8s::StorageClass sc, const std::string& zone) {
  k8s::NodeSelectorTerm t;
  t.match_expressions.push_back({k8s::wellknown::kZone, k8s::SelectorOp::In, {zone}});
  sc.allowed_topologies.push_back(t);
  return sc;
}

std::vector<FilterCase> volume_cases() {
  const auto na = make_node("n1", "zone-a");
  const auto nb = make_node("n2", "zone-b");
  const auto pod = make_pod("p");
  const auto wffc = make_class("gp2", "ebs.csi.aws.com", VolumeBindingMode::WaitForFirstConsumer, true);
  const auto immediate = make_class("gp2-now", "ebs.csi.aws.com", VolumeBindingMode::Immediate);
  const auto local = make_class("local", "kubernetes.io/no-provisioner", VolumeBindingMode::WaitForFirstConsumer);
  const auto intree = make_class("gp2-intree", "kubernetes.io/aws-ebs", VolumeBindingMode::Immediate);
  const std::string conflict_old = "node(s) had volume node affinity conflict";
  const std::string bind_conflict = "node(s) didn't find available persistent volumes to bind";
  const std::string zone_conflict = "node(s) had no available volume zone";
  return {
      // VolumeRestrictions
      {"same in-tree EBS volume on the node", {na}, {on_node(with_ebs(make_pod("o"), "vol-1"), "n1")},
       with_ebs(pod, "vol-1"), "n1", PluginId::VolumeRestrictions, U, "node(s) had no available disk"},
      {"another in-tree EBS volume", {na}, {on_node(with_ebs(make_pod("o"), "vol-1"), "n1")}, with_ebs(pod, "vol-2"),
       "n1", PluginId::VolumeRestrictions, OK, ""},
      {"RWO claim used on another node is not the scheduler's business", {na, nb},
       {on_node(with_claim(make_pod("o"), "data"), "n2")}, with_claim(pod, "data"), "n1",
       PluginId::VolumeRestrictions, OK, "", {1, 29}, false, {wffc}, {make_pv("pv1", "gp2", "zone-a")},
       {make_claim("data", "gp2")}, {{"data", "pv1"}}},
      {"ReadWriteOncePod claim in use", {na, nb}, {on_node(with_claim(make_pod("o"), "data"), "n2")},
       with_claim(pod, "data"), "n1", PluginId::VolumeRestrictions, U,
       "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode", {1, 29}, false,
       {wffc}, {make_pv("pv1", "gp2", "zone-a")}, {rwop(make_claim("data", "gp2"))}, {{"data", "pv1"}}},
      {"missing claim rejects at PreFilter", {na}, {}, with_claim(pod, "nope"), "n1", PluginId::VolumeRestrictions, UU,
       "persistentvolumeclaim \"nope\" not found", {1, 29}, true},
      // NodeVolumeLimits
      {"attach limit reached", {attach_limit(na, 2)},
       {on_node(with_claim(make_pod("o1"), "c1"), "n1"), on_node(with_claim(make_pod("o2"), "c2"), "n1")},
       with_claim(pod, "c3"), "n1", PluginId::NodeVolumeLimits, U, "node(s) exceed max volume count", {1, 29}, false,
       {wffc}, {}, {make_claim("c1", "gp2"), make_claim("c2", "gp2"), make_claim("c3", "gp2")}},
      {"a volume already attached is not counted twice", {attach_limit(na, 2)},
       {on_node(with_claim(make_pod("o1"), "c1"), "n1"), on_node(with_claim(make_pod("o2"), "c2"), "n1")},
       with_claim(pod, "c2"), "n1", PluginId::NodeVolumeLimits, OK, "", {1, 29}, false, {wffc}, {},
       {make_claim("c1", "gp2"), make_claim("c2", "gp2")}},
      {"no attach limit reported", {na}, {on_node(with_claim(make_pod("o1"), "c1"), "n1")}, with_claim(pod, "c3"), "n1",
       PluginId::NodeVolumeLimits, OK, "", {1, 29}, false, {wffc}, {},
       {make_claim("c1", "gp2"), make_claim("c3", "gp2")}},
      {"inline EBS volumes count too", {attach_limit(na, 1)}, {on_node(with_ebs(make_pod("o1"), "vol-1"), "n1")},
       with_ebs(pod, "vol-2"), "n1", PluginId::NodeVolumeLimits, U, "node(s) exceed max volume count"},
      // VolumeBinding
      {"bound PV in another zone (<= 1.32)", {na, nb}, {}, with_claim(pod, "data"), "n2", PluginId::VolumeBinding, UU,
       conflict_old, {1, 29}, false, {wffc}, {make_pv("pv1", "gp2", "zone-a")}, {make_claim("data", "gp2")},
       {{"data", "pv1"}}},
      {"bound PV in another zone (>= 1.33)", {na, nb}, {}, with_claim(pod, "data"), "n2", PluginId::VolumeBinding, UU,
       "node(s) didn't match PersistentVolume's node affinity", {1, 33}, false, {wffc},
       {make_pv("pv1", "gp2", "zone-a")}, {make_claim("data", "gp2")}, {{"data", "pv1"}}},
      {"1.32 keeps the old wording", {na, nb}, {}, with_claim(pod, "data"), "n2", PluginId::VolumeBinding, UU,
       conflict_old, {1, 32}, false, {wffc}, {make_pv("pv1", "gp2", "zone-a")}, {make_claim("data", "gp2")},
       {{"data", "pv1"}}},
      {"bound PV in the node's zone", {na, nb}, {}, with_claim(pod, "data"), "n1", PluginId::VolumeBinding, OK, "",
       {1, 29}, false, {wffc}, {make_pv("pv1", "gp2", "zone-a")}, {make_claim("data", "gp2")}, {{"data", "pv1"}}},
      {"WaitForFirstConsumer claim can be provisioned anywhere", {na, nb}, {}, with_claim(pod, "data"), "n2",
       PluginId::VolumeBinding, OK, "", {1, 29}, false, {wffc}, {}, {make_claim("data", "gp2")}},
      {"default class resolves an unset class name", {na}, {}, with_claim(pod, "data"), "n1", PluginId::VolumeBinding,
       OK, "", {1, 29}, false, {wffc}, {}, {make_claim("data", std::nullopt)}},
      {"allowedTopologies exclude the node's zone", {na, nb}, {}, with_claim(pod, "data"), "n2",
       PluginId::VolumeBinding, UU, bind_conflict, {1, 29}, false, {with_topology(wffc, "zone-a")}, {},
       {make_claim("data", "gp2")}},
      {"allowedTopologies include the node's zone", {na, nb}, {}, with_claim(pod, "data"), "n1",
       PluginId::VolumeBinding, OK, "", {1, 29}, false, {with_topology(wffc, "zone-a")}, {},
       {make_claim("data", "gp2")}},
      {"no provisioner and no PV", {na}, {}, with_claim(pod, "data"), "n1", PluginId::VolumeBinding, UU, bind_conflict,
       {1, 29}, false, {local}, {}, {make_claim("data", "local")}},
      {"no provisioner, an Available PV in the node's zone", {na, nb}, {}, with_claim(pod, "data"), "n1",
       PluginId::VolumeBinding, OK, "", {1, 29}, false, {local}, {make_pv("lpv", "local", "zone-a")},
       {make_claim("data", "local")}},
      {"no provisioner, the Available PV is in another zone", {na, nb}, {}, with_claim(pod, "data"), "n2",
       PluginId::VolumeBinding, UU, bind_conflict, {1, 29}, false, {local}, {make_pv("lpv", "local", "zone-a")},
       {make_claim("data", "local")}},
      {"an Available PV that is too small does not match", {na}, {}, with_claim(pod, "data"), "n1",
       PluginId::VolumeBinding, UU, bind_conflict, {1, 29}, false, {local},
       {make_pv("lpv", "local", "zone-a", k8s::wellknown::kZone, 1 * kGi)}, {make_claim("data", "local")}},
      {"unbound Immediate claim rejects at PreFilter", {na}, {}, with_claim(pod, "data"), "n1",
       PluginId::VolumeBinding, UU, "pod has unbound immediate PersistentVolumeClaims", {1, 29}, true, {immediate}, {},
       {make_claim("data", "gp2-now")}},
      {"claim without a class and without a PV is an unbound immediate claim", {na}, {}, with_claim(pod, "data"), "n1",
       PluginId::VolumeBinding, UU, "pod has unbound immediate PersistentVolumeClaims", {1, 29}, true, {}, {},
       {make_claim("data", std::string())}},
      {"lost claim rejects at PreFilter", {na}, {}, with_claim(pod, "data"), "n1", PluginId::VolumeBinding, UU,
       "persistentvolumeclaim \"data\" bound to non-existent persistentvolume \"gone\"", {1, 29}, true, {wffc}, {},
       {[] {
         auto c = make_claim("data", "gp2");
         c.phase = k8s::PvcPhase::Lost;
         c.volume_name = "gone";
         return c;
       }()}},
      // VolumeZone
      {"in-tree PV labelled for another zone", {na, nb}, {}, with_claim(pod, "data"), "n2", PluginId::VolumeZone, UU,
       zone_conflict, {1, 29}, false, {intree}, {legacy_zone_pv("pv1", "gp2-intree", "zone-a")},
       {make_claim("data", "gp2-intree")}, {{"data", "pv1"}}},
      {"in-tree PV labelled for the node's zone", {na, nb}, {}, with_claim(pod, "data"), "n1", PluginId::VolumeZone, OK,
       "", {1, 29}, false, {intree}, {legacy_zone_pv("pv1", "gp2-intree", "zone-a")},
       {make_claim("data", "gp2-intree")}, {{"data", "pv1"}}},
      {"node without zone labels is not checked",
       {unlabeled(unlabeled(nb, k8s::wellknown::kZone), k8s::wellknown::kZoneLegacy)}, {}, with_claim(pod, "data"),
       "n2", PluginId::VolumeZone, OK, "", {1, 29}, false, {intree}, {legacy_zone_pv("pv1", "gp2-intree", "zone-a")},
       {make_claim("data", "gp2-intree")}, {{"data", "pv1"}}},
      {"multi-zone label value", {na, nb}, {}, with_claim(pod, "data"), "n2", PluginId::VolumeZone, OK, "", {1, 29},
       false, {intree}, {legacy_zone_pv("pv1", "gp2-intree", "zone-a__zone-b")}, {make_claim("data", "gp2-intree")},
       {{"data", "pv1"}}},
      {"GA zone label on the PV", {na, nb}, {}, with_claim(pod, "data"), "n2", PluginId::VolumeZone, UU, zone_conflict,
       {1, 29}, false, {intree}, {legacy_zone_pv("pv1", "gp2-intree", "zone-a", k8s::wellknown::kZone)},
       {make_claim("data", "gp2-intree")}, {{"data", "pv1"}}},
      {"beta label on the PV matches the node's GA label only",
       {unlabeled(na, k8s::wellknown::kZoneLegacy)}, {}, with_claim(pod, "data"), "n1", PluginId::VolumeZone, OK, "",
       {1, 29}, false, {intree}, {legacy_zone_pv("pv1", "gp2-intree", "zone-a")}, {make_claim("data", "gp2-intree")},
       {{"data", "pv1"}}},
      {"claim bound to a missing PV rejects at PreFilter", {na}, {}, with_claim(pod, "data"), "n1",
       PluginId::VolumeZone, UU, "persistentvolume \"ghost\" not found", {1, 29}, true, {wffc}, {},
       {[] {
         auto c = make_claim("data", "gp2");
         c.volume_name = "ghost";
         c.phase = k8s::PvcPhase::Bound;
         return c;
       }()}},
  };
}

TEST(VolumePluginConformance, Table) {
  for (const auto& c : volume_cases()) run_case(c);
}

}  // namespace
}  // namespace azsim::scheduler::testing
