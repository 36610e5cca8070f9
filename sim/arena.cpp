#include "sim/arena.hpp"

#include <sys/mman.h>

#include <array>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <algorithm>
#include <new>

// Arenas need the replaced global allocation functions below; AddressSanitizer replaces them
// itself and must see every block.
#if defined(__SANITIZE_ADDRESS__)
#define AZSIM_ARENAS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AZSIM_ARENAS 0
#endif
#endif
#ifndef AZSIM_ARENAS
#define AZSIM_ARENAS 1
#endif

namespace azsim::sim {

namespace {

// One reservation of address space, carved into slots of kSlotBytes, one arena a slot: the
// owner of a pointer is then one subtraction and one shift away. PROT_NONE + MAP_NORESERVE
// commits no memory until a slot is opened and its pages are touched. Up to kMaxSlots slots
// (fewer where the address space is limited, e.g. under valgrind).
constexpr std::size_t kMaxSlots = 64;
constexpr unsigned kSlotShift = 30;  // 1 GiB a slot: far above a trial's heap (~0.3 MiB a year)
constexpr std::size_t kSlotBytes = std::size_t{1} << kSlotShift;

std::atomic<unsigned char*> g_base{nullptr};
std::size_t g_slot_count = 0;  // written once, before g_base is published
std::array<std::atomic<Arena*>, kMaxSlots> g_slots{};
std::mutex g_mutex;  // reservation and slot assignment
bool g_reserve_failed = false;

constinit thread_local Arena* t_current = nullptr;

constexpr std::array<std::uint16_t, Arena::kSmallClasses> kClassBytes = {
    16,  32,  48,  64,  80,  96,  112, 128,  160,  192,  224,  256,
    320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048};

// Class of a small request, indexed by (bytes + 15) / 16 for 1..2048 bytes.
constexpr auto kClassOf = [] {
  std::array<std::uint8_t, 2048 / 16 + 1> t{};
  std::size_t c = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    while (kClassBytes[c] < i * 16) ++c;
    t[i] = static_cast<std::uint8_t>(c);
  }
  return t;
}();

}  // namespace

bool Arena::available() { return AZSIM_ARENAS != 0; }

std::unique_ptr<Arena> Arena::create() {
  if (!available()) return nullptr;
  const Pause outside;  // the arena's own bookkeeping lives on the ordinary heap
  std::lock_guard lock(g_mutex);
  if (!g_base.load() && !g_reserve_failed) {
    for (std::size_t slots = kMaxSlots; slots > 0 && !g_base.load(); slots /= 4) {
      void* p = ::mmap(nullptr, slots * kSlotBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) continue;
      g_slot_count = slots;
      g_base.store(static_cast<unsigned char*>(p));
    }
    g_reserve_failed = !g_base.load();
  }
  unsigned char* base = g_base.load();
  if (!base) return nullptr;
  for (unsigned s = 0; s < g_slot_count; ++s) {
    if (g_slots[s].load()) continue;
    unsigned char* slot_base = base + s * kSlotBytes;
    if (::mprotect(slot_base, kSlotBytes, PROT_READ | PROT_WRITE) != 0) return nullptr;
    std::unique_ptr<Arena> a(new Arena(s, slot_base, kSlotBytes / kPage));
    g_slots[s].store(a.get());
    return a;
  }
  return nullptr;  // every slot taken: the caller builds its objects on the ordinary heap
}

Arena::Arena(unsigned slot, unsigned char* base, std::size_t pages)
    : slot_(slot), base_(base), max_pages_(pages), page_class_(new unsigned char[pages]) {}

Arena::~Arena() {
  // Give the pages back to the system and the slot to the next arena.
  ::madvise(base_, high_water_ * kPage, MADV_DONTNEED);
  ::mprotect(base_, kSlotBytes, PROT_NONE);
  std::lock_guard lock(g_mutex);
  g_slots[slot_].store(nullptr);
}

Arena* Arena::owner(const void* p) noexcept {
  unsigned char* base = g_base.load(std::memory_order_acquire);
  if (!base) return nullptr;
  const auto offset = reinterpret_cast<std::uintptr_t>(p) - reinterpret_cast<std::uintptr_t>(base);
  if (offset >= g_slot_count * kSlotBytes) return nullptr;
  return g_slots[offset >> kSlotShift].load(std::memory_order_acquire);
}

Arena* Arena::current() noexcept { return t_current; }

Arena::Scope::Scope(Arena& arena) : previous_(t_current) { t_current = &arena; }
Arena::Scope::~Scope() { t_current = previous_; }
Arena::Pause::Pause() : previous_(t_current) { t_current = nullptr; }
Arena::Pause::~Pause() { t_current = previous_; }

