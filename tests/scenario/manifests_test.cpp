// Kubernetes manifests read into the k8s types, with the API server's defaults.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenario_test_util.hpp"

namespace azsim::scenario::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

/// Loads kBase plus `manifests` (further documents); the load must succeed.
Scenario load_ok(const std::string& manifests, const Files& files = {}) {
  const LoadResult r = load(kBase + manifests, "s.yaml", files);
  EXPECT_TRUE(r.ok()) << r.report();
  return r.ok() ? *r.scenario : Scenario{};
}

constexpr std::int64_t kGi = std::int64_t{1} << 30;
constexpr std::int64_t kMi = std::int64_t{1} << 20;

TEST(Manifests, StatefulSetFieldsAndDefaults) {
  const Scenario s = load_ok(kCassandra);
  ASSERT_EQ(s.manifests.stateful_sets.size(), 1u);
  const auto& d = s.manifests.stateful_sets[0];
  const k8s::StatefulSet& sts = d.object;
  EXPECT_EQ(d.ref, "StatefulSet/cassandra");
  EXPECT_EQ(d.api_version, "apps/v1");
  EXPECT_EQ(sts.meta.ns, "default");
  EXPECT_EQ(sts.replicas, 3);
  EXPECT_EQ(sts.selector.match_labels.at("app"), "cassandra");
  EXPECT_EQ(sts.pod_management_policy, k8s::PodManagementPolicy::OrderedReady);
  EXPECT_EQ(sts.when_deleted, k8s::PvcRetentionPolicy::Retain);
  ASSERT_EQ(sts.template_.spec.containers.size(), 1u);
  EXPECT_EQ(sts.template_.spec.containers[0].requests.milli_cpu, 500);
  EXPECT_EQ(sts.template_.spec.containers[0].requests.memory, kGi);
  ASSERT_EQ(sts.volume_claim_templates.size(), 1u);
  const auto& claim = sts.volume_claim_templates[0];
  EXPECT_EQ(claim.meta.name, "data");
  EXPECT_EQ(claim.request_bytes, kGi);
  EXPECT_EQ(claim.storage_class_name, std::optional<std::string>("gp2"));
  EXPECT_THAT(claim.access_modes, ElementsAre(k8s::AccessMode::ReadWriteOnce));
  // The document is kept for locating fields later.
  EXPECT_EQ(d.source.at("spec.replicas").line, 25);
}

TEST(Manifests, AppsV1beta1DefaultsTheSelectorFromTheTemplateLabels) {
  const std::string sts =
      "---\napiVersion: apps/v1beta1\nkind: StatefulSet\nmetadata: {name: c}\nspec:\n  template:\n"
      "    metadata: {labels: {app: c, tier: db}}\n    spec: {containers: [{name: c}]}\n";
  const Scenario s = load_ok(sts);
  const auto& o = s.manifests.stateful_sets.at(0).object;
  EXPECT_EQ(o.replicas, 1);  // default
  EXPECT_EQ(o.selector.match_labels, (k8s::Labels{{"app", "c"}, {"tier", "db"}}));
}

TEST(Manifests, AppsV1RequiresTheSelector) {
  const std::string sts =
      "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: c}\nspec:\n  template:\n"
      "    metadata: {labels: {app: c}}\n    spec: {containers: [{name: c}]}\n";
  const LoadResult r = load(kBase + sts);
  EXPECT_FALSE(r.ok());
  // spec is line 17 (kBase 12 + 5); the missing selector is reported at spec's map (18:3).
  EXPECT_THAT(errors(r), Contains("s.yaml:18:3: StatefulSet/c.spec.selector: required: e.g. selector: {matchLabels: "
                                  "{app: NAME}} matching the template's labels (apps/v1 does not default it)"));
}

