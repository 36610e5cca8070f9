#include "mc_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>
#include <stdexcept>

#include "models/run/batch.hpp"
#include "sim/stats_json.hpp"
#include "sim/version.hpp"

namespace azsim::cli {

using nlohmann::json;
using metrics::Int128;
using metrics::UInt128;

namespace {

// --- exact state -----------------------------------------------------------------------------

std::string int128_text(Int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  // Work on the magnitude as unsigned so the most negative value is fine too.
  UInt128 u = negative ? static_cast<UInt128>(0) - static_cast<UInt128>(v)
                                               : static_cast<UInt128>(v);
  std::string s;
  while (u > 0) {
    s.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  if (negative) s.push_back('-');
  std::reverse(s.begin(), s.end());
  return s;
}

Int128 int128_parse(const json& j, const char* key) {
  if (!j.is_string()) throw std::invalid_argument(std::string("\"") + key + "\" must be a decimal integer string");
  const std::string& s = j.get_ref<const std::string&>();
  std::size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) i = 1;
  if (i >= s.size() || s.size() - i > 39) throw std::invalid_argument(std::string("\"") + key + "\" is not an integer");
  UInt128 u = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') throw std::invalid_argument(std::string("\"") + key + "\" is not an integer");
    const auto digit = static_cast<unsigned>(s[i] - '0');
    if (u > (~static_cast<UInt128>(0) - digit) / 10)
      throw std::invalid_argument(std::string("\"") + key + "\" is out of range");
    u = u * 10 + digit;
  }
  constexpr UInt128 kMax = (static_cast<UInt128>(1) << 127) - 1;
  if (u > kMax + (negative ? 1 : 0)) throw std::invalid_argument(std::string("\"") + key + "\" is out of range");
  return negative ? static_cast<Int128>(static_cast<UInt128>(0) - u) : static_cast<Int128>(u);
}

const json& at(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) throw std::invalid_argument(std::string("missing field \"") + key + "\"");
  return j.at(key);
}

std::uint64_t get_u64(const json& j, const char* key) {
  const json& v = at(j, key);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
    throw std::invalid_argument(std::string("\"") + key + "\" must be a non-negative integer");
  return v.get<std::uint64_t>();
}

std::int64_t get_i64(const json& j, const char* key) {
  const json& v = at(j, key);
  if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX))
    throw std::invalid_argument(std::string("\"") + key + "\" must be an integer");
  return v.get<std::int64_t>();
}

std::string get_string(const json& j, const char* key) {
  const json& v = at(j, key);
  if (!v.is_string()) throw std::invalid_argument(std::string("\"") + key + "\" must be a string");
  return v.get<std::string>();
}

json moments_json(const metrics::ExactMoments& m) {
  return json{{"count", m.count()},
              {"sum", int128_text(m.sum())},
              {"sum_squares", int128_text(m.sum_squares())},
              {"min", m.min()},
              {"max", m.max()}};
}

metrics::ExactMoments moments_from(const json& j) {
  return metrics::ExactMoments::from_parts(get_u64(j, "count"), int128_parse(at(j, "sum"), "sum"),
                                           int128_parse(at(j, "sum_squares"), "sum_squares"), get_i64(j, "min"),
                                           get_i64(j, "max"));
}

json summary_json(const metrics::McSummary& s) {
  json services = json::array();
  for (const auto& ss : s.services)
    services.push_back(json{{"service", ss.service},
                            {"type", ss.type},
                            {"consistency", ss.consistency},
                            {"rows", ss.rows},
                            {"read_unavailable", moments_json(ss.read_unavailable)},
                            {"write_unavailable", moments_json(ss.write_unavailable)},
                            {"unavailable_us", moments_json(ss.unavailable_us)},
                            {"any_unavailable", ss.any_unavailable},
                            {"data_loss", ss.data_loss},
                            {"redundancy_us", moments_json(ss.redundancy_us)},
                            {"redundancy_s", ss.redundancy_s},
                            {"unrestored", ss.unrestored}});
  return json{{"trials", s.trials},
              {"duration_us", s.duration_us},
              {"setup_not_converged", s.setup_not_converged},
              {"services", services},
              {"pod_pending_us", moments_json(s.pod_pending_us)},
              {"pod_pending_s", s.pod_pending_s},
              {"trial_pending_us", moments_json(s.trial_pending_us)},
              {"trial_pods", moments_json(s.trial_pods)},
              {"pods_times_pending", int128_text(s.pods_times_pending)}};
}

