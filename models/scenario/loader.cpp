// The load pipeline: read and parse the scenario file, sort its documents (the Scenario, an
// eksctl ClusterConfig, Kubernetes manifests), fetch the files it names, read everything into
// a Scenario, then resolve and validate it.
#include "models/scenario/loader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <new>

#include "models/scenario/limits.hpp"
#include "models/scenario/manifest_parse.hpp"
#include "models/scenario/reader.hpp"
#include "models/scenario/spec_parse.hpp"
#include "models/scenario/suggest.hpp"
#include "models/scenario/validate.hpp"

namespace azsim::scenario {

namespace {

using DocPtr = std::shared_ptr<const Node>;

std::string dirname_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

std::string resolve_path(const std::string& base_file, const std::string& ref) {
  if (!ref.empty() && ref[0] == '/') return ref;
  return dirname_of(base_file) + ref;
}

std::string kind_of(const Node& doc) {
  const Node* k = doc.find("kind");
  return (k != nullptr && k->is_scalar()) ? k->text : std::string();
}

std::string api_of(const Node& doc) {
  const Node* a = doc.find("apiVersion");
  return (a != nullptr && a->is_scalar()) ? a->text : std::string();
}

bool is_eksctl(const Node& doc) { return kind_of(doc) == "ClusterConfig" && api_of(doc).rfind("eksctl.io/", 0) == 0; }
/// Meant as an eksctl config, perhaps with a wrong version or kind: read it as one for precise errors.
bool looks_eksctl(const Node& doc) {
  return kind_of(doc) == "ClusterConfig" || api_of(doc).rfind("eksctl.io/", 0) == 0;
}
bool is_scenario(const Node& doc) { return kind_of(doc) == "Scenario"; }

/// One load in progress: owns the contexts and trees every Field points into.
class Loader {
 public:
  Loader(const LoadOptions& options) : options_(options) {}

  LoadResult run(std::string_view text, const std::string& path);

 private:
  const ReadContext& context(const std::string& file) {
    diags_.add_file(file);
    contexts_.push_back(ReadContext{file, &diags_});
    return contexts_.back();
  }

  /// Parses a file's text, enforcing the limit on all values read in one load. nullopt after
  /// a syntax error (already reported).
  std::optional<std::vector<DocPtr>> parse(std::string_view text, const std::string& file) {
    ParsedFile parsed = parse_text(text, file, diags_);
    if (!parsed.ok) {
      incomplete_ = true;
      return std::nullopt;
    }
    total_values_ += parsed.values;
    if (total_values_ > limits::kMaxTotalTreeNodes) {
      diags_.error(SourceLoc{file, 1, 1}, "",
                   "the scenario's files hold more than " + std::to_string(limits::kMaxTotalTreeNodes) +
                       " values together: azsim's limit");
      return std::nullopt;
    }
    std::vector<DocPtr> out;
    for (auto& d : parsed.documents) out.push_back(std::make_shared<const Node>(std::move(d)));
    return out;
  }

  /// Reads a file named by the scenario; reports at `at` when it cannot.
  std::optional<std::string> fetch(const std::string& resolved, const std::string& written, const Field& at) {
    if (++files_read_ > limits::kMaxFiles) {
      at.error("more than " + std::to_string(limits::kMaxFiles) + " files: azsim's limit for one scenario");
      return std::nullopt;
    }
    const FileRead r = options_.read_file ? options_.read_file(resolved) : read_file_from_disk(resolved);
    if (!r.ok) {
      incomplete_ = true;
      std::string msg = "cannot read \"" + written + "\"";
      if (resolved != written) msg += " (" + resolved + ")";
      at.error(msg + ": " + r.error);
      return std::nullopt;
    }
    return r.text;
  }

  void add_manifest(const DocPtr& doc, const ReadContext& ctx) {
    if (diags_.saturated()) return;  // nothing more would be shown
    if (manifests_read_ >= limits::kMaxManifestObjects) {
      if (manifests_read_ == limits::kMaxManifestObjects)
        diags_.error(SourceLoc{ctx.file, doc->line, doc->col}, "",
                     "more than " + std::to_string(limits::kMaxManifestObjects) + " Kubernetes objects: azsim's limit");
      ++manifests_read_;
      return;
    }
    ++manifests_read_;
    manifest::read_manifest(doc, ctx, scenario_.manifests, priorities_);
  }

  /// A document from a manifest file or the scenario stream: a manifest, or a ClusterConfig.
  void route(const DocPtr& doc, const ReadContext& ctx) {
    if (is_eksctl(*doc)) {
      set_eksctl(doc, ctx, "", doc);
      return;
    }
    add_manifest(doc, ctx);
  }

