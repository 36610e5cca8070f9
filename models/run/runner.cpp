#include "models/run/runner.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <stdexcept>
#include <string_view>

#include "models/data/service.hpp"
#include "models/data/snitch.hpp"
#include "models/faults/failures.hpp"
#include "models/faults/injector.hpp"
#include "models/metrics/pod_timeline.hpp"
#include "models/run/data_config.hpp"

namespace azsim::run {

namespace {
// How often the setup checks whether every workload is Ready (simulated time).
constexpr sim::Duration kSetupPoll = sim::Duration::seconds(1);
}  // namespace

/// One data service living on a workload's pods, and which pod is which replica.
struct DataRuntime {
  const scenario::DataService* spec = nullptr;
  data::ServiceConfig cfg;
  std::unique_ptr<data::ServiceModel> model;
  std::vector<std::string> pod_of;  // ordinal -> pod key
  std::vector<bool> ready;
  std::set<std::string> lost_volumes;
  /// The EBS volumes each replica's pod was last seen with (a Deployment's pod may be gone
  /// when its volume fails).
  std::vector<std::set<std::string>> volumes_of;
};

struct World::Impl {
  Impl(const scenario::Scenario& sc, const RunOptions& o)
      : s(sc),
        opts(o),
        seed(o.seed.value_or(sc.seed)),
        streams(seed, 0),
        cluster(sim, streams, sc.kubernetes, sc.cloud.params, sc.cloud.region, sc.cloud.zones),
        timeline(cluster),
        injector(cluster, sc, streams.stream("faults")) {
    if (opts.on_event) sim.set_trace([this](sim::Time t, sim::EventId, const char* label) { opts.on_event(t, label); });
    cluster.events().set_enabled(opts.record_events);
    timeline.keep_messages(opts.record_events);
    scenario::Diagnostics diags;
    for (const auto& d : s.data) {
      auto cfg = data_config(s, d, diags);
      if (!cfg) continue;
      DataRuntime rt;
      rt.spec = &d;
      rt.cfg = std::move(*cfg);
      data.push_back(std::move(rt));
    }
    if (diags.has_errors()) {
      std::string msg;
      for (const auto& diag : diags.sorted()) msg += scenario::format(diag) + "\n";
      throw ScenarioError(msg);
    }
    // A database needs its own start time before its pod can be Ready (Cassandra's gossip).
    cluster.set_startup_delay([this](const k8s::Pod& pod) {
      for (auto& rt : data) {
        const auto ord = ordinal_of(rt, pod.meta.key());
        if (!ord) continue;
        if (rt.model && *ord < rt.model->replica_count()) return rt.model->startup_delay(*ord);
        return rt.cfg.type == data::ServiceType::Cassandra ? rt.cfg.gossip_settle : sim::Duration::zero();
      }
      return sim::Duration::zero();
    });
    cluster.subscribe_pod_changed([this](const std::string& pod, controllers::PodCause cause) { data_pod_changed(pod, cause); });
    cluster.subscribe_volume_changed([this](const cloud::Volume& v) { data_volume_changed(v); });
  }

  const scenario::Scenario& s;
  RunOptions opts;
  std::uint64_t seed;
  std::optional<std::uint64_t> trial_played;  // the Monte-Carlo trial whose streams run from time 0
  sim::Simulation sim;
  sim::RandomStreams streams;
  controllers::Cluster cluster;
  metrics::PodTimeline timeline;
  faults::FaultInjector injector;
  std::unique_ptr<faults::FailureProcesses> failures;  // spec.failures, when it has any process
  sim::Time t0;
  bool set_up = false;
  bool faults_started = false;
  bool converged = true;
  std::vector<std::string> warnings;
  std::vector<DataRuntime> data;

