// A move-only `void()` callable with inline storage, for event callbacks.
//
// Scheduling an event must not cost a heap allocation in the common case: a lambda capturing a
// few pointers or ids is stored in a 40-byte buffer inside the Callback itself. Bigger (or
// over-aligned, or throwing-move) callables fall back to one heap allocation, so any callable
// still works. Unlike std::function, move-only captures (std::unique_ptr, ...) are accepted.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace azsim::sim {

/// A move-only owner of a `void()` callable. Empty when default-constructed or moved from.
/// Contract: calling an empty Callback is a programming error (undefined behaviour); moving is
/// noexcept and never allocates.
class Callback {
 public:
  /// Bytes of inline storage; a callable that fits (and is nothrow-movable, alignment <= 8)
  /// is stored without allocation. 40 bytes (five pointers or ids) keeps a Simulation event
  /// record, callback included, within one 64-byte cache line.
  static constexpr std::size_t kInlineSize = 40;
  static constexpr std::size_t kInlineAlign = alignof(void*);

  /// True when a callable of type F is stored inline (no heap allocation).
  template <class F>
  static constexpr bool fits_inline = sizeof(F) <= kInlineSize && alignof(F) <= kInlineAlign &&
                                      std::is_nothrow_move_constructible_v<F>;

  Callback() noexcept = default;

  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, Callback> &&
             std::is_invocable_r_v<void, std::decay_t<F>&>)
  Callback(F&& f) {  // NOLINT(google-explicit-constructor): lambdas convert implicitly on purpose
    construct(std::forward<F>(f));
  }

  Callback(Callback&& other) noexcept { take(other); }
  Callback& operator=(Callback&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  ~Callback() { reset(); }

  /// Replaces the held callable with `f`, constructed in place.
  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, Callback> &&
             std::is_invocable_r_v<void, std::decay_t<F>&>)
  void emplace(F&& f) {
    reset();
    construct(std::forward<F>(f));
  }
  void emplace(Callback&& other) noexcept { *this = std::move(other); }

  /// Destroys the held callable (if any); the Callback becomes empty.
  void reset() noexcept {
    if (ops_ != nullptr) {
      if (ops_->destroy != nullptr) ops_->destroy(buf_);
      ops_ = nullptr;
    }
  }

  explicit operator bool() const noexcept { return ops_ != nullptr; }
  /// True when the held callable lives in the inline buffer (false when empty).
  bool is_inline() const noexcept { return ops_ != nullptr && ops_->inline_storage; }

  /// Invokes the held callable. Precondition: not empty.
  void operator()() { ops_->invoke(buf_); }

 private:
  // One static table per stored type. `relocate == nullptr` means "memcpy the buffer" (the
  // callable is trivially copyable); `destroy == nullptr` means "nothing to destroy". Those two
  // shortcuts keep moving a typical [this, id] lambda down to a 40-byte copy.
  struct Ops {
    void (*invoke)(void* buf);
    void (*relocate)(void* dst, void* src) noexcept;  // move-construct dst from src, destroy src
    void (*destroy)(void* buf) noexcept;
    bool inline_storage;
  };

  template <class T>
  struct InlineOps {
    static void invoke(void* buf) { (*std::launder(static_cast<T*>(buf)))(); }
    static void relocate(void* dst, void* src) noexcept {
      T* s = std::launder(static_cast<T*>(src));
      ::new (dst) T(std::move(*s));
      s->~T();
    }
    static void destroy(void* buf) noexcept { std::launder(static_cast<T*>(buf))->~T(); }
    static constexpr bool kTrivial = std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>;
    static constexpr Ops kOps{&invoke, kTrivial ? nullptr : &relocate, kTrivial ? nullptr : &destroy, true};
  };

  template <class T>
  struct HeapOps {
    static T* get(void* buf) {
      T* p;
      std::memcpy(&p, buf, sizeof p);
      return p;
    }
    static void invoke(void* buf) { (*get(buf))(); }
    static void destroy(void* buf) noexcept { delete get(buf); }
    // The buffer only holds a pointer, so relocation is the default memcpy.
    static constexpr Ops kOps{&invoke, nullptr, &destroy, false};
  };

  template <class F>
  void construct(F&& f) {
    using T = std::decay_t<F>;
    if constexpr (fits_inline<T>) {
      ::new (static_cast<void*>(buf_)) T(std::forward<F>(f));
      ops_ = &InlineOps<T>::kOps;
    } else {
      T* p = new T(std::forward<F>(f));
      std::memcpy(buf_, &p, sizeof p);
      ops_ = &HeapOps<T>::kOps;
    }
  }

  void take(Callback& other) noexcept {
    ops_ = other.ops_;
    if (ops_ == nullptr) return;
    if (ops_->relocate != nullptr) {
      ops_->relocate(buf_, other.buf_);
    } else {
      std::memcpy(buf_, other.buf_, kInlineSize);
    }
    other.ops_ = nullptr;
  }

  alignas(kInlineAlign) unsigned char buf_[kInlineSize];
  const Ops* ops_ = nullptr;
};

}  // namespace azsim::sim
