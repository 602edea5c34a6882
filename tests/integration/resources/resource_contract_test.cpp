// ONE contract for every resource provider: the same files are laid out for each (a folder,
// a git repository in each layout, the resource-service stand-in), and the same questions must
// get the same answers. A plugin must never be able to tell which provider is behind the call.
#include <gtest/gtest.h>

#include <kph/host/resource_provider.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "resources/git_provider.hpp"
#include "resources/local_directory_provider.hpp"
#include "resources/resource_service_provider.hpp"
#include "support/git_daemon.hpp"
#include "support/git_workspace.hpp"
#include "support/resource_service_standin.hpp"
#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

using kph::testing::GitDaemon;
using kph::testing::GitWorkspace;
using kph::testing::ResourceServiceStandIn;
using kph::testing::TempDir;

const std::string kProject = "sockshop";

// A file at one level: no stage means project level, no service stage level.
struct File {
  std::string stage;
  std::string service;
  std::string uri;
  std::string content;
};

const std::string kChart = std::string("\x1f\x8b\x08\x00\xff\x00binary\r\n\x00tail", 19);

const std::vector<File> kFiles = {
    {"", "", "slo.yaml", "project slo\n"},
    {"dev", "", "slo.yaml", "dev slo\n"},
    {"dev", "carts", "slo.yaml", "carts slo\n"},
    {"", "", "only-project.yaml", "project only\n"},
    {"dev", "", "only-stage.yaml", "stage only\n"},
    {"", "", "prometheus/sli.yaml", "project sli\n"},
    {"dev", "carts", "prometheus/sli.yaml", "carts sli\n"},
    {"dev", "carts", "helm/carts.tgz", kChart},
    {"dev", "carts", "empty.yaml", ""},
    {"dev", "carts", "job/config.yaml", "job config\n"},
    {"prod", "", "slo.yaml", "prod slo\n"},
    {"prod", "carts", "remediation.yaml", "prod remediation\n"},
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual ResourceProvider& provider() = 0;
};

class LocalBackend : public Backend {
 public:
  LocalBackend() {
    for (const auto& file : kFiles) {
      std::string path = "resources/" + kProject + "/";
      if (!file.stage.empty()) path += file.stage + "/";
      if (!file.service.empty()) path += file.service + "/";
      dir_.write(path + file.uri, file.content);
    }
    provider_ = std::make_unique<LocalDirectoryProvider>(dir_.path() / "resources");
  }
  ResourceProvider& provider() override { return *provider_; }

 private:
  TempDir dir_;
  std::unique_ptr<LocalDirectoryProvider> provider_;
};

std::unique_ptr<GitProvider> make_git_provider(const std::string& url, const std::string& layout,
                                               const std::filesystem::path& cache) {
  GitResourcesConfig config;
  config.url = url;
  config.layout = layout;
  config.cache_directory = cache;
  auto provider = GitProvider::create(config);
  if (!provider) throw std::runtime_error(provider.error().message);
  return std::move(*provider);
}

// Keptn's default layout: project files on master; stage branches forked from master when the
// stage was created (so they carry the files master had then), stage files at their root and
// service files in <service>/. Project files added later exist on master only.
class GitBranchesBackend : public Backend {
 public:
  GitBranchesBackend() : repo_(dir_.path() / "repos" / (kProject + ".git")) {
    repo_.write("shipyard.yaml", "apiVersion: spec.keptn.sh/0.2.2\n");
    repo_.commit("create project");
    for (const std::string stage : {"dev", "prod"}) {
      repo_.checkout("master");
      repo_.checkout(stage, true);
      for (const auto& file : kFiles) {
        if (file.stage != stage) continue;
        repo_.write(file.service.empty() ? file.uri : file.service + "/" + file.uri, file.content);
      }
      repo_.commit("stage " + stage);
    }
    repo_.checkout("master");
    for (const auto& file : kFiles) {
      if (file.stage.empty()) repo_.write(file.uri, file.content);
    }
    repo_.commit("project resources");
    repo_.push();
    provider_ = make_git_provider("file://" + (dir_.path() / "repos").string() + "/{project}.git",
                                  "branchPerStage", dir_.path() / "cache");
  }
  ResourceProvider& provider() override { return *provider_; }

 private:
  TempDir dir_;
  GitWorkspace repo_;
  std::unique_ptr<GitProvider> provider_;
};

