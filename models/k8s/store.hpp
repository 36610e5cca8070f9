// ObjectStore: the API server of the simulated cluster.
//
// Holds every object by kind and key ("namespace/name"), assigns uids and resource versions,
// stamps creation times from the simulation clock, and notifies watchers synchronously on every
// create, update and delete. Iteration is in key order, so nothing that reaches output depends
// on hashing. Controllers and the scheduler subscribe with watch<T>() and keep keys, not pointers.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/k8s/objects.hpp"
#include "sim/str_order.hpp"

namespace azsim::k8s {

enum class WatchEventType { Added, Modified, Deleted };

/// Thrown by create() for an existing key and by update()/remove() of a missing one: a
/// programming error in a controller, never a user input error (the loader validates first).
class StoreError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// All objects of one kind, ordered by key.
template <class T>
class Table {
 public:
  /// Called with (type, old, new): old is null on Added, new is null on Deleted. Both pointers
  /// are valid only during the call.
  using Handler = std::function<void(WatchEventType, const T* old_obj, const T* new_obj)>;
  using Map = std::map<std::string, std::unique_ptr<T>, sim::StrLess>;

  Table() = default;
  Table(const Table&) = delete;  // index_ points into items_
  Table& operator=(const Table&) = delete;

  const T* get(std::string_view key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : it->second->second.get();
  }
  const Map& items() const { return items_; }
  std::size_t size() const { return items_.size(); }

 private:
  friend class ObjectStore;
  typename Map::iterator find(std::string_view key) {
    auto it = index_.find(key);
    return it == index_.end() ? items_.end() : it->second;
  }
  typename Map::iterator insert(std::string key, std::unique_ptr<T> obj) {
    auto it = items_.emplace(std::move(key), std::move(obj)).first;
    index_.emplace(std::string_view(it->first), it);
    return it;
  }
  void erase(typename Map::iterator it) {
    index_.erase(std::string_view(it->first));
    items_.erase(it);
  }

  Map items_;
  /// Key lookups by hash: the ordered map is kept for listing in key order, but a lookup in it
  /// compares long shared key prefixes ("default/cassandra-...", "vol-...") down a deep tree,
  /// and lookups far outnumber writes. Views into items_' keys (stable until erased); never
  /// iterated, so hashing order reaches no output.
  std::unordered_map<std::string_view, typename Map::iterator, std::hash<std::string_view>, sim::StrEqual> index_;
  std::vector<Handler> handlers_;
  std::unique_ptr<T> spare_;  ///< a replaced object kept for its allocation (see install())
};

class ObjectStore {
 public:
  /// The clock used for creation and deletion timestamps (the simulation's now()).
  void set_clock(std::function<sim::Time()> clock) { clock_ = std::move(clock); }
  sim::Time now() const { return clock_ ? clock_() : sim::Time::origin(); }

  template <class T>
  const Table<T>& table() const { return std::get<Table<T>>(tables_); }

  template <class T>
  const T* get(std::string_view key) const { return table<T>().get(key); }

  template <class T>
  const T* get(std::string_view ns, std::string_view name) const {
    if (ns.empty()) return get<T>(name);
    std::string key;
    key.reserve(ns.size() + 1 + name.size());
    key.append(ns).append("/").append(name);
    return get<T>(key);
  }

  /// Objects of kind T in key order.
  template <class T>
  std::vector<const T*> list() const {
    std::vector<const T*> out;
    out.reserve(table<T>().size());
    for (const auto& [k, v] : table<T>().items()) out.push_back(v.get());
    return out;
  }

  /// Creates `obj`; assigns uid, resource version and creation timestamp.
  template <class T>
  const T& create(T obj) {
    auto& t = mut<T>();
    std::string key = obj.meta.key();
    if (t.find(key) != t.items_.end()) throw StoreError("create: " + key + " already exists");
    obj.meta.uid = ++next_uid_;
    obj.meta.resource_version = ++next_version_;
    obj.meta.creation_timestamp = now();
    auto it = t.insert(std::move(key), std::make_unique<T>(std::move(obj)));
    const T* cur = it->second.get();
    notify<T>(t, WatchEventType::Added, nullptr, cur);
    return *cur;
  }

