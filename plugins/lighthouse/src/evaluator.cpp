#include "evaluator.hpp"

#include <cstdio>

#include "aggregate.hpp"
#include "criteria.hpp"
#include "go_strconv.hpp"

namespace kph::plugins::lighthouse {
namespace {

struct SetOutcome {
  bool satisfied = false;
  std::optional<std::vector<SliTarget>> targets;  // stays empty (null) when no criterion ran
  std::optional<std::string> error;
};

class ObjectiveScorer {
 public:
  ObjectiveScorer(const Objective& objective, const Comparison& comparison,
                  const std::vector<PreviousEvaluation>& previous)
      : comparison_(comparison) {
    for (const auto& evaluation : previous) {
      const auto& results = evaluation.data.evaluation.indicator_results;
      if (!results) continue;
      for (const auto& result : *results) {
        if (result.value && result.value->metric == objective.sli) {
          history_.push_back({result.value->value, result.value->success});
        }
      }
    }
  }

  const Aggregate& aggregate() {
    if (!aggregate_) aggregate_ = aggregate_previous(history_, comparison_.aggregate_function);
    return *aggregate_;
  }

  // Keptn's evaluateOrCombinedCriteria: sets are ORed, all are evaluated; the first parse error
  // ends it with no targets at all.
  SetOutcome any_set(const std::vector<CriteriaSet>& sets, SliValue& value) {
    SetOutcome out;
    for (const auto& set : sets) {
      bool all = true;
      std::vector<SliTarget> targets;
      for (const auto& text : set.criteria) {
        SliTarget target;
        target.criteria = text;
        const auto parsed = parse_criterion(text);
        if (!parsed.criterion) {
          return SetOutcome{false, std::vector<SliTarget>{}, parsed.error};
        }
        bool holds = true;
        // Every evaluated criterion shows the aggregate in comparedValue, fixed ones too.
        value.compared_value = aggregate().value;
        if (!parsed.criterion->relative) {
          target.target_value = parsed.criterion->value;
          holds = criterion_holds(*parsed.criterion, value.value, target.target_value);
        } else if (!aggregate().skip) {
          target.target_value = criterion_target(*parsed.criterion, aggregate().value);
          holds = criterion_holds(*parsed.criterion, value.value, target.target_value);
        }
        target.violated = !holds;
        if (!holds) all = false;
        targets.push_back(std::move(target));
      }
      if (all) out.satisfied = true;
      for (auto& target : targets) {
        if (!out.targets) out.targets.emplace();
        out.targets->push_back(std::move(target));
      }
    }
    return out;
  }

  // Keptn's getEmptyTargets: every criterion that parses, violated, with the fixed number or the
  // bare aggregate (no percentage or delta applied) as target.
  std::vector<SliTarget> empty_targets(const std::vector<CriteriaSet>& sets) {
    std::vector<SliTarget> out;
    for (const auto& set : sets) {
      for (const auto& text : set.criteria) {
        const auto parsed = parse_criterion(text);
        if (!parsed.criterion) continue;
        const double target =
            parsed.criterion->relative ? aggregate().value : parsed.criterion->value;
        out.push_back(SliTarget{text, target, true});
      }
    }
    return out;
  }

 private:
  const Comparison& comparison_;
  std::vector<PreviousValue> history_;
  std::optional<Aggregate> aggregate_;
};

// Takes the first value for the SLI out of the list the way Keptn does: the last value moves
// into its slot, which reorders the leftovers.
std::optional<SliValue> take_value(std::vector<SliValue>& values, const std::string& sli) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].metric != sli) continue;
    SliValue found = std::move(values[i]);
    if (i != values.size() - 1) values[i] = std::move(values.back());
    values.pop_back();
    return found;
  }
  return std::nullopt;
}

std::string leftover_message(const std::vector<SliValue>& values) {
  std::string names;
  for (const auto& value : values) {
    if (!names.empty()) names += ", ";
    names += value.metric;
  }
  if (names.empty()) return "";
  return "Lighthouse received additional SLIs, which are not specified as SLO: " + names +
         " . Please consider using them as an SLO.";
}

std::string trim_percent(const std::string& text) {
  if (!text.empty() && text.back() == '%') return text.substr(0, text.size() - 1);
  return text;
}

}  // namespace

