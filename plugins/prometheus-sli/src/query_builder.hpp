// Turns an indicator name into the PromQL sent to Prometheus: the sli.yaml template with its
// placeholders filled in, or one of the five built-in queries.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parsed.hpp"
#include "sli_file.hpp"

namespace kph::plugins::prometheus_sli {

struct CustomFilter {
  std::string key;
  std::string value;
};

// Everything a query may refer to, from one get-sli.triggered event.
struct QueryContext {
  std::string project;
  std::string stage;
  std::string service;
  std::string deployment;                                   // $DEPLOYMENT, already resolved
  std::vector<std::pair<std::string, std::string>> labels;  // $LABEL.<name>
  std::vector<CustomFilter> filters;                        // get-sli.customFilters, in order
  std::string duration;                                     // $DURATION_SECONDS, e.g. "76s"
};

// The names with a built-in query: throughput, error_rate, response_time_p50/p90/p95.
const std::vector<std::string>& built_in_indicators();

// The label matcher of the built-in queries: one term per custom filter (`key='value'`, or
// `key<op>value` when the value starts with =, !=, =~ or !~), preceded by
// job='<service>-<project>-<stage>-canary' unless a filter has the key `job`.
std::string default_filter_expression(const QueryContext& context);

// The built-in query of an indicator, or nothing when the name has none.
std::optional<std::string> built_in_query(const std::string& indicator,
                                          const QueryContext& context);

// Fills a sli.yaml template, in Keptn's order: custom filters ($<key>, then $<KEY>), then
// $PROJECT $STAGE $SERVICE $DEPLOYMENT, then $LABEL.<name>, then $DURATION_SECONDS. Each step is
// a plain replace-all, so text brought in by an earlier step is seen by later ones. Within a
// step longer names go first, so a label `ver` cannot eat the front of `$LABEL.version`.
// Unknown `$...` text is left as it is.
std::string substitute_placeholders(const std::string& query_template, const QueryContext& context);

// The query for one indicator: the merged sli.yaml's non-empty entry, else the built-in one,
// else an error that says how to add it.
Parsed<std::string> query_for_indicator(const std::string& indicator,
                                        const IndicatorQueries& queries,
                                        const QueryContext& context);

}  // namespace kph::plugins::prometheus_sli
