// The resource-service provider against the stand-in HTTP(S) server: the reference paths and
// encoding, gitCommitID, base64, 401/404 and retries, timeouts and TLS.
#include "resources/resource_service_provider.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "support/net.hpp"
#include "support/resource_service_standin.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificate.hpp"

namespace kph::host {
namespace {

using namespace std::chrono_literals;
using kph::testing::ResourceServiceStandIn;
using kph::testing::TempDir;

const std::string kCommit = "89abcdef0123456789abcdef0123456789abcdef";

kph::testing::ResourceServiceStandInOptions with_token(const std::string& token) {
  kph::testing::ResourceServiceStandInOptions options;
  options.token = token;
  return options;
}

class ResourceServiceProviderTest : public ::testing::Test {
 protected:
  std::unique_ptr<ResourceServiceProvider> provider(const std::string& url,
                                                    const std::string& token = "",
                                                    int64_t retries = 0) {
    ResourceServiceConfig config;
    config.url = url;
    if (!token.empty()) config.token.file = dir_.write("token", token + "\n");
    config.retries = retries;
    config.retry_delay = 10ms;
    config.timeout = 5s;
    auto made = ResourceServiceProvider::create(config);
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? std::move(*made) : nullptr;
  }

  TempDir dir_;
};

TEST_F(ResourceServiceProviderTest, EncodesTheUriIntoOneSegmentAndDecodesBase64) {
  ResourceServiceStandIn service;
  const std::string chart("\x1f\x8b\x00\xff chart", 10);
  service.put("sockshop", "dev", "carts", "helm/carts.tgz", chart);
  auto rs = provider(service.url());
  auto content = rs->get({"sockshop", "dev", "carts", "", "helm/carts.tgz", KPH_SCOPE_INHERIT});
  ASSERT_TRUE(content) << content.error().message;
  ASSERT_TRUE(content->has_value());
  EXPECT_EQ(**content, chart);
  ASSERT_EQ(service.targets().size(), 1u);
  EXPECT_EQ(service.targets()[0],
            "/v1/project/sockshop/stage/dev/service/carts/resource/helm%2Fcarts.tgz");
}

TEST_F(ResourceServiceProviderTest, SearchesServiceStageProjectWith404AsNotHere) {
  ResourceServiceStandIn service;
  service.put("sockshop", "", "", "slo.yaml", "project\n");
  auto rs = provider(service.url());
  EXPECT_EQ(**rs->get({"sockshop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}),
            "project\n");
  EXPECT_EQ(service.targets(), (std::vector<std::string>{
                                   "/v1/project/sockshop/stage/dev/service/carts/resource/slo.yaml",
                                   "/v1/project/sockshop/stage/dev/resource/slo.yaml",
                                   "/v1/project/sockshop/resource/slo.yaml"}));
  auto missing = rs->get({"sockshop", "dev", "carts", "", "nothing.yaml", KPH_SCOPE_INHERIT});
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(ResourceServiceProviderTest, PassesTheEventsCommitAsGitCommitId) {
  ResourceServiceStandIn service;
  service.put("sockshop", "dev", "carts", "slo.yaml", "head\n");
  service.put("sockshop", "dev", "carts", "slo.yaml", "at commit\n", kCommit);
  auto rs = provider(service.url());
  EXPECT_EQ(**rs->get({"sockshop", "dev", "carts", kCommit, "slo.yaml", KPH_SCOPE_SERVICE}),
            "at commit\n");
  EXPECT_EQ(**rs->get({"sockshop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_SERVICE}), "head\n");
  EXPECT_EQ(
      service.targets()[0],
      "/v1/project/sockshop/stage/dev/service/carts/resource/slo.yaml?gitCommitID=" + kCommit);
}

TEST_F(ResourceServiceProviderTest, SendsTheTokenAndNames401sSetting) {
  ResourceServiceStandIn service(with_token("right-token"));
  service.put("sockshop", "", "", "slo.yaml", "ok\n");
  EXPECT_EQ(**provider(service.url(), "right-token")
                  ->get({"sockshop", "dev", "", "", "slo.yaml", KPH_SCOPE_PROJECT}),
            "ok\n");

  ::setenv("KPH_TEST_KEPTN_API_TOKEN", "right-token", 1);
  ResourceServiceConfig from_env;
  from_env.url = service.url();
  from_env.token.env = "KPH_TEST_KEPTN_API_TOKEN";
  auto env_provider = ResourceServiceProvider::create(from_env);
  ASSERT_TRUE(env_provider);
  auto env_content =
      (*env_provider)->get({"sockshop", "dev", "", "", "slo.yaml", KPH_SCOPE_PROJECT});
  ::unsetenv("KPH_TEST_KEPTN_API_TOKEN");
  ASSERT_TRUE(env_content) << env_content.error().message;
  EXPECT_EQ(**env_content, "ok\n");

  auto without =
      provider(service.url())->get({"sockshop", "dev", "", "", "slo.yaml", KPH_SCOPE_PROJECT});
  ASSERT_FALSE(without);
  EXPECT_NE(without.error().message.find("HTTP 401"), std::string::npos);
  EXPECT_NE(without.error().message.find("no x-token"), std::string::npos);
  EXPECT_NE(without.error().message.find("resources.resourceService.token"), std::string::npos);

  auto wrong = provider(service.url(), "wrong-token")
                   ->get({"sockshop", "dev", "", "", "slo.yaml", KPH_SCOPE_PROJECT});
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("is not accepted"), std::string::npos);
  EXPECT_EQ(wrong.error().message.find("wrong-token"), std::string::npos)
      << "the token must never appear in a message";
}

TEST_F(ResourceServiceProviderTest, RetriesServerErrorsUpToTheLimit) {
  ResourceServiceStandIn service;
  service.put("sockshop", "", "", "slo.yaml", "ok\n");
  service.fail_next(2, 503);
  EXPECT_EQ(**provider(service.url(), "", 2)
                  ->get({"sockshop", "dev", "", "", "slo.yaml", KPH_SCOPE_PROJECT}),
            "ok\n");
  EXPECT_EQ(service.request_count(), 3u);

  service.fail_next(2, 502);
  auto failed = provider(service.url(), "", 1)
                    ->get({"sockshop", "dev", "", "", "slo.yaml", KPH_SCOPE_PROJECT});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("failed after 2 attempts: HTTP 502"), std::string::npos)
      << failed.error().message;
}

TEST_F(ResourceServiceProviderTest, ASilentServerTimesOut) {
  ResourceServiceStandIn service;
  service.hold(true);
  ResourceServiceConfig config;
  config.url = service.url();
  config.timeout = 300ms;
  config.retries = 0;
  auto rs = ResourceServiceProvider::create(config);
  ASSERT_TRUE(rs);
  auto result = (*rs)->get({"sockshop", "dev", "", "", "slo.yaml", KPH_SCOPE_PROJECT});
  service.hold(false);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("no reply within 300ms"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("resources.resourceService.timeout"), std::string::npos);
}

TEST_F(ResourceServiceProviderTest, AnUnreachableServiceNamesTheUrl) {
  const uint16_t port = kph::testing::free_port();  // nothing listens there
  auto result = provider("http://127.0.0.1:" + std::to_string(port))
                    ->get({"sockshop", "dev", "", "", "slo.yaml", KPH_SCOPE_PROJECT});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos);
  EXPECT_NE(result.error().message.find("resources.resourceService.url"), std::string::npos);
}

TEST_F(ResourceServiceProviderTest, RefusesTraversalWithoutSendingAnything) {
  ResourceServiceStandIn service;
  auto rs = provider(service.url());
  EXPECT_FALSE(rs->get({"sockshop", "dev", "carts", "", "../x", KPH_SCOPE_INHERIT}));
  EXPECT_FALSE(rs->get({"sockshop", "dev/x", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}));
  EXPECT_EQ(service.request_count(), 0u);
}

TEST_F(ResourceServiceProviderTest, WorksBehindTheApiGatewayPrefix) {
  kph::testing::ResourceServiceStandInOptions options;
  options.path_prefix = "/api/resource-service";
  ResourceServiceStandIn service(options);
  service.put("sockshop", "dev", "", "slo.yaml", "stage\n");
  auto rs = provider(service.url() + "/");
  EXPECT_EQ(**rs->get({"sockshop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}), "stage\n");
}

TEST_F(ResourceServiceProviderTest, VerifiesTheServersCertificate) {
  if (auto reason = kph::testing::test_certificate_unavailable()) GTEST_SKIP() << *reason;
  const auto certificate = kph::testing::make_test_certificate(dir_.path() / "tls");
  kph::testing::ResourceServiceStandInOptions options;
  options.certificate = certificate.certificate;
  options.key = certificate.key;
  ResourceServiceStandIn service(options);
  service.put("sockshop", "", "", "slo.yaml", "over tls\n");

  auto untrusted =
      provider(service.url())->get({"sockshop", "", "", "", "slo.yaml", KPH_SCOPE_PROJECT});
  ASSERT_FALSE(untrusted);
  EXPECT_NE(untrusted.error().message.find("TLS"), std::string::npos) << untrusted.error().message;
  EXPECT_NE(untrusted.error().message.find("caFile"), std::string::npos);

  ResourceServiceConfig config;
  config.url = service.url();
  config.ca_file = certificate.certificate;
  auto trusted = ResourceServiceProvider::create(config);
  ASSERT_TRUE(trusted) << trusted.error().message;
  auto content = (*trusted)->get({"sockshop", "", "", "", "slo.yaml", KPH_SCOPE_PROJECT});
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(**content, "over tls\n");
}

}  // namespace
}  // namespace kph::host
