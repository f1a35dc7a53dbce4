#pragma once
// An invariant of a fuzz target: when it does not hold, say which and abort, so libFuzzer (or
// the corpus replay in the normal suite) reports the input as a finding.
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                   \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)
