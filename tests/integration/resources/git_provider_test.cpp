// The git provider against repositories built with the git CLI: reads at given commits in both
// layouts, fetches after pushes, the cache across restarts and within its bounds, symlinks that
// try to leave the tree, and failures that must name their cause.
#include "resources/git_provider.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "resources/git_cache.hpp"
#include "support/git_daemon.hpp"
#include "support/git_workspace.hpp"
#include "support/net.hpp"
#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

using namespace std::chrono_literals;
using kph::testing::GitDaemon;
using kph::testing::GitWorkspace;
using kph::testing::TempDir;

std::string answer(ResourceProvider& provider, const ResourceRequest& request) {
  auto content = provider.get(request);
  if (!content) return "<error: " + content.error().message + ">";
  if (!content->has_value()) return "<not found>";
  return **content;
}

class GitProviderTest : public ::testing::Test {
 protected:
  std::filesystem::path repos() const { return dir_.path() / "repos"; }
  std::filesystem::path cache() const { return dir_.path() / "cache"; }
  std::string url() const { return "file://" + repos().string() + "/{project}.git"; }

  GitResourcesConfig config(const std::string& layout = "auto") const {
    GitResourcesConfig c;
    c.url = url();
    c.layout = layout;
    c.cache_directory = cache();
    c.fetch_interval = 1h;  // tests that want fetches ask for a commit or lower it
    c.fetch_timeout = 60s;
    return c;
  }

  std::unique_ptr<GitProvider> provider(const GitResourcesConfig& c) const {
    auto made = GitProvider::create(c);
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? std::move(*made) : nullptr;
  }

  size_t clones_in_cache() const {
    size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(cache())) {
      if (entry.is_directory() && entry.path().extension() == ".git") ++count;
    }
    return count;
  }

  TempDir dir_;
};

