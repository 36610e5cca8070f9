// PodInfo: what the scheduler needs of a pod, compiled once (framework.PodInfo): interned
// labels, requests, host ports, the volumes it attaches, and its affinity terms. Built for
// every pod the cache holds and for the pod being scheduled.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/k8s/objects.hpp"
#include "models/k8s/store.hpp"
#include "models/scheduler/symbols.hpp"

namespace azsim::scheduler {

/// A host port in use (NodePorts): ip "" is the wildcard 0.0.0.0.
struct HostPort {
  Sym ip = kNoSym;
  Sym protocol = kNoSym;
  std::int32_t port = 0;
};

inline constexpr std::uint32_t kNoNode = 0xffffffffu;

struct PodInfo {
  std::string key;  ///< "namespace/name"
  Sym ns = kNoSym;
  LabelSet labels;
  std::int32_t priority = 0;
  bool terminating = false;
  k8s::Resources requests;  ///< PodSpec::effective_requests(): what NodeResourcesFit checks
  k8s::Resources non_zero;  ///< requests with 100m cpu / 200Mi memory for unset containers (scoring)
  std::vector<HostPort> host_ports;
  /// Attach identities NodeVolumeLimits counts: one per EBS-backed claim ("pvc:ns/claim", a
  /// claim maps to one PV) and per inline EBS volume ("ebs:vol-id").
  std::vector<Sym> ebs_volumes;
  std::vector<Sym> inline_ebs;  ///< in-tree inline EBS volume ids (VolumeRestrictions)
  std::vector<Sym> claims;      ///< "ns/claim" of every PVC volume
  std::vector<AffinityTerm> required_affinity;
  std::vector<AffinityTerm> required_anti_affinity;
  std::vector<AffinityTerm> preferred_affinity;
  std::vector<AffinityTerm> preferred_anti_affinity;
  // Cache bookkeeping:
  std::uint32_t node = kNoNode;
  bool assumed = false;
  bool live = false;
};

/// Requests with kube-scheduler's defaults for containers without a cpu/memory request
/// (schedutil DefaultMilliCPURequest = 100, DefaultMemoryRequest = 200 MiB).
k8s::Resources non_zero_requests(const k8s::PodSpec& spec);

/// Whether a claim's volume is an EBS volume: its PV is an ebs.csi.aws.com CSI or in-tree
/// awsElasticBlockStore volume, or, unbound, its class provisions with one of those.
bool claim_is_ebs(const k8s::ObjectStore& store, const std::string& ns, const std::string& claim);

/// The StorageClass a claim uses: its explicit class, or the default class when unset
/// (nullptr when the class name is "" or the class does not exist).
const k8s::StorageClass* claim_class(const k8s::ObjectStore& store, const k8s::PersistentVolumeClaim& pvc);
/// The class name a claim uses ("" = none), resolving an unset name to the default class.
std::string claim_class_name(const k8s::ObjectStore& store, const k8s::PersistentVolumeClaim& pvc);

/// The volume half of compile_pod: p.ebs_volumes from the pod's volumes and the claims, PVs
/// and classes now in the store (whether a claim is EBS-backed can change while the pod
/// waits); with `with_claims` also p.claims and p.inline_ebs, which depend on the pod alone.
void compile_volumes(PodInfo& p, const k8s::Pod& pod, SymbolTable& syms, const k8s::ObjectStore& store,
                     bool with_claims);

PodInfo compile_pod(const k8s::Pod& pod, SymbolTable& syms, const k8s::ObjectStore& store);

}  // namespace azsim::scheduler
