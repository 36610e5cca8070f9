// "Did you mean ...?" for misspelt field names, instance types, zones and object names.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace azsim::scenario {

/// Levenshtein distance between two strings, case-insensitive for ASCII letters (a user who
/// writes "nodegroups" for "nodeGroups" made a one-letter mistake, not zero).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if it is close enough to be a plausible typo: distance at
/// most 2, or at most a third of the word's length for long words; a case-only difference
/// always qualifies. Empty when none is close, or when several are equally close.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean \"X\"?)" when closest() finds X, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// "a, b or c" (quoted when `quote`), for messages listing what is allowed.
std::string one_of(const std::vector<std::string>& options, bool quote = false);

}  // namespace azsim::scenario
