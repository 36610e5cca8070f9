// Arenas: heaps whose whole state can be saved and put back, so that a world built once (a
// Monte-Carlo trial's setup) can be returned to that moment before every trial instead of
// being rebuilt.
//
// An arena is a fixed range of addresses. While an Arena::Scope is open on a thread, every
// `operator new` of that thread takes its memory from the arena (arena.cpp replaces the global
// allocation functions; outside any scope they use malloc as before). Since nothing moves,
// saving the arena's used pages and bookkeeping, then copying them back, returns every object
// in it, pointers included, to its state at the save: the trick of memory-snapshotting model
// checkers (e.g. SimGrid's), at the cost of one memcpy of the saved bytes.
//
// Rules for what lives in an arena:
// - Objects are never destroyed one by one at the end: the arena is restored or released
//   whole. Anything they own must therefore be memory from the same arena (no file handles,
//   no malloc'd buffers kept across a restore).
// - Nothing outside the arena may point into memory allocated after the save once it is
//   restored; a function-local static built lazily inside a scope would (construct such
//   statics outside, or open an Arena::Pause around them).
// - One thread uses an arena at a time.
//
// Allocation inside an arena: size classes of 16..2048 bytes carved from 4 KiB pages, and runs
// of a power-of-two number of pages above; freed blocks go to their class's free list. Blocks
// are 16-byte aligned (and aligned to their size for power-of-two classes, which serves
// over-aligned `new` up to 4 KiB).
//
// Under AddressSanitizer arenas are unavailable (its allocator must see every allocation):
// Arena::create() returns nullptr and callers fall back to building their objects anew.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace azsim::sim {

class Arena {
 public:
  /// Whether this build supports arenas at all.
  static bool available();
  /// A new empty arena, or nullptr when arenas are unavailable (this build, or the address
  /// space could not be reserved).
  static std::unique_ptr<Arena> create();
  /// Releases the arena's memory. Objects still in it are not destroyed.
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  /// Remembers the arena's state now (its used pages and allocator state).
  void save();
  /// Puts back the state of the last save(): allocations made since are gone, and every
  /// block live at the save has its bytes of then. Requires a save().
  void restore();
  /// Bytes of pages handed out so far, and bytes a restore() copies.
  std::size_t bytes_in_use() const;
  std::size_t saved_bytes() const;

  /// While alive, this thread's operator new allocates from `arena` (scopes nest).
  class Scope {
   public:
    explicit Scope(Arena& arena);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Arena* previous_;
  };
  /// While alive, this thread's operator new uses the ordinary heap again.
  class Pause {
   public:
    Pause();
    ~Pause();
    Pause(const Pause&) = delete;
    Pause& operator=(const Pause&) = delete;

   private:
    Arena* previous_;
  };

  // The allocator, for the replaced global operators (arena.cpp).
  void* allocate(std::size_t bytes, std::size_t alignment);
  void deallocate(void* p) noexcept;
  /// The arena `p` belongs to, or nullptr for ordinary heap memory.
  static Arena* owner(const void* p) noexcept;
  /// The arena of this thread's innermost open Scope, or nullptr.
  static Arena* current() noexcept;

  static constexpr std::size_t kPage = 4096;
  static constexpr std::size_t kSmallClasses = 24;  // 16 .. 2048 bytes
  static constexpr std::size_t kClasses = kSmallClasses + 32;  // + runs of 2^0 .. 2^31 pages

 private:
  struct State {
    std::size_t pages_used = 0;     // pages [0, pages_used) have been handed out
    void* free_heads[kClasses] = {};
  };
  Arena(unsigned slot, unsigned char* base, std::size_t pages);
  /// A block of class `c` (taking fresh pages when its free list is empty); nullptr when full.
  void* take(std::size_t c);

  unsigned slot_;
  unsigned char* base_;
  std::size_t max_pages_;
  std::size_t high_water_ = 0;  // pages ever handed out (restores lower pages_used, not this)
  State state_;
  std::unique_ptr<unsigned char[]> page_class_;  // class of the block starting on each page
  // The save: state, page classes and page bytes of [0, saved.pages_used).
  State saved_;
  bool has_save_ = false;
  std::vector<unsigned char> saved_classes_;
  std::vector<unsigned char> saved_pages_;
};

}  // namespace azsim::sim
