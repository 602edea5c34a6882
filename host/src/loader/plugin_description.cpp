// describe_plugin and describe_plugin_markdown: what `keptn-host plugin inspect` prints.
#include <kph/plugin_api.h>

#include <algorithm>
#include <string>
#include <vector>

#include "loader/plugin_library.hpp"

namespace kph::host {
namespace {

// One row of the config-fields table.
struct Field {
  std::string name;
  std::string type;
  std::string default_value;
  std::string description;
  bool required = false;
};

// Markdown table cells hold one line and no bare '|'.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string code(const std::string& text) { return text.empty() ? "" : "`" + text + "`"; }

std::string type_of(const nlohmann::json& schema) {
  if (!schema.is_object()) return "";
  auto type = schema.find("type");
  std::string text;
  if (type != schema.end() && type->is_string()) {
    text = type->get<std::string>();
  } else if (type != schema.end() && type->is_array()) {
    for (const auto& t : *type) {
      if (!t.is_string()) continue;
      if (!text.empty()) text += " or ";
      text += t.get<std::string>();
    }
  }
  if (text == "array") {
    auto items = schema.find("items");
    if (items != schema.end()) {
      const std::string item_type = type_of(*items);
      if (!item_type.empty()) text = "array of " + item_type;
    }
  }
  if (auto values = schema.find("enum"); values != schema.end() && values->is_array()) {
    std::string options;
    for (const auto& v : *values) {
      if (!options.empty()) options += ", ";
      options += v.dump();
    }
    text = (text.empty() ? "" : text + ": ") + "one of " + options;
  }
  return text;
}

// Walks the schema's properties; nested objects with properties of their own are listed with
// dotted names, since a vendor's config is often one or two levels deep.
void collect_fields(const nlohmann::json& schema, const std::string& prefix, int depth,
                    std::vector<Field>& out) {
  if (!schema.is_object() || depth > 4) return;
  auto properties = schema.find("properties");
  if (properties == schema.end() || !properties->is_object()) return;
  std::vector<std::string> required;
  if (auto list = schema.find("required"); list != schema.end() && list->is_array()) {
    for (const auto& r : *list) {
      if (r.is_string()) required.push_back(r.get<std::string>());
    }
  }
  for (const auto& [key, property] : properties->items()) {
    Field field;
    field.name = prefix + key;
    field.type = type_of(property);
    field.required = std::find(required.begin(), required.end(), key) != required.end();
    if (property.is_object()) {
      if (auto d = property.find("default"); d != property.end()) field.default_value = d->dump();
      if (auto d = property.find("description"); d != property.end() && d->is_string()) {
        field.description = d->get<std::string>();
      } else if (auto t = property.find("title"); t != property.end() && t->is_string()) {
        field.description = t->get<std::string>();
      }
    }
    out.push_back(field);
    collect_fields(property, field.name + ".", depth + 1, out);
  }
}

}  // namespace

nlohmann::json describe_plugin(const PluginLibrary& library) {
  const auto& meta = library.metadata();
  const auto& hooks = library.hooks();
  nlohmann::json out;
  out["file"] = library.file().string();
  out["name"] = meta.name;
  out["version"] = meta.version;
  out["vendor"] = meta.vendor;
  out["description"] = meta.description;
  out["requiredApiVersion"] = meta.required_api_version;
  out["hostApiVersion"] = KPH_PLUGIN_API_VERSION_STR;
  out["subscriptions"] = meta.subscriptions;
  out["configSchema"] = meta.config_schema;
  out["maxConcurrency"] =
      meta.max_concurrency ? nlohmann::json(*meta.max_concurrency) : nlohmann::json(nullptr);
  out["resumable"] = meta.resumable;
  out["hooks"] = {{"acceptTask", hooks.accept_task != nullptr},
                  {"onChildEvent", hooks.on_child_event != nullptr},
                  {"cancelTask", hooks.cancel_task != nullptr}};
  return out;
}

std::string describe_plugin_markdown(const PluginLibrary& library) {
  const auto& meta = library.metadata();
  const auto& hooks = library.hooks();
  std::string md = "## " + meta.name + "\n\n";
  if (!meta.description.empty()) md += meta.description + "\n\n";

  std::string optional_hooks;
  auto add_hook = [&](bool present, const char* name) {
    if (!present) return;
    if (!optional_hooks.empty()) optional_hooks += ", ";
    optional_hooks += code(name);
  };
  add_hook(hooks.accept_task != nullptr, "kph_plugin_accept_task");
  add_hook(hooks.on_child_event != nullptr, "kph_plugin_on_child_event");
  add_hook(hooks.cancel_task != nullptr, "kph_plugin_cancel_task");

  md += "| Property | Value |\n|---|---|\n";
  md += "| Name | " + code(meta.name) + " |\n";
  md += "| Version | " + cell(meta.version) + " |\n";
  md += "| Vendor | " + cell(meta.vendor) + " |\n";
  md += "| Plugin API | " + cell(meta.required_api_version) + " |\n";
  md += "| Max concurrency | " +
        (meta.max_concurrency ? std::to_string(*meta.max_concurrency)
                              : std::string("no limit beyond the host config")) +
        " |\n";
  md += "| Resumable | " + std::string(meta.resumable ? "yes" : "no") + " |\n";
  md += "| Optional hooks | " + (optional_hooks.empty() ? std::string("none") : optional_hooks) +
        " |\n\n";

  md += "### Subscriptions\n\n";
  for (const auto& s : meta.subscriptions) md += "- " + code(s) + "\n";
  md += "\n### Configuration\n\n";
  if (meta.config_schema.is_null()) {
    md += "The plugin declares no config schema: any JSON object is accepted.\n";
    return md;
  }
  std::vector<Field> fields;
  collect_fields(meta.config_schema, "", 0, fields);
  if (fields.empty()) {
    md += "The plugin's config schema lists no fields.\n";
    return md;
  }
  md += "| Field | Type | Default | Required | Description |\n|---|---|---|---|---|\n";
  for (const auto& f : fields) {
    md += "| " + code(cell(f.name)) + " | " + cell(f.type) + " | " + code(cell(f.default_value)) +
          " | " + (f.required ? "yes" : "no") + " | " + cell(f.description) + " |\n";
  }
  return md;
}

}  // namespace kph::host
