// The 1.0 ABI's numbers, compiled against the frozen 1.0 header and against the current one,
// must agree: constants keep their values, fields keep their offsets, and structs only grow.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "layout_probe.h"

namespace {

std::map<std::string, kph_layout_entry> entries(const kph_layout_entry* list, size_t count) {
  std::map<std::string, kph_layout_entry> out;
  for (size_t i = 0; i < count; ++i) out[list[i].name] = list[i];
  return out;
}

TEST(AbiLayout, CurrentHeaderKeepsEveryNumberOfThe10Header) {
  size_t frozen_count = 0, current_count = 0;
  const kph_layout_entry* frozen_list = kph_layout_frozen_1_0(&frozen_count);
  const kph_layout_entry* current_list = kph_layout_current(&current_count);
  const auto frozen = entries(frozen_list, frozen_count);
  const auto current = entries(current_list, current_count);
  ASSERT_GT(frozen.size(), 30u);
  ASSERT_EQ(frozen.size(), current.size());
  for (const auto& [name, was] : frozen) {
    const auto& now = current.at(name);
    if (was.may_grow) {
      EXPECT_GE(now.value, was.value) << name << " shrank: structs only grow at the end";
    } else {
      EXPECT_EQ(now.value, was.value) << name << " changed since 1.0.0";
    }
  }
}

}  // namespace
