// libFuzzer entry point for the scenario loader: every input is loaded as a YAML scenario and
// as a JSON one. The loader must never crash, hang or exhaust memory, whatever the bytes.
//
// Files named by the input (spec.manifests, spec.eksctl) are never read from disk: the sandbox
// answers every path with the input itself, so the manifest and eksctl readers see fuzzed
// text too, and one path ("missing.yaml") with "no such file".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "models/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  azsim::scenario::LoadOptions options;
  options.read_file = [&text](const std::string& path) {
    azsim::scenario::FileRead r;
    if (path.find("missing") != std::string::npos) {
      r.error = "no such file";
      return r;
    }
    r.ok = true;
    r.text = text;
    return r;
  };
  for (const char* name : {"fuzz/scenario.yaml", "fuzz/scenario.json"}) {
    const auto result = azsim::scenario::load_scenario_from_string(text, name, options);
    // Exercise the formatting of every diagnostic as the CLI would.
    std::size_t total = result.report().size();
    if (result.ok()) total += result.scenario->name.size();
    if (total == static_cast<std::size_t>(-1)) return 1;  // keeps the work observable
  }
  return 0;
}
