"""A crash hunt: every command on generated, mutated and pathological inputs and layouts.

    python benchmarks/crash_hunt.py                       # 100,000 executions, 2 workers
    python benchmarks/crash_hunt.py --executions 5000 --seed 7

Each case is a small project written to a temporary directory (one or more
``.plan`` files, sometimes a ``plandsl.toml``, symlinks, FIFOs, odd file names).
Workers run every stage on it through the public API, as the CLI would:

- parse (``plandsl.load``), check (``plandsl.check.check``) and its four reports,
- fmt (``format_source``; the result must parse and be a fixed point),
- the plan document in md/html/json and the comparison in md/html,
- build and ``build --check`` from a project file,

and a share of the cases runs through the installed ``plandsl`` command in every
command too (a traceback on stderr, an "internal error" or an exit code other than
0, 1, 2 is a failure). Each stage is one execution. A worker runs with its address
space capped at 1 GiB and each execution under a 10 s alarm, so a hang or a
runaway allocation is caught and counted, not suffered.

Failures are any exception other than :class:`plandsl.errors.UserError` (the
documented way a command stops on bad input), a hang over 10 s, a MemoryError,
fmt output that does not parse or is not a fixed point. Each failing case is saved
under ``benchmarks/out/crash_hunt/`` with what went wrong; the script prints the
counts per stage and per input family and exits 1 when anything failed.
Nothing here is a test: CI runs the properties in tests/; this is the long campaign.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OUT = ROOT / "benchmarks" / "out" / "crash_hunt"
HANG_SECONDS = 10
MEMORY_BYTES = 1 << 30

_TOKEN = re.compile(r'\s+|"(?:[^"\\\n]|\\.)*"?|#[^\n]*|[A-Za-z_][A-Za-z0-9_-]*|\d[\d,.]*|.', re.S)

# Things a mutation may insert: the language's own words and symbols, and the
# characters that broke plandsl before (controls, separators, odd quotes, BOM).
_EXTRA = ["\x00", "\x1b]52;c;aGk=\x07", "\x1b[2J", "\u2028", "\u202e", "\ufeff", "\r", "\t", "\u201c", "\u201d",
          "\xff", "é", "\U0001F600", "{", "}", "(", ")", "[", "]", ";", ",", ":", '"', "'", "$", "%", "/",
          "0", "9" * 25, "1/0", "0/0", "2025-29-09", "2025-02-30", "0000-00-00", "-", "..", "any", "not",
          "points 1 to 999999999999999999 unknown;", "# plandsl: ignore[N303]", "use \".\";",
          "use \"/etc/passwd\";", "use \"../x.plan\";", "upon x", "within 1 day of x", "revises p;"]


# ============================================================================
# Inputs
# ============================================================================


def example_sources() -> dict[str, str]:
    """Every example file's text by its path under examples/."""
    return {str(p.relative_to(EXAMPLES)): p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.plan"))}


def mutate(text: str, rng: random.Random, pool: list[str]) -> str:
    """Token-level mutations: delete, duplicate, swap, insert, replace, truncate, flip."""
    tokens = _TOKEN.findall(text) or [""]
    for _ in range(rng.choice((1, 1, 1, 2, 3, 8))):
        i = rng.randrange(len(tokens))
        op = rng.randrange(8)
        if op == 0:
            del tokens[i:i + rng.choice((1, 1, 2, 5))]
        elif op == 1:
            tokens.insert(i, tokens[i])
        elif op == 2:
            j = rng.randrange(len(tokens))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif op == 3:
            tokens.insert(i, rng.choice(pool))
        elif op == 4:
            tokens[i] = rng.choice(pool)
        elif op == 5:
            tokens = tokens[:i]
        elif op == 6:
            tokens.insert(i, rng.choice(_EXTRA))
        else:
            tokens[i] = tokens[i][::-1]
        if not tokens:
            tokens = [""]
    return "".join(tokens)


def pathological() -> list[tuple[str, dict[str, bytes]]]:
    """Inputs at the limits, each as one file."""
    world = 'state a "A";\nforce f "F" { of a; strength 1,000 personnel; }\n'
    clause = "a shall cease fire; "
    cases = {
        "empty": b"",
        "bom": "\ufeffstate a \"A\";\n".encode(),
        "invalid utf-8": b'state a "\xff\xfe";\n',
        "nul bytes": b"state a \"A\0\";\0\n",
        "crlf": b'state a "A";\r\nplan p {\r\n point 1 { a shall cease fire; }\r\n}\r\n',
        "deep parentheses": (world + "plan p { point 1 { a shall cease fire if " + "(" * 3000 + '"x"'
                             + ")" * 3000 + "; } }\n").encode(),
        "deep braces": b"{" * 5000,
        "long and chain": (world + "plan p { point 1 { a shall cease fire if "
                           + " and ".join(['"x"'] * 3000) + "; } }\n").encode(),
        "huge points range": (world + "plan p { point 1 { a shall cease fire; } "
                              "points 2 to 999999999999999999 unknown; }\n").encode(),
        "huge number": (world + "plan p { point 1 { f shall not exceed " + "9" * 40 + " personnel; } }\n").encode(),
        "many points": (world + "plan p {\n" + "".join(f"point {i} {{ {clause}}}\n" for i in range(1, 3001))
                        + "}\n").encode(),
        "one long line": (world + "plan p { point 1 { " + clause * 5000 + "} }\n").encode(),
        "long misspelt keyword": (world + "plan p { point 1 { a shall " + "x" * 20000 + "; } }\n").encode(),
        "many errors on one line": ("plan p { point 1 { " + "a shall ceese fire; " * 2000 + "} }\n").encode(),
        "control characters": ('state a "A\x1b]52;c;aGk=\x07\x1b[2J\u202e";\nplan p "\x1b[31mred" '
                               '{ point 1 { a shall cease fire; } }\n').encode(),
        "impossible dates": (world + 'plan p { date 2025-29-09; point 1 { a shall cease fire by 2025-02-30; } }\n')
        .encode(),
        "many names misspelt": ("".join(f'state s{i} "S{i}";\n' for i in range(500))
                                + "plan p { point 1 { " + "".join(f"t{i} shall cease fire; " for i in range(500))
                                + "} }\n").encode(),
    }
    return sorted((name, {"plan.plan": data}) for name, data in cases.items())


def hostile_layouts(sources: dict[str, str]) -> list[tuple[str, dict]]:
    """Project layouts made to break file handling. Values: bytes, or ('symlink', target),
    ('fifo',), ('dir',); the key '..outside/...' lands beside the project, not in it."""
    plan = sources["ukraine-2025/us-28-point.plan"].replace('use "world.plan";', "")
    world = sources["ukraine-2025/world.plan"]
    good = {"world.plan": world.encode(), "plan.plan": ('use "world.plan";\n' + plan).encode()}
    toml_out = '[[document]]\nplans = ["plan.plan"]\noutput = "%s"\n'
    return [
        ("symlink to /etc/passwd", {**good, "passwd.plan": ("symlink", "/etc/passwd")}),
        ("symlink loop", {**good, "loop.plan": ("symlink", "loop.plan")}),
        ("symlink to a directory outside", {**good, "sub": ("symlink", "/etc")}),
        ("fifo", {**good, "pipe.plan": ("fifo",)}),
        ("used fifo", {**good, "pipe.plan": ("fifo",), "user.plan": b'use "pipe.plan";\n'}),
        ("directory named .plan", {**good, "d.plan": ("dir",)}),
        ("non-utf-8 name", {**good, "caf\udce9.plan": b'state b "B";\n'}),
        ("use dot", {**good, "dot.plan": b'use ".";\n'}),
        ("use parent", {**good, "up.plan": b'use "../x.plan";\n', "..outside/x.plan": b'state z "Z";\n'}),
        ("use absolute", {**good, "abs.plan": b'use "/etc/passwd";\n'}),
        ("toml output outside", {**good, "plandsl.toml": (toml_out % "../outside/x.md").encode()}),
        ("toml output absolute", {**good, "plandsl.toml": (toml_out % "/tmp/plandsl-hunt-x.md").encode()}),
        ("toml output is a directory", {**good, "out.md": ("dir",), "plandsl.toml": (toml_out % "out.md").encode()}),
        ("toml output parent is a file", {**good, "f": b"x", "plandsl.toml": (toml_out % "f/x.md").encode()}),
        ("toml plans outside", {**good, "plandsl.toml": b'[[document]]\nplans = ["/etc/passwd"]\noutput = "x.md"\n'}),
        ("toml not toml", {**good, "plandsl.toml": b"[[document\n"}),
        ("toml wrong types", {**good, "plandsl.toml": b'document = 3\n'}),
        ("toml non-utf-8 output", {**good, "x.md": b"\xff\xfe", "plandsl.toml": (toml_out % "x.md").encode()}),
    ]


# ============================================================================
# Running one case
# ============================================================================


class Hang(BaseException):
    """Raised by the alarm: an execution ran past HANG_SECONDS."""


def _alarm(signum, frame):
    raise Hang()


def _worker_init() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    signal.signal(signal.SIGALRM, _alarm)
    sys.setrecursionlimit(10_000)


def _lay_out(root: Path, files: dict) -> Path:
    project = root / "project"
    project.mkdir()
    for name, content in files.items():
        path = root / name[2:] if name.startswith("..") else project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        fs_path = os.fsencode(str(path))
        if isinstance(content, bytes):
            with open(fs_path, "wb") as handle:
                handle.write(content)
        elif content[0] == "symlink":
            os.symlink(content[1], fs_path)
        elif content[0] == "fifo":
            os.mkfifo(fs_path)
        elif content[0] == "dir":
            os.mkdir(fs_path)
    return project


def _stage(results: list, name: str, action) -> object:
    """Run one execution; record ok / user-error / failure with what went wrong."""
    from plandsl.errors import UserError

    started = time.perf_counter()
    signal.alarm(HANG_SECONDS)
    try:
        value = action()
        outcome, detail = "ok", ""
    except UserError as error:
        value, outcome, detail = None, "user-error", str(error)[:200]
    except Hang:
        value, outcome, detail = None, "hang", f"over {HANG_SECONDS} s"
    except MemoryError:
        value, outcome, detail = None, "memory", "MemoryError under a 1 GiB address space"
    except RecursionError:
        value, outcome, detail = None, "crash", traceback.format_exc(limit=-8)
    except Exception:  # noqa: BLE001 - the point of the hunt
        value, outcome, detail = None, "crash", traceback.format_exc(limit=-8)
    finally:
        signal.alarm(0)
    results.append((name, outcome, time.perf_counter() - started, detail))
    return value


def run_case(case: tuple[str, str, dict, bool]) -> tuple[str, str, list, int]:
    """Every stage on one case; returns (family, name, results, peak RSS in KiB)."""
    family, name, files, through_cli = case
    import plandsl
    from plandsl import build as build_module
    from plandsl import report
    from plandsl.check import check
    from plandsl.files import expand_paths
    from plandsl.documents import render_comparison, render_plan
    from plandsl.formatter import format_source

    results: list = []
    with tempfile.TemporaryDirectory(prefix="plandsl-hunt-") as temporary:
        root = Path(temporary)
        project = _lay_out(root, files)
        previous = os.getcwd()
        os.chdir(project)
        try:
            roots = ["."]
            plan_files = sorted(p for p in os.listdir(".") if p.endswith(".plan") and os.path.isfile(p)
                                and not os.path.islink(p) and p.isprintable() and p.encode("utf-8", "ignore") ==
                                os.fsencode(p))
            _stage(results, "parse", lambda: plandsl.load(expand_paths(roots)))
            checked = _stage(results, "check", lambda: check(roots))
            plans = sorted(checked.model.plans) if checked is not None and checked.model is not None else []
            chosen = plans[0] if len(plans) > 1 else None
            if checked is not None:
                for output_format in ("text", "json", "sarif", "github"):
                    _stage(results, f"report {output_format}", lambda f=output_format: report.render(checked, f))
            for path in plan_files[:3]:
                text = Path(path).read_bytes().decode("utf-8", "replace")

                def fmt(text=text):
                    formatted = format_source(text)
                    if formatted.formatted is not None:
                        again = format_source(formatted.formatted)
                        if again.formatted is None:
                            raise AssertionError("fmt's output does not parse: "
                                                 + "; ".join(d.message for d in again.diagnostics[:3]))
                        if again.formatted != formatted.formatted:
                            raise AssertionError("fmt is not a fixed point")
                    return formatted

                _stage(results, "fmt", fmt)
            for to in ("md", "html", "json"):
                _stage(results, f"render {to}", lambda to=to: render_plan(roots, to=to, plan=chosen))
            for to in ("md", "html"):
                _stage(results, f"compare {to}", lambda to=to: render_comparison(roots, to=to))
            with_plan = [p for p in plan_files if "plan " in Path(p).read_text("utf-8", "replace")]
            if not os.path.exists("plandsl.toml") and with_plan:
                Path("plandsl.toml").write_text(
                    "".join(f'[[document]]\nkind = "{kind}"\nplans = ["{with_plan[-1]}"]\nto = "{to}"\n'
                            f'output = "out/{kind}.{to}"\n' for kind, to in (("plan", "md"), ("compare", "html"))),
                    encoding="utf-8")
            if os.path.exists("plandsl.toml"):
                _stage(results, "build", lambda: build_module.build("plandsl.toml"))
                _stage(results, "build --check", lambda: build_module.build("plandsl.toml", check_only=True))
            if through_cli:
                _cli_stages(results, plan_files)
        finally:
            os.chdir(previous)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return family, name, results, peak


def _cli_stages(results: list, plan_files: list[str]) -> None:
    command = [shutil.which("plandsl") or sys.executable, *([] if shutil.which("plandsl") else ["-m", "plandsl"])]
    runs = [["parse", "."], ["check", ".", "--format", "text"], ["check", ".", "--format", "sarif"],
            ["check", ".", "--format", "github"], ["render", ".", "--to", "html"], ["compare", ".", "--to", "md"],
            ["build", "--check"]]
    if plan_files:
        runs.append(["fmt", "--check", plan_files[0]])
    environment = dict(os.environ, PYTHONIOENCODING="utf-8")
    for arguments in runs:
        started = time.perf_counter()
        try:
            process = subprocess.run(command + arguments, capture_output=True, timeout=HANG_SECONDS,
                                     stdin=subprocess.DEVNULL, env=environment,
                                     preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS,
                                                                           (MEMORY_BYTES, MEMORY_BYTES)))
            stderr = process.stderr.decode("utf-8", "replace")
            if "Traceback" in stderr or "internal error" in stderr or process.returncode not in (0, 1, 2):
                outcome, detail = "crash", f"exit {process.returncode}: {stderr[-1500:]}"
            else:
                outcome, detail = "ok", ""
        except subprocess.TimeoutExpired:
            outcome, detail = "hang", f"over {HANG_SECONDS} s"
        results.append(("cli " + arguments[0], outcome, time.perf_counter() - started, detail))


