#include "transport/nats/jetstream_setup.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <variant>

#include "common/logger.hpp"
#include "config/duration.hpp"
#include "transport/nats/nats_duration.hpp"
#include "transport/nats/nats_error.hpp"

namespace kph::host::nats {
namespace {

// Fills the consumer settings the config controls (not the start position).
void fill_consumer(jsConsumerConfig& cc, const NatsConfig& config, const std::string& durable,
                   std::vector<int64_t>& backoff) {
  cc.Durable = durable.c_str();
  cc.Description = "keptn-host task intake";
  cc.AckPolicy = js_AckExplicit;
  cc.AckWait = nats_nanos(config.ack_wait);
  // The server wants a delivery limit above the number of backoff waits even when there is
  // to be none; a limit no event reaches stands in for "unlimited" then.
  constexpr int64_t kNoLimitWithBackoff = 1000000;
  cc.MaxDeliver = config.max_deliver == -1 && !config.backoff.empty() ? kNoLimitWithBackoff
                                                                      : config.max_deliver;
  cc.FilterSubject = config.filter_subject.c_str();
  cc.MaxAckPending = config.max_ack_pending;
  backoff.clear();
  if (!config.backoff.empty()) {
    for (const auto wait : ack_waits(config)) backoff.push_back(nats_nanos(wait));
    cc.BackOff = backoff.data();
    cc.BackOffLen = static_cast<int>(backoff.size());
  }
}

// Whether an existing consumer already has the settings the config asks for.
bool settings_match(const jsConsumerConfig& existing, const jsConsumerConfig& wanted) {
  const auto text = [](const char* value) { return std::string(value ? value : ""); };
  if (existing.AckWait != wanted.AckWait || existing.MaxDeliver != wanted.MaxDeliver ||
      existing.MaxAckPending != wanted.MaxAckPending ||
      text(existing.FilterSubject) != text(wanted.FilterSubject) ||
      existing.BackOffLen != wanted.BackOffLen) {
    return false;
  }
  for (int i = 0; i < wanted.BackOffLen; ++i) {
    if (existing.BackOff[i] != wanted.BackOff[i]) return false;
  }
  return true;
}

std::string consumer_where(const NatsConfig& config, const std::string& durable) {
  return "JetStream consumer " + durable + " on stream " + config.stream;
}

}  // namespace

std::vector<std::chrono::milliseconds> ack_waits(const NatsConfig& config) {
  std::vector<std::chrono::milliseconds> waits = {config.ack_wait};
  waits.insert(waits.end(), config.backoff.begin(), config.backoff.end());
  return waits;
}

std::chrono::milliseconds progress_interval(const NatsConfig& config) {
  const auto waits = ack_waits(config);
  const auto shortest = *std::min_element(waits.begin(), waits.end());
  return std::max(shortest / 3, std::chrono::milliseconds(100));
}

std::chrono::milliseconds nak_delay(const NatsConfig& config, uint64_t delivered) {
  if (!config.backoff.empty()) {
    const size_t index =
        std::min<size_t>(delivered == 0 ? 0 : delivered - 1, config.backoff.size() - 1);
    return config.backoff[index];
  }
  const uint64_t shift = std::min<uint64_t>(delivered == 0 ? 0 : delivered - 1, 5);
  return std::chrono::milliseconds(1000) * (1 << shift);
}

Status ensure_stream(jsCtx* js, const NatsConfig& config) {
  const std::string where = "JetStream stream " + config.stream;
  Status last_failure = ok_status();
  for (int attempt = 0; attempt < 3; ++attempt) {
    jsStreamInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&info, js, config.stream.c_str(), nullptr, &code);
    if (s == NATS_OK) {
      jsStreamInfo_Destroy(info);
      return ok_status();
    }
    if (s != NATS_NOT_FOUND && code != JSStreamNotFoundErr) {
      return nats_error("cannot look up the " + where +
                            "; check that the server has JetStream "
                            "enabled and that this user may use it",
                        s);
    }
    if (!config.create_stream) {
      return Error{where +
                   " does not exist; expected Keptn's stream (subjects sh.keptn.>), "
                   "found none; create it, or set controlPlane.nats.createStream: true"};
    }
    std::vector<const char*> subjects;
    for (const auto& subject : config.subjects) subjects.push_back(subject.c_str());
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    sc.Name = config.stream.c_str();
    sc.Description = "Keptn events (created by keptn-host)";
    sc.Subjects = subjects.data();
    sc.SubjectsLen = static_cast<int>(subjects.size());
    sc.Storage = js_FileStorage;
    sc.Retention = js_LimitsPolicy;
    sc.Discard = js_DiscardOld;
    sc.MaxAge = nats_nanos(config.stream_max_age);
    sc.MaxBytes = config.stream_max_bytes;
    sc.Duplicates = nats_nanos(std::min(config.duplicate_window, config.stream_max_age));
    sc.Replicas = config.replicas;
    code = static_cast<jsErrCode>(0);
    s = js_AddStream(&info, js, &sc, nullptr, &code);
    if (s == NATS_OK) {
      jsStreamInfo_Destroy(info);
      log_info("created the JetStream stream", {{"stream", config.stream}});
      return ok_status();
    }
    // Replicas starting together race to create the stream: the loser is told the name
    // exists or, by some servers, that its subjects overlap. Either way the next lookup
    // finds the winner's stream; a real conflict with another stream fails every attempt.
    last_failure = nats_error("cannot create the " + where +
                                  "; if another stream already takes these subjects, set "
                                  "controlPlane.nats.stream to its name",
                              s);
  }
  return last_failure;
}

