// The Scenario document: defaults, every spec.kubernetes and spec.cloud field, distributions,
// data services, faults, failures and setup steps.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenario_test_util.hpp"

namespace azsim::scenario::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using namespace sim::literals;

Scenario load_ok(const std::string& text, const std::string& name = "s.yaml", const Files& files = {}) {
  const LoadResult r = load(text, name, files);
  EXPECT_TRUE(r.ok()) << r.report();
  return r.ok() ? *r.scenario : Scenario{};
}

TEST(Spec, DefaultsOfTheScenarioDocument) {
  const Scenario s = load_ok(replace_first(kBase, "metadata:\n  name: t\n", ""), "dir/my-scenario.v2.yaml");
  EXPECT_EQ(s.name, "my-scenario");  // the file name without directory and extension
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.duration, 1_h);
  EXPECT_EQ(s.setup_timeout, 30_min);
  // Kubernetes and cloud parameters keep the FIDELITY defaults of their structs.
  const controllers::KubernetesParams k;
  EXPECT_EQ(s.kubernetes.version, k.version);
  EXPECT_EQ(s.kubernetes.pod_gc_period, k.pod_gc_period);
  EXPECT_EQ(s.cloud.params.asg_health_check_grace_period, cloud::CloudParams{}.asg_health_check_grace_period);
  // The node group: sizes default to desiredCapacity, zones to the cloud's, reservation EKS.
  const NodeGroup& g = s.cloud.node_groups.at(0);
  EXPECT_EQ(g.desired_capacity, 3);
  EXPECT_EQ(g.min_size, 3);
  EXPECT_EQ(g.max_size, 3);
  EXPECT_EQ(g.zones, s.cloud.zones);
  EXPECT_EQ(g.kubelet_reservation.memory_base_mib, cloud::KubeletReservation{}.memory_base_mib);
  EXPECT_EQ(g.effective_max_pods(), 11);                             // t3.small's ENI limit
  EXPECT_EQ(s.at("spec.cloud.nodeGroups[0].instanceType").line, 9);  // kBase less its 2 metadata lines
}

TEST(Spec, SeedDurationsAndMetadata) {
  const Scenario s = load_ok(replace_first(kBase, "  name: t\n", "  name: t\n  description: a test\n") +
                             "  seed: 42\n  duration: 3h\n  setupTimeout: 10m\n");
  EXPECT_EQ(s.description, "a test");
  EXPECT_EQ(s.seed, 42u);
  EXPECT_EQ(s.duration, 3_h);
  EXPECT_EQ(s.setup_timeout, 10_min);
}

TEST(Spec, TakesEverySeedTheSeedOptionTakes) {
  // spec.seed takes what --seed takes: 0 to 2^64 - 1, in any YAML integer notation.
  for (const char* text : {"18446744073709551615", "0xFFFFFFFFFFFFFFFF", "0o1777777777777777777777"})
    EXPECT_EQ(load_ok(kBase + "  seed: " + text + "\n").seed, 18446744073709551615u) << text;
  EXPECT_EQ(load_ok(kBase + "  seed: 0\n").seed, 0u);
  EXPECT_EQ(load_ok(kBase + "  seed: 9223372036854775808\n").seed, 9223372036854775808u);
}

