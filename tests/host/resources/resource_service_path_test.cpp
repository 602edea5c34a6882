#include "resources/resource_service_path.hpp"

#include <gtest/gtest.h>

namespace kph::host {
namespace {

TEST(PercentEncode, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(percent_encode("slo.yaml"), "slo.yaml");
  EXPECT_EQ(percent_encode("helm/carts.tgz"), "helm%2Fcarts.tgz");
  EXPECT_EQ(percent_encode("a b+c?d#e%f"), "a%20b%2Bc%3Fd%23e%25f");
  EXPECT_EQ(percent_encode("A-Z_a.z~0"), "A-Z_a.z~0");
  EXPECT_EQ(percent_encode("\xC3\xA4"), "%C3%A4");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(ResourceServiceTarget, FollowsTheReferencePaths) {
  const ResourceRequest request{"sockshop",       "dev", "carts", "", "prometheus/sli.yaml",
                                KPH_SCOPE_INHERIT};
  EXPECT_EQ(resource_service_target("", request, ResourceLevel::kService),
            "/v1/project/sockshop/stage/dev/service/carts/resource/prometheus%2Fsli.yaml");
  EXPECT_EQ(resource_service_target("", request, ResourceLevel::kStage),
            "/v1/project/sockshop/stage/dev/resource/prometheus%2Fsli.yaml");
  EXPECT_EQ(resource_service_target("", request, ResourceLevel::kProject),
            "/v1/project/sockshop/resource/prometheus%2Fsli.yaml");
}

TEST(ResourceServiceTarget, AddsTheBasePathAndTheCommit) {
  const ResourceRequest request{"sockshop", "dev",
                                "carts",    "0123456789abcdef0123456789abcdef01234567",
                                "slo.yaml", KPH_SCOPE_INHERIT};
  EXPECT_EQ(resource_service_target("/api/resource-service", request, ResourceLevel::kProject),
            "/api/resource-service/v1/project/sockshop/resource/slo.yaml"
            "?gitCommitID=0123456789abcdef0123456789abcdef01234567");
}

}  // namespace
}  // namespace kph::host
