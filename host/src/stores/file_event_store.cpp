#include "stores/file_event_store.hpp"

#include "common/logger.hpp"

namespace kph::host {

FileEventStore::FileEventStore(std::filesystem::path file, size_t max_events)
    : file_(std::move(file)), index_(max_events) {}

Result<std::unique_ptr<FileEventStore>> FileEventStore::open(const std::filesystem::path& file,
                                                             size_t max_events) {
  std::unique_ptr<FileEventStore> store(new FileEventStore(file, max_events));
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  {
    std::ifstream in(file);
    std::string line;
    int number = 0;
    while (in && std::getline(in, line)) {
      ++number;
      if (line.empty()) continue;
      auto event = nlohmann::json::parse(line, nullptr, false);
      if (!event.is_object()) {
        log_warning("event store: skipping a line that is not a JSON object",
                    {{"file", file.string()}, {"line", std::to_string(number)}});
        continue;
      }
      (void)store->index_.record(event);
    }
  }
  store->out_.open(file, std::ios::app);
  if (!store->out_) {
    return Error{"event store " + file.string() +
                 ": cannot open it for appending; check the folder exists and is writable"};
  }
  return store;
}

Status FileEventStore::record(const nlohmann::json& event) {
  {
    std::lock_guard<std::mutex> lock(append_mutex_);
    out_ << event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    out_.flush();
    if (!out_) return Error{"event store " + file_.string() + ": write failed"};
  }
  return index_.record(event);
}

Result<std::vector<nlohmann::json>> FileEventStore::query(const EventQuery& query) {
  return index_.query(query);
}

}  // namespace kph::host