TEST(Spec, EveryKubernetesParameter) {
  const std::string k = R"(  kubernetes:
    version: "1.32"
    nodeMonitorGracePeriod: 45s
    nodeMonitorPeriod: 2s
    nodeStartupGracePeriod: 90s
    nodeEvictionRate: 0.5
    secondaryNodeEvictionRate: 0.02
    unhealthyZoneThreshold: 0.6
    largeClusterSizeThreshold: 20
    nodeLeaseDuration: 30s
    nodeLeaseRenewInterval: 5s
    defaultNotReadyTolerationSeconds: 60
    defaultUnreachableTolerationSeconds: 120
    maxWaitForUnmount: 3m
    attachDetachReconcilerPeriod: 200ms
    podGCPeriod: 10s
    podGCQuarantine: 20s
    cloudNodeLifecyclePeriod: 7s
    schedulerBackoffInitial: 2s
    schedulerBackoffMax: 20s
    podMaxInUnschedulable: 1m
    percentageOfNodesToScore: 50
    containerStart: {uniform: {min: 2s, max: 8s}}
    clusterAutoscaler:
      enabled: true
      scanInterval: 20s
      maxNodeProvisionTime: 10m
      scaleDownUnneededTime: 5m
      scaleDownDelayAfterAdd: 2m
      maxTotalUnreadyPercentage: 30
      okTotalUnreadyCount: 5
      balanceSimilarNodeGroups: true
)";
  const Scenario s = load_ok(kBase + k);
  const auto& p = s.kubernetes;
  EXPECT_EQ(p.version.str(), "1.32");
  EXPECT_EQ(p.node_monitor_grace_period, 45_s);
  EXPECT_EQ(p.node_monitor_period, 2_s);
  EXPECT_EQ(p.node_startup_grace_period, 90_s);
  EXPECT_EQ(p.node_eviction_rate, 0.5);
  EXPECT_EQ(p.secondary_node_eviction_rate, 0.02);
  EXPECT_EQ(p.unhealthy_zone_threshold, 0.6);
  EXPECT_EQ(p.large_cluster_size_threshold, 20);
  EXPECT_EQ(p.node_lease_duration, 30_s);
  EXPECT_EQ(p.node_lease_renew_interval, 5_s);
  EXPECT_EQ(p.default_not_ready_toleration_seconds, 60);
  EXPECT_EQ(p.default_unreachable_toleration_seconds, 120);
  EXPECT_EQ(p.max_wait_for_unmount, 3_min);
  EXPECT_EQ(p.attach_detach_reconciler_period, 200_ms);
  EXPECT_EQ(p.pod_gc_period, 10_s);
  EXPECT_EQ(p.pod_gc_quarantine, 20_s);
  EXPECT_EQ(p.cloud_node_lifecycle_period, 7_s);
  EXPECT_EQ(p.scheduler_backoff_initial, 2_s);
  EXPECT_EQ(p.scheduler_backoff_max, 20_s);
  EXPECT_EQ(p.pod_max_in_unschedulable, 1_min);
  EXPECT_EQ(p.percentage_of_nodes_to_score, 50);
  EXPECT_EQ(p.container_start.kind, cloud::DurationDistribution::Kind::Uniform);
  EXPECT_EQ(p.container_start.b, 8_s);
  const auto& ca = p.cluster_autoscaler;
  EXPECT_TRUE(ca.enabled);
  EXPECT_EQ(ca.scan_interval, 20_s);
  EXPECT_EQ(ca.max_node_provision_time, 10_min);
  EXPECT_EQ(ca.scale_down_unneeded_time, 5_min);
  EXPECT_EQ(ca.scale_down_delay_after_add, 2_min);
  EXPECT_EQ(ca.max_total_unready_percentage, 30);
  EXPECT_EQ(ca.ok_total_unready_count, 5);
  EXPECT_TRUE(ca.balance_similar_node_groups);
}

TEST(Spec, KubernetesParametersAreChecked) {
  const std::string k =
      "  kubernetes:\n    version: \"2.0\"\n    podGCPeriod: 0s\n    unhealthyZoneThreshold: 1.5\n"
      "    schedulerBackoffInitial: 30s\n    nodeMonitorGracePerod: 40s\n";
  EXPECT_THAT(
      errors(load(kBase + k)),
      ElementsAre(
          "s.yaml:14:14: spec.kubernetes.version: \"2.0\" is not a Kubernetes version: write it like \"1.29\" (quoted)",
          "s.yaml:15:18: spec.kubernetes.podGCPeriod: must be at least 1ms",
          "s.yaml:16:29: spec.kubernetes.unhealthyZoneThreshold: must be between 0 and 1, got 1.5",
          "s.yaml:17:30: spec.kubernetes.schedulerBackoffInitial: schedulerBackoffInitial must not exceed "
          "schedulerBackoffMax",
          "s.yaml:18:5: spec.kubernetes.nodeMonitorGracePerod: unknown field \"nodeMonitorGracePerod\" (did "
          "you mean \"nodeMonitorGracePeriod\"?)"));
}

