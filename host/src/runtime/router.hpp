// Decides which plugin instances take a .triggered event: each route is an event-type pattern
// with '*' wildcards plus optional project/stage/service lists (exact matches; empty = any).
// An instance without a route of its own takes its plugin's default subscriptions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kph::host {

struct Route {
  std::string event_pattern;
  std::string instance;
  std::vector<std::string> projects;
  std::vector<std::string> stages;
  std::vector<std::string> services;
};

class Router {
 public:
  explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

  // The instances the event goes to, each once, in route order.
  std::vector<std::string> route(const nlohmann::json& event) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace kph::host