metrics::McSummary summary_from(const json& j) {
  metrics::McSummary s;
  s.trials = get_u64(j, "trials");
  s.duration_us = get_i64(j, "duration_us");
  s.setup_not_converged = get_u64(j, "setup_not_converged");
  const json& services = at(j, "services");
  if (!services.is_array()) throw std::invalid_argument("\"services\" must be an array");
  for (const auto& js : services) {
    metrics::ServiceSummary ss;
    ss.service = get_string(js, "service");
    ss.type = get_string(js, "type");
    ss.consistency = get_string(js, "consistency");
    ss.rows = get_i64(js, "rows");
    ss.read_unavailable = moments_from(at(js, "read_unavailable"));
    ss.write_unavailable = moments_from(at(js, "write_unavailable"));
    ss.unavailable_us = moments_from(at(js, "unavailable_us"));
    ss.any_unavailable = get_u64(js, "any_unavailable");
    ss.data_loss = get_u64(js, "data_loss");
    ss.redundancy_us = moments_from(at(js, "redundancy_us"));
    ss.redundancy_s = at(js, "redundancy_s").get<sim::Histogram>();
    ss.unrestored = get_u64(js, "unrestored");
    s.services.push_back(std::move(ss));
  }
  s.pod_pending_us = moments_from(at(j, "pod_pending_us"));
  s.pod_pending_s = at(j, "pod_pending_s").get<sim::Histogram>();
  s.trial_pending_us = moments_from(at(j, "trial_pending_us"));
  s.trial_pods = moments_from(at(j, "trial_pods"));
  s.pods_times_pending = int128_parse(at(j, "pods_times_pending"), "pods_times_pending");
  // Counts that must agree with the number of trials.
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("inconsistent state: " + what);
  };
  check(s.setup_not_converged <= s.trials, "setup_not_converged exceeds trials");
  check(s.trial_pending_us.count() == s.trials && s.trial_pods.count() == s.trials, "per-trial counts differ from trials");
  check(s.pod_pending_us.count() == s.pod_pending_s.count(), "pod pending moments and histogram differ");
  for (const auto& ss : s.services) {
    check(ss.any_unavailable <= s.trials && ss.data_loss <= s.trials, "a trial count of " + ss.service + " exceeds trials");
    check(ss.read_unavailable.count() == s.trials && ss.write_unavailable.count() == s.trials &&
              ss.unavailable_us.count() == s.trials,
          "the moments of " + ss.service + " are not one per trial");
    check(ss.read_unavailable.min() >= 0 && ss.read_unavailable.max() <= metrics::kUnavailabilityWhole && ss.write_unavailable.min() >= 0 &&
              ss.write_unavailable.max() <= metrics::kUnavailabilityWhole,
          "an unavailability of " + ss.service + " is outside [0, 1]");
    check(ss.redundancy_us.count() == ss.redundancy_s.count(), "redundancy moments and histogram differ");
  }
  return s;
}

json diff_json(const metrics::PairedDiff& d) {
  json services = json::array();
  for (const auto& sd : d.services)
    services.push_back(json{{"read_unavailable", moments_json(sd.read_unavailable)},
                            {"write_unavailable", moments_json(sd.write_unavailable)},
                            {"unavailable_us", moments_json(sd.unavailable_us)},
                            {"any_unavailable", moments_json(sd.any_unavailable)},
                            {"data_loss", moments_json(sd.data_loss)}});
  return json{{"services", services}, {"trial_pending_us", moments_json(d.trial_pending_us)}};
}

