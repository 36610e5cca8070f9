// The JSON form of a run report (CONTRACT.md "JSON report of azsim run --format json"),
// described by tools/azsim/report.schema.json.
#pragma once

#include <nlohmann/json.hpp>

#include "models/metrics/report.hpp"

namespace azsim::cli {

nlohmann::ordered_json to_json(const metrics::RunReport& r);

}  // namespace azsim::cli
