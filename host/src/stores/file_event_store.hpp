// Appends every event to a JSON-lines file, so that comparisons with earlier results survive a
// restart of local mode. Queries are answered from the newest events, loaded at start.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>

#include "stores/memory_event_store.hpp"

namespace kph::host {

class FileEventStore : public EventStore {
 public:
  // Loads the file's events (a line that is not a JSON object is skipped with a warning that
  // names file:line) and opens it for appending. Fails when the file cannot be opened.
  static Result<std::unique_ptr<FileEventStore>> open(const std::filesystem::path& file,
                                                      size_t max_events);

  Status record(const nlohmann::json& event) override;
  Result<std::vector<nlohmann::json>> query(const EventQuery& query) override;

 private:
  FileEventStore(std::filesystem::path file, size_t max_events);

  std::filesystem::path file_;
  MemoryEventStore index_;
  std::mutex append_mutex_;
  std::ofstream out_;
};

}  // namespace kph::host
