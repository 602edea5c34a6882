#include "runtime/bounded_queue.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kph::host