TEST(Spec, EveryCloudParameterAndDistributionForm) {
  const std::string c = R"(    ebsAttachLatency: 2s
    ebsDetachLatency: {constant: 3s}
    ebsCreateLatency: {exponential: {mean: 2s}}
    launchToReady: {lognormal: {median: 80s, p95: 3m}}
    asgHealthCheckGracePeriod: 0s
    ec2StatusCheckDelay: 2m
    azDistribution: balanced-only
    azTieBreak: random
    terminateDetachDelay: 20s
  kubernetes:
    containerStart: {empirical: [1s, 2s, 10s]}
  failures:
    zone: {rate: 2/10y, duration: {weibull: {shape: 1.5, scale: 3h}}}
)";
  const Scenario s = load_ok(kBase + c);
  const auto& p = s.cloud.params;
  using Kind = cloud::DurationDistribution::Kind;
  EXPECT_EQ(p.ebs_attach_latency.kind, Kind::Constant);
  EXPECT_EQ(p.ebs_attach_latency.a, 2_s);
  EXPECT_EQ(p.ebs_detach_latency.a, 3_s);
  EXPECT_EQ(p.ebs_create_latency.kind, Kind::Exponential);
  EXPECT_EQ(p.ebs_create_latency.a, 2_s);
  EXPECT_EQ(p.launch_to_ready.kind, Kind::Lognormal);
  EXPECT_EQ(p.launch_to_ready.a, 80_s);
  EXPECT_EQ(p.launch_to_ready.b, 3_min);
  EXPECT_EQ(p.asg_health_check_grace_period, 0_s);
  EXPECT_EQ(p.ec2_status_check_delay, 2_min);
  EXPECT_EQ(p.az_distribution, cloud::AzDistribution::BalancedOnly);
  EXPECT_EQ(p.az_tie_break, cloud::AzTieBreak::Random);
  EXPECT_EQ(p.terminate_detach_delay, 20_s);
  EXPECT_EQ(s.kubernetes.container_start.kind, Kind::Empirical);
  EXPECT_EQ(s.kubernetes.container_start.samples, (std::vector<sim::Duration>{1_s, 2_s, 10_s}));
  const auto& z = s.failures.zone.value();
  EXPECT_EQ(z.rate.count, 2.0);
  EXPECT_EQ(z.rate.per, sim::Duration::days(3650));
  EXPECT_EQ(z.duration.kind, Kind::Weibull);
  EXPECT_EQ(z.duration.shape, 1.5);
  EXPECT_EQ(z.duration.a, 3_h);
}

TEST(Spec, BadDistributions) {
  const std::string c =
      "    ebsAttachLatency: {uniform: {min: 4s, max: 1s}}\n    ebsDetachLatency: {normal: {mean: 1s}}\n"
      "    launchToReady: {lognormal: {median: 0s, p95: 1m}}\n    ebsCreateLatency: {constant: 1s, uniform: {}}\n";
  EXPECT_THAT(
      errors(load(kBase + c)),
      ElementsAre("s.yaml:13:48: spec.cloud.ebsAttachLatency.uniform.max: must not be less than min",
                  "s.yaml:14:24: spec.cloud.ebsDetachLatency.normal: unknown field \"normal\"; a distribution is "
                  "one of constant, uniform, exponential, lognormal, weibull or empirical",
                  "s.yaml:15:41: spec.cloud.launchToReady.lognormal.median: must be greater than 0",
                  "s.yaml:16:23: spec.cloud.ebsCreateLatency: a distribution has exactly one form: constant, uniform, "
                  "exponential, lognormal, weibull or empirical"));
}

TEST(Spec, NodeGroupExtensions) {
  const std::string g = R"(        zones: [eu-west-1a, eu-west-1b]
        minSize: 2
        maxSize: 5
        labels: {role: db}
        taints: ["dedicated=db:NoSchedule", {key: gpu, effect: NoExecute}]
        maxPods: 20
        kubeletReservation: none
        healthCheckGracePeriod: 60s
        azDistribution: balanced-only
        azTieBreak: random
        initialPlacement: {eu-west-1a: 3, eu-west-1b: 0}
)";
  const Scenario s = load_ok(kBase + g);
  const NodeGroup& n = s.cloud.node_groups.at(0);
  EXPECT_EQ(n.zones, (std::vector<std::string>{"eu-west-1a", "eu-west-1b"}));
  EXPECT_EQ(n.min_size, 2);
  EXPECT_EQ(n.max_size, 5);
  EXPECT_EQ(n.labels.at("role"), "db");
  ASSERT_EQ(n.taints.size(), 2u);
  EXPECT_EQ(n.taints[0].key, "dedicated");
  EXPECT_EQ(n.taints[0].value, "db");
  EXPECT_EQ(n.taints[0].effect, k8s::TaintEffect::NoSchedule);
  EXPECT_EQ(n.taints[1].effect, k8s::TaintEffect::NoExecute);
  EXPECT_EQ(n.max_pods, 20);
  EXPECT_EQ(n.kubelet_reservation.memory_base_mib, 0);
  EXPECT_EQ(n.health_check_grace_period, 60_s);
  EXPECT_EQ(n.az_distribution, cloud::AzDistribution::BalancedOnly);
  EXPECT_EQ(n.az_tie_break, cloud::AzTieBreak::Random);
  EXPECT_FALSE(load_ok(kBase).cloud.node_groups.at(0).az_tie_break) << "unset: the cloud's azTieBreak applies";
  EXPECT_EQ(load_ok(kBase).cloud.params.az_tie_break, cloud::AzTieBreak::ZoneOrder);
  EXPECT_EQ(n.initial_placement.size(), 2u);
  EXPECT_EQ(n.initial_placement[0], (std::pair<std::string, std::int32_t>{"eu-west-1a", 3}));
}

