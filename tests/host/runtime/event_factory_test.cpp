#include "runtime/event_factory.hpp"

#include <gtest/gtest.h>

namespace kph::host {
namespace {

const nlohmann::json kTriggered = {{"specversion", "1.0"},
                                   {"id", "trigger-1"},
                                   {"source", "shipyard-controller"},
                                   {"type", "sh.keptn.event.evaluation.triggered"},
                                   {"shkeptncontext", "ctx-1"},
                                   {"gitcommitid", "0123456789abcdef0123456789abcdef01234567"},
                                   {"data",
                                    {{"project", "sockshop"},
                                     {"stage", "staging"},
                                     {"service", "carts"},
                                     {"labels", {{"owner", "team"}}},
                                     {"evaluation", {{"timeframe", "5m"}}}}}};

TEST(EventFactory, StartedCarriesKeptnCorrelation) {
  auto event = make_response_event(kTriggered, "started", "lighthouse", nlohmann::json::object());
  EXPECT_EQ(event["type"], "sh.keptn.event.evaluation.started");
  EXPECT_EQ(event["triggeredid"], "trigger-1");
  EXPECT_EQ(event["shkeptncontext"], "ctx-1");
  EXPECT_EQ(event["gitcommitid"], kTriggered["gitcommitid"]);
  EXPECT_EQ(event["source"], "lighthouse");
  EXPECT_EQ(event["specversion"], "1.0");
  EXPECT_EQ(event["datacontenttype"], "application/json");
  EXPECT_EQ(event["id"].get<std::string>().size(), 36u);
  EXPECT_NE(event["id"], "trigger-1");
  EXPECT_EQ(event["data"]["project"], "sockshop");
  EXPECT_EQ(event["data"]["stage"], "staging");
  EXPECT_EQ(event["data"]["service"], "carts");
  EXPECT_EQ(event["data"]["labels"]["owner"], "team");
  EXPECT_FALSE(event["data"].contains("evaluation"));
  const std::string time = event["time"];
  EXPECT_EQ(time.size(), 24u);
  EXPECT_EQ(time.back(), 'Z');
}

TEST(EventFactory, FinishedAlwaysCarriesStatusAndResult) {
  auto event = make_response_event(kTriggered, "finished", "p", {{"message", "m"}});
  EXPECT_EQ(event["data"]["status"], "succeeded");
  EXPECT_EQ(event["data"]["result"], "pass");
  auto errored = make_response_event(kTriggered, "finished", "p", errored_finished_data("boom"));
  EXPECT_EQ(errored["data"]["status"], "errored");
  EXPECT_EQ(errored["data"]["result"], "fail");
  EXPECT_EQ(errored["data"]["message"], "boom");
  auto empty = make_response_event(kTriggered, "finished", "p", {{"status", ""}, {"result", ""}});
  EXPECT_EQ(empty["data"]["status"], "succeeded");
  EXPECT_EQ(empty["data"]["result"], "pass");
}

TEST(EventFactory, ScopeIsAlwaysTheTriggers) {
  auto event = make_response_event(kTriggered, "finished", "p",
                                   {{"project", "other"}, {"labels", {{"mine", "x"}}}});
  EXPECT_EQ(event["data"]["project"], "sockshop");
  EXPECT_EQ(event["data"]["labels"]["mine"], "x");
}

TEST(EventFactory, ContextEventsInheritScopeButNoTriggeredId) {
  auto event = make_context_event(kTriggered, "sh.keptn.event.get-sli.triggered", "lighthouse",
                                  {{"get-sli", {{"sliProvider", "prometheus"}}}});
  EXPECT_EQ(event["type"], "sh.keptn.event.get-sli.triggered");
  EXPECT_FALSE(event.contains("triggeredid"));
  EXPECT_EQ(event["shkeptncontext"], "ctx-1");
  EXPECT_EQ(event["data"]["service"], "carts");
  EXPECT_EQ(event["data"]["get-sli"]["sliProvider"], "prometheus");
}

TEST(EventFactory, EveryEventGetsAFreshId) {
  auto a = make_response_event(kTriggered, "started", "p", nlohmann::json::object());
  auto b = make_response_event(kTriggered, "started", "p", nlohmann::json::object());
  EXPECT_NE(a["id"], b["id"]);
}

}  // namespace
}  // namespace kph::host
