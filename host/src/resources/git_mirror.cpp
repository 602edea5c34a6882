#include "resources/git_mirror.hpp"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/logger.hpp"
#include "config/duration.hpp"
#include "transport/nats/secret.hpp"

namespace kph::host::git {
namespace {

constexpr const char* kRefspec = "+refs/heads/*:refs/remotes/origin/*";
constexpr const char* kRemoteHead = "refs/remotes/origin/HEAD";

std::atomic<uint64_t> g_clone_counter{0};

size_t pack_count(const std::filesystem::path& clone) {
  size_t count = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(clone / "objects" / "pack", ec)) {
    if (entry.path().extension() == ".pack") ++count;
  }
  return count;
}

std::string describe_source(const SecretSource& source) {
  return source.file.empty() ? "environment variable " + source.env
                             : "file " + source.file.string();
}

// What the libgit2 callbacks of one clone or fetch share.
struct Transfer {
  const MirrorSettings* settings = nullptr;
  const std::atomic<bool>* abandoned = nullptr;
  Clock::time_point deadline;
  std::string user;
  std::string secret;
  const SecretSource* secret_source = nullptr;
  std::string secret_key;  // "token" or "password"
  int offers = 0;
  bool asked_without_credentials = false;
  bool credentials_refused = false;
  bool timed_out = false;
};

bool should_stop(Transfer& transfer) {
  if (transfer.abandoned->load()) return true;
  if (Clock::now() > transfer.deadline) {
    transfer.timed_out = true;
    return true;
  }
  return false;
}

int on_credentials(git_credential** out, const char*, const char*, unsigned int allowed,
                   void* payload) {
  auto& transfer = *static_cast<Transfer*>(payload);
  if (transfer.secret.empty() || (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) == 0) {
    transfer.asked_without_credentials = true;
    git_error_set_str(GIT_ERROR_NET, "the server asks for credentials");
    return GIT_EUSER;
  }
  // libgit2 asks again after the server refused what it was given.
  if (transfer.offers++ > 0) {
    transfer.credentials_refused = true;
    git_error_set_str(GIT_ERROR_NET, "the server refused the credentials");
    return GIT_EUSER;
  }
  return git_credential_userpass_plaintext_new(out, transfer.user.c_str(), transfer.secret.c_str());
}

int on_transfer(const git_indexer_progress*, void* payload) {
  return should_stop(*static_cast<Transfer*>(payload)) ? -1 : 0;
}

int on_sideband(const char*, int, void* payload) {
  return should_stop(*static_cast<Transfer*>(payload)) ? -1 : 0;
}

// Never lets a secret reach a message, whatever libgit2 put into its text.
std::string scrub(std::string text, const Transfer& transfer) {
  for (const std::string* secret : {&transfer.secret}) {
    if (secret->size() < 4) continue;
    for (size_t at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at)) {
      text.replace(at, secret->size(), "***");
    }
  }
  return text;
}

Error transfer_error(const std::string& action, int rc, const Transfer& transfer) {
  const MirrorSettings& s = *transfer.settings;
  const std::string head =
      "git " + action + " of " + s.url + " for project " + s.project + " failed: ";
  if (transfer.timed_out) {
    return Error{head + "it did not finish within " + config::format_duration(s.fetch_timeout) +
                 "; raise " + s.setting +
                 ".fetchTimeout, or check that the host reaches the "
                 "server"};
  }
  if (transfer.abandoned->load()) return Error{head + "the provider was shut down"};
  if (transfer.credentials_refused) {
    return Error{
        head + "the server refused the credentials from " + s.setting + "." + transfer.secret_key +
        " (" + describe_source(*transfer.secret_source) + "); check that the " +
        transfer.secret_key + " is valid and may read the repository" +
        (s.user.empty()
             ? std::string(", and set ") + s.setting + ".user if the server needs a user name"
             : std::string())};
  }
  if (transfer.asked_without_credentials) {
    return Error{head + "the server asks for credentials and none are configured; set " +
                 s.setting + ".token: {file: ...} (or user: and password:)"};
  }
  const std::string cause = scrub(last_error(rc), transfer);
  if (rc == GIT_ECERTIFICATE || cause.find("certificate") != std::string::npos) {
    return Error{head + cause +
                 "; the server's TLS certificate is not trusted: trust its CA "
                 "with resources.git.caFile, or check the URL's host name"};
  }
  return Error{head + cause + "; check " + s.setting + ".url and that the host reaches it"};
}

