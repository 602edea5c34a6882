// The time window lighthouse asks SLIs for, worked out from an evaluation.triggered event the
// way Keptn 1.4.5 does (go-utils timeutils.GetStartEndTime, then the test.start/end fallback).
#pragma once

#include <optional>
#include <string>

#include "go_time.hpp"

namespace kph::plugins::lighthouse {

// The time fields of evaluation.triggered data; empty means absent.
struct WindowInputs {
  std::string evaluation_start;
  std::string evaluation_end;
  std::string timeframe;
  std::string test_start;
  std::string test_end;
};

struct EvaluationWindow {
  std::string start;  // as sent in get-sli.triggered and evaluation.finished
  std::string end;
};

struct WindowResult {
  std::optional<EvaluationWindow> window;
  std::string error;  // Keptn's message when there is no window
};

// evaluation.start+end or evaluation.timeframe are parsed and re-formatted as
// 2006-01-02T15:04:05.000Z; otherwise test.start/end are used verbatim; otherwise it is an error.
WindowResult evaluation_window(const WindowInputs& inputs, const GoTime& now);

// go-utils ParseTimestamp: the Keptn layout, then RFC 3339, then the zone-less fallback; the
// error is the fallback's.
GoTimeParse parse_keptn_timestamp(const std::string& text);

}  // namespace kph::plugins::lighthouse