void* Arena::take(std::size_t c) {
  if (void* head = state_.free_heads[c]) {
    void* next = nullptr;
    std::memcpy(&next, head, sizeof next);
    state_.free_heads[c] = next;
    return head;
  }
  const std::size_t pages = c < kSmallClasses ? 1 : std::size_t{1} << (c - kSmallClasses);
  if (pages > max_pages_ - state_.pages_used) return nullptr;
  const std::size_t first = state_.pages_used;
  state_.pages_used += pages;
  high_water_ = std::max(high_water_, state_.pages_used);
  page_class_[first] = static_cast<unsigned char>(c);
  unsigned char* block = base_ + first * kPage;
  if (c < kSmallClasses) {
    // Carve the page: the first block is returned, the others go to the free list in address
    // order.
    const std::size_t size = kClassBytes[c];
    void* head = state_.free_heads[c];
    for (std::size_t off = (kPage / size - 1) * size; off >= size; off -= size) {
      std::memcpy(block + off, &head, sizeof head);
      head = block + off;
    }
    state_.free_heads[c] = head;
  }
  return block;
}

void* Arena::allocate(std::size_t bytes, std::size_t alignment) {
  if (bytes > max_pages_ * kPage) return nullptr;  // also keeps the roundings below from overflowing
  if (bytes == 0) bytes = 1;
  if (alignment > 16) {
    if (alignment > kPage) return nullptr;
    bytes = std::bit_ceil(std::max(bytes, alignment));  // power-of-two classes are size-aligned
  }
  if (bytes <= kClassBytes.back()) return take(kClassOf[(bytes + 15) / 16]);
  const std::size_t pages = (bytes + kPage - 1) / kPage;
  return take(kSmallClasses + static_cast<std::size_t>(std::bit_width(std::bit_ceil(pages)) - 1));
}

void Arena::deallocate(void* p) noexcept {
  const std::size_t page = static_cast<std::size_t>(static_cast<unsigned char*>(p) - base_) / kPage;
  const std::size_t c = page_class_[page];
  void* head = state_.free_heads[c];
  std::memcpy(p, &head, sizeof head);
  state_.free_heads[c] = p;
}

void Arena::save() {
  const Pause outside;  // the save itself lives on the ordinary heap
  saved_ = state_;
  has_save_ = true;
  saved_classes_.assign(page_class_.get(), page_class_.get() + state_.pages_used);
  saved_pages_.assign(base_, base_ + state_.pages_used * kPage);
}

void Arena::restore() {
  if (!has_save_) std::abort();  // a programming error: restore() without save()
  state_ = saved_;
  std::memcpy(page_class_.get(), saved_classes_.data(), saved_classes_.size());
  std::memcpy(base_, saved_pages_.data(), saved_pages_.size());
}

std::size_t Arena::bytes_in_use() const { return state_.pages_used * kPage; }
std::size_t Arena::saved_bytes() const { return has_save_ ? saved_.pages_used * kPage : 0; }

}  // namespace azsim::sim

#if AZSIM_ARENAS
// --- The replaced global allocation functions ------------------------------------------------
// Inside an Arena::Scope: the arena; elsewhere: malloc / posix_memalign and free, as the
// default ones do. A block is given back to whichever arena holds its address.

namespace {

using azsim::sim::Arena;

void* allocate_raw(std::size_t bytes, std::size_t alignment) noexcept {
  if (Arena* a = Arena::current()) return a->allocate(bytes, alignment);
  if (bytes == 0) bytes = 1;
  if (alignment <= __STDCPP_DEFAULT_NEW_ALIGNMENT__) return std::malloc(bytes);
  void* p = nullptr;
  return ::posix_memalign(&p, alignment, bytes) == 0 ? p : nullptr;
}

void* allocate_or_throw(std::size_t bytes, std::size_t alignment) {
  for (;;) {
    if (void* p = allocate_raw(bytes, alignment)) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

void release(void* p) noexcept {
  if (!p) return;
  if (Arena* a = Arena::owner(p))
    a->deallocate(p);
  else
    std::free(p);
}

constexpr std::size_t kDefault = __STDCPP_DEFAULT_NEW_ALIGNMENT__;
std::size_t to_size(std::align_val_t al) { return static_cast<std::size_t>(al); }

}  // namespace

void* operator new(std::size_t n) { return allocate_or_throw(n, kDefault); }
void* operator new[](std::size_t n) { return allocate_or_throw(n, kDefault); }
void* operator new(std::size_t n, std::align_val_t al) { return allocate_or_throw(n, to_size(al)); }
void* operator new[](std::size_t n, std::align_val_t al) { return allocate_or_throw(n, to_size(al)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate_raw(n, kDefault); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate_raw(n, kDefault); }
void* operator new(std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return allocate_raw(n, to_size(al));
}
void* operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return allocate_raw(n, to_size(al));
}
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
#endif
