// Reading a config file's bytes before YAML sees them: size limit, encoding, binary content.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.hpp"

namespace kph::host::config {

// A host config is a few kilobytes; anything past this is the wrong file, and YAML trees
// cost far more memory than their text.
inline constexpr size_t kMaxConfigBytes = 1024 * 1024;

// The file's text without a UTF-8 byte order mark. Fails with one message (starting with
// "file: " or "file:line:column: ") when the file cannot be read, is a directory, is larger
// than kMaxConfigBytes, is not UTF-8, or holds control characters other than tab, CR and LF.
Result<std::string> read_config_text(const std::filesystem::path& file);

// The 1-based column of byte `position` in `text`, counted in characters, not bytes.
int column_of(const std::string& text, size_t position);

}  // namespace kph::host::config
