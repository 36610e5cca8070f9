// Builds the positioned Node tree from yaml-cpp's event parser (no YAML::Node in between, so
// memory stays proportional to our own tree, which is bounded by limits::kMaxTreeNodes).
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <sstream>
#include <stdexcept>

#include "models/scenario/limits.hpp"
#include "models/scenario/tree.hpp"

namespace azsim::scenario {

namespace {

/// Thrown from inside the event handler to abandon a file that breaks a limit.
struct TreeLimitError : std::runtime_error {
  TreeLimitError(int l, int c, const std::string& what) : std::runtime_error(what), line(l), col(c) {}
  int line, col;
};

std::size_t count_nodes(const Node& n) {
  std::size_t total = 1;
  for (const auto& k : n.keys) total += count_nodes(k);
  for (const auto& i : n.items) total += count_nodes(i);
  return total;
}

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  /// The finished documents (null documents dropped).
  std::vector<Node> take_documents() { return std::move(docs_); }

  /// Reports what the current document left pending, with the paths rooted at the file (its
  /// document did not finish: a syntax error or a limit stopped the parser).
  void abandon_document() { report_pending(nullptr); }
  std::size_t values() const { return used_; }

  void OnDocumentStart(const YAML::Mark& m) override {
    // yaml-cpp 0.7 can loop forever on some malformed input (e.g. a stray ',' at block level),
    // starting empty document after empty document at the same place: stop it there.
    if (m.pos == last_document_pos_)
      throw TreeLimitError(m.line + 1, m.column + 1,
                           "invalid YAML: unexpected character, the parser cannot go on from here");
    last_document_pos_ = m.pos;
    anchors_.clear();
    stack_.clear();
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    Node n = leaf(m);
    n.kind = Node::Kind::Null;
    finish(std::move(n), anchor, 1);
  }

  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw TreeLimitError(m.line + 1, m.column + 1, "alias to an unknown anchor");
    charge(it->second.second, m);
    Node copy = it->second.first;
    copy.line = m.line + 1;  // point at the alias, where the user reads it
    copy.col = m.column + 1;
    finish(std::move(copy), 0, 0);
  }

  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    Node n = leaf(m);
    n.kind = Node::Kind::Scalar;
    n.text = value;
    // yaml-cpp tags quoted and block scalars "!" and plain ones "?"; an explicit !!str also
    // makes a string. Other explicit tags (!!int ...) keep the plain-scalar reading.
    n.plain = !(tag == "!" || tag == "tag:yaml.org,2002:str");
    charge(1, m);
    finish(std::move(n), anchor, 1);
  }

  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(m, Node::Kind::Sequence, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(m, Node::Kind::Map, anchor);
  }
  void OnMapEnd() override {
    Frame& f = stack_.back();
    apply_merge_keys(f.node);
    close();
  }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    std::size_t first_count = 0;  // node budget used when the frame opened
    bool has_key = false;
    Node key;
  };

  Node leaf(const YAML::Mark& m) const {
    Node n;
    n.line = m.line + 1;
    n.col = m.column + 1;
    return n;
  }

  void charge(std::size_t n, const YAML::Mark& m) { charge(n, m.line + 1, m.column + 1); }
  void charge(std::size_t n, int line, int col) {
    used_ += n;
    if (used_ > limits::kMaxTreeNodes)
      throw TreeLimitError(line, col,
                           "more than " + std::to_string(limits::kMaxTreeNodes) +
                               " values (after expanding aliases): the file is too large for a scenario");
  }

  void open(const YAML::Mark& m, Node::Kind kind, YAML::anchor_t anchor) {
    if (static_cast<int>(stack_.size()) >= limits::kMaxDepth)
      throw TreeLimitError(m.line + 1, m.column + 1,
                           "lists and maps nested more than " + std::to_string(limits::kMaxDepth) + " deep");
    charge(1, m);
    Frame f;
    f.node = leaf(m);
    f.node.kind = kind;
    f.anchor = anchor;
    f.first_count = used_ - 1;
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    finish(std::move(f.node), f.anchor, used_ - f.first_count);
  }

  /// Places a completed value into its parent (or as the document root) and records anchors.
  void finish(Node n, YAML::anchor_t anchor, std::size_t size) {
    if (anchor != 0) {
      // The stored copy costs memory too: charge it, or nested anchors could multiply it.
      if (size == 0) size = count_nodes(n);
      charge(size, n.line, n.col);
      anchors_[anchor] = {n, size};
    }
    if (stack_.empty()) {
      report_pending(&n);
      if (!n.is_null()) docs_.push_back(std::move(n));
      return;
    }
    Frame& parent = stack_.back();
    if (parent.node.kind == Node::Kind::Sequence) {
      parent.node.items.push_back(std::move(n));
      return;
    }
    if (!parent.has_key) {
      parent.key = std::move(n);
      parent.has_key = true;
      return;
    }
    parent.has_key = false;
    Node key = std::move(parent.key);
    if (!key.is_scalar()) {
      diags_.error(SourceLoc{file_, key.line, key.col}, "",
                   key.is_null() ? "empty mapping key" : "mapping keys must be plain strings, not lists or maps");
      return;
    }
    // `key:` with nothing after it: yaml-cpp places the null at the next token, possibly lines
    // below; the key is where the user looks.
    if (n.is_null() && n.line != key.line) {
      n.line = key.line;
      n.col = key.col;
    }
    parent.node.keys.push_back(std::move(key));
    parent.node.items.push_back(std::move(n));
  }

  /// One step of a field path: a map key, or a list index.
  struct Step {
    bool index = false;
    std::size_t i = 0;
    std::string key;
  };

  /// A problem found inside a document, reported once the document is complete: its path then
  /// starts at the Kubernetes object that holds it ("StatefulSet/web.spec.replicas"), as the
  /// manifest reader's own diagnostics do, which the open frames cannot tell yet.
  struct Pending {
    int line = 0, col = 0;
    std::vector<Step> steps;
    std::string message;
  };

  /// The steps to `key` in the innermost open map: every enclosing map is filling the value of
  /// its last key, every list its next item.
  std::vector<Step> key_steps(const std::string& key) const {
    std::vector<Step> steps;
    for (std::size_t i = 0; i + 1 < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      if (f.node.kind == Node::Kind::Sequence) steps.push_back(Step{true, f.node.items.size(), {}});
      else steps.push_back(Step{false, 0, f.key.text});
    }
    steps.push_back(Step{false, 0, key});
    return steps;
  }

  void pend(int line, int col, const std::string& key, std::string message) {
    pending_.push_back(Pending{line, col, key_steps(key), std::move(message)});
  }

  /// "Kind/name" when `n` is a Kubernetes object the manifest reader reads as one (apiVersion
  /// and kind given; not the Scenario, an eksctl ClusterConfig or a List, whose items are).
  static std::optional<std::string> object_ref(const Node& n) {
    const Node* api = n.find("apiVersion");
    const Node* kind = n.find("kind");
    if (api == nullptr || kind == nullptr || !api->is_scalar() || !kind->is_scalar()) return std::nullopt;
    if (kind->text == "Scenario" || kind->text == "List" || kind->text == "ClusterConfig") return std::nullopt;
    const Node* meta = n.find("metadata");
    const Node* name = meta != nullptr ? meta->find("name") : nullptr;
    return kind->text + "/" + (name != nullptr && name->is_scalar() && !name->text.empty() ? name->text : "?");
  }

  /// The field path of `steps` in the finished document `root` (nullptr: none), starting at the
  /// outermost Kubernetes object on the way when there is one.
  static std::string path_in(const Node* root, const std::vector<Step>& steps) {
    std::string path;
    std::size_t from = 0;
    const Node* n = root;
    for (std::size_t i = 0; n != nullptr && i < steps.size(); ++i) {
      if (const auto ref = object_ref(*n)) {
        path = *ref;
        from = i;
        break;
      }
      const Step& st = steps[i];
      n = st.index ? (n->is_seq() && st.i < n->items.size() ? &n->items[st.i] : nullptr) : n->find(st.key);
    }
    for (std::size_t i = from; i < steps.size(); ++i) {
      if (steps[i].index) path += "[" + std::to_string(steps[i].i) + "]";
      else path += (path.empty() ? "" : ".") + steps[i].key;
    }
    return path;
  }

  void report_pending(const Node* root) {
    for (auto& p : pending_) diags_.error(SourceLoc{file_, p.line, p.col}, path_in(root, p.steps), std::move(p.message));
    pending_.clear();
  }

  /// Rejects duplicate keys (kubectl does: "mapping key already defined") and expands YAML
  /// merge keys: `<<: *base` or `<<: [*a, *b]` copy the entries the map does not set itself,
  /// earlier sources first. `map` is the innermost open frame's.
  void apply_merge_keys(Node& map) {
    std::map<std::string, std::pair<int, int>> seen;  // key -> line, column of its first use
    Node merged;
    merged.kind = Node::Kind::Map;
    merged.line = map.line;
    merged.col = map.col;
    std::vector<const Node*> sources;
    for (std::size_t i = 0; i < map.keys.size(); ++i) {
      const Node& k = map.keys[i];
      if (k.plain && k.text == "<<") {
        const Node& v = map.items[i];
        if (v.is_map()) {
          sources.push_back(&v);
        } else if (v.is_seq()) {
          for (const auto& s : v.items) {
            if (s.is_map())
              sources.push_back(&s);
            else
              pend(s.line, s.col, "<<", "a merge key (<<) takes maps only");
          }
        } else {
          pend(v.line, v.col, "<<", "a merge key (<<) takes a map or a list of maps");
        }
        continue;
      }
      auto [it, fresh] = seen.emplace(k.text, std::make_pair(k.line, k.col));
      if (!fresh) {
        pend(k.line, k.col, k.text,
             "mapping key \"" + k.text + "\" already defined at " + std::to_string(it->second.first) + ":" +
                 std::to_string(it->second.second));
        continue;
      }
      merged.keys.push_back(k);
      merged.items.push_back(std::move(map.items[i]));
    }
    for (const Node* s : sources) {
      for (std::size_t j = 0; j < s->keys.size(); ++j) {
        if (!seen.emplace(s->keys[j].text, std::make_pair(s->keys[j].line, s->keys[j].col)).second) continue;
        const std::size_t size = count_nodes(s->items[j]) + 1;
        charge(size, map.line, map.col);
        merged.keys.push_back(s->keys[j]);
        merged.items.push_back(s->items[j]);
      }
    }
    map = std::move(merged);
  }

  const std::string& file_;
  Diagnostics& diags_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, std::pair<Node, std::size_t>> anchors_;
  std::vector<Node> docs_;
  std::vector<Pending> pending_;
  std::size_t used_ = 0;
  int last_document_pos_ = -1;
};

}  // namespace

