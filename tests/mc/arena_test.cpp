// (In test_mc, not test_sim: test_sim replaces the global operator new to count allocations.)
// Arenas: what is allocated inside a scope lives in the arena, and restore() returns every
// object to its bytes at save(), pointers and allocator state included.
#include "sim/arena.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <new>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace azsim::sim {
namespace {

class ArenaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Arena::available()) GTEST_SKIP() << "no arenas in this build (AddressSanitizer)";
    arena = Arena::create();
    ASSERT_NE(arena, nullptr);
  }
  std::unique_ptr<Arena> arena;
};

using Table = std::map<std::string, std::vector<std::string>>;

TEST_F(ArenaTest, OnlyAllocationsInsideAScopeComeFromTheArena) {
  auto outside = std::make_unique<int>(1);
  EXPECT_EQ(Arena::owner(outside.get()), nullptr);
  int* inside = nullptr;
  int* paused = nullptr;
  {
    const Arena::Scope scope(*arena);
    EXPECT_EQ(Arena::current(), arena.get());
    inside = new int(2);
    {
      const Arena::Pause pause;
      EXPECT_EQ(Arena::current(), nullptr);
      paused = new int(3);
    }
    EXPECT_EQ(Arena::current(), arena.get());
  }
  EXPECT_EQ(Arena::current(), nullptr);
  EXPECT_EQ(Arena::owner(inside), arena.get());
  EXPECT_EQ(Arena::owner(paused), nullptr);
  delete inside;  // back to the arena's free list, from outside any scope
  delete paused;
}

TEST_F(ArenaTest, RestoreReturnsEveryObjectToItsSavedState) {
  Table* table = nullptr;
  {
    const Arena::Scope scope(*arena);
    table = new Table;
    for (int i = 0; i < 200; ++i)
      (*table)["key-" + std::to_string(i)] = {"a fairly long value that is not a short string " + std::to_string(i)};
    arena->save();
  }
  EXPECT_GT(arena->saved_bytes(), 0u);
  EXPECT_EQ(Arena::owner(table), arena.get());
  const Table expected = *table;  // a copy on the ordinary heap
  // (Test assertions stay outside the scopes: a failure message made inside would live in the
  // arena.)
  for (int round = 0; round < 3; ++round) {
    bool changed = false;
    {
      const Arena::Scope scope(*arena);
      // Change everything: erase, insert, grow a vector past a page, rewrite values.
      for (int i = 0; i < 200; i += 2) table->erase("key-" + std::to_string(i));
      for (int i = 0; i < 300; ++i) (*table)["new-" + std::to_string(i)].assign(40, std::string(100, 'x'));
      (*table)["key-1"] = {"changed"};
      changed = *table != expected;
    }
    ASSERT_TRUE(changed);
    arena->restore();
    EXPECT_EQ(*table, expected) << "round " << round;
  }
}

TEST_F(ArenaTest, AfterARestoreTheSameRequestsGetTheSameAddresses) {
  {
    const Arena::Scope scope(*arena);
    arena->save();
  }
  auto allocate_some = [&] {
    std::vector<const void*> at;  // on the ordinary heap: it outlives the restore
    at.reserve(8);
    const Arena::Scope scope(*arena);
    for (std::size_t n : {8u, 100u, 3000u, 70000u, 8u}) at.push_back(::operator new(n));
    ::operator delete(const_cast<void*>(at[1]));
    at.push_back(::operator new(100));  // the freed block again
    return at;
  };
  const auto first = allocate_some();
  EXPECT_EQ(first[5], first[1]);
  arena->restore();
  EXPECT_EQ(allocate_some(), first);
}

TEST_F(ArenaTest, OverAlignedAndLargeBlocks) {
  struct alignas(64) Line {
    unsigned char bytes[64];
  };
  const Arena::Scope scope(*arena);
  auto line = std::make_unique<Line>();
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(line.get()) % 64, 0u);
  EXPECT_EQ(Arena::owner(line.get()), arena.get());
  std::vector<std::uint64_t> big(1 << 20, 7);  // 8 MiB: a run of pages
  EXPECT_EQ(Arena::owner(big.data()), arena.get());
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(big.data()) % Arena::kPage, 0u);
  EXPECT_EQ(big.back(), 7u);
  EXPECT_GE(arena->bytes_in_use(), big.size() * sizeof(std::uint64_t));
}

TEST_F(ArenaTest, ARequestLargerThanTheArenaIsBadAlloc) {
  // Not a small block from an overflowed rounding: std::bad_alloc, as operator new must.
  auto refused = [](auto allocate) {
    try {
      ::operator delete(allocate());
      return 0;
    } catch (const std::bad_alloc&) {
      return 1;
    }
  };
  int refusals = 0;
  {
    const Arena::Scope scope(*arena);
    for (std::size_t bytes : {std::numeric_limits<std::size_t>::max(), std::size_t{1} << 62}) {
      refusals += refused([&] { return ::operator new(bytes); });
      refusals += refused([&] { return ::operator new(bytes, std::align_val_t{64}); });
    }
  }
  EXPECT_EQ(refusals, 4);
}

TEST_F(ArenaTest, ArenasAreSeparate) {
  auto other = Arena::create();
  ASSERT_NE(other, nullptr);
  int* a = nullptr;
  int* b = nullptr;
  {
    const Arena::Scope scope(*arena);
    a = new int(1);
    {
      const Arena::Scope inner(*other);
      b = new int(2);
    }
  }
  EXPECT_EQ(Arena::owner(a), arena.get());
  EXPECT_EQ(Arena::owner(b), other.get());
  delete a;
  delete b;
}

}  // namespace
}  // namespace azsim::sim
