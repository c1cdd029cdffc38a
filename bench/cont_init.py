#!/usr/bin/env python3
"""A cont-init.d of 20 execline scripts (each makes a directory and writes a
file into it), booted under the real s6-overlay 3.2.3.2 /init and under
chainit's, in the same harness (../shared/reference/s6-overlay's boot.sh:
fresh namespaces + chroot). A first script and a last one write the time;
the same tree without the 20 scripts gives what those two cost alone, which
is subtracted. Medians of 7. Beside them, the floor: bench/cont_init_floor.c
does what the 20 scripts must (fork, mkdir -p, create and write the file,
wait) from C on the same filesystem. Prints a Markdown table.
Usage: cont_init.py CHAINIT_BINARY S6O_DIR (S6O_DIR: the built reference,
/tmp/s6o, with boot.sh and root/)"""
import os, shutil, statistics, subprocess, sys, tempfile

CHAINIT = os.path.abspath(sys.argv[1])
S6O = os.path.abspath(sys.argv[2])
REPS = 7

SCRIPT = ("#!/command/execlineb -P\nforeground {{ s6-mkdir -p /tmp/ci/d{i} }}\n"
          "redirfd -w 1 /tmp/ci/d{i}/f\ns6-echo hello {i}\n")

def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)

def etc_tree(top, n):
    d = os.path.join(top, f"etc{n}", "cont-init.d")
    os.makedirs(d)
    write(os.path.join(d, "00-start"), "#!/bin/sh\ndate +%s%N > /tmp/t0\n")
    write(os.path.join(d, "99-end"), "#!/bin/sh\ndate +%s%N > /tmp/t1\n")
    for i in range(1, n + 1):
        write(os.path.join(d, f"{i:02d}-init"), SCRIPT.format(i=f"{i:02d}"))
    return os.path.dirname(d)

def chainit_root(top):
    """An overlay root with chainit's commands under /command, as
    `chainit install --s6-overlay` lays them out, with relative links."""
    root = os.path.join(top, "chainit-root")
    cmd = os.path.join(root, "command")
    os.makedirs(cmd)
    shutil.copy(CHAINIT, os.path.join(cmd, "chainit"))
    names = subprocess.run([CHAINIT, "commands"], capture_output=True, text=True).stdout.split()
    for n in names:
        os.symlink("chainit", os.path.join(cmd, n))
    os.symlink("command/chainit", os.path.join(root, "init"))
    return root

def one(root, etc):
    env = dict(os.environ, S6O_ROOT=root)
    out = subprocess.run([os.path.join(S6O, "boot.sh"), "-t", "30", etc, "sh", "-c",
                          "echo SPAN $(( $(cat /tmp/t1) - $(cat /tmp/t0) ))"],
                         env=env, capture_output=True, text=True, cwd=S6O)
    for line in out.stdout.splitlines():
        if "SPAN " in line:
            return int(line.split("SPAN ")[1]) / 1e9
    raise RuntimeError(out.stdout[-2000:] + out.stderr[-2000:])

def floor(top):
    exe = os.path.join(top, "cont_init_floor")
    subprocess.run(["cc", "-O2", "-o", exe, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "cont_init_floor.c")], check=True)
    times = []
    for _ in range(REPS):
        # Where boot.sh builds its roots, so the same filesystem as the scripts' /tmp.
        d = tempfile.mkdtemp(prefix="floor-", dir=os.path.join(S6O, "runs"))
        out = subprocess.run([exe, d, "20"], capture_output=True, text=True, check=True)
        times.append(float(out.stdout))
        shutil.rmtree(d, ignore_errors=True)
    return statistics.median(times)

def main():
    top = tempfile.mkdtemp(prefix="chainit-cont-init-")
    roots = {"chainit": chainit_root(top), "s6-overlay": os.path.join(S6O, "root")}
    etcs = {0: etc_tree(top, 0), 20: etc_tree(top, 20)}
    res = {(s, n): [] for s in roots for n in etcs}
    for _ in range(REPS):
        for s, root in roots.items():
            for n, etc in etcs.items():
                res[(s, n)].append(one(root, etc))
    fl = floor(top)
    shutil.rmtree(top, ignore_errors=True)
    cost = {s: statistics.median(res[(s, 20)]) - statistics.median(res[(s, 0)]) for s in roots}
    c, r = cost["chainit"], cost["s6-overlay"]
    ratio = c / r
    print("| case | chainit | s6-overlay 3.2.3.2 | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    print(f"| cont-init.d of 20 execline scripts (the two timestamp scripts' own cost taken off) "
          f"| {c*1000:.2f} ms | {r*1000:.2f} ms | {ratio:.2f}x | <= 0.2x | {'yes' if ratio <= 0.2 else 'no'} |")
    print(f"| floor: the same 20 scripts' forks and file system calls, from C | {fl*1000:.2f} ms | "
          f"{r*1000:.2f} ms | {fl / r:.2f}x | — | — |")

if __name__ == "__main__":
    main()
