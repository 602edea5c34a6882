#include "config/yaml_document.hpp"

#include <sstream>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

namespace kph::host::config {
namespace {

// Notes where each document starts and ignores everything else.
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { last_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark last_start;
};

YamlSyntaxError from_exception(const YAML::ParserException& error) {
  return YamlSyntaxError{error.mark, error.msg, 0, false};
}

}  // namespace

std::variant<YamlDocuments, YamlSyntaxError> parse_yaml_documents(const std::string& text) {
  YamlDocuments out;
  try {
    // Pass 1: count documents (up to a few) and make sure the parser progresses.
    std::istringstream input(text);
    YAML::Parser parser(input);
    DocumentStarts starts;
    size_t documents = 0;
    int previous_start = -1;
    while (documents < 3 && parser.HandleNextDocument(starts)) {
      ++documents;
      if (documents > 1 && starts.last_start.pos == previous_start) {
        return YamlSyntaxError{starts.last_start, "the parser cannot continue here", 0, true};
      }
      if (documents == 2) out.second_mark = starts.last_start;
      previous_start = starts.last_start.pos;
    }
    out.count = documents > 1 ? 2 : documents;
    // Pass 2: the first document's tree. YAML::Load reads one document, so it cannot loop.
    if (documents > 0) out.first = YAML::Load(text);
  } catch (const YAML::DeepRecursion& error) {
    auto failure = from_exception(error);
    failure.too_deep_at = error.depth();
    return failure;
  } catch (const YAML::ParserException& error) {
    return from_exception(error);
  } catch (const YAML::Exception& error) {
    return YamlSyntaxError{error.mark, error.msg, 0, false};
  }
  return out;
}

}  // namespace kph::host::config