ObjectivesOutcome evaluate_objectives(const Slo& slo, std::vector<SliValue> values,
                                      const std::vector<PreviousEvaluation>& previous) {
  ObjectivesOutcome out;
  if (slo.objectives.empty()) {
    out.max_score = 100;
    return out;
  }
  for (const auto& objective : slo.objectives) {
    const double weight = static_cast<double>(objective.weight);
    if (!objective.pass.empty()) out.max_score += weight;
    ObjectiveScorer scorer(objective, slo.comparison, previous);
    IndicatorResult result;
    result.display_name = objective.display_name;
    std::optional<SliValue> value = take_value(values, objective.sli);

    if (objective.pass.empty()) {
      result.status = "info";
      result.value = std::move(value);
      result.pass_targets = std::vector<SliTarget>{};
      result.warning_targets = scorer.empty_targets(objective.warning);
      out.results.push_back(std::move(result));
      continue;
    }

    if (!value || !value->success) {
      if (!value) {
        value = SliValue{objective.sli, 0, 0, false, "no value received from SLI provider"};
      }
      result.status = "fail";
      result.pass_targets = scorer.empty_targets(objective.pass);
      result.warning_targets = scorer.empty_targets(objective.warning);
      if (objective.key_sli) out.key_sli = {true, objective.display_name, value->message};
      result.value = std::move(value);
      out.results.push_back(std::move(result));
      continue;
    }

    const SetOutcome pass = scorer.any_set(objective.pass, *value);
    if (pass.error) {
      const std::string& name =
          objective.display_name.empty() ? objective.sli : objective.display_name;
      ObjectivesOutcome failed;
      failed.max_score = 100;
      failed.error = "error with " + name + ": " + *pass.error;
      return failed;
    }
    if (pass.satisfied) {
      result.score = weight;
      result.status = "pass";
    }
    bool warning = false;
    if (!objective.warning.empty()) {
      const SetOutcome warn = scorer.any_set(objective.warning, *value);
      warning = warn.satisfied && !warn.error;
      result.warning_targets = warn.targets;
      if (!pass.satisfied && warning) {
        result.score = 0.5 * weight;
        result.status = "warning";
      }
    }
    result.pass_targets = pass.targets;
    result.key_sli = objective.key_sli;
    if (!pass.satisfied && !warning) {
      if (objective.key_sli) {
        char text[64];
        std::snprintf(text, sizeof text, "failed evaluation with score %f", result.score);
        out.key_sli = {true, objective.display_name, text};
      }
      result.status = "fail";
      result.score = 0;
    }
    result.value = std::move(value);
    out.results.push_back(std::move(result));
  }
  out.leftover_message = leftover_message(values);
  return out;
}

ScoreOutcome calculate_score(double max_score, const std::vector<IndicatorResult>& results,
                             const std::optional<TotalScore>& total_score,
                             const KeySliFailure& key_sli) {
  ScoreOutcome out;
  if (!total_score || total_score->pass.empty()) {
    out.error = "no target score defined";
    return out;
  }
  const auto pass = go_parse_float(trim_percent(total_score->pass));
  if (!pass) {
    out.error = "could not parse pass target percentage";
    return out;
  }
  const bool has_warning = !total_score->warning.empty();
  const auto warning = go_parse_float(trim_percent(total_score->warning));
  if (has_warning && !warning) {
    out.error = "could not parse warning target percentage";
    return out;
  }
  if (max_score == 0) {
    out.result = "pass";
    out.score = 100;
    return out;
  }
  double total = 0;
  for (const auto& result : results) {
    if (result.pass_targets && !result.pass_targets->empty()) total += result.score;
  }
  const double achieved = 100.0 * (total / max_score);
  out.score = achieved;
  const std::string score_text = go_format_float(achieved);
  if (achieved >= *pass && !key_sli.failed) {
    out.result = "pass";
  } else if (has_warning && !key_sli.failed) {
    if (achieved >= *warning) {
      out.result = "warning";
      out.message = "Evaluation returned a warning: the calculated score of " + score_text +
                    " is close to the warning target value of " + go_format_float(*warning);
    } else {
      out.result = "fail";
      out.message = "Evaluation failed since the calculated score of " + score_text +
                    " is below the warning value of " + go_format_float(*warning);
    }
  } else if (key_sli.failed) {
    out.result = "fail";
    out.message =
        "Evaluation failed due to key_sli objective '" + key_sli.name + "': " + key_sli.message;
  } else {
    out.result = "fail";
    out.message = "Evaluation failed since the calculated score of " + score_text +
                  " is below the target value of " + go_format_float(*pass);
  }
  return out;
}

}  // namespace kph::plugins::lighthouse