  /// The replica ordinal of a pod of the service's workload, if it is one. StatefulSet pods
  /// by their ordinal; a Deployment's pods take the place of a replica whose pod is gone.
  std::optional<std::size_t> ordinal_of(DataRuntime& rt, const std::string& key) {
    const auto& w = rt.spec->workload;
    const std::string_view k = key;
    const std::size_t slash = k.find('/');
    const std::string_view ns = k.substr(0, slash), name = k.substr(slash + 1);
    if (!w.ns.empty() && ns != w.ns) return std::nullopt;
    if (w.kind == scenario::WorkloadRef::Kind::StatefulSet) {
      // "<statefulset>-<ordinal>"
      if (name.size() <= w.name.size() + 1 || name.substr(0, w.name.size()) != w.name || name[w.name.size()] != '-')
        return std::nullopt;
      const std::string_view digits = name.substr(w.name.size() + 1);
      std::size_t ordinal = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ordinal);
      if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
      return ordinal;
    }
    for (std::size_t i = 0; i < rt.pod_of.size(); ++i)
      if (rt.pod_of[i] == key) return i;
    if (!owned_by_workload(rt, key)) return std::nullopt;
    // A replacement pod takes the place of a replica whose pod is gone or terminating; a
    // Deployment's replica count is the one it had at time 0.
    for (std::size_t i = 0; i < rt.pod_of.size(); ++i) {
      const k8s::Pod* held = cluster.store().get<k8s::Pod>(rt.pod_of[i]);
      if (!held || held->terminating()) {
        rt.pod_of[i] = key;
        return i;
      }
    }
    return std::nullopt;
  }

  /// Whether a pod belongs to the service's Deployment (through its ReplicaSet) or ReplicaSet.
  bool owned_by_workload(const DataRuntime& rt, const std::string& key) const {
    const auto& w = rt.spec->workload;
    const k8s::Pod* pod = cluster.store().get<k8s::Pod>(key);
    if (!pod || !pod->meta.owner || pod->meta.owner->kind != "ReplicaSet") return false;
    if (!w.ns.empty() && pod->meta.ns != w.ns) return false;
    const auto* rs = cluster.store().get<k8s::ReplicaSet>(pod->meta.ns, pod->meta.owner->name);
    if (!rs) return false;
    return w.kind == scenario::WorkloadRef::Kind::ReplicaSet ? rs->meta.name == w.name
                                                             : rs->meta.owner && rs->meta.owner->name == w.name;
  }

  /// The zone a replica's data lives in: its volume's zone, else its node's.
  std::string replica_zone(const std::string& key) {
    const k8s::Pod* pod = cluster.store().get<k8s::Pod>(key);
    if (!pod) return {};
    for (const auto& v : pod->spec.volumes) {
      std::string vol = v.aws_ebs_volume_id.value_or("");
      if (v.pvc_claim_name)
        if (const auto* pvc = cluster.store().get<k8s::PersistentVolumeClaim>(pod->meta.ns, *v.pvc_claim_name))
          if (const auto* pv = cluster.store().get<k8s::PersistentVolume>(pvc->volume_name)) vol = pv->source.volume_id;
      if (const cloud::Volume* cv = vol.empty() ? nullptr : cluster.cloud().volume(vol)) return cv->zone;
    }
    const k8s::Node* node = cluster.store().get<k8s::Node>(pod->spec.node_name);
    return node ? node->zone() : std::string();
  }

  data::ReplicaInfo replica_info(const DataRuntime& rt, const std::string& key) {
    const auto loc = data::ec2_snitch_location(replica_zone(key), rt.cfg.ec2_legacy_naming);
    return data::ReplicaInfo{key.substr(key.find('/') + 1), loc.rack, loc.dc};
  }

  /// The root stream of a data service's model (its tokens, failover times).
  sim::RandomStream data_stream(const DataRuntime& rt) const { return streams.stream("data").child(rt.cfg.name); }

  /// At time 0 the rows are written: each service starts from its replicas' state then.
  void start_data() {
    for (std::size_t si = 0; si < data.size(); ++si) {
      DataRuntime& rt = data[si];
      const auto& w = rt.spec->workload;
      std::vector<std::string> keys;
      if (w.kind == scenario::WorkloadRef::Kind::StatefulSet) {
        const auto* sts = cluster.store().get<k8s::StatefulSet>(w.ns, w.name);
        const std::int32_t n = sts ? sts->replicas : 0;
        for (std::int32_t i = 0; i < n; ++i) keys.push_back((w.ns.empty() ? std::string("default") : w.ns) + "/" + w.name + "-" + std::to_string(i));
      } else {
        for (const auto* pod : cluster.store().list<k8s::Pod>())
          if (!pod->terminating() && owned_by_workload(rt, pod->meta.key())) keys.push_back(pod->meta.key());
      }
      rt.pod_of = keys;
      std::vector<data::ReplicaInfo> replicas;
      for (const auto& k : keys) replicas.push_back(replica_info(rt, k));
      try {
        rt.model = data::make_service(rt.cfg, replicas, data_stream(rt), sim);
      } catch (const std::invalid_argument& e) {
        // A setup cut short by setupTimeout can leave replicas that were never placed: with
        // no zone they have no datacenter, which is what the service's check then reports.
        std::string unplaced;
        for (const auto& k : keys)
          if (replica_zone(k).empty()) unplaced += (unplaced.empty() ? "" : ", ") + k.substr(k.find('/') + 1);
        scenario::Diagnostics diags;
        if (converged || unplaced.empty())  // the loader's checks should have caught it: say where
          diags.error(s.at(rt.spec->path), rt.spec->path, e.what());
        else
          diags.error(s.at("spec.setupTimeout"), "spec.setupTimeout",
                      "the setup did not converge within " + sim::format_duration(s.setup_timeout) + ": " + unplaced +
                          " of data service \"" + rt.cfg.name + "\" not placed on a node yet, so it could not start (" +
                          e.what() + "); give the setup more time");
        throw ScenarioError(scenario::format(diags.sorted().front()) + "\n");
      }
      rt.ready.assign(keys.size(), false);
      for (std::size_t i = 0; i < keys.size(); ++i) data_pod_changed(keys[i], cluster.cause(keys[i]));
    }
  }

