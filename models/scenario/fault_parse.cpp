// spec.faults: scripted faults, each checked for the fields its action needs and allows.
#include "models/scenario/limits.hpp"
#include "models/scenario/manifest_parse.hpp"
#include "models/scenario/spec_parse.hpp"
#include "models/scenario/suggest.hpp"

namespace azsim::scenario::spec {

namespace {

enum class Target { Node, Pods, Zone, Volume, Workload, Claim };

/// What each action targets and which optional fields it takes (CONTRACT.md's list).
struct ActionSpec {
  FaultAction action;
  Target target;
  std::vector<std::string> optional;  // fields besides at, action, jitter and the target
};

const std::vector<ActionSpec>& actions() {
  static const std::vector<ActionSpec> a = {
      {FaultAction::TerminateInstance, Target::Node, {}},
      {FaultAction::StopInstance, Target::Node, {"for"}},
      {FaultAction::StartInstance, Target::Node, {}},
      {FaultAction::KubeletDown, Target::Node, {"for"}},
      {FaultAction::Cordon, Target::Node, {}},
      {FaultAction::Uncordon, Target::Node, {}},
      {FaultAction::Drain, Target::Node, {"gracePeriod", "timeout", "force"}},
      {FaultAction::DeletePod, Target::Pods, {"force", "gracePeriod"}},
      {FaultAction::OutOfServiceTaint, Target::Node, {}},
      {FaultAction::ZoneOutage, Target::Zone, {"for"}},
      {FaultAction::VolumeFailure, Target::Volume, {}},
      {FaultAction::ReadinessFailure, Target::Pods, {"for"}},
      {FaultAction::Scale, Target::Workload, {"replicas"}},
      {FaultAction::DeletePvc, Target::Claim, {}},
  };
  return a;
}

std::vector<std::string> action_names() {
  std::vector<std::string> out;
  for (const auto& a : actions()) out.push_back(to_string(a.action));
  return out;
}

const char* target_hint(Target t) {
  switch (t) {
    case Target::Node:
      return "node: {runningPod: POD} | {name: NODE} | {zone: ZONE, group: GROUP, index: I}";
    case Target::Pods:
      return "pod: NAME | {name: NAME} | {workload: statefulset/NAME} | {selector: {LABEL: VALUE}}";
    case Target::Claim:
      return "pvc: NAME | {name: NAME, namespace: NS}";
    case Target::Zone:
      return "zone: ZONE";
    case Target::Volume:
      return "volume: VOLUME-ID | {claim: PVC-NAME}";
    case Target::Workload:
      return "workload: statefulset/NAME (or deployment/NAME) and replicas: N";
  }
  return "";
}

}  // namespace

std::optional<NodeTarget> read_node_target(const Field& f) {
  NodeTarget t;
  if (f.is_scalar()) {  // node: NAME
    auto n = f.str();
    if (!n) return std::nullopt;
    t.by = NodeTarget::By::Name;
    t.name = *n;
    return t;
  }
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"runningPod", "name", "zone", "group", "index", "namespace"}, UnknownKeys::Error);
  const bool by_index = f.has("zone") || f.has("group");
  const int forms = (f.has("runningPod") ? 1 : 0) + (f.has("name") ? 1 : 0) + (by_index ? 1 : 0);
  if (forms != 1) {
    f.error(forms == 0 ? "a node target is {runningPod: POD}, {name: NODE} or {zone: ZONE, group: GROUP, index: I}"
                       : "give only one of runningPod, name, or zone/group with index");
    return std::nullopt;
  }
  if (f.has("index") && !by_index) f["index"].error("index goes with zone or group");
  if (f.has("namespace") && !f.has("runningPod")) f["namespace"].error("namespace goes with runningPod");
  if (f.has("runningPod")) {
    auto p = f["runningPod"].str();
    if (!p) return std::nullopt;
    t.by = NodeTarget::By::RunningPod;
    t.pod = *p;
    if (auto ns = f["namespace"].str()) t.pod_ns = *ns;
  } else if (f.has("name")) {
    auto n = f["name"].str();
    if (!n) return std::nullopt;
    t.by = NodeTarget::By::Name;
    t.name = *n;
  } else {
    t.by = NodeTarget::By::Index;
    if (auto z = f["zone"].str()) t.zone = *z;
    if (auto g = f["group"].str()) t.group = *g;
    if (auto i = f["index"].int32(0))
      t.index = *i;
    else if (f.has("index"))
      return std::nullopt;
    if (t.zone.empty() && t.group.empty()) return std::nullopt;
  }
  return t;
}

