#include "get_sli_request.hpp"

namespace kph::plugins::prometheus_sli {
namespace {

using nlohmann::json;

std::string found(const json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text.replace(57, std::string::npos, "...");
  std::string out = value.type_name();
  out.append(" ").append(text);
  return out;
}

std::string type_mismatch(const std::string& field, const std::string& expected,
                          const json& value) {
  return "field '" + field + "': expected " + expected + ", found " + found(value);
}

// A string field that may be absent or null (both read as "").
bool read_string(const json& object, const char* key, const std::string& field, std::string& out,
                 std::string& error) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_string()) {
    error = type_mismatch(field, "a string", *it);
    return false;
  }
  out = it->get<std::string>();
  return true;
}

}  // namespace

std::optional<std::string> sli_provider_of(const json& data) {
  if (!data.is_object()) return std::nullopt;
  auto get_sli = data.find("get-sli");
  if (get_sli == data.end() || !get_sli->is_object()) return std::nullopt;
  auto provider = get_sli->find("sliProvider");
  if (provider == get_sli->end() || !provider->is_string()) return std::nullopt;
  return provider->get<std::string>();
}

Parsed<GetSliRequest> parse_get_sli_request(const json& data) {
  using Result = Parsed<GetSliRequest>;
  if (!data.is_object()) return Result::failure(type_mismatch("data", "an object", data));
  GetSliRequest request;
  std::string error;
  if (!read_string(data, "project", "project", request.project, error) ||
      !read_string(data, "stage", "stage", request.stage, error) ||
      !read_string(data, "service", "service", request.service, error)) {
    return Result::failure(error);
  }

  std::optional<std::string> label_deployment;
  if (auto labels = data.find("labels"); labels != data.end() && !labels->is_null()) {
    if (!labels->is_object()) return Result::failure(type_mismatch("labels", "an object", *labels));
    for (const auto& [name, value] : labels->items()) {
      if (!value.is_string()) {
        return Result::failure(type_mismatch("labels." + name, "a string", value));
      }
      request.labels.emplace_back(name, value.get<std::string>());
      if (name == "deployment") label_deployment = value.get<std::string>();
    }
  }
  std::string deployment;
  if (!read_string(data, "deployment", "deployment", deployment, error)) {
    return Result::failure(error);
  }
  // Keptn's order: a `deployment` label wins over the field lighthouse fills in.
  request.deployment = label_deployment      ? *label_deployment
                       : !deployment.empty() ? deployment
                                             : "primary";

  auto get_sli = data.find("get-sli");
  if (get_sli == data.end() || !get_sli->is_object()) {
    return Result::failure(get_sli == data.end()
                               ? "field 'get-sli': missing; expected an object with sliProvider, "
                                 "start, end and indicators"
                               : type_mismatch("get-sli", "an object", *get_sli));
  }
  if (!read_string(*get_sli, "start", "get-sli.start", request.start, error) ||
      !read_string(*get_sli, "end", "get-sli.end", request.end, error)) {
    return Result::failure(error);
  }
  if (auto indicators = get_sli->find("indicators");
      indicators != get_sli->end() && !indicators->is_null()) {
    if (!indicators->is_array()) {
      return Result::failure(
          type_mismatch("get-sli.indicators", "a list of indicator names", *indicators));
    }
    for (size_t i = 0; i < indicators->size(); ++i) {
      const json& name = (*indicators)[i];
      if (!name.is_string()) {
        return Result::failure(type_mismatch("get-sli.indicators[" + std::to_string(i) + "]",
                                             "an indicator name (string)", name));
      }
      request.indicators.push_back(name.get<std::string>());
    }
  }
  if (auto filters = get_sli->find("customFilters");
      filters != get_sli->end() && !filters->is_null()) {
    if (!filters->is_array()) {
      return Result::failure(
          type_mismatch("get-sli.customFilters", "a list of {key, value} objects", *filters));
    }
    for (size_t i = 0; i < filters->size(); ++i) {
      const json& entry = (*filters)[i];
      const std::string field = "get-sli.customFilters[" + std::to_string(i) + "]";
      if (!entry.is_object()) {
        return Result::failure(type_mismatch(field, "an object {key, value}", entry));
      }
      CustomFilter filter;
      if (!read_string(entry, "key", field + ".key", filter.key, error) ||
          !read_string(entry, "value", field + ".value", filter.value, error)) {
        return Result::failure(error);
      }
      request.filters.push_back(std::move(filter));
    }
  }
  return Result::success(std::move(request));
}

}  // namespace kph::plugins::prometheus_sli
