#include "models/run/runner.hpp"

#include <algorithm>

#include "models/faults/injector.hpp"
#include "models/metrics/pod_timeline.hpp"

namespace azsim::run {

namespace {
// How often the setup checks whether every workload is Ready (simulated time).
constexpr sim::Duration kSetupPoll = sim::Duration::seconds(1);
}  // namespace

struct World::Impl {
  Impl(const scenario::Scenario& sc, const RunOptions& o)
      : s(sc),
        opts(o),
        seed(o.seed.value_or(sc.seed)),
        streams(seed, o.trial),
        cluster(sim, streams, sc.kubernetes, sc.cloud.params, sc.cloud.region, sc.cloud.zones),
        timeline(cluster),
        injector(cluster, sc, streams.stream("faults")) {
    if (opts.on_event) sim.set_trace([this](sim::Time t, sim::EventId, const char* label) { opts.on_event(t, label); });
  }

  const scenario::Scenario& s;
  RunOptions opts;
  std::uint64_t seed;
  sim::Simulation sim;
  sim::RandomStreams streams;
  controllers::Cluster cluster;
  metrics::PodTimeline timeline;
  faults::FaultInjector injector;
  sim::Time t0;
  bool set_up = false;
  bool converged = true;
  std::vector<std::string> warnings;

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

  sim::Time setup() {
    if (set_up) return t0;
    set_up = true;
    build();
    const sim::Time deadline = sim::Time::origin() + s.setup_timeout;
    // 1. Nodes: every group at its desired capacity and Ready.
    while (!nodes_ready() && sim.now() < deadline) sim.run_until(std::min(deadline, sim.now() + kSetupPoll));
    apply_setup_steps();
    // 2. Workloads: applied as `kubectl apply -f`, then every one Ready.
    apply_manifests();
    while (!cluster.workloads_ready() && sim.now() < deadline) sim.run_until(std::min(deadline, sim.now() + kSetupPoll));
    if (!cluster.workloads_ready() || !nodes_ready()) {
      converged = false;
      warnings.push_back("the setup did not converge within setupTimeout (" + sim::format_duration(s.setup_timeout) +
                         "): not every workload was Ready; the run goes on from there");
    }
    t0 = sim.now();
    injector.schedule(t0);
    for (sim::Duration at : opts.snapshots_at)
      sim.at(t0 + at, [this, at] {
        if (opts.on_snapshot) opts.on_snapshot(at, cluster);
      }, 100, "snapshot");
    return t0;
  }
};

World::World(const scenario::Scenario& s, const RunOptions& opts) : impl_(std::make_unique<Impl>(s, opts)) {}
World::~World() = default;

sim::Time World::setup() { return impl_->setup(); }

void World::advance_to(sim::Duration since_t0) {
  setup();
  impl_->sim.run_until(impl_->t0 + since_t0);
}

metrics::RunReport World::report() {
  Impl& w = *impl_;
  const sim::Time end = w.sim.now();
  w.timeline.finish(end);
  metrics::RunReport r;
  r.scenario = w.s.name;
  r.seed = w.seed;
  r.duration = end - w.t0;
  r.setup = w.t0 - sim::Time::origin();
  r.setup_converged = w.converged;
  r.warnings = w.warnings;
  for (const auto& msg : w.injector.warnings()) r.warnings.push_back(msg);
  metrics::fill_cluster_report(r, w.cluster, w.timeline, w.t0, end);
  return r;
}

metrics::RunReport World::run() {
  setup();
  const sim::Duration duration = impl_->opts.until.value_or(impl_->s.duration);
  advance_to(duration);
  return report();
}

controllers::Cluster& World::cluster() { return impl_->cluster; }
sim::Simulation& World::simulation() { return impl_->sim; }
sim::Time World::t0() const { return impl_->t0; }
std::uint64_t World::seed() const { return impl_->seed; }

metrics::RunReport run_scenario(const scenario::Scenario& s, const RunOptions& opts) {
  World w(s, opts);
  return w.run();
}

}  // namespace azsim::run
