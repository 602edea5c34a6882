#include "resources/local_directory_provider.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace kph::host {

LocalDirectoryProvider::LocalDirectoryProvider(std::filesystem::path root) {
  std::error_code ec;
  root_ = std::filesystem::weakly_canonical(root, ec);
  if (ec) root_ = std::filesystem::absolute(root);
}

Result<std::optional<std::string>> LocalDirectoryProvider::get(const ResourceRequest& request) {
  if (auto ok = check_resource_path("resource URI", request.uri); !ok) return ok.error();
  for (const auto& [what, name] : {std::pair{"project", &request.project},
                                   std::pair{"stage", &request.stage},
                                   std::pair{"service", &request.service}}) {
    if (name->find('/') != std::string::npos) {
      return Error{std::string(what) + " name \"" + *name + "\" refused: it contains '/'"};
    }
    if (auto ok = check_resource_path(std::string(what) + " name", *name); !ok) {
      return ok.error();
    }
  }
  const std::filesystem::path project = request.project;
  std::vector<std::filesystem::path> candidates;
  const auto service_path = project / request.stage / request.service / request.uri;
  const auto stage_path = project / request.stage / request.uri;
  const auto project_path = project / request.uri;
  switch (request.scope) {
    case KPH_SCOPE_SERVICE: candidates = {service_path}; break;
    case KPH_SCOPE_STAGE: candidates = {stage_path}; break;
    case KPH_SCOPE_PROJECT: candidates = {project_path}; break;
    default: candidates = {service_path, stage_path, project_path}; break;
  }
  for (const auto& candidate : candidates) {
    auto content = read(candidate);
    if (!content || content->has_value()) return content;
  }
  return std::optional<std::string>();
}

Result<std::optional<std::string>> LocalDirectoryProvider::read(
    const std::filesystem::path& relative) const {
  const auto file = root_ / relative;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::optional<std::string>();
  // A symlink may point anywhere; only what resolves inside the root is served.
  const auto real = std::filesystem::canonical(file, ec);
  if (ec) return std::optional<std::string>();
  const auto [root_end, ignored] = std::mismatch(root_.begin(), root_.end(), real.begin(), real.end());
  (void)ignored;
  if (root_end != root_.end()) {
    return Error{"resource " + relative.string() + " refused: it resolves to " + real.string() +
                 ", outside the resource folder " + root_.string()};
  }
  std::ifstream in(real, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return Error{"resource " + real.string() + ": read failed; check its permissions"};
  }
  return std::optional<std::string>(content.str());
}

}  // namespace kph::host
