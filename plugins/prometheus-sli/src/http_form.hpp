// application/x-www-form-urlencoded, as Prometheus' clients write it: keys sorted, space as
// '+', everything but letters, digits and -_.~ as %XX.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kph::plugins::prometheus_sli {

using FormParams = std::vector<std::pair<std::string, std::string>>;

std::string form_escape(const std::string& text);

// Sorted by key; values of one key keep their order.
std::string form_encode(FormParams params);

}  // namespace kph::plugins::prometheus_sli
