#include "models/scheduler/cache.hpp"

#include <algorithm>

namespace azsim::scheduler {

namespace {

void add_ref(std::vector<std::pair<Sym, int>>& v, Sym id, int d) {
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it->first == id) {
      it->second += d;
      if (it->second <= 0) v.erase(it);
      return;
    }
  }
  if (d > 0) v.emplace_back(id, d);
}

bool has_ref(const std::vector<std::pair<Sym, int>>& v, Sym id) {
  for (const auto& e : v)
    if (e.first == id) return true;
  return false;
}

template <class T>
void erase_one(std::vector<T>& v, const T& x) {
  for (auto it = v.begin(); it != v.end(); ++it)
    if (*it == x) {
      *it = v.back();
      v.pop_back();
      return;
    }
}

std::string zone_key_of(const k8s::Node& n) {
  // utilnode.GetZoneKey: region + ":\x00:" + zone, each from the GA label or the beta one.
  auto get = [&](const char* ga, const char* beta) -> std::string {
    if (auto it = n.meta.labels.find(ga); it != n.meta.labels.end()) return it->second;
    if (auto it = n.meta.labels.find(beta); it != n.meta.labels.end()) return it->second;
    return {};
  };
  std::string region = get(k8s::wellknown::kRegion, k8s::wellknown::kRegionLegacy);
  std::string zone = get(k8s::wellknown::kZone, k8s::wellknown::kZoneLegacy);
  if (region.empty() && zone.empty()) return {};
  return region + std::string(":\0:", 3) + zone;
}

}  // namespace

bool NodeInfo::has_ebs_volume(Sym id) const { return has_ref(ebs_volumes, id); }
bool NodeInfo::has_inline_ebs(Sym id) const { return has_ref(inline_ebs, id); }

const AffinityTerm& term_of(const PodInfo& p, const TermRef& t) {
  switch (t.kind) {
    case kRequiredAffinity: return p.required_affinity[t.term];
    case kRequiredAntiAffinity: return p.required_anti_affinity[t.term];
    case kPreferredAffinity: return p.preferred_affinity[t.term];
    default: return p.preferred_anti_affinity[t.term];
  }
}

std::uint32_t Cache::node_slot(const std::string& name) {
  if (auto it = node_slot_.find(name); it != node_slot_.end()) return it->second;
  const auto slot = static_cast<std::uint32_t>(nodes_.size());
  nodes_.emplace_back();
  nodes_.back().name = name;
  nodes_.back().slot = slot;
  node_slot_.emplace(name, slot);
  return slot;
}

std::uint32_t Cache::node_index(std::string_view name) const {
  auto it = node_slot_.find(name);
  return it == node_slot_.end() || !nodes_[it->second].present ? kNoNode : it->second;
}

NodeChange Cache::upsert_node(const k8s::Node& n) {
  const std::size_t slots_before = nodes_.size();
  const std::uint32_t slot = node_slot(n.meta.name);
  const bool new_slot = nodes_.size() != slots_before;
  NodeInfo& ni = nodes_[slot];
  NodeChange ch;
  ch.added = !ni.present;
  ch.labels = ni.labels != n.meta.labels;
  ch.taints = ni.taints != n.spec.taints || ni.unschedulable != n.spec.unschedulable;
  ch.allocatable = !(ni.allocatable == n.status.allocatable) || ni.attachable_volumes != n.status.attachable_volumes;
  // Most updates are status-only (conditions, heartbeats): what derives from the labels
  // (the symbol set, the zone key) is rebuilt only when they changed.
  const bool relabel = ch.added || ch.labels;
  std::string zk = relabel ? zone_key_of(n) : std::string();
  if (relabel && (ch.added || zk != ni.zone_key)) {
    if (!ch.added) {  // zone label changed: move the node to its new zone group
      for (auto& zn : zone_nodes_) erase_one(zn, slot);
    }
    auto z = std::find(zones_.begin(), zones_.end(), zk);
    if (z == zones_.end()) {
      zones_.push_back(zk);
      zone_nodes_.emplace_back();
      z = zones_.end() - 1;
    }
    auto& members = zone_nodes_[static_cast<std::size_t>(z - zones_.begin())];
    // Keep arrival order, but a re-added node goes last.
    members.push_back(slot);
    order_dirty_ = true;
  }
  if (ch.added || ch.labels) ++node_generation_;
  else if (ch.taints || ch.allocatable) ++other_changes_;
  if ((ch.added || ch.labels) && !new_slot) ++columns_generation_;
  ni.present = true;
  if (relabel) {
    ni.labels = n.meta.labels;
    ni.label_set = LabelSet::from(n.meta.labels, syms_);
    ni.zone_key = std::move(zk);
  }
  if (ch.taints) ni.taints = n.spec.taints;
  ni.unschedulable = n.spec.unschedulable;
  ni.allocatable = n.status.allocatable;
  ni.attachable_volumes = n.status.attachable_volumes;
  return ch;
}

