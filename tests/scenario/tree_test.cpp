// The positioned document tree: YAML and JSON parsing, positions, quoting, duplicate keys,
// merge keys, aliases and limits.
#include "models/scenario/tree.hpp"

#include <gtest/gtest.h>

#include "models/scenario/limits.hpp"

namespace azsim::scenario {
namespace {

ParsedFile yaml(const std::string& text, Diagnostics& d) { return parse_yaml(text, "t.yaml", d); }

/// The diagnostics as the CLI prints them, in order.
std::vector<std::string> formatted(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& e : d.sorted()) out.push_back(format(e));
  return out;
}

TEST(YamlTree, PositionsAreOneBasedForKeysAndValues) {
  Diagnostics d;
  const auto f = yaml("a: 1\nlist:\n  - x\n  - {k: v}\n", d);
  ASSERT_TRUE(f.ok);
  ASSERT_EQ(f.documents.size(), 1u);
  const Node& root = f.documents[0];
  ASSERT_TRUE(root.is_map());
  EXPECT_EQ(root.keys[0].line, 1);
  EXPECT_EQ(root.keys[0].col, 1);
  EXPECT_EQ(root.items[0].line, 1);
  EXPECT_EQ(root.items[0].col, 4);
  const Node* list = root.find("list");
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0].line, 3);
  EXPECT_EQ(list->items[0].col, 5);
  EXPECT_EQ(list->items[1].find("k")->text, "v");
  EXPECT_EQ(list->items[1].find("k")->col, 9);
}

TEST(YamlTree, QuotedAndBlockScalarsAreNotPlain) {
  Diagnostics d;
  const auto f = yaml("a: \"3\"\nb: '3'\nc: 3\nd: |\n  text\ne: !!str 3\n", d);
  ASSERT_TRUE(f.ok);
  const Node& r = f.documents[0];
  EXPECT_FALSE(r.find("a")->plain);
  EXPECT_FALSE(r.find("b")->plain);
  EXPECT_TRUE(r.find("c")->plain);
  EXPECT_FALSE(r.find("d")->plain);
  EXPECT_EQ(r.find("d")->text, "text\n");
  EXPECT_FALSE(r.find("e")->plain);
}

TEST(YamlTree, EmptyValuePointsAtItsKey) {
  Diagnostics d;
  const auto f = yaml("a:\nb: 1\n", d);
  ASSERT_TRUE(f.ok);
  const Node* a = f.documents[0].find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->is_null());
  EXPECT_EQ(a->line, 1);
  EXPECT_EQ(a->col, 1);
}

TEST(YamlTree, MultipleDocumentsAndEmptyOnesDropped) {
  Diagnostics d;
  const auto f = yaml("---\na: 1\n---\n---\nb: 2\n", d);
  ASSERT_TRUE(f.ok);
  ASSERT_EQ(f.documents.size(), 2u);
  EXPECT_EQ(f.documents[1].line, 5);
}

TEST(YamlTree, DuplicateKeysAreErrors) {
  Diagnostics d;
  const auto f = yaml("a: 1\nb: 2\na: 3\n", d);
  EXPECT_FALSE(f.ok);
  const auto out = d.sorted();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(format(out[0]), "t.yaml:3:1: a: mapping key \"a\" already defined at 1:1");
}

TEST(YamlTree, DuplicateKeysAreNamedByTheirFieldPath) {
  // In a list item, in a flow map, and after a merge key: the path leads to the repeated key.
  Diagnostics d;
  const auto f = yaml("spec:\n  groups:\n    - name: a\n    - name: b\n      size: 1\n      size: 2\n"
                      "  zones: {x: 1, x: 2}\n"
                      "base: &b {k: 1}\nm:\n  <<: *b\n  j: 1\n  j: 2\n  <<: 3\n",
                      d);
  EXPECT_FALSE(f.ok);
  const std::vector<std::string> got = formatted(d);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "t.yaml:6:7: spec.groups[1].size: mapping key \"size\" already defined at 5:7",
                     "t.yaml:7:17: spec.zones.x: mapping key \"x\" already defined at 7:11",
                     "t.yaml:12:3: m.j: mapping key \"j\" already defined at 11:3",
                     "t.yaml:13:7: m.<<: a merge key (<<) takes a map or a list of maps",
                 }));
}

