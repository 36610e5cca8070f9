// Bit-identical floating point for the .cpp files of sim/ that turn random bits and samples
// into numbers (random streams, distributions, statistics).
//
// Include this header FIRST in such a .cpp file (never from another header). It forbids the
// compiler from fusing `a * b + c` into one fused multiply-add, which GCC does by default in
// C++ on targets with FMA (aarch64, x86-64 built with -march=haswell or later) and which
// changes the last bit of results: the same seed would then give different samples on
// different machines. It also refuses to build where double expressions are evaluated in
// extended precision (x87), for the same reason. (An explicit clang -ffp-contract=fast
// overrides the pragma by design; use -ffp-contract=fast-honor-pragmas instead.)
#pragma once

#include <cfloat>

#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

static_assert(FLT_EVAL_METHOD == 0, "azsim needs double expressions evaluated in double precision");
