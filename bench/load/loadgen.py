"""A bounded load generator (standard library only) with a write ledger and an optional fault.

    python bench/load/loadgen.py --base http://127.0.0.1:8123 --world world.json \
        --duration 60 [--fault-at 25 --fault-cmd "pg_ctlcluster ... restart"]

Each client thread loops over a mix of reads (project list, spec list, spec page),
previews (POST /api/v1/render/, at most one per 0.6 s per client: the API allows 120 a
minute per user) and writes (PATCH its own section with the version it last saw). Every
acknowledged write (200) is recorded; afterwards each section must hold its client's
last acknowledged text, and versions must have advanced by one per acknowledgement.

With --fault-cmd, the command runs at --fault-at seconds (PostgreSQL restart). Failures
between its start and --grace seconds after it ends are counted as outage failures;
any 5xx or connection error outside that window fails the run, as does a request that
takes longer than --max-latency, or no success after the outage.
Prints a JSON summary; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import random
import shlex
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

PREVIEW_TEXT = (
    "Load test\n=========\n\nProblem description\n===================\n\n"
    "Operators need *headroom* per pool.\n\n* one\n* two\n\n.. note:: a note\n"
)


class Run:
    def __init__(self, args, world):
        self.args, self.world = args, world
        base = urlsplit(args.base)
        self.host, self.port = base.hostname, base.port
        self.lock = threading.Lock()
        self.results: list[tuple[float, str, int | str, float]] = []  # (t, kind, status, seconds)
        self.ledger: dict[int, list[tuple[int, str]]] = {}  # client -> [(version, text)] acknowledged
        self.ambiguous = Counter()  # writes whose answer was an error: may or may not be stored
        self.fault_window: tuple[float, float] | None = None
        self.started = time.monotonic()
        self.stop = threading.Event()
        self.problems: list[str] = []

    def check_follows(self, index: int, version: int, text: str, when: str) -> list[str]:
        """The section read back holds the client's last acknowledged write, or a later one of its own.

        Only this client writes this section, so a later version can only be one of its
        unacknowledged (errored) writes that did land; an earlier one means a lost write.
        """
        acked = self.ledger.get(index) or []
        if not acked:
            return []
        last_version, last_text = acked[-1]
        if (version, text) == (last_version, last_text):
            return []
        if version > last_version and text.startswith(f"Client {index} write "):
            return []
        return [
            f"client {index} ({when}): found version {version}, last acknowledged {last_version} was lost"
        ]

    def now(self) -> float:
        return time.monotonic() - self.started

    def request(self, kind, method, path, body=None, token=None):
        headers = {"Host": f"{self.host}:{self.port}", "X-Forwarded-Proto": "https"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Token {token}"
        started = time.monotonic()
        at = self.now()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.args.max_latency + 10)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            status, data = response.status, response.read()
        except OSError as error:
            status, data = f"conn:{type(error).__name__}", b""
        finally:
            connection.close()
        with self.lock:
            self.results.append((at, kind, status, time.monotonic() - started))
        return status, data

    def client(self, index: int, info: dict) -> None:
        rng = random.Random(index)
        token, project = info["token"], self.world["project"]
        section_url = f"/api/v1/specs/{info['spec_id']}/sections/{info['section_id']}/"
        version, sequence, last_preview = None, 0, 0.0
        reads = ["/", f"/p/{project}/", f"/p/{project}/{info['spec_slug']}/"]
        self.ledger[index] = []
        while not self.stop.is_set():
            roll = rng.random()
            if version is None:  # (re)learn the section's version, e.g. after an ambiguous write
                status, data = self.request("read-api", "GET", section_url, token=token)
                if status == 200:
                    current = json.loads(data)
                    version = current["version"]
                    with self.lock:
                        self.problems.extend(self.check_follows(index, version, current["text"], "re-read"))
            elif roll < 0.25:
                sequence += 1
                text = f"Client {index} write {sequence}: headroom is reported per pool."
                status, data = self.request(
                    "write", "PATCH", section_url, {"text": text, "version": version}, token=token
                )
                if status == 200:
                    answer = json.loads(data)
                    if answer["text"] != text or answer["version"] != version + 1:
                        with self.lock:
                            self.problems.append(f"client {index}: acknowledged {answer} for {version}")
                    version = answer["version"]
                    self.ledger[index].append((version, text))
                elif status == 409:
                    version = None  # our previous, unacknowledged write did land: re-read
                    self.ambiguous["conflict-after-error"] += 1
                else:
                    version = None
                    self.ambiguous[f"write-{status}"] += 1
            elif roll < 0.40 and time.monotonic() - last_preview > 0.6:
                last_preview = time.monotonic()
                self.request(
                    "preview", "POST", "/api/v1/render/", {"text": PREVIEW_TEXT, "project": project}, token
                )
            else:
                self.request("read", "GET", rng.choice(reads))
            time.sleep(self.args.think)

    def fault(self) -> None:
        if self.stop.wait(self.args.fault_at):
            return
        began = self.now()
        completed = subprocess.run(shlex.split(self.args.fault_cmd), capture_output=True, text=True)
        ended = self.now()
        self.fault_window = (began, ended)
        self.fault_output = (completed.returncode, completed.stdout + completed.stderr)

    def verify(self) -> list[str]:
        problems = []
        for index, info in enumerate(self.world["clients"]):
            acked = self.ledger.get(index, [])
            versions = [version for version, _ in acked]
            if any(later <= earlier for earlier, later in itertools.pairwise(versions)):
                problems.append(f"client {index}: acknowledged versions go backwards: {versions}")
            url = f"/api/v1/specs/{info['spec_id']}/sections/{info['section_id']}/"
            status, data = self.request("verify", "GET", url, token=info["token"])
            if status != 200:
                problems.append(f"client {index}: reading the section back: HTTP {status}")
                continue
            stored = json.loads(data)
            problems.extend(self.check_follows(index, stored["version"], stored["text"], "finally"))
        return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", required=True)
    parser.add_argument("--world", required=True, help="JSON from setup_world.py")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think", type=float, default=0.01, help="seconds between a client's requests")
    parser.add_argument("--fault-at", type=float, default=None)
    parser.add_argument("--fault-cmd", default=None)
    parser.add_argument(
        "--grace", type=float, default=5.0, help="seconds after the fault still counted in it"
    )
    parser.add_argument("--max-latency", type=float, default=30.0)
    args = parser.parse_args()
    with open(args.world, encoding="utf-8") as file:
        world = json.load(file)

    run = Run(args, world)
    threads = [
        threading.Thread(target=run.client, args=(index, info), daemon=True)
        for index, info in enumerate(world["clients"])
    ]
    if args.fault_cmd:
        threads.append(threading.Thread(target=run.fault, daemon=True))
    for thread in threads:
        thread.start()
    time.sleep(args.duration)
    run.stop.set()
    for thread in threads:
        thread.join(timeout=args.max_latency + 15)
    duration = run.now()

    problems = run.problems + run.verify()
    results = [result for result in run.results if result[1] != "verify"]
    window = None
    if args.fault_cmd:
        if run.fault_window is None:
            problems.append("the fault never ran")
        else:
            window = (run.fault_window[0], run.fault_window[1] + args.grace)
            code, output = run.fault_output
            if code != 0:
                problems.append(f"fault command failed ({code}): {output.strip()}")

    def failed(status) -> bool:
        return isinstance(status, str) or status >= 500

    def in_window(at, seconds) -> bool:
        # A request overlapping the window at all counts as in it.
        return window is not None and at <= window[1] and at + seconds >= window[0]

    outside = [r for r in results if failed(r[2]) and not in_window(r[0], r[3])]
    inside = [r for r in results if in_window(r[0], r[3])]
    slow = [r for r in results if r[3] > args.max_latency]
    if outside:
        problems.append(f"{len(outside)} failures outside the outage, e.g. {outside[:3]}")
    if slow:
        problems.append(f"{len(slow)} requests slower than {args.max_latency} s, e.g. {slow[:3]}")
    if window is not None and not any(r[0] > window[1] and not failed(r[2]) for r in results):
        problems.append("nothing succeeded after the outage")

    by_kind = {}
    for _, kind, status, _ in results:
        by_kind.setdefault(kind, Counter())[str(status)] += 1
    latencies = sorted(r[3] for r in results)

    def percentile(p):
        return (
            round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)
            if latencies
            else None
        )

    summary = {
        "seconds": round(duration, 1),
        "clients": len(world["clients"]),
        "requests": len(results),
        "per_second": round(len(results) / duration, 1),
        "by_kind": {kind: dict(counter) for kind, counter in sorted(by_kind.items())},
        "latency_ms": {
            "p50": percentile(0.5),
            "p95": percentile(0.95),
            "p99": percentile(0.99),
            "max": round(latencies[-1] * 1000, 1) if latencies else None,
        },
        "acknowledged_writes": sum(len(acked) for acked in run.ledger.values()),
        "unacknowledged_writes": dict(run.ambiguous),
        "failures_outside_outage": len(outside),
    }
    if window is not None:
        statuses = Counter(str(r[2]) for r in inside)
        summary["outage"] = {
            "restart_seconds": [round(run.fault_window[0], 2), round(run.fault_window[1], 2)],
            "counted_until": round(window[1], 2),
            "requests_in_window": len(inside),
            "statuses_in_window": dict(statuses),
            "max_latency_in_window_ms": round(max((r[3] for r in inside), default=0) * 1000, 1),
            "first_success_after_restart_s": next(
                (
                    round(r[0] - run.fault_window[1], 2)
                    for r in sorted(results)
                    if r[0] >= run.fault_window[1] and not failed(r[2])
                ),
                None,
            ),
        }
    summary["problems"] = problems
    print(json.dumps(summary, indent=2))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
