// MPI for `azsim mc` under mpirun: each rank runs one shard of the batch and rank 0 gathers
// the parts. Compiled against Debian's OpenMPI when configured with -DAZSIM_MPI=ON; otherwise
// (and when started without mpirun) there is one rank.
#pragma once

#include <string>
#include <vector>

namespace azsim::cli {

/// MPI_Init on construction and MPI_Finalize on destruction (when built with MPI).
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

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace azsim::cli
