// Diagnostic formatting, ordering and the cap on reported errors.
#include "models/scenario/diagnostics.hpp"

#include <gtest/gtest.h>

#include "models/scenario/limits.hpp"

namespace azsim::scenario {
namespace {

TEST(Format, FileLineColumnPathMessage) {
  EXPECT_EQ(format({Severity::Error, "s.yaml", 12, 9, "spec.faults[2].at", "bad"}),
            "s.yaml:12:9: spec.faults[2].at: bad");
}

TEST(Format, WarningsSayWarningAndEmptyPartsAreLeftOut) {
  EXPECT_EQ(format({Severity::Warning, "m.yaml", 3, 1, "kind", "ignored"}), "m.yaml:3:1: warning: kind: ignored");
  EXPECT_EQ(format({Severity::Error, "s.yaml", 5, 11, "", "invalid YAML: x"}), "s.yaml:5:11: invalid YAML: x");
  EXPECT_EQ(format({Severity::Error, "s.yaml", 0, 0, "", "cannot read"}), "s.yaml: cannot read");
}

TEST(Format, ControlCharactersInValuesAreEscapedToKeepOneLine) {
  // A quoted or block scalar may hold any character; the diagnostic stays one line.
  EXPECT_EQ(format({Severity::Error, "s.yaml", 6, 13, "spec.duration", "\"20m\nfoo\" is not a duration"}),
            "s.yaml:6:13: spec.duration: \"20m\\nfoo\" is not a duration");
  EXPECT_EQ(format({Severity::Error, "s.yaml", 1, 1, "a\tb", std::string("x\r\x01\x7f", 4)}),
            "s.yaml:1:1: a\\tb: x\\r\\x01\\x7F");
  EXPECT_EQ(format({Severity::Error, "s.yaml", 1, 1, "p", "caf\xc3\xa9 stays"}), "s.yaml:1:1: p: caf\xc3\xa9 stays");
}

TEST(SourceLoc, Where) {
  EXPECT_EQ((SourceLoc{"a.yaml", 3, 7}).where(), "a.yaml:3:7");
  EXPECT_EQ((SourceLoc{"a.yaml", 0, 0}).where(), "a.yaml");
}

TEST(Diagnostics, SortedByFileInFirstMentionOrderThenLineThenColumn) {
  Diagnostics d;
  d.error({"s.yaml", 9, 1}, "b", "later");
  d.error({"m.yaml", 1, 1}, "c", "manifest");
  d.warning({"s.yaml", 2, 5}, "a", "warn");
  d.error({"s.yaml", 2, 5}, "a", "same place, errors first");
  d.error({"s.yaml", 2, 3}, "a", "earlier column");
  const auto out = d.sorted();
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0].message, "earlier column");
  EXPECT_EQ(out[1].message, "same place, errors first");
  EXPECT_EQ(out[2].message, "warn");
  EXPECT_EQ(out[3].message, "later");
  EXPECT_EQ(out[4].file, "m.yaml");
  EXPECT_EQ(d.error_count(), 4u);
}

TEST(Diagnostics, IdenticalDiagnosticsCollapse) {
  Diagnostics d;
  d.error({"s.yaml", 1, 1}, "p", "m");
  d.error({"s.yaml", 1, 1}, "p", "m");
  EXPECT_EQ(d.sorted().size(), 1u);
}

TEST(Diagnostics, ReportsAtMostTheCapThenCountsTheRest) {
  Diagnostics d;
  const std::size_t n = limits::kMaxReportedErrors + 7;
  for (std::size_t i = 0; i < n; ++i) d.error({"s.yaml", static_cast<int>(i + 1), 1}, "p", "e");
  const auto out = d.sorted();
  ASSERT_EQ(out.size(), limits::kMaxReportedErrors + 1);
  EXPECT_EQ(out.back().message, "7 more error(s) not shown; fix the ones above first");
  EXPECT_EQ(out[limits::kMaxReportedErrors - 1].line, static_cast<int>(limits::kMaxReportedErrors));
}

TEST(Diagnostics, StorageIsBoundedButEveryErrorIsCounted) {
  Diagnostics d;
  const std::size_t n = limits::kMaxStoredDiagnostics + 50;
  for (std::size_t i = 0; i < n; ++i) d.error({"s.yaml", static_cast<int>(i + 1), 1}, "p", "e");
  EXPECT_TRUE(d.saturated());
  EXPECT_EQ(d.error_count(), n);
  const auto out = d.sorted();
  EXPECT_EQ(out.back().message,
            std::to_string(n - limits::kMaxReportedErrors) + " more error(s) not shown; fix the ones above first");
}

TEST(Diagnostics, ManyWarningsNeverCrowdOutAnErrorNorSaturate) {
  Diagnostics d;
  const std::size_t n = limits::kMaxStoredDiagnostics + 5;
  for (std::size_t i = 0; i < n; ++i) d.warning({"s.yaml", static_cast<int>(i + 2), 1}, "p", "w");
  EXPECT_FALSE(d.saturated());
  d.error({"s.yaml", 1, 1}, "p", "the error");
  const auto out = d.sorted();
  EXPECT_EQ(out.front().message, "the error");
  ASSERT_EQ(out.size(), 1 + limits::kMaxStoredWarnings + 1);
  EXPECT_EQ(format(out.back()),
            "s.yaml: warning: " + std::to_string(n - limits::kMaxStoredWarnings) + " more warning(s) not shown");
}

}  // namespace
}  // namespace azsim::scenario
