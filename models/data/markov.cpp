#include "models/data/markov.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/SparseCore>
#include <Eigen/SparseLU>

namespace azsim::data {

std::size_t Ctmc::add_state() {
  out_.push_back(0.0);
  return n_++;
}

void Ctmc::add_rate(std::size_t from, std::size_t to, double rate) {
  if (!(rate >= 0) || !std::isfinite(rate)) throw std::invalid_argument("Ctmc: rates must be finite and >= 0");
  if (from >= n_ || to >= n_) throw std::out_of_range("Ctmc: no such state");
  if (from == to || rate == 0) return;
  rates_.push_back({from, to, rate});
  out_[from] += rate;
}

Eigen::VectorXd Ctmc::steady_state() const {
  using Sparse = Eigen::SparseMatrix<double>;
  const auto n = static_cast<Eigen::Index>(n_);
  if (n == 0) return {};
  if (n == 1) return Eigen::VectorXd::Ones(1);
  // Solve Q^T pi = 0 with the first equation replaced by sum(pi) = 1.
  std::vector<Eigen::Triplet<double>> t;
  t.reserve(rates_.size() + 2 * n_);
  for (const auto& r : rates_) {
    if (r.to != 0) t.emplace_back(static_cast<Eigen::Index>(r.to), static_cast<Eigen::Index>(r.from), r.rate);
  }
  for (Eigen::Index i = 1; i < n; ++i) t.emplace_back(i, i, -out_[static_cast<std::size_t>(i)]);
  for (Eigen::Index j = 0; j < n; ++j) t.emplace_back(0, j, 1.0);
  Sparse a(n, n);
  a.setFromTriplets(t.begin(), t.end());
  a.makeCompressed();
  Eigen::SparseLU<Sparse, Eigen::COLAMDOrdering<int>> lu;
  lu.compute(a);
  if (lu.info() != Eigen::Success) throw std::runtime_error("Ctmc::steady_state: singular system (reducible chain?)");
  const Eigen::VectorXd b = Eigen::VectorXd::Unit(n, 0);
  Eigen::VectorXd pi = lu.solve(b);
  if (lu.info() != Eigen::Success) throw std::runtime_error("Ctmc::steady_state: solve failed");
  // Rounding can leave tiny negative entries for states of probability ~1e-17.
  pi = pi.cwiseMax(0.0);
  return pi / pi.sum();
}

Eigen::VectorXd Ctmc::mean_time_to_absorption(const std::vector<char>& absorbing) const {
  using Sparse = Eigen::SparseMatrix<double>;
  if (absorbing.size() != n_) throw std::invalid_argument("Ctmc: one absorbing flag per state expected");
  // Transient states, renumbered.
  std::vector<Eigen::Index> pos(n_, -1);
  Eigen::Index m = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    if (!absorbing[i]) pos[i] = m++;
  }
  Eigen::VectorXd out = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_));
  if (m == 0) return out;
  // (-Q_TT) t = 1.
  std::vector<Eigen::Triplet<double>> t;
  for (const auto& r : rates_) {
    if (pos[r.from] >= 0 && pos[r.to] >= 0) t.emplace_back(pos[r.from], pos[r.to], -r.rate);
  }
  for (std::size_t i = 0; i < n_; ++i) {
    if (pos[i] >= 0) t.emplace_back(pos[i], pos[i], out_[i]);
  }
  Sparse a(m, m);
  a.setFromTriplets(t.begin(), t.end());
  a.makeCompressed();
  Eigen::SparseLU<Sparse, Eigen::COLAMDOrdering<int>> lu;
  lu.compute(a);
  if (lu.info() != Eigen::Success) {
    throw std::runtime_error("Ctmc::mean_time_to_absorption: some state never reaches an absorbing one");
  }
  const Eigen::VectorXd x = lu.solve(Eigen::VectorXd::Ones(m));
  if (lu.info() != Eigen::Success || !x.allFinite()) {
    throw std::runtime_error("Ctmc::mean_time_to_absorption: solve failed");
  }
  for (std::size_t i = 0; i < n_; ++i) {
    if (pos[i] >= 0) out[static_cast<Eigen::Index>(i)] = x[pos[i]];
  }
  return out;
}

std::vector<double> birth_death_down_distribution(std::size_t n, double lambda, double mu) {
  // Degenerate processes: never failing, or never repaired.
  if (!(lambda > 0) || !(mu > 0)) {
    std::vector<double> out(n + 1, 0.0);
    out[lambda > 0 ? n : 0] = 1.0;
    return out;
  }
  Ctmc c(n + 1);
  for (std::size_t k = 0; k <= n; ++k) {
    if (k < n) c.add_rate(k, k + 1, static_cast<double>(n - k) * lambda);
    if (k > 0) c.add_rate(k, k - 1, static_cast<double>(k) * mu);
  }
  const Eigen::VectorXd pi = c.steady_state();
  return std::vector<double>(pi.data(), pi.data() + pi.size());
}

}  // namespace azsim::data
