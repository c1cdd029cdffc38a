//! Keeps the idle init small. Boot and stage 2 touch code and constant
//! data the loop never uses again (option parsing, spawning, formatting,
//! the relocation table). Once everything is started, the init gives the
//! free heap back and drops those pages of its own image; the kernel maps
//! back, 64 kB around each fault, only the parts the loop really uses.
//! Fewer pages also make the exit at the end of a `docker stop` quicker.

/// The page ranges of our own read-only segments (code, constant data),
/// from the program headers. The loader never writes them: the writable
/// segment holds the relocated RELRO part, and it is left alone. Each
/// range is rounded inwards, so a page shared with another segment is kept.
fn readonly_segments() -> Vec<(usize, usize)> {
    unsafe extern "C" fn first_object(
        info: *mut libc::dl_phdr_info,
        _size: libc::size_t,
        out: *mut libc::c_void,
    ) -> libc::c_int {
        // SAFETY: the loader passes a valid info for the duration of the
        // call, and `out` is the Vec handed to dl_iterate_phdr below.
        let (info, out) = unsafe { (&*info, &mut *out.cast::<Vec<(usize, usize)>>()) };
        let count = usize::from(info.dlpi_phnum);
        for i in 0..count {
            // SAFETY: dlpi_phdr points to dlpi_phnum program headers.
            let ph = unsafe { &*info.dlpi_phdr.add(i) };
            if ph.p_type != libc::PT_LOAD || ph.p_flags & libc::PF_W != 0 {
                continue;
            }
            let start = (info.dlpi_addr as usize).checked_add(ph.p_vaddr as usize);
            let end = start.and_then(|s| s.checked_add(ph.p_memsz as usize));
            let (Some(start), Some(end)) = (start.and_then(|s| s.checked_add(4095)), end) else {
                continue;
            };
            let (start, end) = (start & !4095, end & !4095);
            if start < end {
                out.push((start, end));
            }
        }
        1 // the first object is the program itself: stop there
    }
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    // SAFETY: the callback only reads the headers and writes to `ranges`,
    // which outlives the call.
    unsafe { libc::dl_iterate_phdr(Some(first_object), (&raw mut ranges).cast()) };
    ranges
}

pub fn trim() {
    // SAFETY: malloc_trim only gives free heap memory back to the kernel.
    // (musl's malloc has none: it returns freed memory by itself.)
    #[cfg(target_env = "gnu")]
    unsafe {
        libc::malloc_trim(0)
    };
    for (start, end) in readonly_segments() {
        // SAFETY: the range lies inside one of our own read-only,
        // file-backed segments, which nothing ever writes: every page holds
        // the file's bytes, and dropping it only means it is read again
        // from the page cache when next used.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
        }
    }
}

/// Maps back the pages of the calls a wake-up makes (reading the
/// signalfd, forwarding a signal, reaping, exiting), so `docker stop` does
/// not wait on page faults for them. Reading one byte of each maps its
/// 64 kB window; one already mapped costs nothing.
pub fn warm_wake_path() {
    let calls = [
        // The reaper runs only once a child has died, never before a wait.
        super::reaper::reap_all as fn() -> super::reaper::Reaped as *const u8,
        libc::read as *const u8,
        libc::kill as *const u8,
        libc::waitpid as *const u8,
        libc::_exit as *const u8,
    ];
    for code in calls {
        // SAFETY: each pointer is the entry of a function in our own text,
        // which is mapped readable; the read has no side effect.
        unsafe { std::ptr::read_volatile(code) };
    }
}
