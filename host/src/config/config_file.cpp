#include "config/config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "config/host_config.hpp"
#include "config/message_text.hpp"

namespace kph::host::config {
namespace {

constexpr std::string_view kExpectedFile = "a readable YAML file";

Error file_error(const std::filesystem::path& file, std::string_view what, std::string_view found,
                 std::string_view todo) {
  return Error{file.string() + ": " + std::string(what) + "; expected " +
               std::string(kExpectedFile) + ", found " + std::string(found) + "; " +
               std::string(todo)};
}

Error open_error(const std::filesystem::path& file, int error) {
  const std::string what = "cannot read the config file: " + std::string(std::strerror(error));
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return file_error(file, what, "no file at that path",
                        "check the path, or start from config/keptn-host.yaml");
    case EACCES:
    case EPERM:
      return file_error(file, what, "a file this user may not read",
                        "make the file readable for the user running keptn-host");
    case EISDIR:
      return file_error(file, what, "a directory", "pass the path of the YAML file itself");
    default:
      return file_error(file, what, "an error from the system", "check the path and the disk");
  }
}

// Closes the descriptor on every way out.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string byte_name(unsigned char byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = "the byte 0x";
  name += kHex[byte >> 4];
  name += kHex[byte & 0xF];
  if (byte == 0) name += " (NUL)";
  return name;
}

}  // namespace

int column_of(const std::string& text, size_t position) {
  position = std::min(position, text.size());
  const size_t newline = position == 0 ? std::string::npos : text.rfind('\n', position - 1);
  const size_t line_start = newline == std::string::npos ? 0 : newline + 1;
  int column = 1;
  for (size_t i = line_start; i < position; ++i) {
    // Count lead bytes only, so a character of several UTF-8 bytes is one column.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

Result<std::string> read_config_text(const std::filesystem::path& file) {
  if (file.empty()) {
    return file_error("(no file)", "no config file was named", "an empty path",
                      "pass the path of the YAML file");
  }
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return open_error(file, errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return open_error(file, errno);
  if (S_ISDIR(info.st_mode)) return open_error(file, EISDIR);

  // Read to a limit rather than trusting the size: pipes and /dev files have none.
  std::string text;
  char buffer[65536];
  while (text.size() <= kMaxConfigBytes) {
    const ssize_t count = ::read(fd.get(), buffer, sizeof buffer);
    if (count < 0) {
      if (errno == EINTR) continue;
      return open_error(file, errno);
    }
    if (count == 0) break;
    text.append(buffer, static_cast<size_t>(count));
  }
  if (text.size() > kMaxConfigBytes) {
    return file_error(file, "the config file is too large",
                      "more than " + std::to_string(kMaxConfigBytes / 1024) + " KiB",
                      "a host config is a few kilobytes; check that this is the right file");
  }

  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  if (text.starts_with("\xFE\xFF") || text.starts_with("\xFF\xFE") ||
      text.starts_with(std::string_view("\0\0\xFE\xFF", 4))) {
    return Error{file.string() +
                 ":1:1: the file is UTF-16 or UTF-32 text; expected UTF-8 text, found a "
                 "UTF-16/32 byte order mark; save the file as UTF-8"};
  }
  // YAML allows no control characters but tab, CR and LF; finding one means a binary or
  // otherwise wrong file, and the parser would only report something puzzling later.
  size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = 1;
    bool bad = false;
    if (byte >= 0x80) {
      // Check one character at a time: is_valid_utf8 on a slice of up to four bytes.
      length = 0;
      for (size_t n = 2; n <= 4 && i + n <= text.size(); ++n) {
        if (is_valid_utf8(std::string_view(text).substr(i, n))) {
          length = n;
          break;
        }
      }
      bad = length == 0;
    } else {
      bad = (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F;
    }
    if (bad) {
      const ConfigLocation where{file, line, column_of(text, i)};
      const bool utf8 = byte >= 0x80;
      return Error{where.to_string() + ": the file " +
                   (utf8 ? "is not valid UTF-8" : "contains a control character") +
                   "; expected UTF-8 text, found " + byte_name(byte) +
                   "; check that this is the host config, and save it as UTF-8 text"};
    }
    if (byte == '\n') ++line;
    i += length;
  }
  return text;
}

}  // namespace kph::host::config
