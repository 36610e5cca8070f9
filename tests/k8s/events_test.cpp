#include "models/k8s/events.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace azsim::k8s;

namespace {

Event event(const std::string& reason) {
  return Event{azsim::sim::Time::from_micros(1), EventType::Normal, reason, "pod/a", "message", "kubelet"};
}

TEST(EventLog, KeepsEventsInOrderAndTellsItsListeners) {
  EventLog log;
  std::vector<std::string> heard;
  log.subscribe([&](const Event& e) { heard.push_back(e.reason); });
  EXPECT_TRUE(log.enabled());
  log.record(event("Scheduled"));
  log.record(event("Started"));
  ASSERT_EQ(log.events().size(), 2u);
  EXPECT_EQ(log.events()[1].reason, "Started");
  EXPECT_EQ(heard, (std::vector<std::string>{"Scheduled", "Started"}));
}

TEST(EventLog, SwitchedOffItKeepsNothingAndCallsNoListener) {
  EventLog log;
  int heard = 0;
  log.subscribe([&](const Event&) { ++heard; });
  log.record(event("Scheduled"));
  log.set_enabled(false);
  EXPECT_FALSE(log.enabled());
  log.record(event("FailedScheduling"));
  EXPECT_EQ(log.events().size(), 1u);
  EXPECT_EQ(heard, 1);
  log.set_enabled(true);  // on again: what comes next is kept
  log.record(event("Started"));
  ASSERT_EQ(log.events().size(), 2u);
  EXPECT_EQ(log.events()[1].reason, "Started");
  EXPECT_EQ(heard, 2);
}

}  // namespace
