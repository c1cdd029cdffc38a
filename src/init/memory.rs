//! Keeps the idle init small. Boot and stage 2 touch code the loop never
//! runs again (option parsing, spawning, formatting), and the kernel maps
//! file pages 64 kB at a time around each fault. Once everything is
//! started, the init drops its code pages and asks for no fault-around:
//! the loop then maps back only the pages it really uses.

/// Our own read-only mappings of the executable, from /proc/self/maps.
fn readonly_image_ranges() -> Vec<(usize, usize)> {
    let Ok(exe) = std::fs::read_link("/proc/self/exe") else {
        return Vec::new();
    };
    let exe = exe.to_string_lossy().into_owned();
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return Vec::new();
    };
    maps.lines()
        .filter_map(|line| {
            let mut f = line.split_whitespace();
            let range = f.next()?;
            let perms = f.next()?;
            let path = f.nth(3)?;
            // Only code (r-x): read-only data mappings include RELRO pages,
            // which the loader wrote (relocations) before sealing them, so
            // dropping those would bring back unrelocated bytes.
            if path != exe || perms.get(..3) != Some("r-x") {
                return None;
            }
            let (a, b) = range.split_once('-')?;
            Some((
                usize::from_str_radix(a, 16).ok()?,
                usize::from_str_radix(b, 16).ok()?,
            ))
        })
        .collect()
}

pub fn trim() {
    for (start, end) in readonly_image_ranges() {
        let (addr, len) = (start as *mut libc::c_void, end - start);
        // SAFETY: the range is one of our own executable, file-backed
        // mappings, which nothing writes (no text relocations in a static
        // PIE): dropping its pages only means they are read again from the
        // file when next used.
        unsafe {
            libc::madvise(addr, len, libc::MADV_RANDOM);
            libc::madvise(addr, len, libc::MADV_DONTNEED);
        }
    }
}
