#include <kph/host/resource_provider.hpp>

namespace kph::host {

Status check_resource_path(const std::string& what, const std::string& path) {
  auto refuse = [&](const std::string& why) {
    return Error{what + " \"" + path + "\" refused: " + why +
                 "; resources are named by relative paths inside the project"};
  };
  if (path.empty()) return refuse("it is empty");
  if (path.find('\0') != std::string::npos) return refuse("it contains a NUL byte");
  if (path.front() == '/') return refuse("it is an absolute path");
  if (path.back() == '/') return refuse("it ends with '/', naming a folder");
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string segment = path.substr(start, end - start);
    if (segment == "..") return refuse("it climbs out with \"..\"");
    // "." would name the same file under two URIs, and git trees have no "." entry.
    if (segment == ".") return refuse("it has a \".\" segment");
    if (segment.empty()) return refuse("it has an empty path segment");
    start = end + 1;
  }
  return ok_status();
}

}  // namespace kph::host
