// RunReport: everything `azsim run` reports about one run, as plain values (CONTRACT.md's JSON
// report). Built from the cluster and its observers once the run ends; writers in tools/ turn
// it into text, JSON and traces. Times are seconds from time 0 (the end of the setup).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/controllers/cluster.hpp"
#include "models/metrics/pod_timeline.hpp"

namespace azsim::metrics {

struct IntervalReport {
  sim::Duration from;  // since time 0
  sim::Duration to;
  std::string state;  // the pod's state: Pending, Running, Terminating or Absent
  std::string cause;  // why it is not Ready (CONTRACT.md's causes)
  std::string message;
};

struct PodReport {
  std::string name;
  std::string ns;
  std::string node;
  std::string zone;
  std::string phase;  // Pending, Running, Terminating, Absent
  bool ready = false;
  sim::Duration pending;
  sim::Duration not_ready;
  std::vector<IntervalReport> intervals;
};

struct NodeReport {
  std::string name;
  std::string zone;
  std::string group;
  std::string instance;
  std::string instance_type;
  bool ready = false;
  bool unschedulable = false;
};

struct VolumeReport {
  std::string id;
  std::string zone;
  std::string claim;  // "ns/name" or ""
  std::string pv;
  std::int64_t size_gib = 0;
  std::string type;
  bool lost = false;
};

struct EventReport {
  sim::Duration t;  // since time 0 (negative during the setup)
  std::string type;
  std::string reason;
  std::string object;
  std::string message;
};

/// Availability of one data service at one consistency level (filled by models/data).
struct UnavailableWindow {
  sim::Duration from;
  sim::Duration to;
  std::int64_t rows_unavailable = 0;
};

/// One fault's effect on redundancy: when a replica went down and when every row had all its
/// replicas serving and consistent again (unset if not by the end of the run).
struct RedundancyReport {
  sim::Duration fault;
  std::optional<sim::Duration> restored;
  std::string replica;  // pod name
};

/// A sample of the "rows available" counter (both readable and writable) at one level.
struct RowsSample {
  sim::Duration t;
  std::int64_t readable = 0;
  std::int64_t writable = 0;
};

struct DataReport {
  std::string service;
  std::string type;
  std::string consistency;
  double read_availability = 1.0;
  double write_availability = 1.0;
  std::int64_t rows = 0;
  std::int64_t rows_readable_min = 0;
  std::int64_t rows_writable_min = 0;
  std::int64_t rows_lost = 0;
  std::vector<UnavailableWindow> unavailable_windows;
  std::vector<RedundancyReport> redundancy;  // per fault after time 0
  std::vector<RowsSample> series;            // rows readable/writable over time (traces)
};

struct RunReport {
  std::string scenario;
  std::uint64_t seed = 0;
  std::optional<std::uint64_t> trial;  // the Monte-Carlo trial replayed (azsim run --trial)
  sim::Duration duration;
  sim::Duration setup;
  bool setup_converged = true;
  std::vector<std::string> warnings;
  std::vector<PodReport> pods;
  std::vector<NodeReport> nodes;
  std::vector<VolumeReport> volumes;
  std::vector<DataReport> data;
  std::vector<EventReport> events;
};

/// How much of a report to build. `Outcome` is for Monte-Carlo trials: only what
/// metrics::outcome_of reads (each pod's name and pending time; the data services' figures,
/// windows and redundancy, without their series), and no nodes, volumes or events.
enum class ReportDetail { Full, Outcome };

/// Fills pods, nodes, volumes and events from the cluster state at the end of a run whose
/// time 0 is `t0` and which ended at `end`.
void fill_cluster_report(RunReport& r, controllers::Cluster& cluster, const PodTimeline& timeline, sim::Time t0,
                         sim::Time end, ReportDetail detail = ReportDetail::Full);

}  // namespace azsim::metrics
