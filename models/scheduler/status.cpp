#include "models/scheduler/status.hpp"

namespace azsim::scheduler {

const char* to_string(Code c) {
  switch (c) {
    case Code::Success: return "Success";
    case Code::Error: return "Error";
    case Code::Unschedulable: return "Unschedulable";
    case Code::UnschedulableAndUnresolvable: return "UnschedulableAndUnresolvable";
    case Code::Skip: return "Skip";
  }
  return "?";
}

std::string Status::message() const {
  std::string out;
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (i) out += ", ";
    out += reasons[i];
  }
  return out;
}

}  // namespace azsim::scheduler
