"""How plandsl meets the inputs at its limits: what it reports, and how long it takes.

    python benchmarks/limits.py [--only growth|limits] [--command "python -m plandsl"]

Each case is built in memory, written to a temporary directory, then checked once
through the installed command (``plandsl check FILE``) as a user would run it,
timing the whole process with time.perf_counter. The table shows the exit code,
the wall time, the codes reported and whether stderr held a traceback (it never
may). Nothing here is asserted on time: the figures are for reading.

The second table is of shapes that grow: each is built at n and at 2n (or 4n),
and the ratio of the two times shows how the work grows (about 2 for a doubling
when it is linear; 4 when quadratic). A case of several files is checked as a
directory (``plandsl check DIR``).
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import ukraine_plan  # noqa: E402

CLAUSE = "a shall cease fire; "
WORLD = 'state a "A";\nforce f "F" { of a; strength 1,000 personnel; }\n'


def cases() -> dict[str, bytes | str | dict[str, str]]:
    """name -> file contents (a dict of file name -> text for several files)."""
    return {
        "deep nesting (10,000 parentheses)": WORLD + "plan p { point 1 { a shall cease fire if "
        + "(" * 10_000 + '"x"' + ")" * 10_000 + "; } }\n",
        "10,000 nested braces": "{" * 10_000,
        "number of 5,000 digits": WORLD + "plan p { point 1 { f shall not exceed " + "9" * 5_000 + " personnel; } }\n",
        "fraction of 5,000-digit numbers": WORLD + "plan p { point 1 { f shall not exceed "
        + "9" * 5_000 + "/" + "7" * 5_000 + " of strength; } }\n",
        "point number of 5,000 digits": WORLD + "plan p { point " + "9" * 5_000 + " { a shall cease fire; } }\n",
        "one line of 4 MB (200k clauses)": WORLD + "plan p { point 1 { " + CLAUSE * 200_000 + "} }\n",
        "an error in the middle of a 4 MB line": WORLD + "plan p { point 1 { " + CLAUSE * 100_000
        + "a shall ceese fire; " + CLAUSE * 100_000 + "} }\n",
        "a 5 MB string": 'state a "' + "x" * 5_000_000 + '";\nplan p { point 1 { a shall cease fire; } }\n',
        "a 50 MB file": (WORLD + "plan p { point 1 { a shall cease fire; } }\n") * 500_000,
        "10,000-long 'and' chain": WORLD + "plan p { point 1 { a shall cease fire if "
        + " and ".join(['"x"'] * 10_000) + "; } }\n",
        "use cycle": {"case.plan": 'use "other.plan";\n', "other.plan": 'use "case.plan";\n'},
        "a file using itself": {"case.plan": 'use "case.plan";\nstate a "A";\n'},
        "binary garbage": bytes(range(256)) * 1_000,
        "a misspelt keyword of 100 KB": WORLD + "plan p { point 1 { a shall " + "x" * 100_000 + " fire; } }\n",
        "one 336 KB line with 32,000 diagnostics": "plan p { point 1 { " + "x shall join yyyyyy; " * 16_000 + "} }\n",
        "points 2 to 10^18 - 1 unknown": WORLD + "plan p {\n  point 1 { a shall cease fire upon point 5; }\n"
        "  points 2 to 999999999999999999 unknown;\n  points 999999999999999990 to 999999999999999999 unknown;\n}\n",
    }


# ---------------------------------------------------------------------------- shapes that grow

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _word(i: int, length: int = 9) -> str:
    """A distinct name of letters for each i (no digits: misspellings stay plausible)."""
    letters = []
    for _ in range(length):
        i, r = divmod(i * 7 + 3, 26)
        letters.append(_LETTERS[r])
    return "".join(letters)


def _names(n: int) -> list[str]:
    return [_word(i * 2_654_435_761 % 1_000_003 + i) for i in range(n)]


def misspellings(n: int) -> str:
    """n regions declared, and n references to them, each with two letters swapped."""
    names = _names(n)
    lines = [WORLD] + [f'region {name} "R";' for name in names] + ["plan p {"]
    for i, name in enumerate(names):
        wrong = name[:3] + name[4] + name[3] + name[5:]
        lines.append(f"  point {i + 1} {{ a shall withdraw from {wrong}; }}")
    return "\n".join(lines + ["}"]) + "\n"


def points(n: int) -> str:
    return WORLD + "plan p {\n" + "".join(f"  point {i} {{ a shall cease fire; }}\n" for i in range(1, n + 1)) + "}\n"


def points_backwards(n: int) -> str:
    """n points numbered down: each is out of order (a C422 each)."""
    return WORLD + "plan p {\n" + "".join(f"  point {i} {{ a shall cease fire; }}\n" for i in range(n, 0, -1)) + "}\n"


def point_runs(n: int) -> str:
    """n overlapping runs of unknown points, and n references into them."""
    runs = "".join(f"  points {i * 1_000} to {i * 1_000 + 1_500} unknown;\n" for i in range(1, n + 1))
    refs = "".join(f"  point {n * 1_000 + 2_000 + i} {{ a shall cease fire upon point {i * 1_000 + 700}; }}\n"
                   for i in range(1, n + 1))
    return WORLD + "plan p {\n" + runs + refs + "}\n"


def redlines_ukraine(n: int) -> dict[str, str]:
    """examples/ukraine-2025 (world, positions) and one plan of n clauses, a quarter of them bracketed."""
    example = HERE.parent / "examples" / "ukraine-2025"
    files = {name: (example / name).read_text() for name in ("world.plan", "russia.plan", "ukraine.plan")}
    files["case.plan"] = ukraine_plan(n)
    return files


def part_of_chain(n: int) -> str:
    """n regions, each part of the next, and a plan withdrawing from each."""
    lines = [WORLD, 'region r0 "R";'] + [f'region r{i} "R" {{ part of r{i - 1}; }}' for i in range(1, n)]
    lines += ["plan p {"] + [f"  point {i + 1} {{ a shall withdraw from r{i}; }}" for i in range(n)] + ["}"]
    return "\n".join(lines) + "\n"


def cessions(n: int) -> str:
    """n cessions of one region, to alternating parties."""
    lines = [WORLD, 'state b "B";', 'region r "R" { held by a; }', "plan p {"]
    lines += [f"  point {i + 1} {{ a shall cede r to {'ab'[i % 2]}; }}" for i in range(n)]
    return "\n".join(lines + ["}"]) + "\n"


def caps(n: int) -> str:
    """n caps on one force, each a different figure."""
    lines = [WORLD, "plan p {"] + [f"  point {i + 1} {{ f shall not exceed {100 + i} personnel by 2030-01-01; }}"
                                   for i in range(n)]
    return "\n".join(lines + ["}"]) + "\n"


def allocations(n: int) -> str:
    """n allocations of one pool."""
    lines = [WORLD, 'pool money "M" { amount 1,000 billion USD; }', "plan p {"]
    lines += [f"  point {i + 1} {{ allocate {1 + i % 5} billion USD of money to a; }}" for i in range(n)]
    return "\n".join(lines + ["}"]) + "\n"


def labels(n: int) -> str:
    """n labelled clauses, each waiting on the one before, and n misspelt labels."""
    lines = [WORLD, "plan p {", "  point 1 { step0: a shall cease fire; }"]
    lines += [f"  point {i + 1} {{ step{i}: a shall cease fire upon step{i - 1}; }}" for i in range(1, n)]
    lines += [f"  point {n + i + 1} {{ a shall cease fire upon stpe{i}; }}" for i in range(n)]
    return "\n".join(lines + ["}"]) + "\n"


def and_chain(n: int) -> str:
    return WORLD + "plan p { point 1 { a shall cease fire if " + " and ".join(['"x"'] * n) + "; } }\n"


def redlines_by_plans(n: int) -> str:
    """n red lines and n plans: n x n verdicts, so 4x for each doubling is the least it can be."""
    lines = [WORLD, 'region r "R" { held by a; }', 'state b "B";', "positions a {"]
    lines += [f"  redline keep{i} \"Keep\" {{ forbid a shall cede r to any; require b shall cease fire; }}" for i in range(n)]
    lines.append("}")
    lines += [f"plan p{i} {{ point 1 {{ a shall cede r to b; }} point 2 {{ b shall cease fire; }} }}" for i in range(n)]
    return "\n".join(lines) + "\n"


def files_using_one(n: int) -> dict[str, str]:
    """n files, each using one world file."""
    files = {"world.plan": WORLD}
    files.update({f"case{i}.plan": f'use "world.plan";\nplan p{i} {{ point 1 {{ a shall cease fire; }} }}\n'
                  for i in range(n)})
    return files


def citations(n: int) -> str:
    """n sources, each cited by one clause."""
    lines = [WORLD] + [f'source s{i} "S" {{ kind report; }}' for i in range(n)] + ["plan p {"]
    lines += [f'  point {i + 1} {{ a shall cease fire cite s{i} "said"; }}' for i in range(n)]
    return "\n".join(lines + ["}"]) + "\n"


def suppressions(n: int) -> str:
    """n lines each with a suppression, half of them stale (X601)."""
    lines = [WORLD, "plan p {"]
    lines += [f"  point {i + 1} {{ a shall cease fire upon point {i + 2}; }}  # plandsl: ignore[{'N306' if i % 2 else 'C405'}]"
              for i in range(n)]
    return "\n".join(lines + ["}"]) + "\n"


def diagnostics(n: int) -> str:
    """n undeclared names, all distinct: n errors, each shown with its line."""
    lines = [WORLD, "plan p {"] + [f"  point {i + 1} {{ a shall withdraw from nowhere{i}; }}" for i in range(n)]
    return "\n".join(lines + ["}"]) + "\n"


def members(n: int) -> str:
    """n blocs, each a member of the next, and a red line on the outermost."""
    lines = [WORLD, 'bloc g0 "G" { members a; }'] + [f'bloc g{i} "G" {{ members g{i - 1}; }}' for i in range(1, n)]
    lines += [f"positions a {{ redline r \"R\" {{ forbid g{n - 1} shall cease fire; }} }}", "plan p {"]
    lines += [f"  point {i + 1} {{ g{i} shall cease fire; }}" for i in range(n)]
    return "\n".join(lines + ["}"]) + "\n"


def clean_plan(n: int) -> dict[str, str]:
    """examples/ukraine-2025 (world, positions) and one plan of n clauses that render accepts."""
    files = redlines_ukraine(n)
    files["case.plan"] = ukraine_plan(n, clean=True)
    return files


def documents() -> list[tuple[str, object, list[int], object]]:
    """(shape, builder, sizes, command line for a directory): render and compare on big plans."""
    return [
        ("render --to html, one plan of n clauses", clean_plan, [2_000, 4_000],
         lambda d: ["render", str(d / "case.plan"), "--to", "html", "-o", str(d / "out.html")]),
        ("compare --to md, one plan of n clauses", clean_plan, [2_000, 4_000],
         lambda d: ["compare", str(d), "--to", "md", "-o", str(d / "out.md")]),
        ("compare --to md, n plans", redlines_by_plans_clean, [50, 100],
         lambda d: ["compare", str(d / "case.plan"), "--to", "md", "-o", str(d / "out.md")]),
    ]


def redlines_by_plans_clean(n: int) -> str:
    """n plans, each revising the one before, and n red lines: documents with n columns."""
    lines = [WORLD, 'region r "R" { held by a; }', 'state b "B";', 'positions a "A" {']
    lines += [f'  redline keep{i} "Keep" {{ forbid a shall cede r to any; }}' for i in range(n)]
    lines.append("}")
    lines += [f'plan p{i} "P{i}" {{ {f"revises p{i - 1}; " if i else ""}point 1 {{ a shall cede r to b; }} '
              f"point 2 {{ b shall cease fire; }} }}" for i in range(n)]
    return "\n".join(lines) + "\n"


def growing() -> list[tuple[str, object, list[int]]]:
    """(shape, builder, sizes): each built at every size."""
    return [
        ("did-you-mean: n names x n misspellings", misspellings, [2_000, 4_000]),
        ("n points", points, [10_000, 40_000]),
        ("n points numbered backwards", points_backwards, [10_000, 20_000]),
        ("n overlapping runs of unknown points", point_runs, [5_000, 10_000]),
        ("red lines on one plan of n clauses", redlines_ukraine, [1_000, 2_000, 4_000, 8_000]),
        ("n regions in one 'part of' chain", part_of_chain, [1_000, 2_000]),
        ("n cessions of one region", cessions, [2_000, 4_000]),
        ("n caps on one force", caps, [2_000, 4_000]),
        ("n allocations of one pool", allocations, [2_000, 4_000]),
        ("n labels, n 'upon', n misspelt labels", labels, [2_000, 4_000]),
        ("'and' chain of n conditions", and_chain, [10_000, 20_000]),
        ("n red lines x n plans", redlines_by_plans, [100, 200]),
        ("n files using one file", files_using_one, [200, 400]),
        ("n sources, n citations", citations, [2_000, 4_000]),
        ("n suppressions", suppressions, [2_000, 4_000]),
        ("n diagnostics", diagnostics, [5_000, 10_000]),
        ("n blocs, each a member of the next", members, [500, 1_000]),
    ]


def run(name: str, contents, directory: Path, command: list[str],
        timeout: float | None = None, action=None) -> tuple[int, float, str, bool, int]:
    files = contents if isinstance(contents, dict) else {"case.plan": contents}
    for file_name, text in files.items():
        path = directory / file_name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    size = sum((directory / f).stat().st_size for f in files)
    target = directory if isinstance(contents, dict) else directory / "case.plan"
    start = time.perf_counter()
    try:
        arguments = action(directory) if action else ["check", str(target)]
        process = subprocess.run([*command, *arguments], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, time.perf_counter() - start, "(stopped at the timeout)", False, size
    elapsed = time.perf_counter() - start
    codes = sorted(set(re.findall(r"\[([SFNCRX]\d{3})\]", process.stdout)))
    return process.returncode, elapsed, ", ".join(codes) or "-", "Traceback" in process.stderr, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["limits", "growth"], help="print one table only")
    parser.add_argument("--command", help="how to run plandsl (default: the installed script)")
    parser.add_argument("--shape", help="only the growing shapes whose name holds this text")
    parser.add_argument("--timeout", type=float, help="stop a case after this many seconds")
    arguments = parser.parse_args()
    script = shutil.which("plandsl")
    command = shlex.split(arguments.command) if arguments.command else [script] if script else [
        sys.executable, "-m", "plandsl"]
    if arguments.only != "growth" and not arguments.shape:
        print(f"{'case':<40} {'size':>10} {'exit':>4} {'seconds':>8}  traceback  codes")
        for name, contents in cases().items():
            with tempfile.TemporaryDirectory() as directory:
                code, elapsed, codes, traceback, size = run(name, contents, Path(directory), command, arguments.timeout)
            print(f"{name:<40} {size:>10,} {code:>4} {elapsed:>8.2f}  {'YES' if traceback else 'no':<9}  {codes}",
                  flush=True)
    if arguments.only != "limits":
        print(f"\n{'shape':<40} {'n':>7} {'size':>10} {'exit':>4} {'seconds':>8} {'ratio':>6}  traceback  codes")
        for name, build, sizes, *action in [*growing(), *documents()]:
            if arguments.shape and arguments.shape not in name:
                continue
            previous = None
            for n in sizes:
                with tempfile.TemporaryDirectory() as directory:
                    code, elapsed, codes, traceback, size = run(name, build(n), Path(directory), command,
                                                                arguments.timeout, *action)
                ratio = f"{elapsed / previous:.1f}x" if previous else ""
                previous = elapsed
                print(f"{name:<40} {n:>7,} {size:>10,} {code:>4} {elapsed:>8.2f} {ratio:>6}  "
                      f"{'YES' if traceback else 'no':<9}  {codes}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
