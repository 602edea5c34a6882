#include "resources/git_provider.hpp"

#include <cstdlib>
#include <fstream>
#include <vector>

#include "resources/git_handle.hpp"
#include "resources/git_tree_reader.hpp"
#include "resources/resource_lookup.hpp"

namespace kph::host {
namespace {

using git::Clock;

constexpr std::string_view kStagesFolder = ".keptn-stages";
constexpr std::string_view kRemoteRefs = "refs/remotes/origin/";

bool is_commit_id(const std::string& text) {
  if (text.size() != GIT_OID_HEXSZ) return false;
  for (char c : text) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

std::optional<git_oid> branch_commit(git_repository* repository, const std::string& branch) {
  git_oid id;
  const std::string name = std::string(kRemoteRefs) + branch;
  if (git_reference_name_to_id(&id, repository, name.c_str()) != 0) return std::nullopt;
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, repository, &id, GIT_OBJECT_ANY) != 0) return std::nullopt;
  git::Object object(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) != 0) return std::nullopt;
  git::Object commit(peeled);
  return *git_object_id(commit.get());
}

bool has_commit(git_repository* repository, const git_oid& id) {
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, repository, &id, GIT_OBJECT_COMMIT) != 0) return false;
  git_object_free(raw);
  return true;
}

bool has_stage_folders(git_repository* repository, const git_oid& commit_id) {
  git_commit* raw_commit = nullptr;
  if (git_commit_lookup(&raw_commit, repository, &commit_id) != 0) return false;
  git::Commit commit(raw_commit);
  git_tree* raw_tree = nullptr;
  if (git_commit_tree(&raw_tree, commit.get()) != 0) return false;
  git::Tree tree(raw_tree);
  const git_tree_entry* entry =
      git_tree_entry_byname(tree.get(), std::string(kStagesFolder).c_str());
  return entry != nullptr && git_tree_entry_type(entry) == GIT_OBJECT_TREE;
}

std::string expand_url(const std::string& url, const std::string& project) {
  std::string out = url;
  constexpr std::string_view kPlaceholder = "{project}";
  for (size_t at = out.find(kPlaceholder); at != std::string::npos;
       at = out.find(kPlaceholder, at + project.size())) {
    out.replace(at, kPlaceholder.size(), project);
  }
  return out;
}

}  // namespace

std::filesystem::path GitProvider::default_cache_directory() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
    return std::filesystem::path(xdg) / "keptn-host" / "git";
  }
  if (const char* home = std::getenv("HOME");
      home != nullptr && home[0] == '/' && home[1] != '\0') {
    return std::filesystem::path(home) / ".cache" / "keptn-host" / "git";
  }
  return "/var/cache/keptn-host/git";
}

Result<std::unique_ptr<GitProvider>> GitProvider::create(const GitResourcesConfig& config,
                                                         std::string setting) {
  git::ensure_initialized();
  const auto directory =
      config.cache_directory.empty() ? default_cache_directory() : config.cache_directory;
  auto cache = std::make_shared<git::GitCache>(directory, config.cache_max_repositories,
                                               config.cache_max_megabytes);
  if (auto prepared = cache->prepare(setting); !prepared) return prepared.error();
  if (!config.ca_file.empty()) {
    if (!std::ifstream(config.ca_file)) {
      return Error{setting + ".caFile " + config.ca_file.string() +
                   " cannot be read; expected a PEM file of CA certificates; check the path"};
    }
    // libgit2 keeps one set of trusted CAs per process; the config parser makes sure every
    // project names the same file.
    if (const int rc =
            git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, config.ca_file.c_str(), nullptr);
        rc != 0) {
      return Error{setting + ".caFile " + config.ca_file.string() + " was refused: " +
                   git::last_error(rc) + "; expected a PEM file of CA certificates"};
    }
  }
  return std::unique_ptr<GitProvider>(
      new GitProvider(config, std::move(setting), std::move(cache)));
}

GitProvider::GitProvider(GitResourcesConfig config, std::string setting,
                         std::shared_ptr<const git::GitCache> cache)
    : config_(std::move(config)), setting_(std::move(setting)), cache_(std::move(cache)) {}

std::shared_ptr<git::GitMirror> GitProvider::mirror_for(const std::string& project) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& mirror = mirrors_[project];
  if (!mirror) {
    git::MirrorSettings settings;
    settings.project = project;
    settings.url = expand_url(config_.url, project);
    settings.directory = cache_->clone_directory(project, settings.url);
    settings.user = config_.user;
    settings.token = config_.token;
    settings.password = config_.password;
    settings.setting = setting_;
    settings.fetch_timeout = config_.fetch_timeout;
    mirror = std::make_shared<git::GitMirror>(std::move(settings), cache_);
  }
  return mirror;
}

