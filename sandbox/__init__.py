"""The offline world for the demo, tests and benchmarks: never imported by a runtime package.

- `sandbox.fake_api`: a wire-level fake Telegram Bot API on 127.0.0.1;
- `sandbox.site_server`: serves the site snapshots (`sandbox/snapshots/`) on 127.0.0.1, with faults on demand;
- `sandbox.demo_news`: the articles `coopnews demo` publishes while it runs.

Shipped inside the wheel with its data files, so `coopnews demo` works from any install.
"""
