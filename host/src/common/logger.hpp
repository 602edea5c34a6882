// The process-wide structured logger (one of the two allowed pieces of global state). Lines go
// to standard error, as "key=value" text or as JSON lines. Task lines carry shkeptncontext and
// triggeredid so an operator can follow one task through the log.
#pragma once

#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace kph::host {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };
enum class LogFormat { kText, kJson };

using LogField = std::pair<std::string_view, std::string_view>;

class Logger {
 public:
  static Logger& instance();

  void configure(LogLevel min_level, LogFormat format);
  void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

 private:
  Logger() = default;
  std::mutex mutex_;
  LogLevel min_level_ = LogLevel::kInfo;
  LogFormat format_ = LogFormat::kText;
};

inline void log_info(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Logger::instance().log(LogLevel::kInfo, message, fields);
}
inline void log_warning(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Logger::instance().log(LogLevel::kWarning, message, fields);
}
inline void log_error(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Logger::instance().log(LogLevel::kError, message, fields);
}
inline void log_debug(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Logger::instance().log(LogLevel::kDebug, message, fields);
}

}  // namespace kph::host