// Fetches every branch into refs/remotes/origin/*, pruning deleted ones, and records which
// branch the remote's HEAD names as refs/remotes/origin/HEAD.
Status fetch(git_repository* repository, git_remote* remote, Transfer& transfer,
             const std::string& action) {
  git_remote_callbacks callbacks;
  git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
  callbacks.credentials = on_credentials;
  callbacks.transfer_progress = on_transfer;
  callbacks.sideband_progress = on_sideband;
  callbacks.payload = &transfer;
  // certificate_check stays unset: libgit2 then refuses certificates it cannot verify.
  git_proxy_options proxy;
  git_proxy_options_init(&proxy, GIT_PROXY_OPTIONS_VERSION);
  proxy.type = GIT_PROXY_AUTO;  // http.proxy and the https_proxy variables, as git does

  transfer.offers = 0;  // a new connection asks for credentials again
  if (const int rc = git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, &proxy, nullptr);
      rc != 0) {
    return transfer_error(action, rc, transfer);
  }
  std::string head_branch;
  git_buf head = {nullptr, 0, 0};
  if (git_remote_default_branch(&head, remote) == 0 && head.ptr != nullptr) head_branch = head.ptr;
  git_buf_dispose(&head);

  git_fetch_options options;
  git_fetch_options_init(&options, GIT_FETCH_OPTIONS_VERSION);
  options.callbacks = callbacks;
  options.proxy_opts = proxy;
  options.prune = GIT_FETCH_PRUNE;
  options.update_fetchhead = 0;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  if (const int rc = git_remote_fetch(remote, nullptr, &options, "keptn-host fetch"); rc != 0) {
    return transfer_error(action, rc, transfer);
  }
  constexpr std::string_view kHeads = "refs/heads/";
  if (head_branch.starts_with(kHeads)) {
    const std::string target = "refs/remotes/origin/" + head_branch.substr(kHeads.size());
    git_reference* raw = nullptr;
    if (git_reference_symbolic_create(&raw, repository, kRemoteHead, target.c_str(), 1,
                                      "keptn-host: the remote's HEAD") == 0) {
      Reference owned(raw);
    }
  }
  return ok_status();
}

Result<Transfer> prepare_transfer(const MirrorSettings& s, const std::atomic<bool>& abandoned) {
  Transfer transfer;
  transfer.settings = &s;
  transfer.abandoned = &abandoned;
  transfer.deadline = Clock::now() + s.fetch_timeout;
  // Read at every fetch, so that a rotated token file is picked up without a restart.
  const SecretSource* secret = !s.token.empty()      ? &s.token
                               : !s.password.empty() ? &s.password
                                                     : nullptr;
  if (secret != nullptr) {
    transfer.secret_key = secret == &s.token ? "token" : "password";
    transfer.secret_source = secret;
    auto value = nats::read_secret(*secret, s.setting + "." + transfer.secret_key);
    if (!value) return value.error();
    transfer.secret = std::move(*value);
    transfer.user = "keptn-host";
    if (!s.user.empty()) {
      auto user = nats::read_secret(s.user, s.setting + ".user");
      if (!user) return user.error();
      transfer.user = std::move(*user);
    }
  }
  return transfer;
}

