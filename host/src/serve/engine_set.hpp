// The engines of a serve-mode host. Normally one; a SIGHUP reload builds a new engine from the
// re-read config (plugins, their configs, routes) and switches new events to it, while the
// previous engine finishes the tasks it has in the background and is then shut down. No task
// in flight is dropped by a reload, and the transport is not touched.
#pragma once

#include <kph/host/event_sink.hpp>
#include <kph/host/event_store.hpp>
#include <kph/host/task_journal.hpp>
#include <kph/host/task_observer.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "local/host_setup.hpp"
#include "runtime/engine.hpp"

namespace kph::host {

class EngineSet {
 public:
  // Everything given must outlive the set. journal and observer may be null.
  EngineSet(EventSink& sink, EventStore& store, TaskJournal* journal, TaskObserver* observer,
            std::chrono::milliseconds grace);
  // Shuts every engine down as shutdown() does.
  ~EngineSet();
  EngineSet(const EngineSet&) = delete;
  EngineSet& operator=(const EngineSet&) = delete;

  // Builds and starts the first engine. Control thread.
  Status start(HostParts parts);
  // Builds and starts an engine from `parts`; when that works, new events go to it and the
  // previous engine drains in the background (up to the grace period). On failure nothing
  // changes. Control thread.
  Status reload(HostParts parts);

  // To the current engine (see Engine::submit). Thread: any.
  Status submit(nlohmann::json event, SettledFn on_settled);
  // A .finished reply, offered to every engine (a draining one may await it). Thread: any.
  void offer_reply(const nlohmann::json& event);
  // Every generation looks up, in the event store, the replies its tasks still await.
  void recover_replies();

  // Shuts down the current engine and waits for the draining ones: each gets the grace period
  // for its running tasks, then what is left is settled as the engine decides. Control thread.
  void shutdown();

  std::vector<InstanceStats> stats() const;
  // The instance names of the current engine.
  std::vector<std::string> instance_names() const;

 private:
  struct Generation {
    HostParts parts;
    std::unique_ptr<Engine> engine;
  };
  Result<std::shared_ptr<Generation>> build(HostParts parts);

  EventSink& sink_;
  EventStore& store_;
  TaskJournal* journal_;
  TaskObserver* observer_;
  const std::chrono::milliseconds grace_;

  mutable std::mutex mutex_;
  std::shared_ptr<Generation> current_;
  std::vector<std::shared_ptr<Generation>> draining_;
  std::vector<std::thread> drainers_;
};

}  // namespace kph::host
