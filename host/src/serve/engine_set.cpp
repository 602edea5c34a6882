#include "serve/engine_set.hpp"

#include <algorithm>

#include "common/logger.hpp"

namespace kph::host {

EngineSet::EngineSet(EventSink& sink, EventStore& store, TaskJournal* journal,
                     TaskObserver* observer, std::chrono::milliseconds grace)
    : sink_(sink), store_(store), journal_(journal), observer_(observer), grace_(grace) {}

EngineSet::~EngineSet() { shutdown(); }

Result<std::shared_ptr<EngineSet::Generation>> EngineSet::build(HostParts parts) {
  auto generation = std::make_shared<Generation>();
  generation->parts = std::move(parts);
  EngineOptions options;
  // Everything goes through the control plane, also events one loaded plugin sends another:
  // the replica that takes a child event is whichever the consumer hands it to.
  options.deliver_in_process = false;
  generation->engine =
      std::make_unique<Engine>(sink_, store_, generation->parts.resources.get(), options);
  Engine& engine = *generation->engine;
  if (journal_ != nullptr) engine.set_journal(journal_);
  if (observer_ != nullptr) engine.set_observer(observer_);
  if (auto installed = install_plugins(engine, generation->parts); !installed) {
    return installed.error();
  }
  engine.start();
  return generation;
}

Status EngineSet::start(HostParts parts) {
  auto generation = build(std::move(parts));
  if (!generation) return generation.error();
  std::lock_guard<std::mutex> lock(mutex_);
  current_ = std::move(*generation);
  return ok_status();
}

Status EngineSet::reload(HostParts parts) {
  auto generation = build(std::move(parts));
  if (!generation) return generation.error();
  std::shared_ptr<Generation> previous;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    previous = std::move(current_);
    current_ = std::move(*generation);
    if (previous) draining_.push_back(previous);
  }
  if (previous) {
    const auto grace = grace_;
    // Joined in shutdown(); the engine finishes what it runs, then stops.
    drainers_.emplace_back([this, previous, grace] {
      previous->engine->shutdown(grace);
      std::lock_guard<std::mutex> lock(mutex_);
      draining_.erase(std::remove(draining_.begin(), draining_.end(), previous), draining_.end());
    });
  }
  return ok_status();
}

Status EngineSet::submit(nlohmann::json event, SettledFn on_settled) {
  std::shared_ptr<Generation> generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation = current_;
  }
  if (!generation) return Error{"keptn-host has no engine running; the event was not taken"};
  // A reload may retire this engine between the lookup and the call: then the event goes to
  // the one that replaced it. The engine refuses events only once it is stopping.
  auto copy = event;
  auto taken = generation->engine->submit(std::move(event), on_settled);
  if (taken) return taken;
  std::shared_ptr<Generation> now;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    now = current_;
  }
  if (now && now != generation) return now->engine->submit(std::move(copy), std::move(on_settled));
  return taken;
}

void EngineSet::offer_reply(const nlohmann::json& event) {
  std::vector<std::shared_ptr<Generation>> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (current_) all.push_back(current_);
    all.insert(all.end(), draining_.begin(), draining_.end());
  }
  for (const auto& generation : all) (void)generation->engine->submit(event, {});
}

void EngineSet::recover_replies() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (current_) current_->engine->recover_replies();
  for (const auto& generation : draining_) generation->engine->recover_replies();
}

void EngineSet::shutdown() {
  std::shared_ptr<Generation> current;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    current = current_;
  }
  if (current) current->engine->shutdown(grace_);
  for (auto& drainer : drainers_) {
    if (drainer.joinable()) drainer.join();
  }
  drainers_.clear();
}

std::vector<InstanceStats> EngineSet::stats() const {
  std::vector<std::shared_ptr<Generation>> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (current_) all.push_back(current_);
    all.insert(all.end(), draining_.begin(), draining_.end());
  }
  std::vector<InstanceStats> out;
  for (const auto& generation : all) {
    for (auto& stats : generation->engine->stats()) {
      auto same = std::find_if(out.begin(), out.end(),
                               [&](const InstanceStats& s) { return s.plugin == stats.plugin; });
      if (same == out.end()) {
        out.push_back(stats);
      } else {
        same->in_flight += stats.in_flight;
        same->queue_depth += stats.queue_depth;
      }
    }
  }
  return out;
}

std::vector<std::string> EngineSet::instance_names() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  if (current_) {
    for (const auto& instance : current_->engine->instances()) names.push_back(instance->name());
  }
  return names;
}

}  // namespace kph::host
