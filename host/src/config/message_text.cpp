#include "config/message_text.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace kph::host::config {
namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not well-formed.
size_t utf8_sequence_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  const bool overlong =
      (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (overlong || surrogate || code_point > 0x10FFFF) return 0;
  return length;
}

std::string normalized(std::string_view word) {
  std::string out;
  for (char c : word) {
    if (c == '_' || c == '-') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// Edits (insert, delete, substitute, swap two neighbours) that turn a into b: a swapped pair
// is the most common typo, so it counts as one.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

template <typename Word>
std::optional<std::string> closest(std::string_view word, std::span<const Word> known) {
  // Misspellings, not arbitrary words: long input (garbage) is never compared.
  if (word.empty() || word.size() > 64) return std::nullopt;
  const std::string wanted = normalized(word);
  std::optional<std::string> best;
  size_t best_distance = 0;
  for (const auto& candidate : known) {
    const size_t distance = edit_distance(wanted, normalized(candidate));
    if (!best || distance < best_distance) {
      best = std::string(candidate);
      best_distance = distance;
    }
  }
  // One typo per four letters, at most three: "evnt" -> event, "maxConcurency" ->
  // maxConcurrency, but not "name" -> "type".
  const size_t allowed = std::min<size_t>(3, std::max<size_t>(1, wanted.size() / 4));
  if (best && best_distance <= allowed) return best;
  // A part of the key: "timeout" -> taskTimeout, "concurrency" -> maxConcurrency.
  std::optional<std::string> containing;
  for (const auto& candidate : known) {
    const std::string name = normalized(candidate);
    if (wanted.size() >= 4 && name.find(wanted) != std::string::npos) {
      if (containing) return std::nullopt;  // ambiguous
      containing = std::string(candidate);
    }
  }
  return containing;
}

template <typename Word>
std::string join(std::span<const Word> words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += (i + 1 == words.size()) ? " or " : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace

std::string quote_text(std::string_view text, size_t max_chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  size_t chars = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (chars == max_chars) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t length = utf8_sequence_length(text, i);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (length == 0 || c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out.append(text.substr(i, length));
      i += length;
      ++chars;
      continue;
    }
    ++i;
    ++chars;
  }
  out += '"';
  return out;
}

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t length = utf8_sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> known) {
  return closest(word, known);
}

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> known) {
  return closest(word, known);
}

std::string join_alternatives(std::span<const std::string_view> words) { return join(words); }
std::string join_alternatives(std::span<const std::string> words) { return join(words); }

}  // namespace kph::host::config
