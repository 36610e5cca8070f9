#include "models/data/config.hpp"

namespace azsim::data {

const char* to_string(ServiceType type) {
  switch (type) {
    case ServiceType::Cassandra: return "cassandra";
    case ServiceType::LeaderFollower: return "leader-follower";
    case ServiceType::Galera: return "galera";
    case ServiceType::Single: return "single";
  }
  return "?";
}

std::optional<ServiceType> parse_service_type(std::string_view text) {
  for (auto t : {ServiceType::Cassandra, ServiceType::LeaderFollower, ServiceType::Galera, ServiceType::Single}) {
    if (text == to_string(t)) return t;
  }
  return std::nullopt;
}

}  // namespace azsim::data
