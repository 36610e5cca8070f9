// Placeholder entry point; replaced by the subcommand dispatcher.
#include <cstdio>
#include "sim/version.hpp"
int main() { std::printf("azsim %s\n", azsim::kVersion); return 0; }
