// Pod templates and pod specs: everything that decides where a pod can run and how long it
// takes to become Ready.
#include "models/k8s/quantity.hpp"
#include "models/scenario/limits.hpp"
#include "models/scenario/manifest_parse.hpp"

namespace azsim::scenario::manifest {

namespace {

// Field lists of the Kubernetes API (1.29-1.33): known but not modelled fields are accepted.
const std::vector<std::string> kPodSpecFields = {"volumes",
                                                 "initContainers",
                                                 "containers",
                                                 "ephemeralContainers",
                                                 "restartPolicy",
                                                 "terminationGracePeriodSeconds",
                                                 "activeDeadlineSeconds",
                                                 "dnsPolicy",
                                                 "nodeSelector",
                                                 "serviceAccountName",
                                                 "serviceAccount",
                                                 "automountServiceAccountToken",
                                                 "nodeName",
                                                 "hostNetwork",
                                                 "hostPID",
                                                 "hostIPC",
                                                 "shareProcessNamespace",
                                                 "securityContext",
                                                 "imagePullSecrets",
                                                 "hostname",
                                                 "subdomain",
                                                 "affinity",
                                                 "schedulerName",
                                                 "tolerations",
                                                 "hostAliases",
                                                 "priorityClassName",
                                                 "priority",
                                                 "dnsConfig",
                                                 "readinessGates",
                                                 "runtimeClassName",
                                                 "enableServiceLinks",
                                                 "preemptionPolicy",
                                                 "overhead",
                                                 "topologySpreadConstraints",
                                                 "setHostnameAsFQDN",
                                                 "os",
                                                 "hostUsers",
                                                 "schedulingGates",
                                                 "resourceClaims",
                                                 "resources"};
const std::vector<std::string> kContainerFields = {"name",
                                                   "image",
                                                   "command",
                                                   "args",
                                                   "workingDir",
                                                   "ports",
                                                   "envFrom",
                                                   "env",
                                                   "resources",
                                                   "resizePolicy",
                                                   "restartPolicy",
                                                   "volumeMounts",
                                                   "volumeDevices",
                                                   "livenessProbe",
                                                   "readinessProbe",
                                                   "startupProbe",
                                                   "lifecycle",
                                                   "terminationMessagePath",
                                                   "terminationMessagePolicy",
                                                   "imagePullPolicy",
                                                   "securityContext",
                                                   "stdin",
                                                   "stdinOnce",
                                                   "tty"};
const std::vector<std::string> kProbeFields = {"exec",
                                               "httpGet",
                                               "tcpSocket",
                                               "grpc",
                                               "initialDelaySeconds",
                                               "timeoutSeconds",
                                               "periodSeconds",
                                               "successThreshold",
                                               "failureThreshold",
                                               "terminationGracePeriodSeconds"};
const std::vector<std::string> kVolumeSources = {"hostPath",
                                                 "emptyDir",
                                                 "gcePersistentDisk",
                                                 "awsElasticBlockStore",
                                                 "gitRepo",
                                                 "secret",
                                                 "nfs",
                                                 "iscsi",
                                                 "glusterfs",
                                                 "persistentVolumeClaim",
                                                 "rbd",
                                                 "flexVolume",
                                                 "cinder",
                                                 "cephfs",
                                                 "flocker",
                                                 "downwardAPI",
                                                 "fc",
                                                 "azureFile",
                                                 "configMap",
                                                 "vsphereVolume",
                                                 "quobyte",
                                                 "azureDisk",
                                                 "photonPersistentDisk",
                                                 "projected",
                                                 "portworxVolume",
                                                 "scaleIO",
                                                 "storageos",
                                                 "csi",
                                                 "ephemeral",
                                                 "image"};

/// Reads a resource list (requests or limits) into `r`; returns which resources were set.
struct ResourceSet {
  bool cpu = false, memory = false, ephemeral = false;
};

ResourceSet read_resource_list(const Field& f, k8s::Resources& r) {
  ResourceSet set;
  for (const auto& [name, v] : f.entries()) {
    if (!v.present()) continue;
    // A quantity may be written as a number (cpu: 1, cpu: 0.5) or a string ("500m", "1Gi").
    auto text = v.str_or_number();
    if (!text) continue;
    const bool known = name == "cpu" || name == "memory" || name == "ephemeral-storage";
    const auto q = k8s::parse_quantity(*text);
    if (!q.ok) {
      v.error(q.error);
      continue;
    }
    if (q.milli < 0) {
      v.error("must be greater than or equal to 0, got " + *text);
      continue;
    }
    if (name == "cpu") {
      r.milli_cpu = k8s::milli_to_millicores(q.milli);
      set.cpu = true;
    } else if (name == "memory") {
      r.memory = k8s::milli_to_units(q.milli);
      set.memory = true;
    } else if (name == "ephemeral-storage") {
      r.ephemeral_storage = k8s::milli_to_units(q.milli);
      set.ephemeral = true;
    }
    if (!known && name.rfind("hugepages-", 0) != 0 && name != "pods")
      v.warning("resource \"" + name + "\" is not modelled by azsim: nodes are not checked for it");
  }
  return set;
}

void read_resources(const Field& f, k8s::Container& c) {
  if (!f.expect_map()) return;
  f.check_keys({"limits", "requests", "claims"}, UnknownKeys::Warn);
  const ResourceSet req = read_resource_list(f["requests"], c.requests);
  const ResourceSet lim = read_resource_list(f["limits"], c.limits);
  // API defaulting: a resource with a limit but no request requests its limit.
  if (lim.cpu && !req.cpu) c.requests.milli_cpu = c.limits.milli_cpu;
  if (lim.memory && !req.memory) c.requests.memory = c.limits.memory;
  if (lim.ephemeral && !req.ephemeral) c.requests.ephemeral_storage = c.limits.ephemeral_storage;
  auto over = [&](bool both, std::int64_t rq, std::int64_t lm, const char* name) {
    if (both && rq > lm) f["requests"][name].error(std::string("must be less than or equal to the ") + name + " limit");
  };
  over(req.cpu && lim.cpu, c.requests.milli_cpu, c.limits.milli_cpu, "cpu");
  over(req.memory && lim.memory, c.requests.memory, c.limits.memory, "memory");
  over(req.ephemeral && lim.ephemeral, c.requests.ephemeral_storage, c.limits.ephemeral_storage, "ephemeral-storage");
}

std::optional<k8s::Probe> read_probe(const Field& f) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys(kProbeFields, UnknownKeys::Warn);
  k8s::Probe p;
  if (auto v = f["initialDelaySeconds"].int32(0)) p.initial_delay = sim::Duration::seconds(*v);
  if (auto v = f["periodSeconds"].int32(1)) p.period = sim::Duration::seconds(*v);
  if (auto v = f["successThreshold"].int32(1)) p.success_threshold = *v;
  if (auto v = f["failureThreshold"].int32(1)) p.failure_threshold = *v;
  return p;
}

k8s::Container read_container(const Field& f, bool host_network, bool init) {
  k8s::Container c;
  if (!f.expect_map()) return c;
  f.check_keys(kContainerFields, UnknownKeys::Warn);
  if (auto n = f["name"].str())
    c.name = *n;
  else
    f["name"].require();
  if (auto img = f["image"].str()) c.image = *img;
  read_resources(f["resources"], c);
  for (const auto& p : f["ports"].items()) {
    if (!p.expect_map()) continue;
    p.check_keys({"name", "hostPort", "containerPort", "protocol", "hostIP"}, UnknownKeys::Warn);
    k8s::ContainerPort port;
    if (auto v = p["containerPort"].int32(1, 65535))
      port.container_port = *v;
    else
      p["containerPort"].require();
    if (auto v = p["hostPort"].int32(0, 65535)) port.host_port = *v;
    if (auto v = p["protocol"].one_of({"TCP", "UDP", "SCTP"})) port.protocol = *v;
    if (auto v = p["hostIP"].str()) port.host_ip = *v;
    // With hostNetwork the API server defaults every hostPort to its containerPort.
    if (host_network && port.host_port == 0) port.host_port = port.container_port;
    c.ports.push_back(port);
  }
  if (f["readinessProbe"].present()) c.readiness_probe = read_probe(f["readinessProbe"]);
  if (init) {
    if (auto rp = f["restartPolicy"].str(); rp && *rp == "Always")
      f["restartPolicy"].warning(
          "sidecar containers (init containers with restartPolicy Always) are simulated as ordinary init "
          "containers: their requests are not added to the pod's for its whole life");
  }
  return c;
}

k8s::PodVolume read_volume(const Field& f) {
  k8s::PodVolume v;
  if (!f.expect_map()) return v;
  std::vector<std::string> known = kVolumeSources;
  known.push_back("name");
  f.check_keys(known, UnknownKeys::Warn);
  if (auto n = f["name"].str())
    v.name = *n;
  else
    f["name"].require();
  if (const Field pvc = f["persistentVolumeClaim"]; pvc.expect_map()) {
    pvc.check_keys({"claimName", "readOnly"}, UnknownKeys::Warn);
    if (auto c = pvc["claimName"].str())
      v.pvc_claim_name = *c;
    else
      pvc["claimName"].require();
    if (auto ro = pvc["readOnly"].boolean()) v.read_only = *ro;
  }
  if (const Field ebs = f["awsElasticBlockStore"]; ebs.expect_map()) {
    ebs.check_keys({"volumeID", "fsType", "partition", "readOnly"}, UnknownKeys::Warn);
    if (auto id = ebs["volumeID"].str())
      v.aws_ebs_volume_id = ebs_volume_id(*id, &v.aws_ebs_zone);
    else
      ebs["volumeID"].require();
    if (auto ro = ebs["readOnly"].boolean()) v.read_only = *ro;
  }
  if (f["ephemeral"].present())
    f["ephemeral"].warning("generic ephemeral volumes are not modelled: no claim is created for this volume");
  return v;
}

k8s::PodAffinityTerm read_affinity_term(const Field& f) {
  k8s::PodAffinityTerm t;
  if (!f.expect_map()) return t;
  f.check_keys(
      {"labelSelector", "namespaces", "topologyKey", "namespaceSelector", "matchLabelKeys", "mismatchLabelKeys"},
      UnknownKeys::Warn);
  if (f["labelSelector"].present()) {
    t.label_selector = read_label_selector(f["labelSelector"]);
  } else {
    // Kubernetes turns a missing selector into labels.Nothing(): the term matches no pod.
    // A requirement on the empty key (which no label can have) says exactly that.
    f.warning("a pod affinity term without labelSelector matches no pods");
    t.label_selector.match_expressions.push_back(k8s::Requirement{"", k8s::SelectorOp::Exists, {}});
  }
  if (auto ns = f["namespaces"].str_list()) t.namespaces = *ns;
  if (f["namespaceSelector"].present()) t.namespace_selector = read_label_selector(f["namespaceSelector"]);
  if (auto k = f["topologyKey"].str(); k && !k->empty())
    t.topology_key = *k;
  else if (!k)
    f["topologyKey"].require("e.g. kubernetes.io/hostname or topology.kubernetes.io/zone");
  else
    f["topologyKey"].error("must not be empty");
  return t;
}

k8s::PodAffinity read_pod_affinity(const Field& f) {
  k8s::PodAffinity a;
  if (!f.expect_map()) return a;
  f.check_keys({"requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"},
               UnknownKeys::Warn);
  for (const auto& t : f["requiredDuringSchedulingIgnoredDuringExecution"].items())
    a.required.push_back(read_affinity_term(t));
  for (const auto& w : f["preferredDuringSchedulingIgnoredDuringExecution"].items()) {
    if (!w.expect_map()) continue;
    w.check_keys({"weight", "podAffinityTerm"}, UnknownKeys::Warn);
    k8s::WeightedPodAffinityTerm wt;
    if (auto v = w["weight"].int32(1, 100))
      wt.weight = *v;
    else
      w["weight"].require();
    if (w["podAffinityTerm"].require()) wt.term = read_affinity_term(w["podAffinityTerm"]);
    a.preferred.push_back(wt);
  }
  return a;
}

k8s::Affinity read_affinity(const Field& f) {
  k8s::Affinity a;
  if (!f.expect_map()) return a;
  f.check_keys({"nodeAffinity", "podAffinity", "podAntiAffinity"}, UnknownKeys::Warn);
  if (const Field na = f["nodeAffinity"]; na.expect_map()) {
    na.check_keys({"requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"},
                  UnknownKeys::Warn);
    k8s::NodeAffinity n;
    if (na["requiredDuringSchedulingIgnoredDuringExecution"].present())
      n.required = read_node_selector(na["requiredDuringSchedulingIgnoredDuringExecution"]);
    for (const auto& p : na["preferredDuringSchedulingIgnoredDuringExecution"].items()) {
      if (!p.expect_map()) continue;
      p.check_keys({"weight", "preference"}, UnknownKeys::Warn);
      k8s::PreferredSchedulingTerm pt;
      if (auto v = p["weight"].int32(1, 100))
        pt.weight = *v;
      else
        p["weight"].require();
      if (p["preference"].require()) pt.preference = read_node_selector_term(p["preference"]);
      n.preferred.push_back(pt);
    }
    a.node_affinity = n;
  }
  if (f["podAffinity"].present()) a.pod_affinity = read_pod_affinity(f["podAffinity"]);
  if (f["podAntiAffinity"].present()) a.pod_anti_affinity = read_pod_affinity(f["podAntiAffinity"]);
  return a;
}

std::optional<k8s::TaintEffect> read_effect(const Field& f) {
  auto e = f.one_of({"NoSchedule", "PreferNoSchedule", "NoExecute"});
  if (!e) return std::nullopt;
  if (*e == "NoSchedule") return k8s::TaintEffect::NoSchedule;
  if (*e == "PreferNoSchedule") return k8s::TaintEffect::PreferNoSchedule;
  return k8s::TaintEffect::NoExecute;
}

std::optional<k8s::Toleration> read_toleration(const Field& f) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"key", "operator", "value", "effect", "tolerationSeconds"}, UnknownKeys::Warn);
  k8s::Toleration t;
  if (auto k = f["key"].str()) t.key = *k;
  if (f["operator"].present()) {
    auto op = f["operator"].one_of({"Equal", "Exists"});
    if (!op) return std::nullopt;
    t.op = *op == "Exists" ? k8s::TolerationOp::Exists : k8s::TolerationOp::Equal;
  }
  if (auto v = f["value"].str()) t.value = *v;
  if (t.op == k8s::TolerationOp::Exists && !t.value.empty()) {
    f["value"].error("must be empty when operator is Exists");
    return std::nullopt;
  }
  if (t.key.empty() && t.op != k8s::TolerationOp::Exists) {
    f["operator"].error("must be Exists when key is empty (a toleration of every taint)");
    return std::nullopt;
  }
  if (const Field e = f["effect"]; e.present()) {
    // effect "" means "all effects", the same as leaving it out.
    if (!(e.node()->is_scalar() && e.node()->text.empty())) {
      auto eff = read_effect(e);
      if (!eff) return std::nullopt;
      t.effect = *eff;
    }
  }
  if (const Field s = f["tolerationSeconds"]; s.present()) {
    auto v = s.integer(-9'223'372'036LL, 9'223'372'036LL);  // seconds that fit a Duration
    if (!v) return std::nullopt;
    if (t.effect != k8s::TaintEffect::NoExecute) {
      s.error("tolerationSeconds needs effect NoExecute");
      return std::nullopt;
    }
    t.toleration_seconds = *v;
  }
  return t;
}

