// Storage: the PV controller (static binding, dynamic provisioning through the EBS CSI driver
// or the in-tree aws-ebs plugin, reclaim), and the attach/detach controller (FIDELITY A
// "attach/detach maxWaitForUnmountDuration"; B "Volumes").
#include <algorithm>
#include <cstdio>

#include "models/controllers/internal.hpp"
#include "models/controllers/ebs_provisioner.hpp"
#include "models/scheduler/zone_heuristic.hpp"

namespace azsim::controllers {

namespace {

// Retry after a failed attach (the operation executor's exponential backoff starts at 500 ms
// and caps at 2m2s; a fixed 10 s keeps replays simple).
constexpr sim::Duration kAttachRetry = sim::Duration::seconds(10);

bool modes_cover(const std::vector<k8s::AccessMode>& have, const std::vector<k8s::AccessMode>& want) {
  return std::all_of(want.begin(), want.end(),
                     [&](k8s::AccessMode m) { return std::find(have.begin(), have.end(), m) != have.end(); });
}

}  // namespace

std::optional<std::string> Cluster::Impl::resolve_class(const k8s::PersistentVolumeClaim& pvc) const {
  if (pvc.storage_class_name) return *pvc.storage_class_name;
  for (const auto* sc : store.list<k8s::StorageClass>())
    if (sc->is_default()) return sc->meta.name;
  return std::string();
}

std::vector<std::string> Cluster::Impl::zones_with_nodes() const {
  std::set<std::string> zs;
  for (const auto* n : store.list<k8s::Node>()) zs.insert(n->zone());
  zs.erase("");
  return {zs.begin(), zs.end()};
}

void Cluster::Impl::pv_sync_claim(const std::string& pvc_key) {
  const k8s::PersistentVolumeClaim* pvc = store.get<k8s::PersistentVolumeClaim>(pvc_key);
  if (!pvc || pvc->phase != k8s::PvcPhase::Pending || provisioning.count(pvc_key)) return;
  const std::string class_name = resolve_class(*pvc).value_or("");

  auto bind = [&](const k8s::PersistentVolume& pv) {
    const k8s::ClaimReference ref{pvc->meta.ns, pvc->meta.name, pvc->meta.uid};
    const std::string pv_name = pv.meta.name;
    store.mutate<k8s::PersistentVolume>(pv_name, [&](k8s::PersistentVolume& x) {
      x.claim_ref = ref;
      x.phase = k8s::PvPhase::Bound;
    });
    store.mutate<k8s::PersistentVolumeClaim>(pvc_key, [&](k8s::PersistentVolumeClaim& x) {
      x.volume_name = pv_name;
      x.phase = k8s::PvcPhase::Bound;
    });
    request_scheduling(sim.now());
  };

  if (!pvc->volume_name.empty()) {
    const k8s::PersistentVolume* pv = store.get<k8s::PersistentVolume>(pvc->volume_name);
    if (pv && (!pv->claim_ref || (pv->claim_ref->ns == pvc->meta.ns && pv->claim_ref->name == pvc->meta.name))) bind(*pv);
    return;
  }
  // Static binding: the smallest Available PV of the class that fits (pv controller findBestMatch).
  const k8s::PersistentVolume* best = nullptr;
  for (const auto* pv : store.list<k8s::PersistentVolume>()) {
    if (pv->phase != k8s::PvPhase::Available) continue;
    if (pv->claim_ref && !(pv->claim_ref->ns == pvc->meta.ns && pv->claim_ref->name == pvc->meta.name)) continue;
    if (pv->storage_class_name != class_name || pv->capacity_bytes < pvc->request_bytes) continue;
    if (!modes_cover(pv->access_modes, pvc->access_modes)) continue;
    if (pvc->selector && !pvc->selector->matches(pv->meta.labels)) continue;
    if (!best || pv->capacity_bytes < best->capacity_bytes) best = pv;
  }
  if (best) {
    bind(*best);
    return;
  }
  const k8s::StorageClass* sc = store.get<k8s::StorageClass>(class_name);
  if (!sc || sc->provisioner.empty() || sc->provisioner == "kubernetes.io/no-provisioner") return;
  // WaitForFirstConsumer: the scheduler provisions in its chosen node's zone (PreBind).
  if (sc->volume_binding_mode == k8s::VolumeBindingMode::WaitForFirstConsumer) return;
  // Immediate: a zone chosen without the pod, over the zones that have nodes and that the
  // class allows (FIDELITY B "Volumes").
  std::vector<std::string> zones;
  for (const auto& z : zones_with_nodes()) {
    bool allowed = sc->allowed_topologies.empty();
    for (const auto& term : sc->allowed_topologies) {
      k8s::Labels l{{k8s::wellknown::kZone, z}, {k8s::wellknown::kZoneLegacy, z}, {k8s::wellknown::kEbsCsiZone, z}};
      if (term.matches(l, "")) allowed = true;
    }
    if (allowed) zones.push_back(z);
  }
  if (zones.empty()) {
    record(k8s::EventType::Warning, "ProvisioningFailed", "persistentvolumeclaim/" + pvc->meta.name,
           "failed to provision volume with StorageClass \"" + class_name + "\": no zone with nodes is allowed",
           sc->provisioner);
    return;
  }
  const std::string zone = scheduler::choose_zone_for_claim(zones, pvc->meta.name);
  provisioning.insert(pvc_key);
  const sim::Duration latency = cloud::sample(cloud.params().ebs_create_latency, rng_sched);
  sim.after(latency, [this, pvc_key, class_name, zone] {
    provisioning.erase(pvc_key);
    const auto* claim = store.get<k8s::PersistentVolumeClaim>(pvc_key);
    const auto* cls = store.get<k8s::StorageClass>(class_name);
    if (!claim || !cls || claim->phase != k8s::PvcPhase::Pending) return;
    const std::string obj = "persistentvolumeclaim/" + claim->meta.name;
    auto res = provisioner->provision_in_zone(*claim, *cls, zone);  // rewrites the claim: `claim` dangles
    if (res.ok)
      record(k8s::EventType::Normal, "ProvisioningSucceeded", obj, "Successfully provisioned volume " + res.pv_name,
             cls->provisioner);
    else
      record(k8s::EventType::Warning, "ProvisioningFailed", obj, "failed to provision volume with StorageClass \"" +
             class_name + "\": " + res.error, cls->provisioner);
    request_scheduling(sim.now());
  }, 0, "pv-provision");
}

void Cluster::Impl::pv_claim_deleted(const k8s::PersistentVolumeClaim& pvc) {
  if (pvc.volume_name.empty()) return;
  const k8s::PersistentVolume* pv = store.get<k8s::PersistentVolume>(pvc.volume_name);
  if (!pv) return;
  if (pv->reclaim_policy == k8s::ReclaimPolicy::Delete) {
    const std::string vol = pv->source.volume_id;
    store.remove<k8s::PersistentVolume>(pvc.volume_name);
    if (!vol.empty() && cloud.volume(vol)) cloud.delete_volume(vol);
  } else {
    store.mutate<k8s::PersistentVolume>(pvc.volume_name, [](k8s::PersistentVolume& x) { x.phase = k8s::PvPhase::Released; });
  }
}

std::vector<std::pair<std::string, std::string>> Cluster::Impl::pod_volume_ids(const k8s::Pod& pod) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& v : pod.spec.volumes) {
    if (v.aws_ebs_volume_id) {
      out.emplace_back(*v.aws_ebs_volume_id, *v.aws_ebs_volume_id);
    } else if (v.pvc_claim_name) {
      const auto* pvc = store.get<k8s::PersistentVolumeClaim>(pod.meta.ns, *v.pvc_claim_name);
      const auto* pv = pvc && !pvc->volume_name.empty() ? store.get<k8s::PersistentVolume>(pvc->volume_name) : nullptr;
      if (pv && !pv->source.volume_id.empty()) out.emplace_back(pv->source.volume_id, pv->meta.name);
      else out.emplace_back("", "");
    }
  }
  return out;
}

