#include "evaluation_window.hpp"

namespace kph::plugins::lighthouse {

GoTimeParse parse_keptn_timestamp(const std::string& text) {
  if (auto parsed = go_parse_time(GoLayout::keptn, text); parsed.time) return parsed;
  if (auto parsed = go_parse_time(GoLayout::rfc3339, text); parsed.time) return parsed;
  return go_parse_time(GoLayout::fallback, text);
}

WindowResult evaluation_window(const WindowInputs& in, const GoTime& now) {
  const bool has_start = !in.evaluation_start.empty();
  const bool has_end = !in.evaluation_end.empty();
  const bool has_timeframe = !in.timeframe.empty();

  if ((has_start && has_end) || has_timeframe) {
    // GetStartEndTimeParams.Validate, in its order.
    if (has_start && !has_end && !has_timeframe) {
      return {std::nullopt, "no timeframe or end date provided"};
    }
    if (has_end && has_timeframe) {
      return {std::nullopt, "'end' and 'timeframe' are mutually exclusive"};
    }
    if (has_end && !has_start) {
      return {std::nullopt, "start date is required when using an end date"};
    }
    // Without a timeframe go-utils parses its 5m default, which cannot fail and is not used.
    int64_t timeframe = 5LL * 60 * 1000000000;
    if (has_timeframe) {
      const auto parsed = go_parse_duration(in.timeframe);
      if (!parsed.nanos)
        return {std::nullopt, "could not parse provided timeframe: " + parsed.error};
      timeframe = *parsed.nanos;
    }
    GoTime end = now;
    // Go negates with wrap-around; so does this, without signed overflow.
    GoTime start = go_add(now, static_cast<int64_t>(0 - static_cast<uint64_t>(timeframe)));
    if (has_start) {
      const auto parsed = parse_keptn_timestamp(in.evaluation_start);
      if (!parsed.time) return {std::nullopt, parsed.error};
      start = *parsed.time;
    }
    if (has_end) {
      const auto parsed = parse_keptn_timestamp(in.evaluation_end);
      if (!parsed.time) return {std::nullopt, parsed.error};
      end = *parsed.time;
    }
    if (has_start && !has_end && has_timeframe) end = go_add(start, timeframe);
    if (go_sub(end, start) < 60LL * 1000000000) {
      return {std::nullopt, "end date must be at least 1 minute after start date"};
    }
    return {EvaluationWindow{go_format_keptn_time(start), go_format_keptn_time(end)}, ""};
  }
  if (!in.test_start.empty() && !in.test_end.empty()) {
    return {EvaluationWindow{in.test_start, in.test_end}, ""};
  }
  return {std::nullopt, "evaluation.triggered event does not contain evaluation timeframe"};
}

}  // namespace kph::plugins::lighthouse
