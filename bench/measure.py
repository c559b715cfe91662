"""Wall time and peak memory of one child process.

The peak is ru_maxrss of that child from os.wait4, taken by a tiny launcher process (this file run
as a script under `python -I -S`, about 10 MB) and not by the benchmark itself: on Linux a process's
ru_maxrss counts the memory of the process image it replaced at exec, so a child forked (or vforked)
from a benchmark that holds a few hundred MB of polars frames would report at least that much.
Deltas of getrusage(RUSAGE_CHILDREN) do not work either: they only ever report the largest child so far.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    cpu_seconds: float
    exit_code: int
    stdout: str
    stderr: str


def run(cmd: list[str], cwd: Path) -> Measured:
    """Run `cmd` to its end through the launcher; stdout and stderr go to files (a pipe could fill up and block the child)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile(suffix=".json") as stats:
        launcher = [sys.executable, "-I", "-S", str(Path(__file__).resolve()), stats.name, *cmd]
        code = subprocess.run(launcher, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, check=False).returncode
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", errors="replace"), err.read().decode("utf-8", errors="replace")
        try:
            s = json.loads(Path(stats.name).read_text("utf-8"))
        except (OSError, json.JSONDecodeError):
            raise RuntimeError(f"the launcher failed (exit {code}) for {cmd}: {stderr[-1000:]}") from None
        return Measured(s["seconds"], s["peak_mb"], s["cpu_seconds"], s["exit_code"], stdout, stderr)


def launch(stats_path: str, cmd: list[str]) -> int:
    """In the launcher: spawn `cmd` (stdin, stdout and stderr inherited), wait for it, write its statistics as JSON."""
    exe = cmd[0] if os.sep in cmd[0] else next(
        (os.path.join(d, cmd[0]) for d in os.environ.get("PATH", "").split(os.pathsep) if os.access(os.path.join(d, cmd[0]), os.X_OK)),
        cmd[0])
    start = time.perf_counter()
    pid = os.posix_spawn(exe, cmd, os.environ)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    per_mb = 1024 * 1024 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux kilobytes
    code = os.waitstatus_to_exitcode(status)
    with open(stats_path, "w", encoding="utf-8") as f:
        json.dump({"seconds": seconds, "peak_mb": usage.ru_maxrss / per_mb, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                   "exit_code": code}, f)
    return 0


if __name__ == "__main__":
    sys.exit(launch(sys.argv[1], sys.argv[2:]))
