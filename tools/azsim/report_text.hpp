// The text report a person reads after `azsim run`: the scenario and cluster, a timeline of
// notable events, a per-pod table with pending and not-ready seconds and their causes, the
// pending intervals with the scheduler's message, the data table, and warnings.
#pragma once

#include <string>

#include "models/metrics/report.hpp"

namespace azsim::cli {

std::string render_text(const metrics::RunReport& r, bool colour);

}  // namespace azsim::cli
