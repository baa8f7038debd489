"""How plandsl meets the inputs at its limits: what it reports, and how long it takes.

    python benchmarks/limits.py

Each case is built in memory, written to a temporary directory, then checked once
through the installed command (``plandsl check FILE``) as a user would run it,
timing the whole process with time.perf_counter. The table shows the exit code,
the wall time, the codes reported and whether stderr held a traceback (it never
may). Nothing here is asserted on time: the figures are for reading.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    }


def run(name: str, contents, directory: Path, command: list[str]) -> tuple[int, float, str, bool, int]:
    files = contents if isinstance(contents, dict) else {"case.plan": contents}
    for file_name, text in files.items():
        path = directory / file_name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    size = sum((directory / f).stat().st_size for f in files)
    start = time.perf_counter()
    process = subprocess.run([*command, "check", str(directory / "case.plan")], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    codes = sorted(set(re.findall(r"\[([SFNCRX]\d{3})\]", process.stdout)))
    return process.returncode, elapsed, ", ".join(codes) or "-", "Traceback" in process.stderr, size


def main() -> int:
    script = shutil.which("plandsl")
    command = [script] if script else [sys.executable, "-m", "plandsl"]
    print(f"{'case':<40} {'size':>10} {'exit':>4} {'seconds':>8}  traceback  codes")
    for name, contents in cases().items():
        with tempfile.TemporaryDirectory() as directory:
            code, elapsed, codes, traceback, size = run(name, contents, Path(directory), command)
        print(f"{name:<40} {size:>10,} {code:>4} {elapsed:>8.2f}  {'YES' if traceback else 'no':<9}  {codes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
