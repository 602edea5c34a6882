#include "runtime/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace kph::host {
namespace {

TEST(BoundedQueue, UrgentItemsSkipTheLineAndTheBound) {
  BoundedQueue<int> queue(2);
  ASSERT_TRUE(queue.push(1));
  ASSERT_TRUE(queue.push(2));
  // Full for ordinary items, yet the next step of work under way still gets in, and first.
  ASSERT_TRUE(queue.push_urgent(10));
  ASSERT_TRUE(queue.push_urgent(11));
  EXPECT_EQ(queue.size(), 4u);
  EXPECT_EQ(queue.pop(), 10);
  EXPECT_EQ(queue.pop(), 11);
  EXPECT_EQ(queue.pop(), 1);
  EXPECT_EQ(queue.pop(), 2);
}

TEST(BoundedQueue, AnUrgentItemWakesAWaitingConsumer) {
  BoundedQueue<int> queue(1);
  std::optional<int> popped;
  std::thread consumer([&] { popped = queue.pop(); });
  ASSERT_TRUE(queue.push_urgent(7));
  consumer.join();
  EXPECT_EQ(popped, 7);
}

TEST(BoundedQueue, AClosedQueueRefusesUrgentItemsAndDrainsBothKinds) {
  BoundedQueue<int> queue(4);
  ASSERT_TRUE(queue.push(1));
  ASSERT_TRUE(queue.push_urgent(2));
  queue.close();
  EXPECT_FALSE(queue.push_urgent(3));
  EXPECT_FALSE(queue.push(4));
  const auto left = queue.drain();
  EXPECT_EQ(std::vector<int>(left.begin(), left.end()), (std::vector<int>{2, 1}));
  EXPECT_EQ(queue.pop(), std::nullopt);
}

TEST(BoundedQueue, AGatedPopTakesOrdinaryItemsOnlyWhenTheGateSaysSo) {
  BoundedQueue<int> queue(4);
  ASSERT_TRUE(queue.push(1));
  ASSERT_TRUE(queue.push(2));
  std::atomic<int> slots{1};
  auto take_slot = [&] {
    if (slots.load() == 0) return false;
    --slots;
    return true;
  };
  bool urgent = true;
  EXPECT_EQ(queue.pop(take_slot, urgent), 1);
  EXPECT_FALSE(urgent);
  EXPECT_EQ(slots.load(), 0);
  // No slot: an urgent item still comes, and takes none.
  ASSERT_TRUE(queue.push_urgent(10));
  EXPECT_EQ(queue.pop(take_slot, urgent), 10);
  EXPECT_TRUE(urgent);
  EXPECT_EQ(queue.size(), 1u);
  // A consumer without a slot waits; a freed slot and a recheck let it take the item.
  std::optional<int> popped;
  std::thread consumer([&] {
    bool kind = true;
    popped = queue.pop(take_slot, kind);
  });
  slots = 1;
  queue.recheck();
  consumer.join();
  EXPECT_EQ(popped, 2);
  EXPECT_EQ(slots.load(), 0);
}

TEST(BoundedQueue, AGatedPopEndsWhenTheQueueClosesWithNothingItMayTake) {
  BoundedQueue<int> queue(4);
  ASSERT_TRUE(queue.push(1));
  std::optional<int> popped = 0;
  std::thread consumer([&] {
    bool kind = true;
    popped = queue.pop([] { return false; }, kind);
  });
  queue.close();
  consumer.join();
  EXPECT_EQ(popped, std::nullopt);
}

}  // namespace
}  // namespace kph::host
