// Finite continuous-time Markov chains, solved exactly (up to rounding) with Eigen's sparse LU:
// the steady-state distribution of an irreducible chain, and the expected time to absorption.
// The `azsim analyze` answers (chains.hpp) are built on these.
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

namespace azsim::data {

/// Thrown when a chain would exceed its state limit.
class ChainTooLarge : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A CTMC over states 0..n-1 given by its transition rates. Rates between the same pair add up.
class Ctmc {
 public:
  explicit Ctmc(std::size_t states = 0) : n_(states), out_(states, 0.0) {}

  std::size_t size() const { return n_; }
  std::size_t add_state();
  /// Adds `rate` (>= 0, finite; std::invalid_argument otherwise) to the rate from -> to. Self
  /// loops and zero rates are ignored.
  void add_rate(std::size_t from, std::size_t to, double rate);
  /// Total rate out of a state.
  double out_rate(std::size_t state) const { return out_.at(state); }

  /// The stationary distribution pi (pi Q = 0, sum pi = 1). The chain must be irreducible
  /// (std::runtime_error when the system is singular).
  Eigen::VectorXd steady_state() const;
  /// Expected time to reach a state marked in `absorbing` (one flag per state), from every
  /// state (0 for absorbing states). std::runtime_error when some state cannot reach one.
  Eigen::VectorXd mean_time_to_absorption(const std::vector<char>& absorbing) const;

 private:
  struct Rate {
    std::size_t from;
    std::size_t to;
    double rate;
  };
  std::size_t n_;
  std::vector<Rate> rates_;
  std::vector<double> out_;
};

/// The states reachable from an initial state and the chain over them (state i is states[i];
/// states[0] is the initial one).
template <class State>
struct ExploredChain {
  std::vector<State> states;
  Ctmc chain;
};

/// Breadth-first exploration from `initial`. `next(state, emit)` must call emit(next, rate)
/// for each transition out of `state`. `State` needs operator<. Throws ChainTooLarge when more
/// than `limit` states are reachable.
template <class State, class Next>
ExploredChain<State> explore(const State& initial, Next&& next, std::size_t limit) {
  ExploredChain<State> out;
  std::map<State, std::size_t> index;
  index.emplace(initial, 0);
  out.states.push_back(initial);
  out.chain.add_state();
  std::vector<std::pair<std::size_t, double>> edges;
  for (std::size_t i = 0; i < out.states.size(); ++i) {
    edges.clear();
    const State s = out.states[i];
    next(s, [&](const State& t, double rate) {
      auto [it, inserted] = index.emplace(t, out.states.size());
      if (inserted) {
        if (out.states.size() >= limit) {
          throw ChainTooLarge("more than " + std::to_string(limit) + " reachable states");
        }
        out.states.push_back(t);
        out.chain.add_state();
      }
      edges.emplace_back(it->second, rate);
    });
    for (const auto& [j, rate] : edges) out.chain.add_rate(i, j, rate);
  }
  return out;
}

/// Probability of k down replicas out of n (k = 0..n) for independent replicas failing at
/// rate `lambda` and repaired at rate `mu` each, from the birth-death chain on k (solved as a
/// Ctmc). Equal to the binomial(n, lambda / (lambda + mu)) distribution. lambda = 0: all up;
/// mu = 0 (and lambda > 0): all down.
std::vector<double> birth_death_down_distribution(std::size_t n, double lambda, double mu);

}  // namespace azsim::data
