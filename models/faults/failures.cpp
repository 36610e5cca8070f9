#include "models/faults/failures.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "sim/detmath.hpp"

namespace azsim::faults {

using Kind = StochasticFault::Kind;
using Mode = scenario::InstanceFailures::Mode;

namespace {

// An AFR is a share per 365-day year (the `y` of durations).
constexpr double kYearSeconds = 365.0 * 24 * 3600;
// Scheduled at the same instant as other events, stochastic faults go first, as scripted ones do.
constexpr int kPriority = -1;

bool gone(const cloud::Instance* inst) {
  return inst == nullptr || inst->state == cloud::InstanceState::ShuttingDown ||
         inst->state == cloud::InstanceState::Terminated;
}

bool volume_usable(const cloud::Volume& v) {
  return !v.lost && v.state != cloud::VolumeState::Deleting && v.state != cloud::VolumeState::Deleted &&
         v.state != cloud::VolumeState::Error;
}

/// Time to failure of one instance: exponential of mean mtbf, or Weibull of that shape scaled
/// so that its mean is mtbf (scale = mtbf / Gamma(1 + 1/shape)).
sim::Distribution time_to_failure(const scenario::InstanceFailures& f) {
  const double mtbf = f.mtbf.seconds_f();
  if (!(mtbf > 0)) throw std::invalid_argument("spec.failures.instance.mtbf must be positive");
  if (f.shape == 1.0) return sim::Exponential::with_mean(mtbf);
  return sim::Weibull(f.shape, mtbf / sim::detmath::exp(sim::detmath::lgamma(1.0 + 1.0 / f.shape)));
}

const char* action_of(Mode m) {
  switch (m) {
    case Mode::Terminate: return "terminate-instance";
    case Mode::Stop: return "stop-instance";
    case Mode::Unreachable: return "kubelet-down";
  }
  return "?";
}

}  // namespace

double default_volume_afr(const std::string& volume_type) { return volume_type == "io2" ? 0.00001 : 0.002; }

const char* to_string(StochasticFault::Kind k) {
  switch (k) {
    case Kind::Instance: return "instance";
    case Kind::BurstMember: return "burst-member";
    case Kind::ZoneOutage: return "zone-outage";
    case Kind::Volume: return "volume";
    case Kind::OutageVolumeLoss: return "outage-volume-loss";
  }
  return "?";
}

FailureProcesses::FailureProcesses(controllers::Cluster& cluster, const scenario::Scenario& scenario,
                                   const sim::RandomStreams& streams)
    : cluster_(cluster),
      spec_(scenario.failures),
      instance_root_(streams.stream("failures/instance")),
      burst_root_(streams.stream("failures/burst")),
      zone_root_(streams.stream("failures/zone")),
      zone_loss_root_(streams.stream("failures/zone-loss")),
      volume_root_(streams.stream("failures/volume")),
      recovery_root_(streams.stream("failures/recovery")) {
  if (spec_.instance) ttf_dist_ = time_to_failure(*spec_.instance);
  if (spec_.instance)
    // Replacements and other instances launched later join when their Node registers.
    cluster_.store().watch<k8s::Node>([this](k8s::WatchEventType t, const k8s::Node*, const k8s::Node* node) {
      if (!active_ || t != k8s::WatchEventType::Added || node == nullptr) return;
      const std::string id = cluster_.instance_of_node(node->meta.name);
      if (!id.empty()) track_instance(id);
    });
  if (spec_.volume)
    cluster_.subscribe_volume_changed([this](const cloud::Volume& v) {
      if (active_) track_volume(v);
    });
}

template <class F>
sim::EventId FailureProcesses::at(sim::Time t, F&& fn, const char* label) {
  if (t >= end_) return {};
  return cluster_.sim().at(t, std::forward<F>(fn), kPriority, label);
}

void FailureProcesses::schedule(sim::Time end) {
  if (active_) return;  // once only
  active_ = true;
  end_ = end;
  if (spec_.instance)
    for (const cloud::Instance* inst : cluster_.cloud().instances())
      if (inst->state == cloud::InstanceState::Running || inst->state == cloud::InstanceState::Pending)
        track_instance(inst->id);
  if (spec_.zone && spec_.zone->rate.per_second() > 0)
    for (const auto& z : cluster_.cloud().zones()) {
      const sim::RandomStream base = zone_root_.child(z.name);
      zones_.push_back(Zone{z.name, base.child("arrivals"), base.child("durations"), 0});
      zone_next(zones_.size() - 1);
    }
  if (spec_.volume)
    for (const cloud::Volume* v : cluster_.cloud().volumes()) track_volume(*v);
}

std::size_t FailureProcesses::count(Kind k) const {
  return static_cast<std::size_t>(
      std::count_if(history_.begin(), history_.end(), [k](const StochasticFault& f) { return f.kind == k; }));
}

void FailureProcesses::note(const std::string& what) {
  cluster_.events().record(
      k8s::Event{cluster_.sim().now(), k8s::EventType::Normal, "Fault", "azsim", "stochastic " + what, "azsim"});
}

void FailureProcesses::record(Kind k, std::string target, std::string zone, sim::Duration d, std::string cause) {
  history_.push_back(StochasticFault{cluster_.sim().now(), k, std::move(target), std::move(zone), d, std::move(cause)});
}

std::string FailureProcesses::zone_of_instance(const std::string& id) const {
  const cloud::Instance* inst = cluster_.cloud().instance(id);
  return inst ? inst->zone : std::string();
}

// --- Instances --------------------------------------------------------------------------------

void FailureProcesses::track_instance(const std::string& id) {
  if (inst_index_.count(id)) return;
  inst_index_.emplace(id, insts_.size());
  insts_.push_back(Inst{id, instance_root_.child(id), {}, 0, InstState::Up});
  draw_next_failure(insts_.size() - 1);
}

void FailureProcesses::draw_next_failure(std::size_t i) {
  Inst& in = insts_[i];
  in.state = InstState::Up;
  const sim::Duration ttf = sim::sample_duration(ttf_dist_, in.ttf);
  auto& sim = cluster_.sim();
  // Compared as durations: a huge draw (Weibull with a small shape) would overflow now + ttf.
  if (ttf >= end_ - sim.now()) {
    in.next = {};
    return;
  }
  in.next = at(sim.now() + ttf, [this, i] { instance_due(i); }, "failure/instance");
}

void FailureProcesses::instance_due(std::size_t i) {
  Inst& in = insts_[i];
  in.next = {};
  const cloud::Instance* inst = cluster_.cloud().instance(in.id);
  if (gone(inst)) {
    in.state = InstState::Gone;
    return;
  }
  if (!can_fail(*inst)) {
    draw_next_failure(i);
    return;
  }
  fail_instance(i, {});
  if (spec_.bursts) start_burst(i);
}

bool FailureProcesses::can_fail(const cloud::Instance& inst) const {
  // A failure that finds the instance not running (stopped, booting) or, for a network loss,
  // its kubelet already out of reach (a zone outage, a scripted kubelet-down) changes nothing;
  // taking the kubelet down again would only move the end of the other outage.
  if (inst.state != cloud::InstanceState::Running) return false;
  return spec_.instance->mode != Mode::Unreachable || cluster_.kubelet_alive(cluster_.node_of_instance(inst.id));
}

void FailureProcesses::fail_instance(std::size_t i, const std::string& burst_of) {
  Inst& in = insts_[i];
  cluster_.sim().cancel(in.next);
  in.next = {};
  const std::uint64_t nth = in.failures++;
  const auto& f = *spec_.instance;
  const std::string id = in.id;  // insts_ may grow while the cluster reacts
  const std::string node = cluster_.node_of_instance(id);
  std::optional<sim::Duration> back;
  if (f.duration && f.mode != Mode::Terminate) {
    sim::RandomStream rs = recovery_root_.child(id).child(nth);
    back = cloud::sample(*f.duration, rs);
  }
  const std::string zone = zone_of_instance(id);
  if (cluster_.events().enabled()) {
    std::string what = std::string(action_of(f.mode)) + " " +
                       (f.mode == Mode::Unreachable ? "node " + node + " (instance " + id + ")" : id + " (node " + node + ")");
    if (back) what += " for " + sim::format_duration(*back);
    what += burst_of.empty() ? ": instance failure" : ": burst with " + burst_of;
    note(what);
  }
  record(burst_of.empty() ? Kind::Instance : Kind::BurstMember, id, zone, back.value_or(sim::Duration::zero()), burst_of);
  insts_[i].state = back ? InstState::Down : InstState::Gone;
  switch (f.mode) {
    case Mode::Terminate: cluster_.terminate_instance(id); break;
    case Mode::Stop:
      // Without a duration it stays stopped; an Auto Scaling group replaces a stopped member.
      cluster_.stop_instance(id);
      // The start ends a failure that happened during the run: it is not capped at the end, as
      // the kubelet's return after `unreachable` is not.
      if (back)
        insts_[i].next = cluster_.sim().after(*back, [this, i] { restart_stopped(i); }, kPriority, "failure/start-instance");
      break;
    case Mode::Unreachable:
      // Without a duration the kubelet stays unreachable for the rest of the run.
      cluster_.kubelet_down(node, back);
      if (back) insts_[i].next = at(cluster_.sim().now() + *back, [this, i] { recovered(i); }, "failure/recovered");
      break;
  }
}

void FailureProcesses::restart_stopped(std::size_t i) {
  insts_[i].next = {};
  const std::string id = insts_[i].id;
  const cloud::Instance* inst = cluster_.cloud().instance(id);
  if (inst != nullptr && inst->state == cloud::InstanceState::Stopping) {
    // `aws ec2 start-instances` is refused until the instance is stopped: try again then.
    insts_[i].next =
        cluster_.sim().after(cloud::kStoppingDuration, [this, i] { restart_stopped(i); }, kPriority, "failure/start-instance");
    return;
  }
  if (inst == nullptr || inst->state != cloud::InstanceState::Stopped) {
    insts_[i].state = InstState::Gone;  // its Auto Scaling group replaced it
    return;
  }
  note("start-instance " + id + " (end of stochastic stop-instance)");
  cluster_.start_instance(id);
  draw_next_failure(i);
}

void FailureProcesses::recovered(std::size_t i) {
  insts_[i].next = {};
  // The kubelet comes back through the cluster's own timer set by kubelet_down().
  draw_next_failure(i);
}

void FailureProcesses::start_burst(std::size_t i) {
  const auto& b = *spec_.bursts;
  const std::string first = insts_[i].id;
  sim::RandomStream rs = burst_root_.child(first).child(insts_[i].failures - 1);
  if (!rs.bernoulli(b.share)) return;
  const auto size = rs.uniform_int(b.min_size, b.max_size);
  const std::string zone = zone_of_instance(first);
  std::vector<std::size_t> candidates;  // in order of first tracking: launch order
  for (std::size_t j = 0; j < insts_.size(); ++j) {
    if (j == i || insts_[j].state != InstState::Up) continue;
    const cloud::Instance* inst = cluster_.cloud().instance(insts_[j].id);
    if (inst == nullptr || !can_fail(*inst) || (b.scope == scenario::Bursts::Scope::Zone && inst->zone != zone)) continue;
    candidates.push_back(j);
  }
  const std::size_t take = std::min(candidates.size(), static_cast<std::size_t>(size - 1));
  auto& sim = cluster_.sim();
  for (std::size_t k = 0; k < take; ++k) {
    // A partial Fisher-Yates shuffle: the first `take` picks, uniformly without replacement.
    const std::size_t pick = k + static_cast<std::size_t>(rs.uniform_index(candidates.size() - k));
    std::swap(candidates[k], candidates[pick]);
    const auto offset = sim::Duration::micros(
        static_cast<std::int64_t>(rs.uniform_index(static_cast<std::uint64_t>(b.spread.us()) + 1)));
    const std::size_t j = candidates[k];
    if (offset == sim::Duration::zero()) {
      burst_member_due(j, i);
      continue;
    }
    if (offset >= end_ - sim.now()) continue;  // after the end of the run
    // Its own next failure is replaced by the burst's.
    sim.cancel(insts_[j].next);
    insts_[j].next = at(sim.now() + offset, [this, j, i] { burst_member_due(j, i); }, "failure/burst");
  }
}

void FailureProcesses::burst_member_due(std::size_t j, std::size_t first) {
  insts_[j].next = {};
  const cloud::Instance* inst = cluster_.cloud().instance(insts_[j].id);
  if (gone(inst)) {
    insts_[j].state = InstState::Gone;
    return;
  }
  if (!can_fail(*inst) || insts_[j].state != InstState::Up) {
    // Down meanwhile (another fault): the burst passes it by.
    if (insts_[j].state == InstState::Up) draw_next_failure(j);
    return;
  }
  fail_instance(j, insts_[first].id);
}

// --- Zones ------------------------------------------------------------------------------------

void FailureProcesses::zone_next(std::size_t z) {
  // A Poisson process: the next outage after an exponential gap, whatever the current one does
  // (overlapping outages of one zone merge; the zone comes back at the latest end).
  const auto gap = sim::sample_duration(sim::Exponential::with_rate(spec_.zone->rate.per_second()), zones_[z].arrivals);
  auto& sim = cluster_.sim();
  if (gap >= end_ - sim.now()) return;
  at(sim.now() + gap, [this, z] { zone_due(z); }, "failure/zone-outage");
}

void FailureProcesses::zone_due(std::size_t z) {
  Zone& zone = zones_[z];
  const std::uint64_t nth = zone.outages++;
  const auto& f = *spec_.zone;
  const sim::Duration d = cloud::sample(f.duration, zone.durations);
  const std::string name = zone.name;
  note("zone-outage " + name + " for " + sim::format_duration(d));
  record(Kind::ZoneOutage, name, name, d, {});
  cluster_.cloud().start_zone_outage(name, d);
  if (f.volume_loss > 0) {
    // Each volume of the zone loses its data with probability volume_loss, from a stream of its
    // own, so another design's extra volumes do not change which of these are lost.
    const sim::RandomStream outage = zone_loss_root_.child(name).child(nth);
    std::vector<std::string> lost;
    for (const cloud::Volume* v : cluster_.cloud().volumes()) {
      if (v->zone != name || !volume_usable(*v)) continue;
      sim::RandomStream rs = outage.child(v->id);
      if (rs.bernoulli(f.volume_loss)) lost.push_back(v->id);
    }
    for (const auto& id : lost) {
      note("volume-failure " + id + ": data lost in the zone-outage of " + name);
      record(Kind::OutageVolumeLoss, id, name, sim::Duration::zero(), name);
      cluster_.cloud().fail_volume(id);
    }
  }
  zone_next(z);
}

// --- Volumes ----------------------------------------------------------------------------------

void FailureProcesses::track_volume(const cloud::Volume& v) {
  if (!volume_usable(v) || volume_index_.count(v.id)) return;
  const std::size_t k = volumes_.size();
  volume_index_.emplace(v.id, k);
  volumes_.push_back(v.id);
  const double afr = std::clamp(spec_.volume->afr.value_or(default_volume_afr(v.type)), 0.0, 1.0);
  if (afr <= 0) return;
  auto& sim = cluster_.sim();
  sim::Duration ttf = sim::Duration::zero();  // an AFR of 100 %: it fails at once
  if (afr < 1) {
    sim::RandomStream rs = volume_root_.child(v.id);
    const double rate = -sim::detmath::log(1.0 - afr) / kYearSeconds;
    ttf = sim::sample_duration(sim::Exponential::with_rate(rate), rs);
  }
  if (ttf >= end_ - sim.now()) return;
  at(sim.now() + ttf, [this, k] { volume_due(k); }, "failure/volume");
}

void FailureProcesses::volume_due(std::size_t k) {
  const std::string id = volumes_[k];
  const cloud::Volume* v = cluster_.cloud().volume(id);
  if (v == nullptr || !volume_usable(*v)) return;
  note("volume-failure " + id + ": volume failure (AFR)");
  record(Kind::Volume, id, v->zone, sim::Duration::zero(), {});
  cluster_.cloud().fail_volume(id);
}

}  // namespace azsim::faults
