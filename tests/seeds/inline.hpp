// Small inline scenarios for the control-plane tests: a region with two zones and one Auto
// Scaling group, constant cloud latencies (EBS attach and detach 2 s, boot 60 s) so that times can
// be asserted to the tenth of a second, and a choice of workloads. Faults whose target is only
// known at run time (a Deployment's pod, the node it landed on) are fired through a FaultInjector
// of the test's own, exactly as the scenario's injector would fire them.
#pragma once

#include <deque>
#include <string>

#include "models/faults/injector.hpp"
#include "tests/seeds/replay.hpp"

namespace azsim::seeds::testing {

using namespace azsim::sim::literals;

struct Inline {
  std::string version = "1.29";
  int nodes = 4;  // in group "nodes", balanced over eu-west-1a and eu-west-1b
  std::string zones = "[eu-west-1a, eu-west-1b]";
  std::string group_extra;  // more YAML lines of the node group (6-space indented)
  std::string kubernetes_extra;  // more YAML lines of spec.kubernetes (4-space indented)
  std::string duration = "3h";
  std::string faults;  // YAML list items, 4-space indented ("    - at: 10m\n      action: ...")
  std::string manifests;  // YAML documents, each starting with "---\n"

  std::string yaml() const {
    std::string y =
        "apiVersion: azsim/v1alpha1\n"
        "kind: Scenario\n"
        "metadata: {name: inline}\n"
        "spec:\n"
        "  seed: 1\n"
        "  duration: " + duration + "\n"
        "  kubernetes:\n"
        "    version: \"" + version + "\"\n" + kubernetes_extra +
        "  cloud:\n"
        "    region: eu-west-1\n"
        "    zones: " + zones + "\n"
        "    ebsAttachLatency: 2s\n"
        "    ebsDetachLatency: 2s\n"
        "    launchToReady: 60s\n"
        "    nodeGroups:\n"
        "      - name: nodes\n"
        "        instanceType: t3.medium\n"
        "        zones: " + zones + "\n"
        "        desiredCapacity: " + std::to_string(nodes) + "\n" + group_extra;
    if (!faults.empty()) y += "  faults:\n" + faults;
    return y + manifests;
  }
};

/// A gp3 EBS CSI class that provisions in the zone the scheduler picked.
inline const char* kStorageClass =
    "---\n"
    "apiVersion: storage.k8s.io/v1\n"
    "kind: StorageClass\n"
    "metadata: {name: ebs}\n"
    "provisioner: ebs.csi.aws.com\n"
    "volumeBindingMode: WaitForFirstConsumer\n"
    "reclaimPolicy: Delete\n";

/// Deployment "app": one replica on a ReadWriteOnce claim "app-data" (no probe).
inline const char* kDeploymentWithVolume =
    "---\n"
    "apiVersion: v1\n"
    "kind: PersistentVolumeClaim\n"
    "metadata: {name: app-data}\n"
    "spec:\n"
    "  accessModes: [ReadWriteOnce]\n"
    "  storageClassName: ebs\n"
    "  resources: {requests: {storage: 1Gi}}\n"
    "---\n"
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: app}\n"
    "spec:\n"
    "  replicas: 1\n"
    "  selector: {matchLabels: {app: app}}\n"
    "  template:\n"
    "    metadata: {labels: {app: app}}\n"
    "    spec:\n"
    "      containers:\n"
    "        - name: app\n"
    "          image: nginx\n"
    "          resources: {requests: {cpu: 100m, memory: 128Mi}}\n"
    "      volumes:\n"
    "        - name: data\n"
    "          persistentVolumeClaim: {claimName: app-data}\n";

