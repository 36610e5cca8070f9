// From a scenario's data service (spec.data[i]) to the data model's configuration, reading the
// service-specific `params` with located errors. `azsim validate` runs the same checks.
#pragma once

#include <optional>
#include <vector>

#include "models/data/config.hpp"
#include "models/scenario/diagnostics.hpp"
#include "models/scenario/scenario.hpp"

namespace azsim::run {

/// The data model configuration of `d`; nullopt after reporting errors into `diags`.
std::optional<data::ServiceConfig> data_config(const scenario::Scenario& s, const scenario::DataService& d,
                                               scenario::Diagnostics& diags);

/// Problems a run would find that loading does not: every data service's params.
std::vector<scenario::Diagnostic> check_runtime(const scenario::Scenario& s);

}  // namespace azsim::run
