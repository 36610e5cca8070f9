// The attach/detach controller (kube-controller-manager's attachdetach reconciler; FIDELITY A
// "attach/detach maxWaitForUnmountDuration", B "Volumes", C step 4).
//
// Desired state of world: every volume of every pod bound to a node, until the pod is deleted
// from the API or is terminated (deletion requested and its containers no longer running,
// util.IsPodTerminated). A pod stuck Terminating on an unreachable node still reports running
// containers, so its volumes stay desired there for as long as the pod object exists (k/k issue
// #65392); a pod whose Node object was deleted stays in the desired state until PodGC deletes it.
//
// Actual state of world: adc_asw, changed only by the controller's own operations.
//
// Each pass (every 100 ms while something changed) first detaches what is attached but no longer
// desired on its node: at once when the node's kubelet has unmounted it (alive), else only when
// the node carries the out-of-service taint, or when 6 minutes have passed since the detach was
// first requested and the node is not Ready (or gone). Then it attaches what is desired where the
// volume is free; a volume the controller holds on another node gets one Multi-Attach event per
// waiting node, worded as reportMultiAttachError words it.
#include <algorithm>
#include <string_view>

#include "models/controllers/internal.hpp"

namespace azsim::controllers {

namespace {

bool has_taint_key(const k8s::Node& n, const char* key) {
  return std::any_of(n.spec.taints.begin(), n.spec.taints.end(), [&](const k8s::Taint& t) { return t.key == key; });
}

std::string name_of(const std::string& key) { return key.substr(key.find('/') + 1); }

}  // namespace

KubeletSteady Cluster::Impl::steady_before(const std::string& vol, const std::string& node, const std::string& pod) const {
  // A stamp stays valid across desired states: it holds whatever the kubelet's finding rests on.
  auto dit = adc_desired_cache.find(vol);
  if (dit == adc_desired_cache.end()) return {};
  for (const AdcWant& w : dit->second) {
    if (w.node != node) continue;
    for (std::size_t i = 0; i < w.pods.size(); ++i)
      if (w.pods[i] == pod) return w.steady[i];
  }
  return {};
}

Cluster::Impl::AdcDesired Cluster::Impl::adc_desired() const {
  AdcDesired desired;
  // Pods without EBS volumes add nothing: only those with some are walked (in key order).
  for (const auto& key : pod_index.with_volumes()) {
    const k8s::Pod* pod = store.get<k8s::Pod>(key);
    if (!pod || !pod->bound()) continue;
    // util.IsPodTerminated: deletion requested and no container running. The model knows
    // "running" as the last status the kubelet posted (containers_started).
    if (pod->terminating() && !pod->status.containers_started) continue;
    // The volumes for_each_volume walks: its AWS EBS and claim volumes.
    const bool one_volume = std::count_if(pod->spec.volumes.begin(), pod->spec.volumes.end(), [](const k8s::PodVolume& v) {
                              return v.aws_ebs_volume_id || v.pvc_claim_name;
                            }) == 1;
    for_each_volume(*pod, [&](const std::string& vol, const std::string& pv_name) {
      if (vol.empty()) return true;
      auto dit = desired.find(vol);
      if (dit == desired.end()) dit = desired.emplace(vol, std::vector<AdcWant>()).first;
      auto& wants = dit->second;
      auto it = std::find_if(wants.begin(), wants.end(), [&](const AdcWant& w) { return w.node == pod->spec.node_name; });
      if (it == wants.end()) it = wants.insert(wants.end(), AdcWant{pod->spec.node_name, pv_name, {}, {}});
      it->pods.push_back(key);
      it->steady.push_back(steady_before(vol, pod->spec.node_name, key));
      it->steady.back().one_volume = one_volume;
      return true;
    });
  }
  return desired;
}

void Cluster::Impl::adc_report_multi_attach(const std::string& vol, const AdcWant& w, const std::vector<AdcWant>& wants) {
  // Reported already on most passes: looked up without building a new string.
  adc_key_buf.assign(vol).append("|").append(w.node);
  if (!multi_attach_reported.insert(adc_key_buf).second) return;
  // Pods that use the volume on other nodes (desiredStateOfWorld.GetVolumePodsOnNodes).
  std::vector<std::string> others;
  for (const AdcWant& o : wants)
    if (o.node != w.node) others.insert(others.end(), o.pods.begin(), o.pods.end());
  for (const auto& pk : w.pods) {
    const std::string ns = pk.substr(0, pk.find('/'));
    std::vector<std::string> local;
    int foreign = 0;
    for (const auto& o : others) {
      if (o.substr(0, o.find('/')) == ns) local.push_back(name_of(o));
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
    if (recording())
      record(k8s::EventType::Warning, "FailedAttachVolume", "pod/" + name_of(pk),
             "Multi-Attach error for volume \"" + w.pv_name + "\" " + why, "attachdetach-controller");
    c.pod_changed(pk);
  }
}

void Cluster::Impl::attach_detach() {
  const sim::Time now = sim.now();
  if (adc_cache_version != adc_inputs_version) {
    adc_desired_cache = adc_desired();
    adc_cache_version = adc_inputs_version;
  }
  // Not rebuilt before the next pass: the pass works on the state it started from even when its
  // own writes change the inputs.
  const AdcDesired& desired = adc_desired_cache;
  auto wanted_on = [&](std::string_view vol, std::string_view node) {
    auto it = desired.find(vol);
    return it != desired.end() &&
           std::any_of(it->second.begin(), it->second.end(), [&](const AdcWant& w) { return w.node == node; });
  };

  // A Multi-Attach report is made once per desired (volume, node); it may be made again once
  // that entry left the desired state (DesiredStateOfWorld.SetMultiAttachError).
  // Reports are only made for desired entries, so with the desired state unchanged since the
  // last sweep every one left is still desired.
  if (reports_swept_version != adc_cache_version) {
    std::erase_if(multi_attach_reported, [&](const std::string& k) {
      const std::string_view sv = k;
      const auto bar = sv.find('|');
      return !wanted_on(sv.substr(0, bar), sv.substr(bar + 1));
    });
    std::erase_if(attach_error_reported, [&](const std::string& k) {
      const std::string_view sv = k;
      const auto bar = sv.find('|');
      const auto bar2 = sv.find('|', bar + 1);
      return !wanted_on(sv.substr(0, bar), sv.substr(bar + 1, bar2 - bar - 1));
    });
    reports_swept_version = adc_cache_version;
  }

  // 1. Detach what is attached but no longer desired on its node.
  std::vector<std::string> to_detach;
  for (auto& [vol, a] : adc_asw) {
    if (a.state != AdcAttachment::State::Attached) continue;  // an operation is in flight
    if (a.wanted_version != adc_cache_version) {
      a.wanted = wanted_on(vol, a.node);
      a.wanted_version = adc_cache_version;
    }
    if (a.wanted) {
      a.detach_requested.reset();  // "touching" resets the timer
      continue;
    }
    if (!a.detach_requested) a.detach_requested = now;
    const k8s::Node* node = store.get<k8s::Node>(a.node);
    const bool healthy = node && node->status.ready == k8s::ConditionStatus::True;
    const bool out_of_service = node && has_taint_key(*node, k8s::wellknown::kTaintOutOfService);
    // MountedByNode comes from the node status the kubelet last posted (VolumesInUse): a live
    // kubelet unmounts and reports it; a dead one leaves it listed.
    const bool mounted = !kubelet_alive(a.node);
    const sim::Time expiry = *a.detach_requested + p.max_wait_for_unmount;
    const bool timed_out = now > expiry;
    if (mounted && !out_of_service && !(timed_out && !healthy)) {
      if (!timed_out) adc->request_at(expiry + sim::Duration::micros(1));
      // Timed out on a Ready node: wait for the node to turn unhealthy or the kubelet to unmount
      // (both are watched changes).
      continue;
    }
    to_detach.push_back(vol);
  }
  for (const auto& vol : to_detach) {
    AdcAttachment& a = adc_asw.at(vol);
    a.state = AdcAttachment::State::Detaching;
    touch(a);
    const std::string node = a.node;
    // EC2 may have detached it already (terminated instance): DetachVolume then succeeds at once.
    cloud.detach_volume(vol, [this, vol, node] {
      auto it = adc_asw.find(vol);
      if (it != adc_asw.end() && it->second.node == node && it->second.state == AdcAttachment::State::Detaching)
        adc_asw.erase(it);
      adc->request_next();
    });
  }

  // 2. Attach what is desired where the volume is free.
  for (const auto& [vol, wants] : desired) {
    const cloud::Volume* v = cloud.volume(vol);
    if (!v) continue;
    for (const AdcWant& w : wants) {
      auto nit = nodes.find(w.node);
      if (nit == nodes.end()) continue;  // its Node object is gone: nothing can attach there
      auto ait = adc_asw.find(vol);
      if (ait != adc_asw.end()) {
        const AdcAttachment& a = ait->second;
        if (a.node == w.node) {
          if (a.state == AdcAttachment::State::Attached) {
            // The kubelet's volume manager sees the attachment: a pod it found steady with
            // nothing changed since needs no new look.
            for (std::size_t i = 0; i < w.pods.size(); ++i) {
              KubeletSteady& st = w.steady[i];
              const k8s::Pod* pod = store.get<k8s::Pod>(w.pods[i]);
              const KubeletSteady now_seen{st.one_volume, claims_epoch, nit->second.epoch, a.epoch,
                                           pod ? pod->meta.resource_version : 0};
              if (pod && st.one_volume && st == now_seen) continue;
              st = kubelet_sync_pod(w.pods[i]) ? now_seen : KubeletSteady{.one_volume = st.one_volume};
            }
          }
          continue;
        }
        // Held on another node. While an operation on the volume is pending the reconciler skips
        // it silently; otherwise it reports Multi-Attach once for this node.
        if (a.state == AdcAttachment::State::Attached) adc_report_multi_attach(vol, w, wants);
        continue;
      }
      const std::string inst = nit->second.instance;
      const std::string error = cloud.attach_error(vol, inst);
      if (!error.empty()) {
        // The attach would fail (volume impaired or failed, instance not running, EC2 still
        // detaching it from a terminated instance): report once and wait for that to change; the
        // cloud's volume and instance changes trigger the next pass.
        if (attach_error_reported.insert(vol + "|" + w.node + "|" + error).second && recording())
          for (const auto& pk : w.pods)
            record(k8s::EventType::Warning, "FailedAttachVolume", "pod/" + name_of(pk),
                   "AttachVolume.Attach failed for volume \"" + w.pv_name + "\" : " + error, "attachdetach-controller");
        continue;
      }
      touch(adc_asw[vol] = AdcAttachment{
                .node = w.node, .instance = inst, .state = AdcAttachment::State::Attaching, .detach_requested = std::nullopt});
      const std::vector<std::string> pod_keys = w.pods;
      const std::string pv_name = w.pv_name;
      const std::string node = w.node;
      cloud.attach_volume(vol, inst, [this, vol, node, pod_keys, pv_name](bool ok, const std::string& err) {
        auto it = adc_asw.find(vol);
        const bool ours = it != adc_asw.end() && it->second.node == node && it->second.state == AdcAttachment::State::Attaching;
        if (ours) {
          if (ok) {
            it->second.state = AdcAttachment::State::Attached;
            touch(it->second);
          } else {
            adc_asw.erase(it);
          }
        }
        for (const auto& pk : pod_keys) {
          if (!store.get<k8s::Pod>(pk)) continue;
          if (recording()) {
            const std::string obj = "pod/" + name_of(pk);
            if (ok)
              record(k8s::EventType::Normal, "SuccessfulAttachVolume", obj,
                     "AttachVolume.Attach succeeded for volume \"" + pv_name + "\"", "attachdetach-controller");
            else
              record(k8s::EventType::Warning, "FailedAttachVolume", obj,
                     "AttachVolume.Attach failed for volume \"" + pv_name + "\" : " + err, "attachdetach-controller");
          }
          kubelet_sync_pod(pk);
          c.pod_changed(pk);
        }
        adc->request_next();
      });
      break;  // one attachment per volume (ReadWriteOnce)
    }
  }
}

}  // namespace azsim::controllers
