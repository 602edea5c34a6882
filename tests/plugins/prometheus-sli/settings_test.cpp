#include "settings.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "support/temp_dir.hpp"

namespace kph::plugins::prometheus_sli {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

TEST(Settings, EmptyConfigAnswersPrometheusWithNoConnection) {
  const auto settings = parse_settings(json::object());
  ASSERT_TRUE(settings.ok()) << settings.error;
  EXPECT_EQ(settings.value->sli_provider, "prometheus");
  EXPECT_EQ(settings.value->connection_for("any"), nullptr);
}

TEST(Settings, ProjectEntryReplacesUrlAndCredentialsButKeepsTimeoutsAndTrust) {
  const auto settings = parse_settings(json::parse(R"({
    "sliProvider": "prom-eu",
    "url": "http://prometheus:9090", "username": "keptn", "passwordEnv": "PROM_PASSWORD",
    "timeout": "45s", "caFile": "/etc/ca.pem",
    "projects": {"sockshop": {"url": "https://prom.sockshop:443/prom", "bearerTokenFile": "/t"}}
  })"));
  ASSERT_TRUE(settings.ok()) << settings.error;
  EXPECT_EQ(settings.value->sli_provider, "prom-eu");
  const Connection* other = settings.value->connection_for("other");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->url, "http://prometheus:9090");
  EXPECT_EQ(other->timeout, 45s);
  EXPECT_EQ(other->connect_timeout, 10s);
  const Connection* sockshop = settings.value->connection_for("sockshop");
  ASSERT_NE(sockshop, nullptr);
  EXPECT_EQ(sockshop->url, "https://prom.sockshop:443/prom");
  EXPECT_TRUE(sockshop->username.empty());
  EXPECT_FALSE(sockshop->password.has_value());
  ASSERT_TRUE(sockshop->bearer_token.has_value());
  EXPECT_EQ(sockshop->timeout, 45s);
  EXPECT_EQ(sockshop->ca_file, "/etc/ca.pem");
  EXPECT_EQ(sockshop->where, "projects.sockshop.url");
}

struct BadConfig {
  const char* name;
  const char* json;
  const char* message;
};

class SettingsMalformed : public ::testing::TestWithParam<BadConfig> {};

TEST_P(SettingsMalformed, ErrorNamesTheKey) {
  const auto settings = parse_settings(json::parse(GetParam().json));
  ASSERT_FALSE(settings.ok());
  EXPECT_NE(settings.error.find(GetParam().message), std::string::npos) << settings.error;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SettingsMalformed,
    ::testing::Values(
        BadConfig{"no_scheme", R"({"url": "prometheus:9090"})", "config key 'url': expected http"},
        BadConfig{"credentials_in_url", R"({"url": "http://u:p@prometheus:9090"})",
                  "credentials in the URL are not accepted"},
        BadConfig{"no_host", R"({"url": "https://"})", "no host"},
        BadConfig{"both_password_sources",
                  R"({"username": "u", "passwordFile": "/f", "passwordEnv": "E"})",
                  "'passwordFile' and 'passwordEnv': set one of them"},
        BadConfig{"password_without_user", R"({"passwordEnv": "E"})",
                  "config key 'username': required with a password"},
        BadConfig{"basic_and_bearer",
                  R"({"username": "u", "passwordEnv": "E", "bearerTokenEnv": "T"})",
                  "choose basic auth or a bearer token"},
        BadConfig{"bad_timeout", R"({"timeout": "30 seconds"})", "config key 'timeout': expected"},
        BadConfig{"zero_timeout", R"({"connectTimeout": "0s"})", "must be more than 0"},
        BadConfig{"project_without_url", R"({"projects": {"p": {"username": "u"}}})",
                  "config key 'projects.p.url': required"},
        BadConfig{"projects_list", R"({"projects": ["p"]})",
                  "config key 'projects': expected an object"},
        BadConfig{"project_bad_url", R"({"projects": {"p": {"url": "ftp://x"}}})",
                  "config key 'projects.p.url'"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Credentials, FileSecretLosesTrailingNewlines) {
  kph::testing::TempDir dir;
  const auto file = dir.write("password", "s3cret\r\n\n");
  Connection connection;
  connection.username = "keptn";
  connection.password = SecretSource{SecretSource::Kind::kFile, file.string()};
  const auto credentials = read_credentials(connection);
  ASSERT_TRUE(credentials.ok()) << credentials.error;
  EXPECT_EQ(credentials.value->password, "s3cret");
  EXPECT_EQ(credentials.value->username, "keptn");
}

TEST(Credentials, EnvSecretIsReadWhenAsked) {
  ::setenv("KPH_TEST_PROM_TOKEN", "tok-1", 1);
  Connection connection;
  connection.bearer_token = SecretSource{SecretSource::Kind::kEnv, "KPH_TEST_PROM_TOKEN"};
  EXPECT_EQ(read_credentials(connection).value->bearer_token, "tok-1");
  ::setenv("KPH_TEST_PROM_TOKEN", "tok-2", 1);  // rotated: the next request sees the new one
  EXPECT_EQ(read_credentials(connection).value->bearer_token, "tok-2");
  ::unsetenv("KPH_TEST_PROM_TOKEN");
}

TEST(Credentials, MissingSourcesAreNamedWithoutAnySecret) {
  Connection connection;
  connection.where = "projects.p.url";
  connection.password = SecretSource{SecretSource::Kind::kFile, "/nonexistent/kph/password"};
  auto missing_file = read_credentials(connection);
  ASSERT_FALSE(missing_file.ok());
  EXPECT_NE(missing_file.error.find("password for projects.p.url: cannot read file "
                                    "/nonexistent/kph/password"),
            std::string::npos)
      << missing_file.error;
  connection.password = SecretSource{SecretSource::Kind::kEnv, "KPH_TEST_UNSET_VARIABLE"};
  auto missing_env = read_credentials(connection);
  ASSERT_FALSE(missing_env.ok());
  EXPECT_NE(missing_env.error.find("environment variable KPH_TEST_UNSET_VARIABLE is not set"),
            std::string::npos);
}

TEST(Duration, ParsesUnitsAndSums) {
  EXPECT_EQ(*parse_duration("500ms").value, 500ms);
  EXPECT_EQ(*parse_duration("30s").value, 30s);
  EXPECT_EQ(*parse_duration("10m").value, 10min);
  EXPECT_EQ(*parse_duration("1h30m").value, 90min);
  for (const std::string bad : {"", "30", "s", "1.5s", "-1s", "1d", "30 s", "99999999999h"}) {
    const auto parsed = parse_duration(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.error.find("'" + bad + "'"), std::string::npos) << parsed.error;
  }
}

TEST(ConfigSchema, DescribesEveryKeyTheParserReads) {
  const auto schema = config_schema();
  EXPECT_EQ(schema["type"], "object");
  EXPECT_FALSE(schema["additionalProperties"].get<bool>());
  for (const char* key : {"sliProvider", "url", "username", "passwordFile", "passwordEnv",
                          "bearerTokenFile", "bearerTokenEnv", "caFile", "insecureSkipVerify",
                          "timeout", "connectTimeout", "projects"}) {
    EXPECT_TRUE(schema["properties"].contains(key)) << key;
    EXPECT_TRUE(schema["properties"][key].contains("description")) << key;
  }
}

}  // namespace
}  // namespace kph::plugins::prometheus_sli
