#include "loader/metadata_parser.hpp"

#include <limits>
#include <string>
#include <vector>

#include "loader/api_version.hpp"

namespace kph::host {
namespace {

constexpr const char* kFix =
    "Fix: correct the JSON the plugin returns from kph_plugin_get_metadata (its keys are listed "
    "in plugin_api.h) and rebuild the plugin";

std::string found_text(const nlohmann::json* value) {
  if (value == nullptr) return "nothing";
  return describe_json_value(*value);
}

class Checker {
 public:
  explicit Checker(const nlohmann::json& object) : object_(object) {}

  const nlohmann::json* get(const char* key) const {
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  void defect(const std::string& key, const std::string& expected, const nlohmann::json* found) {
    defects_.push_back("\"" + key + "\": expected " + expected + ", found " + found_text(found));
  }

  // A required or optional string; returns it when present and a string.
  std::string string(const char* key, bool required, const std::string& expected) {
    const nlohmann::json* value = get(key);
    if (value == nullptr) {
      if (required) defect(key, expected + " (required)", nullptr);
      return {};
    }
    if (!value->is_string()) {
      defect(key, expected, value);
      return {};
    }
    return value->get<std::string>();
  }

  const std::vector<std::string>& defects() const { return defects_; }

 private:
  const nlohmann::json& object_;
  std::vector<std::string> defects_;
};

Error refusal(const std::filesystem::path& file, const std::string& what) {
  return Error{"cannot load plugin " + file.string() + ": " + what + ". " + kFix};
}

}  // namespace

bool is_valid_plugin_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<ParsedMetadata> parse_plugin_metadata(const std::filesystem::path& file, const char* text) {
  if (text == nullptr) {
    return refusal(file, "kph_plugin_get_metadata returned NULL; expected a JSON object");
  }
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return refusal(file, "kph_plugin_get_metadata returned text that is not JSON (" +
                             std::string(e.what()) + "); expected a JSON object");
  }
  if (!json.is_object()) {
    return refusal(file,
                   "kph_plugin_get_metadata returned JSON that is not an object: expected "
                   "a JSON object, found " +
                       describe_json_value(json));
  }

  ParsedMetadata parsed;
  PluginMetadata& meta = parsed.metadata;
  Checker check(json);

  const std::string name_rule = "a string of lower-case letters, digits and '-'";
  meta.name = check.string("name", true, name_rule);
  if (check.get("name") && check.get("name")->is_string() && !is_valid_plugin_name(meta.name)) {
    check.defect("name", name_rule, check.get("name"));
  }

  const std::string version_rule = "a semantic version string such as \"1.2.3\"";
  meta.version = check.string("version", true, version_rule);
  if (check.get("version") && check.get("version")->is_string() &&
      !parse_api_version(meta.version)) {
    check.defect("version", version_rule, check.get("version"));
  }

  const std::string vendor_rule = "a non-empty string";
  meta.vendor = check.string("vendor", true, vendor_rule);
  if (check.get("vendor") && check.get("vendor")->is_string() && meta.vendor.empty()) {
    check.defect("vendor", vendor_rule, check.get("vendor"));
  }

  meta.description = check.string("description", false, "a string");

  const std::string subscriptions_rule =
      "a non-empty array of event-type strings such as \"sh.keptn.event.hello.triggered\"";
  if (const nlohmann::json* subs = check.get("subscriptions"); subs == nullptr) {
    check.defect("subscriptions", subscriptions_rule + " (required)", nullptr);
  } else if (!subs->is_array() || subs->empty()) {
    check.defect("subscriptions", subscriptions_rule, subs);
  } else {
    for (size_t i = 0; i < subs->size(); ++i) {
      const auto& item = (*subs)[i];
      if (!item.is_string() || item.get<std::string>().empty()) {
        check.defect("subscriptions[" + std::to_string(i) + "]", "a non-empty event-type string",
                     &item);
        continue;
      }
      meta.subscriptions.push_back(item.get<std::string>());
    }
  }

  if (const nlohmann::json* schema = check.get("configSchema"); schema != nullptr) {
    if (!schema->is_object()) {
      check.defect("configSchema", "a JSON Schema (draft 7) object", schema);
    } else {
      auto compiled = ConfigSchema::compile(*schema);
      if (!compiled) {
        check.defect(
            "configSchema",
            "a valid JSON Schema (draft 7) object; valijson says: " + compiled.error().message,
            schema);
      } else {
        meta.config_schema = *schema;
        parsed.schema = std::move(compiled.value());
      }
    }
  }

  if (const nlohmann::json* max = check.get("maxConcurrency"); max != nullptr) {
    const std::string rule = "a positive integer (at most 4294967295)";
    bool ok = false;
    if (max->is_number_unsigned()) {
      const auto value = max->get<uint64_t>();
      ok = value > 0 && value <= std::numeric_limits<uint32_t>::max();
      if (ok) meta.max_concurrency = static_cast<uint32_t>(value);
    } else if (max->is_number_float()) {
      // 4.0 is an integer written as a float; 4.5 is not.
      const double value = max->get<double>();
      ok = value >= 1 && value <= std::numeric_limits<uint32_t>::max() &&
           value == static_cast<double>(static_cast<uint64_t>(value));
      if (ok) meta.max_concurrency = static_cast<uint32_t>(value);
    }
    if (!ok) check.defect("maxConcurrency", rule, max);
  }

  if (const nlohmann::json* resumable = check.get("resumable"); resumable != nullptr) {
    if (resumable->is_boolean()) {
      meta.resumable = resumable->get<bool>();
    } else {
      check.defect("resumable", "true or false", resumable);
    }
  }

  if (!check.defects().empty()) {
    std::string what = "the metadata from kph_plugin_get_metadata has " +
                       std::to_string(check.defects().size()) +
                       (check.defects().size() == 1 ? " defect:" : " defects:");
    for (const auto& defect : check.defects()) what += "\n  " + defect;
    return Error{"cannot load plugin " + file.string() + ": " + what + "\n" + kFix};
  }
  return parsed;
}

}  // namespace kph::host