  /// `path` is where an inline config sits in the Scenario document ("" for a document of
  /// its own); `source` is the tree its node groups' paths are looked up in.
  void set_eksctl(const DocPtr& doc, const ReadContext& ctx, const std::string& path, const DocPtr& source) {
    const Field root = Field::root(*doc, path, ctx);
    if (eksctl_seen_) {
      root.error("a second eksctl ClusterConfig: a scenario takes one cluster definition");
      return;
    }
    eksctl_seen_ = true;
    eksctl_ = spec::read_eksctl(root, SourceDoc{ctx.file, source});
    if (eksctl_) scenario_.eksctl = EksctlSource{ctx.file, eksctl_->name};
  }

  void load_manifest_file(const spec::ManifestSource& src, const std::string& scenario_file) {
    const std::string resolved = resolve_path(scenario_file, src.file);
    // A file listed twice would define each of its objects twice, every one "already defined"
    // at itself. `kubectl apply -f F -f F` applies the same objects twice to one effect: the
    // file is read once, with a warning at the second listing.
    const auto [first, fresh] =
        manifest_files_.emplace(std::filesystem::path(resolved).lexically_normal().string(), src.field.path());
    if (!fresh) {
      src.field.warning("\"" + src.file + "\" is listed already at " + first->second + ": it is read once");
      return;
    }
    auto text = fetch(resolved, src.file, src.field);
    if (!text) return;
    const ReadContext& ctx = context(resolved);
    const auto docs = parse(*text, resolved);
    if (!docs) return;
    for (const auto& doc : *docs) {
      if (is_scenario(*doc)) {
        Field::root(*doc, "", ctx)["kind"].error("a Scenario document cannot be in a manifest file");
        continue;
      }
      route(doc, ctx);
    }
  }

