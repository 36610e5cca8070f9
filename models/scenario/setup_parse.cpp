// spec.setup: operator steps between "nodes Ready" and "manifests applied".
#include "models/scenario/limits.hpp"
#include "models/scenario/manifest_parse.hpp"
#include "models/scenario/spec_parse.hpp"
#include "models/scenario/suggest.hpp"

namespace azsim::scenario::spec {

void read_setup(const Field& f, std::vector<SetupStep>& out) {
  const std::vector<std::string> actions = {"label-node"};
  const auto items = f.items();
  if (static_cast<std::int32_t>(items.size()) > limits::kMaxFaults) {
    f.error("at most " + std::to_string(limits::kMaxFaults) + " setup steps");
    return;
  }
  for (const auto& item : items) {
    if (!item.expect_map()) continue;
    item.check_keys({"action", "node", "labels"}, UnknownKeys::Error);
    SetupStep step;
    step.path = item.path();
    if (!item["action"].present()) {
      item["action"].require(one_of(actions));
      continue;
    }
    if (!item["action"].one_of(actions)) continue;
    if (!item.has("node")) {
      item.error("label-node needs node: {runningPod: POD} | {name: NODE} | {zone: ZONE, group: GROUP, index: I}");
      continue;
    }
    auto node = read_node_target(item["node"]);
    if (!node) continue;
    step.node = *node;
    if (!item["labels"].require("the labels to add, e.g. {azs: ap-northeast-1a}")) continue;
    step.labels = manifest::read_string_map(item["labels"], true);
    out.push_back(std::move(step));
  }
}

}  // namespace azsim::scenario::spec
