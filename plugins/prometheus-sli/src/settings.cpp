#include "settings.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kph::plugins::prometheus_sli {
namespace {

using nlohmann::json;

json connection_properties() {
  // Types only: the plugin checks values itself, with messages that say what to write.
  const json duration = {{"type", "string"}};
  json timeout = duration;
  timeout["description"] = "The longest one query may take (Keptn's provider had no limit).";
  timeout["default"] = "30s";
  json connect_timeout = duration;
  connect_timeout["description"] = "The longest a TCP connect and TLS handshake may take.";
  connect_timeout["default"] = "10s";
  return {
      {"url",
       {{"type", "string"},
        {"description",
         "Prometheus base URL, e.g. http://prometheus-server.monitoring:80 (no credentials in "
         "it; the API path /api/v1/query is appended)."}}},
      {"username", {{"type", "string"}, {"description", "Basic-auth user name."}}},
      {"passwordFile",
       {{"type", "string"},
        {"minLength", 1},
        {"description", "File holding the basic-auth password (trailing newlines removed)."}}},
      {"passwordEnv",
       {{"type", "string"},
        {"minLength", 1},
        {"description", "Environment variable holding the basic-auth password."}}},
      {"bearerTokenFile",
       {{"type", "string"},
        {"minLength", 1},
        {"description", "File holding a bearer token sent as Authorization: Bearer."}}},
      {"bearerTokenEnv",
       {{"type", "string"},
        {"minLength", 1},
        {"description", "Environment variable holding a bearer token."}}},
      {"caFile",
       {{"type", "string"},
        {"minLength", 1},
        {"description", "PEM file of CA certificates trusted besides the system ones."}}},
      {"insecureSkipVerify",
       {{"type", "boolean"},
        {"default", false},
        {"description", "Accept any TLS certificate. For tests only; logged as a warning."}}},
      {"timeout", timeout},
      {"connectTimeout", connect_timeout},
  };
}

std::optional<SecretSource> secret_from(const json& object, const char* file_key,
                                        const char* env_key) {
  if (auto it = object.find(file_key); it != object.end() && it->is_string()) {
    return SecretSource{SecretSource::Kind::kFile, it->get<std::string>()};
  }
  if (auto it = object.find(env_key); it != object.end() && it->is_string()) {
    return SecretSource{SecretSource::Kind::kEnv, it->get<std::string>()};
  }
  return std::nullopt;
}

Parsed<Connection> parse_connection(const json& object, const std::string& prefix,
                                    const Connection* defaults) {
  using Result = Parsed<Connection>;
  Connection connection;
  if (defaults != nullptr) {
    // A project's own Prometheus keeps the default timeouts and TLS trust, never its
    // credentials: those belong to another server.
    connection.timeout = defaults->timeout;
    connection.connect_timeout = defaults->connect_timeout;
    connection.ca_file = defaults->ca_file;
    connection.insecure_skip_verify = defaults->insecure_skip_verify;
  }
  connection.url = object.value("url", std::string());
  connection.where = prefix + "url";
  if (!connection.url.empty()) {
    const bool http = connection.url.rfind("http://", 0) == 0;
    const bool https = connection.url.rfind("https://", 0) == 0;
    const auto host_start = connection.url.find("://") + 3;
    const auto host_end = connection.url.find('/', host_start);
    const auto authority = connection.url.substr(host_start, host_end - host_start);
    if (!http && !https) {
      return Result::failure("config key '" + prefix + "url': expected http://host:port or " +
                             "https://host:port, found '" + connection.url + "'");
    }
    if (authority.find('@') != std::string::npos) {
      return Result::failure("config key '" + prefix +
                             "url': credentials in the URL are not accepted, because the "
                             "config is not a secret store; set '" +
                             prefix + "username' and '" + prefix + "passwordFile' (or '" + prefix +
                             "passwordEnv') instead");
    }
    if (authority.empty()) {
      return Result::failure("config key '" + prefix + "url': no host in '" + connection.url + "'");
    }
  }
  connection.username = object.value("username", std::string());
  for (const auto& [file_key, env_key] :
       {std::pair{"passwordFile", "passwordEnv"}, std::pair{"bearerTokenFile", "bearerTokenEnv"}}) {
    if (object.contains(file_key) && object.contains(env_key)) {
      return Result::failure("config keys '" + prefix + file_key + "' and '" + prefix + env_key +
                             "': set one of them, not both");
    }
  }
  connection.password = secret_from(object, "passwordFile", "passwordEnv");
  connection.bearer_token = secret_from(object, "bearerTokenFile", "bearerTokenEnv");
  if (connection.password && connection.bearer_token) {
    return Result::failure("config keys '" + prefix + "password*' and '" + prefix +
                           "bearerToken*': choose basic auth or a bearer token, not both");
  }
  if (connection.password && connection.username.empty()) {
    return Result::failure("config key '" + prefix + "username': required with a password (" +
                           connection.password->describe() + ")");
  }
  if (auto it = object.find("caFile"); it != object.end() && it->is_string()) {
    connection.ca_file = it->get<std::string>();
  }
  if (auto it = object.find("insecureSkipVerify"); it != object.end() && it->is_boolean()) {
    connection.insecure_skip_verify = it->get<bool>();
  }
  for (const auto& [key, target] : {std::pair{"timeout", &connection.timeout},
                                    std::pair{"connectTimeout", &connection.connect_timeout}}) {
    auto it = object.find(key);
    if (it == object.end()) continue;
    if (!it->is_string()) {
      return Result::failure("config key '" + prefix + key + "': expected a duration such as " +
                             "30s, found " + it->dump());
    }
    auto duration = parse_duration(it->get<std::string>());
    if (!duration.ok())
      return Result::failure("config key '" + prefix + key + "': " + duration.error);
    if (duration.value->count() == 0) {
      return Result::failure("config key '" + prefix + key + "': must be more than 0");
    }
    *target = *duration.value;
  }
  return Result::success(connection);
}

bool read_secret(const SecretSource& source, std::string& out, std::string& error) {
  if (source.kind == SecretSource::Kind::kEnv) {
    const char* value = std::getenv(source.name.c_str());
    if (value == nullptr) {
      error = source.describe() + " is not set";
      return false;
    }
    out = value;
    return true;
  }
  std::ifstream in(source.name, std::ios::binary);
  if (!in) {
    error = "cannot read " + source.describe() + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  // Files written with `echo` end in a newline that is not part of the secret.
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return true;
}

}  // namespace

std::string SecretSource::describe() const {
  return kind == Kind::kFile ? "file " + name : "environment variable " + name;
}

const Connection* Settings::connection_for(const std::string& project) const {
  if (auto it = projects.find(project); it != projects.end()) return &it->second;
  return default_connection ? &*default_connection : nullptr;
}

json config_schema() {
  json project = {{"type", "object"},
                  {"additionalProperties", false},
                  {"required", {"url"}},
                  {"properties", connection_properties()}};
  json properties = connection_properties();
  properties["sliProvider"] = {
      {"type", "string"},
      {"minLength", 1},
      {"default", "prometheus"},
      {"description", "The get-sli.sliProvider value this instance answers (exact match)."}};
  properties["projects"] = {
      {"type", "object"},
      {"description",
       "A project's own Prometheus: project name -> connection. It replaces url and "
       "credentials; timeouts and TLS trust not set there come from the top level."},
      {"additionalProperties", project}};
  return {{"$schema", "http://json-schema.org/draft-07/schema#"},
          {"type", "object"},
          {"additionalProperties", false},
          {"properties", properties}};
}

Parsed<Settings> parse_settings(const json& config) {
  using Result = Parsed<Settings>;
  Settings settings;
  if (config.is_null()) return Result::success(settings);
  if (!config.is_object())
    return Result::failure("config: expected an object, found " + config.dump());
  settings.sli_provider = config.value("sliProvider", std::string("prometheus"));
  auto defaults = parse_connection(config, "", nullptr);
  if (!defaults.ok()) return Result::failure(defaults.error);
  if (!defaults.value->url.empty()) settings.default_connection = *defaults.value;
  auto projects = config.find("projects");
  if (projects != config.end() && !projects->is_object()) {
    return Result::failure(
        "config key 'projects': expected an object of project name -> "
        "{url, ...}, found " +
        projects->dump());
  }
  if (projects != config.end()) {
    for (const auto& [name, entry] : projects->items()) {
      const std::string prefix = "projects." + name + ".";
      if (!entry.is_object()) {
        return Result::failure("config key 'projects." + name + "': expected an object with url");
      }
      auto connection = parse_connection(entry, prefix, &*defaults.value);
      if (!connection.ok()) return Result::failure(connection.error);
      if (connection.value->url.empty()) {
        return Result::failure("config key '" + prefix + "url': required for a project entry");
      }
      settings.projects.emplace(name, *connection.value);
    }
  }
  return Result::success(settings);
}

Parsed<Credentials> read_credentials(const Connection& connection) {
  Credentials credentials;
  credentials.username = connection.username;
  std::string error;
  if (connection.password && !read_secret(*connection.password, credentials.password, error)) {
    return Parsed<Credentials>::failure("password for " + connection.where + ": " + error);
  }
  if (connection.bearer_token &&
      !read_secret(*connection.bearer_token, credentials.bearer_token, error)) {
    return Parsed<Credentials>::failure("bearer token for " + connection.where + ": " + error);
  }
  return Parsed<Credentials>::success(credentials);
}

Parsed<std::chrono::milliseconds> parse_duration(const std::string& text) {
  using Result = Parsed<std::chrono::milliseconds>;
  const std::string expected =
      "expected a duration such as 500ms, 30s, 10m or 1h30m, found '" + text + "'";
  if (text.empty()) return Result::failure(expected);
  int64_t total = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[pos]))) return Result::failure(expected);
    int64_t number = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      number = number * 10 + (text[pos] - '0');
      if (number > 1'000'000'000) return Result::failure(expected + " (too large)");
      ++pos;
    }
    int64_t unit = 0;
    if (text.compare(pos, 2, "ms") == 0) {
      unit = 1;
      pos += 2;
    } else if (pos < text.size() && text[pos] == 's') {
      unit = 1000;
      ++pos;
    } else if (pos < text.size() && text[pos] == 'm') {
      unit = 60'000;
      ++pos;
    } else if (pos < text.size() && text[pos] == 'h') {
      unit = 3'600'000;
      ++pos;
    } else {
      return Result::failure(expected);
    }
    total += number * unit;
  }
  return Result::success(std::chrono::milliseconds(total));
}

}  // namespace kph::plugins::prometheus_sli
