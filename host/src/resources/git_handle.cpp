#include "resources/git_handle.hpp"

#include <mutex>

namespace kph::host::git {

void ensure_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_SET_USER_AGENT, "keptn-host");
  });
}

std::string last_error(int code) {
  const git_error* error = git_error_last();
  if (error != nullptr && error->message != nullptr && error->message[0] != '\0') {
    return error->message;
  }
  return "libgit2 error " + std::to_string(code);
}

std::string to_hex(const git_oid& id) {
  char text[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(text, sizeof text, &id);
  return text;
}

}  // namespace kph::host::git
