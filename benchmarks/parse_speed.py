"""Parse speed of plandsl against a bare-regex floor, at 1k, 10k and 100k clauses.

    python benchmarks/parse_speed.py [--sizes 1000,10000,100000]

For each size: generate a file with benchmarks/generate.py (seed 0), write it to a
temporary directory, read it back, then time, best of a few runs with
time.perf_counter:

  parse  plandsl.parser.parse(text, path), text -> AST. Warm: the Lark parser is
         built (or loaded from its cache) before any timing. The GC stays on, as
         in real use; it is collected between runs.
  floor  one compiled re alternation of the language's token kinds (comments and
         whitespace skipped in front of each token; strings, dates, fractions,
         numbers, names, punctuation), iterated with finditer, counting tokens.
         Nothing a real lexer needs less than this: the cost of touching the text.
  no-GC  the same parse with the cyclic GC disabled (reported below the table), to
         show how much of the time, and of any loss of linearity, is the collector's.

Every generated file must parse with zero diagnostics (checked after timing).
Then the start-up time of ``python -m plandsl parse <small file>`` (best of 5),
when plandsl/__main__.py exists.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from generate import generate_plan  # noqa: E402
from plandsl import parser as plan_parser  # noqa: E402

# How many timed runs per size (best is kept), and a time budget per size and measure:
# a run is not started if the runs so far plus one more would go past it.
REPEATS = {1_000: 7, 10_000: 5, 100_000: 3}
GC_OFF_REPEATS = {1_000: 5, 10_000: 3, 100_000: 2}
BUDGET_SECONDS = 70.0

# ---------------------------------------------------------------------------- the floor

_SKIP = r"(?:[ \t\f\r\n]+|#[^\n]*)*"
_TOKEN_KINDS = [
    ("STRING", r'"(?:[^"\\\n\r]|\\[^\n\r])*"'),
    ("DATE", r"\d{4}-\d{2}(?:-\d{2})?(?![\d-])"),
    ("FRACTION_WORD", r"(?:one|two|three|four|five|six|seven|eight|nine)-"
                      r"(?:half|halves|third|thirds|quarter|quarters|fifth|fifths|sixth|sixths|seventh|"
                      r"sevenths|eighth|eighths|ninth|ninths|tenth|tenths)(?![\w-])"),
    ("FRACTION", r"\d+/\d+"),
    ("NUMBER", r"\d+(?:[,_]\d{3})+(?:\.\d+)?|\d+\.\d+"),
    ("INT", r"\d+"),
    ("NAME", r"[^\W\d]\w*"),
    ("PUNCT", r"[;:,{}()%]"),
]
FLOOR = re.compile(_SKIP + "(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _TOKEN_KINDS) + ")")
_TRAILING = re.compile(_SKIP + r"\Z")


def floor_tokens(text: str) -> int:
    """The floor: count the tokens of ``text`` with one regex and finditer."""
    count = 0
    for _ in FLOOR.finditer(text):
        count += 1
    return count


def check_floor_covers(text: str) -> None:
    """Untimed sanity check: the floor's matches tile the whole text, nothing skipped."""
    at = 0
    for m in FLOOR.finditer(text):
        if m.start() != at:
            raise AssertionError(f"floor regex skipped {text[at:m.start()]!r} at offset {at}")
        at = m.end()
    if not _TRAILING.match(text, at):
        raise AssertionError(f"floor regex left {text[at:at + 40]!r} at offset {at}")


# ---------------------------------------------------------------------------- timing


def best_of(fn, repeats: int, budget: float = BUDGET_SECONDS, gc_off: bool = False):
    """(best seconds, runs, last result) of calling fn, within the time budget."""
    best = float("inf")
    spent = 0.0
    runs = 0
    result = None
    while runs < repeats:
        if runs and spent + best > budget:
            break
        result = None
        gc.collect()
        if gc_off:
            gc.disable()
        try:
            t0 = time.perf_counter()
            result = fn()
            dt = time.perf_counter() - t0
        finally:
            gc.enable()
        best = min(best, dt)
        spent += dt
        runs += 1
    return best, runs, result


def check_clean(result) -> None:
    if result.diagnostics or result.tree is None:
        shown = "\n".join(f"  {d}" for d in result.diagnostics[:10])
        raise SystemExit(f"{result.path}: the generated file does not parse cleanly "
                         f"({len(result.diagnostics)} diagnostics)\n{shown}")


