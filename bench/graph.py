#!/usr/bin/env python3
"""The s6-rc service graph under chainit init, side by side with skarnet's
s6-svscan 2.11 driving the same longruns (s6-rc itself is not packaged in
Debian, so the oneshots have no reference side). Prints a Markdown table.
Usage: graph.py CHAINIT_BINARY"""
import os, shutil, signal, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import supervise  # noqa: E402  (shares its run scripts and /proc helpers)

CHAINIT = os.path.abspath(sys.argv[1])
RC = "etc/s6-overlay/s6-rc.d"
USER = "etc/s6-overlay/user-bundles.d/user/contents.d"


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def longrun_script(kind, fifo, top, own):
    execlineb = "/usr/bin/execlineb"
    if kind == "execline, own" and own:
        execlineb = os.path.join(top, "execlineb")
        if not os.path.exists(execlineb):
            os.symlink(CHAINIT, execlineb)
    return supervise.RUNS[kind].format(fifo=fifo, execlineb=execlineb)


def make_root(longruns, oneshots, kind, chain=False, own=True):
    """longruns services writing a byte to up.fifo once started; oneshots
    running `true`. With chain, the oneshots form one chain; otherwise five
    chains of ten, and longrun i depends on the end of chain i % 5."""
    top = tempfile.mkdtemp(prefix="chainit-graph-", dir="/dev/shm")
    root = os.path.join(top, "root")
    fifo = os.path.join(top, "up.fifo")
    os.mkfifo(fifo)
    for k in range(oneshots):
        d = os.path.join(root, RC, f"o{k:02d}")
        write(os.path.join(d, "type"), "oneshot\n")
        write(os.path.join(d, "up"), "true\n")
        if k % (oneshots if chain else 10) != 0:
            write(os.path.join(d, "dependencies.d", f"o{k - 1:02d}"), "")
        write(os.path.join(root, USER, f"o{k:02d}"), "")
    for i in range(longruns):
        d = os.path.join(root, RC, f"svc{i:03d}")
        write(os.path.join(d, "type"), "longrun\n")
        write(os.path.join(d, "run"), longrun_script(kind, fifo, top, own), 0o755)
        write(os.path.join(d, "notification-fd"), "3\n")
        if oneshots and not chain:
            write(os.path.join(d, "dependencies.d", f"o{(i % 5) * 10 + 9:02d}"), "")
        write(os.path.join(root, USER, f"svc{i:03d}"), "")
    os.makedirs(os.path.join(root, USER), exist_ok=True)
    return top, root, fifo


def gone(pids):
    def alive(q):
        try:
            with open(f"/proc/{q}/stat") as f:
                return f.read().split(") ")[-1][0] != "Z"
        except OSError:
            return False
    while any(alive(q) for q in pids):
        time.sleep(0.0005)


def term_until_gone(p):
    """TERM to the init or scanner p; the time until it and all it started are gone."""
    everyone = [p.pid] + supervise.descendants(p.pid)
    t = time.perf_counter()
    p.send_signal(signal.SIGTERM)
    p.wait()
    gone(everyone)
    return time.perf_counter() - t