// Branch per stage: three commits on dev, each changing the service's and the stage's slo.
TEST_F(GitProviderTest, BranchLayoutReadsEachCommitAndTheHead) {
  GitWorkspace repo(repos() / "shop.git");
  repo.write("shipyard.yaml", "stages: [dev]\n");
  const std::string project_commit = repo.commit("project");
  repo.checkout("dev", true);
  std::vector<std::string> commits;
  for (int version = 1; version <= 3; ++version) {
    repo.write("carts/slo.yaml", "carts v" + std::to_string(version) + "\n");
    repo.write("slo.yaml", "dev v" + std::to_string(version) + "\n");
    commits.push_back(repo.commit("v" + std::to_string(version)));
  }
  repo.push();
  auto git = provider(config("branchPerStage"));
  for (int version = 1; version <= 3; ++version) {
    const std::string commit = commits[static_cast<size_t>(version - 1)];
    EXPECT_EQ(answer(*git, {"shop", "dev", "carts", commit, "slo.yaml", KPH_SCOPE_INHERIT}),
              "carts v" + std::to_string(version) + "\n");
    EXPECT_EQ(answer(*git, {"shop", "dev", "carts", commit, "slo.yaml", KPH_SCOPE_STAGE}),
              "dev v" + std::to_string(version) + "\n");
    EXPECT_EQ(answer(*git, {"shop", "dev", "carts", commit, "carts/slo.yaml", KPH_SCOPE_STAGE}),
              repo.show(commit, "carts/slo.yaml"));
  }
  EXPECT_EQ(answer(*git, {"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}),
            "carts v3\n");
  // The project level is the default branch; a stage commit is not on it.
  EXPECT_EQ(answer(*git, {"shop", "dev", "carts", commits[0], "shipyard.yaml", KPH_SCOPE_PROJECT}),
            repo.show(project_commit, "shipyard.yaml"));
  EXPECT_EQ(clones_in_cache(), 1u);
}

TEST_F(GitProviderTest, BranchLayoutReadsTheProjectLevelAtAnEarlierDefaultBranchCommit) {
  GitWorkspace repo(repos() / "shop.git");
  repo.write("slo.yaml", "project v1\n");
  const std::string first = repo.commit("v1");
  repo.write("slo.yaml", "project v2\n");
  const std::string second = repo.commit("v2");
  repo.checkout("dev", true);
  repo.write("dev.txt", "x");
  const std::string on_dev = repo.commit("dev");
  repo.push();
  auto git = provider(config("branchPerStage"));
  EXPECT_EQ(answer(*git, {"shop", "dev", "", first, "slo.yaml", KPH_SCOPE_PROJECT}),
            "project v1\n");
  EXPECT_EQ(answer(*git, {"shop", "dev", "", second, "slo.yaml", KPH_SCOPE_PROJECT}),
            "project v2\n");
  EXPECT_EQ(answer(*git, {"shop", "dev", "", on_dev, "slo.yaml", KPH_SCOPE_PROJECT}),
            "project v2\n");
  // Keptn forks a stage branch from the default branch: what the project had then is at the
  // stage branch's root too, so the stage level answers with it (as Keptn's own service does).
  EXPECT_EQ(answer(*git, {"shop", "dev", "", "", "slo.yaml", KPH_SCOPE_STAGE}), "project v2\n");
}

TEST_F(GitProviderTest, StageDirectoryLayoutReadsEachCommitAndTheHead) {
  GitWorkspace repo(repos() / "shop.git", "main");
  std::vector<std::string> commits;
  for (int version = 1; version <= 3; ++version) {
    const std::string v = std::to_string(version);
    repo.write("slo.yaml", "project v" + v + "\n");
    repo.write(".keptn-stages/dev/slo.yaml", "dev v" + v + "\n");
    repo.write(".keptn-stages/dev/carts/slo.yaml", "carts v" + v + "\n");
    commits.push_back(repo.commit("v" + v));
  }
  repo.push();
  for (const std::string layout : {"stageDirectories", "auto"}) {
    SCOPED_TRACE(layout);
    auto git = provider(config(layout));
    for (int version = 1; version <= 3; ++version) {
      const std::string v = std::to_string(version);
      const std::string commit = commits[static_cast<size_t>(version - 1)];
      EXPECT_EQ(answer(*git, {"shop", "dev", "carts", commit, "slo.yaml", KPH_SCOPE_SERVICE}),
                repo.show(commit, ".keptn-stages/dev/carts/slo.yaml"));
      EXPECT_EQ(answer(*git, {"shop", "dev", "carts", commit, "slo.yaml", KPH_SCOPE_STAGE}),
                "dev v" + v + "\n");
      EXPECT_EQ(answer(*git, {"shop", "dev", "carts", commit, "slo.yaml", KPH_SCOPE_PROJECT}),
                "project v" + v + "\n");
    }
    EXPECT_EQ(answer(*git, {"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}),
              "carts v3\n");
  }
}

TEST_F(GitProviderTest, APushAfterTheCloneIsSeenAfterAFetch) {
  GitWorkspace repo(repos() / "shop.git");
  repo.checkout("dev", true);
  repo.write("carts/slo.yaml", "v1\n");
  repo.commit("v1");
  repo.push();
  auto git = provider(config("branchPerStage"));
  const ResourceRequest head{"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT};
  EXPECT_EQ(answer(*git, head), "v1\n");

  repo.write("carts/slo.yaml", "v2\n");
  const std::string v2 = repo.commit("v2");
  repo.push();
  // Within fetchInterval a head read does not fetch...
  EXPECT_EQ(answer(*git, head), "v1\n");
  // ...but a read at a commit the clone lacks does, and the head moves with it.
  EXPECT_EQ(answer(*git, {"shop", "dev", "carts", v2, "slo.yaml", KPH_SCOPE_INHERIT}), "v2\n");
  EXPECT_EQ(answer(*git, head), "v2\n");

  // With a short fetchInterval the head follows pushes by itself.
  auto c = config("branchPerStage");
  c.fetch_interval = 1ms;
  auto eager = provider(c);
  repo.write("carts/slo.yaml", "v3\n");
  repo.commit("v3");
  repo.push();
  EXPECT_TRUE(kph::testing::wait_for([&] { return answer(*eager, head) == "v3\n"; }, 30s));
}

TEST_F(GitProviderTest, ReadsOverTheGitDaemonAndFetchesFromIt) {
  GitWorkspace repo(repos() / "shop.git");
  repo.checkout("dev", true);
  repo.write("carts/slo.yaml", "v1\n");
  const std::string v1 = repo.commit("v1");
  repo.push();
  GitDaemon daemon(repos());
  auto c = config("branchPerStage");
  c.url = daemon.url("{project}.git");
  auto git = provider(c);
  EXPECT_EQ(answer(*git, {"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}), "v1\n");
  repo.write("carts/slo.yaml", "v2\n");
  const std::string v2 = repo.commit("v2");
  repo.push();
  EXPECT_EQ(answer(*git, {"shop", "dev", "carts", v2, "slo.yaml", KPH_SCOPE_INHERIT}), "v2\n");
  EXPECT_EQ(answer(*git, {"shop", "dev", "carts", v1, "slo.yaml", KPH_SCOPE_INHERIT}), "v1\n");
}

TEST_F(GitProviderTest, FollowsSymlinksOnlyInsideTheTree) {
  GitWorkspace repo(repos() / "shop.git");
  repo.checkout("dev", true);
  repo.write("slo.yaml", "stage slo\n");
  repo.write("carts/real.yaml", "real\n");
  repo.symlink("carts/up.yaml", "../slo.yaml");
  repo.symlink("carts/same.yaml", "./real.yaml");
  repo.symlink("carts/linked-dir", "../carts");
  repo.symlink("carts/escape.yaml", "../../../../etc/passwd");
  repo.symlink("carts/absolute.yaml", "/etc/passwd");
  repo.symlink("carts/up-dir", "../..");
  repo.symlink("carts/loop-a.yaml", "loop-b.yaml");
  repo.symlink("carts/loop-b.yaml", "loop-a.yaml");
  repo.symlink("carts/dangling.yaml", "missing.yaml");
  repo.commit("links");
  repo.push();
  auto git = provider(config("branchPerStage"));
  auto read = [&](const std::string& uri) {
    return answer(*git, {"shop", "dev", "carts", "", uri, KPH_SCOPE_SERVICE});
  };
  EXPECT_EQ(read("up.yaml"), "stage slo\n");
  EXPECT_EQ(read("same.yaml"), "real\n");
  EXPECT_EQ(read("linked-dir/real.yaml"), "real\n");
  EXPECT_EQ(read("dangling.yaml"), "<not found>");
  for (const std::string uri : {"escape.yaml", "absolute.yaml", "up-dir/etc/passwd"}) {
    const std::string result = read(uri);
    EXPECT_NE(result.find("<error: resource"), std::string::npos) << uri << ": " << result;
    EXPECT_NE(result.find("refused"), std::string::npos) << uri << ": " << result;
    EXPECT_NE(result.find("links are followed only inside the repository"), std::string::npos)
        << result;
  }
  EXPECT_NE(read("loop-a.yaml").find("more than 8 symlinks"), std::string::npos);
}

TEST_F(GitProviderTest, ACommitTheUpstreamLacksIsAnErrorNamingIt) {
  GitWorkspace repo(repos() / "shop.git");
  repo.checkout("dev", true);
  repo.write("slo.yaml", "x\n");
  repo.commit("x");
  repo.push();
  auto git = provider(config());
  const std::string unknown = "0123456789abcdef0123456789abcdef01234567";
  auto missing = git->get({"shop", "dev", "carts", unknown, "slo.yaml", KPH_SCOPE_INHERIT});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("commit " + unknown), std::string::npos);
  EXPECT_NE(missing.error().message.find("even after a fetch"), std::string::npos);

  auto malformed = git->get({"shop", "dev", "carts", "HEAD~1", "slo.yaml", KPH_SCOPE_INHERIT});
  ASSERT_FALSE(malformed);
  EXPECT_NE(malformed.error().message.find("is not a commit id"), std::string::npos);
}

TEST_F(GitProviderTest, AnUnreachableUpstreamIsAnErrorNamingTheUrlAndSetting) {
  auto git = provider(config());
  auto result = git->get({"nowhere", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT});
  ASSERT_FALSE(result);
  const std::string& message = result.error().message;
  EXPECT_NE(message.find("git clone of file://" + repos().string() + "/nowhere.git"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("resources.git.url"), std::string::npos) << message;
  EXPECT_EQ(clones_in_cache(), 0u);
}

TEST_F(GitProviderTest, TheCloneSurvivesARestartAndServesWhenTheUpstreamIsGone) {
  GitWorkspace repo(repos() / "shop.git");
  repo.checkout("dev", true);
  repo.write("carts/slo.yaml", "cached\n");
  repo.commit("x");
  repo.push();
  const ResourceRequest head{"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT};
  EXPECT_EQ(answer(*provider(config()), head), "cached\n");

  std::filesystem::rename(repos() / "shop.git", dir_.path() / "moved.git");
  auto restarted = provider(config());  // a new process would start just like this
  EXPECT_EQ(answer(*restarted, head), "cached\n");
  EXPECT_EQ(clones_in_cache(), 1u);
  // A commit it lacks cannot be fetched now: the error says why.
  auto missing = restarted->get({"shop", "dev", "carts", "0123456789abcdef0123456789abcdef01234567",
                                 "slo.yaml", KPH_SCOPE_INHERIT});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("the clone lacks the commit"), std::string::npos)
      << missing.error().message;
}

TEST_F(GitProviderTest, TheCacheKeepsItsBoundByDroppingTheLeastRecentlyUsedClone) {
  for (const std::string project : {"one", "two", "three"}) {
    GitWorkspace repo(repos() / (project + ".git"));
    repo.write("slo.yaml", project + "\n");
    repo.commit(project);
    repo.push();
  }
  auto c = config();
  c.cache_max_repositories = 2;
  auto git = provider(c);
  for (const std::string project : {"one", "two", "three"}) {
    EXPECT_EQ(answer(*git, {project, "dev", "", "", "slo.yaml", KPH_SCOPE_PROJECT}),
              project + "\n");
  }
  EXPECT_EQ(clones_in_cache(), 2u);
  EXPECT_FALSE(std::filesystem::exists(
      git::GitCache(cache(), 2, 2048)
          .clone_directory("one", "file://" + repos().string() + "/one.git")));
  // An evicted project is cloned again when it is read again.
  EXPECT_EQ(answer(*git, {"one", "dev", "", "", "slo.yaml", KPH_SCOPE_PROJECT}), "one\n");
  EXPECT_EQ(clones_in_cache(), 2u);
}

TEST_F(GitProviderTest, ConcurrentReadsStayCorrectWhileFetchesRun) {
  GitWorkspace repo(repos() / "shop.git");
  repo.checkout("dev", true);
  std::vector<std::string> commits;
  for (int version = 0; version < 3; ++version) {
    repo.write("carts/slo.yaml", "v" + std::to_string(version) + "\n");
    commits.push_back(repo.commit("v" + std::to_string(version)));
  }
  repo.push();
  auto c = config("branchPerStage");
  c.fetch_interval = 1ms;  // head reads fetch all the time
  auto git = provider(c);
  ASSERT_EQ(answer(*git, {"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}), "v2\n");

  std::atomic<bool> pushing{true};
  std::atomic<int> wrong{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 6; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; pushing || i < 5; ++i) {
        const size_t pick = static_cast<size_t>(t + i) % 4;
        const std::string commit = pick < 3 ? commits[pick] : "";
        const std::string got =
            answer(*git, {"shop", "dev", "carts", commit, "slo.yaml", KPH_SCOPE_INHERIT});
        ++reads;
        const bool ok = pick < 3 ? got == "v" + std::to_string(pick) + "\n"
                                 : got.size() >= 3 && got[0] == 'v' && got.back() == '\n';
        if (!ok) ++wrong;
      }
    });
  }
  for (int version = 3; version < 6; ++version) {
    repo.write("carts/slo.yaml", "v" + std::to_string(version) + "\n");
    repo.commit("v" + std::to_string(version));
    repo.push();
  }
  pushing = false;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(wrong.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_TRUE(kph::testing::wait_for(
      [&] {
        return answer(*git, {"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}) == "v5\n";
      },
      30s));
}

TEST_F(GitProviderTest, TheDefaultBranchCanBeNamed) {
  GitWorkspace repo(repos() / "shop.git", "trunk");
  repo.write("slo.yaml", "trunk\n");
  repo.commit("trunk");
  repo.checkout("release", true);
  repo.write("slo.yaml", "release\n");
  repo.commit("release");
  repo.push();
  EXPECT_EQ(answer(*provider(config()), {"shop", "", "", "", "slo.yaml", KPH_SCOPE_PROJECT}),
            "trunk\n");  // the remote's HEAD
  TempDir other;
  auto c = config();
  c.default_branch = "release";
  c.cache_directory = other.path();
  EXPECT_EQ(answer(*provider(c), {"shop", "", "", "", "slo.yaml", KPH_SCOPE_PROJECT}), "release\n");
}

TEST_F(GitProviderTest, AnUnreadableCaFileIsRefusedAtStart) {
  auto c = config();
  c.ca_file = dir_.path() / "missing-ca.pem";
  auto made = GitProvider::create(c);
  ASSERT_FALSE(made);
  EXPECT_NE(made.error().message.find("resources.git.caFile"), std::string::npos);
}

}  // namespace
}  // namespace kph::host
