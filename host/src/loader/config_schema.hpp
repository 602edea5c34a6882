// A plugin's config schema (JSON Schema draft 7), compiled once at load with valijson and then
// used to check every instance config before kph_plugin_create.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.hpp"

namespace valijson {
class Schema;
}

namespace kph::host {

class ConfigSchema {
 public:
  // Compiles a draft-7 schema. Fails with valijson's reason when the schema itself is broken
  // (a wrong keyword type, an unresolvable $ref: remote references are never fetched).
  static Result<std::shared_ptr<const ConfigSchema>> compile(const nlohmann::json& schema);

  ~ConfigSchema();
  ConfigSchema(const ConfigSchema&) = delete;
  ConfigSchema& operator=(const ConfigSchema&) = delete;

  // Checks config against the schema. On failure the message has one line per offending value:
  // "  at <JSON pointer> (found <value>): <schema's complaint>". Thread-safe: validation only
  // reads the compiled schema.
  Status validate(const nlohmann::json& config) const;

 private:
  explicit ConfigSchema(std::unique_ptr<valijson::Schema> schema);
  std::unique_ptr<valijson::Schema> schema_;
};

// Turns valijson's context ("<root>", "[key]", "[0]", ...) into a JSON pointer ("/key/0").
std::string json_pointer_from_context(const std::vector<std::string>& context);

// A short, single-line rendering of a JSON value for error messages.
std::string describe_json_value(const nlohmann::json& value);

}  // namespace kph::host
