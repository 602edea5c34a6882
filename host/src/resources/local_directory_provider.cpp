#include "resources/local_directory_provider.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace kph::host {
namespace {

bool is_inside(const std::filesystem::path& root, const std::filesystem::path& path) {
  const auto [root_end, ignored] =
      std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  (void)ignored;
  return root_end == root.end();
}

}  // namespace

LocalDirectoryProvider::LocalDirectoryProvider(std::filesystem::path root) {
  std::error_code ec;
  root_ = std::filesystem::weakly_canonical(root, ec);
  if (ec) root_ = std::filesystem::absolute(root);
}

Result<std::optional<std::string>> LocalDirectoryProvider::get(const ResourceRequest& request) {
  auto levels = lookup_levels(request);
  if (!levels) return levels.error();
  // Symlinks are followed only within the project's own folder, as the git provider follows
  // them only within the project's repository.
  std::error_code ec;
  const auto project_root = std::filesystem::canonical(root_ / request.project, ec);
  if (ec) return std::optional<std::string>();
  for (const ResourceLevel level : *levels) {
    std::filesystem::path relative;
    switch (level) {
      case ResourceLevel::kService:
        relative = std::filesystem::path(request.stage) / request.service / request.uri;
        break;
      case ResourceLevel::kStage:
        relative = std::filesystem::path(request.stage) / request.uri;
        break;
      case ResourceLevel::kProject:
        relative = request.uri;
        break;
    }
    auto content = read(project_root, relative);
    if (!content || content->has_value()) return content;
  }
  return std::optional<std::string>();
}

Result<std::optional<std::string>> LocalDirectoryProvider::read(
    const std::filesystem::path& project_root, const std::filesystem::path& relative) const {
  const auto file = project_root / relative;
  std::error_code ec;
  // symlink_status first: a link that leads out of the project is refused even when its
  // target does not exist, so a probe cannot tell which outside paths exist.
  if (!std::filesystem::exists(std::filesystem::symlink_status(file, ec))) {
    return std::optional<std::string>();
  }
  auto real = std::filesystem::weakly_canonical(file, ec);
  // weakly_canonical leaves a dangling link unresolved; where it points still decides.
  if (!ec && std::filesystem::is_symlink(std::filesystem::symlink_status(real, ec))) {
    const auto target = std::filesystem::read_symlink(real, ec);
    real = (target.is_absolute() ? target : real.parent_path() / target).lexically_normal();
  }
  if (ec || !is_inside(project_root, real)) {
    return Error{"resource " + relative.string() + " refused: it resolves to " +
                 (ec ? std::string("an unresolvable path") : real.string()) +
                 ", outside the project's resource folder " + project_root.string() +
                 "; resources are read only inside their project"};
  }
  if (!std::filesystem::is_regular_file(real, ec)) return std::optional<std::string>();
  const auto size = std::filesystem::file_size(real, ec);
  if (!ec && size > kMaxResourceBytes) {
    return Error{"resource " + real.string() + " is " + std::to_string(size) +
                 " bytes; expected at most " + std::to_string(kMaxResourceBytes) +
                 "; keep large artifacts out of the Keptn resources"};
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
