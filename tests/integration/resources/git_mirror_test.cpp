// A project's clone in the cache: shared by several providers (a reload, or a second
// keptn-host process), and kept compact by replacing it once fetches have piled up packs.
#include "resources/git_mirror.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "support/git_workspace.hpp"
#include "support/temp_dir.hpp"

namespace kph::host::git {
namespace {

using namespace std::chrono_literals;
using kph::testing::GitWorkspace;
using kph::testing::TempDir;

size_t packs_in(const std::filesystem::path& clone) {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(clone / "objects" / "pack")) {
    if (entry.path().extension() == ".pack") ++count;
  }
  return count;
}

std::string branch_head(const GitMirror& mirror, const std::string& branch) {
  auto handle = mirror.open();
  if (!handle) return "<error: " + handle.error().message + ">";
  git_oid id;
  const std::string ref = "refs/remotes/origin/" + branch;
  if (git_reference_name_to_id(&id, handle->repository.get(), ref.c_str()) != 0) return "<none>";
  return to_hex(id);
}

class GitMirrorTest : public ::testing::Test {
 protected:
  GitMirrorTest() : repo_(dir_.path() / "shop.git") {
    repo_.write("slo.yaml", "v0\n");
    repo_.commit("v0");
    repo_.push();
    cache_ = std::make_shared<GitCache>(dir_.path() / "cache", 20, 2048);
    EXPECT_TRUE(cache_->prepare());
  }

  MirrorSettings settings() const {
    MirrorSettings s;
    s.project = "shop";
    s.url = repo_.file_url();
    s.directory = cache_->clone_directory(s.project, s.url);
    s.setting = "resources.git";
    s.fetch_timeout = 60s;
    return s;
  }

  TempDir dir_;
  GitWorkspace repo_;
  std::shared_ptr<GitCache> cache_;
};

TEST_F(GitMirrorTest, ReplacesTheCloneOncePacksPileUp) {
  auto s = settings();
  s.max_packs = 2;
  GitMirror mirror(s, cache_);
  ASSERT_TRUE(mirror.refresh_since(Clock::now()));
  std::string latest;
  size_t most = 0;
  for (int version = 1; version <= 4; ++version) {
    repo_.write("slo.yaml", "v" + std::to_string(version) + "\n");
    latest = repo_.commit("v" + std::to_string(version));
    repo_.push();
    auto fetched = mirror.refresh_since(Clock::now());
    ASSERT_TRUE(fetched) << fetched.error().message;
    EXPECT_EQ(branch_head(mirror, "master"), latest);
    most = std::max(most, packs_in(s.directory));
  }
  // Without the replacement, five packs; the fetch that adds the third replaces the clone.
  EXPECT_LE(most, 2u);
  EXPECT_EQ(branch_head(mirror, "HEAD"), latest);
}

TEST_F(GitMirrorTest, TwoMirrorsOfOneCloneShareItSafely) {
  GitMirror first(settings(), cache_);
  GitMirror second(settings(), cache_);
  Status a = ok_status(), b = ok_status();
  std::thread one([&] { a = first.refresh_since(Clock::now()); });
  std::thread two([&] { b = second.refresh_since(Clock::now()); });
  one.join();
  two.join();
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(branch_head(first, "master"), branch_head(second, "master"));
  size_t clones = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "cache")) {
    if (entry.is_directory()) ++clones;
  }
  EXPECT_EQ(clones, 1u);
}

TEST_F(GitMirrorTest, RefreshSinceTheLastFetchDoesNotFetchAgain) {
  GitMirror mirror(settings(), cache_);
  const auto before = Clock::now();
  ASSERT_TRUE(mirror.refresh_since(before));
  const std::string first = branch_head(mirror, "master");
  repo_.write("slo.yaml", "newer\n");
  const std::string newer = repo_.commit("newer");
  repo_.push();
  ASSERT_TRUE(mirror.refresh_since(before));  // satisfied by the fetch above
  EXPECT_EQ(branch_head(mirror, "master"), first);
  ASSERT_TRUE(mirror.refresh_since(Clock::now()));
  EXPECT_EQ(branch_head(mirror, "master"), newer);
}

}  // namespace
}  // namespace kph::host::git
