#!/usr/bin/env python3
"""Service start at the floor (issue 15): 100 services brought up by a
supervisor running as PID 1 of a fresh PID and mount namespace, side by side
for chainit's s6-svscan, skarnet's s6-svscan 2.11 and nitro, on one
generated scan directory per boot (tmpfs). Each service's daemon is `upmark`
(a tiny C program that writes one byte to the FIFO on its stdout, then
waits), so "all up" is the moment the 100th daemon has been exec'd.
Prints a Markdown table. Usage: start.py CHAINIT_BINARY NITRO_BINARY"""
import os, shutil, signal, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from supervise import comm, descendants  # noqa: E402  (its /proc helpers)

CHAINIT = os.path.abspath(sys.argv[1])
NITRO = os.path.abspath(sys.argv[2])
HERE = os.path.dirname(os.path.abspath(__file__))
N = 100
REPS = 5
SKARNET_EXECLINEB = "/usr/lib/execline/bin/execlineb"

# Up: one byte on stdout (the FIFO); ready: a newline on fd 3, the
# notification-fd every service has, so that s6 restarts a ready service at
# once as chainit does (s6-supervise pauses a second before restarting one
# that was never ready).
UPMARK_C = r"""
#include <unistd.h>
int main(void) {
    if (write(1, "x", 1) != 1) return 111;
    if (write(3, "\n", 1) == 1) close(3);
    for (;;) pause();
}
"""

def build(tmp):
    upmark = os.path.join(tmp, "upmark")
    src = upmark + ".c"
    with open(src, "w") as f:
        f.write(UPMARK_C)
    subprocess.run(["cc", "-O2", "-o", upmark, src], check=True)
    floor = os.path.join(tmp, "spawn_floor")
    subprocess.run(["cc", "-O2", "-o", floor, os.path.join(HERE, "spawn_floor.c")], check=True)
    chainit_bin = os.path.join(tmp, "bin")
    subprocess.run([CHAINIT, "install", chainit_bin], check=True, stdout=subprocess.DEVNULL)
    return upmark, floor, chainit_bin

def run_script(kind, upmark, fifo, chainit_bin):
    if kind == "sh":
        return f"#!/bin/sh\nexec {upmark} > {fifo}\n"
    interpreter = SKARNET_EXECLINEB if kind == "execline (skarnet)" else f"{chainit_bin}/execlineb"
    return f"#!{interpreter} -P\nredirfd -w 1 {fifo}\n{upmark}\n"

def make_tree(kind, upmark, chainit_bin):
    top = tempfile.mkdtemp(prefix="chainit-start-", dir="/dev/shm")
    fifo = os.path.join(top, "up.fifo")
    os.mkfifo(fifo)
    scan = os.path.join(top, "scan")
    for i in range(N):
        d = os.path.join(scan, f"svc{i:03d}")
        os.makedirs(d)
        with open(os.path.join(d, "run"), "w") as f:
            f.write(run_script(kind, upmark, fifo, chainit_bin))
        os.chmod(os.path.join(d, "run"), 0o755)
        with open(os.path.join(d, "notification-fd"), "w") as f:
            f.write("3\n")
    return top, scan, fifo

def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []

def read_bytes(fd, n, limit):
    got, end = 0, time.perf_counter() + limit
    while got < n:
        if time.perf_counter() > end:
            raise TimeoutError(f"{got} of {n} up")
        got += len(os.read(fd, n - got))

SUPERVISORS = {
    "chainit": lambda scan: [CHAINIT, "svscan", scan],
    "chainit, CHAINIT_EXEC=1": lambda scan: [CHAINIT, "svscan", scan],
    "s6 2.11": lambda scan: ["/usr/bin/s6-svscan", scan],
    "nitro": lambda scan: [NITRO, scan],
}

def one_boot(sup, kind, tools):
    upmark, _, chainit_bin = tools
    k = "execline (skarnet)" if (sup == "s6 2.11" and kind == "execline") else kind
    top, scan, fifo = make_tree(k, upmark, chainit_bin)
    env = {"PATH": f"/usr/lib/execline/bin:/usr/bin:/bin"}
    if sup == "chainit, CHAINIT_EXEC=1":
        env["CHAINIT_EXEC"] = "1"
    fd = os.open(fifo, os.O_RDWR)
    t0 = time.perf_counter()
    p = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc"] + SUPERVISORS[sup](scan),
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        read_bytes(fd, N, 30)
        t_up = time.perf_counter() - t0
        # Restart: kill one daemon that has been up over a second; time to
        # its successor's byte.
        time.sleep(1.2)
        pid1 = children(p.pid)[0]
        victim = next(q for q in descendants(pid1) if comm(q) == "upmark")
        t = time.perf_counter()
        os.kill(victim, signal.SIGKILL)
        read_bytes(fd, 1, 10)
        t_restart = time.perf_counter() - t
        t = time.perf_counter()
        os.kill(pid1, signal.SIGTERM)
        p.wait(timeout=30)
        t_gone = time.perf_counter() - t
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        os.close(fd)
        shutil.rmtree(top, ignore_errors=True)
    return {"up": t_up, "restart": t_restart, "gone": t_gone}

