// Running the built azsim binary from tests: its exit status, stdout and stderr, captured
// through temporary files (not pipes, so a large report cannot dead-lock the child), and the
// paths and small file helpers the CLI tests share.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace azsim::cli::testing {

namespace fs = std::filesystem;

/// The repository root (compile definition AZSIM_SOURCE_DIR).
inline fs::path source_dir() { return fs::path(AZSIM_SOURCE_DIR); }
/// The azsim binary under test (compile definition AZSIM_BINARY).
inline std::string azsim_binary() { return AZSIM_BINARY; }
/// tests/cli/data: the small scenarios of these tests.
inline fs::path data_dir() { return source_dir() / "tests" / "cli" / "data"; }
/// The shipped scenarios, scenarios/*.yaml, sorted by name.
inline std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(source_dir() / "scenarios"))
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const fs::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

/// A fresh directory under the system's temporary directory, removed with its content.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "azsim-cli-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  /// Names of the entries in the directory, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  fs::path path_;
};

/// What one run of a program gave.
struct Result {
  int status = -1;  // exit status; -1 when it did not exit normally
  std::string out;
  std::string err;
};

/// A program started in the background with stdin from /dev/null and stdout and stderr
/// captured; signal() sends it a signal, wait() collects its Result. The destructor kills and
/// reaps a program not waited for.
class Running {
 public:
  Running(const std::string& program, const std::vector<std::string>& args, const fs::path& cwd = {}) {
    out_path_ = (capture_ / "stdout").string();
    err_path_ = (capture_ / "stderr").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const std::string dir = cwd.string();
    if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    std::vector<std::string> storage;
    storage.push_back(program);
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + program);
  }
  ~Running() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int ws = 0;
      while (::waitpid(pid_, &ws, 0) < 0 && errno == EINTR) {
      }
    }
  }
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;

  void signal(int sig) const { ::kill(pid_, sig); }

  Result wait() {
    int wstatus = 0;
    while (::waitpid(pid_, &wstatus, 0) < 0) {
      if (errno != EINTR) throw std::runtime_error("waitpid failed");
    }
    pid_ = -1;
    Result r;
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    r.out = read_file(out_path_);
    r.err = read_file(err_path_);
    return r;
  }

 private:
  TempDir capture_;
  std::string out_path_, err_path_;
  pid_t pid_ = -1;
};

/// Runs `program args...` in `cwd` (the test's own when empty) to its end, with stdin from
/// /dev/null and stdout and stderr captured. Throws when it cannot be started.
inline Result run_program(const std::string& program, const std::vector<std::string>& args, const fs::path& cwd = {}) {
  return Running(program, args, cwd).wait();
}

/// Runs the azsim binary.
inline Result azsim(const std::vector<std::string>& args, const fs::path& cwd = {}) {
  return run_program(azsim_binary(), args, cwd);
}

/// The lines of `text`, without their newlines.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace azsim::cli::testing
