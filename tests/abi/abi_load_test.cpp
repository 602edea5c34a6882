// Each ABI test plugin through the real PluginLibrary::load: the good ones load with the
// hooks and metadata they export, the bad ones are refused with a message that names the
// file, what was expected, what was found and the fix.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <kph/plugin_api.h>

#include "abi_plugins.hpp"
#include "loader/plugin_library.hpp"
#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

using testing::abi::plugin;

std::shared_ptr<const PluginLibrary> load_ok(const std::string& name) {
  auto loaded = PluginLibrary::load(plugin(name));
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.error().message;
    return nullptr;
  }
  return loaded.value();
}

// Loads a plugin that must be refused and returns the message, after checking that it names
// the file and says what to do.
std::string refusal(const std::string& name) {
  auto loaded = PluginLibrary::load(plugin(name));
  if (loaded.ok()) {
    ADD_FAILURE() << name << " loaded, but must be refused";
    return {};
  }
  const std::string& message = loaded.error().message;
  EXPECT_NE(message.find(plugin(name).string()), std::string::npos) << message;
  EXPECT_NE(message.find("Fix: "), std::string::npos) << message;
  return message;
}

#define EXPECT_HAS(text, part) \
  EXPECT_NE((text).find(part), std::string::npos) << "missing \"" << (part) << "\" in:\n" << (text)

void expect_required_hooks(const PluginHooks& hooks) {
  EXPECT_NE(hooks.get_required_api_version, nullptr);
  EXPECT_NE(hooks.get_metadata, nullptr);
  EXPECT_NE(hooks.create, nullptr);
  EXPECT_NE(hooks.destroy, nullptr);
  EXPECT_NE(hooks.get_last_error, nullptr);
  EXPECT_NE(hooks.handle_task, nullptr);
}

TEST(AbiLoad, NoOpPluginLoadsWithItsMetadataAndSchema) {
  auto library = load_ok("no_op");
  ASSERT_NE(library, nullptr);
  expect_required_hooks(library->hooks());
  // KPH_PLUGIN generates every optional hook too.
  EXPECT_NE(library->hooks().accept_task, nullptr);
  EXPECT_NE(library->hooks().on_child_event, nullptr);
  EXPECT_NE(library->hooks().cancel_task, nullptr);
  const auto& meta = library->metadata();
  EXPECT_EQ(meta.name, "no-op");
  EXPECT_EQ(meta.required_api_version, KPH_PLUGIN_API_VERSION_STR);
  EXPECT_EQ(meta.subscriptions, std::vector<std::string>{"sh.keptn.event.test.triggered"});

  EXPECT_TRUE(library->validate_config({{"message", "hi"}}, "test.yaml:1:1").ok());
  const auto wrong = library->validate_config({{"message", 5}, {"other", 1}}, "test.yaml:4:7");
  ASSERT_FALSE(wrong.ok());
  EXPECT_HAS(wrong.error().message, "test.yaml:4:7");
  EXPECT_HAS(wrong.error().message, "at /message (found 5)");
  EXPECT_HAS(wrong.error().message, "other");
}

TEST(AbiLoad, PlainCPluginLoadsWithEveryHook) {
  auto library = load_ok("c_plugin");
  ASSERT_NE(library, nullptr);
  expect_required_hooks(library->hooks());
  EXPECT_NE(library->hooks().accept_task, nullptr);
  EXPECT_NE(library->hooks().on_child_event, nullptr);
  EXPECT_NE(library->hooks().cancel_task, nullptr);
  EXPECT_EQ(library->metadata().name, "c-plugin");
  EXPECT_EQ(library->metadata().max_concurrency, 2u);
  EXPECT_FALSE(library->validate_config({{"unexpected", true}}, "here").ok());
}

TEST(AbiLoad, PluginBuiltAgainstTheFrozen10HeaderKeepsLoading) {
  auto library = load_ok("frozen_1_0");
  ASSERT_NE(library, nullptr);
  expect_required_hooks(library->hooks());
  EXPECT_EQ(library->metadata().required_api_version, "1.0.0");
  EXPECT_EQ(library->metadata().max_concurrency, 1u);
  const auto described = describe_plugin(*library);
  EXPECT_EQ(described["hooks"],
            (nlohmann::json{{"acceptTask", true}, {"onChildEvent", true}, {"cancelTask", true}}));
}

TEST(AbiLoad, PluginWithoutOptionalHooksHasThemNull) {
  auto library = load_ok("emits_after_destroy");
  ASSERT_NE(library, nullptr);
  expect_required_hooks(library->hooks());
  EXPECT_EQ(library->hooks().accept_task, nullptr);
  EXPECT_EQ(library->hooks().on_child_event, nullptr);
  EXPECT_EQ(library->hooks().cancel_task, nullptr);
}

TEST(AbiLoad, MissingRequiredSymbolIsRefusedNamingIt) {
  const auto message = refusal("missing_required_symbol");
  EXPECT_HAS(message, "a required symbol is missing");
  EXPECT_HAS(message, "found no kph_plugin_handle_task");
  EXPECT_HAS(message, "Fix: export kph_plugin_handle_task");
}

