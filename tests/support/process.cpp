#include "support/process.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kph::testing {

std::vector<nlohmann::json> ProcessResult::out_json_lines() const {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

namespace {
// A child that exits without reading its input must not kill the test with SIGPIPE.
const bool kIgnoreSigpipe = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();
}  // namespace

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const ProcessOptions& options) {
  Poco::Pipe in_pipe, out_pipe, err_pipe;
  Poco::Process::Env env(options.environment.begin(), options.environment.end());
  const std::string cwd = options.working_directory.empty()
                              ? std::filesystem::current_path().string()
                              : options.working_directory.string();
  Poco::ProcessHandle handle =
      Poco::Process::launch(program, args, cwd, &in_pipe, &out_pipe, &err_pipe, env);

  ProcessResult result;
  std::mutex mutex;
  std::condition_variable exited;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mutex);
    if (!exited.wait_for(lock, options.kill_after, [&] { return done; })) {
      result.killed = true;
      Poco::Process::kill(handle);
    }
  });
  // Both output pipes are drained concurrently with the input being written, so a child that
  // writes a lot before reading everything can never dead-lock the test.
  std::thread out_reader([&] {
    Poco::PipeInputStream stream(out_pipe);
    std::ostringstream text;
    Poco::StreamCopier::copyStream(stream, text);
    result.out = text.str();
  });
  std::thread err_reader([&] {
    Poco::PipeInputStream stream(err_pipe);
    std::ostringstream text;
    Poco::StreamCopier::copyStream(stream, text);
    result.err = text.str();
  });
  try {
    Poco::PipeOutputStream stream(in_pipe);
    stream << options.input;
    stream.close();
  } catch (...) {
    // The child stopped reading (it exited early, e.g. on a bad config): what it did is what
    // the test checks, so the unread input is not an error here.
    in_pipe.close();
  }
  out_reader.join();
  err_reader.join();
  result.exit_code = handle.wait();
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  exited.notify_all();
  watchdog.join();
  return result;
}

std::string host_binary() { return KPH_TEST_HOST_BINARY; }
std::filesystem::path build_dir() { return KPH_TEST_BINARY_DIR; }
std::filesystem::path source_dir() { return KPH_TEST_SOURCE_DIR; }

ProcessResult run_host(const std::vector<std::string>& args, const std::string& input) {
  ProcessOptions options;
  options.input = input;
  return run_process(host_binary(), args, options);
}

}  // namespace kph::testing