  /// `cause` is the pod's cause now.
  void data_pod_changed(const std::string& key, controllers::PodCause cause) {
    for (auto& rt : data) {
      if (!rt.model) continue;
      const auto ord = ordinal_of(rt, key);
      if (!ord) continue;
      if (*ord >= rt.model->replica_count()) {
        rt.model->replica_added(replica_info(rt, key), sim.now());
        rt.ready.resize(rt.model->replica_count(), false);
        if (rt.pod_of.size() < rt.ready.size()) rt.pod_of.resize(rt.ready.size());
        rt.pod_of[*ord] = key;
      }
      if (rt.volumes_of.size() <= *ord) rt.volumes_of.resize(*ord + 1);
      if (rt.volumes_of[*ord].empty())
        if (const k8s::Pod* p = cluster.store().get<k8s::Pod>(key)) {
          const auto ids = cluster.pod_volume_ids(*p);
          rt.volumes_of[*ord] = std::set<std::string>(ids.begin(), ids.end());
        }
      const bool ready = cause == controllers::PodCause::Ready;
      if (*ord < rt.ready.size() && rt.ready[*ord] != ready) {
        rt.ready[*ord] = ready;
        const k8s::Pod* pod = cluster.store().get<k8s::Pod>(key);
        // A pod deleted on a live node gets SIGTERM and the database leaves cleanly; a lost
        // node's pod just stops answering.
        if (!ready && pod && pod->terminating() && cause == controllers::PodCause::NotReady)
          rt.model->replica_leaving(*ord, sim.now());
        else
          rt.model->replica_ready(*ord, ready, sim.now());
      }
    }
  }

  /// Whether replica `key` (a pod, present or not) keeps its data on EBS volume `volume_id`:
  /// through its pod's claims and inline volumes when the pod exists, else through the claims
  /// a StatefulSet names after the pod (`<template>-<pod>`).
  bool replica_uses_volume(const std::string& key, const std::string& volume_id) const {
    if (const k8s::Pod* pod = cluster.store().get<k8s::Pod>(key)) {
      const auto ids = cluster.pod_volume_ids(*pod);
      return std::find(ids.begin(), ids.end(), volume_id) != ids.end();
    }
    const std::string ns = key.substr(0, key.find('/'));
    const std::string name = key.substr(key.find('/') + 1);
    for (const auto* pvc : cluster.store().list<k8s::PersistentVolumeClaim>()) {
      if (pvc->meta.ns != ns || pvc->meta.name.size() <= name.size() + 1 ||
          pvc->meta.name.compare(pvc->meta.name.size() - name.size() - 1, name.size() + 1, "-" + name) != 0 ||
          pvc->volume_name.empty())
        continue;
      const auto* pv = cluster.store().get<k8s::PersistentVolume>(pvc->volume_name);
      if (pv && pv->source.volume_id == volume_id) return true;
    }
    return false;
  }

  void data_volume_changed(const cloud::Volume& v) {
    if (!v.lost) return;
    for (auto& rt : data) {
      if (!rt.model || rt.lost_volumes.count(v.id)) continue;
      for (std::size_t i = 0; i < rt.pod_of.size(); ++i) {
        const bool uses = replica_uses_volume(rt.pod_of[i], v.id) ||
                          (i < rt.volumes_of.size() && rt.volumes_of[i].count(v.id) > 0);
        if (uses) {
          rt.lost_volumes.insert(v.id);
          rt.model->volume_lost(i, sim.now());
        }
      }
    }
  }

