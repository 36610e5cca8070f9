// The zone Kubernetes picks for a volume provisioned without a pod (Immediate binding):
// k/k pkg/volume/util ChooseZoneForVolume / getPVCNameHashAndIndexOffset. The CSI
// external-provisioner keeps the same StatefulSet rotation for its preferred topologies, so
// `claim-sts-0`, `claim-sts-1`, ... land in consecutive zones of the sorted zone list.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace azsim::scheduler {

/// Go's hash/fnv New32 (FNV-1, not FNV-1a): h = (h * 16777619) ^ byte, from 2166136261.
std::uint32_t fnv1_32(std::string_view bytes);

/// The hash and index offset of a claim name: a trailing "-<uint32>" is stripped and becomes
/// the offset; of the rest, only the part after its last '-' is hashed (the StatefulSet name
/// of `<template>-<sts>-<ordinal>`), so all claims of one replica share a zone.
struct ClaimNameHash {
  std::uint32_t hash = 0;
  std::uint32_t index = 0;
};
ClaimNameHash claim_name_hash(std::string_view pvc_name);

/// zones sorted and de-duplicated, then zones[(hash + index) mod 2^32 mod len]. Empty when
/// there are no zones. An empty claim name makes Kubernetes pick at random; here it picks the
/// first zone so the result stays deterministic.
std::string choose_zone_for_claim(std::vector<std::string> zones, std::string_view pvc_name);

}  // namespace azsim::scheduler
