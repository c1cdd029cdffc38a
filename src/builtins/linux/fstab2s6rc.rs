//! `fstab2s6rc [-A|-a] [-U|-u] [-E|-e] [-F fstab] [-m mode] [-B bundle]
//! [-d basedep] dir`: turn an fstab into s6-rc source definitions, one
//! oneshot a mount or swap, each depending on the mount it sits on.
//!
//! The scripts name s6-mount, s6-umount, s6-swapon, s6-swapoff, foreground
//! and exit under `/command/`, where `chainit install --s6-overlay` puts
//! them (s6-overlay's build names `/package/admin/<pkg>/command/`).

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::super::portable::s6_quote::{escape, quoted};
use crate::builtins::{gnu_options, options};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "fstab2s6rc [ -A | -a ] [ -U | -u ] [ -E | -e ] [ -F fstab ] [ -m mode ] [ -B bundle ] [ -d basedep ] dir";

const BIN: &str = "/command/";

/// What the options ask for.
struct Choices {
    skip_noauto: bool,
    util_linux: bool,
    not_essential: bool,
    bundle: Option<Vec<u8>>,
    basedep: Option<Vec<u8>>,
}

/// One fstab entry, ready to be written.
struct Entry {
    /// The device, quoted (without `UUID=`/`LABEL=` when `-u` uses them).
    device: Vec<u8>,
    /// `Some("U")` or `Some("L")` when `-u` mounts by uuid or label.
    by: Option<&'static str>,
    /// The mount point without its leading slash (mounts only).
    dir: Vec<u8>,
    kind: Option<Vec<u8>>,
    /// The options to pass, quoted as one word; None if none are left.
    opts: Option<Vec<u8>>,
    nofail: bool,
    noauto: bool,
    service: Vec<u8>,
    /// The mount this entry's device lives on.
    binddep: Option<Vec<u8>>,
    /// Mounts below this one.
    subs: Vec<Entry>,
}

/// fstab(5)'s escapes for blanks and backslashes in a field.
fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let code = match field.get(i..i + 4) {
            Some(b"\\040") => Some(b' '),
            Some(b"\\011") => Some(b'\t'),
            Some(b"\\012") => Some(b'\n'),
            Some(b"\\134") => Some(b'\\'),
            _ => None,
        };
        match code {
            Some(c) => {
                out.push(c);
                i += 4;
            }
            None => {
                out.push(field[i]);
                i += 1;
            }
        }
    }
    out
}

/// The fields of each entry line: blank lines and `#` comments skipped,
/// fields split on blanks; the dump and pass fields may be left out.
fn entries(text: &[u8]) -> Vec<[Vec<u8>; 4]> {
    text.split(|&c| c == b'\n')
        .filter_map(|line| {
            let mut fields = line
                .split(|&c| c == b' ' || c == b'\t')
                .filter(|f| !f.is_empty());
            let first = fields.next()?;
            if first.starts_with(b"#") {
                return None;
            }
            Some([
                unescape(first),
                unescape(fields.next()?),
                unescape(fields.next()?),
                unescape(fields.next()?),
            ])
        })
        .collect()
}

/// The device, quoted; `UUID=`/`LABEL=` become `-U`/`-L` with `-u`.
fn device(dev: &[u8], util_linux: bool) -> (Vec<u8>, Option<&'static str>) {
    for (prefix, flag) in [(&b"UUID="[..], "U"), (&b"LABEL="[..], "L")] {
        if let Some(rest) = dev.strip_prefix(prefix) {
            if util_linux {
                return (quoted(rest), Some(flag));
            }
            eprintln!(
                "fstab2s6rc: warning: weird device found: {} - you may want to run fstab2s6rc -u instead",
                show(dev)
            );
        }
    }
    (quoted(dev), None)
}

/// The options mount should get (fstab-only ones dropped), and the
/// nofail and noauto flags.
fn mount_options(opts: &[u8]) -> (Option<Vec<u8>>, bool, bool) {
    const IGNORED: [&[u8]; 4] = [b"comment", b"defaults", b"owner", b"user"];
    let (mut nofail, mut noauto) = (false, false);
    let mut kept: Vec<u8> = Vec::new();
    for opt in opts.split(|&c| c == b',') {
        if opt.starts_with(b"x-") || IGNORED.contains(&opt) {
            continue;
        }
        match opt {
            b"nofail" => nofail = true,
            b"noauto" => noauto = true,
            _ => {
                escape(&mut kept, opt, b'"');
                kept.push(b',');
            }
        }
    }
    let opts = (!kept.is_empty()).then(|| {
        kept.pop();
        [&b"\""[..], &kept, b"\""].concat()
    });
    (opts, nofail, noauto)
}

