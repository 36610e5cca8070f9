// What the nodes of a scenario's cluster are called and labelled, shared by the loader (which
// checks fault targets and nodeSelectors against it) and the builder (which creates the nodes).
//
// Nodes are named as on EKS and kops: by the EC2 instance's private DNS name,
// "ip-172-20-35-200.eu-west-1.compute.internal" ("ip-10-0-1-5.ec2.internal" in us-east-1). The
// addresses are chosen at run time, so a scenario can name a node only if it knows the run;
// faults normally pick nodes by {runningPod: P} or {zone: Z, index: I}.
#pragma once

#include <string>

#include "models/k8s/labels.hpp"
#include "models/scenario/scenario.hpp"

namespace azsim::scenario {

/// The DNS suffix of private host names in `region` (".ec2.internal" in us-east-1,
/// ".REGION.compute.internal" elsewhere).
std::string private_dns_suffix(const std::string& region);

/// True when `name` could be a node of a cluster in `region`: "ip-A-B-C-D" with valid octets,
/// optionally followed by the region's private DNS suffix.
bool is_possible_node_name(const std::string& name, const std::string& region);

/// An example node name for messages, e.g. "ip-10-0-1-23.eu-west-1.compute.internal".
std::string example_node_name(const std::string& region);

/// The labels a new node of group `g` in `zone` carries, besides kubernetes.io/hostname (which
/// is its name): the group's own labels, zone and region (current and legacy keys, and the EBS
/// CSI driver's topology.ebs.csi.aws.com/zone), instance
/// type (both keys), kubernetes.io/os=linux and kubernetes.io/arch=amd64 (every instance type
/// azsim knows is x86-64).
k8s::Labels node_labels(const NodeGroup& g, const std::string& zone, const std::string& region);

}  // namespace azsim::scenario
