//! The differential test builder: one script, run through execline 2.9.3
//! (Debian's real `execlineb`) and through chainit; stdout, exit code and the
//! files left in the working directory must be the same.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

pub const REFERENCE_BIN: &str = "/usr/lib/execline/bin";

/// A directory of chainit symlinks made by `chainit install`, once per test run.
pub fn chainit_bin() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir()
            .join(format!("chainit-it-{}", std::process::id()))
            .join("bin");
        let st = Command::new(env!("CARGO_BIN_EXE_chainit"))
            .arg("install")
            .arg(&dir)
            .status()
            .expect("run chainit install");
        assert!(st.success(), "chainit install failed");
        dir
    })
}

/// chainit's `execlineb -Pc SCRIPT` with extra environment, run to completion.
pub fn run_chainit_inline(script: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(chainit_bin().join("execlineb"));
    cmd.args(["-Pc", script]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run chainit execlineb")
}

pub fn reference_available() -> bool {
    Path::new(REFERENCE_BIN).join("execlineb").exists()
}

#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub code: Option<i32>,
    pub files: Vec<String>,
    pub stderr: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Impl {
    Reference,
    Chainit,
}

#[derive(Clone, Default)]
pub struct Case {
    script: String,
    flags: Vec<String>,
    args: Vec<String>,
    stdin: Vec<u8>,
    env: Vec<(String, String)>,
    inline: bool,
    files: Vec<(String, Vec<u8>)>,
    accounts: Option<(String, String)>,
    fixtures: bool,
}

pub fn script(text: &str) -> Case {
    Case {
        script: text.to_owned(),
        ..Case::default()
    }
}

impl Case {
    pub fn flags(mut self, f: &str) -> Self {
        self.flags.extend(f.split_whitespace().map(str::to_owned));
        self
    }
    pub fn args(mut self, a: &[&str]) -> Self {
        self.args.extend(a.iter().map(|s| (*s).to_owned()));
        self
    }
    pub fn stdin(mut self, s: &str) -> Self {
        self.stdin = s.as_bytes().to_vec();
        self
    }
    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.to_owned(), v.to_owned()));
        self
    }
    /// Pass the script with `-c` instead of as a file.
    pub fn inline(mut self) -> Self {
        self.inline = true;
        self
    }

    /// Creates `path` (relative to the work dir, parents included) before the run.
    pub fn file(mut self, path: &str, content: &[u8]) -> Self {
        self.files.push((path.to_owned(), content.to_vec()));
        self
    }
    /// Runs in a private mount namespace where these texts are
    /// /etc/passwd and /etc/group (both implementations see the same accounts).
    pub fn accounts(mut self, passwd: &str, group: &str) -> Self {
        self.accounts = Some((passwd.to_owned(), group.to_owned()));
        self
    }
    /// Gives the reference side s6-overlay's with-contenv and printcontenv
    /// (rebuilt from their documented behaviour in `tests/fixtures/`).
    pub fn overlay_fixtures(mut self) -> Self {
        self.fixtures = true;
        self
    }

    pub fn run(&self, which: Impl) -> Outcome {
        let bin: PathBuf = match which {
            Impl::Reference => PathBuf::from(REFERENCE_BIN),
            Impl::Chainit => chainit_bin().to_owned(),
        };
        let tmp = scratch_dir("case");
        let work = tmp.join("work");
        std::fs::create_dir_all(&work).unwrap();
        let script_path = tmp.join("script");
        std::fs::write(&script_path, &self.script).unwrap();
        for (path, content) in &self.files {
            let at = work.join(path);
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::fs::write(at, content).unwrap();
        }
        let mut cmd = match &self.accounts {
            None => Command::new("timeout"),
            Some((passwd, group)) => {
                std::fs::write(tmp.join("passwd"), passwd).unwrap();
                std::fs::write(tmp.join("group"), group).unwrap();
                let mut c = Command::new("unshare");
                c.args(["-m", "sh", "-c"]).arg(format!(
                    "mount --bind {0}/passwd /etc/passwd && mount --bind {0}/group /etc/group && exec timeout \"$@\"",
                    tmp.display()
                ));
                c.arg("sh");
                c
            }
        };
        let fixtures = env!("CARGO_MANIFEST_DIR").to_owned() + "/tests/fixtures";
        let path = if self.fixtures && which == Impl::Reference {
            format!("{fixtures}:{}:/usr/bin:/bin", bin.display())
        } else {
            format!("{}:/usr/bin:/bin", bin.display())
        };
        cmd.arg("20").arg(bin.join("execlineb")).args(&self.flags);
        if self.inline {
            cmd.arg("-c").arg(&self.script);
        } else {
            cmd.arg(&script_path);
        }
        cmd.args(&self.args)
            .current_dir(&work)
            .env_clear()
            .env("PATH", path);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn execlineb");
        let input = self.stdin.clone();
        let mut sin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || {
            let _ = sin.write_all(&input);
        });
        let out = child.wait_with_output().unwrap();
        let _ = feeder.join();
        let normalize = |s: &[u8]| {
            String::from_utf8_lossy(s)
                .replace(&format!("{fixtures}:"), "")
                .replace(&bin.display().to_string(), "@BIN@")
                .replace(&tmp.display().to_string(), "@TMP@")
        };
        let outcome = Outcome {
            stdout: normalize(&out.stdout),
            code: out.status.code(),
            files: list_files(&work),
            stderr: normalize(&out.stderr),
        };
        let _ = std::fs::remove_dir_all(&tmp);
        outcome
    }

    /// Runs both and asserts they agree (stderr is shown, not compared).
    #[track_caller]
    pub fn check(&self) {
        if !reference_available() {
            assert!(
                std::env::var_os("CHAINIT_REQUIRE_REFERENCE").is_none(),
                "execline is not installed at {REFERENCE_BIN}; run scripts/test.sh"
            );
            eprintln!("skipped: execline is not installed at {REFERENCE_BIN}");
            return;
        }
        let want = self.run(Impl::Reference);
        let got = self.run(Impl::Chainit);
        let same = want.stdout == got.stdout && want.code == got.code && want.files == got.files;
        assert!(
            same,
            "script:\n{}\nflags {:?} args {:?}\n--- execline: code {:?}\nstdout:\n{}\nfiles: {:?}\nstderr:\n{}\n--- chainit: code {:?}\nstdout:\n{}\nfiles: {:?}\nstderr:\n{}",
            self.script,
            self.flags,
            self.args,
            want.code,
            want.stdout,
            want.files,
            want.stderr,
            got.code,
            got.stdout,
            got.files,
            got.stderr
        );
    }
}

