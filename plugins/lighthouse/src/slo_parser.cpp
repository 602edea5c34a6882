#include "slo_parser.hpp"

#include <set>
#include <string>

#include <yaml-cpp/yaml.h>

#include "yaml_scalar.hpp"

namespace kph::plugins::lighthouse {
namespace {

// Far more nodes than any real slo.yaml has; aliases that expand past it are refused, as
// yaml.v3 refuses excessive aliasing.
constexpr size_t kNodeBudget = 200000;

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Scalar:
      return quoted(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

// One key/value pair of a mapping, after merge keys (<<) are applied.
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

class Decoder {
 public:
  explicit Decoder(std::vector<SloIssue>& issues) : issues_(issues) {}

  void issue(const YAML::Node& at, const std::string& field, const std::string& message) {
    SloIssue out;
    const YAML::Mark mark = at.Mark();
    if (!mark.is_null()) {
      out.line = mark.line + 1;
      out.column = mark.column + 1;
    }
    out.field = field;
    out.message = message;
    issues_.push_back(std::move(out));
  }

  void wrong_type(const YAML::Node& at, const std::string& field, const std::string& expected) {
    issue(at, field, "expected " + expected + ", found " + describe(at));
  }

  // Counts a visited node; false once the budget is spent (reported once).
  bool visit(const YAML::Node& node) {
    if (++visited_ <= kNodeBudget) return true;
    if (!over_budget_) {
      over_budget_ = true;
      issue(node, "",
            "the document expands to more than " + std::to_string(kNodeBudget) +
                " nodes through aliases; write the values out instead");
    }
    return false;
  }

  // The pairs of a mapping as yaml.v3 sees them: duplicate keys are errors, null keys are
  // skipped, and `<<: *anchor` (or a list of anchors) adds the keys that are not set yet.
  std::vector<Entry> entries(const YAML::Node& map, const std::string& path, int depth = 0) {
    std::vector<Entry> out;
    // Merges of merges are rare; a deep (or self-referencing) chain is refused before it can
    // exhaust the stack.
    if (!visit(map)) return out;
    if (depth > 32) {
      issue(map, path, "merge keys (<<) nest more than 32 levels deep; write the values out");
      return out;
    }
    std::set<std::string> seen;
    std::vector<YAML::Node> merges;
    std::vector<std::pair<std::string, YAML::Node>> first_keys;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node key = it->first;
      if (key.IsScalar() || key.IsNull()) {
        const std::string text = key.IsScalar() ? key.Scalar() : std::string();
        bool duplicate = false;
        for (const auto& [earlier, node] : first_keys) {
          if (earlier == text && node.Type() == key.Type()) {
            issue(key, join(path, text),
                  "the key " + quoted(text) + " is already defined at line " +
                      std::to_string(node.Mark().line + 1) + "; remove one of them");
            duplicate = true;
            break;
          }
        }
        if (!duplicate) first_keys.emplace_back(text, key);
        if (duplicate) continue;
      }
      if (key.IsNull()) continue;
      if (!key.IsScalar()) {
        wrong_type(key, path, "a text key");
        continue;
      }
      const std::string& name = key.Scalar();
      if (name == "<<" &&
          (key.Tag() == "?" || key.Tag() == "!" || key.Tag() == "tag:yaml.org,2002:merge")) {
        merges.push_back(it->second);
        continue;
      }
      seen.insert(name);
      out.push_back(Entry{name, key, it->second});
    }
    for (const auto& merge : merges) {
      std::vector<YAML::Node> sources;
      if (merge.IsMap()) {
        sources.push_back(merge);
      } else if (merge.IsSequence()) {
        for (const auto& source : merge) sources.push_back(source);
      } else {
        wrong_type(merge, join(path, "<<"), "a mapping or a list of mappings to merge");
        continue;
      }
      for (const auto& source : sources) {
        if (!source.IsMap()) {
          wrong_type(source, join(path, "<<"), "a mapping to merge");
          continue;
        }
        for (auto& entry : entries(source, path, depth + 1)) {
          if (seen.insert(entry.key).second) out.push_back(std::move(entry));
        }
      }
    }
    return out;
  }

  void string_value(const YAML::Node& node, const std::string& field, std::string& out) {
    if (!visit(node) || node.IsNull()) return;
    if (node.IsScalar()) {
      out = node.Scalar();
      return;
    }
    wrong_type(node, field, "a text value");
  }

  void int_value(const YAML::Node& node, const std::string& field, int64_t& out) {
    if (!visit(node) || node.IsNull()) return;
    if (node.IsScalar()) {
      if (const auto value = yaml_scalar_to_int(node)) {
        out = *value;
        return;
      }
    }
    wrong_type(node, field, "an integer");
  }

  void bool_value(const YAML::Node& node, const std::string& field, bool& out) {
    if (!visit(node) || node.IsNull()) return;
    if (node.IsScalar()) {
      if (const auto value = yaml_scalar_to_bool(node)) {
        out = *value;
        return;
      }
    }
    wrong_type(node, field, "true or false");
  }

  void criteria_set(const YAML::Node& node, const std::string& field, CriteriaSet& out) {
    for (const auto& entry : entries(node, field)) {
      if (entry.key != "criteria") continue;
      const std::string path = field + ".criteria";
      const YAML::Node& list = entry.value;
      if (!visit(list) || list.IsNull()) continue;
      if (!list.IsSequence()) {
        wrong_type(list, path, "a list of criteria strings such as \"<=800\"");
        continue;
      }
      size_t index = 0;
      for (const auto& item : list) {
        const std::string item_path = path + "[" + std::to_string(index++) + "]";
        // yaml.v3 drops null items of a string list.
        if (!visit(item) || item.IsNull()) continue;
        if (!item.IsScalar()) {
          wrong_type(item, item_path, "a criteria string such as \"<=800\"");
          continue;
        }
        out.criteria.push_back(item.Scalar());
      }
    }
  }

  void criteria_sets(const YAML::Node& node, const std::string& field,
                     std::vector<CriteriaSet>& out) {
    if (!visit(node) || node.IsNull()) return;
    if (!node.IsSequence()) {
      wrong_type(node, field, "a list of {criteria: [...]} entries");
      return;
    }
    size_t index = 0;
    for (const auto& item : node) {
      const std::string path = field + "[" + std::to_string(index++) + "]";
      if (!visit(item)) continue;
      if (!item.IsMap()) {
        // A null entry would crash lighthouse-service; here it is an error with a place.
        wrong_type(item, path, "a mapping such as {criteria: [\"<=800\"]}");
        continue;
      }
      CriteriaSet set;
      criteria_set(item, path, set);
      out.push_back(std::move(set));
    }
  }

  void objective(const YAML::Node& node, const std::string& field, Objective& out) {
    out.weight = 0;  // the default of 1 is applied after parsing, as lighthouse does
    for (const auto& entry : entries(node, field)) {
      const std::string path = field + "." + entry.key;
      if (entry.key == "sli") {
        string_value(entry.value, path, out.sli);
      } else if (entry.key == "displayName") {
        string_value(entry.value, path, out.display_name);
      } else if (entry.key == "pass") {
        criteria_sets(entry.value, path, out.pass);
      } else if (entry.key == "warning") {
        criteria_sets(entry.value, path, out.warning);
      } else if (entry.key == "weight") {
        int_value(entry.value, path, out.weight);
      } else if (entry.key == "key_sli") {
        bool_value(entry.value, path, out.key_sli);
      }
    }
  }

  void document(const YAML::Node& doc, Slo& slo, bool& has_comparison) {
    for (const auto& entry : entries(doc, "")) {
      const YAML::Node& value = entry.value;
      if (!visit(value)) continue;
      if (entry.key == "spec_version") {
        string_value(value, entry.key, slo.spec_version);
      } else if (entry.key == "filter") {
        filter(value, slo);
      } else if (entry.key == "comparison") {
        if (value.IsNull()) continue;
        if (!value.IsMap()) {
          wrong_type(value, entry.key,
                     "a mapping with compare_with, include_result_with_score, "
                     "number_of_comparison_results and aggregate_function");
          continue;
        }
        has_comparison = true;
        comparison(value, slo.comparison);
      } else if (entry.key == "objectives") {
        objectives(value, slo);
      } else if (entry.key == "total_score") {
        if (value.IsNull()) continue;
        if (!value.IsMap()) {
          wrong_type(value, entry.key, "a mapping such as {pass: \"90%\", warning: \"75%\"}");
          continue;
        }
        TotalScore score;
        for (const auto& item : entries(value, entry.key)) {
          if (item.key == "pass") string_value(item.value, "total_score.pass", score.pass);
          if (item.key == "warning") string_value(item.value, "total_score.warning", score.warning);
        }
        slo.total_score = score;
      }
    }
  }

 private:
  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  void filter(const YAML::Node& value, Slo& slo) {
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      wrong_type(value, "filter", "a mapping of filter names to values");
      return;
    }
    for (const auto& entry : entries(value, "filter")) {
      std::string text;
      string_value(entry.value, "filter." + entry.key, text);
      bool replaced = false;
      for (auto& [key, existing] : slo.filter) {
        if (key == entry.key) {
          existing = text;
          replaced = true;
        }
      }
      if (!replaced) slo.filter.emplace_back(entry.key, text);
    }
  }

