#include "criteria.hpp"

#include "go_strconv.hpp"

namespace kph::plugins::lighthouse {

CriterionParse parse_criterion(std::string_view text) {
  std::string s;
  s.reserve(text.size());
  for (const char c : text) {
    if (c != ' ') s.push_back(c);  // only ASCII spaces; a tab stays and fails later
  }
  // Keptn's regex is not anchored at the end and everything after its operator class is
  // optional, so it only checks the first character.
  if (s.empty() || !(s[0] == '<' || s[0] == '=' || s[0] == '>' || s[0] == '|')) {
    return {std::nullopt, std::string(kInvalidCriteria)};
  }
  Criterion c;
  std::string_view rest = s;
  static constexpr std::pair<std::string_view, Operator> kOperators[] = {
      {"<=", Operator::less_equal},    {"<", Operator::less},    {"=", Operator::equal},
      {">=", Operator::greater_equal}, {">", Operator::greater},
  };
  for (const auto& [prefix, op] : kOperators) {
    if (rest.substr(0, prefix.size()) == prefix) {
      c.op = op;
      rest.remove_prefix(prefix.size());
      break;
    }
  }
  if (!rest.empty() && rest.back() == '%') {
    c.percent = true;
    c.relative = true;
    c.increase = true;
    rest.remove_suffix(1);
  }
  if (!rest.empty() && rest[0] == '-') {
    c.relative = true;
    c.increase = false;
    rest.remove_prefix(1);
  } else if (!rest.empty() && rest[0] == '+') {
    c.relative = true;
    c.increase = true;
    rest.remove_prefix(1);
  }
  // A leading '|' passes the first check but no operator takes it, so the number fails here.
  const auto value = go_parse_float(rest);
  if (!value) return {std::nullopt, std::string(kUnparsableTarget)};
  c.value = *value;
  return {c, ""};
}

double criterion_target(const Criterion& c, double aggregated) {
  if (!c.relative) return c.value;
  if (c.percent && c.increase) return (aggregated * (100.0 + c.value)) / 100.0;
  if (c.percent) return (aggregated * (100.0 - c.value)) / 100.0;
  if (c.increase) return aggregated + c.value;
  return aggregated - c.value;
}

bool criterion_holds(const Criterion& c, double measured, double target) {
  switch (c.op) {
    case Operator::less:
      return measured < target;
    case Operator::less_equal:
      return measured <= target;
    case Operator::equal:
      return measured == target;
    case Operator::greater_equal:
      return measured >= target;
    case Operator::greater:
      return measured > target;
  }
  return false;
}

}  // namespace kph::plugins::lighthouse
