//! Golden diagnostics: what a user sees for a broken script (no colour, width 80).

use std::process::Command;

use crate::support::chainit_bin;

fn stderr_of(text: &str) -> (String, Option<i32>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("chainit-diag-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("script.el");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(chainit_bin().join("execlineb"))
        .arg(&file)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).replace(&dir.display().to_string(), "DIR");
    (err, out.status.code())
}

#[track_caller]
fn golden(text: &str, want: &str) {
    let (got, code) = stderr_of(text);
    assert_eq!(code, Some(100), "exit code");
    assert_eq!(got, want, "\n--- got:\n{got}\n--- want:\n{want}");
}

#[test]
fn unmatched_open_points_at_the_brace() {
    golden(
        "#!/usr/bin/execlineb -P\nforeground {\n  echo hi\n",
        "execlineb: fatal: syntax error
chainit::parse::unmatched_open

  × unmatched {
   ╭─[DIR/script.el:2:12]
 1 │ #!/usr/bin/execlineb -P
 2 │ foreground {
   ·            ┬
   ·            ╰── this block is never closed
 3 │   echo hi
   ╰────
  help: every `{` that opens a block needs a `}` on its own as a word
",
    );
}

#[test]
fn unmatched_close_points_at_the_brace() {
    golden(
        "echo a }\n",
        "execlineb: fatal: syntax error
chainit::parse::unmatched_close

  × unmatched }
   ╭─[DIR/script.el:1:8]
 1 │ echo a }
   ·        ┬
   ·        ╰── no block is open here
   ╰────
  help: remove it, or quote it (\"}\") to pass a literal brace
",
    );
}

#[test]
fn unterminated_quote_points_at_the_quote() {
    golden(
        "echo \"abc\necho d\n",
        "execlineb: fatal: syntax error
chainit::parse::unterminated_quote

  × unterminated quoted string
   ╭─[DIR/script.el:1:6]
 1 │ echo \"abc
   ·      ┬
   ·      ╰── this quote is never closed
 2 │ echo d
   ╰────
  help: close the string with `\"`; write `\\\"` for a literal quote
",
    );
}

#[test]
fn bad_escape_is_labelled() {
    golden(
        "echo \"\\256\"\n",
        "execlineb: fatal: syntax error
chainit::parse::bad_escape

  × invalid escape sequence
   ╭─[DIR/script.el:1:7]
 1 │ echo \"\\256\"
   ·       ──┬─
   ·         ╰── not a valid escape
   ╰────
  help: use \\0xHH (hex), \\0ooo (octal, at most 377) or \\ddd (decimal, 1 to
        255); a NUL byte cannot be written
",
    );
}

#[test]
fn nul_byte_is_an_error() {
    let (err, code) = stderr_of("echo a\0b\n");
    assert_eq!(code, Some(100));
    assert!(err.contains("NUL byte in script"), "{err}");
}

#[test]
fn usage_names_the_command() {
    let out = Command::new(chainit_bin().join("fdmove"))
        .arg("1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(100));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "fdmove: usage: fdmove [ -c ] to from prog...\n"
    );
}

#[test]
fn exec_failure_names_the_program() {
    let out = crate::support::run_chainit_inline(
        "foreground { no-such-prog-xyz } exit 0",
        &[("PATH", "/nonexistent")],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "foreground: warning: unable to spawn no-such-prog-xyz: No such file or directory"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
