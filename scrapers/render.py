"""Pages built by JavaScript: the DOM after scripts ran, from headless Chromium (Debian's `chromium`).

No Python package and no browser download: the `render` extra is the operating system's package
(`apt-get install chromium`). One browser at a time, a deadline and an output cap, so a heavy page
costs seconds and memory the operator can predict.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import shutil
import signal
import tempfile
from dataclasses import dataclass

DEFAULT_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "install the Debian package: apt-get install --no-install-recommends chromium"
CHUNK = 64 * 1024


@dataclass
class Rendered:
    """The serialised DOM of a page after its scripts ran, or why there is none."""

    html: str = ""
    error: str | None = None
    truncated: bool = False


def chromium_problem(binary: str) -> str | None:
    """Why pages cannot be rendered with this binary (a sentence for source health), or None."""
    found = shutil.which(binary)
    if found is None or not os.access(found, os.X_OK):
        return f"render = true needs Chromium, but {binary} is not installed ({INSTALL_HINT})"
    return None


class Renderer:
    """Runs `chromium --headless --dump-dom URL`, one process at a time."""

    def __init__(self, binary: str = DEFAULT_CHROMIUM, timeout: float = 30.0, max_bytes: int = 5 * 1024 * 1024,
                 user_agent: str | None = None) -> None:
        self.binary, self.timeout, self.max_bytes, self.user_agent = binary, timeout, max_bytes, user_agent
        self._one_at_a_time = asyncio.Semaphore(1)  # a browser takes ~150 MB and a core while it works

    def _command(self, url: str, profile: str) -> list[str]:
        command = [self.binary, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                   "--disable-extensions", "--disable-dev-shm-usage", "--mute-audio", f"--user-data-dir={profile}"]
        if self.user_agent:
            command.append(f"--user-agent={self.user_agent}")
        return [*command, "--dump-dom", url]

    async def render(self, url: str) -> Rendered:
        """The page's DOM after scripts; never raises for a missing browser, a crash or a timeout."""
        if problem := chromium_problem(self.binary):
            return Rendered(error=problem)
        async with self._one_at_a_time:
            with tempfile.TemporaryDirectory(prefix="coopnews-chromium-") as profile:
                return await self._run(url, profile)

    async def _run(self, url: str, profile: str) -> Rendered:
        try:
            process = await asyncio.create_subprocess_exec(
                *self._command(url, profile), stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL, start_new_session=True,  # its own group: killed as a whole
            )
        except OSError as exc:
            return Rendered(error=f"cannot start {self.binary}: {exc.strerror or exc}")
        try:
            async with asyncio.timeout(self.timeout):
                data, truncated = await self._read_capped(process)
                code = await process.wait() if not truncated else 0
        except TimeoutError:
            return Rendered(error=f"render timeout after {self.timeout:g} s")
        finally:
            await _stop(process)
        if code != 0 and not data:
            return Rendered(error=f"chromium exited with status {code} and no page")
        # a cut body may end inside a character: that partial character is dropped, not replaced
        html = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(data, final=not truncated)
        return Rendered(html=html, truncated=truncated)

    async def _read_capped(self, process: asyncio.subprocess.Process) -> tuple[bytes, bool]:
        assert process.stdout is not None
        chunks: list[bytes] = []
        size = 0
        while chunk := await process.stdout.read(CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if size >= self.max_bytes:
                return b"".join(chunks)[: self.max_bytes], True
        return b"".join(chunks), False


async def _stop(process: asyncio.subprocess.Process) -> None:
    """End the browser and its helper processes if they are still there."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
