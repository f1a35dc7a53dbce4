#pragma once
// A fresh directory under /tmp for one test, removed with everything in it afterwards.
#include <string>

namespace hn::test {

class TempDir {
 public:
  TempDir();
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
