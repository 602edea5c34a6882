#include "resources/resource_service_path.hpp"

namespace kph::host {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string resource_service_target(std::string_view base_path, const ResourceRequest& request,
                                    ResourceLevel level) {
  std::string target(base_path);
  target += "/v1/project/" + percent_encode(request.project);
  if (level != ResourceLevel::kProject) target += "/stage/" + percent_encode(request.stage);
  if (level == ResourceLevel::kService) target += "/service/" + percent_encode(request.service);
  target += "/resource/" + percent_encode(request.uri);
  if (!request.git_commit_id.empty()) {
    target += "?gitCommitID=" + percent_encode(request.git_commit_id);
  }
  return target;
}

}  // namespace kph::host
