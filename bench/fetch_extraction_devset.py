"""Build the extraction development set OUTSIDE the repository from public test sets with expected text.

Run: .venv/bin/python bench/fetch_extraction_devset.py SOURCE [SOURCE ...] [--out DIR]
SOURCE is a local git directory (bare or not) or a git URL (cloned shallow into a temporary folder) of:
  - mozilla/readability: test/test-pages/<name>/source.html + expected.html (whole expected article)
  - adbar/trafilatura: tests/eval/*.html + tests/evaldata.json (snippets the text must / must not contain)
  - markusmobius/go-trafilatura: test-files/comparison/* + scripts/comparison/data.go (same kind of snippets)
The kind of each source is recognised from its files, not its name. Third-party pages stay in DIR
(default ~/.cache/coopnews/extraction-devset); never copy them into the repository.

Layout written: DIR/<set>/<name>/source.html and either expected.txt (full text) or snippets.json
({"with": [...], "without": [...]}); DIR/index.json lists every case with its split ("tune" or "holdout").
The split is fixed by a hash of "<set>/<name>", so it does not move when sets are added.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

DEFAULT_OUT = Path.home() / ".cache" / "coopnews" / "extraction-devset"
HOLDOUT_SHARE = 0.25  # a quarter of the cases are never looked at while tuning
BLOCKS = "p, div, li, h1, h2, h3, h4, h5, h6, pre, blockquote, td, th, tr, dd, dt, figcaption, br"
GO_ENTRY = re.compile(r'^\t"(?P<url>[^"]+)": \{\n(?P<body>.*?)^\t\},', re.S | re.M)
GO_FIELD = re.compile(r"^\t\t(?P<field>File|With|Without):\s*(?P<value>.*?),?$", re.M)
GO_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`')


def split_of(key: str) -> str:
    """ "holdout" for a fixed quarter of cases (by SHA-1 of the key), "tune" for the rest."""
    bucket = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "holdout" if bucket < HOLDOUT_SHARE else "tune"


class Repo:
    """Read-only access to one commit of a git repository (bare mirror or working clone)."""

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir

    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", f"--git-dir={self.git_dir}", *args], check=True, capture_output=True).stdout

    def files(self) -> list[str]:
        out = self._git("-c", "core.quotepath=off", "ls-tree", "-r", "-z", "--name-only", "HEAD")
        return [name for name in out.decode("utf-8").split("\0") if name]

    def read(self, path: str) -> bytes:
        return self._git("show", f"HEAD:{path}")


def html_to_text(markup: str) -> str:
    """Visible text of an expected-article fragment, one line per block."""
    tree = LexborHTMLParser(markup)
    for node in tree.css("script, style"):
        node.decompose()
    for node in tree.css(BLOCKS):
        node.insert_before("\n")
        node.insert_after("\n")
    root = tree.body or tree.root
    text = root.text(separator="") if root is not None else ""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def readability_cases(repo: Repo, names: list[str]) -> Iterator[tuple[str, bytes, dict[str, object]]]:
    pages = sorted({n.split("/")[2] for n in names if n.startswith("test/test-pages/") and n.count("/") == 3})
    for page in pages:
        base = f"test/test-pages/{page}"
        if f"{base}/source.html" in names and f"{base}/expected.html" in names:
            expected = html_to_text(repo.read(f"{base}/expected.html").decode("utf-8", "replace"))
            yield page, repo.read(f"{base}/source.html"), {"expected": expected}


def trafilatura_cases(repo: Repo, names: list[str]) -> Iterator[tuple[str, bytes, dict[str, object]]]:
    data = json.loads(repo.read("tests/evaldata.json"))
    present = set(names)
    for url, entry in sorted(data.items()):
        path = f"tests/eval/{entry['file']}"
        if path in present and entry.get("with"):
            yield (
                entry["file"],
                repo.read(path),
                {"url": url, "with": entry["with"], "without": entry.get("without", [])},
            )


def _go_strings(value: str) -> list[str]:
    return [json.loads(f'"{a}"') if b == "" and a else b for a, b in GO_STRING.findall(value)]


def go_trafilatura_cases(repo: Repo, names: list[str]) -> Iterator[tuple[str, bytes, dict[str, object]]]:
    source = repo.read("scripts/comparison/data.go").decode("utf-8")
    present = set(names)
    for match in GO_ENTRY.finditer(source):
        fields = {m["field"]: m["value"] for m in GO_FIELD.finditer(match["body"])}
        files, with_ = _go_strings(fields.get("File", "")), _go_strings(fields.get("With", ""))
        path = f"test-files/comparison/{files[0]}" if files else ""
        if path in present and with_:
            without = _go_strings(fields.get("Without", ""))
            yield files[0], repo.read(path), {"url": match["url"], "with": with_, "without": without}


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)[:120]


def write_set(out: Path, set_name: str, cases: Iterator[tuple[str, bytes, dict[str, object]]],
              seen_pages: set[str], index: list[dict[str, object]]) -> int:  # fmt: skip
    """Write each case once (the same page in two sets is kept in the first); returns how many were new."""
    written = 0
    for name, source, expected in cases:
        digest = hashlib.sha1(source).hexdigest()
        if digest in seen_pages:
            continue
        seen_pages.add(digest)
        folder = out / set_name / _safe(name)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "source.html").write_bytes(source)
        if "expected" in expected:
            (folder / "expected.txt").write_text(str(expected["expected"]), encoding="utf-8")
        else:
            (folder / "snippets.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")
        key = f"{set_name}/{_safe(name)}"
        kind = "text" if "expected" in expected else "snippets"
        index.append({"case": key, "kind": kind, "split": split_of(key), "url": expected.get("url", "")})
        written += 1
    return written


def resolve(source: str, scratch: Path) -> Path:
    """A git directory for a local path or a URL (shallow bare clone)."""
    path = Path(source).expanduser()
    if path.exists():
        return path / ".git" if (path / ".git").is_dir() else path
    if "scrapinghub/article-extraction-benchmark" in source:
        raise SystemExit("that benchmark is the held-out judge: never part of the development set")
    target = scratch / _safe(source)
    subprocess.run(["git", "clone", "--bare", "--depth=1", source, str(target)], check=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", help="git directories or git URLs of the public test sets")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    repo_root = Path(__file__).resolve().parent.parent
    out = args.out.expanduser().resolve()
    if out == repo_root or repo_root in out.parents:
        parser.error("the development set holds third-party pages: put it outside the repository")
    index: list[dict[str, object]] = []
    seen: set[str] = set()
    with tempfile.TemporaryDirectory() as scratch:
        for source in args.sources:
            repo = Repo(resolve(source, Path(scratch)))
            names = repo.files()
            if "test/test-pages/001/source.html" in names:
                count = write_set(out, "readability", readability_cases(repo, names), seen, index)
            elif "tests/evaldata.json" in names:
                count = write_set(out, "trafilatura", trafilatura_cases(repo, names), seen, index)
            elif "scripts/comparison/data.go" in names:
                count = write_set(out, "go-trafilatura", go_trafilatura_cases(repo, names), seen, index)
            else:
                print(f"{source}: not a known test set (readability, trafilatura, go-trafilatura)", file=sys.stderr)
                continue
            print(f"{source}: {count} cases")
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    holdout = sum(1 for case in index if case["split"] == "holdout")
    print(f"{len(index)} cases in {out} ({len(index) - holdout} tune, {holdout} holdout)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
