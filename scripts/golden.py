#!/usr/bin/env python3
"""Records what the reference programs do, as golden files for the
differential tests that CI runs without them (tests/golden.rs).

    scripts/golden.py REFDIR tests/golden/NAME.cases "VERSION LINE"

REFDIR holds the reference programs (e.g. /tmp/s6o/root/command from
../shared/reference/s6-overlay). Each line of the .cases file is one shell
command line ('#' lines and blank lines skipped); it runs under sh -c in an
empty scratch directory, umask 022, PATH=REFDIR:/usr/bin:/bin, no stdin.
What it did is written next to it as NAME.golden: the exit code, stdout,
stderr's first line, and every file left in the scratch directory (type,
mode, contents or link target). Bytes outside printable ASCII, and '%',
are written as %XX.

s6's listeners (s6-ftrig-wait, s6-svlisten…) start s6-ftrigrd from the
path built into them, /package/admin/s6-2.15.1.0/command/s6-ftrigrd: link
/package to REFDIR/../package while recording tests/golden/s6.cases, and
remove the link afterwards (an image root of / with /package in it is an
s6-overlay image to `chainit init`)."""
import os, subprocess, sys, tempfile

def esc(b: bytes) -> str:
    return "".join(chr(c) if 32 <= c < 127 and c != 37 else "%%%02X" % c for c in b)

def tree(root):
    out = []
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs + files):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            mode = "%04o" % (st.st_mode & 0o7777)
            if os.path.islink(path):
                out.append(f"link {esc(rel.encode())} {esc(os.readlink(path).encode())}")
            elif os.path.isdir(path):
                out.append(f"dir {esc(rel.encode())} {mode}")
            elif os.path.isfile(path):
                with open(path, "rb") as f:
                    out.append(f"file {esc(rel.encode())} {mode} {esc(f.read(4096))}")
            else:
                out.append(f"other {esc(rel.encode())} {mode}")
    return out

def run(refdir, line):
    with tempfile.TemporaryDirectory() as scratch:
        env = {"PATH": f"{refdir}:/usr/bin:/bin", "HOME": scratch, "LC_ALL": "C"}
        p = subprocess.run(["sh", "-c", "umask 022; " + line], cwd=scratch, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
        err = p.stderr.split(b"\n", 1)[0]
        return [f"exit {p.returncode}", f"out {esc(p.stdout)}", f"err {esc(err)}"] + tree(scratch)

def main():
    refdir, cases, version = sys.argv[1], sys.argv[2], sys.argv[3]
    out = [f"# {version}", f"# recorded by scripts/golden.py from {os.path.basename(cases)}"]
    with open(cases) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            out.append(f"@ {line}")
            out.extend(run(refdir, line))
    with open(cases[: -len(".cases")] + ".golden", "w") as f:
        f.write("\n".join(out) + "\n")

main()
