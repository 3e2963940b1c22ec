"""The API benchmark still runs: a one-second pass of benchmarks/bench_api.py with tiny numbers.

It starts the real server (`neuromotrix serve`) on a free port over a fresh SQLite file, seeds it through the
command line and the API, and drives both scenarios. The targets are not judged here (benchmarks are measured
in `benchmarks/`, not in timed tests); every request must succeed and every accepted log must be stored.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_api.py"


def test_the_api_benchmark_runs_end_to_end() -> None:
    command = [sys.executable, str(BENCHMARK), "--duration", "0.5", "--warmup", "0.1", "--concurrency", "2",
               "--participants", "2", "--no-targets", "--json"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    report = json.loads(done.stdout)
    assert report["backend"] == "sqlite" and report["workers"] == 1
    results = {result["scenario"]: result for result in report["results"]}
    assert set(results) == {"today", "log"}
    for result in results.values():
        assert result["requests"] > 0 and result["errors"] == 0, result
        assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"] <= result["max_ms"], result
    assert report["logs_accepted"] == report["logs_stored"] > 0
