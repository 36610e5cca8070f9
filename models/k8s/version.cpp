#include "models/k8s/version.hpp"

#include <charconv>

namespace azsim::k8s {

std::optional<KubeVersion> KubeVersion::parse(const std::string& text) {
  std::string_view s = text;
  if (!s.empty() && (s.front() == 'v' || s.front() == 'V')) s.remove_prefix(1);
  KubeVersion v;
  const char* end = s.data() + s.size();
  auto r1 = std::from_chars(s.data(), end, v.major);
  if (r1.ec != std::errc() || r1.ptr == end || *r1.ptr != '.') return std::nullopt;
  auto r2 = std::from_chars(r1.ptr + 1, end, v.minor);
  if (r2.ec != std::errc()) return std::nullopt;
  if (r2.ptr != end) {  // optional .patch
    int patch = 0;
    if (*r2.ptr != '.') return std::nullopt;
    auto r3 = std::from_chars(r2.ptr + 1, end, patch);
    if (r3.ec != std::errc() || r3.ptr != end) return std::nullopt;
  }
  if (v.major != 1 || v.minor < 0) return std::nullopt;
  return v;
}

std::string unmodelled_version_warning(KubeVersion v) {
  const std::string range = "azsim models (" + kOldestModelledVersion.str() + " to " + kNewestModelledVersion.str() + ")";
  if (v < kOldestModelledVersion)
    return v.str() + " is older than the versions " + range + ": it behaves as " + kOldestModelledVersion.str();
  if (v > kNewestModelledVersion)
    return v.str() + " is newer than the versions " + range + ": it behaves as " + kNewestModelledVersion.str() +
           ", without later changes";
  return {};
}

}  // namespace azsim::k8s
