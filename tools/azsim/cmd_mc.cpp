// azsim mc SCENARIO: a Monte-Carlo batch; azsim merge PART.json...: combine shard outputs.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <set>
#include <thread>

#include "atomic_file.hpp"
#include "cli.hpp"
#include "mc_json.hpp"
#include "models/run/batch.hpp"
#include "models/run/runner.hpp"
#include "mpi_ranks.hpp"
#include "sim/random.hpp"
#include "sim/stats_json.hpp"
#include "sim/version.hpp"

namespace po = boost::program_options;

namespace azsim::cli {

namespace {

constexpr const char* kMcHelp = R"(Usage: azsim mc SCENARIO --trials N [options]

Runs N independent trials of SCENARIO (each starts from the cluster as `azsim run` sets it
up, at time 0, then plays spec.faults and the stochastic spec.failures for spec.duration)
and reports, per data service and consistency level: the read and write availability
(time-average share of rows readable / writable) with 95% confidence intervals; the
probability that some row is unavailable at some time in a trial; the probability of data
loss; the expected unavailable minutes per year (time with at least one row unreadable or
unwritable, scaled to a 365-day year); the time to full redundancy after each fault; and the
distribution of the pods' pending time per pod. From time 0 on, trial i draws every random
number from streams derived from (seed, i) alone: the result is the same bytes for any
--threads, any sharding and any machine.
The intervals are about the cluster of that one setup (placement, token ring); batches
with other --seed values show how much the setup itself matters.
`azsim run SCENARIO --seed S --until D --trial I` replays trial I with its full report (the
timeline, each pod's causes, the data service's availability), e.g. to see why it stands out.

Options:
  --trials N            trials of the whole batch, 1 to 10^12 (required)
  --threads T           worker threads, 1 to 1024 (default: the number of cores); the result
                        does not depend on it
  --seed S              random seed (default: spec.seed; with --compare, SCENARIO's)
  --until DURATION      simulate each trial this long after its time 0 (default: spec.duration)
  --format text|json    report format (default: text); JSON keeps the exact state for merge
  --out FILE            write the report to FILE (atomically) instead of stdout
  --shard K/N           run only trials K-1, K-1+N, K-1+2N, ... (K from 1 to N) and write a part
                        for `azsim merge`; with a Kubernetes Indexed Job use
                        --shard $((JOB_COMPLETION_INDEX+1))/N
  --compare OTHER       also run OTHER on the same trial streams (common random numbers) and
                        report B - A per metric with its paired 95% interval; OTHER must
                        have the same data services (name, type and consistency) and duration;
                        both use SCENARIO's seed, whatever OTHER's spec.seed says
  --until-ci METRIC=WIDTH
                        stop early once METRIC's 95% interval is at most WIDTH wide; trials
                        run in blocks of 64 and the test is made after each block from the
                        second on, so a batch stops after a whole number of blocks. METRIC is
                        one of read_availability, write_availability, p_any_unavailable,
                        p_data_loss, unavailable_minutes_per_year (of the first data service
                        of SCENARIO) or pod_pending_s (mean pending time per pod). Not with
                        --shard or mpirun (each part would stop on its own)
  --checkpoint FILE     keep the partial result in FILE (atomically, after a block of 64
                        trials when --checkpoint-every has passed since the last write, on
                        an interruption, and at the end); run the same command again to
                        resume from it. Not under mpirun
  --checkpoint-every DURATION
                        wall-clock time between checkpoint writes (default: 5s; 0s writes
                        after every block); only with --checkpoint
  --progress            show a progress bar on stderr (default when stderr is a terminal)
  --no-progress         never show it

Ctrl-C (SIGINT) or SIGTERM lets the running block of 64 trials finish, writes the checkpoint
and exits with status 130; a second Ctrl-C stops at once.

Under mpirun (a build configured with -DAZSIM_MPI=ON, as tools/build.sh does), the ranks
split the trials and rank 0 writes the result, the same as one process would; each rank's
default --threads is then its share of the host's cores. --shard, --until-ci and
--checkpoint are refused there (the ranks are the shards).

Examples:
  azsim mc scenarios/whatif-001-kops-cassandra-failures.yaml --trials 1000 --until 1y
  azsim mc A.yaml --trials 1000 --compare B.yaml --format json --out ab.json
  azsim mc A.yaml --trials 10000 --shard 3/8 --format json --out part3.json
)";

constexpr const char* kMergeHelp = R"(Usage: azsim merge PART.json... [--format text|json] [--out FILE]

Combines the JSON outputs of `azsim mc --shard K/N --format json` (any subset of the shards of
one batch, each at most once). The merge of all N shards equals the unsharded run exactly.

Options:
  --format text|json    report format (default: text)
  --out FILE            write the report to FILE (atomically) instead of stdout
)";

/// Raised by SIGINT / SIGTERM during a batch (a lock-free atomic: safe in a signal handler).
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
  constexpr char msg[] = "\nazsim: mc: interrupted; finishing the running block of trials (again to stop at once)\n";
  const ssize_t n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)n;
}