/// `mount-var:log` for /var/log, `swap-dev:sda2` for /dev/sda2.
fn service_name(kind: &str, name: &[u8]) -> Vec<u8> {
    let name = name.strip_prefix(b"/").unwrap_or(name);
    let mut out = format!("{kind}-").into_bytes();
    out.extend(name.iter().map(|&c| if c == b'/' { b':' } else { c }));
    out
}

/// Whether `path` lies below the mount point `dir` (both without their
/// leading slash).
fn below(path: &[u8], dir: &[u8]) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path[dir.len()] == b'/'
}

/// The deepest mount among `list` (as read so far) that `device` lies on.
fn mount_under(device: &[u8], list: &[Entry]) -> Option<Vec<u8>> {
    let m = list.iter().find(|m| below(device, &m.dir))?;
    mount_under(device, &m.subs).or_else(|| Some(m.service.clone()))
}

/// Places a mount in the tree. As the original does, a new mount adopts
/// only the first existing mount below it; later ones stay where they are.
fn insert(me: Entry, list: &mut Vec<Entry>) -> Result<()> {
    for (k, other) in list.iter().enumerate() {
        if me.dir == other.dir {
            return Err(Error::Refused(
                1,
                format!("duplicate mount point: {}", show(&me.dir)),
            ));
        }
        if below(&other.dir, &me.dir) {
            let old = std::mem::replace(&mut list[k], me);
            list[k].subs.push(old);
            return Ok(());
        }
        if below(&me.dir, &other.dir) {
            return insert(me, &mut list[k].subs);
        }
    }
    list.push(me);
    Ok(())
}

/// Reads the fstab into the mount tree and the swap list.
fn read(text: &[u8], c: &Choices) -> Result<(Vec<Entry>, Vec<Entry>)> {
    let (mut mounts, mut swaps) = (Vec::new(), Vec::new());
    for [dev, dir, kind, opts] in entries(text) {
        if dir == b"/" {
            continue;
        }
        let (options, nofail, noauto) = mount_options(&opts);
        if c.skip_noauto && noauto {
            continue;
        }
        let swap = kind == b"swap";
        if !swap && dir.first() != Some(&b'/') {
            return Err(Error::Refused(
                1,
                format!("relative mountpoint in fstab: {}", show(&dir)),
            ));
        }
        let (device, by) = device(&dev, c.util_linux);
        let binddep = dev.strip_prefix(b"/").and_then(|d| mount_under(d, &mounts));
        let entry = Entry {
            device,
            by,
            dir: if swap { Vec::new() } else { dir[1..].to_vec() },
            kind: (kind != b"none").then(|| quoted(&kind)),
            opts: options,
            nofail,
            noauto,
            service: service_name(
                if swap { "swap" } else { "mount" },
                if swap { &dev } else { &dir },
            ),
            binddep,
            subs: Vec::new(),
        };
        if swap {
            swaps.push(entry);
        } else {
            insert(entry, &mut mounts)?;
        }
    }
    Ok((mounts, swaps))
}

fn path(dir: &Path, name: &[u8]) -> PathBuf {
    dir.join(std::ffi::OsStr::from_bytes(name))
}

fn unable(what: &str, p: &Path, e: &std::io::Error) -> Error {
    Error::Failed(format!("unable to {what} {}: {}", p.display(), describe(e)))
}

/// A directory of mode 0755 whatever the umask.
fn make_dir(p: &Path) -> Result<()> {
    std::fs::DirBuilder::new()
        .mode(0o755)
        .create(p)
        .and_then(|()| std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)))
        .map_err(|e| unable("mkdir", p, &e))
}

fn write(p: &Path, contents: &[u8]) -> Result<()> {
    std::fs::write(p, contents).map_err(|e| unable("write to", p, &e))
}

/// The end of a `foreground { … }` that must not fail the transition.
fn forgiving(body: &[u8]) -> Vec<u8> {
    [
        format!("{BIN}foreground {{ ").as_bytes(),
        body,
        format!(" }}\n{BIN}exit 0").as_bytes(),
    ]
    .concat()
}

/// `up` and `down` of a mount.
fn mount_scripts(m: &Entry, c: &Choices) -> (Vec<u8>, Option<Vec<u8>>) {
    let mountpoint = quoted(&[b"/", &m.dir[..]].concat());
    let mut up = if c.util_linux {
        let mut cmd = b"mount".to_vec();
        if let Some(flag) = m.by {
            cmd.extend_from_slice(format!(" -{flag} ").as_bytes());
            cmd.extend_from_slice(&m.device);
        }
        cmd
    } else {
        format!("{BIN}s6-mount").into_bytes()
    };
    if let Some(kind) = &m.kind {
        up.extend_from_slice(b" -t ");
        up.extend_from_slice(kind);
    }
    if let Some(opts) = &m.opts {
        up.extend_from_slice(b" -o ");
        up.extend_from_slice(opts);
    }
    up.push(b' ');
    if !(c.util_linux && m.by.is_some()) {
        up.extend_from_slice(&m.device);
        up.push(b' ');
    }
    up.extend_from_slice(&mountpoint);
    let down = (m.noauto || c.not_essential).then(|| {
        let cmd = if c.util_linux {
            "umount -l -- ".to_string()
        } else {
            format!("{BIN}s6-umount -- ")
        };
        forgiving(&[cmd.as_bytes(), &mountpoint].concat())
    });
    (up, down)
}