/// A fresh, empty scratch directory named after `tag`, unique in this run.
pub fn scratch_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "chainit-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A command line that runs what is appended to it as PID 1 of a new PID
/// (and mount) namespace, killed if it still runs after `secs` seconds.
pub fn in_pid_namespace(secs: u32) -> Command {
    let mut c = Command::new("timeout");
    c.args([
        "-s",
        "KILL",
        &secs.to_string(),
        "unshare",
        "--pid",
        "--fork",
        "--mount-proc",
    ]);
    c
}

/// `chainit init --root ROOT --run-dir RUN` as PID 1 of a new PID
/// namespace, killed if it is still running after a minute.
pub fn pid1_init(root: &Path, run: &Path) -> Command {
    let mut c = in_pid_namespace(60);
    c.arg(env!("CARGO_BIN_EXE_chainit"))
        .arg("init")
        .arg("--root")
        .arg(root)
        .arg("--run-dir")
        .arg(run);
    c
}

fn list_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                out.push(format!("{rel}/"));
                stack.push(p);
            } else if meta.file_type().is_symlink() {
                out.push(format!(
                    "{rel} -> {}",
                    std::fs::read_link(&p).unwrap().display()
                ));
            } else {
                use std::os::unix::fs::PermissionsExt;
                let content =
                    String::from_utf8_lossy(&std::fs::read(&p).unwrap_or_default()).into_owned();
                out.push(format!(
                    "{rel} {:o} {content:?}",
                    meta.permissions().mode() & 0o7777
                ));
            }
        }
    }
    out.sort();
    out
}

/// One `#[test]` per line: `name: case-expression`.
#[macro_export]
macro_rules! cases {
    ($($name:ident : $case:expr;)*) => {
        $(
            #[test]
            fn $name() {
                $case.check();
            }
        )*
    };
}

/// Runs a script the test has just written. Another test thread may fork
/// while the file is still open for writing, and its child holds that fd
/// until it execs: the kernel says ETXTBSY meanwhile, so try again.
pub fn output_of_fresh_script(cmd: &mut Command) -> std::process::Output {
    for _ in 0..100 {
        match cmd.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other.expect("run the script"),
        }
    }
    panic!("the script stayed busy (ETXTBSY) for a second");
}

/// Every descendant of `pid`, from /proc's children lists.
pub fn descendants(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        let kids =
            std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")).unwrap_or_default();
        for k in kids.split_whitespace().filter_map(|k| k.parse().ok()) {
            out.push(k);
            todo.push(k);
        }
    }
    out
}
