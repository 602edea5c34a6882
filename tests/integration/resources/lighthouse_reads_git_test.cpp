// The point of it all: keptn-host pointed at a Keptn upstream repository, and lighthouse reading
// slo.yaml from it at the event's gitcommitid. Which objectives lighthouse asks SLIs for shows
// which version of slo.yaml it read.
#include <gtest/gtest.h>

#include "support/git_workspace.hpp"
#include "support/host_session.hpp"
#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using kph::testing::GitWorkspace;
using kph::testing::HostSession;
using kph::testing::TempDir;

std::string slo(const std::vector<std::string>& slis) {
  std::string text = "spec_version: \"0.1.1\"\nobjectives:\n";
  for (const auto& sli : slis)
    text += "  - sli: " + sli + "\n    pass:\n      - criteria: [\"<1\"]\n";
  return text + "total_score:\n  pass: \"90%\"\n  warning: \"50%\"\n";
}

json evaluation_triggered(const std::string& id, const std::string& commit) {
  return {{"specversion", "1.0"},
          {"id", id},
          {"source", "shipyard-controller"},
          {"type", "sh.keptn.event.evaluation.triggered"},
          {"datacontenttype", "application/json"},
          {"shkeptncontext", "ctx-" + id},
          {"shkeptnspecversion", "0.2.4"},
          {"gitcommitid", commit},
          {"data",
           {{"project", "sockshop"},
            {"stage", "staging"},
            {"service", "carts"},
            {"result", "pass"},
            {"status", "succeeded"},
            {"evaluation",
             {{"start", "2024-01-01T10:00:00.000Z"}, {"end", "2024-01-01T10:30:00.000Z"}}}}}};
}

TEST(LighthouseReadsGit, SloYamlComesFromTheEventsCommit) {
  TempDir dir;
  GitWorkspace repo(dir.path() / "repos" / "sockshop.git");
  repo.write("shipyard.yaml", "stages: [staging]\n");
  repo.commit("project");
  repo.checkout("staging", true);
  repo.write("carts/slo.yaml", slo({"response_time_p95"}));
  const std::string v1 = repo.commit("slo v1");
  repo.write("carts/slo.yaml", slo({"response_time_p95", "error_rate"}));
  const std::string v2 = repo.commit("slo v2");
  repo.push();

  const json host = {
      {"plugins",
       {{{"library", "lighthouse"}, {"config", {{"sliProvider", {{"default", "prometheus"}}}}}}}},
      {"resources",
       {{"provider", "git"},
        {"git",
         {{"url", "file://" + (dir.path() / "repos").string() + "/{project}.git"},
          {"cacheDirectory", (dir.path() / "cache").string()}}}}}};
  const auto config = dir.write("host.yaml", host.dump(2));  // JSON is YAML
  HostSession session({"run", "--config", config.string()});

  ASSERT_TRUE(session.write_json(evaluation_triggered("eval-v1", v1)));
  auto first = session.wait_for_event("sh.keptn.event.get-sli.triggered", 60s);
  ASSERT_TRUE(first) << session.stderr_text();
  EXPECT_EQ((*first)["data"]["get-sli"]["indicators"], json::array({"response_time_p95"}));
  EXPECT_EQ((*first)["gitcommitid"], v1);

  ASSERT_TRUE(session.write_json(evaluation_triggered("eval-v2", v2)));
  auto second = session.wait_for_json(
      [&](const json& event) {
        return event.value("type", "") == "sh.keptn.event.get-sli.triggered" &&
               event.value("gitcommitid", "") == v2;
      },
      60s);
  ASSERT_TRUE(second) << session.stderr_text();
  EXPECT_EQ((*second)["data"]["get-sli"]["indicators"],
            json::array({"response_time_p95", "error_rate"}));
}

}  // namespace
}  // namespace kph::host
