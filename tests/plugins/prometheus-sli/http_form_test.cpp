#include "http_form.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::prometheus_sli {
namespace {

TEST(HttpForm, EncodesTheReferenceRequestBody) {
  EXPECT_EQ(
      form_encode(
          {{"time", "1649255779.667"},
           {"query", "sum(rate(http_requests_total{job='carts-sockshop-staging-canary'}[76s]))"}}),
      "query=sum%28rate%28http_requests_total%7Bjob%3D%27carts-sockshop-staging-canary%27%7D"
      "%5B76s%5D%29%29&time=1649255779.667");
}

TEST(HttpForm, SpacesBecomePlusAndBytesArePercentEncoded) {
  EXPECT_EQ(form_escape("a b+c/\n\xc3\xa9~._-"), "a+b%2Bc%2F%0A%C3%A9~._-");
}

TEST(HttpForm, KeysAreSortedAndValuesOfOneKeyKeepTheirOrder) {
  EXPECT_EQ(form_encode({{"b", "1"}, {"a", "2"}, {"b", "0"}}), "a=2&b=1&b=0");
}

}  // namespace
}  // namespace kph::plugins::prometheus_sli
