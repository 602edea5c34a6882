#include "runtime/router.hpp"

#include <gtest/gtest.h>

namespace kph::host {
namespace {

nlohmann::json event(const std::string& type, const std::string& project,
                     const std::string& stage = "dev", const std::string& service = "svc") {
  return {{"type", type}, {"data", {{"project", project}, {"stage", stage}, {"service", service}}}};
}

TEST(Router, MatchesPatternAndFilters) {
  Router router({{"sh.keptn.event.evaluation.triggered", "lighthouse", {}, {}, {}},
                 {"sh.keptn.event.*.triggered", "jobs", {"shop"}, {"prod"}, {}},
                 {"sh.keptn.event.test.triggered", "tests", {}, {}, {"carts", "orders"}}});
  EXPECT_EQ(router.route(event("sh.keptn.event.evaluation.triggered", "x")),
            std::vector<std::string>{"lighthouse"});
  EXPECT_EQ(router.route(event("sh.keptn.event.evaluation.triggered", "shop", "prod")),
            (std::vector<std::string>{"lighthouse", "jobs"}));
  EXPECT_TRUE(router.route(event("sh.keptn.event.test.triggered", "shop", "dev")).empty());
  EXPECT_EQ(router.route(event("sh.keptn.event.test.triggered", "x", "dev", "orders")),
            std::vector<std::string>{"tests"});
  EXPECT_TRUE(router.route(event("sh.keptn.event.test.finished", "shop", "prod")).empty());
}

TEST(Router, AnInstanceIsNamedOncePerEvent) {
  Router router({{"sh.keptn.event.*", "a", {}, {}, {}}, {"*.triggered", "a", {}, {}, {}}});
  EXPECT_EQ(router.route(event("sh.keptn.event.x.triggered", "p")), std::vector<std::string>{"a"});
}

TEST(Router, MissingDataMatchesOnlyUnfilteredRoutes) {
  Router router({{"*", "any", {}, {}, {}}, {"*", "shop-only", {"shop"}, {}, {}}});
  EXPECT_EQ(router.route({{"type", "sh.keptn.event.a.triggered"}}),
            std::vector<std::string>{"any"});
}

}  // namespace
}  // namespace kph::host