TEST(Spec, InitialPlacementMustMatchDesiredCapacityAndZones) {
  EXPECT_THAT(
      errors(load(kBase + "        zones: [eu-west-1a]\n        initialPlacement: {eu-west-1a: 2, eu-west-1c: 0}\n")),
      ElementsAre(
          "s.yaml:14:27: spec.cloud.nodeGroups[0].initialPlacement: places 2 instance(s) but desiredCapacity is 3",
          "s.yaml:14:55: spec.cloud.nodeGroups[0].initialPlacement.eu-west-1c: zone \"eu-west-1c\" is not "
          "one of the group's zones"));
}

TEST(Spec, DeclaredVolumes) {
  const Scenario s = load_ok(kBase +
                             "    volumes:\n      - {id: vol-0a, zone: eu-west-1b, sizeGiB: 10}\n"
                             "      - {id: vol-0b, zone: eu-west-1c, sizeGiB: 100, type: io2}\n");
  ASSERT_EQ(s.cloud.volumes.size(), 2u);
  EXPECT_EQ(s.cloud.volumes[0].type, "gp2");  // aws ec2 create-volume's default
  EXPECT_EQ(s.cloud.volumes[1].type, "io2");
  EXPECT_EQ(s.cloud.volumes[1].size_gib, 100);
  EXPECT_EQ(s.at(s.cloud.volumes[1].path + ".zone").line, 15);
}

TEST(Spec, RegionComesFromTheZonesWhenNotGiven) {
  const Scenario s = load_ok(replace_first(kBase, "    region: eu-west-1\n", ""));
  EXPECT_EQ(s.cloud.region, "eu-west-1");
}

TEST(Spec, ZonesMustBeInTheRegion) {
  EXPECT_THAT(
      errors(load(replace_first(kBase, "eu-west-1c]", "us-east-1a]"))),
      Contains("s.yaml:8:37: spec.cloud.zones[2]: zone \"us-east-1a\" is not in region \"eu-west-1\" (its zones are "
               "named eu-west-1a, eu-west-1b, ...)"));
}

TEST(Spec, DataServices) {
  const std::string d = R"(  data:
    - name: c
      type: cassandra
      workload: sts/cassandra
      rows: 1000
      keyspace:
        name: test
        replication: {class: NetworkTopologyStrategy, eu-west: "3"}
      consistency: [{read: local_quorum, write: QUORUM}, {read: ONE}]
      params: {vnodes: 16, hints: {window: 3h}}
)";
  const Scenario s = load_ok(kBase + d + kCassandra);
  const DataService& ds = s.data.at(0);
  EXPECT_EQ(ds.type, DataType::Cassandra);
  EXPECT_EQ(ds.workload.kind, WorkloadRef::Kind::StatefulSet);
  EXPECT_EQ(ds.workload.name, "cassandra");
  EXPECT_EQ(ds.workload.ns, "default");  // resolved
  EXPECT_EQ(ds.rows, 1000);
  ASSERT_TRUE(ds.replication.has_value());
  EXPECT_EQ(ds.replication->strategy, Replication::Strategy::NetworkTopology);
  EXPECT_EQ(ds.replication->per_dc.at(0),
            (std::pair<std::string, std::int32_t>{"eu-west", 3}));  // "3" as CQL writes it
  ASSERT_EQ(ds.consistency.size(), 2u);
  EXPECT_EQ(ds.consistency[0].read, ConsistencyLevel::LocalQuorum);
  EXPECT_EQ(ds.consistency[0].write, ConsistencyLevel::Quorum);
  EXPECT_EQ(ds.consistency[1].write, ConsistencyLevel::One);  // cqlsh's default
  // params stay a positioned tree for the data model to read.
  ASSERT_NE(ds.params, nullptr);
  const Node* window = ds.params->find("hints")->find("window");
  ASSERT_NE(window, nullptr);
  EXPECT_EQ(window->text, "3h");
  EXPECT_EQ(window->line, 22);
}

