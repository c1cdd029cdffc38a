#!/usr/bin/env python3
"""Side-by-side timings of `chainit init` and tini (Debian's tini 0.19) in
one run: TERM to the init until it exits, a CMD that leaves an orphan
behind, reaping 2,000 orphans, idle RSS and PSS. Both run as subreapers
(`tini -s`; chainit sets it itself when not PID 1). Prints a Markdown table."""
import os, signal, statistics, subprocess, sys, tempfile, time

CHAINIT, TINI = sys.argv[1], "/usr/bin/tini"
RUN = tempfile.mkdtemp()
INITS = {
    "chainit": [CHAINIT, "init", "--run-dir", RUN, "--"],
    "tini": [TINI, "-s", "--"],
}

def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return f.read().split()
    except OSError:
        return []

def started(p):
    while not children(p.pid):
        time.sleep(0.001)

def term_to_exit(init, cpus=None, up=0.02):
    # cpus: pin the init (and so its CMD) there; None leaves it to the scheduler.
    # up: how long the container runs before the TERM.
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    p = subprocess.Popen(INITS[init] + ["sleep", "100"], preexec_fn=pin)
    started(p)
    time.sleep(up)
    t = time.perf_counter()
    p.send_signal(signal.SIGTERM)
    p.wait()
    return time.perf_counter() - t

def whole_run(init, script):
    t = time.perf_counter()
    subprocess.run(INITS[init] + ["sh", "-c", script], check=False)
    return time.perf_counter() - t

def memory(init):
    p = subprocess.Popen(INITS[init] + ["sleep", "100"])
    started(p)
    time.sleep(0.3)
    vals = {}
    with open(f"/proc/{p.pid}/smaps_rollup") as f:
        for line in f:
            k, _, rest = line.partition(":")
            if k in ("Rss", "Pss"):
                vals[k] = int(rest.split()[0])
    p.send_signal(signal.SIGKILL)
    p.wait()
    return vals

rows = []
def row(label, fn, n, unit, target):
    # Interleaved, so that drift of the machine hits both alike.
    samples = {"chainit": [], "tini": []}
    for _ in range(n):
        for init in samples:
            samples[init].append(fn(init))
    c, t = (statistics.median(samples[i]) for i in ("chainit", "tini"))
    ratio = c / t
    fmt = (lambda v: f"{v*1000:.2f} ms") if unit == "s" else (lambda v: f"{v:.0f} kB")
    rows.append(f"| {label} | {fmt(c)} | {fmt(t)} | {ratio:.2f}x | {target} | {'yes' if target == '—' or ratio <= float(target.split()[1][:-1]) else 'no'} |")

orphan = "sleep 100 & exit 0"
reap = "i=0; while [ $i -lt 2000 ]; do ( true & ); i=$((i+1)); done"
row("(a) `docker stop`: TERM to the init → exit (CMD `sleep`)", term_to_exit, 60, "s", "<= 1.0x")

def pinned(fn):
    """The same, every process on CPU 0: no cross-CPU wake-ups, whose cost
    on this VM depends on where the scheduler put the CMD."""
    def run(init):
        cpus = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {0})
        try:
            return fn(init)
        finally:
            os.sched_setaffinity(0, cpus)
    return run

row("(a+) the same after 0.5 s up instead of 20 ms", lambda i: term_to_exit(i, up=0.5), 30, "s", "<= 1.0x")
row("(a') the same, all on one CPU", pinned(term_to_exit), 60, "s", "<= 1.0x")

def across(init):
    """The init and its CMD on CPU 0, the TERM sent from CPU 1: both inits
    pay the same cross-CPU wake-ups, wherever the scheduler would put them."""
    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {1})
    try:
        return term_to_exit(init, {0})
    finally:
        os.sched_setaffinity(0, cpus)

row("(a'') the same, the init on one CPU and the TERM sent from the other", across, 60, "s", "<= 1.0x")
row("(b) CMD exits leaving an orphan: whole run", lambda i: whole_run(i, orphan), 20, "s", "—")

def leftover_to_exit():
    """The CMD exits at once, leaving a process that ignores TERM and ends
    by itself 100 ms later; from its end (it writes the time just before)
    to the init's exit. tini does not wait for it, so it has no such row."""
    stamp = os.path.join(RUN, "last-exit")
    script = f"(trap '' TERM; sleep 0.1; date +%s.%N > {stamp}) & exit 0"
    subprocess.run(INITS["chainit"] + ["sh", "-c", script], check=False)
    end = time.time()
    with open(stamp) as f:
        return end - float(f.read())

samples = sorted(leftover_to_exit() for _ in range(10))
rows.append(f"| (b') leftover process: its exit → the init's exit | {samples[5]*1000:.2f} ms | — (does not wait) | — | <= 20 ms | {'yes' if samples[5] <= 0.02 else 'no'} |")
row("(c) reaping 2,000 orphans: whole run", lambda i: whole_run(i, reap), 5, "s", "<= 1.0x")
row("(d) idle RSS", lambda i: memory(i)["Rss"], 3, "kB", "<= 1.0x")
row("(e) idle PSS", lambda i: memory(i)["Pss"], 3, "kB", "—")
print("| case | chainit | tini | ratio | target | met |")
print("|---|---|---|---|---|---|")
print("\n".join(rows))
