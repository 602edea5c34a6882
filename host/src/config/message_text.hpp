// Small text helpers for config error messages: show a user's text safely, check it is UTF-8,
// and find the known word a misspelt one was meant to be.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kph::host::config {

// The text in double quotes, ready to print: control characters and bytes that are not UTF-8
// are escaped (\n, \t, \xNN), and text longer than max_chars code points is cut with "...".
// A config file may hold anything, and a message must still be one readable line.
std::string quote_text(std::string_view text, size_t max_chars = 60);

// True when text is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF). JSON strings must be, so every text that may reach a plugin is checked.
bool is_valid_utf8(std::string_view text);

// The known word closest to `word`, ignoring case, '_' and '-', when it is close enough to be
// a likely misspelling; nullopt otherwise.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> known);
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string> known);

// "a, b or c".
std::string join_alternatives(std::span<const std::string_view> words);
std::string join_alternatives(std::span<const std::string> words);

}  // namespace kph::host::config
