#include "models/data/snitch.hpp"

namespace azsim::data {

SnitchLocation ec2_snitch_location(std::string_view zone, bool legacy_naming) {
  SnitchLocation loc;
  if (legacy_naming) {
    const auto dash = zone.rfind('-');
    loc.rack = std::string(dash == std::string_view::npos ? zone : zone.substr(dash + 1));
    std::string_view region = zone.empty() ? zone : zone.substr(0, zone.size() - 1);
    if (!region.empty() && region.back() == '1' && zone.size() >= 3) region = zone.substr(0, zone.size() - 3);
    loc.dc = std::string(region);
    return loc;
  }
  loc.rack = std::string(zone);
  std::size_t end = zone.size();
  while (end > 0 && zone[end - 1] >= 'a' && zone[end - 1] <= 'z') --end;
  loc.dc = std::string(zone.substr(0, end));
  return loc;
}

}  // namespace azsim::data
