#include "models/scheduler/pod_info.hpp"

#include <algorithm>

namespace azsim::scheduler {

namespace {
constexpr std::int64_t kDefaultMilliCpu = 100;
constexpr std::int64_t kDefaultMemory = 200LL * 1024 * 1024;

k8s::Resources non_zero(const k8s::Resources& r) {
  k8s::Resources out = r;
  if (out.milli_cpu == 0) out.milli_cpu = kDefaultMilliCpu;
  if (out.memory == 0) out.memory = kDefaultMemory;
  return out;
}

bool is_ebs_driver(const std::string& provisioner) {
  return provisioner == "ebs.csi.aws.com" || provisioner == "kubernetes.io/aws-ebs";
}
}  // namespace

k8s::Resources non_zero_requests(const k8s::PodSpec& spec) {
  k8s::Resources sum;
  for (const auto& c : spec.containers) sum += non_zero(c.requests);
  for (const auto& c : spec.init_containers) {
    const k8s::Resources r = non_zero(c.requests);
    sum.milli_cpu = std::max(sum.milli_cpu, r.milli_cpu);
    sum.memory = std::max(sum.memory, r.memory);
    sum.ephemeral_storage = std::max(sum.ephemeral_storage, r.ephemeral_storage);
  }
  if (spec.containers.empty() && spec.init_containers.empty()) sum = non_zero(sum);
  sum += spec.overhead;
  sum.pods = 0;
  return sum;
}

std::string claim_class_name(const k8s::ObjectStore& store, const k8s::PersistentVolumeClaim& pvc) {
  if (pvc.storage_class_name) return *pvc.storage_class_name;
  for (const auto& [k, sc] : store.table<k8s::StorageClass>().items())
    if (sc->is_default()) return sc->meta.name;
  return {};
}

const k8s::StorageClass* claim_class(const k8s::ObjectStore& store, const k8s::PersistentVolumeClaim& pvc) {
  const std::string name = claim_class_name(store, pvc);
  return name.empty() ? nullptr : store.get<k8s::StorageClass>(name);
}

namespace {
bool claim_is_ebs(const k8s::ObjectStore& store, const k8s::PersistentVolumeClaim* pvc) {
  if (pvc == nullptr) return false;
  if (!pvc->volume_name.empty()) {
    const auto* pv = store.get<k8s::PersistentVolume>(pvc->volume_name);
    if (pv == nullptr) return false;
    return pv->source.type == k8s::PersistentVolumeSource::Type::AwsElasticBlockStore ||
           (pv->source.type == k8s::PersistentVolumeSource::Type::Csi && pv->source.driver == "ebs.csi.aws.com");
  }
  const auto* sc = claim_class(store, *pvc);
  return sc != nullptr && is_ebs_driver(sc->provisioner);
}
}  // namespace

bool claim_is_ebs(const k8s::ObjectStore& store, const std::string& ns, const std::string& claim) {
  return claim_is_ebs(store, store.get<k8s::PersistentVolumeClaim>(ns, claim));
}

void compile_volumes(PodInfo& p, const k8s::Pod& pod, SymbolTable& syms, const k8s::ObjectStore& store,
                     bool with_claims) {
  // Strings are interned in the same order whether or not the claims are rebuilt, so the ids
  // come out as one full compile would assign them.
  p.ebs_volumes.clear();
  if (with_claims) {
    p.claims.clear();
    p.inline_ebs.clear();
  }
  for (const auto& v : pod.spec.volumes) {
    if (v.pvc_claim_name) {
      // "pvc:" + "ns/claim" built once; the claim key is its tail (also the store's key of the
      // claim unless the namespace is empty).
      std::string id;
      id.reserve(4 + pod.meta.ns.size() + 1 + v.pvc_claim_name->size());
      id.append("pvc:").append(pod.meta.ns).append("/").append(*v.pvc_claim_name);
      const std::string_view ckey = std::string_view(id).substr(4);
      if (with_claims) p.claims.push_back(syms.intern(ckey));
      const auto* pvc = pod.meta.ns.empty() ? store.get<k8s::PersistentVolumeClaim>(*v.pvc_claim_name)
                                            : store.get<k8s::PersistentVolumeClaim>(ckey);
      if (claim_is_ebs(store, pvc)) p.ebs_volumes.push_back(syms.intern(id));
    } else if (v.aws_ebs_volume_id) {
      if (with_claims) p.inline_ebs.push_back(syms.intern(*v.aws_ebs_volume_id));
      p.ebs_volumes.push_back(syms.intern("ebs:" + *v.aws_ebs_volume_id));
    }
  }
  std::sort(p.ebs_volumes.begin(), p.ebs_volumes.end());
  p.ebs_volumes.erase(std::unique(p.ebs_volumes.begin(), p.ebs_volumes.end()), p.ebs_volumes.end());
}

PodInfo compile_pod(const k8s::Pod& pod, SymbolTable& syms, const k8s::ObjectStore& store) {
  PodInfo p;
  p.key = pod.meta.key();
  p.ns = syms.intern(pod.meta.ns);
  p.labels = LabelSet::from(pod.meta.labels, syms);
  p.priority = pod.spec.priority;
  p.terminating = pod.terminating();
  p.requests = pod.spec.effective_requests();
  p.non_zero = non_zero_requests(pod.spec);
  for (const auto& c : pod.spec.containers)
    for (const auto& port : c.ports)
      if (port.host_port > 0)
        p.host_ports.push_back({syms.intern(port.host_ip == "0.0.0.0" ? "" : port.host_ip),
                                syms.intern(port.protocol.empty() ? "TCP" : port.protocol), port.host_port});
  compile_volumes(p, pod, syms, store, true);
  const auto& aff = pod.spec.affinity;
  if (aff.pod_affinity) {
    for (const auto& t : aff.pod_affinity->required) p.required_affinity.push_back(compile_affinity_term(t, p.ns, syms));
    for (const auto& w : aff.pod_affinity->preferred) {
      p.preferred_affinity.push_back(compile_affinity_term(w.term, p.ns, syms));
      p.preferred_affinity.back().weight = w.weight;
    }
  }
  if (aff.pod_anti_affinity) {
    for (const auto& t : aff.pod_anti_affinity->required)
      p.required_anti_affinity.push_back(compile_affinity_term(t, p.ns, syms));
    for (const auto& w : aff.pod_anti_affinity->preferred) {
      p.preferred_anti_affinity.push_back(compile_affinity_term(w.term, p.ns, syms));
      p.preferred_anti_affinity.back().weight = w.weight;
    }
  }
  return p;
}

}  // namespace azsim::scheduler
