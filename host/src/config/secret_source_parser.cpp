#include "config/secret_source_parser.hpp"

#include <array>
#include <string>

#include "config/config_values.hpp"
#include "config/message_text.hpp"

namespace kph::host::config {
namespace {

constexpr std::array<std::string_view, 2> kSecretKeys = {"file", "env"};

}  // namespace

void parse_secret_source(ConfigReader& reader, const YamlMapping& section, std::string_view key,
                         const std::filesystem::path& base, std::string_view env_example,
                         SecretSource& out) {
  auto v = section.get(key);
  if (!v) return;
  const std::string expected = "{file: PATH} or {env: VARIABLE}";
  const std::string example_env = std::string(key) + ": {env: " + std::string(env_example) + "}";
  if (v->node.IsScalar() || v->node.IsNull()) {
    reader.report(v->location, v->path + " is written inline", expected,
                  v->node.IsNull() ? std::string("no value")
                                   : std::string("a text (not shown: it may be a secret)"),
                  "secrets never go into the config; put it in a file or an environment "
                  "variable and write e.g. " +
                      example_env);
    return;
  }
  auto source = reader.mapping(*v, kSecretKeys, expected, "write e.g. " + example_env);
  if (!source) return;
  auto file = source->get("file");
  auto env = source->get("env");
  if (file.has_value() == env.has_value()) {
    reader.report(source->self().location,
                  v->path + (file ? " has both file and env" : " names no source"), expected,
                  file ? "both" : "neither", "keep exactly one of file: or env:");
    return;
  }
  SecretSource parsed;
  if (file) {
    auto text = reader.text(*file, "a file path", "file: /run/secrets/" + std::string(key));
    if (!text) return;
    parsed.file = resolve_config_path(base, *text);
  } else {
    auto text =
        reader.text(*env, "an environment variable name", "env: " + std::string(env_example));
    if (!text) return;
    if (!is_env_variable_name(*text)) {
      reader.report(env->location, env->path + " is not an environment variable name",
                    "letters, digits and '_', not starting with a digit", quote_text(*text),
                    "write e.g. env: " + std::string(env_example));
      return;
    }
    parsed.env = *text;
  }
  out = std::move(parsed);
}

}  // namespace kph::host::config