// The directory layout, served by a real git daemon, with the layout detected ("auto").
class GitStageDirectoriesBackend : public Backend {
 public:
  GitStageDirectoriesBackend() : repo_(dir_.path() / "repos" / (kProject + ".git"), "main") {
    repo_.write("shipyard.yaml", "apiVersion: spec.keptn.sh/0.2.2\n");
    for (const auto& file : kFiles) {
      std::string path;
      if (!file.stage.empty()) path = ".keptn-stages/" + file.stage + "/";
      if (!file.service.empty()) path += file.service + "/";
      repo_.write(path + file.uri, file.content);
    }
    repo_.commit("project, stages and services");
    repo_.push();
    daemon_ = std::make_unique<GitDaemon>(dir_.path() / "repos");
    provider_ = make_git_provider(daemon_->url("{project}.git"), "auto", dir_.path() / "cache");
  }
  ResourceProvider& provider() override { return *provider_; }

 private:
  TempDir dir_;
  GitWorkspace repo_;
  std::unique_ptr<GitDaemon> daemon_;
  std::unique_ptr<GitProvider> provider_;
};

class ResourceServiceBackend : public Backend {
 public:
  ResourceServiceBackend() : service_(options()) {
    for (const auto& file : kFiles) {
      service_.put(kProject, file.stage, file.service, file.uri, file.content);
    }
    ResourceServiceConfig config;
    config.url = service_.url();
    config.token.file = dir_.write("x-token", "contract-token\n");
    config.retries = 0;
    auto provider = ResourceServiceProvider::create(config);
    if (!provider) throw std::runtime_error(provider.error().message);
    provider_ = std::move(*provider);
  }
  ResourceProvider& provider() override { return *provider_; }

 private:
  static kph::testing::ResourceServiceStandInOptions options() {
    kph::testing::ResourceServiceStandInOptions options;
    options.token = "contract-token";
    return options;
  }

  TempDir dir_;
  ResourceServiceStandIn service_;
  std::unique_ptr<ResourceServiceProvider> provider_;
};

template <typename B>
class ResourceContract : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { backend_ = new B(); }
  static void TearDownTestSuite() {
    delete backend_;
    backend_ = nullptr;
  }

  Result<std::optional<std::string>> get(const std::string& uri, const std::string& stage = "dev",
                                         const std::string& service = "carts",
                                         kph_resource_scope scope = KPH_SCOPE_INHERIT) {
    return backend_->provider().get({kProject, stage, service, "", uri, scope});
  }

  // The content, or "<not found>" / "<error: ...>", so that a mismatch shows what came.
  std::string answer(const std::string& uri, const std::string& stage = "dev",
                     const std::string& service = "carts",
                     kph_resource_scope scope = KPH_SCOPE_INHERIT) {
    auto content = get(uri, stage, service, scope);
    if (!content) return "<error: " + content.error().message + ">";
    if (!content->has_value()) return "<not found>";
    return **content;
  }

  static inline B* backend_ = nullptr;
};

class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, LocalBackend>) return "Local";
    if (std::is_same_v<T, GitBranchesBackend>) return "GitBranchPerStageOverFile";
    if (std::is_same_v<T, GitStageDirectoriesBackend>) return "GitStageDirectoriesOverGitDaemon";
    return "ResourceServiceStandIn";
  }
};

using Backends = ::testing::Types<LocalBackend, GitBranchesBackend, GitStageDirectoriesBackend,
                                  ResourceServiceBackend>;
TYPED_TEST_SUITE(ResourceContract, Backends, BackendNames);

const std::string kNotFound = "<not found>";

TYPED_TEST(ResourceContract, FallsBackFromServiceToStageToProject) {
  EXPECT_EQ(this->answer("slo.yaml"), "carts slo\n");
  EXPECT_EQ(this->answer("slo.yaml", "dev", "orders"), "dev slo\n");
  EXPECT_EQ(this->answer("slo.yaml", "prod", "carts"), "prod slo\n");
  EXPECT_EQ(this->answer("only-stage.yaml"), "stage only\n");
  EXPECT_EQ(this->answer("only-project.yaml"), "project only\n");
  EXPECT_EQ(this->answer("remediation.yaml", "prod", "carts"), "prod remediation\n");
  EXPECT_EQ(this->answer("remediation.yaml", "dev", "carts"), kNotFound);
}

TYPED_TEST(ResourceContract, ExactScopesSearchOneLevel) {
  EXPECT_EQ(this->answer("slo.yaml", "dev", "carts", KPH_SCOPE_SERVICE), "carts slo\n");
  EXPECT_EQ(this->answer("slo.yaml", "dev", "carts", KPH_SCOPE_STAGE), "dev slo\n");
  EXPECT_EQ(this->answer("slo.yaml", "dev", "carts", KPH_SCOPE_PROJECT), "project slo\n");
  EXPECT_EQ(this->answer("only-project.yaml", "dev", "carts", KPH_SCOPE_SERVICE), kNotFound);
  EXPECT_EQ(this->answer("only-project.yaml", "dev", "carts", KPH_SCOPE_STAGE), kNotFound);
  EXPECT_EQ(this->answer("only-stage.yaml", "dev", "carts", KPH_SCOPE_PROJECT), kNotFound);
  EXPECT_EQ(this->answer("job/config.yaml", "dev", "orders", KPH_SCOPE_SERVICE), kNotFound);
}

