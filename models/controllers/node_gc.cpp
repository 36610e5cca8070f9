// The cloud node lifecycle controller (FIDELITY A "cloud node-lifecycle check") and PodGC
// (FIDELITY A "PodGC period / orphan quarantine"; B "Node loss").
//
// Every 5 s the cloud controller looks at nodes that are not Ready: a node whose instance is
// terminated (or gone) is deleted; a stopped instance's node gets the shutdown taint. PodGC
// force-deletes pods bound to a node that no longer exists once the node has been missing
// for the quarantine time, and terminating pods on out-of-service nodes at once.
#include <algorithm>

#include "models/controllers/internal.hpp"

namespace azsim::controllers {

void Cluster::Impl::cloud_node_lifecycle() {
  // Only nodes not Ready are looked at: find them in the store's own list (the order of
  // `nodes`, both by name) rather than looking every node up by name.
  std::vector<std::string> not_ready;
  for (const auto& [name, node] : store.table<k8s::Node>().items())
    if (node->status.ready != k8s::ConditionStatus::True) not_ready.push_back(name);
  std::vector<std::string> to_delete;
  for (const auto& name : not_ready) {
    const auto nit = nodes.find(name);
    const k8s::Node* node = store.get<k8s::Node>(name);
    if (nit == nodes.end() || !node || node->status.ready == k8s::ConditionStatus::True) continue;
    const cloud::Instance* inst = cloud.instance(nit->second.instance);
    if (!inst || inst->state == cloud::InstanceState::Terminated) {
      to_delete.push_back(name);
    } else if (inst->state == cloud::InstanceState::Stopped) {
      const bool tainted = std::any_of(node->spec.taints.begin(), node->spec.taints.end(),
                                       [](const k8s::Taint& t) { return t.key == k8s::wellknown::kTaintShutdown; });
      if (!tainted)
        store.mutate<k8s::Node>(name, [](k8s::Node& nd) {
          nd.spec.taints.push_back(k8s::Taint{k8s::wellknown::kTaintShutdown, "", k8s::TaintEffect::NoSchedule, {}});
        });
    } else if (inst->state == cloud::InstanceState::ShuttingDown || inst->state == cloud::InstanceState::Stopping) {
      cloud_lifecycle->request_next();  // look again once the instance settles
    }
  }
  for (const auto& name : to_delete) {
    if (recording())
      record(k8s::EventType::Normal, "DeletingNode", "node/" + name,
             "Deleting node " + name + " because it does not exist in the cloud provider", "cloud-node-lifecycle-controller");
    store.remove<k8s::Node>(name);
    const std::string inst = nodes[name].instance;
    node_by_instance.erase(inst);
    nodes.erase(name);  // pods found steady there no longer are: their node's runtime is gone
    podgc->request_next();
    adc->request_next();
  }
}

void Cluster::Impl::pod_gc() {
  const sim::Time now = sim.now();
  std::vector<std::string> doomed;
  std::set<std::string> out_of_service_pods;
  std::set<std::string> missing_nodes;
  // Node by node (the index's nodes are exactly those some pod is bound to); the deletions below
  // then go in pod key order, as a scan of every pod would find them.
  for (const auto& [node_name, keys] : pod_index.nodes()) {
    const k8s::Node* node = store.get<k8s::Node>(node_name);
    if (!node) {
      missing_nodes.insert(node_name);
      auto [it, first] = orphan_first_seen.emplace(node_name, now);
      if (now >= it->second + p.pod_gc_quarantine) doomed.insert(doomed.end(), keys.begin(), keys.end());
      else podgc->request_at(it->second + p.pod_gc_quarantine);
      continue;
    }
    const bool out_of_service = std::any_of(node->spec.taints.begin(), node->spec.taints.end(), [](const k8s::Taint& t) {
      return t.key == k8s::wellknown::kTaintOutOfService && t.effect == k8s::TaintEffect::NoExecute;
    });
    if (!out_of_service || node->status.ready == k8s::ConditionStatus::True) continue;
    for (const auto& key : keys)
      if (const k8s::Pod* pod = store.get<k8s::Pod>(key); pod && pod->terminating()) {
        doomed.push_back(key);
        out_of_service_pods.insert(key);
      }
  }
  std::sort(doomed.begin(), doomed.end());
  std::erase_if(orphan_first_seen, [&](const auto& kv) { return !missing_nodes.count(kv.first); });
  for (const auto& key : doomed) {
    const k8s::Pod* pod = store.get<k8s::Pod>(key);
    if (!pod) continue;
    if (recording())
      record(k8s::EventType::Normal, "PodGC", "pod/" + pod->meta.name,
             out_of_service_pods.count(key)
                 ? "Deleting terminating Pod " + key + " on out-of-service Node " + pod->spec.node_name + "."
                 : "Found orphaned Pod " + key + " assigned to the Node " + pod->spec.node_name + ". Deleting.",
             "pod-garbage-collector");
    store.remove<k8s::Pod>(key);
  }
}

}  // namespace azsim::controllers
