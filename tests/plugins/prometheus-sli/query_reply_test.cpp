#include "query_reply.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::prometheus_sli {
namespace {

std::string vector_reply(const std::string& samples) {
  return R"({"status":"success","data":{"resultType":"vector","result":[)" + samples + "]}}";
}

std::string sample(const std::string& value, const std::string& labels = "{}") {
  return R"({"metric":)" + labels + R"(,"value":[1649255779.667,")" + value + R"("]})";
}

struct ReplyCase {
  const char* name;
  int status;
  std::string body;
  bool success;
  double value;
  const char* message;  // a part the message must contain
};

class QueryReply : public ::testing::TestWithParam<ReplyCase> {};

TEST_P(QueryReply, IsReadAsExpected) {
  const auto& c = GetParam();
  const auto outcome = interpret_query_reply(c.status, c.body);
  EXPECT_EQ(outcome.success, c.success) << outcome.message;
  EXPECT_EQ(outcome.value, c.value);
  if (c.success) {
    EXPECT_TRUE(outcome.message.empty());
  } else {
    EXPECT_NE(outcome.message.find(c.message), std::string::npos) << outcome.message;
  }
}

const std::string kBadData =
    R"({"status":"error","errorType":"bad_data","error":"1:12: parse error: missing unit"})";

INSTANTIATE_TEST_SUITE_P(
    Cases, QueryReply,
    ::testing::Values(
        ReplyCase{"one_sample", 200, vector_reply(sample("0.2011", R"({"pod":"a"})")), true, 0.2011,
                  ""},
        ReplyCase{"whole_number", 200, vector_reply(sample("2")), true, 2, ""},
        ReplyCase{"exponent", 200, vector_reply(sample("1.5e-7")), true, 1.5e-7, ""},
        ReplyCase{"negative", 200, vector_reply(sample("-3.25")), true, -3.25, ""},
        ReplyCase{"empty_vector", 200, vector_reply(""), false, 0,
                  "query did not return any values"},
        ReplyCase{"two_series", 200,
                  vector_reply(sample("1", R"({"pod":"a"})") + "," + sample("2", R"({"pod":"b"})")),
                  false, 0,
                  "query did return multiple values: 2 series ({pod=\"a\"}, {pod=\"b\"})"},
        ReplyCase{"nan", 200, vector_reply(sample("NaN")), false, 0,
                  "query did not return valid values: the value is NaN"},
        ReplyCase{"plus_inf", 200, vector_reply(sample("+Inf")), false, 0,
                  "query did not return valid values: the value is +Inf"},
        ReplyCase{"minus_inf", 200, vector_reply(sample("-Inf")), false, 0, "-Inf"},
        ReplyCase{"value_not_number", 200, vector_reply(sample("abc")), false, 0,
                  "unable to query prometheus api: bad_response: sample value 'abc'"},
        ReplyCase{"sample_without_value", 200, vector_reply(R"({"metric":{}})"), false, 0,
                  "bad_response"},
        ReplyCase{"scalar", 200,
                  R"({"status":"success","data":{"resultType":"scalar","result":[1.5,"1"]}})",
                  false, 0, "prometheus api response is not a Vector: scalar: 1"},
        ReplyCase{"matrix", 200,
                  R"({"status":"success","data":{"resultType":"matrix","result":[{}]}})", false, 0,
                  "prometheus api response is not a Vector: matrix of 1 series"},
        ReplyCase{"string", 200,
                  R"({"status":"success","data":{"resultType":"string","result":[1,"a"]}})", false,
                  0, "unable to query prometheus api: unexpected value type \"string\""},
        ReplyCase{"bad_data_400", 400, kBadData, false, 0,
                  "unable to query prometheus api: bad_data: 1:12: parse error: missing unit"},
        ReplyCase{"execution_422", 422,
                  R"({"status":"error","errorType":"execution","error":"boom"})", false, 0,
                  "unable to query prometheus api: execution: boom"},
        ReplyCase{"400_not_json", 400, "Client sent an HTTP request to an HTTPS server.\n", false,
                  0,
                  "bad_response: HTTP 400 and the reply is not JSON: 'Client sent an HTTP "
                  "request to an HTTPS server.'"},
        ReplyCase{"400_success_body", 400, R"({"status":"success"})", false, 0,
                  "bad_response: inconsistent body for response code 400"},
        ReplyCase{"401", 401, "Unauthorized", false, 0,
                  "unable to query prometheus api: client_error: client error: 401 (Prometheus "
                  "or a proxy in front of it refused the credentials"},
        ReplyCase{"403", 403, "", false, 0, "client error: 403"},
        ReplyCase{"404", 404, "", false, 0, "client error: 404 (no Prometheus API at this URL"},
        ReplyCase{"503_timeout", 503,
                  R"({"status":"error","errorType":"timeout","error":"query timed out"})", false, 0,
                  "server_error: server error: 503 (timeout: query timed out)"},
        ReplyCase{"500_html", 500, "<html>", false, 0, "server_error: server error: 500"},
        ReplyCase{"302", 302, "", false, 0, "bad_response: bad response code 302"},
        ReplyCase{"200_not_json", 200, "<html>\n<body>", false, 0,
                  "bad_response: the reply is not a JSON object (is the URL a Prometheus "
                  "server?): '<html> <body>'"},
        ReplyCase{"200_error_status", 200, kBadData, false, 0, "bad_data: 1:12"},
        ReplyCase{"200_no_data", 200, R"({"status":"success"})", false, 0,
                  "bad_response: reply has no data object"},
        ReplyCase{"200_result_not_list", 200,
                  R"({"status":"success","data":{"resultType":"vector","result":{}}})", false, 0,
                  "data.result is not a list"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace kph::plugins::prometheus_sli
