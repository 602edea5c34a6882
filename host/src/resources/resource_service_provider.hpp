// Resources from Keptn's resource-service REST API (Keptn >= 0.16), in the cluster
// (http://resource-service:8080) or behind the Keptn API (https://<keptn>/api/resource-service)
// with an x-token. The service, stage and project levels are separate GETs, tried in order;
// 404 means "not at this level". The event's gitcommitid goes along as ?gitCommitID=.
#pragma once

#include <kph/host/resource_provider.hpp>

#include <Poco/Net/Context.h>

#include <memory>
#include <string>

#include "config/resources_settings.hpp"
#include "resources/resource_lookup.hpp"

namespace kph::host {

class ResourceServiceProvider : public ResourceProvider {
 public:
  // `setting` names the config block in messages. An Error for a URL Poco cannot parse or a
  // CA file it cannot load. Sends nothing yet.
  static Result<std::unique_ptr<ResourceServiceProvider>> create(
      const ResourceServiceConfig& config, std::string setting = "resources.resourceService");
  ~ResourceServiceProvider() override;

  // Thread: any thread, thread-safe (one HTTP session per request). Blocks for at most
  // (retries + 1) * timeout plus the retry delays per level.
  Result<std::optional<std::string>> get(const ResourceRequest& request) override;

 private:
  struct Reply {
    int status = 0;
    std::string body;
  };

  ResourceServiceProvider(ResourceServiceConfig config, std::string setting);
  // One level, with retries: the content, nullopt on 404, or an Error.
  Result<std::optional<std::string>> get_level(const ResourceRequest& request, ResourceLevel level,
                                               const std::string& token);
  // One HTTP exchange; throws Poco exceptions on network failures and timeouts.
  Reply exchange(const std::string& target, const std::string& token) const;

  ResourceServiceConfig config_;
  std::string setting_;
  std::string scheme_;
  std::string host_;
  uint16_t port_ = 0;
  std::string base_path_;
  Poco::Net::Context::Ptr tls_;
};

}  // namespace kph::host
