#include "models/controllers/pod_index.hpp"

#include <algorithm>

namespace azsim::controllers {

namespace {

bool same_owner(const k8s::Pod& a, const k8s::Pod& b) {
  if (a.meta.owner.has_value() != b.meta.owner.has_value()) return false;
  return !a.meta.owner || (a.meta.owner->kind == b.meta.owner->kind && a.meta.owner->name == b.meta.owner->name);
}

}  // namespace

bool PodIndex::same_volumes(const k8s::Pod& a, const k8s::Pod& b) {
  if (a.spec.volumes.size() != b.spec.volumes.size()) return false;
  for (std::size_t i = 0; i < a.spec.volumes.size(); ++i)
    if (a.spec.volumes[i].pvc_claim_name != b.spec.volumes[i].pvc_claim_name ||
        a.spec.volumes[i].aws_ebs_volume_id != b.spec.volumes[i].aws_ebs_volume_id)
      return false;
  return true;
}

const PodIndex::Keys PodIndex::empty_;

const PodIndex::Keys& PodIndex::owned_by(const std::string& kind, const std::string& ns, const std::string& name) const {
  auto it = by_owner_.find(Owner{kind, ns, name});
  return it == by_owner_.end() ? empty_ : it->second.keys;
}

std::size_t PodIndex::owned_terminating(const std::string& kind, const std::string& ns, const std::string& name) const {
  auto it = by_owner_.find(Owner{kind, ns, name});
  return it == by_owner_.end() ? 0 : it->second.terminating;
}

void PodIndex::on_event(const k8s::Pod* old_pod, const k8s::Pod* new_pod) {
  on_event(old_pod, new_pod, (new_pod ? new_pod : old_pod)->meta.key());
}

void PodIndex::on_event(const k8s::Pod* old_pod, const k8s::Pod* new_pod, const std::string& key) {
  if (old_pod && new_pod) {
    const bool same_node = old_pod->spec.node_name == new_pod->spec.node_name;
    const bool same_terminating = old_pod->terminating() == new_pod->terminating();
    const bool same_rest = same_owner(*old_pod, *new_pod) && same_volumes(*old_pod, *new_pod);
    // Most updates are status changes: nothing indexed moves.
    if (same_node && same_terminating && same_rest) return;
    // A binding or a deletion request: only the node's set and the owner's terminating count
    // move, as remove() then add() would leave them (the key stays in every other set).
    Owned* owned = nullptr;
    if (!same_terminating && new_pod->meta.owner) {
      auto it = by_owner_.find(Owner{new_pod->meta.owner->kind, new_pod->meta.ns, new_pod->meta.owner->name});
      if (it != by_owner_.end() && it->second.keys.count(key)) owned = &it->second;
    }
    if (same_rest && (same_terminating || !new_pod->meta.owner || owned)) {
      if (!same_node) {
        if (old_pod->bound()) erase_from(by_node_, old_pod->spec.node_name, key);
        if (new_pod->bound()) by_node_[new_pod->spec.node_name].insert(key);
      }
      if (owned) {
        if (new_pod->terminating()) ++owned->terminating;
        else --owned->terminating;
      }
      return;
    }
  }
  if (old_pod) remove(*old_pod, key);
  if (new_pod) add(*new_pod, key);
}

void PodIndex::add(const k8s::Pod& pod, const std::string& key) {
  if (pod.bound()) by_node_[pod.spec.node_name].insert(key);
  if (pod.meta.owner) {
    Owned& o = by_owner_[Owner{pod.meta.owner->kind, pod.meta.ns, pod.meta.owner->name}];
    if (o.keys.insert(key).second && pod.terminating()) ++o.terminating;
  } else {
    bare_.insert(key);
  }
  if (std::any_of(pod.spec.volumes.begin(), pod.spec.volumes.end(),
                  [](const k8s::PodVolume& v) { return v.aws_ebs_volume_id || v.pvc_claim_name; }))
    with_volumes_.insert(key);
}

void PodIndex::erase_from(std::map<std::string, Keys, sim::StrLess>& m, const std::string& k, const std::string& key) {
  auto it = m.find(k);
  if (it == m.end()) return;
  it->second.erase(key);
  if (it->second.empty()) m.erase(it);
}

void PodIndex::remove(const k8s::Pod& pod, const std::string& key) {
  if (pod.bound()) erase_from(by_node_, pod.spec.node_name, key);
  if (pod.meta.owner) {
    auto it = by_owner_.find(Owner{pod.meta.owner->kind, pod.meta.ns, pod.meta.owner->name});
    if (it != by_owner_.end()) {
      if (it->second.keys.erase(key) && pod.terminating()) --it->second.terminating;
      if (it->second.keys.empty()) by_owner_.erase(it);
    }
  } else {
    bare_.erase(key);
  }
  with_volumes_.erase(key);
}

}  // namespace azsim::controllers
