// Volume plugins: VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone.
#include <algorithm>

#include "models/scheduler/plugins.hpp"
#include "models/scheduler/reasons.hpp"

namespace azsim::scheduler {

namespace {

Status reject(Code c, std::string msg, PluginId p) { return Status{c, {std::move(msg)}, plugin_name(p)}; }
Status skip() { return Status{Code::Skip, {}, {}}; }

bool has_mode(const std::vector<k8s::AccessMode>& modes, k8s::AccessMode m) {
  return std::find(modes.begin(), modes.end(), m) != modes.end();
}

/// Calls f(zone) for each zone of a label value (volumehelpers.LabelZonesToSet: values joined
/// by "__"), in order.
template <class F>
void for_each_zone(std::string_view v, F&& f) {
  std::size_t start = 0;
  while (true) {
    auto pos = v.find("__", start);
    f(v.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 2;
  }
}

}  // namespace

// ---------------------------------------------------------------- VolumeRestrictions

Status VolumeRestrictions::pre_filter(const Cycle& c) {
  // The state left by the last pre_filter is reused while nothing it read changed (claims,
  // and the cache's claim users).
  const PreFilterKey key = PreFilterKey::of(c, ctx_.cache, true, false, true);
  return memo_.run(key, [&] { return compute(c); });
}

Status VolumeRestrictions::compute(const Cycle& c) {
  rwop_conflict_ = false;
  for (const auto& v : c.pod->spec.volumes) {
    if (!v.pvc_claim_name) continue;
    const auto* pvc = ctx_.store.get<k8s::PersistentVolumeClaim>(c.pod->meta.ns, *v.pvc_claim_name);
    if (pvc == nullptr)
      return reject(Code::UnschedulableAndUnresolvable, reasons::claim_not_found(*v.pvc_claim_name), id());
    if (has_mode(pvc->access_modes, k8s::AccessMode::ReadWriteOncePod) &&
        ctx_.cache.claim_users(ctx_.syms.intern(pvc->meta.key())) > 0)
      rwop_conflict_ = true;
  }
  if (c.info.inline_ebs.empty() && !rwop_conflict_) return skip();
  return Status::success();
}

void VolumeRestrictions::filter(const Cycle& c, const NodeInfo& n, Verdict& v) const {
  // AWS EBS forbids two pods on one node mounting the same in-tree volume id. A RWO volume used
  // on another node is not checked here: the attach/detach controller reports Multi-Attach.
  for (Sym id : c.info.inline_ebs)
    if (n.has_inline_ebs(id)) {
      v.add(Code::Unschedulable, ReasonTable::kDiskConflict);
      return;
    }
  if (rwop_conflict_) v.add(Code::Unschedulable, ReasonTable::kRwopConflict);
}

// ---------------------------------------------------------------- NodeVolumeLimits

Status NodeVolumeLimits::pre_filter(const Cycle& c) {
  held_.clear();
  if (c.info.ebs_volumes.empty()) return skip();
  for (Sym id : c.info.ebs_volumes)
    if (const auto* nodes = ctx_.cache.nodes_with_ebs_volume(id))
      for (std::uint32_t node : *nodes) held_.emplace_back(node, 1);
  std::sort(held_.begin(), held_.end());
  std::size_t out = 0;  // merge: one entry per node with the number of ids it holds
  for (std::size_t i = 0; i < held_.size(); ++i) {
    if (out > 0 && held_[out - 1].first == held_[i].first) held_[out - 1].second += held_[i].second;
    else held_[out++] = held_[i];
  }
  held_.resize(out);
  return Status::success();
}

void NodeVolumeLimits::filter(const Cycle& c, const NodeInfo& n, Verdict& v) const {
  // csi.go: distinct volumes already attached (pods on the node) plus the pod's new ones must
  // not exceed the CSINode allocatable count of the EBS driver.
  if (n.attachable_volumes <= 0) return;
  std::size_t fresh = c.info.ebs_volumes.size();  // ids are distinct (compile_pod)
  if (!held_.empty()) {
    auto it = std::lower_bound(held_.begin(), held_.end(), n.slot,
                               [](const auto& e, std::uint32_t node) { return e.first < node; });
    if (it != held_.end() && it->first == n.slot) fresh -= it->second;
  }
  if (fresh == 0) return;
  if (n.ebs_volumes.size() + fresh > static_cast<std::size_t>(n.attachable_volumes))
    v.add(Code::Unschedulable, ReasonTable::kMaxVolumeCount);
}

// ---------------------------------------------------------------- VolumeBinding

bool VolumeBinding::pv_fits_node(const k8s::PersistentVolume& pv, const NodeInfo& n) {
  return !pv.node_affinity || pv.node_affinity->matches(n.labels, n.name);
}

Status VolumeBinding::pre_filter(const Cycle& c) {
  // The state left by the last pre_filter is reused while nothing it read changed (claims,
  // PVs, classes, the cache's unclaimed PVs; nodes: for fit_memo_'s generation).
  const PreFilterKey key = PreFilterKey::of(c, ctx_.cache, false, true, true);
  return memo_.run(key, [&] { return compute(c); });
}

Status VolumeBinding::compute(const Cycle& c) {
  bound_.clear();
  bound_memo_.clear();
  unbound_.clear();
  missing_pv_ = false;
  accepts_all_ = false;
  std::vector<const k8s::PersistentVolumeClaim*> claims;
  // podHasPVCs: every claim must exist, not be Lost, not be being deleted.
  for (const auto& v : c.pod->spec.volumes) {
    if (!v.pvc_claim_name) continue;
    const auto* pvc = ctx_.store.get<k8s::PersistentVolumeClaim>(c.pod->meta.ns, *v.pvc_claim_name);
    if (pvc == nullptr)
      return reject(Code::UnschedulableAndUnresolvable, reasons::claim_not_found(*v.pvc_claim_name), id());
    if (pvc->phase == k8s::PvcPhase::Lost)
      return reject(Code::UnschedulableAndUnresolvable,
                    "persistentvolumeclaim \"" + pvc->meta.name + "\" bound to non-existent persistentvolume \"" +
                        pvc->volume_name + "\"",
                    id());
    if (pvc->meta.deletion_timestamp)
      return reject(Code::UnschedulableAndUnresolvable,
                    "persistentvolumeclaim \"" + pvc->meta.name + "\" is being deleted", id());
    claims.push_back(pvc);
  }
  if (claims.empty()) return skip();
  bool unbound_immediate = false;
  for (const auto* pvc : claims) {
    if (!pvc->volume_name.empty()) {
      const auto* pv = ctx_.store.get<k8s::PersistentVolume>(pvc->volume_name);
      if (pv != nullptr) bound_.push_back(pv);
      else missing_pv_ = true;
      continue;
    }
    const std::string cls = claim_class_name(ctx_.store, *pvc);
    const k8s::StorageClass* sc = cls.empty() ? nullptr : ctx_.store.get<k8s::StorageClass>(cls);
    if (!cls.empty() && sc == nullptr)
      return Status{Code::Error, {"storageclass.storage.k8s.io \"" + cls + "\" not found"}, plugin_name(id())};
    if (sc == nullptr || sc->volume_binding_mode != k8s::VolumeBindingMode::WaitForFirstConsumer) {
      unbound_immediate = true;
      continue;
    }
    Unbound u;
    u.pvc = pvc;
    u.sc = sc;
    u.can_provision = !sc->provisioner.empty() && sc->provisioner != "kubernetes.io/no-provisioner";
    const auto* names = ctx_.cache.unclaimed_pvs(cls);
    for (const auto& name : names ? *names : std::set<std::string>{}) {
      const auto* pv = ctx_.store.get<k8s::PersistentVolume>(name);
      if (pv == nullptr || pv->storage_class_name != cls || pv->meta.deletion_timestamp) continue;
      const bool prebound = pv->claim_ref && pv->claim_ref->ns == pvc->meta.ns && pv->claim_ref->name == pvc->meta.name;
      if (pv->claim_ref && !prebound) continue;
      if (!prebound && pv->phase != k8s::PvPhase::Available) continue;
      if (pv->capacity_bytes < pvc->request_bytes) continue;
      if (!std::all_of(pvc->access_modes.begin(), pvc->access_modes.end(),
                       [&](k8s::AccessMode m) { return has_mode(pv->access_modes, m); }))
        continue;
      if (pvc->selector && !pvc->selector->matches(pv->meta.labels)) continue;
      u.candidates.push_back(pv);
    }
    // FindMatchingVolume prefers a volume pre-bound to the claim, then the smallest that fits.
    std::stable_sort(u.candidates.begin(), u.candidates.end(), [&](const auto* a, const auto* b) {
      const bool pa = a->claim_ref.has_value(), pb = b->claim_ref.has_value();
      if (pa != pb) return pa;
      return a->capacity_bytes < b->capacity_bytes;
    });
    unbound_.push_back(std::move(u));
  }
  if (unbound_immediate)
    return reject(Code::UnschedulableAndUnresolvable, std::string(reasons::kUnboundImmediateClaims), id());
  constexpr std::size_t kMaxMemo = 64;
  if (fit_memo_.size() + bound_.size() > kMaxMemo) fit_memo_.clear();
  const std::uint64_t generation = ctx_.cache.node_generation();
  for (const auto* pv : bound_) {
    std::size_t m = 0;
    while (m < fit_memo_.size() && fit_memo_[m].pv_version != pv->meta.resource_version) ++m;
    if (m == fit_memo_.size()) {
      fit_memo_.emplace_back();
      fit_memo_.back().pv_version = pv->meta.resource_version;
      fit_memo_.back().node_generation = generation;
    }
    if (fit_memo_[m].node_generation != generation) {
      fit_memo_[m].node_generation = generation;
      fit_memo_[m].fits.clear();
    }
    bound_memo_.push_back(m);
  }
  // filter() cannot fail on any node when no bound PV has node affinity to check and every
  // claim, with no static PV to choose, provisions without allowedTopologies.
  accepts_all_ = bound_.empty() && !missing_pv_ && std::all_of(unbound_.begin(), unbound_.end(), [](const Unbound& u) {
                   return u.candidates.empty() && u.can_provision && u.sc->allowed_topologies.empty();
                 });
  return Status::success();
}

bool VolumeBinding::match_unbound(const NodeInfo& n, std::vector<const k8s::PersistentVolume*>* chosen,
                                  bool* bind_conflict) const {
  std::vector<const k8s::PersistentVolume*> taken;
  for (const auto& u : unbound_) {
    const k8s::PersistentVolume* pick = nullptr;
    for (const auto* pv : u.candidates)
      if (std::find(taken.begin(), taken.end(), pv) == taken.end() && pv_fits_node(*pv, n)) {
        pick = pv;
        break;
      }
    if (pick != nullptr) {
      taken.push_back(pick);
    } else {
      // checkVolumeProvisions: a supported provisioner and allowedTopologies matching the node.
      const bool topo_ok = u.sc->allowed_topologies.empty() ||
                           std::any_of(u.sc->allowed_topologies.begin(), u.sc->allowed_topologies.end(),
                                       [&](const k8s::NodeSelectorTerm& t) { return t.matches(n.labels, n.name); });
      if (!u.can_provision || !topo_ok) {
        *bind_conflict = true;
        return false;
      }
    }
    if (chosen) chosen->push_back(pick);
  }
  return true;
}

bool VolumeBinding::bound_fits(std::size_t i, const NodeInfo& n) const {
  if (i >= bound_memo_.size()) return pv_fits_node(*bound_[i], n);  // pre_filter stopped early
  auto& fits = fit_memo_[bound_memo_[i]].fits;
  if (n.slot >= fits.size()) fits.resize(n.slot + 1, -1);
  std::int8_t& f = fits[n.slot];
  if (f < 0) f = pv_fits_node(*bound_[i], n) ? 1 : 0;
  return f == 1;
}

void VolumeBinding::filter(const Cycle&, const NodeInfo& n, Verdict& v) const {
  // FindPodVolumes: reasons in the order node conflict, bind conflict, PV not found.
  bool node_conflict = false, bind_conflict = false;
  for (std::size_t i = 0; i < bound_.size(); ++i)
    if (!bound_fits(i, n)) node_conflict = true;
  if (!unbound_.empty()) match_unbound(n, nullptr, &bind_conflict);
  if (node_conflict) v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kVolumeNodeConflict);
  if (bind_conflict) v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kBindConflict);
  if (missing_pv_) v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kPvNotExist);
}

