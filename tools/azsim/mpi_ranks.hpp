// MPI for `azsim mc` under mpirun: each rank runs one shard of the batch and rank 0 gathers
// the parts. Compiled against Debian's OpenMPI when configured with -DAZSIM_MPI=ON; otherwise
// (and when started without mpirun) there is one rank.
#pragma once

#include <string>
#include <vector>

namespace azsim::cli {

/// MPI_Init on construction and MPI_Finalize on destruction (when built with MPI). A build
/// without MPI started under mpirun refuses to run (every rank would run the whole batch).
class MpiRanks {
 public:
  MpiRanks();
  ~MpiRanks();
  MpiRanks(const MpiRanks&) = delete;
  MpiRanks& operator=(const MpiRanks&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  /// Every rank's `part`, in rank order, on rank 0; an empty vector on the others.
  std::vector<std::string> gather(const std::string& part) const;
  /// Worker threads per rank by default: the host's cores shared among the ranks on it.
  unsigned default_threads() const;
  /// Prints `message` and ends every rank (MPI_Abort); without MPI, does nothing.
  void abort(const std::string& message) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace azsim::cli