const Node* Node::find(std::string_view key) const {
  if (kind != Kind::Map) return nullptr;
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i].text == key) return &items[i];
  return nullptr;
}

bool is_json_name(std::string_view file) {
  if (file.size() < 5) return false;
  std::string ext(file.substr(file.size() - 5));
  for (auto& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return ext == ".json";
}

namespace {

/// True when text[i] is a carriage return that ends a line by itself (not followed by LF):
/// YAML 1.2 (section 5.4) ends a line at LF, CR LF or a CR alone.
bool lone_cr_at(std::string_view text, std::size_t i) {
  return text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n');
}

}  // namespace

LineCol line_col_at(std::string_view text, std::size_t offset) {
  LineCol lc;
  if (offset > text.size()) offset = text.size();
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n' || lone_cr_at(text, i)) {
      ++lc.line;
      lc.col = 1;
    } else {
      ++lc.col;
    }
  }
  return lc;
}

namespace {

/// Offset and description of the first byte of `text` that is not well-formed UTF-8, or that
/// starts a control character YAML does not allow in a stream (C0 controls other than tab, line
/// feed and carriage return, and DEL; YAML 1.2 section 5.1).
std::optional<std::pair<std::size_t, std::string>> first_unreadable(std::string_view text) {
  auto hex = [](unsigned char c) {
    static const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[c >> 4] + digits[c & 15];
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
        return std::pair{i, "control character " + hex(c) + " (not allowed in YAML or JSON text)"};
      ++i;
      continue;
    }
    // Well-formed sequences (Unicode 15, table 3-7): no overlong forms, no surrogates, nothing
    // above U+10FFFF.
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    bool ok = n != 0 && i + n <= text.size();
    for (std::size_t k = 1; ok && k < n; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      ok = k == 1 ? d >= lo && d <= hi : d >= 0x80 && d <= 0xBF;
    }
    if (!ok) return std::pair{i, "byte " + hex(c) + " is not valid UTF-8 here: scenario files are UTF-8 text"};
    i += n;
  }
  return std::nullopt;
}

}  // namespace

