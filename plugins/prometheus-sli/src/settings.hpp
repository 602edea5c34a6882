// The plugin's config: which SLI provider name it answers to, and how it reaches Prometheus,
// by default and per project. Secrets are never in the config itself: they are read from a
// file or an environment variable each time a request needs them, so rotation needs no restart.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "parsed.hpp"

namespace kph::plugins::prometheus_sli {

// Where a secret lives: a file (its content, trailing newlines removed) or an env variable.
struct SecretSource {
  enum class Kind { kFile, kEnv };
  Kind kind = Kind::kFile;
  std::string name;              // the file path or the variable name
  std::string describe() const;  // "file /run/secrets/x" / "environment variable X"
};

// How to reach one Prometheus.
struct Connection {
  std::string url;  // base URL, http:// or https://, without credentials
  std::string username;
  std::optional<SecretSource> password;      // Basic auth, with username
  std::optional<SecretSource> bearer_token;  // Authorization: Bearer
  std::string ca_file;                       // extra trusted CA certificates (PEM)
  bool insecure_skip_verify = false;
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // the longest one query may take
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::string where;  // names it in messages: "url" or "projects.sockshop.url"
};

// The credentials of one request, read from their sources.
struct Credentials {
  std::string username;
  std::string password;
  std::string bearer_token;
};

struct Settings {
  std::string sli_provider = "prometheus";
  std::optional<Connection> default_connection;  // when `url` is set
  std::map<std::string, Connection> projects;    // a project's own Prometheus

  // The project's connection, else the default one, else nothing.
  const Connection* connection_for(const std::string& project) const;
};

// The JSON Schema (draft 7) of the config, as the plugin's metadata declares it.
nlohmann::json config_schema();

// Reads a validated config. Checks what the schema cannot say (both a password file and
// variable, a password without a username, a malformed duration); errors name the key.
Parsed<Settings> parse_settings(const nlohmann::json& config);

// Reads the connection's secrets now. An error names the source and the config key but never
// holds a secret.
Parsed<Credentials> read_credentials(const Connection& connection);

// "500ms", "30s", "10m", "1h", "1h30m" -> milliseconds.
Parsed<std::chrono::milliseconds> parse_duration(const std::string& text);

}  // namespace kph::plugins::prometheus_sli
