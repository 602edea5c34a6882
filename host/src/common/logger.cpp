#include "common/logger.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "common/ids.hpp"

namespace kph::host {
namespace {

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

void append_text_value(std::string& line, std::string_view value) {
  const bool quote = value.empty() || value.find_first_of(" \"=\t\n") != std::string_view::npos;
  if (!quote) {
    line.append(value);
    return;
  }
  line.append(nlohmann::json(std::string(value)).dump());
}

}  // namespace

Logger& Logger::instance() {
  static Logger logger;
  return logger;
}

void Logger::configure(LogLevel min_level, LogFormat format) {
  std::lock_guard<std::mutex> lock(mutex_);
  min_level_ = min_level;
  format_ = format;
}

void Logger::log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  std::string line;
  std::lock_guard<std::mutex> lock(mutex_);
  if (level < min_level_) return;
  if (format_ == LogFormat::kJson) {
    nlohmann::json record = {
        {"time", now_rfc3339()}, {"level", level_name(level)}, {"msg", std::string(message)}};
    for (const auto& [key, value] : fields) {
      if (!value.empty()) record[std::string(key)] = std::string(value);
    }
    line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    line = now_rfc3339() + " " + level_name(level) + " ";
    append_text_value(line, message);
    for (const auto& [key, value] : fields) {
      if (value.empty()) continue;
      line.append(" ").append(key).append("=");
      append_text_value(line, value);
    }
  }
  line.push_back('\n');
  std::cerr << line << std::flush;
}

}  // namespace kph::host
