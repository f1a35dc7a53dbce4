#pragma once
// A fresh directory for one test or benchmark, removed with everything in it afterwards.
#include <string>

namespace hn::test {

class TempDir {
 public:
  TempDir();  // under /tmp
  // Under `parent` (created when missing), named `prefix`-XXXXXX: a benchmark picks the disk.
  TempDir(const std::string& parent, const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Reads a whole file as bytes ("" when missing).
std::string slurp(const std::string& path);

}  // namespace hn::test
