"""Benchmark: `coopnews scrape --once` beside hostile sources (target: ends within 60 s, keeps every good article).

Six local hosts: one good snapshot site and five bad ones (a list page that never answers, a 500 for
ever, a redirect loop, binary junk, a 32 MB page). The real command runs as a child process with the
default fetch policy (30 s deadline per fetch, 1 s per-host spacing, 3 retries); the table shows what
each source cost and the process's whole wall time (start-up and migrations included).
Run: .venv/bin/python bench/bench_bounded_poll.py
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox.site_server import Fault, SiteServer, sources_for, write_sources_toml  # noqa: E402
from scrapers.sources import load_sources  # noqa: E402

LIST = "/vologda-ru/list.html"
BAD = {
    "hanging": Fault(hang=True),
    "error-500": Fault(statuses=[500] * 20),
    "redirect-loop": Fault(redirect_loop=True),
    "junk": Fault(junk=True),
    "huge": Fault(huge_bytes=32 * 1024 * 1024),
}
LINE = re.compile(r"^\[\d+/\d+\] \[(?P<id>[a-z0-9-]+)\] (?P<state>\w+): (?P<new>\d+) new "
                  r".*?items found: (?P<items>\d+); (?P<seconds>[\d.]+) s")


async def run() -> None:
    (vologda,) = [s for s in load_sources().sources if s.id == "vologda-ru"]
    with tempfile.TemporaryDirectory(prefix="bench-bounded-") as folder:
        tmp = Path(folder)
        async with AsyncExitStack() as stack:
            sites = {name: await stack.enter_async_context(SiteServer()) for name in ["good", *BAD]}
            chosen = sources_for(sites["good"], [vologda])
            for name, fault in BAD.items():
                sites[name].set_fault(LIST, fault)
                (bad,) = sources_for(sites[name], [vologda])
                chosen.append(bad.model_copy(update={"id": name, "name": name}))
            write_sources_toml(chosen, tmp / "sources.toml")
            env = {**os.environ, "SOURCES_FILE": str(tmp / "sources.toml"), "PYTHONPATH": str(ROOT),
                   "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bench.sqlite3'}", "DEFAULT_LANGUAGE": "en"}
            started = time.perf_counter()
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "app.cli", "scrape", "--once", cwd=tmp, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            out, _ = await child.communicate()
            wall = time.perf_counter() - started
    rows = [m for m in map(LINE.match, out.decode().splitlines()) if m]
    print(f"{'source':<15} {'state':<7} {'items':>5} {'new':>4} {'seconds':>8}")
    for row in rows:
        print(f"{row['id']:<15} {row['state']:<7} {row['items']:>5} {row['new']:>4} {float(row['seconds']):>8.1f}")
    summary = out.decode().strip().splitlines()[-1] if out else ""
    print(f"\n{summary}\nwhole command (start-up included): {wall:.1f} s, exit {child.returncode} (target < 60 s)")


if __name__ == "__main__":
    asyncio.run(run())
