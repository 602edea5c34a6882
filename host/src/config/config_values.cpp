#include "config/config_values.hpp"

namespace kph::host::config {
namespace {

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::filesystem::path resolve_config_path(const std::filesystem::path& base,
                                          const std::string& text) {
  const std::filesystem::path path(text);
  if (path.is_absolute()) return path.lexically_normal();
  return (base / path).lexically_normal();
}

bool is_simple_name(std::string_view name, size_t max_size) {
  if (name.empty() || name.size() > max_size) return false;
  const auto alnum = [](char c) { return is_ascii_letter(c) || is_ascii_digit(c); };
  if (!alnum(name.front())) return false;
  for (char c : name) {
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

bool is_env_variable_name(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  const auto word = [](char c) { return is_ascii_letter(c) || c == '_'; };
  if (!word(name.front())) return false;
  for (char c : name) {
    if (!word(c) && !is_ascii_digit(c)) return false;
  }
  return true;
}

}  // namespace kph::host::config
