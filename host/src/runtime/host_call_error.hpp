// The per-thread text behind kph_host_api.get_last_error.
#pragma once

#include <string>

namespace kph::host {

void set_host_error(std::string message);
const std::string& host_error();
void clear_host_error();

}  // namespace kph::host
