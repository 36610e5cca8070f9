#include "models/metrics/pod_timeline.hpp"

#include <algorithm>

namespace azsim::metrics {

using controllers::PodCause;

bool counts_as_pending(PodCause c) {
  return c == PodCause::Unschedulable || c == PodCause::WaitingForNode || c == PodCause::VolumeAttach ||
         c == PodCause::ContainerStart;
}

PodTimeline::PodTimeline(controllers::Cluster& cluster) : cluster_(cluster) {
  cluster_.subscribe_pod_changed([this](const std::string& pod, controllers::PodCause cause) { update(pod, cause); });
}

bool PodTimeline::wanted_while_absent(const std::string& pod) const {
  auto it = current_.find(pod);
  if (it == current_.end() || it->second.owner_kind.empty()) return true;  // a bare pod
  if (it->second.owner_kind != "StatefulSet") return false;
  const std::string ns = pod.substr(0, pod.find('/'));
  const auto* sts = cluster_.store().get<k8s::StatefulSet>(ns, it->second.owner_name);
  if (!sts) return false;
  const std::string ordinal = pod.substr(pod.find('/') + 1 + sts->meta.name.size() + 1);
  return std::stol(ordinal) < sts->ordinals_start + sts->replicas;
}

void PodTimeline::update(const std::string& pod, PodCause cause) {
  std::string message;
  if (keep_messages_ && (cause == PodCause::Unschedulable || cause == PodCause::WaitingForNode))
    message = cluster_.scheduling_message(pod);
  auto [it, inserted] = current_.try_emplace(pod);
  Current& cur = it->second;
  if (const k8s::Pod* p = cluster_.store().get<k8s::Pod>(pod); p && p->meta.owner) {
    cur.owner_kind = p->meta.owner->kind;
    cur.owner_name = p->meta.owner->name;
  }
  // A pod that is gone and not wanted back under its name is treated like a Ready one: it
  // contributes no not-ready time.
  if (cause == PodCause::Absent && !wanted_while_absent(pod)) cause = PodCause::Ready;
  if (!inserted && cur.cause == cause && cur.message == message) return;
  const sim::Time now = cluster_.sim().now();
  auto& list = intervals_[pod];
  if (!list.empty() && list.back().to.is_infinite()) {
    list.back().to = now;
    if (list.back().to == list.back().from) list.pop_back();
  }
  cur.cause = cause;
  cur.message = message;
  if (cause != PodCause::Ready) list.push_back(PodInterval{now, sim::Time::infinity(), cause, message});
}

void PodTimeline::finish(sim::Time end) {
  for (auto& [pod, list] : intervals_) {
    if (!list.empty() && list.back().to.is_infinite()) list.back().to = end;
    std::erase_if(list, [](const PodInterval& i) { return i.to <= i.from; });
  }
}

namespace {

template <class Pred>
sim::Duration overlap(const std::vector<PodInterval>& list, sim::Time from, sim::Time to, Pred pred) {
  sim::Duration total;
  for (const auto& i : list) {
    if (!pred(i.cause)) continue;
    const sim::Time a = std::max(i.from, from), b = std::min(i.to, to);
    if (b > a) total += b - a;
  }
  return total;
}

}  // namespace

sim::Duration PodTimeline::not_ready(const std::string& pod, sim::Time from, sim::Time to) const {
  auto it = intervals_.find(pod);
  if (it == intervals_.end()) return {};
  return overlap(it->second, from, to, [](PodCause) { return true; });
}

sim::Duration PodTimeline::pending(const std::string& pod, sim::Time from, sim::Time to) const {
  auto it = intervals_.find(pod);
  if (it == intervals_.end()) return {};
  return overlap(it->second, from, to, counts_as_pending);
}

}  // namespace azsim::metrics
