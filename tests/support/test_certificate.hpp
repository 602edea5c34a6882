// A fresh self-signed TLS certificate for loopback servers in tests, made with the openssl
// command: valid for "localhost" and 127.0.0.1, so it doubles as its own CA file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kph::testing {

struct TestCertificate {
  std::filesystem::path certificate;  // PEM; trust it as a CA
  std::filesystem::path key;          // PEM, unencrypted
};

// Writes cert.pem and key.pem into `folder`. Throws std::runtime_error with openssl's output
// when it fails.
TestCertificate make_test_certificate(const std::filesystem::path& folder);

// Why a test cannot make certificates here (no openssl command), or nothing when it can.
std::optional<std::string> test_certificate_unavailable();

}  // namespace kph::testing