/// The first SIGINT or SIGTERM raises g_interrupted; the handler then resets itself, so a
/// second one ends the process at once.
void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

std::string read_file(const std::string& path) {
  scenario::FileRead r = scenario::read_file_upto(path, std::numeric_limits<std::size_t>::max());
  if (!r.ok) throw UsageError("cannot read " + path + ": " + r.error);
  return std::move(r.text);
}

/// FNV-1a over the inputs that decide a batch's result (each followed by a 0xff byte), so a
/// checkpoint of another batch is never resumed.
std::string fingerprint(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& p : parts) joined += p + '\xff';
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(sim::fnv1a64(joined)));
  return buf;
}

/// Every file a loaded scenario was read from: the scenario, its eksctl file, its manifests.
std::set<std::string> source_files(const scenario::Scenario& s) {
  std::set<std::string> files = {s.source.file};
  if (s.eksctl) files.insert(s.eksctl->file);
  auto add = [&](const auto& declared) {
    for (const auto& d : declared) files.insert(d.source.file);
  };
  const auto& m = s.manifests;
  add(m.storage_classes);
  add(m.persistent_volumes);
  add(m.persistent_volume_claims);
  add(m.stateful_sets);
  add(m.deployments);
  add(m.replica_sets);
  add(m.pods);
  add(m.pod_disruption_budgets);
  add(m.services);
  files.erase("");
  return files;
}

/// A digest of the bytes of every file a scenario was read from, so that batches of different
/// scenario contents are never merged or resumed into one another (the paths do not count:
/// the same files elsewhere give the same digest).
std::string content_digest(const scenario::Scenario& s) {
  std::vector<std::string> parts;
  for (const auto& f : source_files(s)) parts.push_back(read_file(f));
  std::sort(parts.begin(), parts.end());
  return fingerprint(parts);
}

std::pair<std::uint64_t, std::uint64_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  auto number = [&](const std::string& s) -> std::uint64_t {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
      throw UsageError("mc: --shard must be K/N with 1 <= K <= N, not \"" + text + "\"");
    return std::stoull(s);
  };
  if (slash == std::string::npos) number("");
  const std::uint64_t k = number(text.substr(0, slash));
  const std::uint64_t n = number(text.substr(slash + 1));
  if (k < 1 || n < 1 || k > n) throw UsageError("mc: --shard must be K/N with 1 <= K <= N, not \"" + text + "\"");
  return {k, n};
}

std::uint64_t parse_count(const std::string& option, const std::string& text, std::uint64_t max) {
  if (text.empty() || text.size() > 13 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoull(text) < 1 || std::stoull(text) > max)
    throw UsageError("mc: " + option + " must be an integer from 1 to " + std::to_string(max) + ", not \"" + text + "\"");
  return std::stoull(text);
}

/// The progress line: trials done of the shard, rate and time left.
class Progress {
 public:
  Progress(bool on, std::uint64_t total) : on_(on), total_(total), start_(std::chrono::steady_clock::now()) {}
  void update(std::uint64_t done, std::uint64_t resumed_from) {
    if (!on_) return;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = secs > 0 ? static_cast<double>(done - resumed_from) / secs : 0;
    const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    const int width = 30;
    const int filled = total_ > 0 ? static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total_)) : width;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r[%s] %llu/%llu trials  %.0f/s  ETA %.0fs   ", bar.c_str(),
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_), rate, left);
    std::fflush(stderr);
  }
  void finish() {
    if (on_) std::fprintf(stderr, "\n");
  }

 private:
  bool on_;
  std::uint64_t total_;
  std::chrono::steady_clock::time_point start_;
};

