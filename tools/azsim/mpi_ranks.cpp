#include "mpi_ranks.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#ifdef AZSIM_WITH_MPI
#include <mpi.h>

#include <cstdint>
#include <cstdlib>
#endif

namespace azsim::cli {

#ifdef AZSIM_WITH_MPI

namespace {
/// Whether a launcher (mpirun / mpiexec / srun) started this process. A plain `azsim mc` does
/// not initialise MPI at all: a singleton start costs a noticeable fraction of a second.
bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
    if (std::getenv(v)) return true;
  return false;
}
bool g_initialized_here = false;
}  // namespace

MpiRanks::MpiRanks() {
  if (!launched_by_mpi()) return;
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    MPI_Init(nullptr, nullptr);
    g_initialized_here = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiRanks::~MpiRanks() {
  if (!g_initialized_here) return;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

std::vector<std::string> MpiRanks::gather(const std::string& part) const {
  if (size_ == 1) return {part};
  // Sizes first, then the bytes, both to rank 0.
  const auto my_size = static_cast<std::uint64_t>(part.size());
  std::vector<std::uint64_t> sizes(static_cast<std::size_t>(rank_ == 0 ? size_ : 0));
  MPI_Gather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  std::vector<int> counts, displs;
  std::string all;
  if (rank_ == 0) {
    int offset = 0;
    for (const auto s : sizes) {
      counts.push_back(static_cast<int>(s));
      displs.push_back(offset);
      offset += static_cast<int>(s);
    }
    all.resize(static_cast<std::size_t>(offset));
  }
  MPI_Gatherv(part.data(), static_cast<int>(part.size()), MPI_CHAR, all.data(), counts.data(), displs.data(), MPI_CHAR,
              0, MPI_COMM_WORLD);
  std::vector<std::string> out;
  if (rank_ == 0)
    for (std::size_t r = 0; r < sizes.size(); ++r)
      out.push_back(all.substr(static_cast<std::size_t>(displs[r]), static_cast<std::size_t>(sizes[r])));
  return out;
}

void MpiRanks::abort(const std::string& message) const {
  std::fprintf(stderr, "%s\n", message.c_str());
  MPI_Abort(MPI_COMM_WORLD, 2);
}

#else

MpiRanks::MpiRanks() {
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (!size) size = std::getenv("PMI_SIZE");
  if (size && std::atoi(size) > 1)
    throw std::runtime_error("this azsim was built without MPI, so under mpirun every rank would run the whole batch; "
                             "configure with -DAZSIM_MPI=ON (tools/build.sh does)");
}
MpiRanks::~MpiRanks() = default;
std::vector<std::string> MpiRanks::gather(const std::string& part) const { return {part}; }
void MpiRanks::abort(const std::string&) const {}

#endif

unsigned MpiRanks::default_threads() const {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  int local = 1;
  if (const char* v = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE")) local = std::max(1, std::atoi(v));
  return std::max(1u, cores / static_cast<unsigned>(local));
}

}  // namespace azsim::cli
