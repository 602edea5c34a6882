#include "local/local_mode.hpp"

#include <fstream>
#include <iostream>

#include "common/cloud_event.hpp"
#include "local/stdout_sink.hpp"

namespace kph::host {

int run_local(const LocalRunOptions& options) {
  auto parts = prepare_host(options.setup);
  if (!parts) {
    std::cerr << "keptn-host run: " << parts.error().message << "\n";
    return 2;
  }
  std::ifstream file;
  if (options.events) {
    file.open(*options.events);
    if (!file) {
      std::cerr << "keptn-host run: cannot read events from " << options.events->string()
                << "; check the path\n";
      return 2;
    }
  }
  std::istream& in = options.events ? static_cast<std::istream&>(file) : std::cin;
  const std::string input_name = options.events ? options.events->string() : "stdin";

  StreamSink sink(std::cout);
  Engine engine(sink, *parts->store, parts->resources.get());
  if (auto installed = install_plugins(engine, *parts); !installed) {
    std::cerr << "keptn-host run: " << installed.error().message << "\n";
    return 2;
  }
  engine.start();

  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto event = parse_cloud_event(line);
    if (!event) {
      std::cerr << input_name << ":" << number << ": " << event.error().message << "\n";
      continue;
    }
    if (auto taken = engine.submit(std::move(*event)); !taken) {
      std::cerr << input_name << ":" << number << ": " << taken.error().message << "\n";
    }
  }
  engine.wait_idle();
  for (const auto& open : engine.open_tasks()) {
    std::cerr << "task left open for another party to finish: plugin " << open.plugin << ", "
              << open.triggered.value("type", "") << " " << open.triggered.value("id", "")
              << " (shkeptncontext " << open.triggered.value("shkeptncontext", "") << ")\n";
  }
  engine.shutdown();
  return 0;
}

}  // namespace kph::host
