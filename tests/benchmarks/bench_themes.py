"""Benchmark the suggested themes; run:  .venv/bin/python tests/benchmarks/bench_themes.py

Agreement: on the labelled set of tests/auswertung_samples.py (4 forums × 4 groups × 40 cards,
known paraphrase themes with typos, case and word-order changes, single cards, Ukrainian and
Arabic cards), the adjusted Rand index and pairwise precision/recall over the distinct texts,
for several cut distances and two seeds. Speed: 2,000 cards, in a fresh interpreter (first call,
scikit-learn's import included) and again in the same process. Exits 1 when the chosen distance
agrees less than ARI 0.85 or the warm suggestion takes 3 s or more.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from forum.services.auswertung.themes import DISTANCE, suggest_themes  # noqa: E402
from tests.auswertung_samples import as_input, labelled_cards  # noqa: E402

DISTANCES = [0.6, 0.7, 0.75, 0.8, 0.85, 0.9]
ARI_FLOOR, SECONDS_LIMIT = 0.85, 3.0


def timing() -> dict:
    """Suggest themes for 2,000 cards twice; return both times."""
    start = time.perf_counter()
    cards = as_input(labelled_cards(forums=5, groups=4, per_group=100, seed=2))
    first = time.perf_counter()
    suggest_themes(cards)
    second = time.perf_counter()
    suggest_themes(cards)
    return {
        "cards": len(cards),
        "cold": second - first,
        "warm": time.perf_counter() - second,
        "setup": first - start,
    }


def main() -> int:
    """Print agreement per distance and seed, then the timing; say whether targets hold."""
    from tests.unit.test_themes import agreement  # scikit-learn's metrics: not in the timing

    print(f"{'Abstand':>8}{'Seed':>6}{'Themen':>8}{'ARI':>7}{'Präz.':>7}{'Recall':>8}")
    chosen = []
    for distance in DISTANCES:
        for seed in (0, 1):
            cards = labelled_cards(seed=seed)
            themes = suggest_themes(as_input(cards), distance)
            ari, precision, recall = agreement(cards, themes)
            if distance == DISTANCE:
                chosen.append(ari)
            mark = " ←" if distance == DISTANCE else ""
            print(
                f"{distance:>8.2f}{seed:>6}{len(themes):>8}{ari:>7.3f}{precision:>7.3f}"
                f"{recall:>8.3f}{mark}"
            )
    output = subprocess.run(
        [sys.executable, __file__, "--timing"], check=True, capture_output=True, text=True
    ).stdout
    figures = json.loads(output)
    print(
        f"{figures['cards']} Karten: {figures['cold']:.2f} s beim ersten Aufruf "
        f"(mit dem Import von scikit-learn), {figures['warm']:.2f} s danach"
    )
    ok = min(chosen) >= ARI_FLOOR and figures["warm"] < SECONDS_LIMIT
    print("Ziele erreicht" if ok else "Ziele VERFEHLT")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--timing"]:
        print(json.dumps(timing()))
    else:
        sys.exit(main())