  void comparison(const YAML::Node& value, Comparison& out) {
    // A present block starts from Go's zero values; lighthouse fills in its own defaults later.
    out = Comparison{"", "", 0, ""};
    for (const auto& entry : entries(value, "comparison")) {
      const std::string path = "comparison." + entry.key;
      if (entry.key == "compare_with") string_value(entry.value, path, out.compare_with);
      if (entry.key == "include_result_with_score") {
        string_value(entry.value, path, out.include_result_with_score);
      }
      if (entry.key == "number_of_comparison_results") {
        int_value(entry.value, path, out.number_of_comparison_results);
      }
      if (entry.key == "aggregate_function") {
        string_value(entry.value, path, out.aggregate_function);
      }
    }
  }

  void objectives(const YAML::Node& value, Slo& slo) {
    if (value.IsNull()) return;
    if (!value.IsSequence()) {
      wrong_type(value, "objectives", "a list of objectives");
      return;
    }
    size_t index = 0;
    for (const auto& item : value) {
      const std::string path = "objectives[" + std::to_string(index++) + "]";
      if (!visit(item) || item.IsNull()) continue;  // lighthouse drops null objectives
      if (!item.IsMap()) {
        wrong_type(item, path, "a mapping with sli, pass, warning, weight and key_sli");
        continue;
      }
      Objective objective_out;
      objective(item, path, objective_out);
      slo.objectives.push_back(std::move(objective_out));
    }
  }