TEST(Manifests, LimitsWithoutRequestsBecomeRequests) {
  const std::string pod =
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns1}\nspec:\n  containers:\n"
      "    - name: a\n      resources: {limits: {cpu: 2, memory: 512Mi}, requests: {memory: 256Mi}}\n"
      "  initContainers:\n    - name: i\n      resources: {limits: {cpu: \"0.5\"}}\n";
  const Scenario s = load_ok(pod);
  const k8s::Pod& p = s.manifests.pods.at(0).object;
  EXPECT_EQ(p.meta.ns, "ns1");
  const auto& c = p.spec.containers.at(0);
  EXPECT_EQ(c.requests.milli_cpu, 2000);    // from the limit
  EXPECT_EQ(c.requests.memory, 256 * kMi);  // its own request
  EXPECT_EQ(c.limits.memory, 512 * kMi);
  EXPECT_EQ(p.spec.init_containers.at(0).requests.milli_cpu, 500);
}

TEST(Manifests, RequestsAboveLimitsAreErrors) {
  const std::string pod =
      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
      "    - name: a\n      resources: {limits: {cpu: 1}, requests: {cpu: 2}}\n";
  const LoadResult r = load(kBase + pod);
  // Line 20 `      resources: {limits: {cpu: 1}, requests: {cpu: 2}}`: requests' cpu value is at 53.
  EXPECT_THAT(errors(r), Contains("s.yaml:20:53: Pod/p.spec.containers[0].resources.requests.cpu: must be less than or "
                                  "equal to the cpu limit"));
}

TEST(Manifests, PodSchedulingFields) {
  const std::string pod = R"(---
apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: web}}
spec:
  nodeName: ip-10-0-1-5.eu-west-1.compute.internal
  nodeSelector: {disk: ssd}
  priority: 10
  schedulerName: my-scheduler
  terminationGracePeriodSeconds: 1800
  hostname: h
  subdomain: sub
  hostNetwork: true
  tolerations:
    - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30}
    - {operator: Exists}
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1a]}]
      preferredDuringSchedulingIgnoredDuringExecution:
        - {weight: 20, preference: {matchExpressions: [{key: disk, operator: Exists}]}}
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}, namespaces: [a]}
      preferredDuringSchedulingIgnoredDuringExecution:
        - {weight: 5, podAffinityTerm: {topologyKey: topology.kubernetes.io/zone, labelSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}}}
  topologySpreadConstraints:
    - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, minDomains: 3, labelSelector: {matchLabels: {app: web}}}
  containers:
    - name: web
      ports: [{containerPort: 8080}, {containerPort: 9090, hostPort: 9091}]
      readinessProbe: {httpGet: {path: /, port: 8080}, initialDelaySeconds: 15, periodSeconds: 2, failureThreshold: 5}
)";
  const LoadResult r = load(kBase + pod);
  ASSERT_TRUE(r.ok()) << r.report();
  EXPECT_THAT(warnings(r), Contains(::testing::HasSubstr("disk=ssd")));  // no node group has that label
  const k8s::PodSpec& s = r.scenario->manifests.pods.at(0).object.spec;
  EXPECT_EQ(s.node_name, "ip-10-0-1-5.eu-west-1.compute.internal");
  EXPECT_EQ(s.node_selector.at("disk"), "ssd");
  EXPECT_EQ(s.priority, 10);
  EXPECT_EQ(s.scheduler_name, "my-scheduler");
  EXPECT_EQ(s.termination_grace_period, sim::Duration::seconds(1800));
  EXPECT_EQ(s.hostname, "h");
  EXPECT_EQ(s.subdomain, "sub");
  ASSERT_EQ(s.tolerations.size(), 2u);
  EXPECT_EQ(s.tolerations[0].op, k8s::TolerationOp::Exists);
  EXPECT_EQ(s.tolerations[0].effect, k8s::TaintEffect::NoExecute);
  EXPECT_EQ(s.tolerations[0].toleration_seconds, 30);
  EXPECT_TRUE(s.tolerations[1].key.empty());
  EXPECT_FALSE(s.tolerations[1].effect.has_value());
  const auto& na = s.affinity.node_affinity.value();
  ASSERT_TRUE(na.required.has_value());
  EXPECT_EQ(na.required->terms.at(0).match_expressions.at(0).values, std::vector<std::string>{"eu-west-1a"});
  EXPECT_EQ(na.preferred.at(0).weight, 20);
  EXPECT_EQ(na.preferred.at(0).preference.match_expressions.at(0).op, k8s::SelectorOp::Exists);
  const auto& anti = s.affinity.pod_anti_affinity.value();
  EXPECT_EQ(anti.required.at(0).topology_key, "kubernetes.io/hostname");
  EXPECT_EQ(anti.required.at(0).namespaces, std::vector<std::string>{"a"});
  EXPECT_EQ(anti.preferred.at(0).weight, 5);
  EXPECT_EQ(anti.preferred.at(0).term.label_selector.match_expressions.at(0).op, k8s::SelectorOp::In);
  const auto& tsc = s.topology_spread_constraints.at(0);
  EXPECT_EQ(tsc.min_domains, 3);
  EXPECT_TRUE(tsc.label_selector.has_value());
  const auto& c = s.containers.at(0);
  // hostNetwork defaults every hostPort to its containerPort.
  EXPECT_EQ(c.ports.at(0).host_port, 8080);
  EXPECT_EQ(c.ports.at(1).host_port, 9091);
  ASSERT_TRUE(c.readiness_probe.has_value());
  EXPECT_EQ(c.readiness_probe->initial_delay, sim::Duration::seconds(15));
  EXPECT_EQ(c.readiness_probe->period, sim::Duration::seconds(2));
  EXPECT_EQ(c.readiness_probe->success_threshold, 1);
  EXPECT_EQ(c.readiness_probe->failure_threshold, 5);
}