  bool nodes_ready() const {
    std::int32_t want = 0;
    for (const auto& g : s.cloud.node_groups) want += g.desired_capacity;
    std::int32_t have = 0;
    for (const auto* n : cluster.store().list<k8s::Node>())
      if (n->status.ready == k8s::ConditionStatus::True) ++have;
    return have >= want;
  }

  void build() {
    for (const auto& v : s.cloud.volumes) {
      cloud::Volume vol;
      vol.id = v.id;
      vol.zone = v.zone;
      vol.size_gib = v.size_gib;
      vol.type = v.type;
      cluster.cloud().add_existing_volume(vol);
    }
    for (const auto& g : s.cloud.node_groups) {
      controllers::NodeGroupConfig cfg;
      cfg.group.name = g.name;
      cfg.group.instance_type = g.instance_type;
      cfg.group.zones = g.zones;
      cfg.group.min_size = g.min_size;
      cfg.group.desired = g.desired_capacity;
      cfg.group.max_size = g.max_size;
      cfg.group.health_check_grace_period = g.health_check_grace_period;
      cfg.group.az_distribution = g.az_distribution;
      cfg.group.az_tie_break = g.az_tie_break;
      cfg.group.initial_placement = g.initial_placement;
      cfg.labels = g.labels;
      cfg.taints = g.taints;
      cfg.max_pods = g.effective_max_pods();
      cfg.reservation = g.kubelet_reservation;
      cluster.add_node_group(std::move(cfg));
    }
  }

  void apply_setup_steps() {
    for (const auto& step : s.setup) {
      const std::string node = injector.resolve_node(step.node);
      if (node.empty()) {
        warnings.push_back("setup step " + step.path + ": no node matches its target");
        continue;
      }
      cluster.store().mutate<k8s::Node>(node, [&](k8s::Node& n) {
        for (const auto& [k, v] : step.labels) n.meta.labels[k] = v;
      });
    }
  }

  void apply_manifests() {
    const auto& m = s.manifests;
    for (const auto& d : m.storage_classes) cluster.apply(d.object);
    for (const auto& d : m.persistent_volumes) cluster.apply(d.object);
    for (const auto& d : m.persistent_volume_claims) cluster.apply(d.object);
    for (const auto& d : m.services) cluster.apply(d.object);
    for (const auto& d : m.pod_disruption_budgets) cluster.apply(d.object);
    for (const auto& d : m.stateful_sets) cluster.apply(d.object);
    for (const auto& d : m.deployments) cluster.apply(d.object);
    for (const auto& d : m.replica_sets) cluster.apply(d.object);
    for (const auto& d : m.pods) cluster.apply(d.object);
  }

  sim::Time setup_shared() {
    if (set_up) return t0;
    set_up = true;
    build();
    const sim::Time deadline = sim::Time::origin() + s.setup_timeout;
    // Checks `ready` every kSetupPoll until it holds or the deadline passes. The state only
    // changes in events, so an instant with no event since the last check keeps its answer
    // (false) without asking again.
    auto poll = [&](auto ready) {
      std::uint64_t checked_after = 0;
      bool checked = false;
      for (;;) {
        if (!checked || sim.events_processed() != checked_after) {
          if (ready()) return;
          checked = true;
          checked_after = sim.events_processed();
        }
        if (sim.now() >= deadline) return;
        sim.run_until(std::min(deadline, sim.now() + kSetupPoll));
      }
    };
    // 1. Nodes: every group at its desired capacity and Ready.
    poll([this] { return nodes_ready(); });
    apply_setup_steps();
    // 2. Workloads: applied as `kubectl apply -f`, then every one Ready.
    apply_manifests();
    poll([this] { return cluster.workloads_ready(); });
    if (!cluster.workloads_ready() || !nodes_ready()) {
      converged = false;
      warnings.push_back("the setup did not converge within setupTimeout (" + sim::format_duration(s.setup_timeout) +
                         "): not every workload was Ready; the run goes on from there");
    }
    t0 = sim.now();
    start_data();
    return t0;
  }

  /// Schedules the faults of the run; a Monte-Carlo trial first takes its own streams.
  void start_faults(std::optional<std::uint64_t> trial) {
    if (faults_started) return;
    faults_started = true;
    trial_played = trial;
    if (trial) {
      streams = sim::RandomStreams(seed, *trial).child("trial");
      cluster.reseed(streams);
      injector.reseed(streams.stream("faults"));
      for (auto& rt : data)
        if (rt.model) rt.model->reseed(data_stream(rt));
    }
    injector.schedule(t0);
    if (s.failures.any()) {
      failures = std::make_unique<faults::FailureProcesses>(cluster, s, streams);
      failures->schedule(t0 + opts.until.value_or(s.duration));
    }
    for (sim::Duration at : opts.snapshots_at)
      sim.at(t0 + at, [this, at] {
        if (opts.on_snapshot) opts.on_snapshot(at, cluster);
      }, 100, "snapshot");
  }
};

