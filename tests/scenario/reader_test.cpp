// Typed reads from the tree: kubectl's scalar typing, errors at the value, unknown keys with
// suggestions, paths and locating a path again.
#include "models/scenario/reader.hpp"

#include <gtest/gtest.h>

#include "models/scenario/suggest.hpp"

namespace azsim::scenario {
namespace {

struct Doc {
  explicit Doc(const std::string& text) {
    auto f = parse_yaml(text, "r.yaml", diags);
    EXPECT_TRUE(f.ok);
    root = f.documents.at(0);
    ctx = ReadContext{"r.yaml", &diags};
  }
  Field field() const { return Field::root(root, "", ctx); }
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const auto& d : diags.sorted()) out.push_back(format(d));
    return out;
  }
  Diagnostics diags;
  Node root;
  ReadContext ctx;
};

TEST(ResolvePlain, YamlOneOneTypesAsKubectlReadsThem) {
  EXPECT_EQ(resolve_plain("~"), ScalarType::Null);
  EXPECT_EQ(resolve_plain("null"), ScalarType::Null);
  for (const char* b : {"true", "False", "YES", "no", "on", "Off", "y", "N"})
    EXPECT_EQ(resolve_plain(b), ScalarType::Bool) << b;
  for (const char* i : {"0", "-3", "+12", "0x1F", "0o17", "010"}) EXPECT_EQ(resolve_plain(i), ScalarType::Int) << i;
  for (const char* f : {"1.30", "-0.5", "1e3", ".5", ".inf", "-.Inf", ".nan"})
    EXPECT_EQ(resolve_plain(f), ScalarType::Float) << f;
  for (const char* s : {"eu-west-1a", "500m", "1Gi", "10m", "v1.29", "0x", "1.2.3", "yes-no"})
    EXPECT_EQ(resolve_plain(s), ScalarType::String) << s;
}

