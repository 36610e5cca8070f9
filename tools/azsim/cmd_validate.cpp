// azsim validate SCENARIO...: load and check scenario files without running them.
#include <iostream>

#include "cli.hpp"

namespace azsim::cli {

int cmd_validate(const std::vector<std::string>& args) {
  if (!args.empty() && (args.front() == "--help" || args.front() == "-h")) {
    std::cout << "Usage: azsim validate SCENARIO...\n\n"
                 "Checks each scenario file (and the manifest and eksctl files it names) and prints\n"
                 "every problem as FILE:LINE:COL: field.path: message. Exit 0 when all are valid, 1\n"
                 "otherwise.\n\nExample:\n  azsim validate scenarios/*.yaml\n";
    return kExitOk;
  }
  if (args.empty()) throw UsageError("validate: expected at least one SCENARIO file (see azsim validate --help)");
  int status = kExitOk;
  for (const auto& path : args) {
    if (!path.empty() && path.front() == '-') throw UsageError("validate: unknown option " + path);
    auto sc = load_or_report(path, std::cerr);
    if (sc) std::cout << path << ": ok (" << sc->name << ")\n";
    else status = kExitInvalid;
  }
  return status;
}

}  // namespace azsim::cli