void Cache::remove_node(std::string_view name) {
  auto it = node_slot_.find(name);
  if (it == node_slot_.end()) return;
  NodeInfo& ni = nodes_[it->second];
  if (!ni.present) return;
  ni.present = false;
  ++node_generation_;
  for (auto& zn : zone_nodes_) erase_one(zn, it->second);
  order_dirty_ = true;
}

std::span<const std::uint32_t> Cache::node_order() {
  if (order_dirty_) {
    // nodeTree.list(): one node from each zone in turn until every zone is exhausted.
    order_.clear();
    std::size_t longest = 0;
    for (const auto& zn : zone_nodes_) longest = std::max(longest, zn.size());
    for (std::size_t i = 0; i < longest; ++i)
      for (const auto& zn : zone_nodes_)
        if (i < zn.size()) order_.push_back(zn[i]);
    order_dirty_ = false;
  }
  return order_;
}

std::size_t Cache::num_present_nodes() { return node_order().size(); }

std::uint32_t Cache::alloc_pod_slot() {
  if (!free_pods_.empty()) {
    const std::uint32_t s = free_pods_.back();
    free_pods_.pop_back();
    return s;
  }
  pods_.emplace_back();
  return static_cast<std::uint32_t>(pods_.size() - 1);
}

void Cache::attach(std::uint32_t slot, std::uint32_t node) {
  ++pods_generation_;
  PodInfo& p = pods_[slot];
  p.node = node;
  NodeInfo& n = nodes_[node];
  n.pods.push_back(slot);
  n.num_pods += 1;
  n.requested += p.requests;
  n.non_zero_requested += p.non_zero;
  for (const auto& hp : p.host_ports) n.used_ports.push_back(hp);
  for (Sym v : p.ebs_volumes) add_ebs_ref(node, v, 1);
  for (Sym v : p.inline_ebs) add_ref(n.inline_ebs, v, 1);
}

void Cache::detach(std::uint32_t slot) {
  ++pods_generation_;
  PodInfo& p = pods_[slot];
  if (p.node == kNoNode) return;
  NodeInfo& n = nodes_[p.node];
  erase_one(n.pods, slot);
  n.num_pods -= 1;
  n.requested -= p.requests;
  n.non_zero_requested -= p.non_zero;
  for (const auto& hp : p.host_ports) {
    for (auto it = n.used_ports.begin(); it != n.used_ports.end(); ++it)
      if (it->ip == hp.ip && it->protocol == hp.protocol && it->port == hp.port) {
        n.used_ports.erase(it);
        break;
      }
  }
  for (Sym v : p.ebs_volumes) add_ebs_ref(p.node, v, -1);
  for (Sym v : p.inline_ebs) add_ref(n.inline_ebs, v, -1);
  p.node = kNoNode;
}

void Cache::add_ebs_ref(std::uint32_t node, Sym id, int d) {
  auto& v = nodes_[node].ebs_volumes;
  const bool had = has_ref(v, id);
  add_ref(v, id, d);
  const bool has = has_ref(v, id);
  if (had == has) return;
  auto& holders = ebs_nodes_[id];
  if (has) {
    holders.push_back(node);
  } else {
    erase_one(holders, node);
    if (holders.empty()) ebs_nodes_.erase(id);
  }
}

const std::vector<std::uint32_t>* Cache::nodes_with_ebs_volume(Sym id) const {
  auto it = ebs_nodes_.find(id);
  return it == ebs_nodes_.end() ? nullptr : &it->second;
}

const Cache::Column& Cache::column(Sym key) const {
  Column* col = nullptr;
  for (auto& c : columns_)
    if (c->key == key) col = c.get();
  if (col == nullptr) {
    columns_.push_back(std::make_unique<Column>());
    col = columns_.back().get();
    col->key = key;
    col->generation = columns_generation_;
  }
  if (col->generation != columns_generation_) {
    col->generation = columns_generation_;
    col->values.clear();
    col->domain.clear();
    col->domain_values.clear();
    col->dense.clear();
  }
  // Dense domain ids in first-use order. Most keys have few values (zones): those are found by
  // a scan of the values seen so far, with the hash map only once there are many (hostnames
  // of a large cluster).
  constexpr std::size_t kScanLimit = 32;
  auto& values = col->domain_values;
  for (std::size_t i = col->values.size(); i < nodes_.size(); ++i) {
    const Sym* v = nodes_[i].label_set.get(key);
    col->values.push_back(v == nullptr ? kNoSym : *v);
    if (v == nullptr) {
      col->domain.push_back(kNoDomain);
      continue;
    }
    auto id = static_cast<std::uint32_t>(values.size());
    if (values.size() <= kScanLimit) {
      for (std::uint32_t d = 0; d < values.size(); ++d)
        if (values[d] == *v) {
          id = d;
          break;
        }
      if (id == values.size()) values.push_back(*v);
      if (values.size() > kScanLimit)  // switching to the map: index what the scan saw
        for (std::uint32_t d = 0; d < values.size(); ++d) col->dense.emplace(values[d], d);
    } else {
      auto [it, added] = col->dense.try_emplace(*v, id);
      if (added) values.push_back(*v);
      id = it->second;
    }
    col->domain.push_back(id);
  }
  return *col;
}