std::optional<k8s::TopologySpreadConstraint> read_spread(const Field& f) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector", "minDomains", "nodeAffinityPolicy",
                "nodeTaintsPolicy", "matchLabelKeys"},
               UnknownKeys::Warn);
  k8s::TopologySpreadConstraint c;
  bool ok = true;
  if (auto v = f["maxSkew"].int32(1)) {
    c.max_skew = *v;
  } else {
    f["maxSkew"].require();
    ok = false;
  }
  if (auto k = f["topologyKey"].str(); k && !k->empty()) {
    c.topology_key = *k;
  } else {
    if (k)
      f["topologyKey"].error("must not be empty");
    else
      f["topologyKey"].require();
    ok = false;
  }
  if (auto w = f["whenUnsatisfiable"].one_of({"DoNotSchedule", "ScheduleAnyway"})) {
    c.when_unsatisfiable = *w == "DoNotSchedule" ? k8s::UnsatisfiableConstraintAction::DoNotSchedule
                                                 : k8s::UnsatisfiableConstraintAction::ScheduleAnyway;
  } else {
    f["whenUnsatisfiable"].require();
    ok = false;
  }
  if (f["labelSelector"].present()) c.label_selector = read_label_selector(f["labelSelector"]);
  if (const Field md = f["minDomains"]; md.present()) {
    if (auto v = md.int32(1)) {
      if (c.when_unsatisfiable != k8s::UnsatisfiableConstraintAction::DoNotSchedule)
        md.error("minDomains needs whenUnsatisfiable DoNotSchedule");
      else
        c.min_domains = *v;
    }
  }
  auto policy = [&](const char* key, k8s::NodeInclusionPolicy& out) {
    if (auto p = f[key].one_of({"Honor", "Ignore"}))
      out = *p == "Honor" ? k8s::NodeInclusionPolicy::Honor : k8s::NodeInclusionPolicy::Ignore;
  };
  policy("nodeAffinityPolicy", c.node_affinity_policy);
  policy("nodeTaintsPolicy", c.node_taints_policy);
  if (auto keys = f["matchLabelKeys"].str_list()) c.match_label_keys = *keys;
  if (!ok) return std::nullopt;
  return c;
}

}  // namespace

