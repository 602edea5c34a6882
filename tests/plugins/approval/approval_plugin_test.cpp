// The approval plugin as a user runs it: `keptn-host run --plugin approval` fed
// approval.triggered events as the shipyard-controller sends them.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "support/process.hpp"

namespace kph::testing {
namespace {

using nlohmann::json;

json approval_triggered(const std::string& id, json data) {
  data["project"] = "sockshop";
  data["stage"] = "production";
  data["service"] = "carts";
  return {{"specversion", "1.0"},
          {"id", id},
          {"source", "shipyard-controller"},
          {"type", "sh.keptn.event.approval.triggered"},
          {"datacontenttype", "application/json"},
          {"shkeptncontext", "ctx-" + id},
          {"shkeptnspecversion", "0.2.4"},
          {"data", data}};
}

class ApprovalPlugin : public ::testing::Test {
 protected:
  void run(const std::vector<json>& events) {
    std::string input;
    for (const auto& event : events) input += event.dump() + "\n";
    result_ = run_host({"run", "--plugin", "approval"}, input);
    ASSERT_EQ(result_.exit_code, 0) << result_.err;
  }

  std::optional<json> event(const std::string& id, const std::string& kind) const {
    for (const auto& e : result_.out_json_lines()) {
      if (e.value("triggeredid", "") == id &&
          e.value("type", "") == "sh.keptn.event.approval." + kind) {
        return e;
      }
    }
    return std::nullopt;
  }

  ProcessResult result_;
};

TEST_F(ApprovalPlugin, AutomaticStrategiesFinishAtOnce) {
  const json strategies = {{"pass", "automatic"}, {"warning", "automatic"}};
  run({approval_triggered("pass", {{"result", "pass"}, {"approval", strategies}}),
       approval_triggered("warning", {{"result", "warning"}, {"approval", strategies}}),
       approval_triggered("fail", {{"result", "fail"}, {"approval", strategies}}),
       approval_triggered("chained",
                          {{"evaluation", {{"result", "pass"}}}, {"approval", strategies}})});
  for (const auto& [id, result] : {std::pair{"pass", "pass"}, std::pair{"warning", "pass"},
                                   std::pair{"fail", "fail"}, std::pair{"chained", "pass"}}) {
    const auto started = event(id, "started");
    const auto finished = event(id, "finished");
    ASSERT_TRUE(started && finished) << id << "\n" << result_.out;
    EXPECT_EQ((*finished)["source"], "approval");
    EXPECT_EQ((*finished)["shkeptncontext"], std::string("ctx-") + id);
    EXPECT_EQ((*finished)["data"]["status"], "succeeded") << id;
    EXPECT_EQ((*finished)["data"]["result"], result) << id;
    EXPECT_EQ((*finished)["data"]["project"], "sockshop");
  }
  EXPECT_EQ(event("warning", "finished")->at("data")["message"],
            "Approval strategy for result 'warning': automatic");
}

TEST_F(ApprovalPlugin, ManualApprovalsSendOnlyStartedAndStayOpen) {
  run({approval_triggered("manual", {{"result", "pass"}, {"approval", {{"pass", "manual"}}}}),
       approval_triggered("default", {{"result", "warning"}}),
       approval_triggered("no-result", {{"approval", {{"pass", "automatic"}}}}),
       approval_triggered("typo", {{"result", "pass"}, {"approval", {{"pass", "Automatic"}}}})});
  for (const char* id : {"manual", "default", "no-result", "typo"}) {
    EXPECT_TRUE(event(id, "started")) << id << "\n" << result_.out;
    EXPECT_FALSE(event(id, "finished")) << id << "\n" << result_.out;
  }
  // The host lists the open tasks when it ends, and the unknown strategy was warned about.
  EXPECT_NE(result_.err.find("manual"), std::string::npos) << result_.err;
  EXPECT_NE(result_.err.find("approval.pass is 'Automatic'"), std::string::npos) << result_.err;
}

TEST_F(ApprovalPlugin, MalformedPropertiesAreAnsweredErroredNamingTheField) {
  run({approval_triggered("bad", {{"result", "pass"}, {"approval", {{"pass", true}}}})});
  const auto finished = event("bad", "finished");
  ASSERT_TRUE(finished) << result_.out;
  EXPECT_EQ((*finished)["data"]["status"], "errored");
  EXPECT_EQ((*finished)["data"]["result"], "fail");
  EXPECT_NE((*finished)["data"]["message"].get<std::string>().find(
                "field 'approval.pass': expected a string, found boolean true"),
            std::string::npos)
      << (*finished)["data"]["message"];
}

}  // namespace
}  // namespace kph::testing
