// Value forms the Scenario document shares between sections: duration distributions,
// percentages, workload references and taints.
#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "models/scenario/limits.hpp"
#include "models/scenario/spec_parse.hpp"
#include "models/scenario/suggest.hpp"

namespace azsim::scenario::spec {

namespace {

using cloud::DurationDistribution;

std::optional<sim::Duration> positive(const Field& f) {
  auto d = f.duration();
  if (!d) {
    f.require();
    return std::nullopt;
  }
  if (*d <= sim::Duration::zero()) {
    f.error("must be greater than 0");
    return std::nullopt;
  }
  return d;
}

}  // namespace

std::optional<DurationDistribution> read_distribution(const Field& f) {
  if (!f.present()) return std::nullopt;
  if (f.is_scalar()) {  // a bare duration is a constant
    auto d = f.duration();
    if (!d) return std::nullopt;
    return DurationDistribution::constant(*d);
  }
  const std::vector<std::string> forms = {"constant", "uniform", "exponential", "lognormal", "weibull", "empirical"};
  if (!f.expect_map()) return std::nullopt;
  f.check_keys(forms, UnknownKeys::Error, "a distribution is one of " + one_of(forms));
  if (f.node()->keys.size() != 1) {
    f.error("a distribution has exactly one form: " + one_of(forms));
    return std::nullopt;
  }
  const std::string form = f.node()->keys[0].text;
  if (std::find(forms.begin(), forms.end(), form) == forms.end()) return std::nullopt;  // reported above
  const Field v = f[form];
  DurationDistribution out;
  if (form == "constant") {
    auto d = v.duration();
    if (!d) return std::nullopt;
    return DurationDistribution::constant(*d);
  }
  if (form == "empirical") {
    out.kind = DurationDistribution::Kind::Empirical;
    for (const auto& item : v.items()) {
      auto d = item.duration();
      if (!d) return std::nullopt;
      out.samples.push_back(*d);
    }
    if (out.samples.empty()) {
      v.error("an empirical distribution needs at least one value");
      return std::nullopt;
    }
    return out;
  }
  if (!v.expect_map()) return std::nullopt;
  if (form == "uniform") {
    v.check_keys({"min", "max"}, UnknownKeys::Error);
    auto lo = v["min"].duration(), hi = v["max"].duration();
    if (!lo || !hi) {
      v["min"].require();
      v["max"].require();
      return std::nullopt;
    }
    if (*lo > *hi) {
      v["max"].error("must not be less than min");
      return std::nullopt;
    }
    return DurationDistribution::uniform(*lo, *hi);
  }
  if (form == "exponential") {
    v.check_keys({"mean"}, UnknownKeys::Error);
    auto mean = positive(v["mean"]);
    if (!mean) return std::nullopt;
    out.kind = DurationDistribution::Kind::Exponential;
    out.a = *mean;
    return out;
  }
  if (form == "lognormal") {
    v.check_keys({"median", "p95"}, UnknownKeys::Error);
    auto median = positive(v["median"]);
    auto p95 = positive(v["p95"]);
    if (!median || !p95) return std::nullopt;
    if (*p95 < *median) {
      v["p95"].error("must not be less than the median");
      return std::nullopt;
    }
    return DurationDistribution::lognormal(*median, *p95);
  }
  // weibull
  v.check_keys({"shape", "scale"}, UnknownKeys::Error);
  auto shape = v["shape"].number(1e-3, 1e3);
  auto scale = positive(v["scale"]);
  if (!shape) v["shape"].require();
  if (!shape || !scale) return std::nullopt;
  out.kind = DurationDistribution::Kind::Weibull;
  out.a = *scale;
  out.shape = *shape;
  return out;
}

bool is_plain_decimal(std::string_view s) {
  return s.find_first_not_of("0123456789.") == std::string_view::npos &&
         s.find_first_of("0123456789") != std::string_view::npos && std::count(s.begin(), s.end(), '.') <= 1;
}

std::optional<double> read_percent(const Field& f) {
  if (!f.present()) return std::nullopt;
  const Node* n = f.node();
  if (n->is_scalar() && n->plain &&
      (resolve_plain(n->text) == ScalarType::Int || resolve_plain(n->text) == ScalarType::Float)) {
    f.error("write a percentage such as \"" + n->text + "%\" (a bare number is ambiguous)");
    return std::nullopt;
  }
  auto s = f.str();
  if (!s) return std::nullopt;
  const std::string& t = *s;
  // Decimal digits with at most one point, then "%": no sign, exponent, hex or spaces.
  const bool decimal = !t.empty() && t.back() == '%' && is_plain_decimal(std::string_view(t).substr(0, t.size() - 1));
  const double v = decimal ? std::strtod(t.c_str(), nullptr) : -1;
  if (!decimal || !(v >= 0 && v <= 100)) {
    f.error("\"" + t + "\" is not a percentage between 0% and 100%");
    return std::nullopt;
  }
  return v / 100.0;
}

std::optional<WorkloadRef> read_workload_ref(const Field& f, bool allow_replicaset) {
  auto s = f.str();
  if (!s) return std::nullopt;
  const auto slash = s->find('/');
  std::string kind = slash == std::string::npos ? "" : s->substr(0, slash);
  for (auto& c : kind) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  WorkloadRef ref;
  if (kind == "statefulset" || kind == "statefulsets" || kind == "sts") {
    ref.kind = WorkloadRef::Kind::StatefulSet;
  } else if (kind == "deployment" || kind == "deployments" || kind == "deploy") {
    ref.kind = WorkloadRef::Kind::Deployment;
  } else if (allow_replicaset && (kind == "replicaset" || kind == "replicasets" || kind == "rs")) {
    ref.kind = WorkloadRef::Kind::ReplicaSet;
  } else {
    f.error("\"" + *s + "\" is not a workload reference: write statefulset/NAME or deployment/NAME" +
            std::string(allow_replicaset ? " (or replicaset/NAME)" : ""));
    return std::nullopt;
  }
  ref.name = s->substr(slash + 1);
  if (ref.name.empty()) {
    f.error("\"" + *s + "\" names no workload after the slash");
    return std::nullopt;
  }
  return ref;
}

std::vector<k8s::Taint> read_taints(const Field& f) {
  std::vector<k8s::Taint> out;
  auto effect_of = [](const Field& at, const std::string& e) -> std::optional<k8s::TaintEffect> {
    if (e == "NoSchedule") return k8s::TaintEffect::NoSchedule;
    if (e == "PreferNoSchedule") return k8s::TaintEffect::PreferNoSchedule;
    if (e == "NoExecute") return k8s::TaintEffect::NoExecute;
    at.error("\"" + e + "\" is not a taint effect: use NoSchedule, PreferNoSchedule or NoExecute" +
             did_you_mean(e, {"NoSchedule", "PreferNoSchedule", "NoExecute"}));
    return std::nullopt;
  };
  for (const auto& item : f.items()) {
    k8s::Taint t;
    if (item.is_scalar()) {  // kubectl taint syntax: key=value:Effect or key:Effect
      auto s = item.str();
      if (!s) continue;
      const auto colon = s->rfind(':');
      if (colon == std::string::npos) {
        item.error("\"" + *s + "\" is not a taint: write key=value:Effect");
        continue;
      }
      const std::string kv = s->substr(0, colon);
      const auto eq = kv.find('=');
      t.key = kv.substr(0, eq);
      if (eq != std::string::npos) t.value = kv.substr(eq + 1);
      auto e = effect_of(item, s->substr(colon + 1));
      if (!e || t.key.empty()) {
        if (t.key.empty()) item.error("\"" + *s + "\" has no taint key");
        continue;
      }
      t.effect = *e;
    } else {
      if (!item.expect_map()) continue;
      item.check_keys({"key", "value", "effect"}, UnknownKeys::Error);
      if (auto k = item["key"].str(); k && !k->empty())
        t.key = *k;
      else {
        item["key"].require();
        continue;
      }
      if (auto v = item["value"].str()) t.value = *v;
      auto es = item["effect"].str();
      if (!es) {
        item["effect"].require("NoSchedule, PreferNoSchedule or NoExecute");
        continue;
      }
      auto e = effect_of(item["effect"], *es);
      if (!e) continue;
      t.effect = *e;
    }
    out.push_back(t);
  }
  return out;
}

}  // namespace azsim::scenario::spec
