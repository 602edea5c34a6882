// One get-sli request from start to finished data: choose each indicator's query, run it
// through a caller-given query function, and shape the get-sli.finished data as Keptn's
// provider does. Pure logic: the HTTP side is the query function.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "get_sli_request.hpp"
#include "query_reply.hpp"
#include "sli_file.hpp"

namespace kph::plugins::prometheus_sli {

// Runs one instant query at `time` (query_time_text) and reads its reply.
using QueryFunction =
    std::function<IndicatorOutcome(const std::string& query, const std::string& time)>;

struct IndicatorValue {
  std::string metric;
  IndicatorOutcome outcome;
};

// Queries every requested indicator, in order, one after another. A window that cannot be read
// (an unparsable start or end, or an end before the start) fails every indicator with the
// reason; nothing is queried then. `cancelled` is asked before each query: once it says yes
// the remaining indicators are not queried and the result is empty.
std::vector<IndicatorValue> retrieve_indicators(const GetSliRequest& request,
                                                const IndicatorQueries& queries,
                                                const QueryFunction& query,
                                                const std::function<bool()>& cancelled);

// get-sli.finished data with status succeeded: result pass (all retrieved), warning (some) or
// fail (none, with message "unable to retrieve metrics: ..."). Without indicators: pass and no
// indicatorValues.
nlohmann::json finished_data(const GetSliRequest& request,
                             const std::vector<IndicatorValue>& values);

// get-sli.finished data for a request that could not be worked on at all (bad sli.yaml, no
// Prometheus configured, a malformed event): status errored, result fail, the message, and the
// window echoed when it is known so that the evaluation can still show it.
nlohmann::json errored_data(const std::string& message, const std::string& start = "",
                            const std::string& end = "");

// An SLI value as JSON: whole numbers without a fraction (2, not 2.0), as Keptn encodes them.
nlohmann::json value_json(double value);

}  // namespace kph::plugins::prometheus_sli
