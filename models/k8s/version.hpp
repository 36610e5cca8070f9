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

/// The versions whose behaviour azsim models: from 1.21 (the oldest a shipped scenario uses;
/// nothing azsim models changes between it and 1.24) to 1.34, the newest change it models
/// (the untolerated-taint message).
inline constexpr KubeVersion kOldestModelledVersion{1, 21};
inline constexpr KubeVersion kNewestModelledVersion{1, 34};
/// A warning for a version outside that range ("" within it): what the run will behave as.
std::string unmodelled_version_warning(KubeVersion v);

}  // namespace azsim::k8s
