// Workload controllers: StatefulSet (stable names, PVCs from volumeClaimTemplates, OrderedReady
// or Parallel, scale down in reverse) and ReplicaSet (replaces any pod marked for deletion at
// once). Deployments own one ReplicaSet (Cluster::apply).
#include <algorithm>

#include "models/controllers/internal.hpp"
#include "models/k8s/admission.hpp"

namespace azsim::controllers {

namespace {
// The alphabet Kubernetes uses for generated name suffixes (apimachinery rand.String).
constexpr char kAlphanums[] = "bcdfghjklmnpqrstvwxz2456789";
}  // namespace

std::string Cluster::Impl::random_suffix(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += kAlphanums[rng_names.uniform_index(sizeof(kAlphanums) - 1)];
  return s;
}

void Cluster::Impl::request_workload_sync(std::string_view kind, std::string_view ns, std::string_view name) {
  sync_id_buf.assign(kind).append("|");
  if (!ns.empty()) sync_id_buf.append(ns).append("/");
  sync_id_buf.append(name);
  if (!sync_pending.insert(sync_id_buf).second) return;
  // Controllers react to watch events asynchronously: sync after the current event.
  sim.after(sim::Duration::zero(), [this, id = sync_id_buf, sts = kind == "statefulset"] {
    sync_pending.erase(id);
    const std::string key = id.substr(id.find('|') + 1);
    if (sts) sync_statefulset(key);
    else sync_replicaset(key);
  }, 1, "workload-sync");
}

void Cluster::Impl::create_pod(k8s::Pod pod) {
  k8s::add_default_tolerations(pod.spec, p.default_not_ready_toleration_seconds, p.default_unreachable_toleration_seconds);
  pod.status = k8s::PodStatus{};
  const std::string key = pod.meta.key();
  c.known_pods_.insert(key);
  store.create(std::move(pod));
}

void Cluster::Impl::sync_statefulset(const std::string& key) {
  const k8s::StatefulSet* sts = store.get<k8s::StatefulSet>(key);
  if (!sts) return;
  const bool ordered = sts->pod_management_policy == k8s::PodManagementPolicy::OrderedReady;
  const std::string ns = sts->meta.ns;
  const k8s::OwnerReference owner{"StatefulSet", sts->meta.name, sts->meta.uid, true};
  std::size_t owned_in_range = 0;  // pods of the set found below at an ordinal it keeps
  std::string ordinal_key;  // "ns/<sts>-<ordinal>", rebuilt in place for each ordinal
  for (std::int32_t i = 0; i < sts->replicas; ++i) {
    const std::int32_t ordinal = sts->ordinals_start + i;
    ordinal_key.assign(ns);
    if (!ns.empty()) ordinal_key.append("/");
    ordinal_key.append(sts->meta.name).append("-").append(std::to_string(ordinal));
    const k8s::Pod* pod = store.get<k8s::Pod>(std::string_view(ordinal_key));
    if (!pod) {
      const std::string name = sts->pod_name(ordinal);
      for (const auto& tmpl : sts->volume_claim_templates) {
        const std::string claim = sts->claim_name(tmpl.meta.name, ordinal);
        if (store.get<k8s::PersistentVolumeClaim>(ns, claim)) continue;
        k8s::PersistentVolumeClaim pvc = tmpl;
        pvc.meta.name = claim;
        pvc.meta.ns = ns;
        pvc.meta.labels = sts->template_.meta.labels;
        pvc.phase = k8s::PvcPhase::Pending;
        pvc.volume_name.clear();
        store.create(std::move(pvc));
      }
      k8s::Pod np = k8s::pod_from_template(sts->template_, name, ns, owner);
      np.meta.labels["statefulset.kubernetes.io/pod-name"] = name;
      np.meta.labels["apps.kubernetes.io/pod-index"] = std::to_string(ordinal);
      np.spec.hostname = name;
      np.spec.subdomain = sts->service_name;
      for (const auto& tmpl : sts->volume_claim_templates) {
        auto it = std::find_if(np.spec.volumes.begin(), np.spec.volumes.end(),
                               [&](const k8s::PodVolume& v) { return v.name == tmpl.meta.name; });
        k8s::PodVolume vol{tmpl.meta.name, sts->claim_name(tmpl.meta.name, ordinal), false, std::nullopt, {}};
        if (it == np.spec.volumes.end()) np.spec.volumes.push_back(vol);
        else *it = vol;
      }
      if (recording())
        record(k8s::EventType::Normal, "SuccessfulCreate", "statefulset/" + sts->meta.name,
               "create Pod " + name + " in StatefulSet " + sts->meta.name + " successful", "statefulset-controller");
      create_pod(std::move(np));
      if (ordered) return;  // wait for it to be Running and Ready
      sts = store.get<k8s::StatefulSet>(key);
      if (store.get<k8s::Pod>(ns, name)) ++owned_in_range;  // owned by the set, at a kept ordinal
      continue;
    }
    if (ordered && (pod->terminating() || !(pod->status.phase == k8s::PodPhase::Running && pod->status.ready))) return;
    if (pod->meta.owner && pod->meta.owner->kind == "StatefulSet" && pod->meta.owner->name == sts->meta.name) ++owned_in_range;
  }
  // Scale down only concerns owned pods beyond the kept ordinals: none when every owned pod was
  // just found at a kept ordinal (the usual case), so the owned pods are not parsed and sorted.
  const auto& owned = pod_index.owned_by("StatefulSet", ns, sts->meta.name);
  if (owned.size() == owned_in_range) return;
  // Scale down: the highest ordinal first; OrderedReady removes one at a time.
  std::vector<const k8s::Pod*> extra;
  for (const auto& pod_key : owned)
    if (const k8s::Pod* pod = store.get<k8s::Pod>(pod_key)) {
      const std::string suffix = pod->meta.name.substr(sts->meta.name.size() + 1);
      const std::int32_t ordinal = std::stoi(suffix);
      if (ordinal >= sts->ordinals_start + sts->replicas) extra.push_back(pod);
    }
  std::sort(extra.begin(), extra.end(), [&](const k8s::Pod* a, const k8s::Pod* b) {
    return std::stoi(a->meta.name.substr(sts->meta.name.size() + 1)) > std::stoi(b->meta.name.substr(sts->meta.name.size() + 1));
  });
  for (const k8s::Pod* pod : extra) {
    if (pod->terminating()) {
      if (ordered) return;
      continue;
    }
    const std::string pod_key = pod->meta.key();
    if (recording())
      record(k8s::EventType::Normal, "SuccessfulDelete", "statefulset/" + sts->meta.name,
             "delete Pod " + pod->meta.name + " in StatefulSet " + sts->meta.name + " successful", "statefulset-controller");
    if (sts->when_scaled == k8s::PvcRetentionPolicy::Delete) {
      for (const auto& tmpl : sts->volume_claim_templates) {
        const std::string claim = key_of(ns, tmpl.meta.name + "-" + pod->meta.name);
        if (store.get<k8s::PersistentVolumeClaim>(claim)) store.remove<k8s::PersistentVolumeClaim>(claim);
      }
    }
    c.delete_pod(pod_key, false, std::nullopt);
    if (ordered) return;
  }
}

void Cluster::Impl::sync_replicaset(const std::string& key) {
  const k8s::ReplicaSet* rs = store.get<k8s::ReplicaSet>(key);
  if (!rs) return;
  // Nothing to create or delete when the active pods number the replicas (the usual case: a
  // pod of the set changed status), known from the index without visiting them.
  const auto& owned = pod_index.owned_by("ReplicaSet", rs->meta.ns, rs->meta.name);
  if (static_cast<std::int64_t>(owned.size() - pod_index.owned_terminating("ReplicaSet", rs->meta.ns, rs->meta.name)) ==
      rs->replicas)
    return;
  std::vector<const k8s::Pod*> active;
  for (const auto& pod_key : owned)
    if (const k8s::Pod* pod = store.get<k8s::Pod>(pod_key); pod && !pod->terminating()) active.push_back(pod);
  const std::int32_t have = static_cast<std::int32_t>(active.size());
  const k8s::OwnerReference owner{"ReplicaSet", rs->meta.name, rs->meta.uid, true};
  for (std::int32_t i = have; i < rs->replicas; ++i) {
    std::string name;
    do name = rs->meta.name + "-" + random_suffix(5);
    while (store.get<k8s::Pod>(rs->meta.ns, name));
    if (recording())
      record(k8s::EventType::Normal, "SuccessfulCreate", "replicaset/" + rs->meta.name, "Created pod: " + name,
             "replicaset-controller");
    k8s::Pod np = k8s::pod_from_template(rs->template_, name, rs->meta.ns, owner);
    create_pod(std::move(np));
    rs = store.get<k8s::ReplicaSet>(key);
  }
  if (have > rs->replicas) {
    // Scale down the newest pods first.
    std::sort(active.begin(), active.end(), [](const k8s::Pod* a, const k8s::Pod* b) {
      return a->meta.creation_timestamp != b->meta.creation_timestamp ? a->meta.creation_timestamp > b->meta.creation_timestamp
                                                                      : a->meta.name > b->meta.name;
    });
    std::vector<std::string> victims;
    for (std::int32_t i = 0; i < have - rs->replicas; ++i) victims.push_back(active[static_cast<std::size_t>(i)]->meta.key());
    for (const auto& v : victims) c.delete_pod(v, false, std::nullopt);
  }
}

}  // namespace azsim::controllers
