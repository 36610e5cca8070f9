// Chrome trace-event JSON of a run (opens in Perfetto and chrome://tracing): one track per pod
// with its not-ready intervals as slices named by cause, one track per node with its NotReady
// periods, and faults as instant events. Times are microseconds from time 0.
#pragma once

#include <nlohmann/json.hpp>

#include "models/metrics/report.hpp"

namespace azsim::cli {

nlohmann::ordered_json to_trace(const metrics::RunReport& r);

}  // namespace azsim::cli
