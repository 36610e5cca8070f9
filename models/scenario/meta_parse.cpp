// ObjectMeta, label maps and selectors, IntOrString and EBS ids: the small pieces every
// manifest kind shares.
#include <charconv>

#include "models/scenario/manifest_parse.hpp"
#include "models/scenario/suggest.hpp"

namespace azsim::scenario::manifest {

namespace {

const std::vector<std::string> kMetaFields = {"name",
                                              "generateName",
                                              "namespace",
                                              "selfLink",
                                              "uid",
                                              "resourceVersion",
                                              "generation",
                                              "creationTimestamp",
                                              "deletionTimestamp",
                                              "deletionGracePeriodSeconds",
                                              "labels",
                                              "annotations",
                                              "ownerReferences",
                                              "finalizers",
                                              "managedFields",
                                              "clusterName"};

bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/// Label value / qualified-name part: at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends.
bool valid_label_part(const std::string& s, bool allow_empty) {
  if (s.empty()) return allow_empty;
  if (s.size() > 63 || !alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s)
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

std::string label_key_problem(const std::string& key) {
  const auto slash = key.find('/');
  const std::string name = slash == std::string::npos ? key : key.substr(slash + 1);
  if (slash != std::string::npos) {
    const std::string prefix = key.substr(0, slash);
    if (prefix.empty() || !valid_dns_name(prefix, false))
      return "the prefix \"" + prefix + "\" of label key \"" + key + "\" must be a DNS subdomain (lower case)";
  }
  if (!valid_label_part(name, false))
    return "label key \"" + key +
           "\" must be at most 63 characters of letters, digits, '-', '_' or '.', starting and ending with a "
           "letter or digit (with an optional DNS prefix and '/')";
  return {};
}

std::optional<k8s::SelectorOp> read_op(const Field& f, bool node_selector) {
  auto s = f.str();
  if (!s) {
    f.require();
    return std::nullopt;
  }
  const std::vector<std::string> ops =
      node_selector ? std::vector<std::string>{"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"}
                    : std::vector<std::string>{"In", "NotIn", "Exists", "DoesNotExist"};
  auto op = k8s::parse_selector_op(*s);
  bool allowed = false;
  for (const auto& o : ops) allowed = allowed || o == *s;
  if (!op || !allowed) {
    f.error("\"" + *s + "\" is not a valid operator: use " + one_of(ops) + did_you_mean(*s, ops));
    return std::nullopt;
  }
  return op;
}

/// matchExpressions / NodeSelectorRequirement, validated as the API server does.
std::optional<k8s::Requirement> read_requirement(const Field& f, bool node_selector) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"key", "operator", "values"}, UnknownKeys::Warn);
  k8s::Requirement r;
  auto key = f["key"].str();
  if (!key) {
    f["key"].require();
    return std::nullopt;
  }
  r.key = *key;
  auto op = read_op(f["operator"], node_selector);
  if (!op) return std::nullopt;
  r.op = *op;
  if (f["values"].present()) {
    auto values = f["values"].str_list();
    if (!values) return std::nullopt;
    r.values = *values;
  }
  switch (r.op) {
    case k8s::SelectorOp::In:
    case k8s::SelectorOp::NotIn:
      if (r.values.empty()) {
        f["values"].error("must be specified when operator is In or NotIn");
        return std::nullopt;
      }
      break;
    case k8s::SelectorOp::Exists:
    case k8s::SelectorOp::DoesNotExist:
      if (!r.values.empty()) {
        f["values"].error("may not be specified when operator is Exists or DoesNotExist");
        return std::nullopt;
      }
      break;
    case k8s::SelectorOp::Gt:
    case k8s::SelectorOp::Lt: {
      long long v = 0;
      const std::string& s = r.values.empty() ? std::string() : r.values[0];
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (r.values.size() != 1 || ec != std::errc() || p != s.data() + s.size()) {
        f["values"].error("must be a single integer when operator is Gt or Lt");
        return std::nullopt;
      }
      break;
    }
  }
  return r;
}

}  // namespace

bool valid_dns_name(const std::string& name, bool label) {
  if (name.empty() || name.size() > (label ? 63u : 253u)) return false;
  if (!lower_alnum(name.front()) || !lower_alnum(name.back())) return false;
  for (char c : name)
    if (!lower_alnum(c) && c != '-' && (label || c != '.')) return false;
  return true;
}

k8s::Labels read_string_map(const Field& f, bool labels) {
  k8s::Labels out;
  auto m = f.str_map();
  if (!m) return out;
  const auto entries = f.entries();
  for (std::size_t i = 0; i < m->size(); ++i) {
    const auto& [k, v] = (*m)[i];
    if (labels) {
      const Field& at = entries[i].second;
      if (auto problem = label_key_problem(k); !problem.empty()) {
        at.error(problem);
        continue;
      }
      if (!valid_label_part(v, true)) {
        at.error("label value \"" + v +
                 "\" must be at most 63 characters of letters, digits, '-', '_' or '.', starting and ending with a "
                 "letter or digit");
        continue;
      }
    }
    out[k] = v;
  }
  return out;
}

