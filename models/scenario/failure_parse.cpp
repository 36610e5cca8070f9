// spec.failures: the stochastic fault processes of Monte-Carlo runs.
#include <cstdlib>

#include "models/scenario/spec_parse.hpp"

namespace azsim::scenario::spec {

namespace {

/// "0.5/y", "2/10y", "1/30d": a count per span of time.
std::optional<Rate> read_rate(const Field& f) {
  auto s = f.str();
  if (!s) {
    f.require("events per span of time, e.g. 0.5/y");
    return std::nullopt;
  }
  const auto slash = s->find('/');
  const std::string bad = "\"" + *s + "\" is not a rate: write COUNT/SPAN, e.g. 0.5/y or 2/10y";
  if (slash == std::string::npos || slash == 0) {
    f.error(bad);
    return std::nullopt;
  }
  const std::string count = s->substr(0, slash);
  const double c = is_plain_decimal(count) ? std::strtod(count.c_str(), nullptr) : -1;
  if (!(c >= 0) || c > 1e9) {
    f.error(bad);
    return std::nullopt;
  }
  std::string span = s->substr(slash + 1);
  if (!span.empty() && !(span[0] >= '0' && span[0] <= '9') && span[0] != '.') span = "1" + span;  // "y" is "1y"
  const auto d = sim::parse_duration(span);
  if (!d.ok || d.value <= sim::Duration::zero()) {
    f.error(bad + (d.ok ? "" : " (" + d.error + ")"));
    return std::nullopt;
  }
  return Rate{c, d.value};
}

void read_instance(const Field& f, InstanceFailures& out) {
  f.check_keys({"mtbf", "mode", "shape", "duration"}, UnknownKeys::Error);
  out.path = f.path();
  if (auto m = f["mtbf"].duration()) {
    if (*m < sim::Duration::minutes(1))
      f["mtbf"].error("must be at least 1m");
    else
      out.mtbf = *m;
  } else if (!f.has("mtbf")) {
    f["mtbf"].require("the mean time between failures of one instance, e.g. 1y");
  }
  if (auto m = f["mode"].one_of({"terminate", "stop", "unreachable"}))
    out.mode = *m == "stop"          ? InstanceFailures::Mode::Stop
               : *m == "unreachable" ? InstanceFailures::Mode::Unreachable
                                     : InstanceFailures::Mode::Terminate;
  if (auto s = f["shape"].number(0.05, 20)) out.shape = *s;
  if (f.has("duration")) {
    if (out.mode == InstanceFailures::Mode::Terminate)
      f["duration"].error("a terminated instance does not come back; duration goes with mode stop or unreachable");
    else
      out.duration = read_distribution(f["duration"]);
  }
}

void read_zone(const Field& f, ZoneFailures& out) {
  f.check_keys({"rate", "duration", "volumeLoss"}, UnknownKeys::Error);
  out.path = f.path();
  if (auto r = read_rate(f["rate"])) out.rate = *r;
  if (auto d = read_distribution(f["duration"])) out.duration = *d;
  if (auto v = read_percent(f["volumeLoss"])) out.volume_loss = *v;
}

void read_bursts(const Field& f, Bursts& out) {
  f.check_keys({"share", "size", "scope", "spread"}, UnknownKeys::Error);
  out.path = f.path();
  if (auto s = read_percent(f["share"])) out.share = *s;
  if (const Field size = f["size"]; size.is_map()) {
    size.check_keys({"min", "max"}, UnknownKeys::Error);
    if (auto lo = size["min"].int32(2, 1000)) out.min_size = *lo;
    if (auto hi = size["max"].int32(2, 1000))
      out.max_size = *hi;
    else
      out.max_size = std::max(out.max_size, out.min_size);
    if (out.min_size > out.max_size) size["max"].error("must not be less than min");
  } else if (auto n = size.int32(2, 1000)) {
    out.min_size = out.max_size = *n;
  }
  if (auto s = f["scope"].one_of({"zone", "region"}))
    out.scope = *s == "region" ? Bursts::Scope::Region : Bursts::Scope::Zone;
  if (auto d = f["spread"].duration()) out.spread = *d;
}

}  // namespace

void read_failures(const Field& f, Failures& out) {
  f.check_keys({"instance", "zone", "volume", "bursts"}, UnknownKeys::Error);
  if (f["instance"].expect_map()) {
    InstanceFailures i;
    read_instance(f["instance"], i);
    out.instance = i;
  }
  if (f["zone"].expect_map()) {
    ZoneFailures z;
    read_zone(f["zone"], z);
    out.zone = z;
  }
  if (const Field v = f["volume"]; v.expect_map()) {
    v.check_keys({"afr"}, UnknownKeys::Error);
    VolumeFailures vf;
    vf.path = v.path();
    vf.afr = read_percent(v["afr"]);
    out.volume = vf;
  }
  if (f["bursts"].expect_map()) {
    Bursts b;
    read_bursts(f["bursts"], b);
    if (!f.has("instance")) f["bursts"].error("bursts shape instance failures: give failures.instance too");
    out.bursts = b;
  }
}

}  // namespace azsim::scenario::spec
