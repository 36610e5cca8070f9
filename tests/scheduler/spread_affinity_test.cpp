// Conformance cases for PodTopologySpread and InterPodAffinity filtering, after
// podtopologyspread/filtering_test.go and interpodaffinity/filtering_test.go.
#include "tests/scheduler/conformance_table.hpp"

namespace azsim::scheduler::testing {
namespace {

constexpr auto U = Code::Unschedulable;
constexpr auto UU = Code::UnschedulableAndUnresolvable;
constexpr auto OK = Code::Success;
const std::string kHost = k8s::wellknown::kHostname;
const std::string kZone = k8s::wellknown::kZone;

std::vector<FilterCase> spread_cases() {
  const auto a1 = make_node("a1", "zone-a");
  const auto a2 = make_node("a2", "zone-a");
  const auto b1 = make_node("b1", "zone-b");
  const auto web = make_pod("p", {{"app", "web"}});
  const std::string skew = "node(s) didn't match pod topology spread constraints";
  return {
      {"zone maxSkew 1: the fuller zone is rejected", {a1, b1}, {on_node(make_pod("w0", {{"app", "web"}}), "a1")},
       spread(web, kZone, 1, {{"app", "web"}}), "a1", PluginId::PodTopologySpread, U, skew},
      {"zone maxSkew 1: the emptier zone is accepted", {a1, b1}, {on_node(make_pod("w0", {{"app", "web"}}), "a1")},
       spread(web, kZone, 1, {{"app", "web"}}), "b1", PluginId::PodTopologySpread, OK, ""},
      {"maxSkew 2 tolerates one more", {a1, b1}, {on_node(make_pod("w0", {{"app", "web"}}), "a1")},
       spread(web, kZone, 2, {{"app", "web"}}), "a1", PluginId::PodTopologySpread, OK, ""},
      {"node without the topology key", {a1, unlabeled(b1, kZone)}, {}, spread(web, kZone, 1, {{"app", "web"}}), "b1",
       PluginId::PodTopologySpread, UU, "node(s) didn't match pod topology spread constraints (missing required label)"},
      {"ScheduleAnyway does not filter", {a1, b1}, {on_node(make_pod("w0", {{"app", "web"}}), "a1")},
       spread(web, kZone, 1, {{"app", "web"}}, k8s::UnsatisfiableConstraintAction::ScheduleAnyway), "a1",
       PluginId::PodTopologySpread, OK, ""},
      {"minDomains above the domain count makes the global minimum 0", {a1, b1},
       {on_node(make_pod("w0", {{"app", "web"}}), "a1"), on_node(make_pod("w1", {{"app", "web"}}), "b1")},
       spread(web, kZone, 1, {{"app", "web"}}, k8s::UnsatisfiableConstraintAction::DoNotSchedule, 3), "b1",
       PluginId::PodTopologySpread, U, skew},
      {"without minDomains the same placement fits", {a1, b1},
       {on_node(make_pod("w0", {{"app", "web"}}), "a1"), on_node(make_pod("w1", {{"app", "web"}}), "b1")},
       spread(web, kZone, 1, {{"app", "web"}}), "b1", PluginId::PodTopologySpread, OK, ""},
      {"a pod not matching its own selector adds nothing", {a1, b1}, {on_node(make_pod("w0", {{"app", "web"}}), "a1")},
       spread(make_pod("p", {{"app", "other"}}), kZone, 1, {{"app", "web"}}), "a1", PluginId::PodTopologySpread, OK,
       ""},
      {"hostname spreading counts per node", {a1, a2}, {on_node(make_pod("w0", {{"app", "web"}}), "a1")},
       spread(web, kHost, 1, {{"app", "web"}}), "a1", PluginId::PodTopologySpread, U, skew},
      {"pods of another namespace are not counted", {a1, b1},
       {in_ns(on_node(make_pod("w0", {{"app", "web"}}), "a1"), "other")}, spread(web, kZone, 1, {{"app", "web"}}), "a1",
       PluginId::PodTopologySpread, OK, ""},
      {"terminating pods are not counted", {a1, b1},
       {[] {
         auto p = on_node(make_pod("w0", {{"app", "web"}}), "a1");
         p.meta.deletion_timestamp = sim::Time::origin();
         return p;
       }()},
       spread(web, kZone, 1, {{"app", "web"}}), "a1", PluginId::PodTopologySpread, OK, ""},
  };
}

std::vector<FilterCase> affinity_cases() {
  const auto a1 = make_node("a1", "zone-a");
  const auto a2 = make_node("a2", "zone-a");
  const auto b1 = make_node("b1", "zone-b");
  const auto web = make_pod("p", {{"app", "web"}});
  const auto existing_web = on_node(make_pod("w0", {{"app", "web"}}), "a1");
  const std::string anti = "node(s) didn't match pod anti-affinity rules";
  const std::string aff = "node(s) didn't match pod affinity rules";
  const std::string existing_anti = "node(s) didn't satisfy existing pods anti-affinity rules";
  return {
      {"required anti-affinity by hostname rejects the node of a match", {a1, a2}, {existing_web},
       with_anti_affinity(web, term({{"app", "web"}}, kHost)), "a1", PluginId::InterPodAffinity, U, anti},
      {"required anti-affinity by hostname accepts another node", {a1, a2}, {existing_web},
       with_anti_affinity(web, term({{"app", "web"}}, kHost)), "a2", PluginId::InterPodAffinity, OK, ""},
      {"required anti-affinity by zone rejects every node of the zone", {a1, a2, b1}, {existing_web},
       with_anti_affinity(web, term({{"app", "web"}}, kZone)), "a2", PluginId::InterPodAffinity, U, anti},
      {"required anti-affinity by zone accepts another zone", {a1, a2, b1}, {existing_web},
       with_anti_affinity(web, term({{"app", "web"}}, kZone)), "b1", PluginId::InterPodAffinity, OK, ""},
      {"anti-affinity only looks in the pod's namespace", {a1}, {in_ns(existing_web, "other")},
       with_anti_affinity(web, term({{"app", "web"}}, kHost)), "a1", PluginId::InterPodAffinity, OK, ""},
      {"anti-affinity with explicit namespaces", {a1}, {in_ns(existing_web, "other")},
       with_anti_affinity(web,
                          [] {
                            auto t = term({{"app", "web"}}, kHost);
                            t.namespaces = {"other"};
                            return t;
                          }()),
       "a1", PluginId::InterPodAffinity, U, anti},
      {"existing pod's anti-affinity rejects a matching pod", {a1, a2},
       {with_anti_affinity(on_node(make_pod("db0", {{"app", "db"}}), "a1"), term({{"app", "web"}}, kHost))}, web, "a1",
       PluginId::InterPodAffinity, U, existing_anti},
      {"existing pod's anti-affinity only covers its topology", {a1, a2},
       {with_anti_affinity(on_node(make_pod("db0", {{"app", "db"}}), "a1"), term({{"app", "web"}}, kHost))}, web, "a2",
       PluginId::InterPodAffinity, OK, ""},
      {"existing pod's zone anti-affinity covers the whole zone", {a1, a2, b1},
       {with_anti_affinity(on_node(make_pod("db0", {{"app", "db"}}), "a1"), term({{"app", "web"}}, kZone))}, web, "a2",
       PluginId::InterPodAffinity, U, existing_anti},
      {"pod affinity satisfied in the zone of a match", {a1, a2, b1},
       {on_node(make_pod("db0", {{"app", "db"}}), "a1")}, with_affinity(web, term({{"app", "db"}}, kZone)), "a2",
       PluginId::InterPodAffinity, OK, ""},
      {"pod affinity not satisfied in another zone", {a1, a2, b1}, {on_node(make_pod("db0", {{"app", "db"}}), "a1")},
       with_affinity(web, term({{"app", "db"}}, kZone)), "b1", PluginId::InterPodAffinity, UU, aff},
      {"first pod of a group matching its own affinity", {a1, b1}, {},
       with_affinity(web, term({{"app", "web"}}, kZone)), "b1", PluginId::InterPodAffinity, OK, ""},
      {"no match anywhere and the pod does not match its own term", {a1, b1}, {},
       with_affinity(web, term({{"app", "db"}}, kZone)), "b1", PluginId::InterPodAffinity, UU, aff},
      {"pod affinity topology key missing on the node", {a1, unlabeled(b1, kZone)},
       {on_node(make_pod("db0", {{"app", "db"}}), "a1")}, with_affinity(web, term({{"app", "db"}}, kZone)), "b1",
       PluginId::InterPodAffinity, UU, aff},
  };
}

TEST(SpreadConformance, Table) {
  for (const auto& c : spread_cases()) run_case(c);
}

TEST(InterPodAffinityConformance, Table) {
  for (const auto& c : affinity_cases()) run_case(c);
}

}  // namespace
}  // namespace azsim::scheduler::testing