  std::vector<SloIssue>& issues_;
  size_t visited_ = 0;
  bool over_budget_ = false;
};

// The defaults lighthouse's parseSLO applies after decoding.
void apply_defaults(Slo& slo, bool has_comparison) {
  if (!has_comparison) {
    slo.comparison = Comparison{};
  } else {
    if (slo.comparison.include_result_with_score.empty()) {
      slo.comparison.include_result_with_score = "all";
    }
    if (slo.comparison.number_of_comparison_results == 0) {
      slo.comparison.number_of_comparison_results = 3;
    }
    if (slo.comparison.aggregate_function.empty()) slo.comparison.aggregate_function = "avg";
  }
  for (auto& objective : slo.objectives) {
    if (objective.weight == 0) objective.weight = 1;
  }
}

}  // namespace

std::string SloIssue::to_string(std::string_view file) const {
  std::string out(file);
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": ";
  if (!field.empty()) out += field + ": ";
  return out + message;
}

SloParse parse_slo(std::string_view text) {
  SloParse out;
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    SloIssue issue;
    if (!e.mark.is_null()) {
      issue.line = e.mark.line + 1;
      issue.column = e.mark.column + 1;
    }
    issue.message = "this is not valid YAML: " + e.msg;
    out.issues.push_back(std::move(issue));
    return out;
  }
  Slo slo;
  bool has_comparison = false;
  Decoder decoder(out.issues);
  // A file with no document at all (only comments or blanks) decodes to an empty SLO in
  // yaml.v3; a document that is explicitly null makes lighthouse-service crash, so it is an
  // error here.
  if (!doc.Mark().is_null()) {
    if (doc.IsNull()) {
      decoder.issue(doc, "",
                    "the document is empty (null); expected a mapping with objectives "
                    "and total_score");
    } else if (!doc.IsMap()) {
      decoder.wrong_type(doc, "", "a mapping with objectives and total_score");
    } else {
      decoder.document(doc, slo, has_comparison);
    }
  }
  if (!out.issues.empty()) return out;
  apply_defaults(slo, has_comparison);
  out.slo = std::move(slo);
  return out;
}

}  // namespace kph::plugins::lighthouse
