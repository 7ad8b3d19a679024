"""Benchmark the DOCX builder on a whole process; run:  .venv/bin/python tests/benchmarks/bench_docx.py

Scenarios: 4 forums × 6 groups with 60 cards and 15 measures per group, a tenth of the measures
merged across groups (the base), and the same with 10× the cards and measures per group. Each scenario runs in a fresh interpreter so that
memory figures do not mix:
- time: best of several builds, without tracing (tracemalloc slows Python down);
- tracemalloc peak: Python allocations during one build (lxml's C memory is not traced);
- ru_maxrss delta: growth of the process's peak resident memory over one build (includes lxml).
Targets: base under 1.5 s and 300 MB; 10× data at most 12× the time. Exits 1 on a miss.
"""

import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from forum.services.docx_export import build_docx  # noqa: E402
from tests.report_samples import sample_report  # noqa: E402

SCENARIOS = {"base": (60, 15, 3), "10x": (600, 150, 1)}  # per group: cards, measures; timed runs
FORUMS, GROUPS = 4, 6
TIME_LIMIT_S, MEMORY_LIMIT_MB, RATIO_LIMIT = 1.5, 300, 12


def measure(name: str) -> dict:
    """Build one scenario's document and return its figures."""
    cards, measures, runs = SCENARIOS[name]
    merges = FORUMS * GROUPS * measures // 10
    report = sample_report(
        forums=FORUMS, groups=GROUPS, cards=cards, measures=measures, merges=merges
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        data = build_docx(report)
        times.append(time.perf_counter() - start)
    rss_delta_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    tracemalloc.start()
    build_docx(report)
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {
        "scenario": name,
        "cards": FORUMS * GROUPS * cards,
        "measures": FORUMS * GROUPS * measures,
        "seconds": min(times),
        "tracemalloc_mb": peak_mb,
        "rss_delta_mb": rss_delta_mb,
        "docx_kb": len(data) / 1024,
    }


def run_child(name: str) -> dict:
    """Measure a scenario in a fresh interpreter."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", name], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output)


def main() -> int:
    """Run both scenarios, print a table and whether the targets hold."""
    rows = [run_child(name) for name in SCENARIOS]
    print(
        f"{'Szenario':<9}{'Karten':>8}{'Maßn.':>7}{'Zeit s':>9}{'tracemalloc MB':>16}"
        f"{'ΔRSS MB':>9}{'DOCX KB':>9}"
    )
    for row in rows:
        print(
            f"{row['scenario']:<9}{row['cards']:>8}{row['measures']:>7}{row['seconds']:>9.2f}"
            f"{row['tracemalloc_mb']:>16.1f}{row['rss_delta_mb']:>9.1f}{row['docx_kb']:>9.0f}"
        )
    base, big = rows
    ratio = big["seconds"] / base["seconds"]
    print(f"Zeitverhältnis 10x/base: {ratio:.1f}  (Ziel: höchstens {RATIO_LIMIT})")
    memory = max(base["tracemalloc_mb"], base["rss_delta_mb"])
    ok = base["seconds"] < TIME_LIMIT_S and memory < MEMORY_LIMIT_MB and ratio <= RATIO_LIMIT
    print("Ziele erreicht" if ok else "Ziele VERFEHLT")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(sys.argv[2])))
    else:
        sys.exit(main())