def boot_chainit(longruns, oneshots, kind, chain=False):
    """Start until the CMD runs (everything up, ready), then TERM until all gone."""
    top, root, fifo = make_root(longruns, oneshots, kind, chain)
    cmd_fifo = os.path.join(top, "cmd.fifo")
    os.mkfifo(cmd_fifo)
    env = {"PATH": "/usr/lib/execline/bin:/usr/bin:/bin", "S6_VERBOSITY": "0"}
    fd = os.open(fifo, os.O_RDWR)
    cfd = os.open(cmd_fifo, os.O_RDWR)
    t0 = time.perf_counter()
    p = subprocess.Popen([CHAINIT, "init", "--root", root, "--run-dir", os.path.join(top, "run"),
                          "--", "sh", "-c", f"printf y > {cmd_fifo}; exec sleep 1000"],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.read(cfd, 1)
    t_up = time.perf_counter() - t0
    t_down = term_until_gone(p)
    os.close(fd)
    os.close(cfd)
    shutil.rmtree(top, ignore_errors=True)
    return {"up": t_up, "down": t_down}


def boot_s6(longruns, kind):
    """s6-svscan on the same longruns: all started, all ready, TERM until gone."""
    # s6's side runs skarnet's execlineb: each side its own interpreter.
    top, root, fifo = make_root(longruns, 0, kind, own=False)
    scan = os.path.join(root, RC)
    env = {"PATH": "/usr/lib/execline/bin:/usr/bin:/bin"}
    fd = os.open(fifo, os.O_RDWR)
    t0 = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/s6-svscan", scan], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    got = 0
    while got < longruns:
        got += len(os.read(fd, longruns - got))
    dirs = [os.path.join(scan, d) for d in sorted(os.listdir(scan)) if not d.startswith(".")]
    subprocess.run(["s6-svwait", "-U", "-a"] + dirs, check=True)
    t_up = time.perf_counter() - t0
    t_down = term_until_gone(p)
    os.close(fd)
    shutil.rmtree(top, ignore_errors=True)
    return {"up": t_up, "down": t_down}


def spawn_floor(kind):
    """The same 100 run scripts posix_spawn'ed by bench/spawn_floor.c, no
    supervisor at all: what the scripts cost by themselves (None without cc)."""
    here = os.path.dirname(os.path.abspath(__file__))
    exe = os.path.join(tempfile.gettempdir(), "chainit-spawn-floor")
    if subprocess.run(["cc", "-O2", "-o", exe, os.path.join(here, "spawn_floor.c")],
                      stderr=subprocess.DEVNULL).returncode != 0:
        return None
    top, root, fifo = make_root(1, 0, kind)
    run = os.path.join(root, RC, "svc000", "run")
    env = {"PATH": "/usr/lib/execline/bin:/usr/bin:/bin"}
    times = [float(subprocess.run([exe, run, fifo, "100"], env=env, capture_output=True,
                                  text=True).stdout) for _ in range(5)]
    shutil.rmtree(top, ignore_errors=True)
    return statistics.median(times)


def own_time(n):
    """What n oneshots cost by themselves: n sequential fork+exec of true."""
    def run(script):
        t = time.perf_counter()
        subprocess.run(["sh", "-c", script], check=True)
        return time.perf_counter() - t
    base = statistics.median(run(":") for _ in range(9))
    loop = statistics.median(run(f"for i in $(seq {n}); do /bin/true; done") for _ in range(9))
    return loop - base


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def main():
    reps = 5
    print("| tree | run | measure | chainit | s6-svscan 2.11 | ratio | target | met |")
    print("|---|---|---|---|---|---|---|---|")
    for kind in ("sh", "execline", "execline, own"):
        ours, theirs = [], []
        for _ in range(reps):
            signal.alarm(120)
            ours.append(boot_chainit(100, 0, kind))
            theirs.append(boot_s6(100, kind))
            signal.alarm(0)
        for m, target in (("up", 0.5), ("down", None)):
            c, r = median(ours, m), median(theirs, m)
            t = f"<= {target}x" if target else "-"
            met = ("yes" if c / r <= target else "no") if target else "-"
            label = "all up and ready" if m == "up" else "TERM until all gone"
            print(f"| 100 independent longruns | {kind} | {label} | {c*1000:.1f} ms | {r*1000:.1f} ms "
                  f"| {c/r:.2f}x | {t} | {met} |")
        floor = spawn_floor(kind)
        if floor is not None:
            print(f"| 100 independent longruns | {kind} | floor: the scripts alone, spawned by C "
                  f"| {floor*1000:.1f} ms | | {floor/median(theirs, 'up'):.2f}x of s6 | | |")
    mixed = []
    for _ in range(reps):
        signal.alarm(120)
        mixed.append(boot_chainit(100, 50, "sh"))
        signal.alarm(0)
    for m, label in (("up", "all up and ready"), ("down", "TERM until all gone")):
        print(f"| 100 longruns after 50 oneshots (5 chains of 10) | sh | {label} | "
              f"{median(mixed, m)*1000:.1f} ms | (no s6-rc) | - | - | - |")
    empty = [boot_chainit(0, 0, "sh") for _ in range(reps)]
    deep = [boot_chainit(0, 50, "sh", chain=True) for _ in range(reps)]
    own = own_time(50)
    extra = (median(deep, "up") - median(empty, "up") - own) / 50
    print(f"| 50-deep oneshot chain | `true` | added per link over the oneshots' own "
          f"{own*1000:.1f} ms | {extra*1000:.3f} ms | - | - | <= 1 ms | "
          f"{'yes' if extra <= 0.001 else 'no'} |")


if __name__ == "__main__":
    main()
