#include "models/k8s/labels.hpp"

#include <algorithm>
#include <charconv>

namespace azsim::k8s {

namespace {

std::optional<long long> as_int(const std::string& s) {
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

bool contains(const std::vector<std::string>& vs, const std::string& v) {
  return std::find(vs.begin(), vs.end(), v) != vs.end();
}

bool match_value(const Requirement& r, const std::string* value) {
  switch (r.op) {
    case SelectorOp::In: return value != nullptr && contains(r.values, *value);
    case SelectorOp::NotIn: return value == nullptr || !contains(r.values, *value);
    case SelectorOp::Exists: return value != nullptr;
    case SelectorOp::DoesNotExist: return value == nullptr;
    case SelectorOp::Gt:
    case SelectorOp::Lt: {
      if (value == nullptr || r.values.size() != 1) return false;
      auto have = as_int(*value), want = as_int(r.values[0]);
      if (!have || !want) return false;
      return r.op == SelectorOp::Gt ? *have > *want : *have < *want;
    }
  }
  return false;
}

}  // namespace

bool Requirement::matches(const Labels& labels) const {
  auto it = labels.find(key);
  return match_value(*this, it == labels.end() ? nullptr : &it->second);
}

bool LabelSelector::matches(const Labels& labels) const {
  for (const auto& [k, v] : match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return std::all_of(match_expressions.begin(), match_expressions.end(),
                     [&](const Requirement& r) { return r.matches(labels); });
}

bool NodeSelectorTerm::matches(const Labels& node_labels, const std::string& node_name) const {
  if (match_expressions.empty() && match_fields.empty()) return false;
  for (const auto& r : match_expressions)
    if (!r.matches(node_labels)) return false;
  for (const auto& r : match_fields) {
    const std::string* v = r.key == "metadata.name" ? &node_name : nullptr;
    if (!match_value(r, v)) return false;
  }
  return true;
}

bool NodeSelector::matches(const Labels& node_labels, const std::string& node_name) const {
  return std::any_of(terms.begin(), terms.end(),
                     [&](const NodeSelectorTerm& t) { return t.matches(node_labels, node_name); });
}

const char* to_string(SelectorOp op) {
  switch (op) {
    case SelectorOp::In: return "In";
    case SelectorOp::NotIn: return "NotIn";
    case SelectorOp::Exists: return "Exists";
    case SelectorOp::DoesNotExist: return "DoesNotExist";
    case SelectorOp::Gt: return "Gt";
    case SelectorOp::Lt: return "Lt";
  }
  return "?";
}

std::optional<SelectorOp> parse_selector_op(const std::string& s) {
  for (auto op : {SelectorOp::In, SelectorOp::NotIn, SelectorOp::Exists, SelectorOp::DoesNotExist,
                  SelectorOp::Gt, SelectorOp::Lt})
    if (s == to_string(op)) return op;
  return std::nullopt;
}

}  // namespace azsim::k8s
