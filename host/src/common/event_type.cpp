#include "common/event_type.hpp"

namespace kph::host {

std::optional<EventType> parse_event_type(std::string_view type) {
  if (type.substr(0, kKeptnEventPrefix.size()) != kKeptnEventPrefix) return std::nullopt;
  std::string_view rest = type.substr(kKeptnEventPrefix.size());
  constexpr std::string_view kStatusChanged = ".status.changed";
  std::string_view kind;
  if (rest.size() > kStatusChanged.size() &&
      rest.substr(rest.size() - kStatusChanged.size()) == kStatusChanged) {
    kind = kStatusChanged.substr(1);
    rest.remove_suffix(kStatusChanged.size());
  } else {
    const auto dot = rest.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    kind = rest.substr(dot + 1);
    rest = rest.substr(0, dot);
  }
  if (rest.empty() || kind.empty()) return std::nullopt;
  return EventType{std::string(rest), std::string(kind)};
}

std::string make_event_type(std::string_view task, std::string_view kind) {
  std::string type(kKeptnEventPrefix);
  type.append(task).append(".").append(kind);
  return type;
}

bool matches_pattern(std::string_view pattern, std::string_view text) {
  // Iterative glob with backtracking to the last '*': linear in practice, no recursion.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace kph::host