/// `up` and `down` of a swap.
fn swap_scripts(s: &Entry, c: &Choices) -> (Vec<u8>, Option<Vec<u8>>) {
    let mut up = if c.util_linux {
        let mut cmd = b"swapon".to_vec();
        if let Some(opts) = &s.opts {
            cmd.extend_from_slice(b" -o ");
            cmd.extend_from_slice(opts);
        }
        if let Some(flag) = s.by {
            cmd.extend_from_slice(format!(" -{flag} ").as_bytes());
        }
        cmd
    } else {
        format!("{BIN}s6-swapon --").into_bytes()
    };
    up.push(b' ');
    up.extend_from_slice(&s.device);
    let down = (s.noauto || c.not_essential).then(|| {
        let cmd = match (c.util_linux, s.by) {
            (true, Some(flag)) => format!("swapoff -{flag} "),
            (true, None) => "swapoff ".to_string(),
            (false, _) => format!("{BIN}s6-swapoff -- "),
        };
        forgiving(&[cmd.as_bytes(), &s.device].concat())
    });
    (up, down)
}

/// One oneshot's definition directory, its dependencies and its place in
/// the bundle.
fn write_oneshot(
    dir: &Path,
    e: &Entry,
    scripts: (Vec<u8>, Option<Vec<u8>>),
    c: &Choices,
    basedep: Option<&[u8]>,
    bundle_suffix: &str,
) -> Result<()> {
    let sdir = path(dir, &e.service);
    write(&sdir.join("type"), b"oneshot\n")?;
    if !e.noauto {
        let flag = if c.not_essential {
            "flag-recommended"
        } else {
            "flag-essential"
        };
        write(&sdir.join(flag), b"")?;
    }
    let (mut up, down) = scripts;
    if e.nofail {
        up = forgiving(&up);
    }
    up.push(b'\n');
    let down = down.map(|mut d| {
        d.push(b'\n');
        d
    });
    write(&sdir.join("down"), down.as_deref().unwrap_or_default())?;
    write(&sdir.join("up"), &up)?;
    let deps = sdir.join("dependencies.d");
    for dep in e.binddep.iter().map(Vec::as_slice).chain(basedep) {
        write(&path(&deps, dep), b"")?;
    }
    if let (Some(bundle), false) = (&c.bundle, e.noauto) {
        let contents = path(dir, &[bundle, bundle_suffix.as_bytes()].concat()).join("contents.d");
        write(&path(&contents, &e.service), b"")?;
    }
    Ok(())
}

fn write_mounts(dir: &Path, mounts: &[Entry], c: &Choices, basedep: Option<&[u8]>) -> Result<()> {
    for m in mounts {
        write_oneshot(dir, m, mount_scripts(m, c), c, basedep, "-mounts")?;
        // Mounts below this one wait for it rather than for the base.
        write_mounts(dir, &m.subs, c, Some(&m.service))?;
    }
    Ok(())
}

fn make_service_dirs(dir: &Path, entries: &[Entry]) -> Result<()> {
    for e in entries {
        let sdir = path(dir, &e.service);
        make_dir(&sdir)?;
        make_dir(&sdir.join("dependencies.d"))?;
        make_service_dirs(dir, &e.subs)?;
    }
    Ok(())
}

fn write_all(dir: &Path, fstab: &[u8], c: &Choices) -> Result<()> {
    let text = std::fs::read(std::ffi::OsStr::from_bytes(fstab))
        .map_err(|e| Error::Failed(format!("unable to open {}: {}", show(fstab), describe(&e))))?;
    let (mounts, swaps) = read(&text, c)?;
    make_service_dirs(dir, &mounts)?;
    make_service_dirs(dir, &swaps)?;
    if let Some(b) = &c.bundle {
        for suffix in ["", "-mounts", "-swaps"] {
            let bdir = path(dir, &[b, suffix.as_bytes()].concat());
            make_dir(&bdir)?;
            make_dir(&bdir.join("contents.d"))?;
        }
    }
    write_mounts(dir, &mounts, c, c.basedep.as_deref())?;
    for s in &swaps {
        write_oneshot(
            dir,
            s,
            swap_scripts(s, c),
            c,
            c.basedep.as_deref(),
            "-swaps",
        )?;
    }
    if let Some(b) = &c.bundle {
        for suffix in ["-mounts", "-swaps", ""] {
            write(
                &path(dir, &[b, suffix.as_bytes()].concat()).join("type"),
                b"bundle\n",
            )?;
        }
        let contents = path(dir, b).join("contents.d");
        for suffix in ["-swaps", "-mounts"] {
            write(&path(&contents, &[b, suffix.as_bytes()].concat()), b"")?;
        }
    }
    Ok(())
}