k8s::PodSpec read_pod_spec(const Field& f) {
  k8s::PodSpec s;
  if (!f.require() || !f.expect_map()) return s;
  f.check_keys(kPodSpecFields, UnknownKeys::Warn);
  const bool host_network = f["hostNetwork"].boolean().value_or(false);
  if (auto n = f["nodeName"].str()) s.node_name = *n;
  s.node_selector = read_string_map(f["nodeSelector"], false);
  if (f["affinity"].present()) s.affinity = read_affinity(f["affinity"]);
  for (const auto& t : f["tolerations"].items())
    if (auto tol = read_toleration(t)) s.tolerations.push_back(*tol);
  for (const auto& c : f["topologySpreadConstraints"].items())
    if (auto tsc = read_spread(c)) s.topology_spread_constraints.push_back(*tsc);
  const Field containers = f["containers"];
  for (const auto& c : containers.items()) s.containers.push_back(read_container(c, host_network, false));
  if (!containers.present())
    containers.require("a pod needs at least one container");
  else if (containers.is_seq() && s.containers.empty())
    containers.error("a pod needs at least one container");
  for (const auto& c : f["initContainers"].items()) s.init_containers.push_back(read_container(c, host_network, true));
  for (const auto& v : f["volumes"].items()) s.volumes.push_back(read_volume(v));
  if (auto p = f["priority"].int32(-2147483647 - 1)) s.priority = *p;
  if (auto p = f["priorityClassName"].str()) s.priority_class_name = *p;
  if (auto p = f["schedulerName"].str()) s.scheduler_name = *p;
  // Seconds up to azsim's longest run; larger values would overflow microseconds.
  if (auto g = f["terminationGracePeriodSeconds"].integer(0, 100LL * 365 * 86400, "100 years, azsim's longest run"))
    s.termination_grace_period = sim::Duration::seconds(*g);
  if (auto h = f["hostname"].str()) s.hostname = *h;
  if (auto d = f["subdomain"].str()) s.subdomain = *d;
  if (const Field o = f["overhead"]; o.expect_map()) {
    k8s::Container tmp;
    read_resource_list(o, tmp.requests);
    s.overhead = tmp.requests;
  }
  if (f["schedulingGates"].is_seq() && !f["schedulingGates"].node()->items.empty())
    f["schedulingGates"].warning("scheduling gates are not modelled: the pod is scheduled as if it had none");
  if (f["resourceClaims"].present())
    f["resourceClaims"].warning("dynamic resource claims are not modelled and are ignored");
  return s;
}

k8s::PodTemplate read_pod_template(const Field& f, const std::string& ns) {
  k8s::PodTemplate t;
  if (!f.require() || !f.expect_map()) return t;
  f.check_keys({"metadata", "spec"}, UnknownKeys::Warn);
  t.meta.ns = ns;
  if (const Field m = f["metadata"]; m.expect_map()) {
    m.check_keys({"name", "generateName", "namespace", "labels", "annotations", "finalizers", "ownerReferences",
                  "creationTimestamp", "uid", "resourceVersion", "generation", "selfLink", "managedFields",
                  "deletionTimestamp", "deletionGracePeriodSeconds", "clusterName"},
                 UnknownKeys::Warn);
    t.meta.labels = read_string_map(m["labels"], true);
    t.meta.annotations = read_string_map(m["annotations"], false);
  }
  t.spec = read_pod_spec(f["spec"]);
  return t;
}

}  // namespace azsim::scenario::manifest
