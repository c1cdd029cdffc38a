//! A free-list cache in front of the system allocator, for the static musl
//! build. musl's malloc maps and unmaps pages for small blocks again and
//! again (`forx` over 1,000 items: 2,400 mmap and munmap calls, four times
//! glibc's time). Small blocks freed here are kept per power-of-two size
//! class for the next allocation of that class; large or over-aligned ones
//! go straight to the system. chainit is single-threaded: the lock is only
//! there because a global allocator must be `Sync`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicBool, Ordering};

/// 16 bytes to 4 KiB.
const CLASSES: usize = 9;
const SMALLEST: usize = 16;
/// What each class keeps at most, so that a burst does not pin memory in
/// a long-running init.
const KEEP: usize = 64 * 1024;

pub struct CachingAlloc {
    lock: AtomicBool,
    lists: UnsafeCell<[List; CLASSES]>,
}

#[derive(Clone, Copy)]
struct List {
    head: *mut Free,
    bytes: usize,
}

/// A cached block holds the link to the next one.
struct Free {
    next: *mut Free,
}

// SAFETY: every access to `lists` happens under `lock`.
unsafe impl Sync for CachingAlloc {}

impl CachingAlloc {
    pub const fn new() -> Self {
        let empty = List {
            head: null_mut(),
            bytes: 0,
        };
        Self {
            lock: AtomicBool::new(false),
            lists: UnsafeCell::new([empty; CLASSES]),
        }
    }

    fn with_lists<T>(&self, f: impl FnOnce(&mut [List; CLASSES]) -> T) -> T {
        while self
            .lock
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
        // SAFETY: the lock is held, so this is the only reference.
        let out = f(unsafe { &mut *self.lists.get() });
        self.lock.store(false, Ordering::Release);
        out
    }
}

impl Default for CachingAlloc {
    fn default() -> Self {
        Self::new()
    }
}

/// The size class of `layout`, if it is small enough to be cached.
fn class(layout: Layout) -> Option<usize> {
    if layout.align() > SMALLEST || layout.size() > SMALLEST << (CLASSES - 1) {
        return None;
    }
    let size = layout.size().max(SMALLEST).next_power_of_two();
    Some((size.trailing_zeros() - SMALLEST.trailing_zeros()) as usize)
}

/// How every block of class `c` is asked of the system.
fn class_layout(c: usize) -> Layout {
    // SAFETY: a power of two no smaller than its alignment, 16.
    unsafe { Layout::from_size_align_unchecked(SMALLEST << c, SMALLEST) }
}

// SAFETY: blocks of a class all come from the system with the class's
// layout, so any of them serves any request of that class; the rest is the
// system's own allocator.
unsafe impl GlobalAlloc for CachingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(c) = class(layout) else {
            // SAFETY: the caller's layout, passed on.
            return unsafe { System.alloc(layout) };
        };
        let reused = self.with_lists(|lists| {
            let list = &mut lists[c];
            let block = list.head;
            if !block.is_null() {
                // SAFETY: a cached block holds a valid `Free`.
                list.head = unsafe { (*block).next };
                list.bytes -= SMALLEST << c;
            }
            block
        });
        if reused.is_null() {
            // SAFETY: a non-zero size.
            unsafe { System.alloc(class_layout(c)) }
        } else {
            reused.cast()
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(c) = class(layout) else {
            // SAFETY: it came from the system with this layout.
            return unsafe { System.dealloc(ptr, layout) };
        };
        let kept = self.with_lists(|lists| {
            let list = &mut lists[c];
            if list.bytes + (SMALLEST << c) > KEEP {
                return false;
            }
            let block = ptr.cast::<Free>();
            // SAFETY: the block is ours again, at least 16 bytes, aligned.
            unsafe { block.write(Free { next: list.head }) };
            list.head = block;
            list.bytes += SMALLEST << c;
            true
        });
        if !kept {
            // SAFETY: it came from the system with the class's layout.
            unsafe { System.dealloc(ptr, class_layout(c)) };
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if class(layout).is_none() {
            // SAFETY: the caller's layout, passed on.
            return unsafe { System.alloc_zeroed(layout) };
        }
        // SAFETY: the caller's layout; a reused block must be cleared.
        let ptr = unsafe { self.alloc(layout) };
        if !ptr.is_null() {
            // SAFETY: the block holds at least `layout.size()` bytes.
            unsafe { ptr.write_bytes(0, layout.size()) };
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees a valid size for this alignment.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (class(layout), class(new)) {
            // SAFETY: a block from the system with this layout.
            (None, None) => unsafe { System.realloc(ptr, layout, new_size) },
            (Some(a), Some(b)) if a == b => ptr,
            _ => {
                // SAFETY: `new` is a valid layout; both blocks hold the
                // bytes copied, and the old one is given back once.
                unsafe {
                    let moved = self.alloc(new);
                    if !moved.is_null() {
                        ptr.copy_to_nonoverlapping(moved, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    moved
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_16_bytes_to_4_kib() {
        let l = |size, align| Layout::from_size_align(size, align).unwrap();
        assert_eq!(class(l(1, 1)), Some(0));
        assert_eq!(class(l(16, 8)), Some(0));
        assert_eq!(class(l(17, 8)), Some(1));
        assert_eq!(class(l(4096, 16)), Some(8));
        assert_eq!(class(l(4097, 1)), None);
        assert_eq!(class(l(64, 32)), None);
    }

    #[test]
    fn a_freed_block_is_reused_and_contents_survive_a_realloc() {
        let a = CachingAlloc::new();
        let l = Layout::from_size_align(24, 8).unwrap();
        // SAFETY: matched alloc/realloc/dealloc calls on valid layouts.
        unsafe {
            let p = a.alloc(l);
            a.dealloc(p, l);
            let q = a.alloc(l);
            assert_eq!(p, q);
            q.write_bytes(7, 24);
            // Same class: in place; a bigger class: moved, bytes kept.
            assert_eq!(a.realloc(q, l, 30), q);
            let r = a.realloc(q, Layout::from_size_align(30, 8).unwrap(), 5000);
            assert!((0..24).all(|i| *r.add(i) == 7));
            let z = a.alloc_zeroed(l);
            assert!((0..24).all(|i| *z.add(i) == 0));
            a.dealloc(z, l);
            a.dealloc(r, Layout::from_size_align(5000, 8).unwrap());
        }
    }

    #[test]
    fn a_class_keeps_no_more_than_its_share() {
        let a = CachingAlloc::new();
        let l = Layout::from_size_align(4096, 16).unwrap();
        // SAFETY: matched alloc/dealloc calls.
        let blocks: Vec<*mut u8> = (0..40).map(|_| unsafe { a.alloc(l) }).collect();
        for b in blocks {
            // SAFETY: each block is freed once.
            unsafe { a.dealloc(b, l) };
        }
        let kept = a.with_lists(|lists| lists[8].bytes);
        assert_eq!(kept, KEEP);
    }
}