TEST(YamlTree, DuplicateKeysInAManifestAreNamedFromItsObject) {
  // As the manifest reader names its fields ("StatefulSet/web.spec.replicas"): the outermost
  // object with apiVersion and kind, whether a document, a List item or a scenario's inline
  // manifest. A nested reference (ownerReferences) is not an object of its own; the Scenario
  // keeps its plain paths.
  Diagnostics d;
  const auto f = yaml(
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n"
      "  ownerReferences: [{apiVersion: v1, kind: X, name: a, name: b}]\n"
      "spec:\n  replicas: 1\n  replicas: 2\n"
      "---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {}\n"
      "    spec: {a: 1, a: 2}\n"
      "---\napiVersion: azsim/v1alpha1\nkind: Scenario\nspec:\n  duration: 1m\n  duration: 2m\n"
      "  manifests:\n    - apiVersion: v1\n      kind: Pod\n      metadata: {name: p, name: q}\n",
      d);
  EXPECT_FALSE(f.ok);
  const std::vector<std::string> got = formatted(d);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "t.yaml:5:56: StatefulSet/web.metadata.ownerReferences[0].name: mapping key \"name\" already "
                     "defined at 5:47",
                     "t.yaml:8:3: StatefulSet/web.spec.replicas: mapping key \"replicas\" already defined at 7:3",
                     "t.yaml:16:18: Pod/?.spec.a: mapping key \"a\" already defined at 16:12",
                     "t.yaml:22:3: spec.duration: mapping key \"duration\" already defined at 21:3",
                     "t.yaml:26:27: Pod/p.metadata.name: mapping key \"name\" already defined at 26:18",
                 }));
}

TEST(YamlTree, AnUnfinishedDocumentNamesDuplicatesFromTheFile) {
  // A syntax error ends the document before its object is known: the path starts at the root.
  Diagnostics d;
  const auto f = yaml("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  name: q\nspec: [\n", d);
  EXPECT_FALSE(f.ok);
  const std::vector<std::string> got = formatted(d);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], "t.yaml:5:3: metadata.name: mapping key \"name\" already defined at 4:3");
}

TEST(YamlTree, MergeKeysCopyWhatTheMapDoesNotSet) {
  Diagnostics d;
  const auto f = yaml("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n", d);
  ASSERT_TRUE(f.ok) << d.sorted().size();
  const Node* m = f.documents[0].find("m");
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->keys.size(), 2u);
  EXPECT_EQ(m->find("y")->text, "3");  // the map's own value wins
  EXPECT_EQ(m->find("x")->text, "1");
  EXPECT_EQ(m->find("<<"), nullptr);
}

TEST(YamlTree, AliasesAreExpandedAtTheAliasPosition) {
  Diagnostics d;
  const auto f = yaml("a: &x [1, 2]\nb: *x\n", d);
  ASSERT_TRUE(f.ok);
  const Node* b = f.documents[0].find("b");
  ASSERT_TRUE(b->is_seq());
  EXPECT_EQ(b->items.size(), 2u);
  EXPECT_EQ(b->line, 2);
  EXPECT_EQ(b->col, 4);
}

TEST(YamlTree, InputThatStallsTheYamlParserIsAnError) {
  // yaml-cpp 0.7 alone would report empty documents at the ',' forever (found by fuzzing).
  Diagnostics d;
  const auto f = yaml("  a:\n ,\n", d);
  EXPECT_FALSE(f.ok);
  EXPECT_EQ(format(d.sorted().at(0)),
            "t.yaml:2:2: invalid YAML: unexpected character, the parser cannot go on from here");
}

TEST(YamlTree, ComplexKeysAreErrors) {
  Diagnostics d;
  const auto f = yaml("? [a]\n: 1\n", d);
  EXPECT_FALSE(f.ok);
  EXPECT_EQ(format(d.sorted().at(0)), "t.yaml:1:3: mapping keys must be plain strings, not lists or maps");
}

TEST(YamlTree, NestingDepthIsLimited) {
  Diagnostics d;
  const std::string deep = std::string(limits::kMaxDepth + 1, '[') + std::string(limits::kMaxDepth + 1, ']');
  const auto f = yaml(deep, d);
  EXPECT_FALSE(f.ok);
  // The list that would be one level too deep opens at column kMaxDepth + 1.
  EXPECT_EQ(format(d.sorted().at(0)), "t.yaml:1:" + std::to_string(limits::kMaxDepth + 1) +
                                          ": lists and maps nested more than " + std::to_string(limits::kMaxDepth) +
                                          " deep");
}

