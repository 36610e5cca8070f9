// Dispatch of manifest documents by apiVersion and kind.
#include "models/scenario/manifest_parse.hpp"

#include "models/scenario/suggest.hpp"

namespace azsim::scenario::manifest {

namespace {

struct KindInfo {
  const char* kind;
  std::vector<std::string> versions;  // apiVersions serving it, newest first
  bool namespaced;
};

const std::vector<KindInfo>& kinds() {
  static const std::vector<KindInfo> k = {
      {"StorageClass", {"storage.k8s.io/v1", "storage.k8s.io/v1beta1"}, false},
      {"PersistentVolume", {"v1"}, false},
      {"PersistentVolumeClaim", {"v1"}, true},
      {"Pod", {"v1"}, true},
      {"StatefulSet", {"apps/v1", "apps/v1beta2", "apps/v1beta1"}, true},
      {"Deployment", {"apps/v1", "apps/v1beta2", "apps/v1beta1", "extensions/v1beta1"}, true},
      {"ReplicaSet", {"apps/v1", "apps/v1beta2", "extensions/v1beta1"}, true},
      {"PodDisruptionBudget", {"policy/v1", "policy/v1beta1"}, true},
      {"Service", {"v1"}, true},
      {"Namespace", {"v1"}, false},
      {"ConfigMap", {"v1"}, true},
      {"Secret", {"v1"}, true},
      {"PriorityClass", {"scheduling.k8s.io/v1", "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1alpha1"}, false},
      {"List", {"v1"}, false},
  };
  return k;
}

std::vector<std::string> kind_names() {
  std::vector<std::string> out;
  for (const auto& k : kinds()) out.push_back(k.kind);
  return out;
}

/// Why an unmodelled kind can matter, for the warning.
std::string unmodelled_note(const std::string& kind) {
  if (kind == "DaemonSet") return "; its pods (one per node) are not simulated and use no node resources";
  if (kind == "Job" || kind == "CronJob") return "; its pods are not simulated";
  if (kind == "HorizontalPodAutoscaler") return "; workloads keep the replicas they are given";
  if (kind == "ResourceQuota" || kind == "LimitRange") return "; no quota or default is applied";
  return "";
}

template <class T>
Declared<T> declare(T object, const std::string& api, const std::shared_ptr<const Node>& doc, const ReadContext& ctx,
                    const std::string& ref, std::size_t errors_before) {
  return Declared<T>{std::move(object), api, SourceDoc{ctx.file, doc}, ref, ctx.diags->error_count() == errors_before};
}

void read_priority_class(const Field& root, const k8s::ObjectMeta& meta, PriorityClasses& pcs) {
  root.check_keys({"apiVersion", "kind", "metadata", "value", "globalDefault", "description", "preemptionPolicy"},
                  UnknownKeys::Warn);
  // User classes are limited to one billion; higher values are reserved for the system.
  auto v = root["value"].int32(-2147483647 - 1, 1'000'000'000, "values above are reserved for system classes");
  if (!v) {
    root["value"].require();
    return;
  }
  pcs.values[meta.name] = *v;
  if (root["globalDefault"].boolean().value_or(false)) {
    if (pcs.global_default) root["globalDefault"].error("only one PriorityClass may be the global default");
    pcs.global_default = *v;
  }
}

}  // namespace

void read_manifest(const std::shared_ptr<const Node>& doc, const ReadContext& ctx, Manifests& out,
                   PriorityClasses& priorities) {
  const Field top = Field::root(*doc, "", ctx);
  if (!top.expect_map()) return;
  const auto api = top["apiVersion"].str();
  const auto kind = top["kind"].str();
  if (!kind) {
    top["kind"].require("every Kubernetes manifest names its kind, e.g. kind: StatefulSet");
    return;
  }
  if (!api) {
    top["apiVersion"].require("e.g. apiVersion: apps/v1");
    return;
  }
  const KindInfo* info = nullptr;
  for (const auto& k : kinds())
    if (*kind == k.kind) info = &k;
  // Paths of what follows start with the kind (and the name once known): "StatefulSet.apiVersion".
  const Field kt = Field::root(*doc, *kind, ctx);
  if (info == nullptr) {
    const std::string near = closest(*kind, kind_names());
    if (!near.empty()) {
      kt["kind"].error("no kind \"" + *kind + "\" in Kubernetes (did you mean \"" + near + "\"?)");
      return;
    }
    const Node* meta = doc->find("metadata");
    const Node* name = meta != nullptr ? meta->find("name") : nullptr;
    const std::string ref = *kind + (name != nullptr && name->is_scalar() ? "/" + name->text : "");
    Field::root(*doc, ref, ctx)["kind"].warning(
        "kind " + *kind + " (" + *api + ") is not modelled by azsim: this object is ignored" + unmodelled_note(*kind));
    return;
  }
  bool served = false;
  for (const auto& v : info->versions) served = served || v == *api;
  if (!served) {
    kt["apiVersion"].error("\"" + *api + "\" does not serve kind " + info->kind + ": use " + one_of(info->versions) +
                           did_you_mean(*api, info->versions));
    return;
  }

  const std::string k = info->kind;
  if (k == "List") {
    top.check_keys({"apiVersion", "kind", "metadata", "items"}, UnknownKeys::Warn);
    const Field items = top["items"];
    if (!items.expect_seq()) return;
    for (const auto& item : items.items()) {
      // Share ownership of the whole document, point at the item.
      std::shared_ptr<const Node> sub(doc, item.node());
      const Node* kind_node = item.node()->find("kind");
      if (kind_node != nullptr && kind_node->is_scalar() && kind_node->text == "List") {
        item.error("a List inside a List is not supported");
        continue;
      }
      read_manifest(sub, ctx, out, priorities);
    }
    return;
  }

  const std::size_t before = ctx.diags->error_count();
  const k8s::ObjectMeta meta = read_meta(kt["metadata"], info->namespaced, info->kind);
  const std::string ref = k + "/" + (meta.name.empty() ? std::string("?") : meta.name);
  const Field root = Field::root(*doc, ref, ctx);

  if (k == "StorageClass") {
    k8s::StorageClass sc;
    sc.meta = meta;
    read_storage_class(root, sc);
    out.storage_classes.push_back(declare(std::move(sc), *api, doc, ctx, ref, before));
  } else if (k == "PersistentVolume") {
    k8s::PersistentVolume pv;
    pv.meta = meta;
    read_persistent_volume(root, pv);
    out.persistent_volumes.push_back(declare(std::move(pv), *api, doc, ctx, ref, before));
  } else if (k == "PersistentVolumeClaim") {
    k8s::PersistentVolumeClaim pvc;
    pvc.meta = meta;
    read_persistent_volume_claim(root, pvc);
    out.persistent_volume_claims.push_back(declare(std::move(pvc), *api, doc, ctx, ref, before));
  } else if (k == "Pod") {
    k8s::Pod pod;
    pod.meta = meta;
    read_pod(root, pod);
    out.pods.push_back(declare(std::move(pod), *api, doc, ctx, ref, before));
  } else if (k == "StatefulSet") {
    k8s::StatefulSet sts;
    sts.meta = meta;
    read_stateful_set(root, *api, sts);
    out.stateful_sets.push_back(declare(std::move(sts), *api, doc, ctx, ref, before));
  } else if (k == "Deployment") {
    k8s::Deployment d;
    d.meta = meta;
    read_deployment(root, *api, d);
    out.deployments.push_back(declare(std::move(d), *api, doc, ctx, ref, before));
  } else if (k == "ReplicaSet") {
    k8s::ReplicaSet rs;
    rs.meta = meta;
    read_replica_set(root, *api, rs);
    out.replica_sets.push_back(declare(std::move(rs), *api, doc, ctx, ref, before));
  } else if (k == "PodDisruptionBudget") {
    k8s::PodDisruptionBudget pdb;
    pdb.meta = meta;
    if (read_pod_disruption_budget(root, *api, pdb))
      out.pod_disruption_budgets.push_back(declare(std::move(pdb), *api, doc, ctx, ref, before));
  } else if (k == "Service") {
    k8s::Service svc;
    svc.meta = meta;
    read_service(root, svc);
    out.services.push_back(declare(std::move(svc), *api, doc, ctx, ref, before));
  } else if (k == "Namespace") {
    if (!meta.name.empty()) out.namespaces.push_back(meta.name);
  } else if (k == "PriorityClass") {
    read_priority_class(root, meta, priorities);
  }
  // ConfigMap and Secret: accepted (workloads reference them) and otherwise ignored.
}

}  // namespace azsim::scenario::manifest
