// Recorder: turns a service's piecewise-constant row counts into its ServiceResult.
//
// Each service model keeps, per reported level, how many rows are readable, writable and both,
// and hands every change to set(). The recorder keeps one sample per instant (several changes
// at the same simulated instant collapse into the last one, so the transient states of an
// event cascade, e.g. the replicas of one AZ going down one after the other at the same
// microsecond, never count) and computes, for any [t0, end], the time averages, minima and
// merged unavailable windows. It also records fault -> full-redundancy episodes and losses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "models/data/result.hpp"

namespace azsim::data {

/// The read and write consistency level names one reported level stands for.
struct LevelSpec {
  std::string consistency;
  std::string read_level;
  std::string write_level;
};

class Recorder {
 public:
  /// Every level starts with all `rows` readable and writable at `start` unless set() says
  /// otherwise at that instant.
  Recorder(std::vector<LevelSpec> levels, std::int64_t rows, sim::Time start);

  const std::vector<LevelSpec>& levels() const { return levels_; }
  std::int64_t rows() const { return rows_; }

  /// From `now` on, level `level` has these counts (each in [0, rows]). `now` must not be
  /// earlier than the level's last sample (std::logic_error).
  void set(std::size_t level, std::int64_t readable, std::int64_t writable, std::int64_t available, sim::Time now);
  /// Samples of one level in time order, at most one per instant, each differing from the last.
  const std::vector<RowsSample>& series(std::size_t level) const { return series_.at(level); }
  /// The counts in force now (last sample).
  const RowsSample& current(std::size_t level) const { return series_.at(level).back(); }

  /// A fully serving replica went down (or lost its volume) at `now`: opens an episode.
  void fault(std::size_t replica, sim::Time now);
  /// Whether every row now has all its replicas serving and consistent; closing every open
  /// episode when it becomes true.
  void redundancy(bool full, sim::Time now);
  bool fully_redundant() const { return full_; }

  void lose_rows(std::int64_t n) { rows_lost_ += n; }
  void lose_commits(double n) { commits_lost_ += n; }
  void count_failover() { ++failovers_; }
  std::int64_t rows_lost() const { return rows_lost_; }

  /// The result over [t0, end] (t0 <= end). Time before the first sample counts with the first
  /// sample's counts. With t0 == end, the availabilities are the shares at that instant.
  /// Callable any number of times, e.g. once per batch of a long run.
  ServiceResult finish(const std::string& service, ServiceType type, sim::Time t0, sim::Time end) const;

 private:
  LevelResult finish_level(std::size_t level, sim::Time t0, sim::Time end) const;

  std::vector<LevelSpec> levels_;
  std::int64_t rows_;
  std::vector<std::vector<RowsSample>> series_;
  std::vector<RedundancyEpisode> episodes_;
  std::size_t first_open_ = 0;  // episodes before this index are closed
  bool full_ = true;
  std::int64_t rows_lost_ = 0;
  double commits_lost_ = 0;
  std::int64_t failovers_ = 0;
};

}  // namespace azsim::data
