// Standard, padded base64 (Go's base64.StdEncoding), for evaluation.sloFileContent.
#pragma once

#include <string>
#include <string_view>

namespace kph::plugins::lighthouse {

std::string base64_encode(std::string_view bytes);

}  // namespace kph::plugins::lighthouse
