#include "resources/resource_provider_factory.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

TEST(MakeResourceProvider, NothingConfiguredMeansNoProvider) {
  auto provider = make_resource_provider(ResourcesConfig{});
  ASSERT_TRUE(provider);
  EXPECT_EQ(provider->get(), nullptr);
}

TEST(MakeResourceProvider, BuildsTheLocalProviderAndProjectOverrides) {
  kph::testing::TempDir dir;
  dir.write("all/shop/slo.yaml", "all");
  dir.write("legacy/legacy/slo.yaml", "legacy");
  ResourcesConfig config;
  config.directory = dir.path() / "all";
  ResourceProviderConfig legacy;
  legacy.directory = dir.path() / "legacy";
  config.projects.emplace("legacy", legacy);
  auto provider = make_resource_provider(config);
  ASSERT_TRUE(provider) << provider.error().message;
  ASSERT_NE(provider->get(), nullptr);
  EXPECT_EQ(**(*provider)->get({"shop", "dev", "", "", "slo.yaml", KPH_SCOPE_INHERIT}), "all");
  EXPECT_EQ(**(*provider)->get({"legacy", "dev", "", "", "slo.yaml", KPH_SCOPE_INHERIT}), "legacy");
}

TEST(MakeResourceProvider, AGitCacheThatCannotBeCreatedIsRefusedWithTheSetting) {
  kph::testing::TempDir dir;
  const auto file = dir.write("not-a-folder", "x");
  ResourcesConfig config;
  config.projects["shop"].provider = "git";
  config.projects["shop"].git.url = "file:///nowhere/{project}.git";
  config.projects["shop"].git.cache_directory = file / "cache";
  auto provider = make_resource_provider(config);
  ASSERT_FALSE(provider);
  EXPECT_NE(provider.error().message.find("git cache directory"), std::string::npos);
  EXPECT_NE(provider.error().message.find("resources.projects.shop.git.cacheDirectory"),
            std::string::npos)
      << provider.error().message;
}

TEST(MakeResourceProvider, AResourceServiceCaFileThatCannotBeLoadedIsRefused) {
  ResourcesConfig config;
  config.provider = "resource-service";
  config.resource_service.url = "https://keptn.example.com/api/resource-service";
  config.resource_service.ca_file = "/nonexistent/ca.pem";
  auto provider = make_resource_provider(config);
  ASSERT_FALSE(provider);
  EXPECT_NE(provider.error().message.find("resources.resourceService.caFile"), std::string::npos)
      << provider.error().message;
}

TEST(MakeResourceProvider, BuildsGitAndResourceServiceWithoutTouchingTheNetwork) {
  kph::testing::TempDir dir;
  ResourcesConfig config;
  config.provider = "git";
  config.git.url = "https://git.invalid/keptn/{project}.git";
  config.git.cache_directory = dir.path() / "cache";
  config.projects["remote"].provider = "resource-service";
  auto provider = make_resource_provider(config);
  ASSERT_TRUE(provider) << provider.error().message;
  EXPECT_NE(provider->get(), nullptr);
  EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "cache"));
}

}  // namespace
}  // namespace kph::host
