// Kubernetes resource quantities ("500m", "2", "1Gi", "512M", "1e3") as exact integers.
//
// A quantity is stored in milli-units (value * 1000) so that both CPU ("250m") and byte sizes
// ("10Gi") fit one int64 without rounding: 1Ei * 1000 would overflow, which parse rejects.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace azsim::k8s {

/// Result of parsing a quantity string; `milli` is value*1000 rounded up, as Kubernetes
/// rounds requests up to the nearest milli-unit.
struct QuantityParse {
  bool ok = false;
  std::int64_t milli = 0;
  std::string error;  // e.g. `"12Qi" is not a Kubernetes quantity`
};

/// Parses the Kubernetes quantity grammar: optional sign, decimal number, optional suffix
/// (binary Ki Mi Gi Ti Pi Ei, decimal n u m "" k M G T P E, or an exponent e3/E-3).
QuantityParse parse_quantity(std::string_view text);

/// CPU in millicores for a quantity's milli value ("1" -> 1000, "250m" -> 250).
inline std::int64_t milli_to_millicores(std::int64_t milli) { return milli; }
/// Bytes for a quantity's milli value, rounding up ("1Gi" -> 1073741824).
inline std::int64_t milli_to_units(std::int64_t milli) { return milli / 1000 + (milli % 1000 > 0 ? 1 : 0); }

/// Formats bytes the way kubectl shows capacities: "10Gi", "512Mi", "1500" when not a multiple.
std::string format_bytes(std::int64_t bytes);
/// Formats millicores: "2" for 2000, "250m" for 250.
std::string format_millicores(std::int64_t milli);

}  // namespace azsim::k8s
