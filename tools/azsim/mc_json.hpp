// The JSON document of `azsim mc` (CONTRACT.md: "JSON of azsim mc"), which is also what
// `--shard` writes, `azsim merge` reads, and `--checkpoint` keeps: the reported figures, and
// under "state" the exact summary they come from, so partial results merge to the bit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/metrics/mc_summary.hpp"

namespace azsim::cli {

/// Everything a batch document says besides the figures, which it derives from `result`.
struct McDocument {
  std::string scenario;                  // metadata.name of design A
  std::optional<std::string> compare;    // metadata.name of design B
  std::string digest;                    // of the bytes of every file the scenario(s) came from
  std::string version;                   // of the azsim that made it (read back; written as kVersion)
  std::uint64_t seed = 0;
  std::uint64_t trials_requested = 0;
  std::uint64_t shard_count = 1;
  std::vector<std::uint64_t> shards;     // 1-based shard numbers included (all of 1..count when whole)
  std::optional<std::string> until_ci_metric;
  double until_ci_width = 0;
  bool stopped_early = false;
  metrics::McResult result;
};

/// The document as JSON (key order fixed, numbers as shortest round-trip decimals).
nlohmann::json to_json(const McDocument& d);
/// What a document is read for: a finished result (merge), or a checkpoint to resume, which
/// may hold an unfinished batch.
enum class McRead { Finished, Resume };

/// Reads a document written by to_json; throws std::invalid_argument naming what is wrong
/// (for McRead::Finished, also the checkpoint of an unfinished batch).
McDocument mc_document_from_json(const nlohmann::json& j, McRead purpose = McRead::Finished);

/// Merges documents of the shards of one batch (same scenario, seed, trials, shard count,
/// comparison and early-stop setting; no shard twice); throws std::invalid_argument otherwise.
McDocument merge_documents(const std::vector<McDocument>& parts);

/// The human-readable report.
std::string mc_text(const McDocument& d);

}  // namespace azsim::cli
