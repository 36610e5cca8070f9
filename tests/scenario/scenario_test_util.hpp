// Helpers for the scenario loader tests: load from a string with an in-memory file system,
// and read diagnostics as the formatted lines a user sees.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "models/scenario/loader.hpp"

namespace azsim::scenario::testing {

/// Files a test scenario may refer to, by resolved path. Anything else "does not exist".
using Files = std::map<std::string, std::string>;

inline LoadOptions in_memory(const Files& files) {
  LoadOptions o;
  o.read_file = [files](const std::string& path) {
    FileRead r;
    auto it = files.find(path);
    if (it == files.end()) {
      r.error = "no such file";
      return r;
    }
    r.ok = true;
    r.text = it->second;
    return r;
  };
  return o;
}

inline LoadResult load(const std::string& text, const std::string& name = "s.yaml", const Files& files = {}) {
  return load_scenario_from_string(text, name, in_memory(files));
}

inline std::vector<std::string> lines(const LoadResult& r, Severity severity) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics)
    if (d.severity == severity) out.push_back(format(d));
  return out;
}
inline std::vector<std::string> errors(const LoadResult& r) { return lines(r, Severity::Error); }
inline std::vector<std::string> warnings(const LoadResult& r) { return lines(r, Severity::Warning); }

/// `s` with the first occurrence of `from` replaced by `to` (which must occur).
inline std::string replace_first(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

/// A valid Scenario document of 12 lines (3 zones, one group of 3 t3.small nodes); tests
/// append lines 13 and on, indented under spec.
inline const std::string kBase =
    "apiVersion: azsim/v1alpha1\n"                       // 1
    "kind: Scenario\n"                                   // 2
    "metadata:\n"                                        // 3
    "  name: t\n"                                        // 4
    "spec:\n"                                            // 5
    "  cloud:\n"                                         // 6
    "    region: eu-west-1\n"                            // 7
    "    zones: [eu-west-1a, eu-west-1b, eu-west-1c]\n"  // 8
    "    nodeGroups:\n"                                  // 9
    "      - name: nodes\n"                              // 10
    "        instanceType: t3.small\n"                   // 11
    "        desiredCapacity: 3\n";                      // 12

/// A StatefulSet "cassandra" (3 replicas, 1Gi claims of class gp2) and the StorageClass gp2,
/// as two more documents: 26 lines, the first being "---".
inline const std::string kCassandra =
    "---\n"                                                        // +1
    "apiVersion: storage.k8s.io/v1\n"                              // +2
    "kind: StorageClass\n"                                         // +3
    "metadata: {name: gp2}\n"                                      // +4
    "provisioner: ebs.csi.aws.com\n"                               // +5
    "volumeBindingMode: WaitForFirstConsumer\n"                    // +6
    "---\n"                                                        // +7
    "apiVersion: apps/v1\n"                                        // +8
    "kind: StatefulSet\n"                                          // +9
    "metadata:\n"                                                  // +10
    "  name: cassandra\n"                                          // +11
    "spec:\n"                                                      // +12
    "  replicas: 3\n"                                              // +13
    "  selector: {matchLabels: {app: cassandra}}\n"                // +14
    "  template:\n"                                                // +15
    "    metadata: {labels: {app: cassandra}}\n"                   // +16
    "    spec:\n"                                                  // +17
    "      containers:\n"                                          // +18
    "        - name: cassandra\n"                                  // +19
    "          resources: {requests: {cpu: 500m, memory: 1Gi}}\n"  // +20
    "  volumeClaimTemplates:\n"                                    // +21
    "    - metadata: {name: data}\n"                               // +22
    "      spec:\n"                                                // +23
    "        accessModes: [ReadWriteOnce]\n"                       // +24
    "        storageClassName: gp2\n"                              // +25
    "        resources: {requests: {storage: 1Gi}}\n";             // +26

}  // namespace azsim::scenario::testing
