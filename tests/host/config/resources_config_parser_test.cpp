// The resources: block: every key read, per-project blocks inheriting the top-level settings,
// and each malformed input refused with its place, expectation and fix.
#include "config/resources_config_parser.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "config_test_support.hpp"

namespace kph::host {
namespace {

using namespace std::chrono_literals;
using testing::ConfigFile;
using testing::expect_one_error;
using testing::load_errors;
using testing::load_valid;
using testing::MalformedConfig;

TEST(ResourcesConfig, DefaultsWhenAbsent) {
  ConfigFile file("plugins: []\n");
  const auto config = load_valid(file);
  EXPECT_EQ(config.resources.provider, "local");
  EXPECT_TRUE(config.resources.projects.empty());
  EXPECT_EQ(config.resources.git.layout, "auto");
  EXPECT_EQ(config.resources.git.fetch_interval, 10s);
  EXPECT_EQ(config.resources.git.fetch_timeout, 2min);
  EXPECT_EQ(config.resources.git.cache_max_repositories, 20);
  EXPECT_EQ(config.resources.git.cache_max_megabytes, 2048);
  EXPECT_EQ(config.resources.resource_service.url, "http://resource-service:8080");
  EXPECT_EQ(config.resources.resource_service.timeout, 10s);
  EXPECT_EQ(config.resources.resource_service.retries, 2);
  EXPECT_EQ(config.resources.resource_service.retry_delay, 500ms);
}

TEST(ResourcesConfig, ReadsEveryGitKey) {
  ConfigFile file(R"(resources:
  provider: git
  git:
    url: https://git.example.com/keptn/{project}.git
    layout: stageDirectories
    defaultBranch: main
    cacheDirectory: ../var/cache/git
    cacheMaxRepositories: 5
    cacheMaxMegabytes: 100
    fetchInterval: 30s
    fetchTimeout: 1m
    user: {env: GIT_USER}
    token: {file: secrets/git-token}
    caFile: ca.pem
)");
  const auto config = load_valid(file);
  const auto& git = config.resources.git;
  EXPECT_EQ(config.resources.provider, "git");
  EXPECT_EQ(git.url, "https://git.example.com/keptn/{project}.git");
  EXPECT_EQ(git.layout, "stageDirectories");
  EXPECT_EQ(git.default_branch, "main");
  EXPECT_EQ(git.cache_directory, (file.folder() / "../var/cache/git").lexically_normal());
  EXPECT_EQ(git.cache_max_repositories, 5);
  EXPECT_EQ(git.cache_max_megabytes, 100);
  EXPECT_EQ(git.fetch_interval, 30s);
  EXPECT_EQ(git.fetch_timeout, 1min);
  EXPECT_EQ(git.user.env, "GIT_USER");
  EXPECT_EQ(git.token.file, file.folder() / "secrets/git-token");
  EXPECT_TRUE(git.password.empty());
  EXPECT_EQ(git.ca_file, file.folder() / "ca.pem");
}

TEST(ResourcesConfig, ReadsEveryResourceServiceKey) {
  ConfigFile file(R"(resources:
  provider: resource-service
  resourceService:
    url: https://keptn.example.com/api/resource-service/
    token: {env: KEPTN_API_TOKEN}
    timeout: 3s
    retries: 0
    retryDelay: 250ms
    caFile: /etc/ssl/keptn-ca.pem
)");
  const auto config = load_valid(file);
  const auto& service = config.resources.resource_service;
  EXPECT_EQ(config.resources.provider, "resource-service");
  EXPECT_EQ(service.url, "https://keptn.example.com/api/resource-service");
  EXPECT_EQ(service.token.env, "KEPTN_API_TOKEN");
  EXPECT_EQ(service.timeout, 3s);
  EXPECT_EQ(service.retries, 0);
  EXPECT_EQ(service.retry_delay, 250ms);
  EXPECT_EQ(service.ca_file, "/etc/ssl/keptn-ca.pem");
}

TEST(ResourcesConfig, ProjectBlocksStartFromTheTopLevelSettings) {
  ConfigFile file(R"(resources:
  provider: git
  git:
    url: https://git.example.com/keptn/{project}.git
    token: {file: /run/secrets/git-token}
    fetchInterval: 1m
  projects:
    sockshop:
      git: {layout: stageDirectories}
    podtato:
      provider: resource-service
    legacy:
      provider: local
      directory: ./legacy
)");
  const auto config = load_valid(file);
  ASSERT_EQ(config.resources.projects.size(), 3u);
  const auto& sockshop = config.resources.projects.at("sockshop");
  EXPECT_EQ(sockshop.provider, "git");
  EXPECT_EQ(sockshop.git.url, "https://git.example.com/keptn/{project}.git");
  EXPECT_EQ(sockshop.git.layout, "stageDirectories");
  EXPECT_EQ(sockshop.git.fetch_interval, 1min);
  EXPECT_EQ(sockshop.git.token.file, "/run/secrets/git-token");
  EXPECT_EQ(config.resources.git.layout, "auto");  // the top level is untouched
  EXPECT_EQ(config.resources.projects.at("podtato").provider, "resource-service");
  EXPECT_EQ(config.resources.projects.at("legacy").directory, file.folder() / "legacy");
}

TEST(ResourcesConfig, AcceptsEveryTransport) {
  for (const std::string url : {"https://h/x.git", "http://h/x.git", "git://127.0.0.1:9418/x.git",
                                "file:///srv/git/x.git", "HTTPS://h/{project}"}) {
    SCOPED_TRACE(url);
    ConfigFile file("resources:\n  provider: git\n  git:\n    url: \"" + url + "\"\n");
    EXPECT_EQ(load_valid(file).resources.git.url, url);
  }
}

const std::vector<MalformedConfig> kMalformed = {
    {"unknown provider",
     "resources:\n  provider: s3\n",
     "2:13",
     {"resources.provider is unknown", "expected local, git or resource-service", "found \"s3\""}},
    {"misspelt provider", "resources:\n  provider: gti\n", "2:13", {"did you mean git?"}},
    {"api for resource-service",
     "resources:\n  provider: api\n",
     "2:13",
     {"did you mean resource-service?"}},
    {"git without url",
     "resources:\n  provider: git\n",
     "2:13",
     {"resources selects provider git but names no repository", "add e.g. git: {url:"}},
    {"project git without url",
     "resources:\n  projects:\n    shop:\n      provider: git\n",
     "4:17",
     {"resources.projects.shop selects provider git but names no repository"}},
    {"project local without directory",
     "resources:\n  projects:\n    shop:\n      provider: local\n",
     "4:17",
     {"resources.projects.shop selects provider local but names no directory"}},
    {"ssh url",
     "resources:\n  provider: git\n  git:\n    url: ssh://git@h/x.git\n",
     "4:10",
     {"uses ssh, which this build does not support"}},
    {"scp-like url",
     "resources:\n  provider: git\n  git:\n    url: git@h:x.git\n",
     "4:10",
     {"uses ssh"}},
    {"url without scheme",
     "resources:\n  provider: git\n  git:\n    url: /srv/x.git\n",
     "4:10",
     {"resources.git.url is not a supported git URL", "found \"/srv/x.git\""}},
    {"url with a password",
     "resources:\n  provider: git\n  git:\n    url: https://me:hunter22@h/x.git\n",
     "4:10",
     {"holds a user name or password", "not shown"}},
    {"unknown layout",
     "resources:\n  git:\n    url: file:///x\n    layout: branches\n",
     "4:13",
     {"resources.git.layout is unknown", "expected auto, branchPerStage or stageDirectories"}},
    {"misspelt layout",
     "resources:\n  git:\n    layout: stageDirectory\n",
     "3:13",
     {"did you mean stageDirectories?"}},
    {"bad default branch",
     "resources:\n  git:\n    defaultBranch: \"-x\"\n",
     "3:20",
     {"resources.git.defaultBranch is not a branch name"}},
    {"inline token",
     "resources:\n  git:\n    token: ghp_secret123\n",
     "3:12",
     {"resources.git.token is written inline", "not shown: it may be a secret",
      "token: {env: GIT_TOKEN}"}},
    {"token with both sources",
     "resources:\n  git:\n    token: {file: a, env: B}\n",
     "3:12",
     {"resources.git.token has both file and env"}},
    {"bad env name",
     "resources:\n  git:\n    token: {env: 1X}\n",
     "3:18",
     {"is not an environment variable name"}},
    {"token and password",
     "resources:\n  git:\n    user: {env: U}\n    token: {env: T}\n    password: {env: P}\n",
     "4:12",
     {"has both a token and a password"}},
    {"password without user",
     "resources:\n  git:\n    password: {env: P}\n",
     "3:15",
     {"has a password but no user"}},
    {"user alone",
     "resources:\n  git:\n    user: {env: U}\n",
     "3:11",
     {"has a user but no token or password"}},
    {"zero cache size",
     "resources:\n  git:\n    cacheMaxMegabytes: 0\n",
     "3:24",
     {"resources.git.cacheMaxMegabytes is out of range"}},
    {"bad fetch interval",
     "resources:\n  git:\n    fetchInterval: soon\n",
     "3:20",
     {"resources.git.fetchInterval is not a valid duration"}},
    {"misspelt git key",
     "resources:\n  git:\n    URL: file:///x\n",
     "3:5",
     {"unknown key \"URL\" in resources.git", "did you mean url?"}},
    {"resource-service over ftp",
     "resources:\n  resourceService:\n    url: ftp://h\n",
     "3:10",
     {"resources.resourceService.url is not an http or https URL"}},
    {"resource-service with query",
     "resources:\n  resourceService:\n    url: http://h/x?a=b\n",
     "3:10",
     {"is not a plain base URL"}},
    {"negative retries",
     "resources:\n  resourceService:\n    retries: -1\n",
     "3:14",
     {"resources.resourceService.retries is out of range"}},
    {"inline x-token",
     "resources:\n  resourceService:\n    token: abc\n",
     "3:12",
     {"resources.resourceService.token is written inline", "KEPTN_API_TOKEN"}},
    {"projects as a list",
     "resources:\n  projects: [a]\n",
     "2:13",
     {"resources.projects is not a mapping"}},
    {"invalid project name",
     "resources:\n  projects:\n    \"a/b\": {provider: git}\n",
     "3:12",
     {"resources.projects has an invalid project name", "found \"a/b\""}},
    {"unknown key in a project",
     "resources:\n  projects:\n    shop:\n      provider: local\n      directry: x\n"
     "      directory: x\n",
     "5:7",
     {"unknown key \"directry\" in resources.projects.shop", "did you mean directory?"}},
    {"projects inside a project",
     "resources:\n  projects:\n    shop:\n      projects: {}\n      directory: x\n",
     "4:7",
     {"unknown key \"projects\" in resources.projects.shop"}},
    {"two ca files",
     "resources:\n  provider: git\n  git:\n    url: file:///x\n    caFile: /a.pem\n"
     "  projects:\n    shop:\n      git: {caFile: /b.pem}\n",
     "8:21",
     {"resources names two different git.caFile settings", "one PEM bundle"}},
};

TEST(ResourcesConfigErrors, EachMalformedInputNamesPlaceProblemExpectationAndFix) {
  for (const auto& c : kMalformed) expect_one_error(c);
}

TEST(ResourcesConfigErrors, NeverShowsASecret) {
  ConfigFile file(
      "resources:\n  git:\n    url: https://me:hunter22@h/x.git\n    token: hunter22\n"
      "  resourceService:\n    token: hunter22\n");
  auto config = file.load();
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message.find("hunter22"), std::string::npos) << config.error().message;
}

TEST(IsValidProjectName, AcceptsKeptnNamesOnly) {
  EXPECT_TRUE(config::is_valid_project_name("sockshop"));
  EXPECT_TRUE(config::is_valid_project_name("pod-tato_2.x"));
  EXPECT_FALSE(config::is_valid_project_name(""));
  EXPECT_FALSE(config::is_valid_project_name("-x"));
  EXPECT_FALSE(config::is_valid_project_name(".."));
  EXPECT_FALSE(config::is_valid_project_name("a/b"));
  EXPECT_FALSE(config::is_valid_project_name(std::string(201, 'a')));
}

}  // namespace
}  // namespace kph::host