def startup(small_file: Path) -> None:
    main = ROOT / "plandsl" / "__main__.py"
    if not main.is_file():
        print(f"start-up: skipped: {main.relative_to(ROOT)} does not exist, "
              f"so there is no `python -m plandsl parse` to time.")
        return
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    cmd = [sys.executable, "-m", "plandsl", "parse", str(small_file)]
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
    note = "" if proc.returncode == 0 else f" (exit status {proc.returncode}: {proc.stderr.strip()[:200]})"
    print(f"start-up: `python -m plandsl parse {small_file.name}` best of 5: {min(times) * 1000:.0f} ms"
          f" (median {sorted(times)[2] * 1000:.0f} ms){note}")


# ---------------------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000",
                    help="comma-separated clause counts (default: 1000,10000,100000)")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    start = time.perf_counter()
    print(f"python {sys.version.split()[0]}, lark {__import__('lark').__version__}, {os.cpu_count()} CPUs")

    # Warm-up: build (or load from cache) the Lark parser, and run one small parse.
    t0 = time.perf_counter()
    build_parser = getattr(plan_parser, "_lark", None)  # private; a first parse builds it anyway
    if build_parser is not None:
        build_parser()
    check_clean(plan_parser.parse(generate_plan(20), "warmup.plan"))
    build = time.perf_counter() - t0
    print(f"parser object built and warmed in {build * 1000:.0f} ms (before timing; not counted)")
    print()

    rows = []
    with tempfile.TemporaryDirectory(prefix="plandsl-bench-") as tmp:
        small = Path(tmp) / "small.plan"
        small.write_text(generate_plan(20), encoding="utf-8")
        for n in sizes:
            t0 = time.perf_counter()
            path = Path(tmp) / f"gen_{n}.plan"
            path.write_text(generate_plan(n, seed=0), encoding="utf-8")
            gen = time.perf_counter() - t0
            text = path.read_text(encoding="utf-8")
            size = len(text.encode("utf-8"))

            check_floor_covers(text)
            repeats = REPEATS.get(n, 3)
            floor_s, _, tokens = best_of(lambda: floor_tokens(text), max(repeats, 5))
            parse_s, runs, result = best_of(lambda: plan_parser.parse(text, str(path)), repeats)
            check_clean(result)
            result = None
            # The same parse with the cyclic GC off: how much of the time is the collector's.
            nogc_s, _, result = best_of(lambda: plan_parser.parse(text, str(path)), GC_OFF_REPEATS.get(n, 2),
                                        gc_off=True)
            result = None
            gc.collect()
            rows.append((n, size, tokens, parse_s, n / parse_s, floor_s, parse_s / floor_s, runs, gen, nogc_s))
            print(f"  {n:>7,} clauses: generated in {gen:.2f} s, parsed clean; best of {runs} parse runs",
                  flush=True)

        print()
        header = ("N clauses", "bytes", "tokens", "parse s", "clauses/s", "floor s", "parse/floor")
        print(f"{header[0]:>10} {header[1]:>12} {header[2]:>11} {header[3]:>9} {header[4]:>11} "
              f"{header[5]:>9} {header[6]:>11}")
        for n, size, tokens, parse_s, rate, floor_s, ratio, runs, gen, nogc_s in rows:
            print(f"{n:>10,} {size:>12,} {tokens:>11,} {parse_s:>9.3f} {rate:>11,.0f} {floor_s:>9.4f} "
                  f"{ratio:>10.0f}x")
        print()
        for n, size, tokens, parse_s, *_, nogc_s in rows:
            print(f"  {n:>7,} clauses: {tokens / parse_s:,.0f} tokens/s parsed, "
                  f"{size / parse_s / 2**20:.2f} MiB/s, {parse_s / tokens * 1e6:.2f} us/token; "
                  f"GC off: {nogc_s:.3f} s, {n / nogc_s:,.0f} clauses/s (GC = {1 - nogc_s / parse_s:.0%} of parse time)")

        if len(rows) >= 2:
            first, last = rows[0], rows[-1]
            growth = last[4] / first[4]
            growth_nogc = (last[0] / last[-1]) / (first[0] / first[-1])
            if growth >= 0.8:
                verdict = "linear: throughput holds"
            else:
                verdict = f"NOT linear: throughput falls {1 - growth:.0%} as the file grows {last[0] // first[0]}x"
                if growth_nogc >= 0.8:
                    verdict += "; with the GC off it is linear, so the loss is the cyclic GC's"
            print(f"\nlinearity: clauses/s at {last[0]:,} is {growth:.2f}x that at {first[0]:,}\n  ({verdict});\n  "
                  f"tokens/s ratio {(last[2] / last[3]) / (first[2] / first[3]):.2f}x; "
                  f"with GC off {growth_nogc:.2f}x")
        print()
        startup(small)
    print(f"\ntotal benchmark time {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
