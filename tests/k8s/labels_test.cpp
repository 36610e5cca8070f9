#include "models/k8s/labels.hpp"
#include "models/k8s/objects.hpp"

#include <gtest/gtest.h>

using namespace azsim::k8s;

namespace {

Labels zone_a{{"app", "cassandra"}, {"tier", "db"}, {"gen", "5"}};

TEST(Requirement, Operators) {
  EXPECT_TRUE((Requirement{"app", SelectorOp::In, {"web", "cassandra"}}).matches(zone_a));
  EXPECT_FALSE((Requirement{"app", SelectorOp::In, {"web"}}).matches(zone_a));
  EXPECT_FALSE((Requirement{"missing", SelectorOp::In, {"x"}}).matches(zone_a));
  EXPECT_TRUE((Requirement{"missing", SelectorOp::NotIn, {"x"}}).matches(zone_a));
  EXPECT_FALSE((Requirement{"app", SelectorOp::NotIn, {"cassandra"}}).matches(zone_a));
  EXPECT_TRUE((Requirement{"tier", SelectorOp::Exists, {}}).matches(zone_a));
  EXPECT_TRUE((Requirement{"missing", SelectorOp::DoesNotExist, {}}).matches(zone_a));
  EXPECT_TRUE((Requirement{"gen", SelectorOp::Gt, {"4"}}).matches(zone_a));
  EXPECT_FALSE((Requirement{"gen", SelectorOp::Lt, {"4"}}).matches(zone_a));
  EXPECT_FALSE((Requirement{"app", SelectorOp::Gt, {"4"}}).matches(zone_a));  // not an integer
}

TEST(LabelSelector, EmptyMatchesEverything) {
  EXPECT_TRUE(LabelSelector{}.matches({}));
  LabelSelector s{{{"app", "cassandra"}}, {}};
  EXPECT_TRUE(s.matches(zone_a));
  EXPECT_FALSE(s.matches({{"app", "mysql"}}));
}

TEST(NodeSelector, TermsAreOredAndEmptyTermMatchesNothing) {
  NodeSelectorTerm empty;
  EXPECT_FALSE(empty.matches(zone_a, "n1"));
  NodeSelector ns{{NodeSelectorTerm{{{"app", SelectorOp::In, {"web"}}}, {}},
                   NodeSelectorTerm{{}, {{"metadata.name", SelectorOp::In, {"n1"}}}}}};
  EXPECT_TRUE(ns.matches(zone_a, "n1"));
  EXPECT_FALSE(ns.matches(zone_a, "n2"));
}

TEST(Toleration, MatchesTaints) {
  Taint unreachable{"node.kubernetes.io/unreachable", "", TaintEffect::NoExecute, {}};
  Toleration exists_any{"", TolerationOp::Exists, "", {}, {}};
  EXPECT_TRUE(exists_any.tolerates(unreachable));
  Toleration by_key{"node.kubernetes.io/unreachable", TolerationOp::Exists, "", TaintEffect::NoExecute, 300};
  EXPECT_TRUE(by_key.tolerates(unreachable));
  Toleration wrong_effect{"node.kubernetes.io/unreachable", TolerationOp::Exists, "", TaintEffect::NoSchedule, {}};
  EXPECT_FALSE(wrong_effect.tolerates(unreachable));
  Taint dedicated{"dedicated", "db", TaintEffect::NoSchedule, {}};
  EXPECT_TRUE((Toleration{"dedicated", TolerationOp::Equal, "db", {}, {}}).tolerates(dedicated));
  EXPECT_FALSE((Toleration{"dedicated", TolerationOp::Equal, "web", {}, {}}).tolerates(dedicated));
  EXPECT_FALSE((Toleration{"", TolerationOp::Equal, "", {}, {}}).tolerates(dedicated));
}

TEST(PodSpec, EffectiveRequestsTakeInitContainerMaximum) {
  PodSpec s;
  s.containers.push_back({"a", "", {500, 100, 0, 0}, {}, {}, {}});
  s.containers.push_back({"b", "", {250, 300, 0, 0}, {}, {}, {}});
  s.init_containers.push_back({"i", "", {1000, 200, 0, 0}, {}, {}, {}});
  auto r = s.effective_requests();
  EXPECT_EQ(r.milli_cpu, 1000);
  EXPECT_EQ(r.memory, 400);
}

TEST(IntOrPercent, Resolves) {
  EXPECT_EQ((IntOrPercent{true, 50}).resolve(5, true), 3);
  EXPECT_EQ((IntOrPercent{true, 50}).resolve(5, false), 2);
  EXPECT_EQ((IntOrPercent{false, 2}).resolve(5, false), 2);
}

}  // namespace