std::vector<VolumeDecision> VolumeBinding::decisions_for(const NodeInfo& n) const {
  std::vector<VolumeDecision> out;
  std::vector<const k8s::PersistentVolume*> chosen;
  bool conflict = false;
  if (!match_unbound(n, &chosen, &conflict)) return out;
  for (std::size_t i = 0; i < unbound_.size(); ++i)
    out.push_back({unbound_[i].pvc->meta.key(), chosen[i] ? chosen[i]->meta.name : std::string()});
  return out;
}

// ---------------------------------------------------------------- VolumeZone

Status VolumeZone::pre_filter(const Cycle& c) {
  // The state left by the last pre_filter is reused while nothing it read changed (claims,
  // PVs and classes only).
  const PreFilterKey key = PreFilterKey::of(c, ctx_.cache, false, false, true);
  return memo_.run(key, [&] { return compute(c); });
}

Status VolumeZone::compute(const Cycle& c) {
  reqs_.clear();
  const char* keys[4] = {k8s::wellknown::kZoneLegacy, k8s::wellknown::kRegionLegacy, k8s::wellknown::kZone,
                         k8s::wellknown::kRegion};
  // Interned on the first call (as every call used to, in the same order); ids never change.
  if (topology_keys_[0] == kNoSym)
    for (int i = 0; i < 4; ++i) topology_keys_[static_cast<std::size_t>(i)] = ctx_.syms.intern(keys[i]);
  for (const auto& v : c.pod->spec.volumes) {
    if (!v.pvc_claim_name) continue;
    const auto* pvc = ctx_.store.get<k8s::PersistentVolumeClaim>(c.pod->meta.ns, *v.pvc_claim_name);
    if (pvc == nullptr)
      return reject(Code::UnschedulableAndUnresolvable, reasons::claim_not_found(*v.pvc_claim_name), id());
    if (pvc->volume_name.empty()) {
      const std::string cls = claim_class_name(ctx_.store, *pvc);
      if (cls.empty())
        return reject(Code::UnschedulableAndUnresolvable, "PersistentVolumeClaim had no pv name and storageClass name",
                      id());
      const auto* sc = ctx_.store.get<k8s::StorageClass>(cls);
      if (sc == nullptr)
        return reject(Code::UnschedulableAndUnresolvable, "storageclass.storage.k8s.io \"" + cls + "\" not found", id());
      if (sc->volume_binding_mode == k8s::VolumeBindingMode::WaitForFirstConsumer) continue;
      return reject(Code::UnschedulableAndUnresolvable, "PersistentVolume had no name", id());
    }
    const auto* pv = ctx_.store.get<k8s::PersistentVolume>(pvc->volume_name);
    if (pv == nullptr) return reject(Code::UnschedulableAndUnresolvable, reasons::volume_not_found(pvc->volume_name), id());
    const std::uint64_t version = pv->meta.resource_version;
    auto memo = std::find_if(pv_reqs_.begin(), pv_reqs_.end(), [&](const auto& e) { return e.first == version; });
    if (memo != pv_reqs_.end()) {
      reqs_.insert(reqs_.end(), memo->second.begin(), memo->second.end());
      continue;
    }
    const std::size_t first = reqs_.size();
    for (int i = 0; i < 4; ++i) {
      auto it = pv->meta.labels.find(keys[i]);
      if (it == pv->meta.labels.end()) continue;
      Req r;
      r.key = topology_keys_[static_cast<std::size_t>(i)];
      // A beta (failure-domain) key on the PV may match the node's GA label.
      r.ga_key = i < 2 ? topology_keys_[static_cast<std::size_t>(i + 2)] : kNoSym;
      for_each_zone(it->second, [&](std::string_view z) { r.values.push_back(ctx_.syms.intern(z)); });
      std::sort(r.values.begin(), r.values.end());
      reqs_.push_back(std::move(r));
    }
    constexpr std::size_t kMaxMemo = 64;
    if (pv_reqs_.size() >= kMaxMemo) pv_reqs_.clear();
    pv_reqs_.emplace_back(version, std::vector<Req>(reqs_.begin() + static_cast<std::ptrdiff_t>(first), reqs_.end()));
  }
  return reqs_.empty() ? skip() : Status::success();
}

void VolumeZone::filter(const Cycle&, const NodeInfo& n, Verdict& v) const {
  // A node without any zone/region label is not checked.
  if (std::none_of(topology_keys_.begin(), topology_keys_.end(), [&](Sym k) { return n.label_set.get(k) != nullptr; }))
    return;
  for (const auto& r : reqs_) {
    const Sym* val = n.label_set.get(r.key);
    if (val == nullptr && r.ga_key != kNoSym) val = n.label_set.get(r.ga_key);
    if (val == nullptr || !std::binary_search(r.values.begin(), r.values.end(), *val)) {
      v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kVolumeZone);
      return;
    }
  }
}

}  // namespace azsim::scheduler