  const LoadOptions& options_;
  Diagnostics diags_;
  std::deque<ReadContext> contexts_;
  /// The manifest files read (resolved, normalised), each with the field that listed it.
  std::map<std::string, std::string> manifest_files_;
  Scenario scenario_;
  manifest::PriorityClasses priorities_;
  std::optional<spec::EksctlConfig> eksctl_;
  bool eksctl_seen_ = false;
  std::size_t files_read_ = 0;
  std::size_t manifests_read_ = 0;
  std::size_t total_values_ = 0;
  /// A file could not be read or parsed: objects may be missing, so cross-reference checks
  /// would only report follow-on errors ("pod never exists") and are skipped.
  bool incomplete_ = false;
};

LoadResult Loader::run(std::string_view text, const std::string& path) {
  LoadResult result;
  const ReadContext& main_ctx = context(path);
  const auto parsed = parse(text, path);
  if (!parsed) {  // a syntax error: nothing more can be said about this file
    result.diagnostics = diags_.sorted();
    return result;
  }
  const std::vector<DocPtr>& docs = *parsed;

  // Find the one Scenario document.
  DocPtr scenario_doc;
  for (const auto& doc : docs) {
    if (!doc->is_map()) {
      diags_.error(SourceLoc{path, doc->line, doc->col}, "",
                   "expected the Scenario document or a Kubernetes object (a map), got " +
                       Field::root(*doc, "", main_ctx).describe());
      continue;
    }
    if (!is_scenario(*doc)) continue;
    if (scenario_doc) {
      const Node* k = doc->find("kind");
      diags_.error(SourceLoc{path, k->line, k->col}, "kind",
                   "a second Scenario document (the first is at line " + std::to_string(scenario_doc->line) +
                       "): a scenario file holds exactly one");
      continue;
    }
    scenario_doc = doc;
  }
  if (!scenario_doc) {
    bool suggested = false;  // a near miss such as "kind: scenario" gets its own message
    for (const auto& doc : docs) {
      const std::string k = kind_of(*doc);
      if (!k.empty() && closest(k, {"Scenario"}) == "Scenario") {
        const Node* kn = doc->find("kind");
        diags_.error(SourceLoc{path, kn->line, kn->col}, "kind",
                     "\"" + k + "\" is not a kind (did you mean \"Scenario\"?)");
        suggested = true;
      }
    }
    if (!suggested)
      diags_.error(SourceLoc{path, 1, 1}, "",
                   "no Scenario document: a scenario file needs one document with apiVersion: azsim/v1alpha1 and "
                   "kind: Scenario (the other documents may be Kubernetes manifests)");
  }

  spec::Inputs inputs;
  if (scenario_doc) {
    scenario_.source = SourceDoc{path, scenario_doc};
    spec::read_scenario(Field::root(*scenario_doc, "", main_ctx), scenario_, inputs);
  }

  // Manifests: the stream's other documents first, then spec.manifests in order.
  for (const auto& doc : docs)
    if (doc != scenario_doc && doc->is_map() && !is_scenario(*doc)) route(doc, main_ctx);
  for (const auto& src : inputs.manifests) {
    if (!src.file.empty()) {
      load_manifest_file(src, path);
      continue;
    }
    if (src.inline_node->is_seq()) {
      for (const auto& item : src.field.items()) {
        if (!item.expect_map()) continue;
        route(DocPtr(scenario_doc, item.node()), main_ctx);
      }
    } else {
      route(DocPtr(scenario_doc, src.inline_node), main_ctx);
    }
  }

  if (inputs.eksctl) {
    const auto& ref = *inputs.eksctl;
    if (!ref.file.empty()) {
      const std::string resolved = resolve_path(path, ref.file);
      if (auto text2 = fetch(resolved, ref.file, ref.field)) {
        const ReadContext& ctx = context(resolved);
        const auto parsed_e = parse(*text2, resolved);
        const std::vector<DocPtr> edocs = parsed_e.value_or(std::vector<DocPtr>{});
        int found = 0;
        for (const auto& d : edocs) {
          if (is_eksctl(*d) || (edocs.size() == 1 && looks_eksctl(*d))) {
            ++found;
            set_eksctl(d, ctx, "", d);  // a second one is reported there
          }
        }
        if (found == 0 && !edocs.empty())
          ref.field.error("\"" + ref.file +
                          "\" holds no eksctl ClusterConfig (apiVersion: eksctl.io/v1alpha5, kind: ClusterConfig)");
        else if (edocs.empty() && parsed_e)
          ref.field.error("\"" + ref.file + "\" is empty");
      }
    } else {
      set_eksctl(DocPtr(scenario_doc, ref.inline_node), main_ctx, ref.field.path(), scenario_doc);
    }
  }

  if (scenario_doc) {
    check::resolve(scenario_, eksctl_, priorities_, diags_);
    if (!incomplete_) check::validate(scenario_, diags_);
  }

  result.diagnostics = diags_.sorted();
  if (!diags_.has_errors() && scenario_doc) result.scenario = std::move(scenario_);
  return result;
}

LoadResult failure(const std::string& file, const std::string& message) {
  Diagnostics d;
  d.error(SourceLoc{file, 0, 0}, "", message);
  LoadResult r;
  r.diagnostics = d.sorted();
  return r;
}

}  // namespace

std::vector<Diagnostic> LoadResult::errors() const {
  std::vector<Diagnostic> out;
  for (const auto& d : diagnostics)
    if (d.severity == Severity::Error) out.push_back(d);
  return out;
}

std::vector<Diagnostic> LoadResult::warnings() const {
  std::vector<Diagnostic> out;
  for (const auto& d : diagnostics)
    if (d.severity == Severity::Warning) out.push_back(d);
  return out;
}

std::string LoadResult::report() const {
  std::string out;
  for (const auto& d : diagnostics) out += format(d) + "\n";
  return out;
}

FileRead read_file_from_disk(const std::string& path) { return read_file_upto(path, limits::kMaxFileBytes); }

FileRead read_file_upto(const std::string& path, std::size_t max_bytes) {
  FileRead r;
  // Opened without waiting for a writer (a FIFO nobody writes to would block open() forever),
  // then read blocking: a pipe with a writer is read to its end, one without reads as empty.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    r.error = "no such file, or it cannot be opened";
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    r.error = "it is a directory";
    return r;
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      r.error = std::string("read error: ") + std::strerror(errno);
      return r;
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {
      ::close(fd);
      r.error = max_bytes == limits::kMaxFileBytes ? limits::over_file_limit()
                                                   : "larger than " + std::to_string(max_bytes) + " bytes";
      return r;
    }
  }
  ::close(fd);
  r.ok = true;
  r.text = std::move(text);
  return r;
}

LoadResult load_scenario_from_string(std::string_view text, const std::string& virtual_path,
                                     const LoadOptions& options) {
  try {
    Loader loader(options);
    return loader.run(text, virtual_path);
  } catch (const std::bad_alloc&) {
    return failure(virtual_path, "out of memory while loading the scenario");
  } catch (const std::exception& e) {
    return failure(virtual_path, std::string("internal error while loading the scenario: ") + e.what());
  } catch (...) {
    return failure(virtual_path, "internal error while loading the scenario");
  }
}

LoadResult load_scenario(const std::string& path, const LoadOptions& options) {
  try {
    const FileRead r = options.read_file ? options.read_file(path) : read_file_from_disk(path);
    if (!r.ok) return failure(path, "cannot read the scenario: " + r.error);
    return load_scenario_from_string(r.text, path, options);
  } catch (const std::exception& e) {
    return failure(path, std::string("internal error while loading the scenario: ") + e.what());
  }
}

}  // namespace azsim::scenario
