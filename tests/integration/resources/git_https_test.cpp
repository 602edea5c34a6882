// The git provider over https against a real smart-HTTP server (git http-backend behind TLS
// and Basic auth): certificates are verified, credentials come from secret files, and refused
// or missing credentials give messages that name the setting, never the secret.
#include <gtest/gtest.h>

#include "resources/git_provider.hpp"
#include "support/git_http_server.hpp"
#include "support/git_workspace.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificate.hpp"

namespace kph::host {
namespace {

using namespace std::chrono_literals;
using kph::testing::GitHttpServer;
using kph::testing::GitWorkspace;
using kph::testing::TempDir;

const std::string kToken = "glpat-s3cret-Token-42";

class GitHttpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = kph::testing::test_certificate_unavailable()) GTEST_SKIP() << *reason;
    certificate_ = kph::testing::make_test_certificate(dir_.path() / "tls");
    repo_ = std::make_unique<GitWorkspace>(dir_.path() / "repos" / "shop.git");
    repo_->checkout("dev", true);
    repo_->write("carts/slo.yaml", "over https\n");
    repo_->commit("slo");
    repo_->push();
    server_ = std::make_unique<GitHttpServer>(
        kph::testing::GitHttpServerOptions{.base = dir_.path() / "repos",
                                           .user = "oauth2",
                                           .password = kToken,
                                           .certificate = certificate_.certificate,
                                           .key = certificate_.key});
  }

  GitResourcesConfig config(const std::string& cache) const {
    GitResourcesConfig c;
    c.url = server_->url("{project}.git");
    c.cache_directory = dir_.path() / cache;
    c.fetch_timeout = 60s;
    return c;
  }

  Result<std::optional<std::string>> read(const GitResourcesConfig& c) const {
    auto provider = GitProvider::create(c);
    if (!provider) return provider.error();
    return (*provider)->get({"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT});
  }

  TempDir dir_;
  kph::testing::TestCertificate certificate_;
  std::unique_ptr<GitWorkspace> repo_;
  std::unique_ptr<GitHttpServer> server_;
};

// One test, in this order: libgit2 trusts one set of CAs per process, so the untrusted case
// must run before caFile is set.
TEST_F(GitHttpsTest, VerifiesTheCertificateAndAuthenticatesFromSecretFiles) {
  auto c = config("cache-untrusted");
  c.user.file = dir_.write("git-user", "oauth2\n");
  c.token.file = dir_.write("git-token", kToken + "\n");
  auto untrusted = read(c);
  ASSERT_FALSE(untrusted);
  EXPECT_NE(untrusted.error().message.find("not trusted"), std::string::npos)
      << untrusted.error().message;
  EXPECT_NE(untrusted.error().message.find("resources.git.caFile"), std::string::npos);
  EXPECT_EQ(server_->served(), 0);

  c = config("cache");
  c.ca_file = certificate_.certificate;
  c.user.file = dir_.write("git-user", "oauth2\n");
  c.token.file = dir_.write("git-token", kToken + "\n");
  auto content = read(c);
  ASSERT_TRUE(content) << content.error().message;
  ASSERT_TRUE(content->has_value());
  EXPECT_EQ(**content, "over https\n");
  EXPECT_GT(server_->served(), 0);

  // A wrong token: refused, and the message names the setting but never the secret.
  auto wrong = config("cache-wrong");
  wrong.ca_file = certificate_.certificate;
  wrong.user = c.user;
  wrong.token.file = dir_.write("wrong-token", "not-the-Token-99\n");
  auto refused = read(wrong);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("refused the credentials from resources.git.token"),
            std::string::npos)
      << refused.error().message;
  EXPECT_EQ(refused.error().message.find("not-the-Token-99"), std::string::npos);
  EXPECT_EQ(refused.error().message.find(kToken), std::string::npos);

  // No credentials at all: the server asks, and the message says what to configure.
  auto none = config("cache-none");
  none.ca_file = certificate_.certificate;
  auto asked = read(none);
  ASSERT_FALSE(asked);
  EXPECT_NE(asked.error().message.find("asks for credentials and none are configured"),
            std::string::npos)
      << asked.error().message;

  // A token from an environment variable, with the default user refused by this server.
  ::setenv("KPH_TEST_GIT_TOKEN", kToken.c_str(), 1);
  auto from_env = config("cache-env");
  from_env.ca_file = certificate_.certificate;
  from_env.token.env = "KPH_TEST_GIT_TOKEN";
  auto default_user = read(from_env);
  ::unsetenv("KPH_TEST_GIT_TOKEN");
  ASSERT_FALSE(default_user);
  EXPECT_NE(default_user.error().message.find("set resources.git.user"), std::string::npos)
      << default_user.error().message;
}

}  // namespace
}  // namespace kph::host
