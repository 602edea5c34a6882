#include "serve/send_command.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "common/cloud_event.hpp"
#include "common/logger.hpp"
#include "config/host_config.hpp"
#include "transport/nats/jetstream_setup.hpp"
#include "transport/nats/jetstream_sink.hpp"
#include "transport/nats/nats_connection.hpp"

namespace kph::host {
namespace {

// The events in the input: the whole text as one JSON object (pretty-printed files), else one
// per non-empty line. Every problem is named with its place.
Result<std::vector<nlohmann::json>> read_events(const std::string& text, const std::string& name) {
  std::vector<nlohmann::json> events;
  auto whole = nlohmann::json::parse(text, nullptr, false);
  if (whole.is_object()) {
    auto event = normalise_cloud_event(std::move(whole));
    if (!event) return Error{name + ": " + event.error().message};
    events.push_back(std::move(*event));
    return events;
  }
  std::istringstream lines(text);
  std::string line;
  size_t number = 0;
  std::string problems;
  while (std::getline(lines, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto event = parse_cloud_event(line);
    if (!event) {
      problems += name + ":" + std::to_string(number) + ": " + event.error().message + "\n";
      continue;
    }
    events.push_back(std::move(*event));
  }
  if (!problems.empty()) {
    problems.pop_back();
    return Error{problems};
  }
  if (events.empty()) {
    return Error{name +
                 ": no event found; expected a CloudEvent as one JSON object, or one per "
                 "line"};
  }
  return events;
}

}  // namespace

int run_send(const SendOptions& options) {
  // A command's output is its acks; connection chatter would only be noise.
  Logger::instance().configure(LogLevel::kWarning, LogFormat::kText);
  NatsConfig nats;
  if (options.config_file) {
    auto config = load_host_config(*options.config_file);
    if (!config) {
      std::cerr << config.error().message << "\n";
      return 2;
    }
    nats = config->control_plane.nats;
  }
  if (!options.nats_url.empty()) nats.url = options.nats_url;
  if (!options.stream.empty()) nats.stream = options.stream;

  std::string text;
  const std::string name = options.events == "-" ? "stdin" : options.events;
  if (options.events == "-") {
    std::ostringstream in;
    in << std::cin.rdbuf();
    text = in.str();
  } else {
    std::ifstream file(options.events, std::ios::binary);
    if (!file) {
      std::cerr << "keptn-host send: cannot read " << options.events << "; check the path\n";
      return 2;
    }
    std::ostringstream in;
    in << file.rdbuf();
    text = in.str();
  }
  auto events = read_events(text, name);
  if (!events) {
    std::cerr << events.error().message << "\n";
    return 2;
  }

  auto connection = nats::NatsConnection::open(nats, "keptn-host send");
  if (!connection) {
    std::cerr << "keptn-host send: " << connection.error().message << "\n";
    return 2;
  }
  if (!(*connection)->wait_connected(nats.publish_timeout, [] { return false; })) {
    std::cerr << "keptn-host send: cannot reach NATS at " << (*connection)->display_url()
              << " within " << nats.publish_timeout.count()
              << " ms; check the URL and that the server runs\n";
    return 1;
  }
  if (nats.mode == "core") {
    nats::CoreSink sink(**connection, nats.publish_timeout);
    for (const auto& event : *events) {
      if (auto sent = sink.publish(event); !sent) {
        std::cerr << "keptn-host send: " << sent.error().message << "\n";
        return 1;
      }
      std::cout << nlohmann::json{{"id", event_string(event, "id")},
                                  {"type", event_string(event, "type")}}
                       .dump()
                << "\n";
    }
    return 0;
  }
  if (auto bound = nats::ensure_stream((*connection)->jetstream(), nats); !bound) {
    std::cerr << "keptn-host send: " << bound.error().message << "\n";
    return 1;
  }
  nats::JetStreamSink sink(**connection, nats.stream, nats.publish_timeout);
  for (const auto& event : *events) {
    auto ack = sink.publish_acked(event);
    if (!ack) {
      std::cerr << "keptn-host send: " << ack.error().message << "\n";
      return 1;
    }
    std::cout << nlohmann::json{{"id", event_string(event, "id")},
                                {"type", event_string(event, "type")},
                                {"stream", ack->stream},
                                {"sequence", ack->sequence},
                                {"duplicate", ack->duplicate}}
                     .dump()
              << std::endl;
  }
  return 0;
}

}  // namespace kph::host
