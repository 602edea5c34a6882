#include "config/resources_config_parser.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "config/config_values.hpp"
#include "config/duration.hpp"
#include "config/message_text.hpp"
#include "config/secret_source_parser.hpp"

namespace kph::host::config {
namespace {

constexpr std::array<std::string_view, 5> kResourcesKeys = {"provider", "directory", "git",
                                                            "resourceService", "projects"};
constexpr std::array<std::string_view, 4> kProjectKeys = {"provider", "directory", "git",
                                                          "resourceService"};
constexpr std::array<std::string_view, 12> kGitKeys = {"url",
                                                       "layout",
                                                       "defaultBranch",
                                                       "cacheDirectory",
                                                       "cacheMaxRepositories",
                                                       "cacheMaxMegabytes",
                                                       "fetchInterval",
                                                       "fetchTimeout",
                                                       "user",
                                                       "token",
                                                       "password",
                                                       "caFile"};
constexpr std::array<std::string_view, 6> kResourceServiceKeys = {
    "url", "token", "timeout", "retries", "retryDelay", "caFile"};
constexpr std::array<std::string_view, 3> kProviders = {"local", "git", "resource-service"};
constexpr std::array<std::string_view, 3> kLayouts = {"auto", "branchPerStage", "stageDirectories"};

constexpr std::string_view kProjectNameForm =
    "a project name of letters, digits, '.', '_' and '-', starting with a letter or digit";

// The scheme of a URL ("https"), lower-cased; empty when the text has none.
std::string scheme_of(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return "";
  std::string scheme(url.substr(0, colon));
  for (char& c : scheme) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!ok) return "";
  }
  return scheme;
}

// The authority part (between "://" and the next '/'), where a user name and password hide.
std::string_view authority_of(std::string_view url) {
  const size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  const std::string_view rest = url.substr(start + 3);
  return rest.substr(0, rest.find('/'));
}

