// Admission: what the API server adds to a pod when it is created.
#pragma once

#include <cstdint>

#include "models/k8s/objects.hpp"

namespace azsim::k8s {

/// The DefaultTolerationSeconds admission plugin (FIDELITY A "default not-ready / unreachable
/// toleration"): adds `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable`
/// NoExecute tolerations for the given seconds, each only when the pod tolerates no such taint
/// already.
void add_default_tolerations(PodSpec& spec, std::int64_t not_ready_seconds, std::int64_t unreachable_seconds);

/// A pod built from a workload's template: labels, annotations and spec copied, owner set.
Pod pod_from_template(const PodTemplate& tmpl, const std::string& name, const std::string& ns, const OwnerReference& owner);

}  // namespace azsim::k8s
