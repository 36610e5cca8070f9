#include "models/scenario/naming.hpp"

namespace azsim::scenario {

std::string private_dns_suffix(const std::string& region) {
  return region == "us-east-1" ? ".ec2.internal" : "." + region + ".compute.internal";
}

bool is_possible_node_name(const std::string& name, const std::string& region) {
  if (name.rfind("ip-", 0) != 0) return false;
  std::string host = name.substr(3);
  const std::string suffix = private_dns_suffix(region);
  if (host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0)
    host.resize(host.size() - suffix.size());
  int octets = 0;
  std::size_t i = 0;
  while (i <= host.size()) {
    std::size_t j = i;
    int value = 0;
    while (j < host.size() && host[j] >= '0' && host[j] <= '9' && j - i < 4) value = value * 10 + (host[j++] - '0');
    if (j == i || j - i > 3 || value > 255) return false;
    ++octets;
    if (j == host.size()) break;
    if (host[j] != '-') return false;
    i = j + 1;
  }
  return octets == 4;
}

std::string example_node_name(const std::string& region) { return "ip-10-0-1-23" + private_dns_suffix(region); }

k8s::Labels node_labels(const NodeGroup& g, const std::string& zone, const std::string& region) {
  namespace wk = k8s::wellknown;
  k8s::Labels l = g.labels;
  l[wk::kZone] = zone;
  l[wk::kZoneLegacy] = zone;
  l[wk::kEbsCsiZone] = zone;  // added by the EBS CSI node plugin
  l[wk::kRegion] = region;
  l[wk::kRegionLegacy] = region;
  l[wk::kInstanceType] = g.instance_type;
  l[wk::kInstanceTypeLegacy] = g.instance_type;
  l[wk::kOs] = "linux";
  l[wk::kArch] = "amd64";
  l["beta.kubernetes.io/os"] = "linux";
  l["beta.kubernetes.io/arch"] = "amd64";
  return l;
}

}  // namespace azsim::scenario
