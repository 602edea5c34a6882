// `keptn-host resource get` as an operator runs it: the real binary, a config pointing at a
// Keptn upstream repository, and the bytes compared with what `git show <commit>:<path>` prints.
#include <gtest/gtest.h>

#include "support/git_workspace.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

using kph::testing::GitWorkspace;
using kph::testing::run_host;
using kph::testing::TempDir;

const std::string kChart = std::string("\x1f\x8b\x08\x00 chart\x00\xff\r\n", 13);

class ResourceGetCliTest : public ::testing::Test {
 protected:
  std::string write_config(const std::string& layout) {
    return dir_
        .write("host.yaml", "resources:\n  provider: git\n  git:\n    url: file://" +
                                (dir_.path() / "repos").string() + "/{project}.git\n" +
                                "    layout: " + layout + "\n    cacheDirectory: ./cache\n")
        .string();
  }

  TempDir dir_;
};

TEST_F(ResourceGetCliTest, PrintsWhatGitShowPrintsInTheBranchLayout) {
  GitWorkspace repo(dir_.path() / "repos" / "sockshop.git");
  repo.write("shipyard.yaml", "stages: [dev]\n");
  repo.commit("project");
  repo.checkout("dev", true);
  repo.write("carts/slo.yaml", "objectives: [v1]\n");
  repo.write("carts/helm/carts.tgz", kChart);
  const std::string v1 = repo.commit("v1");
  repo.write("carts/slo.yaml", "objectives: [v2]\n");
  const std::string v2 = repo.commit("v2");
  repo.push();
  const std::string config = write_config("branchPerStage");

  auto head =
      run_host({"resource", "get", "--config", config, "sockshop", "dev", "carts", "slo.yaml"});
  EXPECT_EQ(head.exit_code, 0) << head.err;
  EXPECT_EQ(head.out, repo.show(v2, "carts/slo.yaml"));

  auto at_v1 = run_host({"resource", "get", "--config", config, "sockshop", "dev", "carts",
                         "slo.yaml", "--commit", v1});
  EXPECT_EQ(at_v1.exit_code, 0) << at_v1.err;
  EXPECT_EQ(at_v1.out, repo.show(v1, "carts/slo.yaml"));

  auto chart = run_host({"resource", "get", "--config", config, "sockshop", "dev", "carts",
                         "helm/carts.tgz", "--commit", v2});
  EXPECT_EQ(chart.exit_code, 0) << chart.err;
  EXPECT_EQ(chart.out, repo.show(v2, "carts/helm/carts.tgz"));
  EXPECT_EQ(chart.out, kChart);

  auto project = run_host({"resource", "get", "--config", config, "sockshop", "dev", "",
                           "shipyard.yaml", "--scope", "project"});
  EXPECT_EQ(project.exit_code, 0) << project.err;
  EXPECT_EQ(project.out, repo.show("master", "shipyard.yaml"));
}

TEST_F(ResourceGetCliTest, PrintsWhatGitShowPrintsInTheStageDirectoryLayout) {
  GitWorkspace repo(dir_.path() / "repos" / "sockshop.git", "main");
  repo.write(".keptn-stages/dev/carts/slo.yaml", "objectives: [dir v1]\n");
  const std::string v1 = repo.commit("v1");
  repo.write(".keptn-stages/dev/carts/slo.yaml", "objectives: [dir v2]\n");
  const std::string v2 = repo.commit("v2");
  repo.push();
  const std::string config = write_config("auto");
  for (const auto& commit : {v1, v2}) {
    auto result = run_host({"resource", "get", "--config", config, "sockshop", "dev", "carts",
                            "slo.yaml", "--commit", commit});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, repo.show(commit, ".keptn-stages/dev/carts/slo.yaml"));
  }
}

TEST_F(ResourceGetCliTest, NotFoundExitsOneAndSaysWhatWasSearched) {
  GitWorkspace repo(dir_.path() / "repos" / "sockshop.git");
  repo.write("shipyard.yaml", "x\n");
  repo.commit("project");
  repo.push();
  auto result = run_host({"resource", "get", "--config", write_config("auto"), "sockshop", "dev",
                          "carts", "slo.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("not found: slo.yaml for project sockshop, stage dev, service carts"),
            std::string::npos)
      << result.err;
}

TEST_F(ResourceGetCliTest, ARefusedUriOrABrokenSetupExitsTwo) {
  GitWorkspace repo(dir_.path() / "repos" / "sockshop.git");
  repo.write("shipyard.yaml", "x\n");
  repo.commit("project");
  repo.push();
  auto traversal = run_host({"resource", "get", "--config", write_config("auto"), "sockshop", "dev",
                             "carts", "../../etc/passwd"});
  EXPECT_EQ(traversal.exit_code, 2);
  EXPECT_NE(traversal.err.find("refused"), std::string::npos) << traversal.err;

  const auto empty = dir_.write("empty.yaml", "plugins: []\n");
  auto none = run_host(
      {"resource", "get", "--config", empty.string(), "sockshop", "dev", "carts", "slo.yaml"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("configures no resource provider"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace kph::host
