"""Sample a running app server with py-spy and summarise where its time goes.

py-spy attaches from outside (no code change, no restart) and samples every worker
process of one gunicorn server while the load runs. The summary lists functions by the
share of samples they appear in ("total", children included) and by the share in which
they are the innermost frame ("own").
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")
# Frames of this project's own apps, and the Django functions that say where time goes.
PROJECT = re.compile(r"\((?:[^()]*/)?(config|events|registrations|reactions|pages)/[^()]*\.py\)$")
LANDMARKS = (
    "WSGIHandler.__call__",
    "Template.render (django/template/base.py)",
    "InclusionNode.render",
    "SQLCompiler.execute_sql",
    "render_crispy_form",
    "CrispyFormNode.render",
    "translate_url",
    "Atomic.__exit__",
    "CsrfViewMiddleware",
)


def py_spy() -> str | None:
    return shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))


def start(*, pid: int, seconds: float, out: Path, idle: bool) -> subprocess.Popen:
    """Sample process ``pid`` and its children for ``seconds``; collapsed stacks to ``out``."""
    binary = py_spy()
    if binary is None:
        raise RuntimeError("py-spy is missing: make install (requirements/dev.txt)")
    command = [
        binary,
        "record",
        "--pid",
        str(pid),
        "--subprocesses",
        "--nonblocking",
        "--rate",
        "200",
        "--duration",
        str(max(1, round(seconds))),
        "--format",
        "raw",
        "--output",
        str(out),
    ]
    if idle:
        command.append("--idle")  # also count threads waiting (for the row lock, say)
    return subprocess.Popen(  # noqa: S603
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _short(frame: str) -> str:
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "/lib/python3.", "/work/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match['func']} ({path})"


def summarise(raw: Path, *, top: int = 25) -> str:
    """A plain-text table of the busiest functions in a py-spy raw (collapsed) file."""
    total: Counter[str] = Counter()
    own: Counter[str] = Counter()
    samples = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_short(f) for f in stack.split(";") if "(" in f]
        if not frames:
            continue
        n = int(count)
        samples += n
        own[frames[-1]] += n
        for name in set(frames):
            total[name] += n
    if not samples:
        return "no samples\n"

    def table(counter: Counter[str], title: str, names=None) -> list[str]:
        rows = [f"{title} (share of {samples} samples)"]
        chosen = [(k, n) for k, n in counter.most_common() if names is None or names(k)]
        rows += [f"{n / samples:7.1%}  {name}" for name, n in chosen[:top]]
        return rows

    def ours(name: str) -> bool:
        return PROJECT.search(name) is not None or any(f in name for f in LANDMARKS)

    return "\n".join(
        [
            *table(total, "total, Bijeen's code and Django's landmarks", ours),
            "",
            *table(total, "total"),
            "",
            *table(own, "own"),
            "",
        ]
    )