std::span<const Sym> Cache::topology_values(Sym key) const { return column(key).values; }

Cache::Domains Cache::topology_domains(Sym key) const {
  const Column& c = column(key);
  return {c.domain, c.domain_values};
}

const std::vector<std::uint32_t>* Cache::candidates(const CompiledSelector& sel) const {
  if (sel.match_nothing) return nullptr;
  const std::vector<std::uint32_t>* best = nullptr;
  for (const auto& r : sel.reqs) {
    if (r.op != k8s::SelectorOp::In || r.values.size() != 1) continue;
    auto it = label_index_.find(pack(r.key, r.values[0]));
    if (it == label_index_.end()) return nullptr;  // nothing carries a required label pair
    if (best == nullptr || it->second.size() < best->size()) best = &it->second;
  }
  return best != nullptr ? best : &all_pods_;
}

std::span<const std::int32_t> Cache::matching_pods_per_node(Sym ns, const CompiledSelector& sel) const {
  // A handful of selectors are in use at a time (one per workload being scheduled): found by a
  // scan, the least recently asked dropped beyond kKeep, but never one asked for since the
  // last pod change, whose span a caller may still hold.
  constexpr std::size_t kKeep = 8;
  auto it = std::find_if(match_counts_.begin(), match_counts_.end(),
                         [&](const auto& m) { return m->ns == ns && m->selector == sel; });
  std::unique_ptr<MatchCounts> m;
  if (it != match_counts_.end()) {
    m = std::move(*it);
    match_counts_.erase(it);
  } else {
    m = std::make_unique<MatchCounts>();
    m->ns = ns;
    m->selector = sel;
    m->per_node.assign(nodes_.size(), 0);
    if (const std::vector<std::uint32_t>* list = candidates(sel))
      for (std::uint32_t s : *list)
        if (const PodInfo& p = pods_[s]; p.node != kNoNode && m->counts(p)) m->per_node[p.node] += 1;
    while (match_counts_.size() >= kKeep && match_counts_.front()->used != pods_generation_)
      match_counts_.erase(match_counts_.begin());
  }
  m->used = pods_generation_;
  if (m->per_node.size() < nodes_.size()) m->per_node.resize(nodes_.size(), 0);
  match_counts_.push_back(std::move(m));
  return match_counts_.back()->per_node;
}

void Cache::index_pod(std::uint32_t slot, int dir) {
  ++pods_generation_;
  PodInfo& p = pods_[slot];
  for (auto& m : match_counts_)
    if (p.node != kNoNode && m->counts(p)) {
      if (m->per_node.size() <= p.node) m->per_node.resize(nodes_.size(), 0);
      m->per_node[p.node] += dir;
    }
  for (const auto& lp : p.labels.pairs()) {
    auto& list = label_index_[pack(lp)];
    if (dir > 0) list.push_back(slot);
    else erase_one(list, slot);
  }
  if (dir > 0) all_pods_.push_back(slot);
  else erase_one(all_pods_, slot);
  auto index_terms = [&](const std::vector<AffinityTerm>& terms, TermKind kind,
                         std::unordered_map<std::uint64_t, std::vector<TermRef>>& idx, std::vector<TermRef>& un) {
    for (std::size_t i = 0; i < terms.size(); ++i) {
      TermRef ref{slot, static_cast<std::uint16_t>(i), kind};
      auto key = terms[i].selector.index_pair();
      auto& list = key ? idx[pack(*key)] : un;
      if (dir > 0) list.push_back(ref);
      else erase_one(list, ref);
    }
  };
  index_terms(p.required_anti_affinity, kRequiredAntiAffinity, anti_index_, anti_unindexed_);
  index_terms(p.required_affinity, kRequiredAffinity, score_index_, score_unindexed_);
  index_terms(p.preferred_affinity, kPreferredAffinity, score_index_, score_unindexed_);
  index_terms(p.preferred_anti_affinity, kPreferredAntiAffinity, score_index_, score_unindexed_);
  if (!p.required_anti_affinity.empty()) num_required_anti_ += static_cast<std::size_t>(dir > 0 ? 1 : -1);
  if (!p.required_affinity.empty() || !p.preferred_affinity.empty() || !p.preferred_anti_affinity.empty())
    num_score_terms_ += static_cast<std::size_t>(dir > 0 ? 1 : -1);
  for (Sym c : p.claims) {
    int& n = claim_users_[c];
    n += dir;
    if (n <= 0) claim_users_.erase(c);
  }
}

