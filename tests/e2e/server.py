"""The real server, started through the command line for the browser tests.

`DemoTemplate` seeds the demo clinic once per test run (`neuromotrix db seed-demo`) into a SQLite file;
`DemoServer` copies that file and serves it with `neuromotrix serve --demo --port <free port>`, as a clinic
would run it, with the job runner off (`NEUROMOTRIX_JOBS=false`: emails stay in the outbox, where the tests
read them). Every server writes its own log file; the test report shows it when a test fails.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import outbox
from neuromotrix.services import demo

START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
LOG_TAIL_CHARACTERS = 20_000


def command_line() -> Path:
    """The `neuromotrix` script installed next to this Python (the test run's virtual environment)."""
    script = Path(sys.executable).parent / "neuromotrix"
    if not script.exists():
        raise RuntimeError(f"{script} is missing: install the project first (pip install -e '.[test]').")
    return script


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def environment(database: Path, base_url: str) -> dict[str, str]:
    """The shell's environment without any NEUROMOTRIX_* setting of the developer, plus the test server's."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("NEUROMOTRIX_")}
    return clean | {
        "NEUROMOTRIX_DATABASE_URL": f"sqlite:///{database}",
        "NEUROMOTRIX_JOBS": "false",
        "NEUROMOTRIX_BASE_URL": base_url,
        # Every test signs in from 127.0.0.1: the default (10 failed sign-ins per 15 minutes and address) would be
        # shared by all the tests of a server. The limit itself is tested in tests/api and tests/web.
        "NEUROMOTRIX_LOGIN_RATE": "100/15 minutes",
    }


def demo_today() -> dt.date:
    """The demo clinic's date now: its story (last session, today's session) is told around this day."""
    return dt.datetime.now(dt.UTC).astimezone(ZoneInfo(demo.TIME_ZONE)).date()


class DemoTemplate:
    """A demo clinic seeded once, copied for each server (seeding takes seconds, a copy milliseconds).

    When the clinic's midnight passes between the seeding and a copy, the copy would tell yesterday's story
    (today's session already in the past), so the template is seeded again first.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database = folder / "demo-template.db"
        self.log = folder / "seed-demo.log"
        self.seeded_for: dt.date | None = None

    def seed(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            self.database.with_name(self.database.name + suffix).unlink(missing_ok=True)
        self.seeded_for = demo_today()
        with self.log.open("w", encoding="utf-8") as log:
            finished = subprocess.run(
                [str(command_line()), "db", "seed-demo"],
                env=environment(self.database, "http://127.0.0.1"),
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=START_TIMEOUT_SECONDS,
                check=False,
            )
        if finished.returncode != 0:
            raise RuntimeError(f"`neuromotrix db seed-demo` failed:\n{self.log.read_text(encoding='utf-8')}")

    def copy_to(self, database: Path) -> None:
        if self.seeded_for != demo_today():
            self.seed()
        for suffix in ("", "-wal", "-shm"):  # a clean exit leaves no WAL; copy one if it is there
            source = self.database.with_name(self.database.name + suffix)
            if source.exists():
                shutil.copyfile(source, database.with_name(database.name + suffix))


class DemoServer:
    """`neuromotrix serve --demo` on a free port of 127.0.0.1, with its own copy of the demo database."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self.folder = folder
        self.database = folder / f"{name}.db"
        self.log = folder / f"{name}.log"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self, template: DemoTemplate) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        template.copy_to(self.database)
        with self.log.open("wb") as log:  # the child keeps its own handle on the file
            self._process = subprocess.Popen(
                [str(command_line()), "serve", "--demo", "--host", "127.0.0.1", "--port", str(self.port)],
                env=environment(self.database, self.base_url),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                self._process = None
                raise RuntimeError(f"the server stopped at start (exit {self._process.returncode}):\n{self.log_text()}")
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer /healthz within {START_TIMEOUT_SECONDS:g} s:\n{self.log_text()}")

    def stop(self) -> None:
        """Ask uvicorn to finish (SIGTERM: it closes connections and the database, then exits by the same signal).

        Raises if the server had already died, or hangs and has to be killed: either is a bug the tests missed.
        """
        process, self._process = self._process, None
        if process is None:
            return
        already = process.poll()
        process.terminate()
        try:
            code = process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise RuntimeError(
                f"the server did not stop within {STOP_TIMEOUT_SECONDS:g} s:\n{self.log_text()}"
            ) from None
        if already is not None or code != -signal.SIGTERM:
            raise RuntimeError(
                f"the server ended by itself or badly (exit {already if already is not None else code}):\n{self.log_text()}"
            )

    def log_text(self) -> str:
        if not self.log.exists():
            return "(no log)"
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return text if len(text) <= LOG_TAIL_CHARACTERS else "…\n" + text[-LOG_TAIL_CHARACTERS:]

    def emails_to(self, address: str, purpose: str) -> list[str]:
        """Bodies of the emails waiting in the outbox for `address` (the job runner is off), oldest first."""
        engine = sa.create_engine(f"sqlite:///{self.database}")
        try:
            with engine.connect() as connection:
                query = (
                    sa.select(outbox.c.body)
                    .where(outbox.c.to_address == address, outbox.c.purpose == purpose)
                    .order_by(outbox.c.id)
                )
                return [str(body) for body in connection.execute(query).scalars()]
        finally:
            engine.dispose()
