#include "common/ids.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <thread>
#include <unordered_set>
#include <vector>

namespace kph::host {
namespace {

TEST(NewUuid, IsALowerCaseRandomVersion4Uuid) {
  const std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 1000; ++i) {
    const std::string id = new_uuid();
    ASSERT_TRUE(std::regex_match(id, form)) << id;
  }
}

TEST(NewUuid, NeverRepeatsAcrossThreads) {
  std::mutex mutex;
  std::unordered_set<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 5000; ++i) mine.push_back(new_uuid());
      std::lock_guard<std::mutex> lock(mutex);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(seen.size(), 8u * 5000u);
}

}  // namespace
}  // namespace kph::host