TEST(Spec, CassandraNeedsAKeyspaceAndDefaultsConsistencyToOne) {
  const std::string d = "  data:\n    - {name: c, type: cassandra, workload: statefulset/cassandra}\n";
  EXPECT_THAT(errors(load(kBase + d + kCassandra)),
              ElementsAre("s.yaml:14:7: spec.data[0].keyspace: required: keyspace: {replication: {class: "
                          "NetworkTopologyStrategy, <dc>: N}} or {class: SimpleStrategy, replication_factor: N}"));
  const Scenario s = load_ok(kBase +
                             "  data:\n    - name: c\n      type: cassandra\n      workload: statefulset/cassandra\n"
                             "      keyspace: {replication: {class: SimpleStrategy, replication_factor: 2}}\n" +
                             kCassandra);
  EXPECT_EQ(s.data[0].consistency.size(), 1u);
  EXPECT_EQ(s.data[0].consistency[0].read, ConsistencyLevel::One);
  EXPECT_EQ(s.data[0].rows, 100);
}

TEST(Spec, AnUnknownDataTypeHasNoFollowOnDiagnostics) {
  // A two-replica set: were the unknown type taken as "single", a warning about its replica
  // count would follow.
  const std::string d = "  data:\n    - {name: kv, type: mongodb, workload: statefulset/cassandra}\n";
  const LoadResult r = load(kBase + d + replace_first(kCassandra, "replicas: 3", "replicas: 2"));
  EXPECT_EQ(r.report(), "s.yaml:14:24: spec.data[0].type: \"mongodb\" is not one of cassandra, leader-follower, galera or single\n");
}

TEST(Spec, EveryFaultAction) {
  const std::string f = R"(  faults:
    - {at: 1m, action: terminate-instance, node: {runningPod: cassandra-0}}
    - {at: 2m, action: stop-instance, node: {zone: eu-west-1a, index: 0}, for: 5m}
    - {at: 3m, action: start-instance, node: {group: nodes, index: 2}}
    - {at: 4m, action: kubelet-down, node: ip-10-0-1-5.eu-west-1.compute.internal, for: 1m}
    - {at: 5m, action: cordon, node: {name: ip-10-0-1-5}}
    - {at: 6m, action: uncordon, node: {zone: eu-west-1b, group: nodes}}
    - {at: 7m, action: drain, node: {runningPod: cassandra-1}, gracePeriod: 30s, timeout: 5m, force: true}
    - {at: 8m, action: delete-pod, pod: {name: cassandra-2, namespace: default}, force: true, gracePeriod: 0s}
    - {at: 9m, action: out-of-service-taint, node: {runningPod: cassandra-1}}
    - {at: 10m, action: zone-outage, zone: eu-west-1c, for: 45m, jitter: 1m}
    - {at: 11m, action: volume-failure, volume: {claim: data-cassandra-0}}
    - {at: 12m, action: readiness-failure, pod: {workload: statefulset/cassandra}, for: 2m}
    - {at: 13m, action: scale, workload: statefulset/cassandra, replicas: 5}
    - {at: 14m, action: delete-pod, pod: cassandra-4}
    - {at: 15m, action: delete-pvc, pvc: data-cassandra-4}
    - {at: 16m, action: delete-pod, selector: {app: cassandra}}
)";
  const Scenario s = load_ok(kBase + f + kCassandra);
  ASSERT_EQ(s.faults.size(), 16u);
  const auto& v = s.faults;
  EXPECT_EQ(v[0].action, FaultAction::TerminateInstance);
  EXPECT_EQ(v[0].node->by, NodeTarget::By::RunningPod);
  EXPECT_EQ(v[1].node->by, NodeTarget::By::Index);
  EXPECT_EQ(v[1].for_, 5_min);
  EXPECT_EQ(v[2].node->group, "nodes");
  EXPECT_EQ(v[2].node->index, 2);
  EXPECT_EQ(v[3].node->by, NodeTarget::By::Name);
  EXPECT_EQ(v[5].node->zone, "eu-west-1b");
  EXPECT_EQ(v[6].grace_period, 30_s);
  EXPECT_EQ(v[6].timeout, 5_min);
  EXPECT_TRUE(v[6].force);
  EXPECT_EQ(v[7].pods->by, PodTarget::By::Name);
  EXPECT_EQ(v[7].pods->ns, "default");
  EXPECT_EQ(v[9].zone, "eu-west-1c");
  EXPECT_EQ(v[9].jitter, 1_min);
  EXPECT_EQ(v[10].volume->claim, "data-cassandra-0");
  EXPECT_EQ(v[11].pods->by, PodTarget::By::Workload);
  EXPECT_EQ(v[12].replicas, 5);
  // cassandra-4 and its claim exist because the scale fault takes the set to 5 replicas.
  EXPECT_EQ(v[13].pods->name, "cassandra-4");
  EXPECT_EQ(v[14].action, FaultAction::DeletePvc);
  EXPECT_EQ(v[14].pvc->name, "data-cassandra-4");
  EXPECT_EQ(v[15].pods->by, PodTarget::By::Selector);
  EXPECT_EQ(v[15].pods->selector.match_labels.at("app"), "cassandra");
  EXPECT_EQ(v[15].path, "spec.faults[15]");
}

