#include "observability/metrics_registry.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string_view>

#include "observability/text_format.hpp"

namespace kph::host {

class MetricsRegistry::Family {
 public:
  Family(std::string name, std::string help, std::string type, std::vector<std::string> label_names)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(std::move(type)),
        label_names_(std::move(label_names)) {}
  virtual ~Family() = default;

  const std::string& name() const { return name_; }

  void render(std::string& out) const {
    out += "# HELP ";
    out += name_;
    out += ' ';
    append_help_text(out, help_);
    out += "\n# TYPE ";
    out += name_;
    out += ' ';
    out += type_;
    out += '\n';
    render_samples(out);
  }

 protected:
  virtual void render_samples(std::string& out) const = 0;

  // `name{label="value",...,extra="..."} value\n`; braces only when there are labels.
  template <typename Value>
  void sample(std::string& out, std::string_view suffix, const LabelValues& values, Value value,
              std::string_view extra_label = {}, double extra_value = 0) const {
    out += name_;
    out += suffix;
    if (!values.empty() || !extra_label.empty()) {
      out += '{';
      for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        out += label_names_[i];
        out += "=\"";
        append_label_value(out, values[i]);
        out += '"';
      }
      if (!extra_label.empty()) {
        if (!values.empty()) out += ',';
        out += extra_label;
        out += "=\"";
        append_number(out, extra_value);
        out += '"';
      }
      out += '}';
    }
    out += ' ';
    append_number(out, value);
    out += '\n';
  }

  const std::string name_;
  const std::string help_;
  const std::string type_;
  const std::vector<std::string> label_names_;
};

namespace {

using Family = MetricsRegistry::Family;

class CounterFamily final : public Family {
 public:
  CounterFamily(std::string name, std::string help, std::vector<std::string> label_names)
      : Family(std::move(name), std::move(help), "counter", label_names),
        metrics_(std::move(label_names), [] { return std::make_unique<Counter>(); }) {}

  MetricFamily<Counter>& metrics() { return metrics_; }

 private:
  void render_samples(std::string& out) const override {
    for (const auto& [values, counter] : metrics_.children()) {
      sample(out, "", values, counter->value());
    }
  }

  MetricFamily<Counter> metrics_;
};

class HistogramFamily final : public Family {
 public:
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds)
      : Family(std::move(name), std::move(help), "histogram", label_names),
        metrics_(std::move(label_names),
                 [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); }) {}

  MetricFamily<Histogram>& metrics() { return metrics_; }

 private:
  void render_samples(std::string& out) const override {
    for (const auto& [values, histogram] : metrics_.children()) {
      const HistogramSnapshot snapshot = histogram->snapshot();
      for (size_t i = 0; i < snapshot.bounds.size(); ++i) {
        sample(out, "_bucket", values, snapshot.cumulative[i], "le", snapshot.bounds[i]);
      }
      sample(out, "_bucket", values, snapshot.count(), "le", HUGE_VAL);
      sample(out, "_sum", values, snapshot.sum);
      sample(out, "_count", values, snapshot.count());
    }
  }

  MetricFamily<Histogram> metrics_;
};

class GaugeFamily final : public Family {
 public:
  GaugeFamily(std::string name, std::string help, std::vector<std::string> label_names,
              GaugeCollector collect)
      : Family(std::move(name), std::move(help), "gauge", std::move(label_names)),
        collect_(std::move(collect)) {}

 private:
  void render_samples(std::string& out) const override {
    std::vector<GaugeSample> samples = collect_();
    std::erase_if(samples,
                  [&](const GaugeSample& s) { return s.labels.size() != label_names_.size(); });
    std::sort(samples.begin(), samples.end(),
              [](const GaugeSample& a, const GaugeSample& b) { return a.labels < b.labels; });
    for (const auto& s : samples) sample(out, "", s.labels, s.value);
  }

  const GaugeCollector collect_;
};

void check_names(const std::string& name, const std::vector<std::string>& label_names) {
  if (!is_valid_metric_name(name)) {
    throw std::invalid_argument("invalid metric name '" + name + "'");
  }
  std::set<std::string> seen;
  for (const auto& label : label_names) {
    if (!is_valid_label_name(label)) {
      throw std::invalid_argument("metric " + name + ": invalid label name '" + label + "'");
    }
    if (!seen.insert(label).second) {
      throw std::invalid_argument("metric " + name + ": label '" + label + "' given twice");
    }
  }
}

}  // namespace

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricFamily<Counter>& MetricsRegistry::add_counter(const std::string& name,
                                                    const std::string& help,
                                                    std::vector<std::string> label_names) {
  check_names(name, label_names);
  if (!name.ends_with("_total")) {
    throw std::invalid_argument("counter " + name + ": a counter's name must end in _total");
  }
  auto family = std::make_unique<CounterFamily>(name, help, std::move(label_names));
  auto& metrics = family->metrics();
  add(std::move(family));
  if (metrics.label_names().empty()) metrics.with({});
  return metrics;
}

MetricFamily<Histogram>& MetricsRegistry::add_histogram(const std::string& name,
                                                        const std::string& help,
                                                        std::vector<std::string> label_names,
                                                        std::vector<double> bounds) {
  check_names(name, label_names);
  if (std::find(label_names.begin(), label_names.end(), "le") != label_names.end()) {
    throw std::invalid_argument("histogram " + name + ": 'le' is the bucket label");
  }
  if (bounds.empty()) throw std::invalid_argument("histogram " + name + ": no bucket bounds");
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      throw std::invalid_argument("histogram " + name +
                                  ": bucket bounds must be finite and strictly increasing");
    }
  }
  auto family =
      std::make_unique<HistogramFamily>(name, help, std::move(label_names), std::move(bounds));
  auto& metrics = family->metrics();
  add(std::move(family));
  if (metrics.label_names().empty()) metrics.with({});
  return metrics;
}

void MetricsRegistry::add_gauge(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names, GaugeCollector collect) {
  check_names(name, label_names);
  if (!collect) throw std::invalid_argument("gauge " + name + ": no collector");
  add(std::make_unique<GaugeFamily>(name, help, std::move(label_names), std::move(collect)));
}

void MetricsRegistry::add(std::unique_ptr<Family> family) {
  std::lock_guard lock(mutex_);
  for (const auto& existing : families_) {
    if (existing->name() == family->name()) {
      throw std::invalid_argument("metric " + family->name() + " registered twice");
    }
  }
  families_.push_back(std::move(family));
}

std::string MetricsRegistry::render() const {
  std::vector<const Family*> families;
  {
    std::lock_guard lock(mutex_);
    families.reserve(families_.size());
    for (const auto& family : families_) families.push_back(family.get());
  }
  std::string out;
  for (const Family* family : families) family->render(out);
  return out;
}

}  // namespace kph::host