metrics::PairedDiff diff_from(const json& j) {
  metrics::PairedDiff d;
  const json& services = at(j, "services");
  if (!services.is_array()) throw std::invalid_argument("\"services\" must be an array");
  for (const auto& js : services) {
    metrics::ServiceDiff sd;
    sd.read_unavailable = moments_from(at(js, "read_unavailable"));
    sd.write_unavailable = moments_from(at(js, "write_unavailable"));
    sd.unavailable_us = moments_from(at(js, "unavailable_us"));
    sd.any_unavailable = moments_from(at(js, "any_unavailable"));
    sd.data_loss = moments_from(at(js, "data_loss"));
    d.services.push_back(sd);
  }
  d.trial_pending_us = moments_from(at(j, "trial_pending_us"));
  return d;
}

// --- reported figures --------------------------------------------------------------------------

json mean_ci(const metrics::MeanCi& m) { return json{{"mean", m.mean}, {"ci95", json::array({m.ci95.lo, m.ci95.hi})}}; }

json distribution(const metrics::DistributionFigures& d) {
  return json{{"count", d.count},
              {"mean", d.mean},
              {"ci95", json::array({d.ci95.lo, d.ci95.hi})},
              {"p50", d.p50},
              {"p95", d.p95},
              {"p99", d.p99},
              {"max", d.max}};
}

json service_figures(const metrics::ServiceFigures& s) {
  json ttr = distribution(s.time_to_full_redundancy_s);
  ttr["unrestored"] = s.unrestored;
  return json{{"service", s.service},
              {"type", s.type},
              {"consistency", s.consistency},
              {"rows", s.rows},
              {"read_availability", mean_ci(s.read_availability)},
              {"write_availability", mean_ci(s.write_availability)},
              {"p_any_unavailable", mean_ci(s.p_any_unavailable)},
              {"p_data_loss", mean_ci(s.p_data_loss)},
              {"unavailable_minutes_per_year", mean_ci(s.unavailable_minutes_per_year)},
              {"time_to_full_redundancy_s", ttr}};
}

/// CONTRACT.md's "metrics": the first data service's figures at the top, and the pods'.
json headline(const metrics::McFigures& f) {
  json m = json::object();
  if (!f.services.empty()) {
    json s = service_figures(f.services.front());
    for (const char* key : {"read_availability", "write_availability", "p_any_unavailable", "p_data_loss",
                            "unavailable_minutes_per_year", "time_to_full_redundancy_s"})
      m[key] = s[key];
  }
  m["pod_pending_s"] = distribution(f.pod_pending_s);
  return m;
}

json design_json(const metrics::McSummary& s) {
  const metrics::McFigures f = metrics::figures_of(s);
  json services = json::array();
  for (const auto& sf : f.services) services.push_back(service_figures(sf));
  return json{{"metrics", headline(f)}, {"services", services}};
}

bool whole(const McDocument& d) { return d.shards.size() == d.shard_count; }

}  // namespace