Result<std::optional<std::string>> GitProvider::get(const ResourceRequest& request) {
  auto levels = lookup_levels(request);
  if (!levels) return levels.error();
  std::optional<git_oid> wanted;
  if (!request.git_commit_id.empty()) {
    if (!is_commit_id(request.git_commit_id)) {
      return Error{"gitcommitid \"" + request.git_commit_id.substr(0, 80) +
                   "\" of the event is not a commit id; expected 40 hex digits (a git SHA-1); "
                   "check what sent the event"};
    }
    git_oid id;
    git_oid_fromstr(&id, request.git_commit_id.c_str());
    wanted = id;
  }
  if (levels->empty()) return std::optional<std::string>();

  auto mirror = mirror_for(request.project);
  // A head read tolerates a failed fetch when there is a clone: it reads what the clone holds
  // (the fetch thread has logged why), as a stale file serves better than none.
  Status refreshed = ok_status();
  if (!wanted) refreshed = mirror->refresh_since(Clock::now() - config_.fetch_interval);
  auto handle = mirror->open();
  if (!handle) {
    if (!refreshed) return refreshed.error();
    // Never cloned (a read at a commit comes first), or evicted since.
    if (auto again = mirror->refresh_since(Clock::now()); !again) return again.error();
    handle = mirror->open();
    if (!handle) return handle.error();
  }
  if (wanted && !has_commit(handle->repository.get(), *wanted)) {
    handle = Error{""};  // releases the clone while the fetch runs
    if (auto again = mirror->refresh_since(Clock::now()); !again) {
      return Error{"cannot read " + describe_request(request) +
                   ": the clone lacks the commit and " + again.error().message};
    }
    handle = mirror->open();
    if (!handle) return handle.error();
    if (!has_commit(handle->repository.get(), *wanted)) {
      return Error{"commit " + request.git_commit_id + " (the event's gitcommitid) is not in " +
                   mirror->settings().url + " for project " + request.project +
                   ", even after a fetch; expected a commit of the project's upstream "
                   "repository; check " +
                   setting_ + ".url and what sent the event"};
    }
  }
  git_repository* repository = handle->repository.get();

  std::optional<git_oid> default_head;
  if (!config_.default_branch.empty()) {
    default_head = branch_commit(repository, config_.default_branch);
  } else {
    for (const char* name : {"HEAD", "master", "main"}) {
      if ((default_head = branch_commit(repository, name))) break;
    }
  }
  bool stage_folders = config_.layout == "stageDirectories";
  if (config_.layout == "auto") {
    stage_folders = default_head && has_stage_folders(repository, *default_head);
  }
  std::optional<git_oid> stage_head;
  if (!stage_folders && !request.stage.empty()) {
    stage_head = branch_commit(repository, request.stage);
  }

  for (const ResourceLevel level : *levels) {
    std::optional<git_oid> commit;
    std::string path;
    if (stage_folders) {
      commit = wanted ? wanted : default_head;
      const std::string stage_folder = std::string(kStagesFolder) + "/" + request.stage + "/";
      switch (level) {
        case ResourceLevel::kService:
          path = stage_folder + request.service + "/" + request.uri;
          break;
        case ResourceLevel::kStage:
          path = stage_folder + request.uri;
          break;
        case ResourceLevel::kProject:
          path = request.uri;
          break;
      }
    } else if (level == ResourceLevel::kProject) {
      // The event's commit is a commit of the stage's branch; the project's files live on the
      // default branch and are read there, at that commit only when it is part of it.
      commit = default_head;
      if (wanted && default_head &&
          (git_oid_equal(&*wanted, &*default_head) ||
           git_graph_descendant_of(repository, &*default_head, &*wanted) == 1)) {
        commit = wanted;
      }
      path = request.uri;
    } else {
      commit = wanted ? wanted : stage_head;
      path = level == ResourceLevel::kService ? request.service + "/" + request.uri : request.uri;
    }
    if (!commit) continue;  // no such branch: nothing at this level
    auto content = git::read_file_at(repository, *commit, path);
    if (!content) return Error{content.error().message + " (project " + request.project + ")"};
    if (content->has_value()) return content;
  }
  return std::optional<std::string>();
}

}  // namespace kph::host
