#include "loader/config_schema.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <vector>

// Without exceptions valijson aborts the process on a broken schema; a plugin's bad schema
// must be a refusal, never a crash.
#if !VALIJSON_USE_EXCEPTIONS
#error "valijson must be built with VALIJSON_USE_EXCEPTIONS=1 (link the valijson CMake target)"
#endif

namespace kph::host {
namespace {

std::string escape_pointer_token(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// True when `inner` lies strictly below `outer` in the document.
bool is_below(const std::vector<std::string>& inner, const std::vector<std::string>& outer) {
  return inner.size() > outer.size() && std::equal(outer.begin(), outer.end(), inner.begin());
}

// valijson also reports, for every enclosing value of a failing one, that "the property" or
// "the item" failed. Those lines only repeat the deeper ones, so they are left out; the
// enclosing value's own complaints (a missing required property) are kept.
bool is_summary(const valijson::ValidationResults::Error& error,
                const std::vector<valijson::ValidationResults::Error>& all) {
  const auto& d = error.description;
  const bool summary_text =
      d.rfind("Failed to validate against schema associated with property", 0) == 0 ||
      d.rfind("Failed to validate item #", 0) == 0;
  if (!summary_text) return false;
  return std::any_of(all.begin(), all.end(),
                     [&](const auto& other) { return is_below(other.context, error.context); });
}

const nlohmann::json* value_at(const nlohmann::json& root, const std::string& pointer) {
  try {
    const nlohmann::json::json_pointer ptr(pointer);
    if (!root.contains(ptr)) return nullptr;
    return &root.at(ptr);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

std::string json_pointer_from_context(const std::vector<std::string>& context) {
  std::string pointer;
  for (const auto& element : context) {
    if (element == "<root>") continue;
    std::string token = element;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    pointer += "/" + escape_pointer_token(token);
  }
  return pointer;
}

std::string describe_json_value(const nlohmann::json& value) {
  constexpr size_t kMax = 60;
  // Replacing invalid UTF-8 keeps an error message from turning into an exception.
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

ConfigSchema::ConfigSchema(std::unique_ptr<valijson::Schema> schema) : schema_(std::move(schema)) {}

ConfigSchema::~ConfigSchema() = default;

Result<std::shared_ptr<const ConfigSchema>> ConfigSchema::compile(const nlohmann::json& schema) {
  try {
    auto compiled = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    const valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, *compiled);
    return std::shared_ptr<const ConfigSchema>(new ConfigSchema(std::move(compiled)));
  } catch (const std::exception& e) {
    return Error{e.what()};
  }
}

Status ConfigSchema::validate(const nlohmann::json& config) const {
  valijson::ValidationResults results;
  try {
    valijson::Validator validator;
    const valijson::adapters::NlohmannJsonAdapter adapter(config);
    if (validator.validate(*schema_, adapter, &results)) return ok_status();
  } catch (const std::exception& e) {
    return Error{std::string("  at (root): the schema could not be applied: ") + e.what()};
  }
  std::vector<valijson::ValidationResults::Error> errors(results.begin(), results.end());
  std::string message;
  std::vector<std::string> lines;
  for (const auto& error : errors) {
    if (is_summary(error, errors)) continue;
    const std::string pointer = json_pointer_from_context(error.context);
    const nlohmann::json* found = value_at(config, pointer);
    std::string line = "  at " + (pointer.empty() ? std::string("(root)") : pointer);
    if (found != nullptr && !found->is_object()) {
      line += " (found " + describe_json_value(*found) + ")";
    }
    line += ": " + error.description;
    // anyOf/oneOf branches can repeat the same complaint about the same value.
    if (std::find(lines.begin(), lines.end(), line) != lines.end()) continue;
    lines.push_back(line);
    if (!message.empty()) message += "\n";
    message += line;
  }
  return Error{message};
}

}  // namespace kph::host