json to_json(const McDocument& d) {
  json j;
  j["azsim"] = {{"version", kVersion}, {"schema", kReportSchema}};
  j["scenario"] = d.scenario;
  if (d.compare) j["compare"] = *d.compare;
  j["scenario_digest"] = d.digest;
  j["seed"] = d.seed;
  j["trials"] = d.result.a.trials;
  j["trials_requested"] = d.trials_requested;
  if (!whole(d)) j["shards"] = {{"count", d.shard_count}, {"included", d.shards}};
  if (d.until_ci_metric) {
    j["until_ci"] = {{"metric", *d.until_ci_metric}, {"width", d.until_ci_width}};
    j["stopped_early"] = d.stopped_early;
  }
  j["duration_s"] = static_cast<double>(d.result.a.duration_us) / 1e6;
  j["setup_not_converged"] = d.result.a.setup_not_converged;
  const json a = design_json(d.result.a);
  j["metrics"] = a["metrics"];
  j["services"] = a["services"];
  if (d.result.b) {
    j["b"] = design_json(*d.result.b);
    j["b"]["scenario"] = d.compare.value_or("");
  }
  if (d.result.diff && d.result.b) {
    const metrics::DiffFigures df = metrics::figures_of(*d.result.diff, d.result.a, *d.result.b);
    json services = json::array();
    for (const auto& s : df.services)
      services.push_back(json{{"read_availability", mean_ci(s.read_availability)},
                              {"write_availability", mean_ci(s.write_availability)},
                              {"p_any_unavailable", mean_ci(s.p_any_unavailable)},
                              {"p_data_loss", mean_ci(s.p_data_loss)},
                              {"unavailable_minutes_per_year", mean_ci(s.unavailable_minutes_per_year)}});
    j["difference"] = {{"services", services}, {"pod_pending_s_per_trial", mean_ci(df.pod_pending_s_per_trial)}};
  }
  json state = {{"a", summary_json(d.result.a)}};
  if (d.result.b) state["b"] = summary_json(*d.result.b);
  if (d.result.diff) state["diff"] = diff_json(*d.result.diff);
  j["state"] = state;
  return j;
}

McDocument mc_document_from_json(const json& j, McRead purpose) {
  McDocument d;
  d.scenario = get_string(j, "scenario");
  if (j.contains("compare")) d.compare = get_string(j, "compare");
  d.digest = get_string(j, "scenario_digest");
  d.version = get_string(at(j, "azsim"), "version");
  // Another schema lays its figures out otherwise: reading it as this one would be wrong.
  if (const json& schema = at(at(j, "azsim"), "schema"); schema != kReportSchema)
    throw std::invalid_argument("\"azsim.schema\" is " + schema.dump() + ", this azsim reads schema " +
                                std::to_string(kReportSchema));
  d.seed = get_u64(j, "seed");
  d.trials_requested = get_u64(j, "trials_requested");
  if (j.contains("shards")) {
    const json& s = j.at("shards");
    d.shard_count = get_u64(s, "count");
    const json& inc = at(s, "included");
    if (!inc.is_array()) throw std::invalid_argument("\"shards.included\" must be an array");
    for (const auto& k : inc) {
      if (!k.is_number_unsigned() || k.get<std::uint64_t>() < 1 || k.get<std::uint64_t>() > d.shard_count)
        throw std::invalid_argument("\"shards.included\" must hold shard numbers 1..count");
      d.shards.push_back(k.get<std::uint64_t>());
    }
  } else {
    d.shard_count = 1;
    d.shards = {1};
  }
  if (j.contains("until_ci")) {
    d.until_ci_metric = get_string(j.at("until_ci"), "metric");
    const json& w = at(j.at("until_ci"), "width");
    if (!w.is_number()) throw std::invalid_argument("\"until_ci.width\" must be a number");
    d.until_ci_width = w.get<double>();
    const json& se = at(j, "stopped_early");
    if (!se.is_boolean()) throw std::invalid_argument("\"stopped_early\" must be true or false");
    d.stopped_early = se.get<bool>();
  }
  const json& state = at(j, "state");
  d.result.a = summary_from(at(state, "a"));
  if (state.contains("b")) d.result.b = summary_from(state.at("b"));
  if (state.contains("diff")) d.result.diff = diff_from(state.at("diff"));
  if (d.result.b.has_value() != d.compare.has_value() || d.result.diff.has_value() != d.compare.has_value())
    throw std::invalid_argument("\"compare\" and the comparison's state must come together");
  if (get_u64(j, "trials") != d.result.a.trials)
    throw std::invalid_argument("\"trials\" does not match the state's trial count");
  if (purpose == McRead::Finished && j.contains("checkpoint") && !(j.at("checkpoint").is_object() && j.at("checkpoint").value("complete", false)))
    throw std::invalid_argument("it is the checkpoint of an unfinished batch; finish it by running the same command again");
  if (d.result.b) {
    if (d.result.b->trials != d.result.a.trials || (d.result.a.trials > 0 && d.result.b->duration_us != d.result.a.duration_us))
      throw std::invalid_argument("inconsistent state: the two designs differ in trials or duration");
    if (d.result.diff->trial_pending_us.count() != d.result.a.trials)
      throw std::invalid_argument("inconsistent state: the differences are not one per trial");
  }
  // Every trial of the included shards is in, unless the batch stopped early (a checkpoint
  // to resume is checked against its blocks by `azsim mc`).
  if (!d.stopped_early && purpose == McRead::Finished) {
    std::uint64_t expected = 0;
    for (const auto k : d.shards) expected += run::shard_trials(d.trials_requested, k - 1, d.shard_count);
    if (expected != d.result.a.trials)
      throw std::invalid_argument("it holds " + std::to_string(d.result.a.trials) + " trials where its shards have " +
                                  std::to_string(expected));
  }
  return d;
}

