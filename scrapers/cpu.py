"""A small thread pool of its own for CPU-bound steps: parsing pages and analysing articles.

These steps run in threads only to keep the event loop responsive; the GIL lets one of them run at a
time, so more threads than cores add no throughput. They do add memory: glibc gives each thread that
allocates its own malloc arena, and arenas keep their freed pages. asyncio's default pool (up to
cores + 4 threads) also serves aiohttp's DNS lookups, which should not queue behind a long parse.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

WORKERS = max(1, min(4, os.cpu_count() or 1))
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="coopnews-cpu")
    return _pool


async def run_cpu_bound(func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run `func` in the CPU pool and wait for it without blocking the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor(), functools.partial(func, *args, **kwargs))
