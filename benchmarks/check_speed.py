"""Speed of a whole check: parse + resolve + every rule + every red line, at 1k, 10k, 100k clauses.

    python benchmarks/check_speed.py [--sizes 1000,10000,100000]

Each size is one file from benchmarks/generate.py (world, plans with options,
positions with red lines and ideals), checked with plandsl.check.check exactly as
`plandsl check FILE` does, best of a few runs. The positions hold a fixed 60
clauses (a dozen parties' red lines and ideals) while plans grow: every red line
is judged against every plan, so red lines that grew with the plans would make
the work grow as their product. Prints clauses per second for the whole check
and for its stages, and whether growth is linear.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from generate import generate_plan  # noqa: E402
from plandsl.check import check  # noqa: E402
from plandsl.checker import check_plans  # noqa: E402
from plandsl.loader import load  # noqa: E402
from plandsl.model import build_model  # noqa: E402
from plandsl.quantities import INFINITY  # noqa: E402,F401 - imported so that its cost is not timed
from plandsl.redlines import evaluate  # noqa: E402
from plandsl.diagnostics import Severity  # noqa: E402
from plandsl.parser import gc_paused  # noqa: E402

REPEATS = {1_000: 5, 10_000: 3, 100_000: 1}
POSITION_CLAUSES = 60


def best(function, repeats: int) -> float:
    """Best wall time of ``repeats`` runs, with the cyclic GC paused as check() pauses it."""
    times = []
    for _ in range(repeats):
        with gc_paused():
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"python {sys.version.split()[0]}")
    print(f"{'N clauses':>10} {'check s':>9} {'clauses/s':>10} {'parse s':>8} {'model s':>8} {'rules s':>8}"
          f" {'redlines s':>10} {'diagnostics':>11}")
    rates = {}
    with tempfile.TemporaryDirectory() as directory:
        for size in sizes:
            path = Path(directory) / f"plan-{size}.plan"
            path.write_text(generate_plan(size, position_clauses=POSITION_CLAUSES), encoding="utf-8")
            repeats = REPEATS.get(size, 1)
            check([str(path)])  # warm: the parser is built once per process
            total = best(lambda: check([str(path)]), repeats)
            program = load([str(path)])
            parse_time = best(lambda: load([str(path)]), repeats)
            trees = [r.tree for r in program.files.values() if r.tree]
            model_time = best(lambda: build_model(trees), repeats)
            model = build_model(trees)
            rules_time = best(lambda: check_plans(model), repeats)
            redline_time = best(lambda: evaluate(model, Severity.WARNING), repeats)
            found = len(check([str(path)]).diagnostics)
            rates[size] = size / total
            print(f"{size:>10,} {total:>9.3f} {size / total:>10,.0f} {parse_time:>8.3f} {model_time:>8.3f}"
                  f" {rules_time:>8.3f} {redline_time:>10.3f} {found:>11,}")
    if len(rates) > 1:
        smallest, largest = min(rates), max(rates)
        ratio = rates[largest] / rates[smallest]
        verdict = "linear" if ratio > 0.8 else "NOT linear"
        print(f"linearity: clauses/s at {largest:,} is {ratio:.2f}x that at {smallest:,} ({verdict})")


if __name__ == "__main__":
    main()
