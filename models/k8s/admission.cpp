#include "models/k8s/admission.hpp"

#include <algorithm>

namespace azsim::k8s {

namespace {

void add_if_missing(PodSpec& spec, const char* key, std::int64_t seconds) {
  const Taint probe{key, "", TaintEffect::NoExecute, {}};
  if (std::any_of(spec.tolerations.begin(), spec.tolerations.end(),
                  [&](const Toleration& t) { return t.tolerates(probe); }))
    return;
  spec.tolerations.push_back(Toleration{key, TolerationOp::Exists, "", TaintEffect::NoExecute, seconds});
}

}  // namespace

void add_default_tolerations(PodSpec& spec, std::int64_t not_ready_seconds, std::int64_t unreachable_seconds) {
  add_if_missing(spec, wellknown::kTaintNotReady, not_ready_seconds);
  add_if_missing(spec, wellknown::kTaintUnreachable, unreachable_seconds);
}

Pod pod_from_template(const PodTemplate& tmpl, const std::string& name, const std::string& ns, const OwnerReference& owner) {
  Pod p;
  p.meta.name = name;
  p.meta.ns = ns;
  p.meta.labels = tmpl.meta.labels;
  p.meta.annotations = tmpl.meta.annotations;
  p.meta.owner = owner;
  p.spec = tmpl.spec;
  return p;
}

}  // namespace azsim::k8s