// Clones into a temporary folder, then moves it into place. With `replace`, the clone takes the
// place of an existing one, but only when no reader has it open at that moment.
Status clone(const MirrorSettings& s, Transfer& transfer, bool replace) {
  const auto temporary =
      std::filesystem::path(s.directory.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                            std::to_string(g_clone_counter.fetch_add(1)));
  std::error_code ec;
  std::filesystem::remove_all(temporary, ec);
  auto fail = [&](Error error) {
    std::filesystem::remove_all(temporary, ec);
    return error;
  };
  git_repository* raw_repository = nullptr;
  if (const int rc = git_repository_init(&raw_repository, temporary.c_str(), 1); rc != 0) {
    return fail(Error{"git clone for project " + s.project + ": cannot create " +
                      temporary.string() + ": " + last_error(rc) +
                      "; check that the cache directory is writable"});
  }
  Repository repository(raw_repository);
  // The URL in the clone's config never holds credentials; they come through the callback.
  git_remote* raw_remote = nullptr;
  if (const int rc = git_remote_create_with_fetchspec(&raw_remote, repository.get(), "origin",
                                                      s.url.c_str(), kRefspec);
      rc != 0) {
    return fail(Error{"git clone of " + s.url + " for project " + s.project + ": " +
                      last_error(rc) + "; check " + s.setting + ".url"});
  }
  Remote remote(raw_remote);
  if (auto fetched = fetch(repository.get(), remote.get(), transfer, "clone"); !fetched) {
    return fail(fetched.error());
  }
  remote.reset();
  repository.reset();
  GitCache::mark_used(temporary);
  if (replace) {
    FileLock readers(GitCache::use_lock_file(s.directory), FileLock::Mode::kExclusiveNoWait);
    if (!readers.held()) return fail(Error{""});  // busy: the next fetch tries again
    const auto old =
        std::filesystem::path(s.directory.string() + ".evicted-" + std::to_string(::getpid()) +
                              "-" + std::to_string(g_clone_counter.fetch_add(1)));
    std::filesystem::rename(s.directory, old, ec);
    if (!ec) std::filesystem::rename(temporary, s.directory, ec);
    if (ec) std::filesystem::rename(old, s.directory, ec);
    std::filesystem::remove_all(old, ec);
    std::filesystem::remove_all(temporary, ec);
    return ok_status();
  }
  std::filesystem::rename(temporary, s.directory, ec);
  if (ec) {
    return fail(Error{"git clone for project " + s.project + ": cannot move the clone to " +
                      s.directory.string() + ": " + ec.message()});
  }
  return ok_status();
}

Status update(const MirrorSettings& s, Transfer& transfer) {
  git_repository* raw_repository = nullptr;
  if (const int rc = git_repository_open_ext(
          &raw_repository, s.directory.c_str(),
          GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, nullptr);
      rc != 0) {
    return Error{"git clone " + s.directory.string() + " for project " + s.project +
                 " cannot be opened: " + last_error(rc) +
                 "; remove that folder and keptn-host clones the repository again"};
  }
  Repository repository(raw_repository);
  git_remote* raw_remote = nullptr;
  if (const int rc = git_remote_lookup(&raw_remote, repository.get(), "origin"); rc != 0) {
    return Error{"git clone " + s.directory.string() + " has no remote origin: " + last_error(rc) +
                 "; remove that folder and keptn-host clones it again"};
  }
  Remote remote(raw_remote);
  return fetch(repository.get(), remote.get(), transfer, "fetch");
}

}  // namespace

struct GitMirror::State {
  MirrorSettings settings;
  std::shared_ptr<const GitCache> cache;
  std::atomic<bool> abandoned{false};
  std::atomic<int64_t> last_marked{0};  // steady-clock seconds of the last mark_used

  std::mutex mutex;
  std::condition_variable finished_changed;
  bool running = false;
  Clock::time_point running_since;
  uint64_t finished = 0;
  bool attempted = false;
  Clock::time_point last_started;
  std::optional<std::string> last_error;