TEST(Manifests, InvalidTolerationsAndSelectorsAreErrors) {
  const std::string pod = R"(---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  tolerations:
    - {key: a, operator: Exists, value: b}
    - {key: c, effect: NoSchedule, tolerationSeconds: 5}
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - {labelSelector: {matchExpressions: [{key: app, operator: In}]}, topologyKey: zone}
  containers: [{name: c}]
)";
  const LoadResult r = load(kBase + pod);
  EXPECT_THAT(errors(r),
              ElementsAre(
                  // line 19 `    - {key: a, operator: Exists, value: b}`: value's b at 41.
                  "s.yaml:19:41: Pod/p.spec.tolerations[0].value: must be empty when operator is Exists",
                  "s.yaml:20:55: Pod/p.spec.tolerations[1].tolerationSeconds: tolerationSeconds needs effect NoExecute",
                  "s.yaml:24:47: Pod/p.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]."
                  "labelSelector.matchExpressions[0].values: must be specified when operator is In or NotIn"));
}

TEST(Manifests, VolumesOfPods) {
  const std::string text = R"(    volumes:
      - {id: vol-0abc, zone: eu-west-1a, sizeGiB: 10}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: ""}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv}
spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], csi: {driver: ebs.csi.aws.com, volumeHandle: vol-0abc}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c}]
  volumes:
    - {name: a, persistentVolumeClaim: {claimName: data, readOnly: true}}
    - {name: b, awsElasticBlockStore: {volumeID: "aws://eu-west-1a/vol-0abc"}}
    - {name: c, emptyDir: {}}
)";
  const Scenario s = load_ok(text);
  const auto& v = s.manifests.pods.at(0).object.spec.volumes;
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].pvc_claim_name, std::optional<std::string>("data"));
  EXPECT_TRUE(v[0].read_only);
  EXPECT_EQ(v[1].aws_ebs_volume_id, std::optional<std::string>("vol-0abc"));  // the URL form, reduced to the id
  EXPECT_EQ(v[2].name, "c");
  EXPECT_FALSE(v[2].pvc_claim_name.has_value());
  // "" is "no class", not "the default class".
  EXPECT_EQ(s.manifests.persistent_volume_claims.at(0).object.storage_class_name, std::optional<std::string>(""));
  const auto& pv = s.manifests.persistent_volumes.at(0).object;
  EXPECT_EQ(pv.reclaim_policy, k8s::ReclaimPolicy::Retain);  // hand-made PVs keep their data
  EXPECT_EQ(pv.source.type, k8s::PersistentVolumeSource::Type::Csi);
  EXPECT_EQ(pv.source.volume_id, "vol-0abc");
  EXPECT_EQ(pv.capacity_bytes, kGi);
}