def floor(tools):
    """The C floor: up (N daemons posix_spawn'ed) and restart (a killed daemon
    spawned again the moment it is reaped), timed as for the supervisors."""
    upmark, spawn_floor, _ = tools
    top = tempfile.mkdtemp(prefix="chainit-floor-", dir="/dev/shm")
    fifo = os.path.join(top, "up.fifo")
    os.mkfifo(fifo)
    ups, restarts = [], []
    for _ in range(REPS):
        fd = os.open(fifo, os.O_RDWR)
        p = subprocess.Popen([spawn_floor, upmark, fifo, str(N), "respawn"], stdout=subprocess.PIPE,
                             text=True, stdin=subprocess.DEVNULL)
        try:
            # spawn_floor reads the N bytes itself before it prints.
            ups.append(float(p.stdout.readline().split()[0]))
            time.sleep(1.2)
            victim = next(q for q in children(p.pid) if comm(q) == "upmark")
            t = time.perf_counter()
            os.kill(victim, signal.SIGKILL)
            read_bytes(fd, 1, 10)
            restarts.append(time.perf_counter() - t)
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=30)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            os.close(fd)
            subprocess.run(["pkill", "-x", "upmark"], check=False)
    shutil.rmtree(top, ignore_errors=True)
    return statistics.median(ups), statistics.median(restarts)

def main():
    tmp = tempfile.mkdtemp(prefix="chainit-start-tools-")
    tools = build(tmp)
    rows = []
    for kind in ("execline", "sh"):
        sups = list(SUPERVISORS) if kind == "execline" else ["chainit", "s6 2.11", "nitro"]
        res = {s: [] for s in sups}
        for _ in range(REPS):
            for s in sups:  # interleaved, so drift hits every side alike
                res[s].append(one_boot(s, kind, tools))
        med = {s: {m: statistics.median(r[m] for r in res[s]) for m in ("up", "restart", "gone")}
               for s in sups}
        rows.append((kind, med))
    fl, fl_restart = floor(tools)
    shutil.rmtree(tmp, ignore_errors=True)
    ms = lambda v: f"{v * 1000:.1f} ms"
    print("| run scripts | measure | " + " | ".join(SUPERVISORS) + " |")
    print("|---|---|" + "---|" * len(SUPERVISORS))
    for kind, med in rows:
        for m in ("up", "restart", "gone"):
            cells = [ms(med[s][m]) if s in med else "—" for s in SUPERVISORS]
            print(f"| {kind} | {m} | " + " | ".join(cells) + " |")
    print(f"| floor: fork + exec of the daemon, from C | up | {ms(fl)} | | | |")
    print(f"| floor: fork + exec of the daemon, from C | restart | {ms(fl_restart)} | | | |")
    print()
    print("| target | chainit | reference | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    el = rows[0][1]
    sh = rows[1][1]
    def row(name, c, r, target):
        ratio = c / r
        print(f"| {name} | {ms(c)} | {ms(r)} | {ratio:.2f}x | <= {target}x | {'yes' if ratio <= target else 'no'} |")
    row("execline scripts, all up, vs s6 + skarnet execline", el["chainit"]["up"], el["s6 2.11"]["up"], 0.25)
    row("execline scripts, all up, vs nitro (same scripts)", el["chainit"]["up"], el["nitro"]["up"], 1.0)
    row("sh scripts, all up, vs nitro", sh["chainit"]["up"], sh["nitro"]["up"], 1.0)
    row("TERM to exit, vs nitro", el["chainit"]["gone"], el["nitro"]["gone"], 1.0)
    row("restart after a crash, vs s6", el["chainit"]["restart"], el["s6 2.11"]["restart"], 0.3)
    print(f"| floor vs s6 + skarnet execline | {ms(fl)} | {ms(el['s6 2.11']['up'])} | "
          f"{fl / el['s6 2.11']['up']:.2f}x | — | — |")
    print(f"| restart floor vs s6 | {ms(fl_restart)} | {ms(el['s6 2.11']['restart'])} | "
          f"{fl_restart / el['s6 2.11']['restart']:.2f}x | — | — |")

if __name__ == "__main__":
    main()
