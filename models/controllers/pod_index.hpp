// PodIndex: the controllers' secondary indexes over the store's pods.
//
// Controllers mostly look for one node's pods, one workload's pods, or the pods that use a
// volume; a scan of every pod of the store for each of those makes every event O(pods). The
// index answers those questions from sets of pod keys kept up to date from the store's pod
// watch (on_event with the watch's old and new objects, before anything else reads it).
//
// Contract: after on_event has seen every watch event of the store, each set holds exactly the
// keys of the store's pods that match it, in key order (std::set), so iterating it visits the
// same pods in the same order as a filtered scan of store.list<Pod>(). Empty sets are erased:
// the node map's keys are exactly the nodes some pod is bound to. Callers that write to the
// store while iterating copy the keys first (a nested watch event may change the set).
#pragma once

#include <compare>
#include <map>
#include <set>
#include <string>

#include "models/k8s/objects.hpp"
#include "sim/str_order.hpp"

namespace azsim::controllers {

class PodIndex {
 public:
  /// A pod's owner as its ownerReference names it (the owner's kind, the pod's namespace).
  struct Owner {
    std::string kind, ns, name;
    auto operator<=>(const Owner&) const = default;
  };
  using Keys = std::set<std::string, sim::StrLess>;

  /// Whether two versions of a pod name the same claims and inline EBS volumes, in order.
  static bool same_volumes(const k8s::Pod& a, const k8s::Pod& b);

  /// Applies one watch event: old is null on Added, new is null on Deleted.
  void on_event(const k8s::Pod* old_pod, const k8s::Pod* new_pod);
  /// The same, given the pod's key (the watcher has it already).
  void on_event(const k8s::Pod* old_pod, const k8s::Pod* new_pod, const std::string& key);

  /// Pods bound to `node` (spec.nodeName), in key order.
  const Keys& on_node(const std::string& node) const { return find(by_node_, node); }
  /// Every node some pod is bound to, with its pods.
  const std::map<std::string, Keys, sim::StrLess>& nodes() const { return by_node_; }
  /// Pods whose ownerReference is (kind, name) in namespace ns.
  const Keys& owned_by(const std::string& kind, const std::string& ns, const std::string& name) const;
  /// How many of owned_by(kind, ns, name) are terminating (deletionTimestamp set).
  std::size_t owned_terminating(const std::string& kind, const std::string& ns, const std::string& name) const;
  /// Pods without an ownerReference.
  const Keys& bare() const { return bare_; }
  /// Pods with at least one EBS volume (a persistentVolumeClaim or an inline awsElasticBlockStore).
  const Keys& with_volumes() const { return with_volumes_; }

 private:
  static const Keys& find(const std::map<std::string, Keys, sim::StrLess>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? empty_ : it->second;
  }
  void add(const k8s::Pod& pod, const std::string& key);
  void remove(const k8s::Pod& pod, const std::string& key);
  static void erase_from(std::map<std::string, Keys, sim::StrLess>& m, const std::string& k, const std::string& key);

  static const Keys empty_;
  std::map<std::string, Keys, sim::StrLess> by_node_;
  struct Owned {
    Keys keys;
    std::size_t terminating = 0;
  };
  std::map<Owner, Owned> by_owner_;
  Keys bare_;
  Keys with_volumes_;
};

}  // namespace azsim::controllers
