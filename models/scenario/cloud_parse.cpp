// spec.cloud: region, zones, node groups (Auto Scaling groups), hand-made EBS volumes, and
// every cloud::CloudParams field as a camelCase key.
#include "models/scenario/limits.hpp"
#include "models/scenario/manifest_parse.hpp"
#include "models/scenario/spec_parse.hpp"

namespace azsim::scenario::spec {

namespace {

const char* kNodesNote = "azsim's limit on nodes";

std::optional<cloud::AzDistribution> read_az_distribution(const Field& f) {
  auto s = f.one_of({"balanced-best-effort", "balanced-only"});
  if (!s) return std::nullopt;
  return *s == "balanced-only" ? cloud::AzDistribution::BalancedOnly : cloud::AzDistribution::BalancedBestEffort;
}

std::optional<cloud::AzTieBreak> read_az_tie_break(const Field& f) {
  auto s = f.one_of({"zone-order", "random"});
  if (!s) return std::nullopt;
  return *s == "random" ? cloud::AzTieBreak::Random : cloud::AzTieBreak::ZoneOrder;
}

void read_reservation(const Field& f, NodeGroup& g) {
  if (f.is_scalar()) {
    if (auto r = f.one_of({"eks", "none"}))
      g.kubelet_reservation = *r == "none" ? cloud::KubeletReservation::none() : cloud::KubeletReservation{};
    return;
  }
  if (!f.expect_map()) return;
  // Explicit figures, starting from the EKS AMI's.
  f.check_keys({"memoryBaseMiB", "memoryPerPodMiB", "evictionHardMiB", "kernelReservedMiB", "cpuLadder"},
               UnknownKeys::Error);
  cloud::KubeletReservation r;
  if (auto v = f["memoryBaseMiB"].integer(0, 1 << 20)) r.memory_base_mib = *v;
  if (auto v = f["memoryPerPodMiB"].integer(0, 1 << 20)) r.memory_per_pod_mib = *v;
  if (auto v = f["evictionHardMiB"].integer(0, 1 << 20)) r.eviction_hard_mib = *v;
  if (auto v = f["kernelReservedMiB"].integer(0, 1 << 20)) r.kernel_reserved_mib = *v;
  if (auto v = f["cpuLadder"].boolean()) r.cpu_ladder = *v;
  g.kubelet_reservation = r;
}

void read_node_group(const Field& f, NodeGroup& g) {
  f.check_keys({"name", "instanceType", "zones", "desiredCapacity", "minSize", "maxSize", "labels", "taints", "maxPods",
                "kubeletReservation", "healthCheckGracePeriod", "azDistribution", "azTieBreak", "initialPlacement"},
               UnknownKeys::Error);
  g.path = f.path();
  if (auto n = f["name"].str())
    g.name = *n;
  else
    f["name"].require();
  if (auto t = f["instanceType"].str())
    g.instance_type = *t;
  else
    f["instanceType"].require("an EC2 instance type such as t3.small");
  if (auto z = f["zones"].str_list()) {
    if (z->empty())
      f["zones"].error("an empty list: name the group's zones, or leave zones out for all of the cloud's");
    else
      g.zones = *z;
  }
  const auto desired = f["desiredCapacity"].int32(0, static_cast<std::int32_t>(limits::kMaxNodes), kNodesNote);
  const auto min = f["minSize"].int32(0, static_cast<std::int32_t>(limits::kMaxNodes), kNodesNote);
  const auto max = f["maxSize"].int32(0, static_cast<std::int32_t>(limits::kMaxNodes), kNodesNote);
  if (!desired && !f["desiredCapacity"].present())
    f["desiredCapacity"].require("the number of nodes the group starts with");
  // As eksctl does: minSize and maxSize default to desiredCapacity.
  g.desired_capacity = desired.value_or(0);
  g.min_size = min.value_or(g.desired_capacity);
  g.max_size = max.value_or(std::max(g.desired_capacity, g.min_size));
  if (desired && min && max) {
    if (*min > *max)
      f["minSize"].error("minSize " + std::to_string(*min) + " is greater than maxSize " + std::to_string(*max));
    else if (*desired < *min || *desired > *max)
      f["desiredCapacity"].error("must be between minSize " + std::to_string(*min) + " and maxSize " +
                                 std::to_string(*max) + ", got " + std::to_string(*desired));
  } else if (desired && min && *desired < *min) {
    f["desiredCapacity"].error("must not be less than minSize " + std::to_string(*min));
  } else if (desired && max && *desired > *max) {
    f["desiredCapacity"].error("must not be greater than maxSize " + std::to_string(*max));
  } else if (min && max && *min > *max) {
    f["minSize"].error("minSize " + std::to_string(*min) + " is greater than maxSize " + std::to_string(*max));
  }
  g.labels = manifest::read_string_map(f["labels"], true);
  g.taints = read_taints(f["taints"]);
  if (auto p = f["maxPods"].int32(1, limits::kMaxPodsPerNode, "azsim's limit on pods per node")) g.max_pods = *p;
  if (f["kubeletReservation"].present()) read_reservation(f["kubeletReservation"], g);
  if (auto d = f["healthCheckGracePeriod"].duration()) g.health_check_grace_period = *d;
  if (auto a = read_az_distribution(f["azDistribution"])) g.az_distribution = *a;
  if (auto t = read_az_tie_break(f["azTieBreak"])) g.az_tie_break = *t;
  if (const Field ip = f["initialPlacement"]; ip.present()) {
    std::int64_t sum = 0;
    for (const auto& [zone, n] : ip.entries()) {
      auto count = n.int32(0, static_cast<std::int32_t>(limits::kMaxNodes), kNodesNote);
      if (!count) continue;
      sum += *count;
      g.initial_placement.emplace_back(zone, *count);
    }
    if (ip.is_map() && desired && sum != *desired)
      ip.error("places " + std::to_string(sum) + " instance(s) but desiredCapacity is " + std::to_string(*desired));
  }
}

void read_volume(const Field& f, DeclaredVolume& v) {
  f.check_keys({"id", "zone", "sizeGiB", "type"}, UnknownKeys::Error);
  v.path = f.path();
  if (auto id = f["id"].str()) {
    if (id->rfind("vol-", 0) != 0 || id->size() < 5) f["id"].error("\"" + *id + "\" is not an EBS volume id (vol-...)");
    v.id = *id;
  } else {
    f["id"].require("the volume id, e.g. vol-0123456789abcdef0");
  }
  if (auto z = f["zone"].str())
    v.zone = *z;
  else
    f["zone"].require("the availability zone the volume was created in");
  if (auto s = f["sizeGiB"].integer(1, limits::kMaxVolumeGiB, "the largest EBS volume"))
    v.size_gib = *s;
  else
    f["sizeGiB"].require();
  if (auto t = f["type"].one_of({"gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"})) v.type = *t;
}

}  // namespace

void read_cloud(const Field& f, CloudSpec& cloud) {
  f.check_keys(
      {"region", "zones", "nodeGroups", "volumes", "ebsAttachLatency", "ebsDetachLatency", "ebsCreateLatency",
       "launchToReady", "asgHealthCheckGracePeriod", "ec2StatusCheckDelay", "azDistribution", "azTieBreak", "terminateDetachDelay"},
      UnknownKeys::Error);
  if (auto r = f["region"].str()) cloud.region = *r;
  if (auto z = f["zones"].str_list()) {
    if (static_cast<std::int32_t>(z->size()) > limits::kMaxZones)
      f["zones"].error("at most " + std::to_string(limits::kMaxZones) + " zones");
    else
      cloud.zones = *z;
  }
  const auto groups = f["nodeGroups"].items();
  if (static_cast<std::int32_t>(groups.size()) > limits::kMaxNodeGroups) {
    f["nodeGroups"].error("at most " + std::to_string(limits::kMaxNodeGroups) + " node groups");
  } else {
    for (const auto& g : groups) {
      if (!g.expect_map()) continue;
      NodeGroup ng;
      read_node_group(g, ng);
      cloud.node_groups.push_back(std::move(ng));
    }
  }
  const auto volumes = f["volumes"].items();
  if (static_cast<std::int32_t>(volumes.size()) > limits::kMaxVolumes) {
    f["volumes"].error("at most " + std::to_string(limits::kMaxVolumes) + " volumes");
  } else {
    for (const auto& v : volumes) {
      if (!v.expect_map()) continue;
      DeclaredVolume dv;
      read_volume(v, dv);
      cloud.volumes.push_back(std::move(dv));
    }
  }
  auto& p = cloud.params;
  if (auto d = read_distribution(f["ebsAttachLatency"])) p.ebs_attach_latency = *d;
  if (auto d = read_distribution(f["ebsDetachLatency"])) p.ebs_detach_latency = *d;
  if (auto d = read_distribution(f["ebsCreateLatency"])) p.ebs_create_latency = *d;
  if (auto d = read_distribution(f["launchToReady"])) p.launch_to_ready = *d;
  if (auto d = f["asgHealthCheckGracePeriod"].duration()) p.asg_health_check_grace_period = *d;
  if (auto d = f["ec2StatusCheckDelay"].duration()) p.ec2_status_check_delay = *d;
  if (auto a = read_az_distribution(f["azDistribution"])) p.az_distribution = *a;
  if (auto t = read_az_tie_break(f["azTieBreak"])) p.az_tie_break = *t;
  if (auto d = f["terminateDetachDelay"].duration()) p.terminate_detach_delay = *d;
}

}  // namespace azsim::scenario::spec