TEST(Field, TypedReadsAcceptTheRightType) {
  Doc d("s: text\ni: -4\nn: 2.5\nb: yes\nt: 1h30m\nl: [a, b]\nm: {k: v}\nq: \"quoted\"\n");
  const Field f = d.field();
  EXPECT_EQ(f["s"].str(), "text");
  EXPECT_EQ(f["q"].str(), "quoted");
  EXPECT_EQ(f["i"].integer(-10, 10), -4);
  EXPECT_EQ(f["n"].number(0, 10), 2.5);
  EXPECT_EQ(f["i"].number(-10, 10), -4.0);
  EXPECT_EQ(f["b"].boolean(), true);
  EXPECT_EQ(f["t"].duration(), sim::Duration::minutes(90));
  EXPECT_EQ(f["l"].str_list(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f["m"].str_map()->at(0).second, "v");
  EXPECT_FALSE(f["absent"].present());
  EXPECT_EQ(f["absent"].str(), std::nullopt);
  EXPECT_TRUE(d.messages().empty());
}

TEST(Field, WrongTypesAreReportedAtTheValue) {
  Doc d("i: \"3\"\ns: 1.30\nb: \"true\"\nm: [x]\nr: 11\n");
  const Field f = d.field();
  EXPECT_EQ(f["i"].integer(0, 10), std::nullopt);
  EXPECT_EQ(f["s"].str(), std::nullopt);
  EXPECT_EQ(f["b"].boolean(), std::nullopt);
  EXPECT_FALSE(f["m"].expect_map());
  EXPECT_EQ(f["r"].integer(0, 10), std::nullopt);
  EXPECT_EQ(d.messages(),
            (std::vector<std::string>{
                "r.yaml:1:4: i: expected an integer, got the string \"3\"",
                "r.yaml:2:4: s: expected a string, got the number 1.30; quote it (\"1.30\") if it is meant as text",
                "r.yaml:3:4: b: expected true or false, got the string \"true\"",
                "r.yaml:4:4: m: expected a map, got a list",
                "r.yaml:5:4: r: must be at most 10, got 11",
            }));
}

TEST(Field, StrOrNumberKeepsTheTextAsWritten) {
  Doc d("v: 1.30\n");
  EXPECT_EQ(d.field()["v"].str_or_number(), "1.30");
}

TEST(Field, RequireReportsAtTheParent) {
  Doc d("spec:\n  x: 1\n");
  EXPECT_FALSE(d.field()["spec"]["duration"].require("e.g. 1h"));
  EXPECT_EQ(d.messages(), std::vector<std::string>{"r.yaml:2:3: spec.duration: required: e.g. 1h"});
}

TEST(Field, UnknownKeysGetASuggestion) {
  Doc d("nodeGroup: 1\nzones: []\nfoo: 2\n");
  d.field().check_keys({"nodeGroups", "zones"}, UnknownKeys::Error);
  EXPECT_EQ(d.messages(), (std::vector<std::string>{
                              "r.yaml:1:1: nodeGroup: unknown field \"nodeGroup\" (did you mean \"nodeGroups\"?)",
                              "r.yaml:3:1: foo: unknown field \"foo\"",
                          }));
}

TEST(Field, UnknownKeysCanBeWarnings) {
  Doc d("replica: 1\n");
  d.field().check_keys({"replicas"}, UnknownKeys::Warn, "kubectl would reject it");
  EXPECT_EQ(d.messages(), std::vector<std::string>{"r.yaml:1:1: warning: replica: unknown field \"replica\" (did you "
                                                   "mean \"replicas\"?); kubectl would reject it"});
  EXPECT_FALSE(d.diags.has_errors());
}

TEST(Field, OneOfSuggests) {
  Doc d("a: Retian\n");
  EXPECT_EQ(d.field()["a"].one_of({"Retain", "Delete"}), std::nullopt);
  EXPECT_EQ(d.messages(), std::vector<std::string>{
                              "r.yaml:1:4: a: \"Retian\" is not one of Retain or Delete (did you mean \"Retain\"?)"});
}

TEST(Paths, ChildPathsQuoteKeysWithDotsOrSlashes) {
  EXPECT_EQ(child_path("", "spec"), "spec");
  EXPECT_EQ(child_path("spec", "cloud"), "spec.cloud");
  EXPECT_EQ(child_path("metadata.labels", "app.kubernetes.io/name"), "metadata.labels[\"app.kubernetes.io/name\"]");
}

TEST(Paths, LocateFindsTheDeepestWrittenNode) {
  Doc d("spec:\n  faults:\n    - at: 5m\n    - at: 6m\n  labels: {a.b/c: x}\n");
  const Node& at = locate(d.root, "spec.faults[1].at");
  EXPECT_EQ(at.line, 4);
  EXPECT_EQ(at.col, 11);
  const Node& missing = locate(d.root, "spec.faults[1].node.name");  // stops at faults[1]
  EXPECT_EQ(missing.line, 4);
  EXPECT_EQ(missing.col, 7);
  const Node& quoted = locate(d.root, "spec.labels[\"a.b/c\"]");
  EXPECT_EQ(quoted.text, "x");
  EXPECT_EQ(&locate(d.root, ""), &d.root);
}

TEST(Suggest, EditDistanceIgnoresCase) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("nodegroups", "nodeGroups"), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(Suggest, ClosestNeedsAUniqueNearCandidate) {
  EXPECT_EQ(closest("duraton", {"duration", "seed"}), "duration");
  EXPECT_EQ(closest("nodegroups", {"nodeGroups"}), "nodeGroups");      // case only
  EXPECT_EQ(closest("eu-west-1d", {"eu-west-1a", "eu-west-1b"}), "");  // a tie
  EXPECT_EQ(closest("xyz", {"duration"}), "");                         // too far
  EXPECT_EQ(closest("ab", {"cd"}), "");                                // nothing in common
  EXPECT_EQ(one_of({"a", "b", "c"}), "a, b or c");
  EXPECT_EQ(one_of({"a"}, true), "\"a\"");
}

}  // namespace
}  // namespace azsim::scenario