TEST(YamlTree, OversizedFilesAreRefusedUnread) {
  Diagnostics d;
  const auto f = yaml(std::string(limits::kMaxFileBytes + 1, '#'), d);
  EXPECT_FALSE(f.ok);
  EXPECT_EQ(format(d.sorted().at(0)), "t.yaml:1:1: file is larger than 4 MiB, the limit for scenario files");
}

TEST(JsonTree, ValidJsonBuildsThePositionedTree) {
  Diagnostics d;
  const auto f = parse_json("{\n  \"a\": [1, \"2\"],\n\t\"b\": {\"c\": null}\n}\n", "t.json", d);
  ASSERT_TRUE(f.ok);
  const Node& r = f.documents.at(0);
  const Node* a = r.find("a");
  ASSERT_TRUE(a->is_seq());
  EXPECT_TRUE(a->items[0].plain);
  EXPECT_FALSE(a->items[1].plain);  // "2" is a string
  EXPECT_EQ(a->line, 2);
  EXPECT_EQ(a->col, 8);
  EXPECT_TRUE(r.find("b")->find("c")->is_null());
}

TEST(JsonTree, SurrogatePairsDecodeToOneCharacter) {
  Diagnostics d;
  const auto f = parse_json("{\"s\": \"x\\ud83d\\ude00y\", \"t\": \"\\u00e9\"}", "t.json", d);
  ASSERT_TRUE(f.ok);
  EXPECT_EQ(f.documents[0].find("s")->text, "x\xF0\x9F\x98\x80y");
  EXPECT_EQ(f.documents[0].find("t")->text, "\xC3\xA9");
}

TEST(JsonTree, StrictSyntaxErrorsGiveLineAndColumn) {
  Diagnostics d;
  // Line 3 `  "b": 2,` is followed by `}` on line 4, column 1: a trailing comma.
  const auto f = parse_json("{\n  \"a\": 1,\n  \"b\": 2,\n}\n", "t.json", d);
  EXPECT_FALSE(f.ok);
  EXPECT_EQ(
      format(d.sorted().at(0)),
      "t.json:4:1: invalid JSON: syntax error while parsing object key - unexpected '}'; expected string literal");
}

TEST(JsonTree, CommentsAreNotJson) {
  Diagnostics d;
  const auto f = parse_json("{\"a\": 1 # no\n}", "t.json", d);
  EXPECT_FALSE(f.ok);
  EXPECT_EQ(d.sorted().at(0).line, 1);
  EXPECT_EQ(d.sorted().at(0).col, 9);
}

TEST(JsonTree, DuplicateKeysAreErrorsToo) {
  Diagnostics d;
  const auto f = parse_json("{\"a\": 1, \"a\": 2}", "t.json", d);
  EXPECT_FALSE(f.ok);
  EXPECT_EQ(format(d.sorted().at(0)), "t.json:1:10: a: mapping key \"a\" already defined at 1:2");
}

TEST(ParseText, ChoosesByExtension) {
  EXPECT_TRUE(is_json_name("a/b.json"));
  EXPECT_TRUE(is_json_name("B.JSON"));
  EXPECT_FALSE(is_json_name("b.yaml"));
  EXPECT_FALSE(is_json_name("json"));
  Diagnostics d;
  // YAML accepts a comment; strict JSON does not.
  EXPECT_TRUE(parse_text("{\"a\": 1} # c", "x.yaml", d).ok);
  EXPECT_FALSE(parse_text("{\"a\": 1} # c", "x.json", d).ok);
}

TEST(LineCol, CountsLinesAndBytes) {
  const std::string t = "ab\ncd\n\nx";
  EXPECT_EQ(line_col_at(t, 0).line, 1);
  EXPECT_EQ(line_col_at(t, 0).col, 1);
  EXPECT_EQ(line_col_at(t, 4).line, 2);
  EXPECT_EQ(line_col_at(t, 4).col, 2);
  EXPECT_EQ(line_col_at(t, 7).line, 4);
  EXPECT_EQ(line_col_at(t, 100).line, 4);  // clamped
}

}  // namespace
}  // namespace azsim::scenario