TEST(AbiLoad, ApiMajorMismatchIsRefusedWithBothVersionsAndTheRule) {
  const auto message = refusal("api_major_mismatch");
  EXPECT_HAS(message, "built for plugin API 2.0.0");
  EXPECT_HAS(message, std::string("this host implements plugin API ") + KPH_PLUGIN_API_VERSION_STR);
  EXPECT_HAS(message, "\"majors must be equal\" failed");
  EXPECT_HAS(message, "expected major 1, found major 2");
  EXPECT_HAS(message, "rebuild the plugin against plugin_api.h 1.x");
}

TEST(AbiLoad, ApiMinorNewerThanTheHostIsRefused) {
  const auto message = refusal("api_minor_newer");
  EXPECT_HAS(message, "built for plugin API 1.99.0");
  EXPECT_HAS(message, std::string("this host implements plugin API ") + KPH_PLUGIN_API_VERSION_STR);
  EXPECT_HAS(message, "\"the host's minor must be at least the plugin's\" failed");
  EXPECT_HAS(message, "found minor 99");
  EXPECT_HAS(message, "upgrade keptn-host to a release that implements plugin API 1.99");
}

TEST(AbiLoad, MalformedApiVersionIsItsOwnRefusal) {
  const auto message = refusal("api_malformed");
  EXPECT_HAS(message, "malformed version");
  EXPECT_HAS(message, "found \"one.zero\"");
  EXPECT_HAS(message, "return KPH_PLUGIN_API_VERSION_STR");
}

TEST(AbiLoad, BadMetadataIsRefusedListingEveryDefect) {
  const auto message = refusal("bad_metadata");
  EXPECT_HAS(message, "5 defects");
  EXPECT_HAS(message,
             "\"name\": expected a string of lower-case letters, digits and '-', "
             "found \"Bad Name\"");
  EXPECT_HAS(message, "\"version\": expected a semantic version");
  EXPECT_HAS(message, "\"vendor\": expected a non-empty string (required), found nothing");
  EXPECT_HAS(message, "\"subscriptions\": expected a non-empty array");
  EXPECT_HAS(message, "\"maxConcurrency\": expected a positive integer");
}

TEST(AbiLoad, UnresolvedSymbolFailsAtLoadNotMidTask) {
  const auto message = refusal("unresolved_symbol");
  EXPECT_HAS(message, "the dynamic loader refused it");
  EXPECT_HAS(message, "kph_test_function_nobody_defines");
  EXPECT_HAS(message, "-Wl,--no-undefined");
}

TEST(AbiLoad, CreateFailsPluginLoadsAndItsCreateReportsTheReason) {
  auto library = load_ok("create_fails");
  ASSERT_NE(library, nullptr);
  // A vtable that is never called: the constructor throws first.
  kph_host_api api{};
  api.struct_size = sizeof api;
  const std::string config = "{}";
  kph_create_input input{};
  input.struct_size = sizeof input;
  input.host = &api;
  input.instance_name_host = "create-fails";
  input.config_json_host = config.data();
  input.config_len = config.size();
  kph_result rc = KPH_OK;
  kph_plugin_state* state = library->hooks().create(&input, &rc);
  EXPECT_EQ(rc, KPH_ERROR);
  EXPECT_EQ(state, nullptr);
  EXPECT_STREQ(library->hooks().get_last_error(nullptr),
               "create-fails: this plugin never starts, on purpose");
}

TEST(AbiLoad, LibraryStaysLoadedAfterTheLastReferenceIsGone) {
  // A private copy, so that no other test holds the same library.
  testing::TempDir dir;
  const auto copy = dir.path() / "no_op_copy.so";
  std::filesystem::copy_file(plugin("no_op"), copy);
  auto loaded = PluginLibrary::load(copy);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const auto get_metadata = loaded.value()->hooks().get_metadata;
  loaded = Error{"released"};
  // RTLD_NODELETE: the code stays mapped and callable, because a plugin thread may still be
  // in it; an upgrade is a restart.
  void* still = ::dlopen(copy.c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_NE(still, nullptr);
  if (still != nullptr) ::dlclose(still);
  EXPECT_NE(std::string(get_metadata()).find("\"no-op\""), std::string::npos);
}

TEST(AbiLoad, TwoCopiesOfAPluginDoNotShareSymbols) {
  // RTLD_LOCAL: each library resolves its own kph_plugin_* even when the names are equal.
  testing::TempDir dir;
  const auto copy = dir.path() / "c_plugin_copy.so";
  std::filesystem::copy_file(plugin("c_plugin"), copy);
  auto original = load_ok("c_plugin");
  auto second = PluginLibrary::load(copy);
  ASSERT_NE(original, nullptr);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_NE(original->hooks().handle_task, second.value()->hooks().handle_task);
}

}  // namespace
}  // namespace kph::host