Status ensure_consumer(jsCtx* js, const NatsConfig& config, const std::string& durable) {
  const std::string where = consumer_where(config, durable);
  std::vector<int64_t> backoff;
  Status last_failure = ok_status();
  for (int attempt = 0; attempt < 3; ++attempt) {
    jsConsumerInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s =
        js_GetConsumerInfo(&info, js, config.stream.c_str(), durable.c_str(), nullptr, &code);
    if (s == NATS_OK) {
      // Exists: apply the settings that may change, keep where it started.
      jsConsumerConfig cc;
      jsConsumerConfig_Init(&cc);
      fill_consumer(cc, config, durable, backoff);
      const bool same = settings_match(*info->Config, cc);
      cc.DeliverPolicy = info->Config->DeliverPolicy;
      cc.OptStartSeq = info->Config->OptStartSeq;
      cc.OptStartTime = info->Config->OptStartTime;
      cc.MaxWaiting = info->Config->MaxWaiting;
      jsConsumerInfo_Destroy(info);
      // Only a changed config is sent: some servers refuse any update of a consumer that
      // was created with a start time, even one that changes nothing.
      if (same) return ok_status();
      jsConsumerInfo* updated = nullptr;
      code = static_cast<jsErrCode>(0);
      s = js_UpdateConsumer(&updated, js, config.stream.c_str(), &cc, nullptr, &code);
      if (s == NATS_OK) {
        jsConsumerInfo_Destroy(updated);
      } else {
        log_warning("the " + where + " keeps its earlier settings: " + status_text(s) +
                        "; delete the consumer to apply the new ones (it starts again from "
                        "deliverPolicy)",
                    {{"consumer", durable}});
      }
      return ok_status();
    }
    if (s != NATS_NOT_FOUND && code != JSConsumerNotFoundErr) {
      return nats_error("cannot look up the " + where, s);
    }
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    fill_consumer(cc, config, durable, backoff);
    if (config.deliver_policy == "all") {
      cc.DeliverPolicy = js_DeliverAll;
    } else if (config.deliver_policy == "new") {
      cc.DeliverPolicy = js_DeliverNew;
    } else {
      const auto parsed = config::read_duration(config.deliver_policy);
      const auto back = std::holds_alternative<std::chrono::milliseconds>(parsed)
                            ? std::get<std::chrono::milliseconds>(parsed)
                            : std::chrono::minutes(10);
      cc.DeliverPolicy = js_DeliverByStartTime;
      cc.OptStartTime = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            (std::chrono::system_clock::now() - back).time_since_epoch())
                            .count();
    }
    code = static_cast<jsErrCode>(0);
    s = js_AddConsumer(&info, js, config.stream.c_str(), &cc, nullptr, &code);
    if (s == NATS_OK) {
      jsConsumerInfo_Destroy(info);
      log_info("created the durable JetStream consumer",
               {{"stream", config.stream},
                {"consumer", durable},
                {"filterSubject", config.filter_subject},
                {"deliverPolicy", config.deliver_policy}});
      return ok_status();
    }
    // As with the stream, replicas race to create it and the server words the loser's
    // refusal in more than one way: look it up again and take the update path.
    last_failure = nats_error("cannot create the " + where, s);
  }
  return last_failure;
}

Result<natsSubscription*> bind_pull_subscription(jsCtx* js, const std::string& stream,
                                                 const std::string& durable) {
  jsSubOptions options;
  jsSubOptions_Init(&options);
  options.Stream = stream.c_str();
  options.Consumer = durable.c_str();
  options.ManualAck = true;
  natsSubscription* subscription = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s =
      js_PullSubscribe(&subscription, js, nullptr, durable.c_str(), nullptr, &options, &code);
  if (s != NATS_OK) {
    return nats_error("cannot bind a pull subscription to the JetStream consumer " + durable +
                          " on stream " + stream,
                      s);
  }
  return subscription;
}

std::string default_consumer_name(std::vector<std::string> instance_names) {
  std::sort(instance_names.begin(), instance_names.end());
  instance_names.erase(std::unique(instance_names.begin(), instance_names.end()),
                       instance_names.end());
  std::string name = "keptn-host";
  for (const auto& instance : instance_names) name += "-" + instance;
  for (char& c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) c = '_';
  }
  constexpr size_t kMaxLength = 64;
  if (name.size() > kMaxLength) {
    // FNV-1a keeps the shortened name stable across processes and builds.
    uint64_t hash = 1469598103934665603ull;
    for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
    char suffix[20];
    std::snprintf(suffix, sizeof suffix, "-%016llx", static_cast<unsigned long long>(hash));
    name = name.substr(0, kMaxLength - 17) + suffix;
  }
  return name;
}

}  // namespace kph::host::nats