int Cache::claim_users(Sym claim) const {
  auto it = claim_users_.find(claim);
  return it == claim_users_.end() ? 0 : it->second;
}

void Cache::add_bound_pod(PodInfo info, const std::string& node_name) {
  if (auto it = pod_slot_.find(info.key); it != pod_slot_.end()) {
    PodInfo& cur = pods_[it->second];
    const std::uint32_t target = node_slot(node_name);
    if (cur.assumed && cur.node == target) {  // binding confirmed
      cur.assumed = false;
      ++pods_generation_;
      return;
    }
    update_bound_pod(std::move(info), node_name);
    return;
  }
  const std::uint32_t slot = alloc_pod_slot();
  const std::uint32_t node = node_slot(node_name);
  pods_[slot] = std::move(info);
  pods_[slot].live = true;
  pods_[slot].assumed = false;
  pod_slot_.emplace(pods_[slot].key, slot);
  attach(slot, node);
  index_pod(slot, +1);
}

bool Cache::update_bound_pod(PodInfo info, const std::string& node_name) {
  auto it = pod_slot_.find(info.key);
  if (it == pod_slot_.end()) return false;
  const std::uint32_t slot = it->second;
  index_pod(slot, -1);
  detach(slot);
  pods_[slot] = std::move(info);
  pods_[slot].live = true;
  pods_[slot].assumed = false;
  attach(slot, node_slot(node_name));
  index_pod(slot, +1);
  return true;
}

void Cache::remove_pod(std::string_view key) {
  auto it = pod_slot_.find(key);
  if (it == pod_slot_.end()) return;
  const std::uint32_t slot = it->second;
  index_pod(slot, -1);
  detach(slot);
  pods_[slot] = PodInfo{};
  pod_slot_.erase(it);
  free_pods_.push_back(slot);
}

void Cache::assume(PodInfo info, std::uint32_t node) {
  // remove_pod(info.key) then a fresh slot, with one hash lookup for both.
  auto [it, inserted] = pod_slot_.try_emplace(info.key, kNoPod);
  if (!inserted) {
    const std::uint32_t old = it->second;
    index_pod(old, -1);
    detach(old);
    pods_[old] = PodInfo{};
    free_pods_.push_back(old);
  }
  const std::uint32_t slot = alloc_pod_slot();
  it->second = slot;
  pods_[slot] = std::move(info);
  pods_[slot].live = true;
  pods_[slot].assumed = true;
  attach(slot, node);
  index_pod(slot, +1);
}

void Cache::forget(std::string_view key) {
  if (is_assumed(key)) remove_pod(key);
}

bool Cache::is_assumed(std::string_view key) const {
  auto it = pod_slot_.find(key);
  return it != pod_slot_.end() && pods_[it->second].assumed;
}

std::uint32_t Cache::pod_slot(std::string_view key) const {
  auto it = pod_slot_.find(key);
  return it == pod_slot_.end() ? kNoPod : it->second;
}

bool Cache::confirm_assumed(std::uint32_t slot, std::string_view node_name) {
  PodInfo& cur = pods_[slot];
  if (!cur.assumed || cur.node == kNoNode) return false;
  auto n = node_slot_.find(node_name);
  if (n == node_slot_.end() || n->second != cur.node) return false;
  cur.assumed = false;
  ++pods_generation_;
  return true;
}

void Cache::upsert_pv(const k8s::PersistentVolume& pv) {
  remove_pv(pv.meta.name);  // counts the change (other_changes_)
  const bool unclaimed = !pv.claim_ref || pv.phase != k8s::PvPhase::Bound;
  if (!unclaimed || pv.meta.deletion_timestamp) return;
  unclaimed_pvs_[pv.storage_class_name].insert(pv.meta.name);
  pv_class_[pv.meta.name] = pv.storage_class_name;
}

void Cache::remove_pv(const std::string& name) {
  ++other_changes_;
  auto it = pv_class_.find(name);
  if (it == pv_class_.end()) return;
  auto c = unclaimed_pvs_.find(it->second);
  if (c != unclaimed_pvs_.end()) {
    c->second.erase(name);
    if (c->second.empty()) unclaimed_pvs_.erase(c);
  }
  pv_class_.erase(it);
}

const std::set<std::string>* Cache::unclaimed_pvs(const std::string& storage_class) const {
  auto it = unclaimed_pvs_.find(storage_class);
  return it == unclaimed_pvs_.end() ? nullptr : &it->second;
}

}  // namespace azsim::scheduler
