#include "report_text.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "models/metrics/kubectl.hpp"
#include "cli.hpp"
#include "sim/version.hpp"

namespace azsim::cli {

namespace {

// Times in the text report are rounded to the millisecond (the JSON report keeps microseconds).
sim::Duration ms(sim::Duration d) { return sim::Duration::millis((d.us() + (d.us() >= 0 ? 500 : -500)) / 1000); }

std::string offset(sim::Duration d) {
  d = ms(d);
  return (d < sim::Duration::zero() ? "-" : "+") + sim::format_duration(d < sim::Duration::zero() ? -d : d);
}

std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f%%", v * 100.0);
  return buf;
}

struct Style {
  bool on;
  std::string bold(const std::string& s) const { return on ? "\033[1m" + s + "\033[0m" : s; }
  std::string warn(const std::string& s) const { return on ? "\033[33m" + s + "\033[0m" : s; }
  std::string bad(const std::string& s) const { return on ? "\033[31m" + s + "\033[0m" : s; }
  std::string good(const std::string& s) const { return on ? "\033[32m" + s + "\033[0m" : s; }
};

}  // namespace

std::string render_text(const metrics::RunReport& r, bool colour) {
  const Style st{colour};
  std::string out;
  out += st.bold("azsim " + std::string(kVersion) + ": " + r.scenario) + " (seed " + std::to_string(r.seed) +
         (r.trial ? ", trial " + std::to_string(*r.trial) : std::string()) + ")\n";
  out += "setup " + sim::format_duration(r.setup) + (r.setup_converged ? "" : " (did not converge)") +
         "; time 0 = every workload Ready; simulated " + sim::format_duration(r.duration) + " after it\n\n";

  // Cluster summary by node group.
  std::map<std::string, std::map<std::string, int>> groups;  // group -> zone -> count
  for (const auto& n : r.nodes) groups[n.group.empty() ? "-" : n.group][n.zone]++;
  out += st.bold("Cluster at the end") + "\n";
  for (const auto& [g, zones] : groups) {
    out += "  " + g + ":";
    for (const auto& [z, c] : zones) out += " " + z + "=" + std::to_string(c);
    out += "\n";
  }
  out += "\n";

  // Timeline: everything after time 0, repeated FailedScheduling for the same pod and message
  // shown once.
  out += st.bold("Timeline") + "\n";
  std::map<std::string, std::string> last_sched;
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : r.events) {
    if (e.reason == "FailedScheduling") {
      auto& last = last_sched[e.object];
      if (last == e.message) continue;
      last = e.message;
    } else if (e.reason == "Scheduled") {
      last_sched.erase(e.object);
    }
    rows.push_back({offset(e.t), e.reason, e.object == "azsim" ? "" : e.object, e.message});
  }
  if (rows.empty()) out += "  (nothing happened after time 0)\n";
  std::size_t wt = 0, wr = 0;
  for (const auto& row : rows) {
    wt = std::max(wt, row[0].size());
    wr = std::max(wr, row[1].size());
  }
  for (const auto& row : rows)
    out += "  " + row[0] + std::string(wt - row[0].size() + 2, ' ') + row[1] + std::string(wr - row[1].size() + 2, ' ') +
           (row[2].empty() ? "" : row[2] + ": ") + row[3] + "\n";
  out += "\n";

  // Pods.
  out += st.bold("Pods") + "\n";
  std::vector<std::vector<std::string>> prow{{"POD", "PHASE", "READY", "NODE", "ZONE", "PENDING", "NOT READY", "CAUSES"}};
  for (const auto& p : r.pods) {
    std::map<std::string, sim::Duration> by_cause;
    std::vector<std::string> order;
    for (const auto& i : p.intervals) {
      if (!by_cause.count(i.cause)) order.push_back(i.cause);
      by_cause[i.cause] += i.to - i.from;
    }
    std::string causes;
    for (const auto& c : order) causes += (causes.empty() ? "" : ", ") + c + " " + sim::format_duration(ms(by_cause[c]));
    prow.push_back({(p.ns == "default" ? "" : p.ns + "/") + p.name, p.phase, p.ready ? "yes" : "no", p.node.empty() ? "-" : p.node,
                    p.zone.empty() ? "-" : p.zone, sim::format_seconds(ms(p.pending)) + "s", sim::format_seconds(ms(p.not_ready)) + "s",
                    causes.empty() ? "-" : causes});
  }
  out += indent(metrics::table(prow), "  ");
  out += "\n";

  // Not-ready intervals with their messages.
  bool any = false;
  for (const auto& p : r.pods)
    for (const auto& i : p.intervals) {
      if (!any) out += st.bold("Not-ready intervals") + "\n";
      any = true;
      out += "  " + p.name + "  " + offset(i.from) + " .. " + offset(i.to) + "  " + st.warn(i.cause) +
             (i.message.empty() ? "" : "  " + i.message) + "\n";
    }
  if (any) out += "\n";

  if (!r.data.empty()) {
    out += st.bold("Data") + "\n";
    std::vector<std::vector<std::string>> drow{
        {"SERVICE", "CONSISTENCY", "READ", "WRITE", "ROWS", "READABLE MIN", "WRITABLE MIN", "LOST"}};
    for (const auto& d : r.data)
      drow.push_back({d.service, d.consistency, pct(d.read_availability), pct(d.write_availability), std::to_string(d.rows),
                      std::to_string(d.rows_readable_min), std::to_string(d.rows_writable_min), std::to_string(d.rows_lost)});
    out += indent(metrics::table(drow), "  ");
    for (const auto& d : r.data)
      for (const auto& w : d.unavailable_windows)
        out += "  " + d.service + " " + d.consistency + ": " + std::to_string(w.rows_unavailable) + " rows unavailable " +
               offset(w.from) + " .. " + offset(w.to) + "\n";
    for (const auto& d : r.data) {
      if (&d != &r.data.front() && d.service == (&d - 1)->service) continue;  // one list per service
      for (const auto& e : d.redundancy)
        out += "  " + d.service + ": " + e.replica + " down at " + offset(e.fault) + ", full redundancy " +
               (e.restored ? "again after " + sim::format_duration(ms(*e.restored - e.fault)) : std::string("not restored by the end")) +
               "\n";
    }
    out += "\n";
  }

  if (!r.warnings.empty()) {
    out += st.bold("Warnings") + "\n";
    for (const auto& w : r.warnings) out += "  " + st.warn(w) + "\n";
  }
  return out;
}

}  // namespace azsim::cli