bool check_text(std::string_view text, const std::string& file, Diagnostics& diags) {
  if (text.size() > limits::kMaxFileBytes) {
    diags.error(SourceLoc{file, 1, 1}, "", "file is " + limits::over_file_limit());
    return false;
  }
  if (const auto bad = first_unreadable(text)) {
    const LineCol lc = line_col_at(text, bad->first);
    diags.error(SourceLoc{file, lc.line, lc.col}, "", bad->second);
    return false;
  }
  return true;
}

ParsedFile parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags) {
  ParsedFile out;
  out.file = file;
  if (!check_text(text, file, diags)) return out;
  const std::size_t errors_before = diags.error_count();
  // The parser knows LF and CR LF only: a lone CR becomes LF, which keeps every offset, so
  // lines and columns stay right.
  std::string normalised(text);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (lone_cr_at(text, i)) normalised[i] = '\n';
  std::istringstream in{std::move(normalised)};
  TreeBuilder builder(file, diags);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const TreeLimitError& e) {
    builder.abandon_document();
    diags.error(SourceLoc{file, e.line, e.col}, "", e.what());
    return out;
  } catch (const YAML::Exception& e) {
    builder.abandon_document();
    const int line = e.mark.is_null() ? 1 : e.mark.line + 1;
    const int col = e.mark.is_null() ? 1 : e.mark.column + 1;
    diags.error(SourceLoc{file, line, col}, "", "invalid YAML: " + e.msg);
    return out;
  }
  out.documents = builder.take_documents();
  out.values = builder.values();
  out.ok = diags.error_count() == errors_before;
  return out;
}

ParsedFile parse_text(std::string_view text, const std::string& file, Diagnostics& diags) {
  return is_json_name(file) ? parse_json(text, file, diags) : parse_yaml(text, file, diags);
}

}  // namespace azsim::scenario
