#include "query_reply.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace kph::plugins::prometheus_sli {
namespace {

using nlohmann::json;

std::string api_error(const json& reply) {
  const auto type = reply.value("errorType", std::string());
  const auto text = reply.value("error", std::string());
  return type + ": " + text;
}

// The start of a reply that is not what was expected, on one line, to show what answered.
std::string excerpt(const std::string& body) {
  std::string text = body.substr(0, 160);
  for (auto& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.empty()) return "an empty body";
  return "'" + text + (body.size() > 160 ? "...'" : "'");
}

bool is_api_error(const json& reply) {
  return reply.is_object() && reply.value("status", std::string()) == "error";
}

// Prometheus writes sample values as strings: "0.25", "NaN", "+Inf", "-Inf".
bool parse_sample(const std::string& text, double& out) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, out);
  return ec == std::errc() && ptr == end && begin != end;
}

std::string labels_text(const json& metric) {
  std::string text = "{";
  if (metric.is_object()) {
    bool first = true;
    for (const auto& [name, value] : metric.items()) {
      if (!first) text += ", ";
      first = false;
      text += name + "=\"" + (value.is_string() ? value.get<std::string>() : value.dump()) + "\"";
    }
  }
  return text + "}";
}

IndicatorOutcome interpret_vector(const json& result) {
  if (!result.is_array()) {
    return IndicatorOutcome::failed(std::string(kQueryApiError) +
                                    "bad_response: data.result is not a list");
  }
  if (result.empty()) {
    return IndicatorOutcome::failed(
        std::string(kNoValues) +
        ": no series matched at the end of the evaluation window. Check the query's label "
        "filters and that the metric exists for this project/stage/service.");
  }
  if (result.size() > 1) {
    std::string series;
    const size_t shown = std::min<size_t>(result.size(), 3);
    for (size_t i = 0; i < shown; ++i) {
      series += (i ? ", " : "") +
                labels_text(result[i].is_object() ? result[i].value("metric", json()) : json());
    }
    if (result.size() > shown) series += ", ...";
    return IndicatorOutcome::failed(
        "query did return multiple values: " + std::to_string(result.size()) + " series (" +
        series + "). Aggregate them into one, e.g. with sum(...) or max(...).");
  }
  const json& sample = result[0];
  const json* value = nullptr;
  if (sample.is_object()) {
    auto it = sample.find("value");
    if (it != sample.end()) value = &*it;
  }
  if (value == nullptr || !value->is_array() || value->size() != 2 || !(*value)[1].is_string()) {
    return IndicatorOutcome::failed(std::string(kQueryApiError) +
                                    "bad_response: a sample has no [time, \"value\"] pair");
  }
  const std::string text = (*value)[1].get<std::string>();
  double number = 0;
  if (!parse_sample(text, number)) {
    return IndicatorOutcome::failed(std::string(kQueryApiError) + "bad_response: sample value '" +
                                    text + "' is not a number");
  }
  if (std::isnan(number)) {
    return IndicatorOutcome::failed(
        "query did not return valid values: the value is NaN (often 0/0: a ratio whose rates "
        "are both zero in the window)");
  }
  if (std::isinf(number)) {
    return IndicatorOutcome::failed("query did not return valid values: the value is " +
                                    std::string(number > 0 ? "+Inf" : "-Inf") +
                                    " (a division by zero?), which an SLI cannot carry");
  }
  return IndicatorOutcome::retrieved(number);
}

std::string status_hint(int status) {
  switch (status) {
    case 401:
    case 403:
      return " (Prometheus or a proxy in front of it refused the credentials: check username, "
             "passwordFile/passwordEnv or bearerTokenFile/bearerTokenEnv in the prometheus-sli "
             "config)";
    case 404:
      return " (no Prometheus API at this URL: the configured url must be the Prometheus base "
             "URL, without /api/v1)";
    default:
      return "";
  }
}

}  // namespace

IndicatorOutcome interpret_query_reply(int http_status, const std::string& body) {
  const std::string prefix = kQueryApiError;
  const json reply = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const bool parsed = !reply.is_discarded();

  if (http_status == 400 || http_status == 422) {
    if (!parsed) {
      return IndicatorOutcome::failed(prefix + "bad_response: HTTP " + std::to_string(http_status) +
                                      " and the reply is not JSON: " + excerpt(body));
    }
    if (is_api_error(reply)) return IndicatorOutcome::failed(prefix + api_error(reply));
    return IndicatorOutcome::failed(prefix + "bad_response: inconsistent body for response code " +
                                    std::to_string(http_status));
  }
  if (http_status >= 400 && http_status < 500) {
    return IndicatorOutcome::failed(prefix + "client_error: client error: " +
                                    std::to_string(http_status) + status_hint(http_status));
  }
  if (http_status >= 500) {
    std::string detail = parsed && is_api_error(reply) ? " (" + api_error(reply) + ")" : "";
    return IndicatorOutcome::failed(
        prefix + "server_error: server error: " + std::to_string(http_status) + detail);
  }
  if (http_status < 200 || http_status >= 300) {
    return IndicatorOutcome::failed(prefix + "bad_response: bad response code " +
                                    std::to_string(http_status));
  }
  if (!parsed || !reply.is_object()) {
    return IndicatorOutcome::failed(prefix +
                                    "bad_response: the reply is not a JSON object (is the URL a "
                                    "Prometheus server?): " +
                                    excerpt(body));
  }
  if (is_api_error(reply)) return IndicatorOutcome::failed(prefix + api_error(reply));

  const auto data = reply.find("data");
  if (data == reply.end() || !data->is_object()) {
    return IndicatorOutcome::failed(prefix + "bad_response: reply has no data object");
  }
  const std::string type = data->value("resultType", std::string());
  const json result = data->value("result", json());
  if (type == "vector") return interpret_vector(result);
  if (type == "scalar") {
    std::string value = result.is_array() && result.size() == 2 && result[1].is_string()
                            ? result[1].get<std::string>()
                            : result.dump();
    return IndicatorOutcome::failed(
        "prometheus api response is not a Vector: scalar: " + value +
        ". Wrap the expression in vector(...) or query an instant vector.");
  }
  if (type == "matrix") {
    return IndicatorOutcome::failed(
        "prometheus api response is not a Vector: matrix of " +
        std::to_string(result.is_array() ? result.size() : 0) +
        " series. Remove the trailing [range] selector, or wrap it in a function such as "
        "rate(...) or avg_over_time(...).");
  }
  return IndicatorOutcome::failed(prefix + "unexpected value type \"" + type + "\"");
}

}  // namespace kph::plugins::prometheus_sli