k8s::ObjectMeta read_meta(const Field& meta, bool namespaced, const char* kind) {
  k8s::ObjectMeta m;
  m.ns = namespaced ? "default" : "";
  if (!meta.present()) {
    meta.error("required: every " + std::string(kind) + " needs metadata.name");
    return m;
  }
  if (!meta.expect_map()) return m;
  meta.check_keys(kMetaFields, UnknownKeys::Warn);
  const Field name = meta["name"];
  if (auto n = name.str()) {
    // Namespaces and Services are DNS labels (no dots); every other kind a DNS subdomain.
    const bool label = std::string(kind) == "Namespace" || std::string(kind) == "Service";
    if (!valid_dns_name(*n, label))
      name.error("\"" + *n + "\" is not a valid " + kind + " name: use at most " + (label ? "63" : "253") +
                 " lower-case letters, digits, '-'" + (label ? "" : " or '.'") +
                 ", starting and ending with a letter or digit");
    m.name = *n;
  } else if (!name.present()) {
    if (meta["generateName"].present())
      name.error("required: azsim needs a fixed name (generateName names are chosen by the API server)");
    else
      name.require();
  }
  if (const Field ns = meta["namespace"]; ns.present()) {
    if (auto s = ns.str()) {
      if (!namespaced) {
        ns.warning(std::string(kind) + " is not namespaced; metadata.namespace is ignored");
      } else if (!valid_dns_name(*s, true)) {
        ns.error("\"" + *s + "\" is not a valid namespace name");
      } else {
        m.ns = *s;
      }
    }
  }
  m.labels = read_string_map(meta["labels"], true);
  m.annotations = read_string_map(meta["annotations"], false);
  return m;
}

k8s::LabelSelector read_label_selector(const Field& f) {
  k8s::LabelSelector sel;
  if (!f.expect_map()) return sel;
  f.check_keys({"matchLabels", "matchExpressions"}, UnknownKeys::Warn);
  sel.match_labels = read_string_map(f["matchLabels"], true);
  for (const auto& item : f["matchExpressions"].items())
    if (auto r = read_requirement(item, false)) sel.match_expressions.push_back(*r);
  return sel;
}

k8s::NodeSelectorTerm read_node_selector_term(const Field& f) {
  k8s::NodeSelectorTerm term;
  if (!f.expect_map()) return term;
  f.check_keys({"matchExpressions", "matchFields"}, UnknownKeys::Warn);
  for (const auto& item : f["matchExpressions"].items())
    if (auto r = read_requirement(item, true)) term.match_expressions.push_back(*r);
  for (const auto& item : f["matchFields"].items()) {
    auto r = read_requirement(item, true);
    if (!r) continue;
    if (r->key != "metadata.name") {
      item["key"].error("\"" + r->key + "\" is not a supported field selector: only metadata.name");
      continue;
    }
    if ((r->op != k8s::SelectorOp::In && r->op != k8s::SelectorOp::NotIn) || r->values.size() != 1) {
      item.error("a metadata.name field selector needs operator In or NotIn and exactly one value");
      continue;
    }
    term.match_fields.push_back(*r);
  }
  return term;
}

k8s::NodeSelector read_node_selector(const Field& f) {
  k8s::NodeSelector sel;
  if (!f.expect_map()) return sel;
  f.check_keys({"nodeSelectorTerms"}, UnknownKeys::Warn);
  const Field terms = f["nodeSelectorTerms"];
  if (!terms.require("a node selector needs nodeSelectorTerms")) return sel;
  const auto items = terms.items();
  if (terms.is_seq() && items.empty()) terms.error("must have at least one term");
  for (const auto& t : items) sel.terms.push_back(read_node_selector_term(t));
  return sel;
}

std::optional<k8s::IntOrPercent> read_int_or_percent(const Field& f) {
  if (!f.present()) return std::nullopt;
  const Node* n = f.node();
  if (n->is_scalar() && n->plain && resolve_plain(n->text) == ScalarType::Int) {
    auto v = f.int32(0);
    if (!v) return std::nullopt;
    return k8s::IntOrPercent{false, *v};
  }
  auto s = f.str();
  if (!s) return std::nullopt;
  std::int32_t pct = 0;
  bool ok = s->size() >= 2 && s->back() == '%' && s->size() <= 5;
  for (std::size_t i = 0; ok && i + 1 < s->size(); ++i) {
    if ((*s)[i] < '0' || (*s)[i] > '9')
      ok = false;
    else
      pct = pct * 10 + ((*s)[i] - '0');
  }
  if (!ok) {
    f.error("\"" + *s + "\" is neither an integer nor a percentage like \"50%\"");
    return std::nullopt;
  }
  if (pct > 100) {
    f.error("must not be greater than 100%, got " + *s);
    return std::nullopt;
  }
  return k8s::IntOrPercent{true, pct};
}

std::string ebs_volume_id(const std::string& written, std::string* zone_out) {
  // The in-tree plugin accepts "aws://<zone>/<id>" and "aws:///<id>" besides the bare id.
  const std::string prefix = "aws://";
  if (written.rfind(prefix, 0) != 0) return written;
  const std::string rest = written.substr(prefix.size());
  const auto slash = rest.rfind('/');
  if (slash == std::string::npos) return rest;
  if (zone_out != nullptr) *zone_out = rest.substr(0, slash);
  return rest.substr(slash + 1);
}

}  // namespace azsim::scenario::manifest
