// One SLO criteria string ("<=800", "<+10%", ">=-5") as lighthouse-service parses it: spaces are
// removed, the first character must be an operator, a trailing % or a leading sign makes the
// criterion relative to previous results, and the number follows Go's ParseFloat.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kph::plugins::lighthouse {

enum class Operator { less, less_equal, equal, greater_equal, greater };

struct Criterion {
  Operator op = Operator::less;
  double value = 0;
  bool relative = false;  // compares with the aggregated previous value
  bool percent = false;   // relative by a percentage rather than an absolute delta
  bool increase = false;  // + (or an unsigned %) rather than -
};

// Keptn's two parse errors, verbatim.
inline constexpr std::string_view kInvalidCriteria = "invalid criteria string";
inline constexpr std::string_view kUnparsableTarget = "could not parse criteria target value";

struct CriterionParse {
  std::optional<Criterion> criterion;
  std::string error;  // kInvalidCriteria or kUnparsableTarget
};

CriterionParse parse_criterion(std::string_view text);

// The value the measured SLI is compared with: the number itself, or the aggregated previous
// value moved by it, computed in the order lighthouse uses (it matters in double precision).
double criterion_target(const Criterion& criterion, double aggregated);

// measured <op> target, with plain IEEE comparisons.
bool criterion_holds(const Criterion& criterion, double measured, double target);

}  // namespace kph::plugins::lighthouse