TEST(Manifests, StorageClassDefaultsAndTopology) {
  const std::string text = R"(---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: gp2
  annotations: {storageclass.beta.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/aws-ebs
parameters: {type: gp2, fsType: ext4}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: zonal}
provisioner: ebs.csi.aws.com
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
allowedTopologies:
  - matchLabelExpressions: [{key: topology.ebs.csi.aws.com/zone, values: [eu-west-1a, eu-west-1b]}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: c}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
)";
  const Scenario s = load_ok(text);
  const auto& gp2 = s.manifests.storage_classes.at(0).object;
  EXPECT_EQ(gp2.reclaim_policy, k8s::ReclaimPolicy::Delete);
  EXPECT_EQ(gp2.volume_binding_mode, k8s::VolumeBindingMode::Immediate);
  EXPECT_TRUE(gp2.is_default());  // the beta annotation counts
  EXPECT_EQ(gp2.parameters.at("fsType"), "ext4");
  const auto& zonal = s.manifests.storage_classes.at(1).object;
  EXPECT_EQ(zonal.reclaim_policy, k8s::ReclaimPolicy::Retain);
  EXPECT_EQ(zonal.volume_binding_mode, k8s::VolumeBindingMode::WaitForFirstConsumer);
  EXPECT_TRUE(zonal.allow_volume_expansion);
  ASSERT_EQ(zonal.allowed_topologies.size(), 1u);
  const auto& req = zonal.allowed_topologies[0].match_expressions.at(0);
  EXPECT_EQ(req.op, k8s::SelectorOp::In);
  EXPECT_EQ(req.values, (std::vector<std::string>{"eu-west-1a", "eu-west-1b"}));
  // No storageClassName: the default class (nullopt), and it exists, so no error.
  EXPECT_FALSE(s.manifests.persistent_volume_claims.at(0).object.storage_class_name.has_value());
}

TEST(Manifests, ClaimWithoutClassNeedsADefaultClassOrAClasslessVolume) {
  const std::string pvc =
      "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\n"
      "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";
  const LoadResult r = load(kBase + pvc);
  EXPECT_THAT(errors(r),
              ElementsAre("s.yaml:17:7: PersistentVolumeClaim/c.spec: no storageClassName and no default "
                          "StorageClass: the claim would stay Pending (name a class, mark one with annotation "
                          "storageclass.kubernetes.io/is-default-class: \"true\", or add a PersistentVolume "
                          "without storageClassName)"));
}

TEST(Manifests, ClaimNamingAClassOnlyPersistentVolumesHaveIsFine) {
  // As in the Jenkins tutorial: class "manual-ebs" exists only as the PV's storageClassName.
  const std::string text = R"(    volumes:
      - {id: vol-1, zone: eu-west-1a, sizeGiB: 10}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv}
spec: {storageClassName: manual-ebs, capacity: {storage: 5Gi}, accessModes: [ReadWriteOnce], awsElasticBlockStore: {volumeID: vol-1}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: c}
spec: {storageClassName: manual-ebs, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
)";
  load_ok(text);
}