TEST(Spec, FaultTargetsAreChecked) {
  const std::string f = R"(  faults:
    - {at: 1m, action: zone-outage, zone: eu-west-1e}
    - {at: 2m, action: volume-failure, volume: vol-0nope}
    - {at: 3m, action: scale, workload: deployment/web, replicas: 1}
    - {at: 4m, action: cordon, node: {group: workers, index: 0}}
    - {at: 5m, action: delete-pod, pod: web-7d9f8-abcde}
    - {at: 2h, action: cordon, node: {zone: eu-west-1a}}
)";
  const std::string web =
      "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
      "  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}, "
      "spec: {containers: [{name: c}]}}\n";
  const LoadResult r = load(kBase + f + web);
  EXPECT_THAT(
      errors(r),
      ElementsAre("s.yaml:14:43: spec.faults[0].zone: zone \"eu-west-1e\" is not one of the cloud's zones",
                  "s.yaml:15:48: spec.faults[1].volume: volume \"vol-0nope\" is not declared in "
                  "spec.cloud.volumes; a dynamically provisioned volume is targeted by its claim: {claim: PVC-NAME}",
                  "s.yaml:17:46: spec.faults[3].node.group: no node group \"workers\"",
                  "s.yaml:18:41: spec.faults[4].pod: pods of deployment/web have generated names, so "
                  "\"web-7d9f8-abcde\" never exists: target them with workload: deployment/web or a selector"));
  // A fault after the end of the run is allowed, with a warning (default duration 1h).
  EXPECT_THAT(warnings(r),
              ElementsAre("s.yaml:19:12: warning: spec.faults[5].at: is at or after the end of the run (duration "
                          "1h): the fault never happens"));
}

TEST(Spec, FailuresForMonteCarlo) {
  const std::string f = R"(  failures:
    instance: {mtbf: 1y, mode: stop, shape: 0.8, duration: {lognormal: {median: 1h, p95: 6h}}}
    zone: {rate: 0.5/y, volumeLoss: "0.07%"}
    volume: {afr: "0.2%"}
    bursts: {share: "37%", size: {min: 2, max: 3}, scope: region, spread: 30s}
)";
  const Scenario s = load_ok(kBase + f);
  const auto& fl = s.failures;
  EXPECT_EQ(fl.instance->mtbf, sim::Duration::days(365));
  EXPECT_EQ(fl.instance->mode, InstanceFailures::Mode::Stop);
  EXPECT_EQ(fl.instance->shape, 0.8);
  EXPECT_EQ(fl.instance->duration->b, 6_h);
  EXPECT_EQ(fl.zone->rate.count, 0.5);
  EXPECT_EQ(fl.zone->rate.per, sim::Duration::days(365));
  EXPECT_NEAR(fl.zone->rate.per_second(), 0.5 / (365.0 * 86400), 1e-18);
  EXPECT_DOUBLE_EQ(fl.zone->volume_loss, 0.0007);
  // The zone outage length keeps its FIDELITY D default: lognormal, median 2h, p95 10h.
  EXPECT_EQ(fl.zone->duration.kind, cloud::DurationDistribution::Kind::Lognormal);
  EXPECT_EQ(fl.zone->duration.a, 2_h);
  EXPECT_DOUBLE_EQ(fl.volume->afr.value(), 0.002);
  EXPECT_DOUBLE_EQ(fl.bursts->share, 0.37);
  EXPECT_EQ(fl.bursts->min_size, 2);
  EXPECT_EQ(fl.bursts->max_size, 3);
  EXPECT_EQ(fl.bursts->scope, Bursts::Scope::Region);
  EXPECT_EQ(fl.bursts->spread, 30_s);
}

