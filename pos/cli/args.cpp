#include "cli/args.hpp"

namespace hn::cli {

std::optional<std::string> Args::get(const std::string& name) const {
  const auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  const auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

bool parse_args(int argc, char** argv, const std::set<std::string>& flag_names, Args& out,
                ArgError& error) {
  out = {};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2);
      std::optional<std::string> value;
      if (const auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.erase(eq);
      }
      if (flag_names.count(name)) {
        if (value) {
          error = {"选项 --" + name + " 不带值", "option --" + name + " takes no value"};
          return false;
        }
        out.flags.insert(name);
        continue;
      }
      if (!value) {
        if (i + 1 >= argc) {
          error = {"选项 --" + name + " 缺少值", "option --" + name + " needs a value"};
          return false;
        }
        value = argv[++i];
      }
      out.options[name].push_back(*value);
    } else if (a == "-h") {
      out.flags.insert("help");
    } else {
      out.words.push_back(a);
    }
  }
  return true;
}

}  // namespace hn::cli