# ============================================================================
# The campaign
# ============================================================================


def generated_cases(rng: random.Random, count: int) -> list[tuple[str, dict]]:
    """Programs drawn from plandsl.testing (plans, families and positions), as files."""
    import warnings

    from hypothesis import strategies as st
    from hypothesis.errors import NonInteractiveExampleWarning

    from plandsl import testing
    from plandsl.formatter import format_tree

    strategy = st.tuples(
        st.one_of(testing.plans(max_points=4, max_clauses=3), testing.plan_families(max_points=3)),
        testing.positions(max_redlines=3, max_requirements=3),
        testing.worlds())
    cases = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        for index in range(count):
            plan_file, block, world = strategy.example()
            text = format_tree(plan_file)
            positions = format_tree(type(world)("<generated>", (*world.statements, block)))
            files = {"plan.plan": text.encode()}
            if rng.random() < 0.5:
                files["positions.plan"] = positions.encode()
            cases.append((f"generated {index}", files))
    return cases


def all_cases(executions: int, seed: int, cli_share: float) -> list[tuple[str, str, dict, bool]]:
    rng = random.Random(seed)
    sources = example_sources()
    pool = sorted({t for text in sources.values() for t in _TOKEN.findall(text) if not t.isspace()})
    stages_per_case = 13
    wanted = max(1, executions // stages_per_case)
    cases: list[tuple[str, str, dict, bool]] = []
    for name, files in pathological():
        cases.append(("pathological", name, files, True))
    for name, files in hostile_layouts(sources):
        cases.append(("layout", name, files, True))
    generated = wanted // 4
    for name, files in generated_cases(rng, generated):
        cases.append(("generated", name, files, rng.random() < cli_share))
    names = sorted(sources)
    while len(cases) < wanted:
        index = len(cases)
        directory = rng.choice(("ukraine-2025", "armistice"))
        files = {Path(n).name: sources[n].encode() for n in names if n.startswith(directory + "/")}
        victim = rng.choice(sorted(files))
        files[victim] = mutate(files[victim].decode(), rng, pool).encode("utf-8", "surrogatepass")
        cases.append(("mutated", f"mutated {index} ({directory}/{victim})", files, rng.random() < cli_share))
    return cases


def save_failure(family: str, name: str, files: dict, failures: list) -> Path:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:60]
    folder = OUT / f"{family}-{slug}"
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, content in files.items():
        target = folder / ("input-" + re.sub(r"[^A-Za-z0-9.]+", "_", file_name))
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(repr(content), encoding="utf-8")
    (folder / "failure.txt").write_text(
        "\n\n".join(f"[{stage}] {outcome}\n{detail}" for stage, outcome, _, detail in failures), encoding="utf-8")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--executions", type=int, default=100_000, help="about this many executions (default 100,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cli-share", type=float, default=0.01, help="share of cases also run through the CLI")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    arguments = parser.parse_args()

    started = time.perf_counter()
    cases = all_cases(arguments.executions, arguments.seed, arguments.cli_share)
    by_name = {(family, name): files for family, name, files, _ in cases}
    print(f"{len(cases)} cases prepared in {time.perf_counter() - started:.1f} s", flush=True)
    outcomes: Counter = Counter()
    per_stage: Counter = Counter()
    per_family: Counter = Counter()
    slowest: list[tuple[float, str, str]] = []
    peak_kib = 0
    failed_cases = 0
    context = get_context("fork")
    with context.Pool(arguments.jobs, initializer=_worker_init, maxtasksperchild=200) as pool:
        for done, (family, name, results, peak) in enumerate(pool.imap_unordered(run_case, cases, chunksize=4), 1):
            peak_kib = max(peak_kib, peak)
            failures = [r for r in results if r[1] in ("crash", "hang", "memory")]
            for stage, outcome, seconds, _ in results:
                outcomes[outcome] += 1
                per_stage[(stage, outcome)] += 1
                per_family[(family, outcome)] += 1
                slowest.append((seconds, stage, name))
            slowest = sorted(slowest, reverse=True)[:5]
            if failures:
                failed_cases += 1
                folder = save_failure(family, name, by_name[(family, name)], failures)
                print(f"FAIL {family} {name!r}: {', '.join(f'{s} {o}' for s, o, _, _ in failures)} -> {folder}",
                      flush=True)
            if done % 1000 == 0:
                print(f"  {done}/{len(cases)} cases, {sum(outcomes.values())} executions, "
                      f"{time.perf_counter() - started:.0f} s", flush=True)
    total = sum(outcomes.values())
    print(f"\n{total} executions of {len(cases)} cases in {time.perf_counter() - started:.0f} s "
          f"({arguments.jobs} workers); peak RSS of a worker {peak_kib / 1024:.0f} MiB")
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    print("by family: " + ", ".join(f"{f}/{o} {v}" for (f, o), v in sorted(per_family.items())))
    stages = sorted({s for s, _ in per_stage})
    print("by stage:")
    for stage in stages:
        print(f"  {stage:14} " + ", ".join(f"{o} {per_stage[(stage, o)]}" for o in
                                           ("ok", "user-error", "crash", "hang", "memory") if per_stage[(stage, o)]))
    print("slowest executions: " + "; ".join(f"{s:.2f} s {stage} ({name})" for s, stage, name in slowest))
    print(f"failing cases: {failed_cases}")
    return 1 if failed_cases else 0


if __name__ == "__main__":
    sys.exit(main())
