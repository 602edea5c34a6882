// What one indicator's query gave: a value, or the reason there is none. Also reads the reply
// of Prometheus' /api/v1/query into that outcome.
#pragma once

#include <string>
#include <utility>

namespace kph::plugins::prometheus_sli {

struct IndicatorOutcome {
  bool success = false;
  double value = 0;     // 0 when !success, as Keptn reports it
  std::string message;  // why it failed; empty on success

  static IndicatorOutcome retrieved(double value) { return {true, value, {}}; }
  static IndicatorOutcome failed(std::string message) { return {false, 0, std::move(message)}; }
};

// The prefix of every failure that came from the HTTP exchange or the API's own error report.
inline constexpr const char* kQueryApiError = "unable to query prometheus api: ";
// The start of the message for an empty result.
inline constexpr const char* kNoValues = "query did not return any values";

// Reads an instant-query reply. Exactly one sample with a finite value is a success; an empty
// vector, several series, NaN, +Inf/-Inf (which JSON cannot carry), other result types, HTTP
// errors and malformed bodies are failures whose message says which. Messages start with
// Keptn's texts ("query did not return any values", "query did return multiple values", ...)
// and add what was found and what to do.
IndicatorOutcome interpret_query_reply(int http_status, const std::string& body);

}  // namespace kph::plugins::prometheus_sli