namespace {

std::optional<VolumeTarget> read_volume_target(const Field& f) {
  VolumeTarget v;
  if (f.is_scalar()) {
    auto id = f.str();
    if (!id) return std::nullopt;
    v.id = *id;
    return v;
  }
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"id", "claim", "namespace"}, UnknownKeys::Error);
  if (f.has("id") == f.has("claim")) {
    f.error("a volume target is {id: VOLUME-ID} or {claim: PVC-NAME}");
    return std::nullopt;
  }
  if (f.has("namespace") && !f.has("claim")) f["namespace"].error("namespace goes with claim");
  if (auto id = f["id"].str()) v.id = *id;
  if (auto c = f["claim"].str()) v.claim = *c;
  if (auto ns = f["namespace"].str()) v.claim_ns = *ns;
  if (v.id.empty() && v.claim.empty()) return std::nullopt;
  return v;
}

std::optional<ClaimRef> read_claim_ref(const Field& f) {
  ClaimRef c;
  if (f.is_scalar()) {
    auto n = f.str();
    if (!n) return std::nullopt;
    c.name = *n;
    return c;
  }
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"name", "namespace"}, UnknownKeys::Error);
  if (auto n = f["name"].str())
    c.name = *n;
  else {
    f["name"].require();
    return std::nullopt;
  }
  if (auto ns = f["namespace"].str()) c.ns = *ns;
  return c;
}

std::optional<k8s::LabelSelector> read_selector(const Field& f) {
  if (!f.expect_map()) return std::nullopt;
  if (f.has("matchLabels") || f.has("matchExpressions")) return manifest::read_label_selector(f);
  k8s::LabelSelector s;
  s.match_labels = manifest::read_string_map(f, true);
  if (s.empty()) {
    f.error("an empty selector would match every pod");
    return std::nullopt;
  }
  return s;
}

/// The pods of a pod fault: `pod: NAME`, `pod: {name | workload | selector, namespace}`, or
/// the same forms as the fault's own `workload:` / `selector:` / `namespace:` fields.
std::optional<PodTarget> read_pod_target(const Field& f, const std::string& act) {
  const Field pod = f["pod"];
  const bool pod_map = pod.is_map();
  if (pod_map) pod.check_keys({"name", "workload", "selector", "namespace"}, UnknownKeys::Error);
  const Field holder = pod_map ? pod : f;  // where workload / selector / namespace are read
  const Field name = pod_map ? pod["name"] : pod;
  const int forms = (name.present() ? 1 : 0) + (holder.has("workload") ? 1 : 0) + (holder.has("selector") ? 1 : 0) +
                    (pod_map && (f.has("workload") || f.has("selector")) ? 1 : 0);
  if (forms == 0) {
    (pod_map ? pod : f).error(act + " needs " + target_hint(Target::Pods));
    return std::nullopt;
  }
  if (forms > 1) {
    (pod_map ? pod : f).error("give only one of name, workload or selector");
    return std::nullopt;
  }
  PodTarget p;
  p.ns = holder["namespace"].str().value_or("");
  if (pod_map && f.has("namespace")) {
    if (holder.has("namespace"))
      f["namespace"].error("namespace is given twice");
    else
      p.ns = f["namespace"].str().value_or("");
  }
  if (name.present()) {
    auto n = name.str();
    if (!n) return std::nullopt;
    p.by = PodTarget::By::Name;
    p.name = *n;
  } else if (holder.has("workload")) {
    auto w = read_workload_ref(holder["workload"], true);
    if (!w) return std::nullopt;
    w->ns = p.ns;
    p.by = PodTarget::By::Workload;
    p.workload = *w;
  } else {
    auto sel = read_selector(holder["selector"]);
    if (!sel) return std::nullopt;
    p.by = PodTarget::By::Selector;
    p.selector = *sel;
  }
  return p;
}

