#!/usr/bin/env python3
"""Side-by-side supervision timings: chainit's s6-svscan (one process) and
skarnet's s6-svscan 2.11 (one s6-supervise per service) on the same scan
directory. Both sides are driven and observed with Debian's s6 clients.
Prints a Markdown table. Usage: supervise.py CHAINIT_BINARY"""
import os, shutil, signal, statistics, subprocess, sys, tempfile, time

CHAINIT = os.path.abspath(sys.argv[1])
SCANNERS = {"chainit": [CHAINIT, "s6-svscan"], "s6": ["/usr/bin/s6-svscan"]}
EXECLINE = ("#!{execlineb} -P\nfdmove 1 3\nforeground {{ echo }}\nfdclose 1\n"
            "foreground {{ redirfd -w 1 {fifo} printf x }}\nsleep 1000\n")
# "execline": skarnet's execlineb on both sides (the supervisors compared);
# "execline, own": each side's own interpreter, as after a switch to chainit.
RUNS = {
    "sh": "#!/bin/sh\necho >&3\nprintf x > {fifo}\nexec sleep 1000\n",
    "execline": EXECLINE,
    "execline, own": EXECLINE,
}

def make_tree(n, kind, scanner):
    # On tmpfs, as /run is in a container: the status files live there.
    top = tempfile.mkdtemp(prefix="chainit-bench-", dir="/dev/shm")
    execlineb = "/usr/bin/execlineb"
    if kind == "execline, own" and scanner == "chainit":
        execlineb = os.path.join(top, "execlineb")
        os.symlink(CHAINIT, execlineb)
    fifo = os.path.join(top, "up.fifo")
    os.mkfifo(fifo)
    scan = os.path.join(top, "scan")
    for i in range(n):
        d = os.path.join(scan, f"svc{i:03d}")
        os.makedirs(d)
        with open(os.path.join(d, "run"), "w") as f:
            f.write(RUNS[kind].format(fifo=fifo, execlineb=execlineb))
        os.chmod(os.path.join(d, "run"), 0o755)
        with open(os.path.join(d, "notification-fd"), "w") as f:
            f.write("3\n")
    return top, scan, fifo

def descendants(pid):
    kids, out = [pid], []
    while kids:
        p = kids.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                c = [int(x) for x in f.read().split()]
        except OSError:
            c = []
        out += c
        kids += c
    return out

def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""

def memory(pids):
    rss = pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    k, _, v = line.partition(":")
                    if k == "Rss":
                        rss += int(v.split()[0])
                    elif k == "Pss":
                        pss += int(v.split()[0])
        except OSError:
            pass
    return rss, pss

def one_boot(scanner, n, kind):
    top, scan, fifo = make_tree(n, kind, scanner)
    env = {"PATH": "/usr/lib/execline/bin:/usr/bin:/bin"}
    t0 = time.perf_counter()
    p = subprocess.Popen(SCANNERS[scanner] + [scan], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    # All up: every run script has written its byte. Held open read-write
    # to the end, so a restarted service never blocks opening it.
    fd = os.open(fifo, os.O_RDWR)
    got = 0
    while got < n:
        got += len(os.read(fd, n - got))
    t_up = time.perf_counter() - t0
    dirs = [os.path.join(scan, d) for d in sorted(os.listdir(scan)) if not d.startswith(".")]
    subprocess.run(["s6-svwait", "-U", "-a"] + dirs, check=True)
    t_ready = time.perf_counter() - t0
    # The supervision tree: the scanner and any s6-supervise, not the services.
    tree = [p.pid] + [c for c in descendants(p.pid) if comm(c) == "s6-supervise"]
    rss, pss = memory(tree)
    # Restart of a service that has been ready for over a second.
    time.sleep(1.2)
    t = time.perf_counter()
    subprocess.run(["s6-svc", "-wR", "-k", dirs[0]], check=True)
    t_restart = time.perf_counter() - t
    everyone = [p.pid] + descendants(p.pid)
    t = time.perf_counter()
    p.send_signal(signal.SIGTERM)
    p.wait()
    while any(os.path.exists(f"/proc/{q}") and comm(q) != "" and
              open(f"/proc/{q}/stat").read().split(") ")[-1][0] != "Z" for q in everyone):
        time.sleep(0.0005)
    t_gone = time.perf_counter() - t
    os.close(fd)
    subprocess.run(["pkill", "-f", top], check=False)
    shutil.rmtree(top, ignore_errors=True)
    return {"up": t_up, "ready": t_ready, "gone": t_gone, "restart": t_restart, "rss": rss, "pss": pss}

def main():
    reps = 3
    print("| services | run | measure | chainit | s6 2.11 | ratio | target | met |")
    print("|---|---|---|---|---|---|---|---|")
    targets = {"up": 0.5, "ready": 0.5, "gone": 0.5, "restart": 1.0, "pss": 0.2, "rss": 0.05}
    for n in (10, 100):
        for kind in RUNS:
            res = {s: [] for s in SCANNERS}
            for _ in range(reps):
                for s in SCANNERS:
                    signal.alarm(120)  # a boot that hangs is a failure, not a wait
                    res[s].append(one_boot(s, n, kind))
                    signal.alarm(0)
            for m in ("up", "ready", "gone", "restart", "rss", "pss"):
                c = statistics.median(r[m] for r in res["chainit"])
                r = statistics.median(r[m] for r in res["s6"])
                fmt = (lambda v: f"{v*1000:.1f} ms") if m not in ("rss", "pss") else (lambda v: f"{v/1024:.1f} MB")
                ratio = c / r if r else float("nan")
                t = targets[m]
                print(f"| {n} | {kind} | {m} | {fmt(c)} | {fmt(r)} | {ratio:.2f}x | <= {t}x | {'yes' if ratio <= t else 'no'} |")

if __name__ == "__main__":
    main()
