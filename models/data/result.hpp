// What a data service reports at the end of a run: per consistency level, the time-averaged
// share of rows readable and writable, the windows with unavailable rows, the minimum rows
// available, the rows lost, and the time back to full redundancy after each fault. The lead's
// report (metrics::DataReport, CONTRACT.md "data") copies these fields.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/data/config.hpp"
#include "sim/time.hpp"

namespace azsim::data {

/// A maximal interval in which some rows could not be read or written at the level.
/// Contract: from < to, rows_unavailable > 0, and consecutive windows of one level neither
/// overlap nor touch (touching ones are merged).
struct UnavailableWindow {
  sim::Time from;
  sim::Time to;
  std::int64_t rows_unavailable = 0;  // max over the window of rows not (readable and writable)
  std::int64_t rows_unreadable = 0;   // max over the window of rows not readable
  std::int64_t rows_unwritable = 0;   // max over the window of rows not writable
};

/// The rows that can be read and written, from `t` until the next sample.
struct RowsSample {
  sim::Time t;
  std::int64_t readable = 0;
  std::int64_t writable = 0;
  std::int64_t available = 0;  // both readable and writable
};

/// One reported consistency level: a read level and a write level (equal for the usual
/// "QUORUM" entry). Non-Cassandra services report one level named after their rule.
struct LevelResult {
  std::string consistency;  // "QUORUM", or "ONE/QUORUM" when reads and writes differ
  std::string read_level;
  std::string write_level;
  double read_availability = 1.0;   // time average over [t0, end] of readable rows / rows
  double write_availability = 1.0;  // same for writable rows
  std::int64_t rows_readable_min = 0;  // over states held for a positive time in [t0, end]
  std::int64_t rows_writable_min = 0;
  std::vector<UnavailableWindow> unavailable_windows;
};

/// A fault (a fully serving replica going down or losing its volume) and when every row again
/// had all its replicas serving and consistent. `restored` is empty when that had not happened
/// by the end of the run.
struct RedundancyEpisode {
  sim::Time fault;
  std::optional<sim::Time> restored;
  std::size_t replica = 0;  // ordinal of the replica whose loss started the episode
};

/// Everything one service reports for the interval [t0, end].
struct ServiceResult {
  std::string service;
  ServiceType type = ServiceType::Cassandra;
  std::int64_t rows = 0;
  std::int64_t rows_lost = 0;     // keys whose every copy was lost, plus commits lost in failovers
  double commits_lost = 0;        // leader/follower: unreplicated commits lost at failovers (expected count)
  std::int64_t failovers = 0;     // leader/follower: promotions of a follower
  std::vector<LevelResult> levels;  // the configured level first
  std::vector<RedundancyEpisode> redundancy;  // faults at or after t0, in time order
};

}  // namespace azsim::data
