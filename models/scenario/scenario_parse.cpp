// The Scenario document's top level: apiVersion, metadata, and spec's simple fields; the
// sections are read by their own files.
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "models/scenario/limits.hpp"
#include "models/scenario/spec_parse.hpp"

namespace azsim::scenario::spec {

namespace {

/// True when `text` (UTF-8) holds a C0 control, DEL or a C1 control (U+0080 to U+009F).
bool has_control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u < 0x20 || u == 0x7F) return true;
    if (u == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return true;
  }
  return false;
}

constexpr const char* kApiVersion = "azsim/v1alpha1";

/// The file name without directory and extension: the default scenario name.
std::string stem(const std::string& file) {
  std::string base = file.substr(file.find_last_of('/') + 1);
  const auto dot = base.find('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

/// A file path as written (relative to the scenario file); an empty one is an error here, since
/// an empty path elsewhere means "written in place".
std::optional<std::string> path_of(const Field& f) {
  auto path = f.str();
  if (path && path->empty()) {
    f.error("empty path: name a file (relative to the scenario file)");
    return std::nullopt;
  }
  return path;
}

void read_manifest_sources(const Field& f, Inputs& inputs) {
  for (const auto& item : f.items()) {
    if (item.is_scalar()) {  // a bare path
      if (auto file = path_of(item)) inputs.manifests.push_back({*file, nullptr, item});
      continue;
    }
    if (!item.expect_map()) continue;
    // A Kubernetes object written in place (it has a kind), or {file: ...} / {inline: ...}.
    if (item.has("kind") || item.has("apiVersion")) {
      inputs.manifests.push_back({"", item.node(), item});
      continue;
    }
    item.check_keys({"file", "inline"}, UnknownKeys::Error,
                    "a manifest entry is {file: PATH}, {inline: OBJECT} or an object with apiVersion and kind");
    const Field file = item["file"], inl = item["inline"];
    if (file.present() && inl.present()) {
      inl.error("give either file or inline, not both");
    } else if (file.present()) {
      if (auto path = path_of(file)) inputs.manifests.push_back({*path, nullptr, file});
    } else if (inl.present()) {
      if (inl.is_map() || inl.is_seq())
        inputs.manifests.push_back({"", inl.node(), inl});
      else
        inl.error("expected a Kubernetes object or a list of them, got " + inl.describe());
    } else {
      item.error("a manifest entry needs file: PATH or inline: OBJECT");
    }
  }
}

void read_eksctl_ref(const Field& f, Inputs& inputs) {
  if (f.is_scalar()) {
    if (auto file = path_of(f)) inputs.eksctl = EksctlRef{*file, nullptr, f};
    return;
  }
  if (!f.expect_map()) return;
  if (f.has("apiVersion") || f.has("kind") || f.has("managedNodeGroups") || f.has("nodeGroups")) {
    inputs.eksctl = EksctlRef{"", f.node(), f};
    return;
  }
  f.check_keys({"file", "inline"}, UnknownKeys::Error,
               "spec.eksctl is {file: PATH}, {inline: CLUSTERCONFIG} or the ClusterConfig itself");
  const Field file = f["file"], inl = f["inline"];
  if (file.present() && inl.present())
    inl.error("give either file or inline, not both");
  else if (file.present()) {
    if (auto path = path_of(file)) inputs.eksctl = EksctlRef{*path, nullptr, file};
  } else if (inl.expect_map()) {
    inputs.eksctl = EksctlRef{"", inl.node(), inl};
  } else if (!inl.present()) {
    f.error("spec.eksctl needs file: PATH or inline: CLUSTERCONFIG");
  }
}

}  // namespace

void read_scenario(const Field& root, Scenario& out, Inputs& inputs) {
  root.check_keys({"apiVersion", "kind", "metadata", "spec"}, UnknownKeys::Error);
  if (auto api = root["apiVersion"].str()) {
    if (*api != kApiVersion)
      root["apiVersion"].error("\"" + *api + "\" is not a scenario version this azsim reads: use " + kApiVersion);
  } else {
    root["apiVersion"].require(std::string("apiVersion: ") + kApiVersion);
  }

  out.name = stem(root.file());
  if (const Field meta = root["metadata"]; meta.expect_map()) {
    meta.check_keys({"name", "description", "labels", "annotations"}, UnknownKeys::Error);
    if (auto n = meta["name"].str()) {
      // Printed at the head of every report and in `validate`'s "ok" line: printable text only
      // (C0 controls, DEL and the UTF-8 C1 controls would reach a terminal raw).
      if (n->empty())
        meta["name"].error("must not be empty");
      else if (has_control_character(*n))
        meta["name"].error("must not contain control characters: the name heads every report");
      else
        out.name = *n;
    }
    if (auto d = meta["description"].str()) out.description = *d;
    meta["labels"].str_map();
    meta["annotations"].str_map();
  }

  const Field spec = root["spec"];
  if (!spec.require("the scenario's cluster, workloads and faults") || !spec.expect_map()) return;
  spec.check_keys({"seed", "duration", "setupTimeout", "kubernetes", "cloud", "eksctl", "manifests", "data", "setup",
                   "faults", "failures"},
                  UnknownKeys::Error);
  if (auto s = spec["seed"].uint64()) out.seed = *s;
  const char* kDurationNote = "100 years, azsim's longest run";
  if (auto d = spec["duration"].duration()) {
    if (*d <= sim::Duration::zero())
      spec["duration"].error("must be greater than 0");
    else if (*d > limits::kMaxDuration)
      spec["duration"].error(std::string("must be at most 100y (") + kDurationNote + ")");
    else
      out.duration = *d;
  }
  if (auto d = spec["setupTimeout"].duration()) {
    if (*d <= sim::Duration::zero())
      spec["setupTimeout"].error("must be greater than 0");
    else if (*d > limits::kMaxDuration)
      spec["setupTimeout"].error(std::string("must be at most 100y (") + kDurationNote + ")");
    else
      out.setup_timeout = *d;
  }
  if (spec["kubernetes"].expect_map()) read_kubernetes(spec["kubernetes"], out.kubernetes, out.admission_plugins);
  if (spec["cloud"].expect_map()) read_cloud(spec["cloud"], out.cloud);
  if (spec["eksctl"].present()) read_eksctl_ref(spec["eksctl"], inputs);
  if (spec["manifests"].present()) read_manifest_sources(spec["manifests"], inputs);
  if (spec["data"].present()) read_data(spec["data"], out.data);
  if (spec["setup"].present()) read_setup(spec["setup"], out.setup);
  if (spec["faults"].present()) read_faults(spec["faults"], out.faults);
  if (spec["failures"].expect_map()) read_failures(spec["failures"], out.failures);
}

}  // namespace azsim::scenario::spec
