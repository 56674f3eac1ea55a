#!/usr/bin/env python3
"""Bootstrap and everyday tasks with nothing but Python 3.11+: `python3 tasks.py demo|test|lint|run`.

The first call makes `.venv/` and installs the pinned dependencies from requirements.lock; later
calls reinstall only when requirements.lock or pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".coopnews-installed"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _run(*args: str | Path) -> int:
    return subprocess.call([str(a) for a in args], cwd=ROOT)


def _run_forwarding(*args: str | Path) -> int:
    """Run a long-lived child (the bot) and hand it Ctrl+C and SIGTERM, then wait for its clean stop.

    The child gets a process group of its own, so a Ctrl+C on the terminal reaches only this
    wrapper, which forwards it once: the child sees exactly one signal whoever sent it, and the
    wrapper never dies with a KeyboardInterrupt traceback while the child is still shutting down.
    """
    kwargs: dict[str, object] = {} if os.name == "nt" else {"process_group": 0}
    child = subprocess.Popen([str(a) for a in args], cwd=ROOT, **kwargs)  # type: ignore[call-overload]

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs under whatever python3 the machine has
        sys.exit(f"Coopnews needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _fingerprint()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("installing pinned dependencies (first run takes a minute) …", flush=True)
    pip = [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if _run(*pip, "-r", ROOT / "requirements.lock") or _run(*pip, "--no-deps", "-e", ROOT):
        sys.exit("dependency installation failed (see pip's message above)")
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    task, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if task not in {"demo", "test", "lint", "run", "coopnews"}:
        print(__doc__.strip())
        print("\ntasks: demo (offline demo), test (full test suite), lint (ruff + mypy + import contracts), "
              "run (the real bot; needs BOT_TOKEN), coopnews ARGS (any CLI command)")
        return 0 if task == "help" else 2
    ensure_environment()
    coopnews = BIN / "coopnews"
    if task == "demo":
        return _run_forwarding(coopnews, "demo", *rest)
    if task == "run":
        return _run_forwarding(coopnews, "run", *rest)
    if task == "coopnews":
        return _run_forwarding(coopnews, *rest)
    if task == "lint":
        return _run(BIN / "ruff", "check", ".") or _run(BIN / "mypy") or _run(BIN / "lint-imports")
    return _run(PYTHON, "-m", "pytest", *rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
