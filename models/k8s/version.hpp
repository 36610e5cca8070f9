// The Kubernetes minor version a scenario simulates; it selects version-dependent defaults and
// scheduler messages (FIDELITY.md A and B).
#pragma once

#include <optional>
#include <string>

namespace azsim::k8s {

struct KubeVersion {
  int major = 1;
  int minor = 29;

  /// Parses "1.29", "v1.29", "1.29.3".
  static std::optional<KubeVersion> parse(const std::string& s);
  bool at_least(int mj, int mn) const { return major > mj || (major == mj && minor >= mn); }
  std::string str() const { return std::to_string(major) + "." + std::to_string(minor); }
  auto operator<=>(const KubeVersion&) const = default;
};

}  // namespace azsim::k8s
