// Conformance cases for NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts
// and NodeResourcesFit, after the behaviours kube-scheduler's own plugin tests cover
// (node_unschedulable_test.go, taint_toleration_test.go, node_affinity_test.go,
// node_ports_test.go, fit_test.go).
#include "tests/scheduler/conformance_table.hpp"

namespace azsim::scheduler::testing {
namespace {

using k8s::SelectorOp;
using k8s::TaintEffect;
using k8s::TolerationOp;
constexpr auto U = Code::Unschedulable;
constexpr auto UU = Code::UnschedulableAndUnresolvable;
constexpr auto OK = Code::Success;

k8s::Node cordoned(k8s::Node n) {
  n.spec.unschedulable = true;
  return n;
}
k8s::Pod named_node(k8s::Pod p, const std::string& node) {
  p.spec.node_name = node;
  return p;
}

std::vector<FilterCase> node_cases() {
  const auto n1 = make_node("n1");
  const auto pod = make_pod("p");
  const std::string affinity = "node(s) didn't match Pod's node affinity/selector";
  return {
      // NodeUnschedulable
      {"unschedulable node rejects", {cordoned(n1)}, {}, pod, "n1", PluginId::NodeUnschedulable, UU,
       "node(s) were unschedulable"},
      {"unschedulable node admits a pod tolerating the unschedulable taint", {cordoned(n1)}, {},
       tolerating(pod, "node.kubernetes.io/unschedulable", TolerationOp::Exists, "", TaintEffect::NoSchedule), "n1",
       PluginId::NodeUnschedulable, OK, ""},
      {"schedulable node admits", {n1}, {}, pod, "n1", PluginId::NodeUnschedulable, OK, ""},
      // NodeName
      {"nodeName of another node", {n1}, {}, named_node(pod, "n2"), "n1", PluginId::NodeName, UU,
       "node(s) didn't match the requested node name"},
      {"nodeName of this node", {n1}, {}, named_node(pod, "n1"), "n1", PluginId::NodeName, OK, ""},
      // TaintToleration
      {"NoSchedule taint not tolerated", {tainted(n1, "dedicated", "gpu", TaintEffect::NoSchedule)}, {}, pod, "n1",
       PluginId::TaintToleration, UU, "node(s) had untolerated taint {dedicated: gpu}"},
      {"NoExecute taint not tolerated", {tainted(n1, "node.kubernetes.io/unreachable", "", TaintEffect::NoExecute)}, {},
       pod, "n1", PluginId::TaintToleration, UU, "node(s) had untolerated taint {node.kubernetes.io/unreachable: }"},
      {"PreferNoSchedule taint does not filter", {tainted(n1, "dedicated", "gpu", TaintEffect::PreferNoSchedule)}, {},
       pod, "n1", PluginId::TaintToleration, OK, ""},
      {"Equal toleration with the taint's key and value",
       {tainted(n1, "dedicated", "gpu", TaintEffect::NoSchedule)}, {},
       tolerating(pod, "dedicated", TolerationOp::Equal, "gpu", TaintEffect::NoSchedule), "n1",
       PluginId::TaintToleration, OK, ""},
      {"Equal toleration with another value", {tainted(n1, "dedicated", "gpu", TaintEffect::NoSchedule)}, {},
       tolerating(pod, "dedicated", TolerationOp::Equal, "cpu", TaintEffect::NoSchedule), "n1",
       PluginId::TaintToleration, UU, "node(s) had untolerated taint {dedicated: gpu}"},
      {"Exists toleration with empty key tolerates everything",
       {tainted(tainted(n1, "a", "1", TaintEffect::NoSchedule), "b", "2", TaintEffect::NoExecute)}, {},
       tolerating(pod, "", TolerationOp::Exists, "", std::nullopt), "n1", PluginId::TaintToleration, OK, ""},
      {"Exists toleration on the key without effect", {tainted(n1, "dedicated", "gpu", TaintEffect::NoExecute)}, {},
       tolerating(pod, "dedicated", TolerationOp::Exists, "", std::nullopt), "n1", PluginId::TaintToleration, OK, ""},
      {"toleration for another effect does not tolerate", {tainted(n1, "dedicated", "gpu", TaintEffect::NoSchedule)},
       {}, tolerating(pod, "dedicated", TolerationOp::Exists, "", TaintEffect::NoExecute), "n1",
       PluginId::TaintToleration, UU, "node(s) had untolerated taint {dedicated: gpu}"},
      {"first untolerated taint is reported",
       {tainted(tainted(n1, "a", "1", TaintEffect::NoSchedule), "b", "2", TaintEffect::NoSchedule)}, {},
       tolerating(pod, "a", TolerationOp::Exists, "", std::nullopt), "n1", PluginId::TaintToleration, UU,
       "node(s) had untolerated taint {b: 2}"},
      {"master taint with empty value", {tainted(n1, "node-role.kubernetes.io/master", "", TaintEffect::NoSchedule)},
       {}, pod, "n1", PluginId::TaintToleration, UU, "node(s) had untolerated taint {node-role.kubernetes.io/master: }"},
      {"1.34 drops the taint from the reason", {tainted(n1, "dedicated", "gpu", TaintEffect::NoSchedule)}, {}, pod,
       "n1", PluginId::TaintToleration, UU, "node(s) had untolerated taint(s)", {1, 34}},
      {"1.33 still names the taint", {tainted(n1, "dedicated", "gpu", TaintEffect::NoSchedule)}, {}, pod, "n1",
       PluginId::TaintToleration, UU, "node(s) had untolerated taint {dedicated: gpu}", {1, 33}},
      // NodeAffinity
      {"nodeSelector matches", {labeled(n1, "disk", "ssd")}, {},
       [&] { auto p = pod; p.spec.node_selector["disk"] = "ssd"; return p; }(), "n1", PluginId::NodeAffinity, OK, ""},
      {"nodeSelector value differs", {labeled(n1, "disk", "hdd")}, {},
       [&] { auto p = pod; p.spec.node_selector["disk"] = "ssd"; return p; }(), "n1", PluginId::NodeAffinity, UU,
       affinity},
      {"nodeSelector label missing", {n1}, {},
       [&] { auto p = pod; p.spec.node_selector["disk"] = "ssd"; return p; }(), "n1", PluginId::NodeAffinity, UU,
       affinity},
      {"In matches", {labeled(n1, "disk", "ssd")}, {}, requiring(pod, {expr("disk", SelectorOp::In, {"ssd", "nvme"})}),
       "n1", PluginId::NodeAffinity, OK, ""},
      {"NotIn excludes the node's value", {labeled(n1, "disk", "ssd")}, {},
       requiring(pod, {expr("disk", SelectorOp::NotIn, {"ssd"})}), "n1", PluginId::NodeAffinity, UU, affinity},
      {"NotIn with the label missing matches", {n1}, {}, requiring(pod, {expr("disk", SelectorOp::NotIn, {"ssd"})}),
       "n1", PluginId::NodeAffinity, OK, ""},
      {"Exists with the label present", {labeled(n1, "gpu", "")}, {}, requiring(pod, {expr("gpu", SelectorOp::Exists)}),
       "n1", PluginId::NodeAffinity, OK, ""},
      {"Exists with the label missing", {n1}, {}, requiring(pod, {expr("gpu", SelectorOp::Exists)}), "n1",
       PluginId::NodeAffinity, UU, affinity},
      {"DoesNotExist with the label present", {labeled(n1, "gpu", "x")}, {},
       requiring(pod, {expr("gpu", SelectorOp::DoesNotExist)}), "n1", PluginId::NodeAffinity, UU, affinity},
      {"Gt compares integers", {labeled(n1, "cores", "5")}, {}, requiring(pod, {expr("cores", SelectorOp::Gt, {"3"})}),
       "n1", PluginId::NodeAffinity, OK, ""},
      {"Lt compares integers", {labeled(n1, "cores", "5")}, {}, requiring(pod, {expr("cores", SelectorOp::Lt, {"3"})}),
       "n1", PluginId::NodeAffinity, UU, affinity},
      {"terms are ORed", {labeled(n1, "disk", "ssd")}, {},
       requiring(pod, {expr("disk", SelectorOp::In, {"hdd"}), expr("disk", SelectorOp::In, {"ssd"})}), "n1",
       PluginId::NodeAffinity, OK, ""},
      {"matchFields on metadata.name", {n1}, {},
       [&] {
         k8s::NodeSelectorTerm t;
         t.match_fields.push_back({"metadata.name", SelectorOp::In, {"n2"}});
         return requiring(pod, {t});
       }(),
       "n1", PluginId::NodeAffinity, UU, affinity},
      // NodePorts
      {"host port in use", {n1}, {on_node(with_port(make_pod("other"), 8080), "n1")}, with_port(pod, 8080), "n1",
       PluginId::NodePorts, U, "node(s) didn't have free ports for the requested pod ports"},
      {"another host port", {n1}, {on_node(with_port(make_pod("other"), 8080), "n1")}, with_port(pod, 9090), "n1",
       PluginId::NodePorts, OK, ""},
      {"same port other protocol", {n1}, {on_node(with_port(make_pod("other"), 53, "UDP"), "n1")},
       with_port(pod, 53, "TCP"), "n1", PluginId::NodePorts, OK, ""},
      // NodeResourcesFit
      {"insufficient cpu", {with_alloc(n1, 1000, 4 * kGi, 110)}, {on_node(with_requests(make_pod("o"), 800, 0), "n1")},
       with_requests(pod, 300, 0), "n1", PluginId::NodeResourcesFit, U, "Insufficient cpu"},
      {"insufficient memory", {with_alloc(n1, 1000, 4 * kGi, 110)},
       {on_node(with_requests(make_pod("o"), 0, 3 * kGi), "n1")}, with_requests(pod, 0, 2 * kGi), "n1",
       PluginId::NodeResourcesFit, U, "Insufficient memory"},
      {"too many pods", {with_alloc(n1, 1000, 4 * kGi, 1)}, {on_node(make_pod("o"), "n1")}, pod, "n1",
       PluginId::NodeResourcesFit, U, "Too many pods"},
      {"cpu and memory both short", {with_alloc(n1, 1000, 1 * kGi, 110)}, {}, with_requests(pod, 2000, 2 * kGi), "n1",
       PluginId::NodeResourcesFit, U, "Insufficient cpu, Insufficient memory"},
      {"exact fit", {with_alloc(n1, 1000, 1 * kGi, 2)}, {on_node(with_requests(make_pod("o"), 400, 0), "n1")},
       with_requests(pod, 600, 1 * kGi), "n1", PluginId::NodeResourcesFit, OK, ""},
      {"1.34: larger than the whole node is unresolvable", {with_alloc(n1, 1000, 1 * kGi, 110)}, {},
       with_requests(pod, 2000, 0), "n1", PluginId::NodeResourcesFit, UU, "Insufficient cpu", {1, 34}},
  };
}

TEST(NodePluginConformance, Table) {
  for (const auto& c : node_cases()) run_case(c);
}

}  // namespace
}  // namespace azsim::scheduler::testing
