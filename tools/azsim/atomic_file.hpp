// Writing output files atomically: the content goes to a temporary file in the same folder,
// which is renamed over the target only when complete, so a failed run never leaves a
// truncated file where a good one was.
#pragma once

#include <string>

namespace azsim::cli {

/// Writes `content` to `path` atomically; returns an error message, empty on success.
std::string write_file_atomic(const std::string& path, const std::string& content);

}  // namespace azsim::cli