TEST(Spec, FailureValuesAreChecked) {
  const std::string f =
      "  failures:\n    instance: {mtbf: 1s, mode: explode}\n    zone: {rate: 3 per year}\n"
      "    volume: {afr: 0.2}\n";
  EXPECT_THAT(
      errors(load(kBase + f)),
      ElementsAre(
          "s.yaml:14:22: spec.failures.instance.mtbf: must be at least 1m",
          "s.yaml:14:32: spec.failures.instance.mode: \"explode\" is not one of terminate, stop or unreachable",
          "s.yaml:15:18: spec.failures.zone.rate: \"3 per year\" is not a rate: write COUNT/SPAN, e.g. 0.5/y or 2/10y",
          "s.yaml:16:19: spec.failures.volume.afr: write a percentage such as \"0.2%\" (a bare number is ambiguous)"));
}

TEST(Spec, FailureRatesAreBoundedPerTrial) {
  // 3 nodes for 100 years with an MTBF of one minute: about 157 million failures.
  const std::string f = "  duration: 100y\n  failures:\n    instance: {mtbf: 1m}\n";
  EXPECT_THAT(
      errors(load(kBase + f)),
      ElementsAre("s.yaml:15:22: spec.failures.instance.mtbf: means about 157680000 failures in one trial of 876000h, "
                  "more than azsim's limit of 1000000: check the value"));
}

TEST(Spec, SetupStepsLabelNodes) {
  const std::string setup =
      "  setup:\n    - action: label-node\n      node: {zone: eu-west-1a, index: 0}\n"
      "      labels: {azs: eu-west-1a}\n";
  const std::string pod =
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
      "spec: {nodeSelector: {azs: eu-west-1a}, containers: [{name: c}]}\n";
  const LoadResult r = load(kBase + setup + pod);
  ASSERT_TRUE(r.ok()) << r.report();
  EXPECT_TRUE(warnings(r).empty()) << r.report();  // the label makes the nodeSelector satisfiable
  const SetupStep& step = r.scenario->setup.at(0);
  EXPECT_EQ(step.node.zone, "eu-west-1a");
  EXPECT_EQ(step.labels.at("azs"), "eu-west-1a");
  // Without the step the same pod can never be scheduled: a warning says so.
  EXPECT_THAT(warnings(load(kBase + pod)),
              ElementsAre("s.yaml:17:22: warning: Pod/p.spec.nodeSelector: no node group makes nodes with labels "
                          "azs=eu-west-1a: the pod can never be scheduled (give a node group these labels in "
                          "spec.cloud.nodeGroups[].labels)"));
  // Before the manifests are applied no pod runs: runningPod cannot pick a node.
  EXPECT_THAT(
      errors(load(kBase + "  setup:\n    - {action: label-node, node: {runningPod: p}, labels: {a: b}}\n" + pod)),
      ElementsAre("s.yaml:14:47: spec.setup[0].node.runningPod: no pod runs before the manifests are applied: pick "
                  "the node by zone, group and index"));
}

