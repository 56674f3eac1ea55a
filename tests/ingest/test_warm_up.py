"""The ingest warm-up loads, at start, what the first poll would otherwise load on a worker thread."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_warm_up_loads_morphology_and_dateparser_languages() -> None:
    # A fresh interpreter: these caches are process-wide, and other tests have filled them already.
    code = textwrap.dedent(
        """
        import asyncio
        from dateparser.languages.loader import LocaleDataLoader
        from analysis.lemmas import morph
        from app.ingest import Ingestor

        before = (morph.cache_info().currsize, sorted(LocaleDataLoader._loaded_languages))
        asyncio.run(Ingestor.warm_up(None))  # uses no instance state
        after = (morph.cache_info().currsize, sorted(LocaleDataLoader._loaded_languages))
        print(before, after)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    before, after = out.stdout.strip().split(") (")
    assert before == "(0, []"
    assert after.startswith("1, [") and "'ru'" in after and "'kk'" in after, out.stdout
