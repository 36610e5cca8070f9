#include "models/data/recorder.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace azsim::data {

Recorder::Recorder(std::vector<LevelSpec> levels, std::int64_t rows, sim::Time start)
    : levels_(std::move(levels)), rows_(rows) {
  series_.resize(levels_.size());
  for (auto& s : series_) s.push_back(RowsSample{start, rows, rows, rows});
}

void Recorder::set(std::size_t level, std::int64_t readable, std::int64_t writable, std::int64_t available,
                   sim::Time now) {
  auto& s = series_.at(level);
  if (now < s.back().t) throw std::logic_error("Recorder::set: time went backwards");
  const RowsSample next{now, readable, writable, available};
  auto same = [&](const RowsSample& a) {
    return a.readable == readable && a.writable == writable && a.available == available;
  };
  if (s.back().t == now) {
    // Replaces the transient state of this instant; drops it if it returns to the previous one.
    if (s.size() >= 2 && same(s[s.size() - 2])) {
      s.pop_back();
    } else {
      s.back() = next;
    }
    return;
  }
  if (same(s.back())) return;
  s.push_back(next);
}

void Recorder::fault(std::size_t replica, sim::Time now) {
  episodes_.push_back(RedundancyEpisode{now, std::nullopt, replica});
  full_ = false;
}

void Recorder::redundancy(bool full, sim::Time now) {
  full_ = full;
  if (!full) return;
  for (std::size_t i = first_open_; i < episodes_.size(); ++i) episodes_[i].restored = now;
  first_open_ = episodes_.size();
}

LevelResult Recorder::finish_level(std::size_t level, sim::Time t0, sim::Time end) const {
  const auto& spec = levels_[level];
  const auto& s = series_[level];
  LevelResult r;
  r.consistency = spec.consistency;
  r.read_level = spec.read_level;
  r.write_level = spec.write_level;
  const double rows = static_cast<double>(rows_);

  // The sample in force at t0.
  std::size_t i = 0;
  while (i + 1 < s.size() && s[i + 1].t <= t0) ++i;
  if (end <= t0) {
    r.rows_readable_min = s[i].readable;
    r.rows_writable_min = s[i].writable;
    r.read_availability = rows_ > 0 ? static_cast<double>(s[i].readable) / rows : 1.0;
    r.write_availability = rows_ > 0 ? static_cast<double>(s[i].writable) / rows : 1.0;
    return r;
  }
  double read_us = 0;
  double write_us = 0;
  r.rows_readable_min = rows_;
  r.rows_writable_min = rows_;
  for (; i < s.size(); ++i) {
    // The first sample also stands for any time before it.
    const sim::Time a = i == 0 ? t0 : std::max(s[i].t, t0);
    const sim::Time b = i + 1 < s.size() ? std::min(s[i + 1].t, end) : end;
    if (b <= a) {
      if (a >= end) break;
      continue;
    }
    const auto dt = static_cast<double>((b - a).us());
    read_us += static_cast<double>(s[i].readable) * dt;
    write_us += static_cast<double>(s[i].writable) * dt;
    r.rows_readable_min = std::min(r.rows_readable_min, s[i].readable);
    r.rows_writable_min = std::min(r.rows_writable_min, s[i].writable);
    if (s[i].available < rows_) {
      const std::int64_t unavailable = rows_ - s[i].available;
      const std::int64_t unreadable = rows_ - s[i].readable;
      const std::int64_t unwritable = rows_ - s[i].writable;
      auto& w = r.unavailable_windows;
      if (!w.empty() && w.back().to == a) {
        w.back().to = b;
        w.back().rows_unavailable = std::max(w.back().rows_unavailable, unavailable);
        w.back().rows_unreadable = std::max(w.back().rows_unreadable, unreadable);
        w.back().rows_unwritable = std::max(w.back().rows_unwritable, unwritable);
      } else {
        w.push_back(UnavailableWindow{a, b, unavailable, unreadable, unwritable});
      }
    }
  }
  const auto span = static_cast<double>((end - t0).us());
  r.read_availability = rows_ > 0 ? read_us / (rows * span) : 1.0;
  r.write_availability = rows_ > 0 ? write_us / (rows * span) : 1.0;
  return r;
}

ServiceResult Recorder::finish(const std::string& service, ServiceType type, sim::Time t0, sim::Time end) const {
  if (end < t0) throw std::invalid_argument("Recorder::finish: end before t0");
  ServiceResult out;
  out.service = service;
  out.type = type;
  out.rows = rows_;
  out.commits_lost = commits_lost_;
  out.rows_lost = rows_lost_ + static_cast<std::int64_t>(std::llround(commits_lost_));
  out.failovers = failovers_;
  for (std::size_t l = 0; l < levels_.size(); ++l) out.levels.push_back(finish_level(l, t0, end));
  for (const auto& e : episodes_) {
    if (e.fault >= t0 && e.fault <= end) {
      RedundancyEpisode copy = e;
      if (copy.restored && *copy.restored > end) copy.restored.reset();
      out.redundancy.push_back(copy);
    }
  }
  return out;
}

}  // namespace azsim::data