McDocument merge_documents(const std::vector<McDocument>& parts) {
  if (parts.empty()) throw std::invalid_argument("nothing to merge");
  McDocument out = parts.front();
  out.shards.clear();
  out.result = {};
  out.stopped_early = false;
  std::set<std::uint64_t> seen;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const McDocument& p = parts[i];
    const std::string which = "part " + std::to_string(i + 1);
    // Another version may derive the trials' streams otherwise: its trials are other trials.
    if (p.version != kVersion)
      throw std::invalid_argument(which + " was made by azsim " + p.version + ", this is azsim " + kVersion +
                                  ": merge it with the azsim that made it");
    if (p.scenario != out.scenario || p.compare != out.compare)
      throw std::invalid_argument(which + " is of another scenario or comparison (\"" + p.scenario + "\")");
    if (p.digest != out.digest)
      throw std::invalid_argument(which + " was run on other scenario contents (the files of \"" + p.scenario +
                                  "\" differ)");
    if (p.seed != out.seed) throw std::invalid_argument(which + " has another seed (" + std::to_string(p.seed) + ")");
    if (p.trials_requested != out.trials_requested)
      throw std::invalid_argument(which + " has another trial count (" + std::to_string(p.trials_requested) + ")");
    if (p.shard_count != out.shard_count)
      throw std::invalid_argument(which + " is of another sharding (" + std::to_string(p.shard_count) + " shards)");
    if (p.until_ci_metric != out.until_ci_metric || p.until_ci_width != out.until_ci_width)
      throw std::invalid_argument(which + " has another --until-ci");
    for (const auto k : p.shards) {
      if (!seen.insert(k).second)
        throw std::invalid_argument(which + " repeats shard " + std::to_string(k) + "/" + std::to_string(p.shard_count));
      out.shards.push_back(k);
    }
    out.stopped_early = out.stopped_early || p.stopped_early;
    out.result.merge(p.result);
  }
  std::sort(out.shards.begin(), out.shards.end());
  return out;
}

// --- text ------------------------------------------------------------------------------------

namespace {

std::string num(double v, int precision = 6) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", precision, v);
  return buf;
}

std::string ci(const metrics::MeanCi& m, int precision = 6) {
  return num(m.mean, precision) + "  [" + num(m.ci95.lo, precision) + ", " + num(m.ci95.hi, precision) + "]";
}

void line(std::ostringstream& o, const std::string& label, const std::string& value) {
  o << "  " << label;
  for (std::size_t i = label.size(); i < 34; ++i) o << ' ';
  o << value << "\n";
}