TEST(Manifests, PodDisruptionBudgets) {
  const std::string text = R"(---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: a}
spec: {minAvailable: "50%", selector: {matchLabels: {app: x}}}
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: b}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: x}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: c}
spec: {selector: {matchLabels: {app: x}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: none}
spec: {minAvailable: 1}
)";
  const LoadResult r = load(kBase + text);
  ASSERT_TRUE(r.ok()) << r.report();
  const auto& pdbs = r.scenario->manifests.pod_disruption_budgets;
  ASSERT_EQ(pdbs.size(), 3u);  // "none" selects no pods and is dropped, with a warning
  EXPECT_TRUE(pdbs[0].object.min_available->is_percent);
  EXPECT_EQ(pdbs[0].object.min_available->value, 50);
  EXPECT_FALSE(pdbs[1].object.max_unavailable->is_percent);
  EXPECT_EQ(pdbs[1].object.max_unavailable->value, 1);
  EXPECT_EQ(pdbs[2].object.min_available->value, 1);  // the API default when neither is set
  EXPECT_THAT(warnings(r),
              Contains("s.yaml:32:7: warning: PodDisruptionBudget/none.spec.selector: a missing selector in "
                       "policy/v1 selects no pods: this PodDisruptionBudget has no effect"));
}

TEST(Manifests, PdbValuesAreChecked) {
  const std::string text =
      "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: a}\n"
      "spec: {minAvailable: \"150%\", maxUnavailable: 1, selector: {matchLabels: {app: x}}}\n";
  const LoadResult r = load(kBase + text);
  EXPECT_THAT(
      errors(r),
      ElementsAre("s.yaml:17:22: PodDisruptionBudget/a.spec.minAvailable: must not be greater than 100%, got 150%",
                  "s.yaml:17:46: PodDisruptionBudget/a.spec.maxUnavailable: minAvailable and maxUnavailable "
                  "cannot both be set"));
}

TEST(Manifests, DeploymentsReplicaSetsAndServices) {
  const std::string text = R"(---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: old, namespace: jenkins}
spec:
  template:
    metadata: {labels: {app: old}}
    spec: {containers: [{name: c}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: new}
spec:
  replicas: 2
  selector: {matchLabels: {app: new}}
  strategy: {type: Recreate}
  template:
    metadata: {labels: {app: new}}
    spec: {containers: [{name: c}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  replicas: 0
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: new}, ports: [{name: sql, port: 3306}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: jenkins}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: b}
---
apiVersion: v1
kind: Secret
metadata: {name: s}
data: {password: cm9vdA==}
)";
  const LoadResult r = load(kBase + text);
  ASSERT_TRUE(r.ok()) << r.report();
  EXPECT_THAT(warnings(r), IsEmpty());
  const auto& m = r.scenario->manifests;
  const auto& old = m.deployments.at(0).object;
  EXPECT_EQ(old.meta.ns, "jenkins");
  EXPECT_EQ(old.replicas, 1);
  EXPECT_EQ(old.selector.match_labels.at("app"), "old");  // defaulted by extensions/v1beta1
  EXPECT_FALSE(old.max_surge.is_percent);                 // extensions/v1beta1: 1 and 1
  EXPECT_EQ(old.max_unavailable.value, 1);
  const auto& dep = m.deployments.at(1).object;
  EXPECT_EQ(dep.replicas, 2);
  EXPECT_EQ(dep.strategy, k8s::DeploymentStrategy::Recreate);
  EXPECT_TRUE(dep.max_surge.is_percent);  // apps/v1: 25 %
  EXPECT_EQ(dep.max_surge.value, 25);
  EXPECT_EQ(m.replica_sets.at(0).object.replicas, 0);
  const auto& svc = m.services.at(0).object;
  EXPECT_TRUE(svc.headless);
  EXPECT_EQ(svc.ports.at(0).port, 3306);
  EXPECT_EQ(m.namespaces, std::vector<std::string>{"jenkins"});
}