std::string render(const McDocument& d, const std::string& format) {
  return format == "json" ? to_json(d).dump(2) + "\n" : mc_text(d);
}

}  // namespace

int cmd_mc(const std::vector<std::string>& args) {
  po::options_description opts;
  opts.add_options()("trials", po::value<std::string>(), "")("threads", po::value<std::string>(), "")(
      "seed", po::value<std::string>(), "")("until", po::value<std::string>(), "")(
      "format", po::value<std::string>()->default_value("text"), "")("out", po::value<std::string>(), "")(
      "shard", po::value<std::string>(), "")("compare", po::value<std::string>(), "")(
      "until-ci", po::value<std::string>(), "")("checkpoint", po::value<std::string>(), "")(
      "checkpoint-every", po::value<std::string>(), "")("progress", "")(
      "no-progress", "");
  auto parsed = parse_scenario_command("mc", args, opts, kMcHelp);
  if (!parsed) return kExitOk;
  const po::variables_map& vm = parsed->vm;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") throw UsageError("mc: --format must be text or json, not \"" + format + "\"");
  if (!vm.count("trials")) throw UsageError("mc: --trials N is required (see azsim mc --help)");
  if (vm.count("progress") && vm.count("no-progress")) throw UsageError("mc: --progress and --no-progress exclude each other");
  if (vm.count("checkpoint") && vm.count("out"))
    refuse_same_output("mc", "--checkpoint", vm["checkpoint"].as<std::string>(), "--out", vm["out"].as<std::string>());
  std::chrono::microseconds checkpoint_every = std::chrono::seconds(5);
  if (vm.count("checkpoint-every")) {
    if (!vm.count("checkpoint")) throw UsageError("mc: --checkpoint-every needs --checkpoint FILE");
    const sim::Duration every = parse_duration_arg("--checkpoint-every", vm["checkpoint-every"].as<std::string>());
    checkpoint_every = std::chrono::microseconds(every.us());
  }

  run::BatchOptions bo;
  bo.trials = parse_count("--trials", vm["trials"].as<std::string>(), 1'000'000'000'000ull);
  if (vm.count("threads")) bo.threads = static_cast<unsigned>(parse_count("--threads", vm["threads"].as<std::string>(), 1024));
  if (vm.count("seed")) bo.seed = parse_seed_arg("mc", vm["seed"].as<std::string>());
  if (vm.count("until")) bo.until = parse_until_arg(vm["until"].as<std::string>());
  if (vm.count("shard")) {
    const auto [k, n] = parse_shard(vm["shard"].as<std::string>());
    bo.shard_index = k - 1;
    bo.shard_count = n;
  }
  if (vm.count("until-ci")) {
    const std::string spec = vm["until-ci"].as<std::string>();
    const auto eq = spec.find('=');
    const std::string metric = spec.substr(0, eq);
    const auto& names = metrics::ci_metric_names();
    if (eq == std::string::npos || std::find(names.begin(), names.end(), metric) == names.end()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      throw UsageError("mc: --until-ci must be METRIC=WIDTH with METRIC one of " + list + ", not \"" + spec + "\"");
    }
    char* end = nullptr;
    const std::string w = spec.substr(eq + 1);
    const double width = std::strtod(w.c_str(), &end);
    if (w.empty() || end != w.c_str() + w.size() || !(width > 0) || !std::isfinite(width))
      throw UsageError("mc: --until-ci WIDTH must be a positive number, not \"" + w + "\"");
    bo.until_ci_metric = metric;
    bo.until_ci_width = width;
  }

  if (bo.until_ci_metric && vm.count("shard"))
    throw UsageError("mc: --until-ci cannot be combined with --shard: each shard would stop on its own interval");

  MpiRanks mpi;
  if (!vm.count("threads")) bo.threads = mpi.default_threads();
  if (mpi.size() > 1) {
    if (vm.count("shard")) throw UsageError("mc: --shard cannot be combined with mpirun (the ranks are the shards)");
    if (vm.count("until-ci")) throw UsageError("mc: --until-ci cannot be combined with mpirun");
    if (vm.count("checkpoint")) throw UsageError("mc: --checkpoint cannot be combined with mpirun");
    bo.shard_index = static_cast<std::uint64_t>(mpi.rank());
    bo.shard_count = static_cast<std::uint64_t>(mpi.size());
  }

  auto sa = load_or_report(parsed->scenario, std::cerr, bo.until);
  if (!sa) return kExitInvalid;
  std::optional<scenario::Scenario> sb;
  if (vm.count("compare")) {
    sb = load_or_report(vm["compare"].as<std::string>(), std::cerr, bo.until);
    if (!sb) return kExitInvalid;
  }
  if (sb) {
    // Paired figures need the same metrics on both sides.
    auto levels = [](const scenario::Scenario& s) {
      std::vector<std::string> out;
      for (const auto& d : s.data) {
        std::string l = d.name + " (" + scenario::to_string(d.type) + ")";
        for (const auto& c : d.consistency)
          l += std::string(" ") + scenario::to_string(c.read) + "/" + scenario::to_string(c.write);
        out.push_back(l);
      }
      return out;
    };
    if (levels(*sa) != levels(*sb))
      throw UsageError("mc: --compare needs the same data services (name, type and consistency) in both scenarios; " +
                       parsed->scenario + " and " + vm["compare"].as<std::string>() + " differ");
    if (!bo.until && sa->duration != sb->duration)
      throw UsageError("mc: --compare needs the same spec.duration in both scenarios (" +
                       sim::format_duration(sa->duration) + " and " + sim::format_duration(sb->duration) +
                       "), or --until for both");
  }
  if (!sa->failures.any() && mpi.rank() == 0)
    std::cerr << "azsim: warning: " << parsed->scenario
              << " has no spec.failures: every trial plays only the scripted spec.faults\n";

  McDocument doc;
  doc.scenario = sa->name;
  doc.digest = content_digest(*sa) + (sb ? "-" + content_digest(*sb) : "");
  if (sb) doc.compare = sb->name;
  doc.seed = bo.seed.value_or(sa->seed);
  bo.seed = doc.seed;  // both designs on the same streams, whatever B's spec.seed says
  doc.trials_requested = bo.trials;
  doc.shard_count = bo.shard_count;
  doc.shards = {bo.shard_index + 1};
  doc.until_ci_metric = bo.until_ci_metric;
  doc.until_ci_width = bo.until_ci_width;

  const std::uint64_t shard_total = run::shard_trials(bo.trials, bo.shard_index, bo.shard_count);
  // Resume from a checkpoint of the same batch.
  run::BatchState start;
  std::string checkpoint_path;
  std::string print;
  if (vm.count("checkpoint")) {
    checkpoint_path = vm["checkpoint"].as<std::string>();
    print = fingerprint({doc.digest, std::to_string(doc.seed), std::to_string(bo.trials),
                         bo.until ? std::to_string(bo.until->us()) : "", std::to_string(bo.shard_index),
                         std::to_string(bo.shard_count), bo.until_ci_metric.value_or(""),
                         sim::to_hexfloat(bo.until_ci_width), kVersion});
    if (std::ifstream probe(checkpoint_path); probe) {
      nlohmann::json cj;
      try {
        cj = nlohmann::json::parse(read_file(checkpoint_path));
        if (!cj.contains("checkpoint") || cj["checkpoint"].value("fingerprint", "") != print)
          throw UsageError("mc: checkpoint " + checkpoint_path +
                           " belongs to another batch (other scenario files or arguments); remove it to start afresh");
        const McDocument saved = mc_document_from_json(cj, McRead::Resume);
        start.result = saved.result;
        start.blocks_done = cj["checkpoint"].at("blocks_done").get<std::uint64_t>();
        start.complete = cj["checkpoint"].at("complete").get<bool>();
        start.stopped_early = saved.stopped_early;
        if (start.blocks_done > run::block_count(shard_total) ||
            start.result.a.trials != run::trials_in_blocks(shard_total, start.blocks_done) ||
            (start.complete && !start.stopped_early && start.blocks_done != run::block_count(shard_total)))
          throw std::invalid_argument("its trial count does not match its blocks");
        std::cerr << "azsim: mc: resuming from " << checkpoint_path << ": " << start.result.a.trials << " of "
                  << shard_total << " trials already done\n";
      } catch (const UsageError&) {
        throw;
      } catch (const std::exception& e) {
        throw UsageError("mc: checkpoint " + checkpoint_path + " is not readable: " + e.what());
      }
    }
  }

  const bool tty = ::isatty(STDERR_FILENO);
  Progress progress(mpi.rank() == 0 && (vm.count("progress") || (tty && !vm.count("no-progress"))), shard_total);
  const std::uint64_t resumed = run::trials_in_blocks(shard_total, start.blocks_done);
  auto last_save = std::chrono::steady_clock::now();
  auto save = [&](const run::BatchState& st) {
    McDocument d = doc;
    d.result = st.result;
    d.stopped_early = st.stopped_early;
    nlohmann::json j = to_json(d);
    j["checkpoint"] = {{"fingerprint", print}, {"blocks_done", st.blocks_done}, {"complete", st.complete}};
    const std::string err = write_file_atomic(checkpoint_path, j.dump() + "\n");
    if (!err.empty()) throw UsageError(err);
  };
  // Ctrl-C lets the running block finish and keeps it (mpirun handles signals itself).
  if (mpi.size() == 1) {
    g_interrupted = false;
    bo.interrupt = &g_interrupted;
    install_interrupt_handlers();
  }
  run::BatchState done;
  try {
  done = run::run_batch(*sa, sb ? &*sb : nullptr, bo, start, [&](const run::BatchState& st) {
    progress.update(run::trials_in_blocks(shard_total, st.blocks_done), resumed);
    if (!checkpoint_path.empty()) {
      const auto now = std::chrono::steady_clock::now();
      if (st.complete || now - last_save >= checkpoint_every) {
        save(st);
        last_save = now;
      }
    }
  });
  } catch (const std::exception& e) {
    // Under mpirun a rank that stops alone would leave the others waiting for its part.
    if (mpi.size() > 1) mpi.abort(std::string("azsim: rank ") + std::to_string(mpi.rank()) + ": " + e.what());
    throw;
  }
  progress.finish();
  if (!done.complete) {  // interrupted between blocks
    const std::string kept = std::to_string(done.result.a.trials) + " of " + std::to_string(shard_total) + " trials";
    if (checkpoint_path.empty()) {
      std::cerr << "azsim: mc: interrupted after " << kept
                << "; nothing kept (--checkpoint FILE lets a rerun resume an interrupted batch)\n";
    } else {
      save(done);
      std::cerr << "azsim: mc: interrupted after " << kept << "; " << checkpoint_path
                << " keeps them: run the same command again to resume\n";
    }
    return kExitInterrupted;
  }

  doc.result = done.result;
  doc.stopped_early = done.stopped_early;
  if (mpi.size() > 1) {
    // Rank 0 merges every rank's part (the ranks are the shards of one batch).
    const std::vector<std::string> parts = mpi.gather(to_json(doc).dump());
    if (mpi.rank() != 0) return kExitOk;
    std::vector<McDocument> docs;
    for (const auto& p : parts) docs.push_back(mc_document_from_json(nlohmann::json::parse(p)));
    try {
      doc = merge_documents(docs);
    } catch (const std::exception& e) {
      throw UsageError(std::string("mc: the ranks' parts do not merge: ") + e.what());
    }
  }
  emit(render(doc, format), vm.count("out") ? vm["out"].as<std::string>() : std::string());
  return kExitOk;
}

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description opts;
  opts.add_options()("help,h", "")("format", po::value<std::string>()->default_value("text"), "")(
      "out", po::value<std::string>(), "")("part", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("part", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string("merge: ") + e.what() + " (see azsim merge --help)");
  }
  if (vm.count("help")) {
    std::cout << kMergeHelp;
    return kExitOk;
  }
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") throw UsageError("merge: --format must be text or json, not \"" + format + "\"");
  if (!vm.count("part")) throw UsageError("merge: expected one or more PART.json files (see azsim merge --help)");
  std::vector<McDocument> docs;
  for (const auto& path : vm["part"].as<std::vector<std::string>>()) {
    try {
      docs.push_back(mc_document_from_json(nlohmann::json::parse(read_file(path))));
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {
      throw UsageError("merge: " + path + " is not an `azsim mc --format json` output: " + e.what());
    }
  }
  McDocument merged;
  try {
    merged = merge_documents(docs);
  } catch (const std::exception& e) {  // parts that contradict each other, or sums out of range
    throw UsageError(std::string("merge: ") + e.what());
  }
  emit(render(merged, format), vm.count("out") ? vm["out"].as<std::string>() : std::string());
  return kExitOk;
}

}  // namespace azsim::cli