  // Clones or fetches; called on the transfer thread only.
  Status attempt() {
    ensure_initialized();
    auto transfer = prepare_transfer(settings, abandoned);
    if (!transfer) return transfer.error();
    bool fresh = false;
    const auto started = Clock::now();
    {
      FileLock lock(GitCache::fetch_lock_file(settings.directory), FileLock::Mode::kExclusive);
      if (!lock.held()) {
        return Error{"git cache: cannot lock " +
                     GitCache::fetch_lock_file(settings.directory).string() +
                     "; check that the cache directory is writable"};
      }
      // Another process may have cloned it while this one waited for the lock.
      const bool cloned = std::filesystem::exists(settings.directory / "HEAD");
      fresh = !cloned;
      auto done = cloned ? update(settings, *transfer) : clone(settings, *transfer, false);
      if (!done) return done;
      // libgit2 does not repack: every fetch that brings objects adds a pack, and lookups slow
      // down as they pile up. A fresh clone holds one pack again.
      if (cloned && pack_count(settings.directory) > settings.max_packs) {
        (void)clone(settings, *transfer, true);
      }
    }
    if (fresh) {
      const auto ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
      log_info("git: cloned the project's upstream repository",
               {{"project", settings.project},
                {"url", settings.url},
                {"clone", settings.directory.string()},
                {"ms", std::to_string(ms)}});
    }
    cache->enforce_bounds(settings.directory);
    return ok_status();
  }
};

GitMirror::GitMirror(MirrorSettings settings, std::shared_ptr<const GitCache> cache)
    : state_(std::make_shared<State>()) {
  state_->settings = std::move(settings);
  state_->cache = std::move(cache);
}

GitMirror::~GitMirror() { state_->abandoned = true; }

const MirrorSettings& GitMirror::settings() const { return state_->settings; }

Status GitMirror::refresh_since(Clock::time_point since) {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mutex);
  const auto deadline = Clock::now() + s.settings.fetch_timeout;
  for (;;) {
    if (s.attempted && s.last_started >= since) {
      if (s.last_error) return Error{*s.last_error};
      return ok_status();
    }
    if (!s.running) {
      s.running = true;
      s.running_since = Clock::now();
      const auto started = s.running_since;
      try {
        // Detached: it owns the state it needs, and ends on its own when the transfer ends,
        // fails or passes its deadline.
        std::thread([state = state_, started] {
          Status result = ok_status();
          try {
            result = state->attempt();
          } catch (const std::exception& e) {
            result =
                Error{"git fetch for project " + state->settings.project + " failed: " + e.what()};
          }
          if (!result) {
            log_warning("git: clone or fetch failed; head reads use the clone if there is one",
                        {{"project", state->settings.project}, {"error", result.error().message}});
          }
          {
            std::lock_guard<std::mutex> guard(state->mutex);
            state->running = false;
            ++state->finished;
            state->attempted = true;
            state->last_started = started;
            state->last_error =
                result ? std::nullopt : std::optional<std::string>(result.error().message);
          }
          state->finished_changed.notify_all();
        }).detach();
      } catch (const std::system_error& e) {
        s.running = false;
        return Error{"git fetch for project " + s.settings.project +
                     ": cannot start a thread: " + e.what()};
      }
    }
    const uint64_t seen = s.finished;
    if (!s.finished_changed.wait_until(lock, deadline, [&] { return s.finished != seen; })) {
      return Error{"git fetch of " + s.settings.url + " for project " + s.settings.project +
                   " did not finish within " + config::format_duration(s.settings.fetch_timeout) +
                   "; raise " + s.settings.setting +
                   ".fetchTimeout, or check that the host reaches the server"};
    }
  }
}

Result<GitMirror::Handle> GitMirror::open() const {
  const State& s = *state_;
  FileLock in_use(GitCache::use_lock_file(s.settings.directory), FileLock::Mode::kShared);
  if (!std::filesystem::exists(s.settings.directory / "HEAD")) {
    return Error{"project " + s.settings.project + " has no git clone yet"};
  }
  git_repository* raw = nullptr;
  if (const int rc = git_repository_open_ext(
          &raw, s.settings.directory.c_str(),
          GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, nullptr);
      rc != 0) {
    return Error{"git clone " + s.settings.directory.string() + " cannot be opened: " +
                 last_error(rc) + "; remove that folder and keptn-host clones it again"};
  }
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
  int64_t marked = state_->last_marked.load();
  if (now - marked >= 60 && state_->last_marked.compare_exchange_strong(marked, now)) {
    GitCache::mark_used(s.settings.directory);
  }
  return Handle{std::move(in_use), Repository(raw)};
}

}  // namespace kph::host::git
