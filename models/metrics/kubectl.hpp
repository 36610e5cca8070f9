// kubectl-style views of the simulated cluster, shaped as the tutorials print them:
//   kubectl get nodes -L topology.kubernetes.io/zone
//   kubectl get pods -o wide
//   kubectl get pvc
//   kubectl get events
// Columns are padded as kubectl's tabwriter does (cell width + 3 spaces).
#pragma once

#include <string>
#include <vector>

#include "models/controllers/cluster.hpp"

namespace azsim::metrics {

/// kubectl's age format (apimachinery duration.HumanDuration): "45s", "2m30s", "10m", "3h20m",
/// "2d3h", "400d", "2y10d".
std::string human_duration(sim::Duration d);

/// Lays out rows under a header the way kubectl does (left-aligned, 3 spaces between columns).
std::string table(const std::vector<std::vector<std::string>>& rows);

std::string get_nodes(const controllers::Cluster& c);
std::string get_pods_wide(const controllers::Cluster& c);
std::string get_pvc(const controllers::Cluster& c);
/// Events at or after `since`, with LAST SEEN relative to now.
std::string get_events(const controllers::Cluster& c, sim::Time since);

/// The STATUS column of `kubectl get pods`: Pending, ContainerCreating, Running, Terminating.
std::string pod_status(const controllers::Cluster& c, const k8s::Pod& pod);

}  // namespace azsim::metrics
