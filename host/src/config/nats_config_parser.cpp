#include "config/nats_config_parser.hpp"

#include <array>
#include <variant>

#include "config/config_values.hpp"
#include "config/duration.hpp"
#include "config/message_text.hpp"
#include "config/secret_source_parser.hpp"
#include "config/yaml_scalar.hpp"

namespace kph::host::config {
namespace {

constexpr std::array<std::string_view, 29> kNatsKeys = {
    "url",        "mode",         "stream",         "createStream",
    "subjects",   "streamMaxAge", "streamMaxBytes", "duplicateWindow",
    "replicas",   "consumer",     "filterSubject",  "deliverPolicy",
    "maxDeliver", "ackWait",      "backoff",        "maxAckPending",
    "fetchBatch", "fetchExpires", "publishTimeout", "shutdownGrace",
    "queueGroup", "journal",      "eventStore",     "tls",
    "token",      "user",         "password",       "credentials",
    "reconnect"};

constexpr std::array<std::string_view, 2> kModes = {"jetstream", "core"};
constexpr std::array<std::string_view, 2> kJournalKeys = {"bucket", "ttl"};
constexpr std::array<std::string_view, 1> kEventStoreKeys = {"maxScan"};
constexpr std::array<std::string_view, 3> kTlsKeys = {"ca", "cert", "key"};
constexpr std::array<std::string_view, 3> kReconnectKeys = {"initialDelay", "maxDelay", "jitter"};

constexpr std::string_view kNameForm = "a name of letters, digits, '_' and '-'";
constexpr std::string_view kSubjectForm =
    "a NATS subject of dot-separated tokens, '*' for one token, '>' for the rest";

bool is_nats_url(std::string_view url) {
  // natsOptions_SetServers takes a comma-separated list; each must name its scheme so that a
  // typo ("nats:/host") is not taken for a host name.
  size_t start = 0;
  while (start <= url.size()) {
    const size_t comma = url.find(',', start);
    std::string_view one =
        url.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
    const bool scheme = one.starts_with("nats://") || one.starts_with("tls://");
    const size_t host_start = one.find("://") + 3;
    if (!scheme || one.size() <= host_start || one.find_first_of(" \t") != std::string_view::npos) {
      return false;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return true;
}

class NatsConfigParser {
 public:
  NatsConfigParser(ConfigReader& reader, const std::filesystem::path& base)
      : reader_(reader), base_(base) {}

  void parse(const YamlValue& value, NatsConfig& out) {
    auto section = reader_.mapping(value, kNatsKeys, "a mapping of NATS settings (url, mode, ...)",
                                   "write e.g. nats: {url: nats://keptn-nats:4222}");
    if (!section) return;
    const YamlMapping& s = *section;

    if (auto v = s.get("url")) {
      if (auto url = reader_.text(*v, "a NATS URL such as nats://keptn-nats:4222",
                                  "url: nats://keptn-nats:4222")) {
        if (is_nats_url(*url)) {
          out.url = *url;
        } else {
          reader_.report(v->location, v->path + " is not a NATS URL",
                         "nats://host:port or tls://host:port (several separated by commas)",
                         quote_text(*url), "write e.g. url: nats://keptn-nats:4222");
        }
      }
    }
    if (auto v = s.get("mode")) {
      if (auto mode = reader_.text(*v, "jetstream or core", "mode: jetstream")) {
        if (*mode == "jetstream" || *mode == "core") {
          out.mode = *mode;
        } else {
          const auto suggestion = closest_match(*mode, kModes);
          reader_.report(v->location, v->path + " is unknown", "jetstream or core",
                         quote_text(*mode),
                         suggestion ? "did you mean " + *suggestion + "?"
                                    : std::string("use mode: jetstream (durable, the default) "
                                                  "or mode: core (Keptn's queue groups)"));
        }
      }
    }
    name(s, "stream", "stream: keptn", out.stream);
    boolean(s, "createStream", out.create_stream);
    if (auto v = s.get("subjects")) {
      if (auto list =
              reader_.text_list(*v, "a list of subjects", kSubjectForm, "subjects: [sh.keptn.>]")) {
        bool ok = !list->empty();
        if (list->empty()) {
          reader_.report(v->location, v->path + " is empty", "at least one subject", "[]",
                         "write e.g. subjects: [sh.keptn.>]");
        }
        for (size_t i = 0; i < list->size(); ++i) {
          if (!is_valid_nats_subject((*list)[i])) {
            ok = false;
            reader_.report(v->location, v->path + "[" + std::to_string(i) + "] is not a subject",
                           kSubjectForm, quote_text((*list)[i]), "write e.g. sh.keptn.>");
          }
        }
        if (ok) out.subjects = std::move(*list);
      }
    }
    duration(s, "streamMaxAge", "streamMaxAge: 720h", out.stream_max_age);
    if (auto v = s.get("streamMaxBytes")) {
      if (auto n = reader_.integer(*v, -1, int64_t{1} << 50, "streamMaxBytes: 4294967296")) {
        if (*n == 0) {
          reader_.report(v->location, v->path + " is zero", "-1 (unlimited) or a size in bytes",
                         "0", "write e.g. streamMaxBytes: 4294967296");
        } else {
          out.stream_max_bytes = *n;
        }
      }
    }
    duration(s, "duplicateWindow", "duplicateWindow: 2m", out.duplicate_window);
    integer(s, "replicas", 1, 5, "replicas: 3", out.replicas);
    name(s, "consumer", "consumer: keptn-host", out.consumer);
    if (auto v = s.get("filterSubject")) {
      if (auto subject = reader_.text(*v, kSubjectForm, "filterSubject: sh.keptn.event.>")) {
        if (is_valid_nats_subject(*subject)) {
          out.filter_subject = *subject;
        } else {
          reader_.report(v->location, v->path + " is not a subject", kSubjectForm,
                         quote_text(*subject), "write e.g. filterSubject: sh.keptn.event.>");
        }
      }
    }
    if (auto v = s.get("deliverPolicy")) {
      const std::string expected =
          "all, new, or a duration back from now such as 10m (where a new consumer starts)";
      if (auto policy = reader_.text(*v, expected, "deliverPolicy: 10m")) {
        const auto parsed = read_duration(*policy);
        const bool is_duration = std::holds_alternative<std::chrono::milliseconds>(parsed) &&
                                 std::get<std::chrono::milliseconds>(parsed).count() > 0;
        if (*policy == "all" || *policy == "new" || is_duration) {
          out.deliver_policy = *policy;
        } else {
          reader_.report(v->location, v->path + " is unknown", expected, quote_text(*policy),
                         "write deliverPolicy: all, deliverPolicy: new or e.g. deliverPolicy: 1h");
        }
      }
    }
    std::optional<YamlValue> max_deliver_value = s.get("maxDeliver");
    if (max_deliver_value) {
      auto n = reader_.integer(*max_deliver_value, -1, 1000000, "maxDeliver: 10");
      if (n && *n == 0) {
        reader_.report(max_deliver_value->location, max_deliver_value->path + " is zero",
                       "-1 (unlimited) or the number of deliveries from 1 up", "0",
                       "write e.g. maxDeliver: 10");
      } else if (n) {
        out.max_deliver = *n;
      }
    }
    duration(s, "ackWait", "ackWait: 30s", out.ack_wait);
    std::optional<YamlValue> backoff_value = s.get("backoff");
    if (backoff_value) {
      if (auto items = reader_.list(*backoff_value, "a list of durations",
                                    "write e.g. backoff: [5s, 30s, 2m]")) {
        std::vector<std::chrono::milliseconds> backoff;
        bool ok = true;
        for (const auto& item : *items) {
          if (auto d = reader_.duration(item, "backoff: [5s, 30s, 2m]")) {
            backoff.push_back(*d);
          } else {
            ok = false;
          }
        }
        if (backoff.size() > 100) {
          ok = false;
          reader_.report(backoff_value->location, backoff_value->path + " is too long",
                         "at most 100 durations", std::to_string(backoff.size()) + " durations",
                         "shorten the list; its last entry repeats anyway");
        }
        if (ok) out.backoff = std::move(backoff);
      }
    }
    // The server needs more deliveries than acknowledgement waits: the waits are ackWait
    // followed by the backoff list.
    if (out.max_deliver != -1 && !out.backoff.empty() &&
        out.max_deliver <= static_cast<int64_t>(out.backoff.size()) + 1) {
      const YamlValue& where = max_deliver_value ? *max_deliver_value : *backoff_value;
      reader_.report(where.location,
                     "maxDeliver is " + std::to_string(out.max_deliver) + " but backoff lists " +
                         std::to_string(out.backoff.size()) + " redelivery waits",
                     "maxDeliver greater than the number of backoff entries plus one",
                     std::to_string(out.max_deliver),
                     "raise maxDeliver to at least " + std::to_string(out.backoff.size() + 2) +
                         ", or shorten backoff");
    }
    integer(s, "maxAckPending", 1, 1000000, "maxAckPending: 1000", out.max_ack_pending);
    integer(s, "fetchBatch", 1, 10000, "fetchBatch: 64", out.fetch_batch);
    duration(s, "fetchExpires", "fetchExpires: 30s", out.fetch_expires);
    if (auto v = s.get("fetchExpires"); v && out.fetch_expires < std::chrono::seconds(1)) {
      reader_.report(v->location, v->path + " is too short", "at least 1s",
                     format_duration(out.fetch_expires),
                     "write e.g. fetchExpires: 30s; an idle fetch costs nothing while it waits");
    }
    duration(s, "publishTimeout", "publishTimeout: 10s", out.publish_timeout);
    duration(s, "shutdownGrace", "shutdownGrace: 25s", out.shutdown_grace);
    name(s, "queueGroup", "queueGroup: keptn-host", out.queue_group);

    if (auto v = s.get("journal")) {
      if (auto journal = reader_.mapping(*v, kJournalKeys, "a mapping with bucket and ttl",
                                         "write e.g. journal: {bucket: keptn-host-tasks}")) {
        name(*journal, "bucket", "bucket: keptn-host-tasks", out.journal_bucket);
        duration(*journal, "ttl", "ttl: 168h", out.journal_ttl);
      }
    }
    if (auto v = s.get("eventStore")) {
      if (auto store = reader_.mapping(*v, kEventStoreKeys, "a mapping with maxScan",
                                       "write e.g. eventStore: {maxScan: 10000}")) {
        integer(*store, "maxScan", 1, 10000000, "maxScan: 10000", out.event_store_max_scan);
      }
    }
    if (auto v = s.get("tls")) parse_tls(*v, out.tls);
    secret(s, "token", out.token);
    secret(s, "user", out.user);
    secret(s, "password", out.password);
    if (auto v = s.get("credentials")) {
      if (auto file = reader_.text(*v, "the path of a NATS .creds file",
                                   "credentials: /etc/nats/keptn-host.creds")) {
        out.credentials = resolve_config_path(base_, *file);
      }
    }
    if (auto v = s.get("reconnect")) {
      if (auto reconnect =
              reader_.mapping(*v, kReconnectKeys, "a mapping with initialDelay, maxDelay, jitter",
                              "write e.g. reconnect: {initialDelay: 250ms, maxDelay: 10s}")) {
        duration(*reconnect, "initialDelay", "initialDelay: 250ms", out.reconnect.initial_delay);
        duration(*reconnect, "maxDelay", "maxDelay: 10s", out.reconnect.max_delay);
        duration(*reconnect, "jitter", "jitter: 1s", out.reconnect.jitter);
        if (out.reconnect.max_delay < out.reconnect.initial_delay) {
          reader_.report(v->location, v->path + ".maxDelay is shorter than its initialDelay",
                         "maxDelay at least initialDelay", format_duration(out.reconnect.max_delay),
                         "raise maxDelay or lower initialDelay");
        }
      }
    }

    check_credentials(s, out);
  }

 private:
  void name(const YamlMapping& s, std::string_view key, std::string_view example,
            std::string& out) {
    auto v = s.get(key);
    if (!v) return;
    auto text = reader_.text(*v, kNameForm, example);
    if (!text) return;
    if (!is_valid_nats_name(*text)) {
      reader_.report(
          v->location, v->path + " is not a valid NATS name", kNameForm, quote_text(*text),
          "NATS refuses '.', '*', '>' and spaces in names; write e.g. " + std::string(example));
      return;
    }
    out = *text;
  }

  void boolean(const YamlMapping& s, std::string_view key, bool& out) {
    auto v = s.get(key);
    if (!v) return;
    auto resolved = resolve_scalar(v->node);
    if (auto* json = std::get_if<nlohmann::json>(&resolved); json && json->is_boolean()) {
      out = json->get<bool>();
      return;
    }
    reader_.report(v->location,
                   v->path + (v->node.IsNull() ? " has no value" : " is not a boolean"),
                   "true or false", ConfigReader::describe(v->node),
                   "write " + std::string(key) + ": true or " + std::string(key) + ": false");
  }

  void duration(const YamlMapping& s, std::string_view key, std::string_view example,
                std::chrono::milliseconds& out) {
    if (auto v = s.get(key)) {
      if (auto d = reader_.duration(*v, example)) out = *d;
    }
  }

  void integer(const YamlMapping& s, std::string_view key, int64_t min, int64_t max,
               std::string_view example, int64_t& out) {
    if (auto v = s.get(key)) {
      if (auto n = reader_.integer(*v, min, max, example)) out = *n;
    }
  }

  void parse_tls(const YamlValue& value, NatsTlsConfig& out) {
    auto tls = reader_.mapping(value, kTlsKeys, "a mapping with ca, cert and key (all optional)",
                               "write e.g. tls: {ca: /etc/nats/ca.pem}");
    if (!tls) return;
    out.enabled = true;
    const auto file = [&](std::string_view key, std::filesystem::path& into) {
      if (auto v = tls->get(key)) {
        const std::string example = std::string(key) + ": /etc/nats/" + std::string(key) + ".pem";
        if (auto text = reader_.text(*v, "a PEM file path", example))
          into = resolve_config_path(base_, *text);
      }
    };
    file("ca", out.ca);
    file("cert", out.cert);
    file("key", out.key);
    if (out.cert.empty() != out.key.empty()) {
      const bool has_cert = !out.cert.empty();
      reader_.report(
          tls->self().location,
          tls->self().path + (has_cert ? " has a cert but no key" : " has a key but no cert"),
          "cert and key together (mutual TLS), or neither", has_cert ? "only cert" : "only key",
          has_cert ? "add key: with the certificate's private key"
                   : "add cert: with the client certificate");
    }
  }

  void secret(const YamlMapping& s, std::string_view key, SecretSource& out) {
    const std::string env_example = key == "token"  ? "NATS_TOKEN"
                                    : key == "user" ? "NATS_USER"
                                                    : "NATS_PASSWORD";
    parse_secret_source(reader_, s, key, base_, env_example, out);
  }

  void check_credentials(const YamlMapping& s, const NatsConfig& out) {
    const YamlValue& self = s.self();
    if (!out.token.empty() && (!out.user.empty() || !out.password.empty())) {
      reader_.report(s.get("token")->location, self.path + " has both a token and a user/password",
                     "one way to authenticate", "token and user/password",
                     "keep either token: or user: with password:");
    }
    if (out.user.empty() != out.password.empty()) {
      const bool has_user = !out.user.empty();
      reader_.report(
          (has_user ? s.get("user") : s.get("password"))->location,
          self.path + (has_user ? " has a user but no password" : " has a password but no user"),
          "user and password together", has_user ? "only user" : "only password",
          has_user ? "add password: {file: ...} or {env: ...}"
                   : "add user: {file: ...} or {env: ...}");
    }
    if (!out.credentials.empty() && (!out.token.empty() || !out.user.empty())) {
      reader_.report(s.get("credentials")->location,
                     self.path + " has a credentials file and a token or user",
                     "one way to authenticate", "credentials and another",
                     "keep credentials: alone; it holds the user's JWT and key");
    }
  }

  ConfigReader& reader_;
  const std::filesystem::path& base_;
};

}  // namespace

bool is_valid_nats_name(std::string_view name) {
  if (name.empty() || name.size() > 200) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_valid_nats_subject(std::string_view subject) {
  if (subject.empty() || subject.size() > 1000) return false;
  size_t start = 0;
  while (true) {
    const size_t dot = subject.find('.', start);
    const std::string_view token =
        subject.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (token.empty()) return false;
    for (char c : token) {
      if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F) return false;
    }
    if (token.find_first_of("*>") != std::string_view::npos && token.size() != 1) return false;
    if (token == ">" && dot != std::string_view::npos) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

void parse_nats_config(ConfigReader& reader, const YamlValue& value,
                       const std::filesystem::path& base, NatsConfig& out) {
  NatsConfigParser(reader, base).parse(value, out);
}

}  // namespace kph::host::config
