#pragma once
// A large terminal database for the benchmarks that need history (policy check, and later the
// daily report and the upload): N sales of the 2008-12 phase over ~N/2 households, 4 active
// categories, 30 catalog models and a stock of unsold label cards. Generation takes a while,
// so the file is cached in Options::dir and reused while the schema version and the generator
// parameters match.
#include <cstdint>
#include <string>

#include "bench.hpp"
#include "core/date.hpp"

namespace hn::bench {

struct GeneratedStore {
  std::string db_path;
  std::int64_t sales = 0;
  std::int64_t households = 0;  // household_no(0 .. households-1) all have purchases
  std::int64_t stock = 0;       // label cards in stock
  bool generated_now = false;
  double generation_seconds = 0;  // 0 when reused
};

// The day after the last generated sale: the clock a benchmark on the store should use.
inline constexpr Date kGeneratedStoreToday{2010, 6, 15};

// Returns the cached store for options.sales, generating it first when it is missing, of
// another schema version or generator, or when options.regenerate is set. Generation runs in
// a child process so that this process's peak RSS is the benchmark's own.
GeneratedStore ensure_generated_store(const Options& options);

}  // namespace hn::bench
