"""Lighthouse mobile on every supplier page.

The pages and their data are those of `first_load.py` (BENCH_LIGHTHOUSE_PAGES, a comma-separated
list of page names, measures only those), served by gunicorn as README's
production command does. Lighthouse runs with its default mobile preset (a 360 x 640
phone at 4x CPU slowdown, simulated throttling: 150 ms round trips, 1.6 Mbit/s) in
Debian's Chromium (CHROME_PATH=/usr/bin/chromium, --headless=new --no-sandbox); the
signed-in pages get the session cookie through --extra-headers. Every page is opened a few
times first, so that the workers are warm, then measured RUNS times; the median run counts.
Goal: performance 100 and LCP <= 1.0 s on each page; exits 1 when a page misses it.

Lighthouse is pinned and installed from the npm registry into benchmarks/.lighthouse
(ignored by git) the first time:
    npm install --no-save --prefix benchmarks/.lighthouse lighthouse@12.8.2
(Lighthouse 13 needs Node 22; Debian 12 has Node 20.)
Run: .venv/bin/python benchmarks/lighthouse.py   (BENCH_LIGHTHOUSE_RUNS, default 3;
BENCH_LIGHTHOUSE_REPORTS=<folder> keeps every run's JSON report there)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.first_load import CHROMIUM, EXPECTED_STATUS, seed  # noqa: E402
from benchmarks.section_page import free_port, serve  # noqa: E402

LIGHTHOUSE_VERSION = "12.8.2"
PREFIX = ROOT / "benchmarks" / ".lighthouse"
LIGHTHOUSE = PREFIX / "node_modules" / ".bin" / "lighthouse"
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
KEEP = (
    Path(os.environ["BENCH_LIGHTHOUSE_REPORTS"])
    if os.environ.get("BENCH_LIGHTHOUSE_REPORTS")
    else None
)
GOAL_LCP_MS = 1000
ONLY = {n.strip() for n in os.environ.get("BENCH_LIGHTHOUSE_PAGES", "").split(",") if n.strip()}


def install() -> None:
    if LIGHTHOUSE.exists():
        return
    PREFIX.mkdir(exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(PREFIX)]
        + [f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
    )


def warm(url: str, cookie: str | None, times: int = 6) -> None:
    for _ in range(times):
        headers = {"Cookie": cookie} if cookie else {}
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own loopback
        with urllib.request.urlopen(request) as response:  # noqa: S310
            response.read()


def lighthouse(url: str, cookie: str | None, tmp: Path) -> dict:
    """One Lighthouse run; the scores (0-100) and timings (ms) that matter here."""
    report = tmp / "report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--only-categories=performance,accessibility,best-practices",
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    if cookie:
        headers = tmp / "headers.json"
        headers.write_text(json.dumps({"Cookie": cookie}))
        command.append(f"--extra-headers={headers}")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    result = json.loads(report.read_text())
    if KEEP:  # every report, for a look at its details (LCP element, requests, traces)
        KEEP.mkdir(parents=True, exist_ok=True)
        name = url.split("//", 1)[1].split("/", 1)[1].replace("/", "_") or "root"
        (KEEP / f"{name}.{len(list(KEEP.glob(name + '.*')))}.json").write_text(report.read_text())
    if result.get("runtimeError"):
        raise RuntimeError(f"{url}: {result['runtimeError']}")
    audits = result["audits"]
    scores = {name: round(c["score"] * 100) for name, c in result["categories"].items()}
    return {
        "performance": scores["performance"],
        "accessibility": scores["accessibility"],
        "best-practices": scores["best-practices"],
        "FCP": audits["first-contentful-paint"]["numericValue"],
        "LCP": audits["largest-contentful-paint"]["numericValue"],
        "TBT": audits["total-blocking-time"]["numericValue"],
        "CLS": audits["cumulative-layout-shift"]["numericValue"],
        "LCP phases": _lcp_phases(audits),
        "TTFB": audits["server-response-time"]["numericValue"],
    }


def _lcp_phases(audits: dict) -> dict[str, float]:
    """Lighthouse's split of the LCP: TTFB, load delay, load time, render delay (ms)."""
    for item in (
        audits.get("largest-contentful-paint-element", {}).get("details", {}).get("items", [])
    ):
        if item.get("type") == "table" and item.get("items", [{}])[0].get("phase"):
            return {row["phase"]: row["timing"] for row in item["items"]}
    return {}


def main() -> None:
    install()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.db"),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": "false",
        }
        session, _token, pages = seed(env)
        cookie = f"session={session}"
        port = free_port()
        server = serve("wsgi:app", port, env)
        results = {}
        try:
            for name, path in pages:
                if (ONLY and name not in ONLY) or name in EXPECTED_STATUS:
                    continue  # Lighthouse measures no page that answers an error status
                url = f"http://127.0.0.1:{port}{path}"
                signed_out = path.startswith(("/link/", "/sign-in"))
                page_cookie = None if signed_out else cookie
                warm(url, page_cookie)
                runs = [lighthouse(url, page_cookie, Path(tmp)) for _ in range(RUNS)]
                results[name] = sorted(runs, key=lambda run: run["LCP"])[len(runs) // 2]
                results[name]["LCP range"] = (
                    min(r["LCP"] for r in runs),
                    max(r["LCP"] for r in runs),
                )
                results[name]["performance range"] = sorted({r["performance"] for r in runs})
        finally:
            server.terminate()
            server.wait()
    missed = []
    print(f"Lighthouse {LIGHTHOUSE_VERSION}, mobile, simulated throttling; median of {RUNS}")
    print(
        f"{'page':<18} {'perf':>7} {'a11y':>4} {'b-p':>4} {'FCP':>5} {'LCP':>5} "
        f"{'LCP range':>11} {'TBT':>4} {'CLS':>5} {'TTFB':>4}  LCP phases (median run)"
    )
    for name, r in results.items():
        low, high = r["LCP range"]
        perf = "-".join(
            str(p) for p in r["performance range"][:: len(r["performance range"]) - 1 or 1]
        )
        phases = ", ".join(f"{k} {v:.0f}" for k, v in r["LCP phases"].items())
        print(
            f"{name:<18} {perf:>7} {r['accessibility']:>4} "
            f"{r['best-practices']:>4} {r['FCP']:>5.0f} {r['LCP']:>5.0f} "
            f"{low:>5.0f}-{high:<5.0f} {r['TBT']:>4.0f} {r['CLS']:>5.3f} {r['TTFB']:>4.0f}"
            f"  {phases}"
        )
        if min(r["performance range"]) < 100 or r["LCP"] > GOAL_LCP_MS:
            missed.append(name)
    print(f"median LCP over pages: {statistics.median(r['LCP'] for r in results.values()):.0f} ms")
    if missed:
        print(f"goal (performance 100, LCP <= {GOAL_LCP_MS} ms) missed on: {', '.join(missed)}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
