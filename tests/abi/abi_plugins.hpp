// Where the ABI test plugins are built, and the one event the runtime tests send.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace kph::testing::abi {

// <build>/tests/abi/plugins/<name>.so
inline std::filesystem::path plugin(const std::string& name) {
  return std::filesystem::path(KPH_ABI_PLUGIN_DIR) / (name + ".so");
}

// A .triggered event every test plugin subscribes to, as one JSON line.
inline nlohmann::json triggered_event(const std::string& id) {
  return {{"specversion", "1.0"},
          {"id", id},
          {"source", "abi-test"},
          {"type", "sh.keptn.event.test.triggered"},
          {"datacontenttype", "application/json"},
          {"shkeptncontext", "0a9d6c2f-6f0e-4a3b-9a51-2c8e7f1d3b44"},
          {"data", {{"project", "demo"}, {"stage", "dev"}, {"service", "api"}}}};
}

}  // namespace kph::testing::abi