TEST(Manifests, ListsAreReadItemByItem) {
  const std::string text = R"(---
apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: Service, metadata: {name: a}, spec: {selector: {app: a}}}
  - {apiVersion: v1, kind: Service, metadata: {name: b}, spec: {selector: {app: b}}}
)";
  const Scenario s = load_ok(text);
  ASSERT_EQ(s.manifests.services.size(), 2u);
  EXPECT_EQ(s.manifests.services[1].object.meta.name, "b");
}

TEST(Manifests, PriorityClassesResolvePodPriorities) {
  const std::string classes = R"(---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {priorityClassName: high, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {priorityClassName: system-node-critical, containers: [{name: c}]}
)";
  const Scenario s = load_ok(classes);
  EXPECT_EQ(s.manifests.pods.at(0).object.spec.priority, 1000);
  EXPECT_EQ(s.manifests.pods.at(1).object.spec.priority, 2'000'001'000);
  // Line 32 (27 + 5) `spec: {priorityClassName: nope, ...}`: the value is at column 27.
  const LoadResult r = load(kBase + classes +
                            "---\napiVersion: v1\nkind: Pod\nmetadata: {name: c}\n"
                            "spec: {priorityClassName: nope, containers: [{name: c}]}\n");
  EXPECT_THAT(errors(r), ElementsAre("s.yaml:32:27: Pod/c.spec.priorityClassName: no PriorityClass \"nope\": the API "
                                     "server would reject the pod (add a PriorityClass manifest)"));
}

TEST(Manifests, ManifestFilesAndInlineManifests) {
  const Files files = {{"dir/m/cassandra.yaml", kCassandra}};
  const std::string text = kBase +
                           "  manifests:\n"
                           "    - file: m/cassandra.yaml\n"
                           "    - inline: {apiVersion: v1, kind: Service, metadata: {name: one}}\n"
                           "    - {apiVersion: v1, kind: Service, metadata: {name: two}}\n"
                           "    - inline:\n"
                           "        - {apiVersion: v1, kind: Service, metadata: {name: three}}\n";
  const LoadResult r = load(text, "dir/s.yaml", files);
  ASSERT_TRUE(r.ok()) << r.report();
  const auto& m = r.scenario->manifests;
  EXPECT_EQ(m.stateful_sets.size(), 1u);
  EXPECT_EQ(m.stateful_sets[0].source.file, "dir/m/cassandra.yaml");
  ASSERT_EQ(m.services.size(), 3u);
  EXPECT_EQ(m.services[0].object.meta.name, "one");
  EXPECT_EQ(m.services[2].object.meta.name, "three");
  EXPECT_EQ(m.services[0].source.at("metadata.name").line, 15);
}

TEST(Manifests, ErrorsInManifestFilesNameThatFile) {
  const Files files = {{"m.yaml", replace_first(kCassandra, "replicas: 3", "replicas: x")}};
  const LoadResult r = load(kBase + "  manifests: [m.yaml]\n", "s.yaml", files);
  EXPECT_THAT(
      errors(r),
      ElementsAre("m.yaml:13:13: StatefulSet/cassandra.spec.replicas: expected an integer, got the string \"x\""));
}

TEST(Manifests, InvalidNamesAndLabels) {
  const std::string text = "---\napiVersion: v1\nkind: Service\nmetadata: {name: My_Service, labels: {app: \"a b\"}}\n";
  const LoadResult r = load(kBase + text);
  EXPECT_THAT(
      errors(r),
      ElementsAre("s.yaml:16:18: Service.metadata.name: \"My_Service\" is not a valid Service name: use at most 63 "
                  "lower-case letters, digits, '-', starting and ending with a letter or digit",
                  "s.yaml:16:44: Service.metadata.labels.app: label value \"a b\" must be at most 63 characters of "
                  "letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
}

}  // namespace
}  // namespace azsim::scenario::testing
