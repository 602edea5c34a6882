#include "support/test_certificate.hpp"

#include <unistd.h>

#include <stdexcept>

#include "support/process.hpp"

namespace kph::testing {

std::optional<std::string> test_certificate_unavailable() {
  for (const char* candidate : {"/usr/bin/openssl", "/usr/local/bin/openssl"}) {
    if (::access(candidate, X_OK) == 0) return std::nullopt;
  }
  return std::string("openssl is not installed (Debian package `openssl`)");
}

TestCertificate make_test_certificate(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  TestCertificate out{folder / "cert.pem", folder / "key.pem"};
  // An EC key: generated in milliseconds, where RSA takes noticeably longer on a busy machine.
  const auto result = run_process(
      "openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                  "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                  "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", out.key.string(), "-out",
                  out.certificate.string()});
  if (result.exit_code != 0) {
    throw std::runtime_error("openssl could not make a test certificate:\n" + result.out +
                             result.err);
  }
  return out;
}

}  // namespace kph::testing