/// StatefulSet "db" with `replicas` pods, a 1Gi claim "data" each, and a readiness probe
/// (initial delay 10 s, period 5 s, failureThreshold 3).
inline std::string statefulset(int replicas) {
  return "---\n"
         "apiVersion: apps/v1\n"
         "kind: StatefulSet\n"
         "metadata: {name: db}\n"
         "spec:\n"
         "  replicas: " + std::to_string(replicas) + "\n"
         "  serviceName: db\n"
         "  selector: {matchLabels: {app: db}}\n"
         "  template:\n"
         "    metadata: {labels: {app: db}}\n"
         "    spec:\n"
         "      containers:\n"
         "        - name: db\n"
         "          image: postgres\n"
         "          resources: {requests: {cpu: 100m, memory: 128Mi}}\n"
         "          readinessProbe:\n"
         "            exec: {command: [pg_isready]}\n"
         "            initialDelaySeconds: 10\n"
         "            periodSeconds: 5\n"
         "  volumeClaimTemplates:\n"
         "    - metadata: {name: data}\n"
         "      spec:\n"
         "        accessModes: [ReadWriteOnce]\n"
         "        storageClassName: ebs\n"
         "        resources: {requests: {storage: 1Gi}}\n";
}

/// Loads an inline scenario; fails the test when it does not load.
inline scenario::Scenario load(const Inline& in) {
  const auto r = scenario::load_scenario_from_string(in.yaml(), "inline.yaml");
  EXPECT_TRUE(r.ok()) << r.report() << "\n" << in.yaml();
  if (!r.ok()) return scenario::Scenario{};
  return *r.scenario;
}

/// Fires faults built at run time through an injector of the test's own.
class Faults {
 public:
  explicit Faults(Replay& r) : r_(r), injector_(r.cluster(), r.scenario(), sim::RandomStream(1, 0, "test-faults")) {}

  /// Fires `f` at `at` after time 0 (the Fault must outlive it: kept here).
  void at(sim::Duration when, scenario::Fault f) {
    kept_.push_back(std::move(f));
    const scenario::Fault* fp = &kept_.back();
    r_.sim().at(r_.at(when), [this, fp] { injector_.fire(*fp); }, -1, "test-fault");
  }
  faults::FaultInjector& injector() { return injector_; }

 private:
  Replay& r_;
  faults::FaultInjector injector_;
  std::deque<scenario::Fault> kept_;  // stable addresses
};

inline scenario::NodeTarget node_named(const std::string& name) {
  scenario::NodeTarget t;
  t.by = scenario::NodeTarget::By::Name;
  t.name = name;
  return t;
}

inline scenario::Fault node_fault(scenario::FaultAction a, const std::string& node) {
  scenario::Fault f;
  f.action = a;
  f.node = node_named(node);
  return f;
}

inline scenario::Fault pod_fault(scenario::FaultAction a, const std::string& ns, const std::string& name) {
  scenario::Fault f;
  f.action = a;
  scenario::PodTarget t;
  t.by = scenario::PodTarget::By::Name;
  t.name = name;
  t.ns = ns;
  f.pods = t;
  return f;
}

/// The Deployment's pods ("default/app-..."), live ones first.
inline std::vector<std::string> app_pods(Replay& r) {
  std::vector<std::string> live, terminating;
  for (const auto* p : r.cluster().store().list<k8s::Pod>())
    if (p->meta.labels.count("app") && p->meta.labels.at("app") == "app")
      (p->terminating() ? terminating : live).push_back(p->meta.key());
  live.insert(live.end(), terminating.begin(), terminating.end());
  return live;
}

/// Another node of the same zone and group as `node`.
inline std::string sibling(Replay& r, const std::string& node) {
  const auto by_zone = r.group_nodes("nodes");
  for (const auto& n : by_zone.at(r.zone_of_node(node)))
    if (n != node) return n;
  return {};
}

inline std::string name_of(const std::string& key) { return key.substr(key.find('/') + 1); }

inline bool has_taint(Replay& r, const std::string& node, const char* key, k8s::TaintEffect e) {
  const k8s::Node* n = r.cluster().store().get<k8s::Node>(node);
  if (!n) return false;
  for (const auto& t : n->spec.taints)
    if (t.key == key && t.effect == e) return true;
  return false;
}

}  // namespace azsim::seeds::testing