World::World(const scenario::Scenario& s, const RunOptions& opts) : impl_(std::make_unique<Impl>(s, opts)) {}
World::~World() = default;

sim::Time World::setup() {
  impl_->setup_shared();
  impl_->start_faults(impl_->opts.trial);
  return impl_->t0;
}

sim::Time World::setup_shared() { return impl_->setup_shared(); }

void World::start_trial(std::uint64_t trial) {
  if (impl_->faults_started) throw std::logic_error("World::start_trial: the faults of this world already started");
  impl_->setup_shared();
  impl_->start_faults(trial);
}

void World::advance_to(sim::Duration since_t0) {
  setup();
  impl_->sim.run_until(impl_->t0 + since_t0);
}

metrics::RunReport World::report(metrics::ReportDetail detail) {
  Impl& w = *impl_;
  const sim::Time end = w.sim.now();
  w.timeline.finish(end);
  metrics::RunReport r;
  r.scenario = w.s.name;
  r.seed = w.seed;
  r.trial = w.trial_played;
  r.duration = end - w.t0;
  r.setup = w.t0 - sim::Time::origin();
  r.setup_converged = w.converged;
  r.warnings = w.warnings;
  for (const auto& msg : w.injector.warnings()) r.warnings.push_back(msg);
  metrics::fill_cluster_report(r, w.cluster, w.timeline, w.t0, end, detail);
  for (const auto& rt : w.data) {
    if (!rt.model) continue;
    const data::ServiceResult res = rt.model->finish(w.t0, end);
    for (const auto& level : res.levels) {
      metrics::DataReport d;
      d.service = res.service;
      d.type = data::to_string(res.type);
      d.consistency = level.consistency;
      d.read_availability = level.read_availability;
      d.write_availability = level.write_availability;
      d.rows = res.rows;
      d.rows_readable_min = level.rows_readable_min;
      d.rows_writable_min = level.rows_writable_min;
      d.rows_lost = res.rows_lost;
      for (const auto& win : level.unavailable_windows)
        d.unavailable_windows.push_back(metrics::UnavailableWindow{win.from - w.t0, win.to - w.t0, win.rows_unavailable});
      for (const auto& ep : res.redundancy) {
        metrics::RedundancyReport rr{ep.fault - w.t0, std::nullopt,
                                     ep.replica < rt.model->replica_count() ? rt.model->replica(ep.replica).pod : ""};
        if (ep.restored) rr.restored = *ep.restored - w.t0;
        d.redundancy.push_back(std::move(rr));
      }
      const std::size_t level_index = static_cast<std::size_t>(&level - res.levels.data());
      if (detail == metrics::ReportDetail::Full)
        for (const auto& sample : rt.model->series(level_index))
          if (sample.t >= w.t0 && sample.t <= end)
            d.series.push_back(metrics::RowsSample{sample.t - w.t0, sample.readable, sample.writable});
      r.data.push_back(std::move(d));
    }
  }
  return r;
}

metrics::RunReport World::run(metrics::ReportDetail detail) {
  setup();
  advance_to(impl_->opts.until.value_or(impl_->s.duration));
  return report(detail);
}

std::vector<World::DataService> World::data_services() {
  setup();
  std::vector<DataService> out;
  for (const auto& rt : impl_->data) {
    DataService d;
    d.model = rt.model.get();
    for (const auto& key : rt.pod_of) {
      const k8s::Pod* pod = impl_->cluster.store().get<k8s::Pod>(key);
      d.node_of_replica.push_back(pod ? pod->spec.node_name : std::string());
    }
    out.push_back(std::move(d));
  }
  return out;
}

controllers::Cluster& World::cluster() { return impl_->cluster; }
sim::Simulation& World::simulation() { return impl_->sim; }
const faults::FailureProcesses* World::failures() const { return impl_->failures.get(); }
sim::Time World::t0() const { return impl_->t0; }
std::uint64_t World::seed() const { return impl_->seed; }

metrics::RunReport run_scenario(const scenario::Scenario& s, const RunOptions& opts) {
  World w(s, opts);
  return w.run();
}

}  // namespace azsim::run
