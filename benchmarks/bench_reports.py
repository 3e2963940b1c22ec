"""Benchmark the progress-report PDF (services/reports.py): one participant with 12 weeks of history, SQLite.

Run from the repository root:

    python benchmarks/bench_reports.py                 # 12 weeks, 20 timed runs after 2 warm-up runs
    python benchmarks/bench_reports.py --runs 50 --json
    python benchmarks/bench_reports.py --weeks 2 --runs 2 --no-targets   # smoke run

What it does: seeds a fresh SQLite file through the services, as real use would — a clinic, a trainer, a
participant with cervical dystonia (the example profile, moved to start 12 weeks ago, a toxin injection four days
before), the approved program, every planned session logged (the adaptation engine runs after each log and makes
its program versions) and a pain rating every 4 weeks — then renders the progress report for the latest cycle,
in French, `--runs` times in one process (the typst compiler and its fonts loaded once, as in the server), each
in its own read-only unit of work, and prints mean, p50, p95 and max, and the first run's time (cold: typst's
fonts parsed).

Target (issue 5 item 8): progress-report PDF <= 500 ms (p95). Exits 1 when it is missed (unless --no-targets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from neuromotrix.bootstrap import Container
from neuromotrix.services import accounts, assessments, demo, participants, programs, reports, session_flow
from neuromotrix.services.access import Actor
from neuromotrix.services.profiles import profile_from_document
from neuromotrix.services.session_logs import BlockEntry, SessionEntry
from neuromotrix.settings import Settings

NOW = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.UTC)  # 15:00 in Montréal
TARGET_MS = 500.0


def _evening(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(20, 0), tzinfo=dt.UTC)


def _low(target: Any) -> float:
    return float(target[0]) if isinstance(target, list) else float(target)


def seed(container: Container, *, weeks: int) -> tuple[Actor, int, int]:
    """A participant with `weeks` weeks of history; returns the trainer, the participant and the sessions logged."""
    today = NOW.date()
    start = today - dt.timedelta(weeks=weeks)
    document = demo.demo_profile("cervical-dystonia", start=start, language="fr")
    document["preferences"]["weeks"] = weeks + 4
    document["treatments"]["botulinum_toxin"] = [{"date": start - dt.timedelta(days=4), "regions": ["neck"]}]
    profile = profile_from_document(document, source="bench", today=start)
    with container.uow(write=True) as uow:
        clinic = accounts.create_clinic(uow, "Clinique Benchmark", now=_evening(start))
        trainer_id = accounts.create_user(uow, clinic_id=clinic, email="bench-trainer@example.org", name="Bench",
                                          role="trainer", now=_evening(start), password=None)  # fmt: skip
        trainer = Actor(trainer_id, clinic, "trainer", "bench-trainer@example.org", "Bench", "en")
        participant_id = participants.enrol(uow, trainer, display_name="Zoé Benchmark", language="fr",
                                            profile=profile, now=_evening(start), today=start)  # fmt: skip
        draft = programs.generate(uow, trainer, participant_id, now=_evening(start), reason="intake")
        programs.approve(uow, trainer, participant_id, draft.version, now=_evening(start))
        uow.commit()
    logged = 0
    day = start
    while day < today:
        with container.uow(write=True) as uow:
            _, session = programs.session_on(uow, participant_id, day)
            if session is not None:
                _log(uow, trainer, participant_id, day, session, logged)
                logged += 1
            if (day - start).days % 28 == 0:
                assessments.record_assessment(uow, trainer, participant_id, instrument="pain_nrs", taken_on=day,
                                              answers={"now": 6 - (day - start).days // 28,
                                                       "average_24h": 5 - (day - start).days // 28},
                                              source="web", today=day, now=_evening(day))  # fmt: skip
            uow.commit()
        day += dt.timedelta(days=1)
    return trainer, participant_id, logged


def _log(uow: Any, trainer: Actor, participant_id: int, day: dt.date, session: dict[str, Any], number: int) -> None:
    blocks = tuple(
        BlockEntry(position=index, exercise_id=block["exercise_id"], status="done", pain=1,
                   effort=_low(block["dose"]["effort"]["target"]))
        for index, block in enumerate(session["blocks"])
    )  # fmt: skip
    entry = SessionEntry(
        performed_on=day, pre_pain=3 + number % 2, pre_dystonia=4, pre_fatigue=2, post_pain=3, post_dystonia=3,
        post_fatigue=3, stop_reason=None, notes="", blocks=blocks,
    )  # fmt: skip
    session_flow.log_session(uow, trainer, participant_id, entry, now=_evening(day))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(container: Container, trainer: Actor, participant_id: int, *, runs: int, warmup: int) -> dict[str, Any]:
    timings: list[float] = []
    size = 0
    for number in range(warmup + runs):
        began = time.perf_counter()
        with container.uow() as uow:
            document = reports.render_report(uow, trainer, participant_id, kind="progress", language="fr",
                                             today=NOW.date())  # fmt: skip
        elapsed = (time.perf_counter() - began) * 1000
        size = len(document)
        if number == 0:
            first = elapsed
        if number >= warmup:
            timings.append(elapsed)
    return {
        "first_ms": round(first, 1),
        "mean_ms": round(statistics.fmean(timings), 1),
        "p50_ms": round(percentile(timings, 0.5), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
        "runs": runs,
        "bytes": size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", type=int, default=12, help="weeks of history (default 12)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--no-targets", action="store_true", help="report only; never exit 1")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        container = Container(Settings(database_url=f"sqlite:///{Path(folder) / 'bench.db'}", jobs=False))
        container.clock = lambda: NOW
        try:
            container.migrate()
            began = time.perf_counter()
            trainer, participant_id, logged = seed(container, weeks=arguments.weeks)
            seeded = time.perf_counter() - began
            result = measure(container, trainer, participant_id, runs=arguments.runs, warmup=arguments.warmup)
        finally:
            container.close()
    result |= {"weeks": arguments.weeks, "sessions_logged": logged, "seed_s": round(seeded, 1),
               "target_ms": TARGET_MS}  # fmt: skip
    if arguments.json:
        print(json.dumps(result))
    else:
        print(
            f"progress report, {arguments.weeks} weeks of history ({logged} sessions logged; seeded in {seeded:.1f} s)"
        )
        print(f"  first run (typst fonts loaded): {result['first_ms']} ms")
        print(f"  {arguments.runs} runs: mean {result['mean_ms']} ms, p50 {result['p50_ms']} ms, "
              f"p95 {result['p95_ms']} ms, max {result['max_ms']} ms; {result['bytes']:,} bytes")  # fmt: skip
        print(f"  target p95 <= {TARGET_MS:.0f} ms: {'met' if result['p95_ms'] <= TARGET_MS else 'MISSED'}")
    return 0 if arguments.no_targets or result["p95_ms"] <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