/// `-m`: octal digits only.
fn octal(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(|c| (b'0'..=b'7').contains(c)) {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(s).ok()?, 8).ok()
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let longs = [
        ("include-noauto", b'A'),
        ("exclude-noauto", b'a'),
        ("without-uuid", b'U'),
        ("with-uuid", b'u'),
        ("essential", b'E'),
        ("not-essential", b'e'),
        ("fstab", b'F'),
        ("mode", b'm'),
        ("bundle", b'B'),
        ("base-dependency", b'd'),
    ];
    let spec = "AaUuEeF:m:B:d:";
    let argv = gnu_options(&argv, spec, &longs)?;
    let (opts, first) = options(&argv[1..], spec)?;
    let mut c = Choices {
        skip_noauto: false,
        util_linux: false,
        not_essential: false,
        bundle: None,
        basedep: None,
    };
    let (mut fstab, mut mode) = (b"/etc/fstab".to_vec(), None);
    for (o, arg) in opts {
        let value = arg.unwrap_or_default().to_vec();
        match o {
            b'A' => c.skip_noauto = false,
            b'a' => c.skip_noauto = true,
            b'U' => c.util_linux = false,
            b'u' => c.util_linux = true,
            b'E' => c.not_essential = false,
            b'e' => c.not_essential = true,
            b'F' => fstab = value,
            b'm' => mode = Some(value),
            b'B' => c.bundle = Some(value),
            _ => c.basedep = Some(value),
        }
    }
    let Some(target) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let mode = match mode {
        Some(m) => octal(&m).ok_or_else(crate::builtins::usage)?,
        None => 0o755,
    };
    let target = PathBuf::from(std::ffi::OsStr::from_bytes(target));
    match std::fs::symlink_metadata(&target) {
        Ok(_) => {
            return Err(Error::Failed(format!(
                "{} already exists",
                target.display()
            )));
        }
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(unable("access", &target, &e));
        }
        Err(_) => {}
    }
    // Built under a temporary name and renamed, so a failure leaves nothing.
    let temp = make_temp_dir(&target)?;
    let result = write_all(&temp, &fstab, &c)
        .and_then(|()| {
            std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(mode))
                .map_err(|e| unable("chmod", &temp, &e))
        })
        .and_then(|()| {
            std::fs::rename(&temp, &target).map_err(|e| {
                Error::Failed(format!(
                    "unable to rename {} to {}: {}",
                    temp.display(),
                    target.display(),
                    describe(&e)
                ))
            })
        });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    result.map(|()| Step::Exit(0))
}

/// `target:XXXXXX`, mode 0700, as mkdtemp makes it.
fn make_temp_dir(target: &Path) -> Result<PathBuf> {
    let mut template = target.as_os_str().as_bytes().to_vec();
    template.extend_from_slice(b":XXXXXX");
    let made = nix::unistd::mkdtemp(std::ffi::OsStr::from_bytes(&template))
        .map_err(|e| Error::sys(format!("mkdtemp {}", show(&template)), e))?;
    std::fs::set_permissions(&made, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| unable("chmod", &made, &e))?;
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_may_be_escaped_and_the_last_two_left_out() {
        let got = entries(
            b"# c\n\n  a\\040b /m\\040n ext4 defaults\nc /d e f 0\n\tg\t/h  i j 0 0\nshort /x y\n",
        );
        let want: Vec<[Vec<u8>; 4]> = vec![
            [
                b"a b".to_vec(),
                b"/m n".to_vec(),
                b"ext4".to_vec(),
                b"defaults".to_vec(),
            ],
            [b"c".to_vec(), b"/d".to_vec(), b"e".to_vec(), b"f".to_vec()],
            [b"g".to_vec(), b"/h".to_vec(), b"i".to_vec(), b"j".to_vec()],
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn options_drop_what_only_fstab_reads() {
        let (o, nofail, noauto) = mount_options(b"defaults,nofail,x-a=b,ro,noauto,user,size=1m");
        assert_eq!(
            (o.as_deref(), nofail, noauto),
            (Some(&b"\"ro,size=1m\""[..]), true, true)
        );
        assert_eq!(mount_options(b"defaults").0, None);
    }

    #[test]
    fn names_follow_the_mount_point() {
        assert_eq!(service_name("mount", b"/var/log"), b"mount-var:log");
        assert_eq!(service_name("swap", b"/dev/sda2"), b"swap-dev:sda2");
    }
}
