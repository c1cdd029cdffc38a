//! Embeds docs/commands/*.md for `chainit help NAME`, deflated (a quarter
//! of the size): one (name, compressed text) pair per page, sorted by name.

use std::fmt::Write;

fn main() {
    let dir = std::path::Path::new("docs/commands");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut pages: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .filter_map(|p| Some((p.file_stem()?.to_str()?.to_owned(), p)))
                .collect()
        })
        .unwrap_or_default();
    pages.sort();
    let mut out = String::from("pub static PAGES: &[(&str, &[u8])] = &[\n");
    for (name, path) in &pages {
        let text = std::fs::read(path).unwrap_or_default();
        let packed = miniz_oxide::deflate::compress_to_vec(&text, 10);
        let _ = writeln!(out, "    ({name:?}, &{packed:?}),");
    }
    out.push_str("];\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("pages.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