TEST(Spec, PersistentVolumeLabelAdmission) {
  const std::string text =
      replace_first(kBase, "  cloud:\n",
                    "  kubernetes: {enableAdmissionPlugins: [PersistentVolumeLabel]}\n  cloud:\n") +
      "    volumes: [{id: vol-1, zone: eu-west-1b, sizeGiB: 10}]\n---\napiVersion: v1\n"
      "kind: PersistentVolume\nmetadata: {name: pv}\nspec: {capacity: {storage: 5Gi}, accessModes: "
      "[ReadWriteOnce], awsElasticBlockStore: {volumeID: vol-1}}\n";
  const Scenario s = load_ok(text);
  const k8s::PersistentVolume& pv = s.manifests.persistent_volumes.at(0).object;
  EXPECT_EQ(pv.meta.labels.at(k8s::wellknown::kZoneLegacy), "eu-west-1b");
  EXPECT_EQ(pv.meta.labels.at(k8s::wellknown::kRegionLegacy), "eu-west-1");
  ASSERT_TRUE(pv.node_affinity.has_value());
  ASSERT_EQ(pv.node_affinity->terms.size(), 1u);
  EXPECT_EQ(pv.node_affinity->terms[0].match_expressions.at(0).values, std::vector<std::string>{"eu-west-1b"});
  EXPECT_EQ(s.admission_plugins, std::vector<std::string>{"PersistentVolumeLabel"});
  // Removed in 1.31.
  EXPECT_THAT(
      errors(load(replace_first(text, "{enableAdmissionPlugins", "{version: \"1.31\", enableAdmissionPlugins"))),
      Contains(::testing::HasSubstr("PersistentVolumeLabel was removed in Kubernetes 1.31")));
}

TEST(Spec, PvZoneMustMatchItsVolume) {
  const std::string text =
      kBase +
      "    volumes: [{id: vol-1, zone: eu-west-1b, sizeGiB: 10}]\n---\napiVersion: v1\n"
      "kind: PersistentVolume\nmetadata: {name: pv, labels: {topology.kubernetes.io/zone: eu-west-1a}}\n"
      "spec: {capacity: {storage: 5Gi}, accessModes: [ReadWriteOnce], csi: {driver: ebs.csi.aws.com, "
      "volumeHandle: vol-1}}\n";
  EXPECT_THAT(errors(load(text)),
              ElementsAre("s.yaml:17:30: PersistentVolume/pv.metadata.labels: the PersistentVolume allows "
                          "zone eu-west-1a but vol-1 is in eu-west-1b: no pod could ever attach it"));
}

// The in-tree form "aws://<zone>/<id>" names the volume's zone: it must be the declared one,
// for a PersistentVolume and for a pod's inline volume alike ("aws:///<id>" names none).
TEST(Spec, AwsVolumeIdZoneMustMatchItsVolume) {
  const std::string volumes = "    volumes: [{id: vol-1, zone: eu-west-1b, sizeGiB: 10}]\n";
  const std::string pv = "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\n"
                         "spec: {capacity: {storage: 5Gi}, accessModes: [ReadWriteOnce], "
                         "awsElasticBlockStore: {volumeID: \"aws://eu-west-1a/vol-1\"}}\n";
  EXPECT_THAT(errors(load(kBase + volumes + pv)),
              ElementsAre("s.yaml:18:97: PersistentVolume/pv.spec.awsElasticBlockStore.volumeID: names zone "
                          "eu-west-1a but vol-1 is in eu-west-1b (spec.cloud.volumes)"));
  for (const std::string ok : {"aws://eu-west-1b/vol-1", "aws:///vol-1", "vol-1"})
    EXPECT_THAT(errors(load(kBase + volumes + replace_first(pv, "aws://eu-west-1a/vol-1", ok))), ::testing::IsEmpty())
        << ok;
  const std::string pod = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                          "  containers: [{name: c, image: i}]\n"
                          "  volumes: [{name: d, awsElasticBlockStore: {volumeID: \"aws://eu-west-1c/vol-1\"}}]\n";
  EXPECT_THAT(errors(load(kBase + volumes + pod)),
              ElementsAre("s.yaml:20:56: Pod/p.spec.volumes[0].awsElasticBlockStore.volumeID: names zone eu-west-1c "
                          "but vol-1 is in eu-west-1b (spec.cloud.volumes)"));
}

TEST(Spec, ManyErrorsAreAllReportedInLineOrder) {
  std::string text = kBase + "  faults:\n";
  for (int i = 0; i < 30; ++i)
    text += "    - {at: " + std::to_string(i) + "x, action: cordon, node: {zone: eu-west-1a}}\n";
  const auto e = errors(load(text));
  ASSERT_EQ(e.size(), 30u);
  EXPECT_EQ(e.front().rfind("s.yaml:14:", 0), 0u);
  EXPECT_EQ(e.back().rfind("s.yaml:43:", 0), 0u);
}

}  // namespace
}  // namespace azsim::scenario::testing
