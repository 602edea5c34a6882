#include <kph/host/task_journal.hpp>

namespace kph::host {

std::string journal_key(const std::string& triggered_id, const std::string& plugin) {
  std::string key = triggered_id + "." + plugin;
  for (char& c : key) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '=';
    if (!allowed) c = '_';
  }
  return key;
}

}  // namespace kph::host
