#include "nats_test_client.hpp"

#include <map>
#include <stdexcept>
#include <thread>

#include "common/ids.hpp"

namespace kph::testing {
namespace {

std::string failure(const std::string& what, natsStatus status) {
  const char* detail = nats_GetLastError(nullptr);
  return what + ": " + natsStatus_GetText(status) +
         (detail ? std::string(" (") + detail + ")" : "");
}

}  // namespace

TestNats::TestNats(const std::string& url) {
  natsOptions* options = nullptr;
  natsOptions_Create(&options);
  natsOptions_SetURL(options, url.c_str());
  natsOptions_SetMaxReconnect(options, -1);
  natsOptions_SetReconnectWait(options, 50);
  natsOptions_SetName(options, "test client");
  const natsStatus s = natsConnection_Connect(&connection_, options);
  natsOptions_Destroy(options);
  if (s != NATS_OK) throw std::runtime_error(failure("test client cannot connect to " + url, s));
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = 5000;
  natsConnection_JetStream(&js_, connection_, &js_options);
}

TestNats::~TestNats() {
  if (js_ != nullptr) jsCtx_Destroy(js_);
  if (connection_ != nullptr) {
    natsConnection_Close(connection_);
    natsConnection_Destroy(connection_);
  }
}

void TestNats::create_stream(const std::string& name, const std::vector<std::string>& subjects) {
  std::vector<const char*> list;
  for (const auto& subject : subjects) list.push_back(subject.c_str());
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = name.c_str();
  config.Subjects = list.data();
  config.SubjectsLen = static_cast<int>(list.size());
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s = js_AddStream(&info, js_, &config, nullptr, &code);
  if (s != NATS_OK) throw std::runtime_error(failure("test client cannot create " + name, s));
  jsStreamInfo_Destroy(info);
}

void TestNats::publish(const std::string& subject, const std::string& data,
                       std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    jsPubAck* ack = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MaxWait = 2000;
    const natsStatus s = js_Publish(&ack, js_, subject.c_str(), data.data(),
                                    static_cast<int>(data.size()), &options, &code);
    if (s == NATS_OK) {
      jsPubAck_Destroy(ack);
      return;
    }
    if (std::chrono::steady_clock::now() >= until) {
      throw std::runtime_error(failure("test client cannot publish on " + subject, s));
    }
    // The server is restarting: this is the control plane's retry, not a test's sleep.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

uint64_t TestNats::count(const std::string& filter, const std::string& name) {
  jsOptions options;
  jsOptions_Init(&options);
  options.Stream.Info.SubjectsFilter = filter.c_str();
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s = js_GetStreamInfo(&info, js_, name.c_str(), &options, &code);
  if (s != NATS_OK) throw std::runtime_error(failure("test client cannot read " + name, s));
  uint64_t total = 0;
  if (info->State.Subjects != nullptr) {
    for (int i = 0; i < info->State.Subjects->Count; ++i)
      total += info->State.Subjects->List[i].Msgs;
  }
  jsStreamInfo_Destroy(info);
  return total;
}

std::vector<StoredMessage> TestNats::read_stream(const std::string& name) {
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&info, js_, name.c_str(), nullptr, &code);
  if (s != NATS_OK) throw std::runtime_error(failure("test client cannot read " + name, s));
  const uint64_t first = info->State.FirstSeq;
  const uint64_t last = info->State.LastSeq;
  jsStreamInfo_Destroy(info);
  std::vector<StoredMessage> out;
  for (uint64_t sequence = first; sequence <= last && last > 0; ++sequence) {
    natsMsg* msg = nullptr;
    s = js_GetMsg(&msg, js_, name.c_str(), sequence, nullptr, &code);
    if (s == NATS_NOT_FOUND) continue;  // deleted
    if (s != NATS_OK) throw std::runtime_error(failure("test client cannot read a message", s));
    StoredMessage stored;
    stored.sequence = sequence;
    stored.subject = natsMsg_GetSubject(msg);
    stored.data.assign(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    natsMsg_Destroy(msg);
    auto parsed = nlohmann::json::parse(stored.data, nullptr, false);
    if (parsed.is_object()) stored.event = std::move(parsed);
    out.push_back(std::move(stored));
  }
  return out;
}

std::optional<ConsumerState> TestNats::consumer_state(const std::string& consumer,
                                                      const std::string& stream) {
  jsConsumerInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  if (js_GetConsumerInfo(&info, js_, stream.c_str(), consumer.c_str(), nullptr, &code) != NATS_OK) {
    return std::nullopt;
  }
  ConsumerState state{info->NumPending, info->NumAckPending, info->NumRedelivered};
  jsConsumerInfo_Destroy(info);
  return state;
}

std::vector<std::pair<std::string, nlohmann::json>> TestNats::bucket_entries(
    const std::string& bucket) {
  std::vector<std::pair<std::string, nlohmann::json>> out;
  kvStore* kv = nullptr;
  if (js_KeyValue(&kv, js_, bucket.c_str()) != NATS_OK) return out;
  kvKeysList keys{};
  if (kvStore_Keys(&keys, kv, nullptr) == NATS_OK) {
    for (int i = 0; i < keys.Count; ++i) {
      kvEntry* entry = nullptr;
      if (kvStore_Get(&entry, kv, keys.Keys[i]) != NATS_OK) continue;
      out.emplace_back(keys.Keys[i],
                       nlohmann::json::parse(kvEntry_ValueString(entry), nullptr, false));
      kvEntry_Destroy(entry);
    }
    kvKeysList_Destroy(&keys);
  }
  kvStore_Destroy(kv);
  return out;
}

nlohmann::json make_triggered(const std::string& task, const nlohmann::json& extra_data,
                              const std::string& context) {
  nlohmann::json data = {{"project", "sockshop"}, {"stage", "dev"}, {"service", "carts"}};
  if (extra_data.is_object()) {
    for (const auto& [key, value] : extra_data.items()) data[key] = value;
  }
  return {{"specversion", "1.0"},
          {"id", host::new_uuid()},
          {"source", "shipyard-controller"},
          {"type", "sh.keptn.event." + task + ".triggered"},
          {"time", host::now_rfc3339()},
          {"datacontenttype", "application/json"},
          {"shkeptncontext", context.empty() ? host::new_uuid() : context},
          {"data", data}};
}

TaskTally tally(const std::vector<StoredMessage>& stream, const std::string& task,
                const std::string& source) {
  const std::string prefix = "sh.keptn.event." + task + ".";
  std::map<std::string, const nlohmann::json*> triggered;
  std::map<std::string, std::vector<const nlohmann::json*>> started, finished;
  for (const auto& message : stream) {
    if (!message.event) continue;
    const auto& event = *message.event;
    const std::string type = event.value("type", "");
    if (type == prefix + "triggered") triggered[event.value("id", "")] = &event;
    if (type == prefix + "started") started[event.value("triggeredid", "")].push_back(&event);
    if (type == prefix + "finished") finished[event.value("triggeredid", "")].push_back(&event);
  }
  TaskTally out;
  out.triggered = triggered.size();
  const auto note = [&](const std::string& text) {
    if (out.problems.size() < 10) out.problems.push_back(text);
  };
  for (const auto& [id, event] : triggered) {
    const auto& s = started[id];
    const auto& f = finished[id];
    if (s.empty()) ++out.missing_started, note(id + ": no .started");
    if (f.empty()) ++out.missing_finished, note(id + ": no .finished");
    if (s.size() > 1)
      ++out.doubled_started, note(id + ": " + std::to_string(s.size()) + " .started");
    if (f.size() > 1) {
      ++out.doubled_finished;
      note(id + ": " + std::to_string(f.size()) + " .finished");
    }
    for (const auto* response : s) {
      if (response->value("shkeptncontext", "") != event->value("shkeptncontext", "") ||
          response->value("source", "") != source) {
        ++out.bad_correlation, note(id + ": a .started with the wrong context or source");
      }
    }
    for (const auto* response : f) {
      if (response->value("shkeptncontext", "") != event->value("shkeptncontext", "") ||
          response->value("source", "") != source) {
        ++out.bad_correlation, note(id + ": a .finished with the wrong context or source");
      }
      if (response->contains("data") && (*response)["data"].value("status", "") == "errored") {
        ++out.errored;
      }
    }
  }
  return out;
}

}  // namespace kph::testing