void Cluster::Impl::attach_detach() {
  const sim::Time now = sim.now();
  struct Want {
    std::string node;
    std::string pv_name;
    std::vector<std::string> pods;  // keys
  };
  // Desired state: every volume of every pod placed on an existing node, unless the pod is
  // terminating on a not-Ready node with the out-of-service taint.
  std::map<std::string, std::vector<Want>> desired;  // volume id -> nodes wanting it
  for (const auto* pod : store.list<k8s::Pod>()) {
    if (!pod->bound()) continue;
    const k8s::Node* node = store.get<k8s::Node>(pod->spec.node_name);
    if (!node || !nodes.count(pod->spec.node_name)) continue;
    if (pod->terminating() && node->status.ready != k8s::ConditionStatus::True &&
        std::any_of(node->spec.taints.begin(), node->spec.taints.end(),
                    [](const k8s::Taint& t) { return t.key == k8s::wellknown::kTaintOutOfService; }))
      continue;
    for (const auto& [vol, pv_name] : pod_volume_ids(*pod)) {
      if (vol.empty()) continue;
      auto& wants = desired[vol];
      auto it = std::find_if(wants.begin(), wants.end(), [&](const Want& w) { return w.node == pod->spec.node_name; });
      if (it == wants.end()) wants.push_back(Want{pod->spec.node_name, pv_name, {pod->meta.key()}});
      else it->pods.push_back(pod->meta.key());
    }
  }

  // Detach what is attached where nobody wants it any more.
  for (const cloud::Volume* v : cloud.volumes()) {
    if (v->attached_to.empty() || v->attach_state == cloud::AttachState::Detaching) {
      undesired_since.erase(v->id);
      continue;
    }
    auto nit = node_by_instance.find(v->attached_to);
    const std::string node = nit == node_by_instance.end() ? std::string() : nit->second;
    const auto dit = desired.find(v->id);
    const bool wanted = dit != desired.end() && std::any_of(dit->second.begin(), dit->second.end(),
                                                            [&](const Want& w) { return w.node == node; });
    if (wanted) {
      undesired_since.erase(v->id);
      continue;
    }
    if (v->attach_state == cloud::AttachState::Attaching || attach_in_flight.count(v->id)) continue;
    auto [since_it, first] = undesired_since.emplace(v->id, now);
    const k8s::Node* kn = node.empty() ? nullptr : store.get<k8s::Node>(node);
    const bool unmounted = !node.empty() && kubelet_alive(node);
    const bool unhealthy = !kn || kn->status.ready != k8s::ConditionStatus::True;
    const bool out_of_service = kn && std::any_of(kn->spec.taints.begin(), kn->spec.taints.end(), [](const k8s::Taint& t) {
      return t.key == k8s::wellknown::kTaintOutOfService;
    });
    const bool timed_out = now >= since_it->second + p.max_wait_for_unmount;
    if (unmounted || out_of_service || (timed_out && unhealthy)) {
      const std::string id = v->id;
      cloud.detach_volume(id, [this] { adc->request_next(); });
      undesired_since.erase(id);
    } else if (!timed_out) {
      adc->request_at(since_it->second + p.max_wait_for_unmount);
    }
  }

  // Attach what is wanted and free; report Multi-Attach where it is held elsewhere.
  for (const auto& [vol, wants] : desired) {
    const cloud::Volume* v = cloud.volume(vol);
    if (!v) continue;
    for (const Want& w : wants) {
      const std::string inst = nodes[w.node].instance;
      if (v->attached_to == inst) {
        if (v->attach_state == cloud::AttachState::Attached)
          for (const auto& pk : w.pods) {
            multi_attach_reported.erase(pk + "|" + vol);
            kubelet_sync_pod(pk);
          }
        continue;
      }
      if (!v->attached_to.empty()) {
        // kube-controller-manager reconciler reportMultiAttachError.
        std::vector<std::string> others;
        for (const Want& o : wants)
          if (o.node != w.node)
            for (const auto& pk : o.pods) others.push_back(pk);
        for (const auto& pk : w.pods) {
          if (!multi_attach_reported.insert(pk + "|" + vol).second) continue;
          const std::string ns = pk.substr(0, pk.find('/'));
          std::vector<std::string> local;
          int foreign = 0;
          for (const auto& o : others) {
            if (o.substr(0, o.find('/')) == ns) local.push_back(o.substr(o.find('/') + 1));
            else ++foreign;
          }
          std::string why;
          if (others.empty()) {
            why = "Volume is already exclusively attached to one node and can't be attached to another";
          } else if (!local.empty()) {
            why = "Volume is already used by pod(s) ";
            for (std::size_t i = 0; i < local.size(); ++i) why += (i ? ", " : "") + local[i];
            if (foreign > 0) why += " and " + std::to_string(foreign) + " pod(s) in different namespaces";
          } else {
            why = "Volume is already used by " + std::to_string(foreign) + " pod(s) in different namespaces";
          }
          record(k8s::EventType::Warning, "FailedAttachVolume", "pod/" + pk.substr(pk.find('/') + 1),
                 "Multi-Attach error for volume \"" + w.pv_name + "\" " + why, "attachdetach-controller");
          c.pod_changed(pk);
        }
        continue;
      }
      if (attach_in_flight.count(vol)) continue;
      if (auto rit = attach_retry_at.find(vol); rit != attach_retry_at.end() && rit->second > now) {
        adc->request_at(rit->second);
        continue;
      }
      const cloud::Instance* instance = cloud.instance(inst);
      if (!instance || instance->state != cloud::InstanceState::Running) continue;
      attach_in_flight.insert(vol);
      const std::vector<std::string> pod_keys = w.pods;
      const std::string pv_name = w.pv_name;
      cloud.attach_volume(vol, inst, [this, vol, pod_keys, pv_name](bool ok, const std::string& error) {
        attach_in_flight.erase(vol);
        for (const auto& pk : pod_keys) {
          if (!store.get<k8s::Pod>(pk)) continue;
          const std::string obj = "pod/" + pk.substr(pk.find('/') + 1);
          if (ok) {
            record(k8s::EventType::Normal, "SuccessfulAttachVolume", obj,
                   "AttachVolume.Attach succeeded for volume \"" + pv_name + "\"", "attachdetach-controller");
          } else {
            record(k8s::EventType::Warning, "FailedAttachVolume", obj,
                   "AttachVolume.Attach failed for volume \"" + pv_name + "\" : " + error, "attachdetach-controller");
          }
          kubelet_sync_pod(pk);
          c.pod_changed(pk);
        }
        if (!ok) attach_retry_at[vol] = sim.now() + kAttachRetry;
        adc->request_next();
      });
      break;  // one attachment at a time per volume
    }
  }
}

}  // namespace azsim::controllers
