"""Peak memory of a whole process tree and the bytes it writes: ``python -m sim`` and sweeps.

Runs a command (by default the README's main job, ``python -m sim``, into a
fresh directory), samples every process of its tree with psutil every
``--interval`` seconds and prints:

* peak RSS summed over the tree (shared library pages counted once per
  process: an upper bound), and the peak of the largest single process;
* peak PSS summed over the tree (proportional set size: a page shared by k
  processes counts 1/k in each, so the sum is the memory the tree occupies);
* bytes on disk under the output directory when the command ends;
* wall time.

Examples::

    python experiments/benchmarks/bench_memory.py                      # the main job
    python experiments/benchmarks/bench_memory.py --sweep policy=baseline,emergency_15min,consolidation \\
        run.replications=50 run.horizon_days=365 report=none
    python experiments/benchmarks/bench_memory.py run.replications=10 run.horizon_days=365 report=none
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table  # noqa: E402


def tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def role(p: psutil.Process, root: psutil.Process) -> str:
    """parent, or a short name for a child process from its command line."""
    if p.pid == root.pid:
        return "parent"
    try:
        line = " ".join(p.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return "?"
    for key, name in (("loky", "loky worker"), ("resource_tracker", "resource tracker"),
                      ("dask", "dask"), ("semaphore", "semaphore tracker")):
        if key in line:
            return name
    return line[:40]


def sample(procs: list[psutil.Process], root: psutil.Process,
           by_role: dict[str, int]) -> tuple[int, int, int]:
    """(sum of RSS, sum of PSS, largest RSS) over ``procs`` now; ``by_role``: peak RSS per role."""
    rss = pss = top = 0
    for p in procs:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        top = max(top, info.rss)
        name = role(p, root)
        by_role[name] = max(by_role.get(name, 0), info.rss)
    return rss, pss, top


def disk_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def measure(cmd: list[str], interval: float, env: dict) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    root = psutil.Process(proc.pid)
    peak = {"rss": 0, "pss": 0, "top": 0, "processes": 0}
    by_role: dict[str, int] = {}
    lines: list[str] = []
    import threading

    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    while proc.poll() is None:
        procs = tree(root)
        rss, pss, top = sample(procs, root, by_role)
        peak = {"rss": max(peak["rss"], rss), "pss": max(peak["pss"], pss), "top": max(peak["top"], top),
                "processes": max(peak["processes"], len(procs))}
        time.sleep(interval)
    reader.join(timeout=10)
    return {**peak, "by_role": by_role, "wall": time.perf_counter() - t0, "returncode": proc.returncode,
            "output": "".join(lines)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sweep", action="store_true", help="run as a Hydra multirun (-m)")
    ap.add_argument("--interval", type=float, default=0.1, help="seconds between samples")
    ap.add_argument("--keep", type=Path, default=None, help="output directory to keep (default: a temp dir)")
    ap.add_argument("overrides", nargs="*", help="Hydra overrides for python -m sim")
    args = ap.parse_args(argv)
    out = args.keep or Path(tempfile.mkdtemp(prefix="bench-memory-"))
    where = f"hydra.sweep.dir={out}" if args.sweep else f"hydra.run.dir={out}"
    cmd = [sys.executable, "-m", "sim", *(["-m"] if args.sweep else []), *args.overrides, where]
    env = {**os.environ, "CI": "1"}  # no progress bar
    try:
        m = measure(cmd, args.interval, env)
        written = disk_bytes(out) if out.exists() else 0
    finally:
        if args.keep is None:
            shutil.rmtree(out, ignore_errors=True)
    if m["returncode"] != 0:
        print(m["output"][-3000:])
        raise SystemExit(f"command failed with status {m['returncode']}: {' '.join(cmd)}")
    mb = lambda b: f"{b / 2**20:,.0f} MiB"  # noqa: E731
    print_table(f"bench_memory: {' '.join(cmd[1:])}", [
        ("peak PSS, whole tree", mb(m["pss"])),
        ("peak RSS, whole tree (sum)", mb(m["rss"])),
        ("peak RSS, largest process", mb(m["top"])),
        ("processes (most at once)", str(m["processes"])),
        *[(f"  peak RSS of {name}", mb(v)) for name, v in sorted(m["by_role"].items())],
        ("bytes on disk", f"{written / 1e6:,.1f} MB"),
        ("wall time", f"{m['wall']:.1f} s"),
    ])
    said = [line for line in m["output"].splitlines() if line.startswith(("on disk:", "wrote"))]
    print("\n".join(said))


if __name__ == "__main__":
    main()
