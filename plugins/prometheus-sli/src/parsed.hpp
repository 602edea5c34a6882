// The outcome of parsing or checking one thing: a value, or the text a user reads. The text
// names the thing, what was expected, what was found and what to do.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace kph::plugins::prometheus_sli {

template <typename T>
struct Parsed {
  std::optional<T> value;
  std::string error;

  static Parsed success(T v) { return Parsed{std::move(v), {}}; }
  static Parsed failure(std::string message) { return Parsed{std::nullopt, std::move(message)}; }
  bool ok() const { return value.has_value(); }
};

}  // namespace kph::plugins::prometheus_sli