void read_fault(const Field& f, Fault& out) {
  f.check_keys({"at", "action", "node", "pod", "workload", "selector", "namespace", "zone", "volume", "pvc", "for",
                "force", "gracePeriod", "timeout", "replicas", "jitter"},
               UnknownKeys::Error);
  out.path = f.path();
  if (auto at = f["at"].duration())
    out.at = *at;
  else if (!f["at"].present())
    f["at"].require("when the fault happens, counted from the time the cluster is ready (e.g. 10m)");
  if (auto j = f["jitter"].duration()) out.jitter = *j;

  const Field action = f["action"];
  auto name = action.str();
  if (!name) {
    action.require("one of " + one_of(action_names()));
    return;
  }
  const ActionSpec* spec = nullptr;
  for (const auto& a : actions())
    if (*name == to_string(a.action)) spec = &a;
  if (spec == nullptr) {
    action.error("unknown action \"" + *name + "\"" + did_you_mean(*name, action_names()) + "; actions are " +
                 one_of(action_names()));
    return;
  }
  out.action = spec->action;
  const std::string act = *name;

  // Fields this action does not use are mistakes: report each where it is written.
  auto allowed = [&](const std::string& key) {
    for (const auto& o : spec->optional)
      if (o == key) return true;
    return false;
  };
  for (const char* key : {"for", "force", "gracePeriod", "timeout", "replicas"})
    if (f.has(key) && !allowed(key)) f[key].error("not used by action " + act);
  const bool wants_node = spec->target == Target::Node, wants_pods = spec->target == Target::Pods;
  const bool wants_zone = spec->target == Target::Zone, wants_volume = spec->target == Target::Volume;
  const bool wants_workload = wants_pods || spec->target == Target::Workload;
  const bool wants_claim = spec->target == Target::Claim;
  if (f.has("node") && !wants_node) f["node"].error("not used by action " + act);
  if (f.has("pod") && !wants_pods) f["pod"].error("not used by action " + act);
  if (f.has("selector") && !wants_pods) f["selector"].error("not used by action " + act);
  if (f.has("workload") && !wants_workload) f["workload"].error("not used by action " + act);
  if (f.has("zone") && !wants_zone) f["zone"].error("not used by action " + act);
  if (f.has("volume") && !wants_volume) f["volume"].error("not used by action " + act);
  if (f.has("pvc") && !wants_claim) f["pvc"].error("not used by action " + act);
  if (f.has("namespace") && !wants_workload && !wants_claim) f["namespace"].error("not used by action " + act);

  const std::string ns = f["namespace"].str().value_or("");
  switch (spec->target) {
    case Target::Node:
      if (!f.has("node"))
        f.error(act + " needs " + target_hint(spec->target));
      else
        out.node = read_node_target(f["node"]);
      break;
    case Target::Zone:
      if (auto z = f["zone"].str())
        out.zone = *z;
      else if (!f.has("zone"))
        f.error(act + " needs " + target_hint(spec->target));
      break;
    case Target::Volume:
      if (!f.has("volume"))
        f.error(act + " needs " + target_hint(spec->target));
      else
        out.volume = read_volume_target(f["volume"]);
      break;
    case Target::Workload:
      if (auto w = read_workload_ref(f["workload"], true)) {
        w->ns = ns;
        out.workload = *w;
      } else if (!f.has("workload")) {
        f.error(act + " needs " + target_hint(spec->target));
      }
      if (auto r = f["replicas"].int32(0, limits::kMaxReplicas, "azsim's limit on replicas"))
        out.replicas = *r;
      else if (!f.has("replicas"))
        f["replicas"].require("the number of replicas to scale to");
      break;
    case Target::Claim:
      if (!f.has("pvc"))
        f.error(act + " needs " + target_hint(spec->target));
      else
        out.pvc = read_claim_ref(f["pvc"]);
      if (out.pvc && out.pvc->ns.empty()) out.pvc->ns = ns;
      break;
    case Target::Pods:
      out.pods = read_pod_target(f, act);
      break;
  }

  if (allowed("for") && f.has("for")) {
    if (auto d = f["for"].duration()) {
      if (*d <= sim::Duration::zero())
        f["for"].error("must be greater than 0");
      else
        out.for_ = *d;
    }
  }
  if (allowed("force")) out.force = f["force"].boolean().value_or(false);
  if (allowed("gracePeriod")) {
    if (auto g = f["gracePeriod"].duration()) out.grace_period = *g;
  }
  if (allowed("timeout")) {
    if (auto t = f["timeout"].duration()) {
      if (*t <= sim::Duration::zero())
        f["timeout"].error("must be greater than 0");
      else
        out.timeout = *t;
    }
  }
  if (out.force && out.grace_period && out.action == FaultAction::DeletePod &&
      *out.grace_period > sim::Duration::zero())
    f["gracePeriod"].error("force deletes at once: gracePeriod must be 0 or left out with force: true");
}

}  // namespace

void read_faults(const Field& f, std::vector<Fault>& out) {
  const auto items = f.items();
  if (static_cast<std::int32_t>(items.size()) > limits::kMaxFaults) {
    f.error("at most " + std::to_string(limits::kMaxFaults) + " faults");
    return;
  }
  for (const auto& item : items) {
    if (!item.expect_map()) continue;
    Fault fault;
    read_fault(item, fault);
    out.push_back(std::move(fault));
  }
}

}  // namespace azsim::scenario::spec
