#include "transport/nats/secret.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kph::host::nats {

Result<std::string> read_secret(const SecretSource& source, const std::string& what) {
  std::string value;
  std::string origin;
  if (!source.file.empty()) {
    origin = "file " + source.file.string();
    std::ifstream in(source.file, std::ios::binary);
    if (!in) {
      return Error{what + ": cannot read the " + origin + " (" + std::strerror(errno) +
                   "); expected a readable file holding the secret; check the path and the "
                   "file's permissions"};
    }
    std::ostringstream text;
    text << in.rdbuf();
    value = text.str();
    if (value.size() > 64 * 1024) {
      return Error{what + ": the " + origin +
                   " is larger than 64 KiB; expected a file holding only the secret; check that "
                   "the path names the right file"};
    }
  } else if (!source.env.empty()) {
    origin = "environment variable " + source.env;
    const char* text = std::getenv(source.env.c_str());
    if (text == nullptr) {
      return Error{what + ": the " + origin +
                   " is not set; expected it to hold the secret; set "
                   "it in the host's environment"};
    }
    value = text;
  } else {
    return Error{what + ": no source; expected {file: PATH} or {env: VARIABLE}"};
  }
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r' || value.back() == ' ' ||
                            value.back() == '\t')) {
    value.pop_back();
  }
  if (value.empty()) {
    return Error{what + ": the " + origin + " is empty; expected the secret; write it there"};
  }
  return value;
}

}  // namespace kph::host::nats
