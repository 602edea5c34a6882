#include "query_builder.hpp"

#include <algorithm>
#include <cctype>

namespace kph::plugins::prometheus_sli {
namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
}

std::string without_quotes(std::string value) {
  value.erase(
      std::remove_if(value.begin(), value.end(), [](char c) { return c == '\'' || c == '"'; }),
      value.end());
  return value;
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

bool starts_with_operator(const std::string& value) {
  return value.rfind("=", 0) == 0 || value.rfind("!=", 0) == 0 || value.rfind("!~", 0) == 0;
}

// Longest first, ties in their original order.
template <typename T, typename Key>
std::vector<T> longest_first(std::vector<T> items, Key key) {
  std::stable_sort(items.begin(), items.end(),
                   [&](const T& a, const T& b) { return key(a).size() > key(b).size(); });
  return items;
}

std::string histogram_quantile(const char* quantile, const std::string& filter,
                               const std::string& duration) {
  return std::string("histogram_quantile(") + quantile +
         ",sum(rate(http_response_time_milliseconds_bucket{" + filter + "}[" + duration +
         "]))by(le))";
}

}  // namespace

const std::vector<std::string>& built_in_indicators() {
  static const std::vector<std::string> names = {"throughput", "error_rate", "response_time_p50",
                                                 "response_time_p90", "response_time_p95"};
  return names;
}

std::string default_filter_expression(const QueryContext& context) {
  std::vector<std::string> terms;
  bool has_job = false;
  for (const auto& filter : context.filters) {
    if (filter.key == "job") has_job = true;
    if (starts_with_operator(filter.value)) {
      std::string value = filter.value;
      std::replace(value.begin(), value.end(), '"', '\'');
      terms.push_back(filter.key + value);
    } else {
      terms.push_back(filter.key + "='" + without_quotes(filter.value) + "'");
    }
  }
  if (!has_job) {
    terms.insert(terms.begin(), "job='" + context.service + "-" + context.project + "-" +
                                    context.stage + "-canary'");
  }
  std::string expression;
  for (const auto& term : terms) {
    if (!expression.empty()) expression += ",";
    expression += term;
  }
  return expression;
}

std::optional<std::string> built_in_query(const std::string& indicator,
                                          const QueryContext& context) {
  const std::string filter = default_filter_expression(context);
  const std::string& d = context.duration;
  if (indicator == "throughput") {
    return "sum(rate(http_requests_total{" + filter + "}[" + d + "]))";
  }
  if (indicator == "error_rate") {
    return "sum(rate(http_requests_total{" + filter + ",status!~'2..'}[" + d +
           "]))/sum(rate(http_requests_total{" + filter + "}[" + d + "]))";
  }
  if (indicator == "response_time_p50") return histogram_quantile("0.50", filter, d);
  if (indicator == "response_time_p90") return histogram_quantile("0.90", filter, d);
  if (indicator == "response_time_p95") return histogram_quantile("0.95", filter, d);
  return std::nullopt;
}

std::string substitute_placeholders(const std::string& query_template,
                                    const QueryContext& context) {
  std::string query = query_template;
  // Keptn wrote the quote-stripped filter values back into the event, so later indicators saw
  // changed filters; here every indicator starts from the event's own values.
  const auto filters = longest_first(
      context.filters, [](const CustomFilter& f) -> const std::string& { return f.key; });
  for (const auto& filter : filters) {
    if (filter.key.empty()) continue;  // "$" alone would rewrite every placeholder
    const std::string value = without_quotes(filter.value);
    replace_all(query, "$" + filter.key, value);
    replace_all(query, "$" + upper(filter.key), value);
  }
  replace_all(query, "$PROJECT", context.project);
  replace_all(query, "$STAGE", context.stage);
  replace_all(query, "$SERVICE", context.service);
  replace_all(query, "$DEPLOYMENT", context.deployment);
  const auto labels = longest_first(
      context.labels,
      [](const std::pair<std::string, std::string>& l) -> const std::string& { return l.first; });
  for (const auto& [name, value] : labels) {
    if (name.empty()) continue;
    replace_all(query, "$LABEL." + name, value);
  }
  replace_all(query, "$DURATION_SECONDS", context.duration);
  return query;
}

Parsed<std::string> query_for_indicator(const std::string& indicator,
                                        const IndicatorQueries& queries,
                                        const QueryContext& context) {
  if (auto it = queries.find(indicator); it != queries.end() && !it->second.empty()) {
    return Parsed<std::string>::success(substitute_placeholders(it->second, context));
  }
  if (auto query = built_in_query(indicator, context)) {
    return Parsed<std::string>::success(*query);
  }
  std::string names;
  for (const auto& name : built_in_indicators()) names += (names.empty() ? "" : ", ") + name;
  return Parsed<std::string>::failure(
      "unable to get metric query: unsupported SLI '" + indicator +
      "': prometheus/sli.yaml (project, stage and service level) has no query for it and it is "
      "not a built-in indicator (" +
      names + "). Add `" + indicator + ": <PromQL>` under `indicators` in prometheus/sli.yaml.");
}

}  // namespace kph::plugins::prometheus_sli
