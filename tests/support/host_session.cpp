#include "support/host_session.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <csignal>
#include <istream>
#include <stdexcept>

#include "support/process.hpp"

namespace kph::testing {

struct HostSession::State {
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::string out;
  std::string err;
  std::vector<nlohmann::json> json_lines;
  bool out_closed = false;
  std::optional<int> exit_code;
};

HostSession::HostSession(const std::vector<std::string>& args, std::string program)
    : state_(std::make_shared<State>()) {
  // A write to a process that already exited must fail, not kill the test with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  if (program.empty()) program = host_binary();
  input_pipe_ = std::make_unique<Poco::Pipe>();
  Poco::Pipe out_pipe;
  Poco::Pipe err_pipe;
  Poco::Process::Env env;
  try {
    process_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(program, args, std::filesystem::current_path().string(),
                              input_pipe_.get(), &out_pipe, &err_pipe, env));
  } catch (const std::exception& e) {
    throw std::runtime_error("could not start " + program + ": " + e.what());
  }
  input_ = std::make_unique<Poco::PipeOutputStream>(*input_pipe_);

  out_reader_ = std::thread([state = state_, out_pipe]() mutable {
    Poco::PipeInputStream stream(out_pipe);
    std::string line;
    while (std::getline(stream, line)) {
      auto parsed = nlohmann::json::parse(line, nullptr, false);
      std::lock_guard<std::mutex> lock(state->mutex);
      state->out += line + "\n";
      if (!parsed.is_discarded()) state->json_lines.push_back(std::move(parsed));
      state->changed.notify_all();
    }
    std::lock_guard<std::mutex> lock(state->mutex);
    state->out_closed = true;
    state->changed.notify_all();
  });
  err_reader_ = std::thread([state = state_, err_pipe]() mutable {
    Poco::PipeInputStream stream(err_pipe);
    std::string line;
    while (std::getline(stream, line)) {
      std::lock_guard<std::mutex> lock(state->mutex);
      state->err += line + "\n";
    }
  });
  waiter_ = std::thread([state = state_, handle = *process_] {
    const int code = handle.wait();
    std::lock_guard<std::mutex> lock(state->mutex);
    state->exit_code = code;
    state->changed.notify_all();
  });
}

HostSession::~HostSession() {
  close_input();
  if (!wait_for_exit(std::chrono::seconds(10))) {
    try {
      Poco::Process::kill(*process_);
    } catch (const std::exception&) {
      // It exited between the wait and the kill.
    }
  }
  waiter_.join();
  out_reader_.join();
  err_reader_.join();
}

bool HostSession::write_line(const std::string& line) {
  if (!input_) return false;
  *input_ << line << '\n';
  input_->flush();
  return input_->good();
}

std::optional<nlohmann::json> HostSession::wait_for_json(
    const std::function<bool(const nlohmann::json&)>& match, std::chrono::milliseconds deadline) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  size_t checked = 0;
  std::optional<nlohmann::json> found;
  const auto until = std::chrono::steady_clock::now() + deadline;
  state_->changed.wait_until(lock, until, [&] {
    for (; checked < state_->json_lines.size(); ++checked) {
      if (match(state_->json_lines[checked])) {
        found = state_->json_lines[checked];
        return true;
      }
    }
    return state_->out_closed;
  });
  return found;
}

std::optional<nlohmann::json> HostSession::wait_for_event(const std::string& type,
                                                          std::chrono::milliseconds deadline,
                                                          const std::string& triggered_id) {
  return wait_for_json(
      [&](const nlohmann::json& event) {
        const auto text = [&](const char* key) {
          const auto it = event.find(key);
          return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        return event.is_object() && text("type") == type &&
               (triggered_id.empty() || text("triggeredid") == triggered_id);
      },
      deadline);
}

void HostSession::close_input() {
  if (!input_) return;
  input_->close();
  input_.reset();
}

std::optional<int> HostSession::wait_for_exit(std::chrono::milliseconds deadline) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  state_->changed.wait_for(lock, deadline, [&] { return state_->exit_code.has_value(); });
  return state_->exit_code;
}

std::vector<nlohmann::json> HostSession::json_lines() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->json_lines;
}

std::string HostSession::stdout_text() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->out;
}

std::string HostSession::stderr_text() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->err;
}

}  // namespace kph::testing
