#include "models/scheduler/zone_heuristic.hpp"

#include <algorithm>
#include <charconv>

namespace azsim::scheduler {

std::uint32_t fnv1_32(std::string_view bytes) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : bytes) {
    h *= 16777619u;
    h ^= c;
  }
  return h;
}

ClaimNameHash claim_name_hash(std::string_view name) {
  ClaimNameHash out;
  std::string_view hashed = name;
  if (auto dash = name.rfind('-'); dash != std::string_view::npos) {
    std::string_view id = name.substr(dash + 1);
    std::uint64_t value = 0;
    // strconv.ParseUint(s, 10, 32): digits only (no sign), at least one, fits in 32 bits.
    auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (!id.empty() && ec == std::errc() && p == id.data() + id.size() && value <= 0xffffffffu) {
      out.index = static_cast<std::uint32_t>(value);
      hashed = name.substr(0, dash);
      if (auto d2 = hashed.rfind('-'); d2 != std::string_view::npos) hashed = hashed.substr(d2 + 1);
    }
  }
  out.hash = fnv1_32(hashed);
  return out;
}

std::string choose_zone_for_claim(std::vector<std::string> zones, std::string_view pvc_name) {
  std::sort(zones.begin(), zones.end());
  zones.erase(std::unique(zones.begin(), zones.end()), zones.end());
  if (zones.empty()) return {};
  if (pvc_name.empty()) return zones.front();
  const ClaimNameHash h = claim_name_hash(pvc_name);
  const std::uint32_t sum = h.hash + h.index;  // uint32 wrap-around, as in Go
  return zones[sum % static_cast<std::uint32_t>(zones.size())];
}

}  // namespace azsim::scheduler