void design_text(std::ostringstream& o, const metrics::McSummary& s) {
  const metrics::McFigures f = metrics::figures_of(s);
  for (const auto& sf : f.services) {
    o << sf.service << " (" << sf.type << ", " << sf.rows << " rows) at " << sf.consistency
      << ": mean over trials [95% CI]\n";
    line(o, "read availability", ci(sf.read_availability, 12));
    line(o, "write availability", ci(sf.write_availability, 12));
    line(o, "P(some row unavailable)", ci(sf.p_any_unavailable));
    line(o, "P(data loss)", ci(sf.p_data_loss));
    line(o, "unavailable minutes per year", ci(sf.unavailable_minutes_per_year));
    const auto& r = sf.time_to_full_redundancy_s;
    line(o, "time to full redundancy (s)",
         r.count == 0 ? std::string("no fault") : ("mean " + num(r.mean) + ", p50 " + num(r.p50) + ", p95 " +
                                                    num(r.p95) + ", max " + num(r.max) + " over " +
                                                    std::to_string(r.count) + " faults"));
    if (sf.unrestored > 0) line(o, "never restored in the trial", std::to_string(sf.unrestored) + " faults");
  }
  const auto& p = f.pod_pending_s;
  o << "pods: pending time per pod and trial, seconds\n";
  line(o, "mean [95% CI]", ci({p.mean, p.ci95}));
  line(o, "p50 / p95 / p99 / max", num(p.p50) + " / " + num(p.p95) + " / " + num(p.p99) + " / " + num(p.max));
  if (s.setup_not_converged > 0)
    o << "warning: the setup of " << s.setup_not_converged << " trial(s) did not converge within spec.setupTimeout\n";
}

}  // namespace

std::string mc_text(const McDocument& d) {
  std::ostringstream o;
  o << "azsim " << kVersion << " Monte-Carlo: " << d.scenario << " (seed " << d.seed << "), " << d.result.a.trials;
  // A shard may hold no trial (--shard 3/3 of 2 trials): it has no figures, and no trial told
  // the length of one.
  if (d.result.a.trials > 0)
    o << " trial(s) of " << sim::format_duration(sim::Duration::micros(d.result.a.duration_us)) << " each";
  else
    o << " trials";
  if (!whole(d)) {
    o << "; shards";
    for (const auto k : d.shards) o << ' ' << k;
    o << " of " << d.shard_count;
  }
  o << "\n";
  if (d.result.a.trials == 0) {
    o << "\nno trial of the " << d.trials_requested << " falls in "
      << (d.shards.size() == 1 ? "this shard" : "these shards") << ": nothing to report, and nothing for a merge to add\n";
    return o.str();
  }
  if (d.until_ci_metric)
    o << (d.stopped_early ? "stopped early: " : "not stopped early: ") << *d.until_ci_metric
      << " 95% interval width target " << num(d.until_ci_width) << "\n";
  o << "\n";
  if (d.result.b) o << "A = " << d.scenario << "\n";
  design_text(o, d.result.a);
  if (d.result.b && d.result.diff) {
    o << "\nB = " << d.compare.value_or("") << " (same trial streams)\n";
    design_text(o, *d.result.b);
    const metrics::DiffFigures df = metrics::figures_of(*d.result.diff, d.result.a, *d.result.b);
    o << "\nB - A, paired over the same trials: mean [95% CI]\n";
    for (std::size_t i = 0; i < df.services.size() && i < d.result.a.services.size(); ++i) {
      const auto& s = df.services[i];
      o << d.result.a.services[i].service << " at " << d.result.a.services[i].consistency << "\n";
      line(o, "read availability", ci(s.read_availability, 12));
      line(o, "write availability", ci(s.write_availability, 12));
      line(o, "P(some row unavailable)", ci(s.p_any_unavailable));
      line(o, "P(data loss)", ci(s.p_data_loss));
      line(o, "unavailable minutes per year", ci(s.unavailable_minutes_per_year));
    }
    line(o, "pod pending s per trial", ci(df.pod_pending_s_per_trial));
  }
  return o.str();
}

}  // namespace azsim::cli