TYPED_TEST(ResourceContract, ReadsNestedUris) {
  EXPECT_EQ(this->answer("prometheus/sli.yaml"), "carts sli\n");
  EXPECT_EQ(this->answer("prometheus/sli.yaml", "dev", "orders"), "project sli\n");
  EXPECT_EQ(this->answer("job/config.yaml"), "job config\n");
}

TYPED_TEST(ResourceContract, ReturnsBinaryContentByteForByte) {
  EXPECT_EQ(this->answer("helm/carts.tgz"), kChart);
}

TYPED_TEST(ResourceContract, AnEmptyFileIsFoundAndEmpty) {
  auto content = this->get("empty.yaml");
  ASSERT_TRUE(content) << content.error().message;
  ASSERT_TRUE(content->has_value());
  EXPECT_EQ(**content, "");
}

TYPED_TEST(ResourceContract, MissingIsNotFoundNeverEmpty) {
  EXPECT_EQ(this->answer("nothing.yaml"), kNotFound);
  EXPECT_EQ(this->answer("prometheus/nothing.yaml"), kNotFound);
  // A folder is not a file.
  EXPECT_EQ(this->answer("prometheus"), kNotFound);
  EXPECT_EQ(this->answer("helm", "dev", "carts", KPH_SCOPE_SERVICE), kNotFound);
  // An unknown stage or service has nothing of its own; the levels above still answer.
  EXPECT_EQ(this->answer("slo.yaml", "staging", "carts"), "project slo\n");
  EXPECT_EQ(this->answer("slo.yaml", "staging", "carts", KPH_SCOPE_STAGE), kNotFound);
  EXPECT_EQ(this->answer("slo.yaml", "dev", "orders", KPH_SCOPE_SERVICE), kNotFound);
}

TYPED_TEST(ResourceContract, ARequestWithoutServiceOrStageReadsTheLevelsAbove) {
  EXPECT_EQ(this->answer("slo.yaml", "dev", ""), "dev slo\n");
  EXPECT_EQ(this->answer("slo.yaml", "", ""), "project slo\n");
  EXPECT_EQ(this->answer("slo.yaml", "", "", KPH_SCOPE_SERVICE), kNotFound);
}

TYPED_TEST(ResourceContract, RefusesEveryTraversal) {
  const std::vector<ResourceRequest> attempts = {
      {kProject, "dev", "carts", "", "../../../etc/passwd", KPH_SCOPE_INHERIT},
      {kProject, "dev", "carts", "", "/etc/passwd", KPH_SCOPE_INHERIT},
      {kProject, "dev", "carts", "", "job/../../../etc/passwd", KPH_SCOPE_INHERIT},
      {kProject, "dev", "carts", "", "..", KPH_SCOPE_PROJECT},
      {kProject, "dev", "carts", "", "./slo.yaml", KPH_SCOPE_INHERIT},
      {kProject, "dev", "carts", "", "job//config.yaml", KPH_SCOPE_INHERIT},
      {kProject, "dev", "carts", "", "", KPH_SCOPE_INHERIT},
      {"..", "dev", "carts", "", "slo.yaml", KPH_SCOPE_PROJECT},
      {kProject + "/../x", "dev", "carts", "", "slo.yaml", KPH_SCOPE_PROJECT},
      {kProject, "../dev", "carts", "", "slo.yaml", KPH_SCOPE_STAGE},
      {kProject, "dev", "../../x", "", "slo.yaml", KPH_SCOPE_SERVICE},
  };
  for (const auto& request : attempts) {
    auto content = this->backend_->provider().get(request);
    ASSERT_FALSE(content) << "not refused: project " << request.project << ", stage "
                          << request.stage << ", service " << request.service << ", uri "
                          << request.uri;
    EXPECT_NE(content.error().message.find("refused"), std::string::npos)
        << content.error().message;
  }
}

TYPED_TEST(ResourceContract, ConcurrentReadsAllGetTheirAnswer) {
  struct Question {
    std::string uri, service, expected;
  };
  const std::vector<Question> questions = {{"slo.yaml", "carts", "carts slo\n"},
                                           {"slo.yaml", "orders", "dev slo\n"},
                                           {"only-project.yaml", "carts", "project only\n"},
                                           {"helm/carts.tgz", "carts", kChart},
                                           {"nothing.yaml", "carts", kNotFound}};
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 6; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const auto& q = questions[static_cast<size_t>(t + i) % questions.size()];
        if (this->answer(q.uri, "dev", q.service) != q.expected) ++wrong;
      }
    });
  }
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace kph::host