  /// Replaces the object with the same key (uid and creation time are kept).
  template <class T>
  const T& update(T obj) {
    auto& t = mut<T>();
    auto it = t.find(obj.meta.key());
    if (it == t.items_.end()) throw StoreError("update: " + obj.meta.key() + " not found");
    return replace(t, it, std::move(obj));
  }

  /// Copies the object at `key`, applies `f` to the copy, and writes it back (update()).
  template <class T, class F>
  const T& mutate(std::string_view key, F&& f) {
    auto& t = mut<T>();
    auto it = t.find(key);
    if (it == t.items_.end()) throw StoreError("mutate: " + std::string(key) + " not found");
    // The copy is made by assignment into the table's spare object (a replaced one kept, see
    // install()): assignment reuses the spare's strings, vectors and map nodes where a new copy
    // would allocate every one of them. The value written is the same.
    std::unique_ptr<T> copy = std::move(t.spare_);
    if (copy) *copy = *it->second;
    else copy = std::make_unique<T>(*it->second);
    f(*copy);
    // The usual mutation leaves the name alone: write back in place, without building the
    // key and searching for it again.
    if (copy->meta.name == it->second->meta.name && copy->meta.ns == it->second->meta.ns)
      return install(t, it, std::move(copy));
    return update(std::move(*copy));
  }
  /// Removes the object immediately (the end of a deletion); returns false if absent.
  template <class T>
  bool remove(std::string_view key) {
    auto& t = mut<T>();
    auto it = t.find(key);
    if (it == t.items_.end()) return false;
    auto old = std::move(it->second);
    t.erase(it);
    notify<T>(t, WatchEventType::Deleted, old.get(), nullptr);
    return true;
  }

  /// Subscribes to changes of kind T. Handlers run synchronously in subscription order; a
  /// handler may write to the store (the nested notification is delivered before it returns).
  template <class T>
  void watch(typename Table<T>::Handler h) { mut<T>().handlers_.push_back(std::move(h)); }

 private:
  template <class T>
  Table<T>& mut() { return std::get<Table<T>>(tables_); }

  /// The write half of update(): `it` is the entry of obj's key.
  template <class T>
  const T& replace(Table<T>& t, typename Table<T>::Map::iterator it, T obj) {
    std::unique_ptr<T> fresh = std::move(t.spare_);
    if (fresh) *fresh = std::move(obj);
    else fresh = std::make_unique<T>(std::move(obj));
    return install(t, it, std::move(fresh));
  }

  /// Puts `fresh` (the new value of obj's key) in place of the entry `it` and notifies.
  template <class T>
  const T& install(Table<T>& t, typename Table<T>::Map::iterator it, std::unique_ptr<T> fresh) {
    fresh->meta.uid = it->second->meta.uid;
    fresh->meta.creation_timestamp = it->second->meta.creation_timestamp;
    fresh->meta.resource_version = ++next_version_;
    // The old object stays alive for the watchers, then becomes the table's spare so the
    // next write reuses its allocation instead of asking malloc for a new one.
    auto old = std::exchange(it->second, std::move(fresh));
    const T* cur = it->second.get();
    notify<T>(t, WatchEventType::Modified, old.get(), cur);
    t.spare_ = std::move(old);
    return *cur;
  }

  template <class T>
  void notify(Table<T>& t, WatchEventType type, const T* old_obj, const T* new_obj) {
    for (std::size_t i = 0; i < t.handlers_.size(); ++i) t.handlers_[i](type, old_obj, new_obj);
  }

  std::tuple<Table<Node>, Table<Pod>, Table<PersistentVolume>, Table<PersistentVolumeClaim>,
             Table<StorageClass>, Table<StatefulSet>, Table<Deployment>, Table<ReplicaSet>,
             Table<PodDisruptionBudget>, Table<Service>>
      tables_;
  std::function<sim::Time()> clock_;
  std::uint64_t next_uid_ = 0;
  std::uint64_t next_version_ = 0;
};

}  // namespace azsim::k8s