// Branch names as git accepts them, roughly: enough to catch typos and refuse option-like text.
bool is_branch_name(std::string_view name) {
  if (name.empty() || name.size() > 200 || name.front() == '-' || name.front() == '/' ||
      name.back() == '/' || name.back() == '.' || name.ends_with(".lock") ||
      name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return true;
}

// Where each provider setting was written, for checks that span several keys.
struct Written {
  std::optional<ConfigLocation> provider;
  bool git_url = false;  // a url was written, valid or not (an invalid one is reported already)
  std::optional<ConfigLocation> ca_file;
};

class ResourcesConfigParser {
 public:
  ResourcesConfigParser(ConfigReader& reader, const std::filesystem::path& base)
      : reader_(reader), base_(base) {}

  void parse(const YamlValue& value, ResourcesConfig& out) {
    auto section = reader_.mapping(
        value, kResourcesKeys,
        "a mapping with provider and its settings (directory, git or resourceService), and "
        "optionally projects",
        "write e.g. resources: {provider: local, directory: ./resources}");
    if (!section) return;
    Written top;
    parse_block(*section, out, top);
    check_block(section->self(), out, top);
    check_same_ca_file(out, top.ca_file.value_or(section->self().location));

    auto projects_value = section->get("projects");
    if (!projects_value) return;
    // Keys are checked against themselves: any valid project name is a known key.
    if (!projects_value->node.IsNull() && !projects_value->node.IsMap()) {
      reader_.report(projects_value->location, projects_value->path + " is not a mapping",
                     "a mapping of project name to its provider settings",
                     ConfigReader::describe(projects_value->node),
                     "write e.g. projects: {sockshop: {provider: git, git: {url: ...}}}");
      return;
    }
    if (projects_value->node.IsNull()) return;
    std::vector<std::string_view> names;
    std::vector<std::string> storage;
    for (auto it = projects_value->node.begin(); it != projects_value->node.end(); ++it) {
      const YAML::Node key = it->first;
      if (key.IsScalar()) storage.push_back(key.Scalar());
    }
    for (const auto& name : storage) names.push_back(name);
    auto projects = reader_.mapping(*projects_value, names,
                                    "a mapping of project name to its provider settings",
                                    "write e.g. projects: {sockshop: {provider: git}}");
    if (!projects) return;
    for (const auto& name : projects->keys()) {
      auto project_value = projects->get(name);
      if (!is_valid_project_name(name)) {
        reader_.report(project_value->location, "resources.projects has an invalid project name",
                       kProjectNameForm, quote_text(name),
                       "write the project's name as Keptn shows it, e.g. sockshop");
        continue;
      }
      auto block =
          reader_.mapping(*project_value, kProjectKeys, "a mapping with provider and its settings",
                          "write e.g. " + name + ": {provider: git, git: {url: ...}}");
      if (!block) continue;
      ResourceProviderConfig project = static_cast<const ResourceProviderConfig&>(out);
      Written written;
      written.ca_file = top.ca_file;
      written.git_url = top.git_url;
      parse_block(*block, project, written);
      check_block(block->self(), project, written, true);
      const bool own_ca_file =
          written.ca_file && (!top.ca_file || written.ca_file->line != top.ca_file->line ||
                              written.ca_file->column != top.ca_file->column);
      check_same_ca_file(project, own_ca_file ? *written.ca_file : block->self().location);
      out.projects.emplace(name, std::move(project));
    }
  }

 private:
  void parse_block(const YamlMapping& s, ResourceProviderConfig& out, Written& written) {
    if (auto v = s.get("provider")) {
      if (auto provider = reader_.text(*v, "local, git or resource-service", "provider: git")) {
        if (*provider == "local" || *provider == "git" || *provider == "resource-service") {
          out.provider = *provider;
          written.provider = v->location;
        } else {
          std::optional<std::string> suggestion = closest_match(*provider, kProviders);
          if (*provider == "api" || *provider == "resourceService" ||
              *provider == "configuration-service") {
            suggestion = "resource-service";
          }
          reader_.report(v->location, v->path + " is unknown", "local, git or resource-service",
                         quote_text(*provider),
                         suggestion ? "did you mean " + *suggestion + "?"
                                    : std::string("use provider: local, provider: git or "
                                                  "provider: resource-service"));
        }
      }
    }
    if (auto v = s.get("directory")) {
      if (auto directory = reader_.text(*v, "a directory path", "directory: ./resources")) {
        out.directory = resolve_config_path(base_, *directory);
      }
    }
    if (auto v = s.get("git")) parse_git(*v, out.git, written);
    if (auto v = s.get("resourceService")) parse_resource_service(*v, out.resource_service);
  }

  void parse_git(const YamlValue& value, GitResourcesConfig& out, Written& written) {
    auto s = reader_.mapping(value, kGitKeys, "a mapping of git settings (url, layout, ...)",
                             "write e.g. git: {url: https://git.example.com/keptn/{project}.git}");
    if (!s) return;
    if (auto v = s->get("url")) {
      written.git_url = true;
      const std::string expected =
          "an https://, http://, git:// or file:// URL, \"{project}\" standing for the project";
      if (auto url =
              reader_.text(*v, expected, "url: https://git.example.com/keptn/{project}.git")) {
        const std::string scheme = scheme_of(*url);
        if (scheme == "ssh" || url->starts_with("git@")) {
          reader_.report(v->location, v->path + " uses ssh, which this build does not support",
                         expected, quote_text(*url),
                         "use the repository's https URL with a token: {file: ...}");
        } else if (scheme != "https" && scheme != "http" && scheme != "git" && scheme != "file") {
          reader_.report(v->location, v->path + " is not a supported git URL", expected,
                         quote_text(*url),
                         "write e.g. url: https://git.example.com/keptn/{project}.git");
        } else if (authority_of(*url).find('@') != std::string_view::npos) {
          // Never quote it: the part before '@' may be a password.
          reader_.report(v->location, v->path + " holds a user name or password", expected,
                         "a URL with credentials before '@' (not shown)",
                         "remove them from the URL and use user:, token: or password: with "
                         "{file: ...} or {env: ...}");
        } else if (url->size() <= scheme.size() + 3 ||
                   url->find_first_of(" \t") != std::string::npos) {
          reader_.report(v->location, v->path + " is not a complete URL", expected,
                         quote_text(*url),
                         "write e.g. url: https://git.example.com/keptn/{project}.git");
        } else {
          out.url = *url;
        }
      }
    }
    if (auto v = s->get("layout")) {
      if (auto layout = reader_.text(*v, "auto, branchPerStage or stageDirectories",
                                     "layout: branchPerStage")) {
        if (*layout == "auto" || *layout == "branchPerStage" || *layout == "stageDirectories") {
          out.layout = *layout;
        } else {
          const auto suggestion = closest_match(*layout, kLayouts);
          reader_.report(v->location, v->path + " is unknown",
                         "auto, branchPerStage or stageDirectories", quote_text(*layout),
                         suggestion ? "did you mean " + *suggestion + "?"
                                    : std::string("use layout: branchPerStage (a branch per "
                                                  "stage) or layout: stageDirectories "
                                                  "(.keptn-stages/<stage>/ folders)"));
        }
      }
    }
    if (auto v = s->get("defaultBranch")) {
      if (auto branch = reader_.text(*v, "a branch name", "defaultBranch: main")) {
        if (is_branch_name(*branch)) {
          out.default_branch = *branch;
        } else {
          reader_.report(v->location, v->path + " is not a branch name",
                         "a branch name of letters, digits, '.', '_', '-' and '/'",
                         quote_text(*branch), "write e.g. defaultBranch: main");
        }
      }
    }
    if (auto v = s->get("cacheDirectory")) {
      if (auto dir = reader_.text(*v, "a directory path", "cacheDirectory: ../var/cache/git")) {
        out.cache_directory = resolve_config_path(base_, *dir);
      }
    }
    if (auto v = s->get("cacheMaxRepositories")) {
      if (auto n = reader_.integer(*v, 1, 100000, "cacheMaxRepositories: 20")) {
        out.cache_max_repositories = *n;
      }
    }
    if (auto v = s->get("cacheMaxMegabytes")) {
      if (auto n = reader_.integer(*v, 1, int64_t{1} << 30, "cacheMaxMegabytes: 2048")) {
        out.cache_max_megabytes = *n;
      }
    }
    if (auto v = s->get("fetchInterval")) {
      if (auto d = reader_.duration(*v, "fetchInterval: 10s")) out.fetch_interval = *d;
    }
    if (auto v = s->get("fetchTimeout")) {
      if (auto d = reader_.duration(*v, "fetchTimeout: 2m")) out.fetch_timeout = *d;
    }
    parse_secret_source(reader_, *s, "user", base_, "GIT_USER", out.user);
    parse_secret_source(reader_, *s, "token", base_, "GIT_TOKEN", out.token);
    parse_secret_source(reader_, *s, "password", base_, "GIT_PASSWORD", out.password);
    if (auto v = s->get("caFile")) {
      if (auto file = reader_.text(*v, "a PEM file path", "caFile: /etc/ssl/certs/my-ca.pem")) {
        out.ca_file = resolve_config_path(base_, *file);
        written.ca_file = v->location;
      }
    }
    const YamlValue& self = s->self();
    if (!out.token.empty() && !out.password.empty()) {
      reader_.report(s->get("token") ? s->get("token")->location : self.location,
                     self.path + " has both a token and a password", "one of token or password",
                     "both", "keep token: (an access token) or password: (with user:), not both");
    }
    if (!out.password.empty() && out.user.empty()) {
      reader_.report(s->get("password") ? s->get("password")->location : self.location,
                     self.path + " has a password but no user", "user and password together",
                     "only password", "add user: {file: ...} or {env: ...}");
    }
    if (!out.user.empty() && out.token.empty() && out.password.empty()) {
      reader_.report(s->get("user") ? s->get("user")->location : self.location,
                     self.path + " has a user but no token or password",
                     "user with a token or a password", "only user",
                     "add token: {file: ...} or password: {file: ...}");
    }
  }

  void parse_resource_service(const YamlValue& value, ResourceServiceConfig& out) {
    auto s = reader_.mapping(value, kResourceServiceKeys,
                             "a mapping of resource-service settings (url, token, ...)",
                             "write e.g. resourceService: {url: http://resource-service:8080}");
    if (!s) return;
    if (auto v = s->get("url")) {
      const std::string expected = "an http:// or https:// URL of the resource-service";
      if (auto url = reader_.text(*v, expected, "url: http://resource-service:8080")) {
        const std::string scheme = scheme_of(*url);
        if (scheme != "http" && scheme != "https") {
          reader_.report(v->location, v->path + " is not an http or https URL", expected,
                         quote_text(*url),
                         "write e.g. url: https://keptn.example.com/api/resource-service");
        } else if (authority_of(*url).find('@') != std::string_view::npos) {
          reader_.report(v->location, v->path + " holds a user name or password", expected,
                         "a URL with credentials before '@' (not shown)",
                         "remove them; the resource-service takes token: {file: ...}");
        } else if (authority_of(*url).empty() || url->find_first_of(" \t?#") != std::string::npos) {
          reader_.report(v->location, v->path + " is not a plain base URL", expected,
                         quote_text(*url),
                         "write the service's base URL without query, e.g. "
                         "https://keptn.example.com/api/resource-service");
        } else {
          out.url = *url;
          while (out.url.size() > scheme.size() + 3 && out.url.back() == '/') out.url.pop_back();
        }
      }
    }
    parse_secret_source(reader_, *s, "token", base_, "KEPTN_API_TOKEN", out.token);
    if (auto v = s->get("timeout")) {
      if (auto d = reader_.duration(*v, "timeout: 10s")) out.timeout = *d;
    }
    if (auto v = s->get("retries")) {
      if (auto n = reader_.integer(*v, 0, 100, "retries: 2")) out.retries = *n;
    }
    if (auto v = s->get("retryDelay")) {
      if (auto d = reader_.duration(*v, "retryDelay: 500ms")) out.retry_delay = *d;
    }
    if (auto v = s->get("caFile")) {
      if (auto file = reader_.text(*v, "a PEM file path", "caFile: /etc/ssl/certs/my-ca.pem")) {
        out.ca_file = resolve_config_path(base_, *file);
      }
    }
  }

  // Settings a provider cannot run without.
  void check_block(const YamlValue& self, const ResourceProviderConfig& out, const Written& written,
                   bool project_block = false) {
    if (project_block && out.provider == "local" && out.directory.empty()) {
      reader_.report(written.provider.value_or(self.location),
                     self.path + " selects provider local but names no directory",
                     "directory: the folder of resources", "no directory",
                     "add e.g. directory: ./resources");
    }
    if (out.provider == "git" && out.git.url.empty() && !written.git_url) {
      const std::string where = self.path.empty() ? std::string("resources") : self.path;
      reader_.report(written.provider.value_or(self.location),
                     where + " selects provider git but names no repository",
                     "git: {url: ...} with the Keptn upstream repository's URL", "no git.url",
                     "add e.g. git: {url: https://git.example.com/keptn/{project}.git}");
    }
  }

  // libgit2 trusts one set of CAs per process, so every git block must name the same file.
  void check_same_ca_file(const ResourceProviderConfig& block, const ConfigLocation& where) {
    if (block.provider != "git") return;
    if (!ca_file_in_use_) {
      ca_file_in_use_ = block.git.ca_file;
      return;
    }
    if (*ca_file_in_use_ == block.git.ca_file) return;
    const auto shown = [](const std::filesystem::path& file) {
      return file.empty() ? std::string("none (the system's CAs)") : quote_text(file.string());
    };
    reader_.report(where, "resources names two different git.caFile settings",
                   "one git.caFile for every project (libgit2 trusts one set of CAs per process)",
                   shown(block.git.ca_file) + " here and " + shown(*ca_file_in_use_) + " before",
                   "put every CA into one PEM bundle and name it in resources.git.caFile");
  }

  ConfigReader& reader_;
  const std::filesystem::path& base_;
  std::optional<std::filesystem::path> ca_file_in_use_;
};

}  // namespace

bool is_valid_project_name(std::string_view name) { return is_simple_name(name, 200); }

void parse_resources_config(ConfigReader& reader, const YamlValue& value,
                            const std::filesystem::path& base, ResourcesConfig& out) {
  ResourcesConfigParser(reader, base).parse(value, out);
}

}  // namespace kph::host::config
