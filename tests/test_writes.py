"""Writing outputs (``fmt``, ``render -o``, ``build``) when the file system says no,
through symlinks, and when the run is interrupted or killed (issue 9).

Each failure must be one line naming the output and the reason, exit 2, with the
old outputs intact and no temporary (``.NAME.plandsl-tmp-PID-XXXXXXXX``) left.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import plandsl_command, run_cli
from test_build import DOCUMENTS, entry, snapshot, write_project

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534  # a user and group to give a file to


def is_temporary(name: str) -> bool:
    """Ours, and those of earlier versions (``.NAME.XXXXXXXX.tmp``)."""
    return "plandsl-tmp" in name or (name.startswith(".") and name.endswith(".tmp"))


def temporaries(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if is_temporary(p.name))


def one_line_error(process, *words: str) -> None:
    assert process.returncode == 2, process.stderr
    assert "Traceback" not in process.stderr and "internal error" not in process.stderr, process.stderr
    errors = process.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("plandsl: "), process.stderr
    for word in words:
        assert word in errors[0], process.stderr


def unformatted(path: Path) -> str:
    """A valid plan that fmt changes (a blank line too many)."""
    text = (DOCUMENTS / "world.plan").read_text(encoding="utf-8").replace("\n", "\n\n\n", 1)
    path.write_text(text, encoding="utf-8")
    return text


# ============================================================================
# build: outputs that cannot be written
# ============================================================================


def test_build_onto_a_directory_is_one_line_and_leaves_the_rest(tmp_path):
    write_project(tmp_path, [entry("accord.md"), entry("accord.html")])
    (tmp_path / "docs" / "accord.html").mkdir(parents=True)
    (tmp_path / "docs" / "accord.md").write_text("old\n", encoding="utf-8")
    before = snapshot(tmp_path)
    process = run_cli("build", cwd=tmp_path)
    one_line_error(process, "document 2", "docs/accord.html", "Is a directory")
    assert snapshot(tmp_path) == before  # accord.md, made first, was not renamed into place
    assert temporaries(tmp_path) == []


def test_build_into_a_file_as_directory_is_one_line(tmp_path):
    write_project(tmp_path, [entry("accord.md", output="docs/file/accord.md")])
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "file").write_text("a file\n", encoding="utf-8")
    before = snapshot(tmp_path)
    process = run_cli("build", cwd=tmp_path)
    one_line_error(process, "document 1", "docs/file/accord.md", "Not a directory")
    assert snapshot(tmp_path) == before


def test_a_project_file_that_is_not_utf8_is_one_line(tmp_path):
    write_project(tmp_path, [entry("accord.md")])
    (tmp_path / "plandsl.toml").write_bytes(b'# caf\xe9\n' + (tmp_path / "plandsl.toml").read_bytes())
    before = snapshot(tmp_path)
    one_line_error(run_cli("build", cwd=tmp_path), "plandsl.toml is not valid TOML: it is not UTF-8")
    assert snapshot(tmp_path) == before  # nothing written


def test_build_creates_missing_directories_inside_the_project(tmp_path):
    write_project(tmp_path, [entry("accord.md", output="docs/a/b/accord.md")])
    process = run_cli("build", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "docs/a/b/accord.md").read_bytes() == (DOCUMENTS / "accord.md").read_bytes()


def test_a_failed_build_removes_the_directories_it_made(tmp_path):
    write_project(tmp_path, [entry("accord.md", output="new/dir/accord.md"), entry("accord.html")])
    (tmp_path / "docs" / "accord.html").mkdir(parents=True)
    process = run_cli("build", cwd=tmp_path)
    one_line_error(process, "Is a directory")
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("check", [False, True])
def test_an_output_that_is_not_utf8_is_stale_not_an_internal_error(tmp_path, check):
    write_project(tmp_path, [entry("accord.md")])
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "accord.md").write_bytes(b"\xff\xfe not text \x80\n")
    process = run_cli("build", *(["--check"] if check else []), cwd=tmp_path)
    assert "Traceback" not in process.stderr and "internal error" not in process.stderr, process.stderr
    if check:
        assert process.returncode == 1 and "stale docs/accord.md" in process.stderr
    else:
        assert process.returncode == 0, process.stderr
        assert (tmp_path / "docs/accord.md").read_bytes() == (DOCUMENTS / "accord.md").read_bytes()


# ============================================================================
# build: paths stay inside the project
# ============================================================================

OUTSIDE = {
    "plan-absolute": ({"plans": ["/etc/passwd"]}, "'plans'"),
    "plan-up": ({"plans": ["../outside/accord.plan"]}, "'plans'"),
    "positions-up": ({"positions": ["../outside/accord.plan"]}, "'positions'"),
    "templates-up": ({"templates": "../outside"}, "'templates'"),
    "output-up": ({"output": "../outside/x.md"}, "'output'"),
    "output-absolute": ({"output": "TMP/outside/absolute.md"}, "'output'"),
    "output-through-symlink": ({"output": "link/x.md"}, "'output'"),
}


@pytest.mark.parametrize("changes,key", list(OUTSIDE.values()), ids=list(OUTSIDE))
def test_project_paths_outside_the_project_are_refused(tmp_path, changes, key):
    project = tmp_path / "project"
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(DOCUMENTS / "accord.plan", outside / "accord.plan")
    changes = {key: value.replace("TMP", str(tmp_path)) if isinstance(value, str) else value
               for key, value in changes.items()}
    write_project(project, [entry("accord.md"), entry("accord.md", **changes)])
    (project / "link").symlink_to(outside, target_is_directory=True)
    before = snapshot(tmp_path)
    # --check too: it would read the plan (or compare the output) outside
    for args in (["build"], ["build", "--check"]) if key in ("'plans'", "'output'") else (["build"],):
        process = run_cli(*args, cwd=project)
        one_line_error(process, "plandsl.toml, document 2", key, "outside the project", "--allow-outside-project")
        assert snapshot(tmp_path) == before


@pytest.mark.parametrize("output,message", [("docs/accord.md", "which document 1 writes too"),
                                            ("plans/accord.plan", "which a document reads as a plan")])
def test_a_document_may_not_write_another_ones_output_or_an_input(tmp_path, output, message):
    write_project(tmp_path, [entry("accord.md"), entry("accord.html", output=output)])
    before = snapshot(tmp_path)
    one_line_error(run_cli("build", cwd=tmp_path), "document 2", f"'output' names '{output}'", message)
    assert snapshot(tmp_path) == before


def test_allow_outside_project_lets_a_project_write_outside(tmp_path):
    project = tmp_path / "project"
    write_project(project, [entry("accord.md", output="../outside/accord.md")])
    process = run_cli("build", "--allow-outside-project", cwd=project)
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "outside/accord.md").read_bytes() == (DOCUMENTS / "accord.md").read_bytes()


def test_a_project_reached_through_a_symlink_is_its_real_directory(tmp_path):
    write_project(tmp_path / "real", [entry("accord.md")])
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    process = run_cli("build", "--project", "alias/plandsl.toml", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "real/docs/accord.md").exists()


# ============================================================================
# fmt and render -o: symlinks, owner, mode, directories
# ============================================================================


def test_fmt_writes_through_a_symlink(tmp_path):
    target = tmp_path / "real" / "world.plan"
    target.parent.mkdir()
    unformatted(target)
    link = tmp_path / "link.plan"
    link.symlink_to(target)
    process = run_cli("fmt", str(link), cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == (DOCUMENTS / "world.plan").read_text(encoding="utf-8")
    assert temporaries(tmp_path) == []


def test_render_output_through_a_symlink_keeps_the_link(tmp_path):
    write_project(tmp_path, [])
    target = tmp_path / "docs" / "accord.md"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    (tmp_path / "out.md").symlink_to("docs/accord.md")
    process = run_cli("render", "plans/accord.plan", "--positions", "plans/positions.plan", "-o", "out.md",
                      cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "out.md").is_symlink()
    assert target.read_bytes() == (DOCUMENTS / "accord.md").read_bytes()


@pytest.mark.skipif(not ROOT_USER, reason="giving a file to another owner needs root")
def test_fmt_keeps_owner_group_and_mode(tmp_path):
    path = tmp_path / "world.plan"
    unformatted(path)
    os.chown(path, NOBODY, NOBODY)
    path.chmod(0o640)
    process = run_cli("fmt", str(path))
    assert process.returncode == 0, process.stderr
    status = path.stat()
    assert (status.st_uid, status.st_gid, status.st_mode & 0o7777) == (NOBODY, NOBODY, 0o640)


def test_render_onto_a_directory_or_into_a_missing_one_is_one_line(tmp_path):
    write_project(tmp_path, [])
    (tmp_path / "adir").mkdir()
    args = ["render", "plans/accord.plan"]
    one_line_error(run_cli(*args, "-o", "adir", cwd=tmp_path), "cannot write adir", "Is a directory")
    one_line_error(run_cli(*args, "-o", "missing/x.md", cwd=tmp_path), "cannot write missing/x.md",
                   "No such file or directory")
    assert temporaries(tmp_path) == [] and not (tmp_path / "missing").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX pipes")
def test_render_to_a_pipe_or_a_device_writes_to_it(tmp_path):
    # A pipe and a link to /dev/full in tmp_path, not /dev/stdout itself: a version that
    # renamed over its output would replace them, and as root it would replace /dev's.
    import threading

    write_project(tmp_path, [])
    expected = run_cli("render", "plans/accord.plan", cwd=tmp_path).stdout
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    process = run_cli("render", "plans/accord.plan", "-o", "pipe", cwd=tmp_path)
    reader.join(timeout=30)
    assert process.returncode == 0, process.stderr
    assert received == [expected.encode()] and pipe.is_fifo()
    if os.path.exists("/dev/full"):
        (tmp_path / "full").symlink_to("/dev/full")
        one_line_error(run_cli("render", "plans/accord.plan", "-o", "full", cwd=tmp_path),
                       "cannot write full", "No space left on device")
        assert (tmp_path / "full").is_symlink()
    assert temporaries(tmp_path) == []


# ============================================================================
# Read-only directories and files
# ============================================================================


@pytest.fixture
def make_read_only():
    """``make_read_only(path)``: a file or directory this process cannot change.

    Root passes over permission bits, so as root the path is made immutable
    (chattr +i); otherwise its write bits are taken away. Undone at the end.
    """
    changed: list[Path] = []

    def make(path: Path) -> None:
        if ROOT_USER:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True) if shutil.which("chattr") else None
            if done is None or done.returncode != 0:
                pytest.skip("as root, a read-only path needs chattr +i, which this file system refuses")
        else:
            path.chmod(0o555 if path.is_dir() else 0o444)
        changed.append(path)

    yield make
    for path in reversed(changed):
        if ROOT_USER:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        path.chmod(0o755 if path.is_dir() else 0o644)


def test_fmt_in_a_read_only_directory_writes_in_place_and_says_so(tmp_path, make_read_only):
    directory = tmp_path / "locked"
    directory.mkdir()
    path = directory / "world.plan"
    unformatted(path)
    make_read_only(directory)
    process = run_cli("fmt", "locked/world.plan", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert "reformatted locked/world.plan in place" in process.stderr and "not atomic" in process.stderr
    assert path.read_text(encoding="utf-8") == (DOCUMENTS / "world.plan").read_text(encoding="utf-8")
    assert temporaries(directory) == []


def test_build_into_a_read_only_directory_is_one_line(tmp_path, make_read_only):
    write_project(tmp_path, [entry("accord.md")])
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "accord.md").write_text("old\n", encoding="utf-8")
    make_read_only(tmp_path / "docs")
    process = run_cli("build", cwd=tmp_path)
    one_line_error(process, "document 1", "cannot write docs/accord.md")
    assert ("Permission denied" in process.stderr) != ROOT_USER  # as root: "Operation not permitted"
    assert (tmp_path / "docs" / "accord.md").read_text(encoding="utf-8") == "old\n"
    assert temporaries(tmp_path) == []


def test_fmt_leaves_a_read_only_file_alone(tmp_path, make_read_only):
    path = tmp_path / "world.plan"
    text = unformatted(path)
    make_read_only(path)  # the directory allows a rename: the file's own mode must stop fmt
    process = run_cli("fmt", "world.plan", cwd=tmp_path)
    one_line_error(process, "cannot write world.plan", "Permission denied")
    assert path.read_text(encoding="utf-8") == text
    assert temporaries(tmp_path) == []


# ============================================================================
# A full disk
# ============================================================================


@pytest.fixture
def full_disk(tmp_path):
    """A 64 KiB tmpfs at tmp_path/docs holding two old outputs, filled up by
    ``filler`` (root only; skipped elsewhere)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    if not ROOT_USER or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(docs)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        for name in ("accord.md", "accord.html"):
            (docs / name).write_text("old\n", encoding="utf-8")
        with open(docs / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"x" * 4096)
                    filler.flush()
            except OSError:
                pass
        yield docs
    finally:
        subprocess.run(["umount", "-l", str(docs)], capture_output=True)


def test_a_full_disk_is_one_line_and_leaves_old_outputs(tmp_path, full_disk):
    write_project(tmp_path, [entry("accord.md"), entry("accord.html")])
    process = run_cli("build", cwd=tmp_path)
    one_line_error(process, "document 1", "docs/accord.md", "No space left on device")
    assert [(full_disk / n).read_text(encoding="utf-8") for n in ("accord.md", "accord.html")] == ["old\n"] * 2
    assert temporaries(full_disk) == []
    process = run_cli("render", "plans/accord.plan", "-o", "docs/accord.md", cwd=tmp_path)
    one_line_error(process, "cannot write docs/accord.md", "No space left on device")
    assert (full_disk / "accord.md").read_text(encoding="utf-8") == "old\n" and temporaries(full_disk) == []


def test_a_read_only_file_system_is_one_line_and_leaves_old_outputs(tmp_path, full_disk):
    write_project(tmp_path, [entry("accord.md"), entry("accord.html")])
    (full_disk / "filler").unlink()
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(full_disk)], capture_output=True)
    if remounted.returncode != 0:
        pytest.skip(f"cannot remount read-only: {remounted.stderr.decode().strip()}")
    process = run_cli("build", cwd=tmp_path)
    one_line_error(process, "document 1", "docs/accord.md", "Read-only file system")
    process = run_cli("render", "plans/accord.plan", "-o", "docs/accord.md", cwd=tmp_path)
    one_line_error(process, "cannot write docs/accord.md", "Read-only file system")
    assert [(full_disk / n).read_text(encoding="utf-8") for n in ("accord.md", "accord.html")] == ["old\n"] * 2


# ============================================================================
# Interrupted and killed runs
# ============================================================================


def big_unformatted(path: Path) -> str:
    """A plan of about 2 MB that fmt changes: its write takes long enough to be caught."""
    text = unformatted(path) + "".join(f"# note {i} {'x' * 60}\n" for i in range(30000))
    path.write_text(text, encoding="utf-8")
    return text


def interrupt_while_writing(args: list[str], cwd: Path, number: int, wait: float = 5.0) -> subprocess.CompletedProcess:
    """Start plandsl, send signal ``number`` as soon as a temporary appears (or it ends)."""
    process = subprocess.Popen([*plandsl_command(), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + wait
    while process.poll() is None and time.monotonic() < deadline:
        if any(is_temporary(name) for _, _, names in os.walk(cwd) for name in names):
            process.send_signal(number)
            break
        time.sleep(0.0005)
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_fmt_leaves_no_temporary_and_a_whole_file(tmp_path, number):
    path = tmp_path / "big.plan"
    old = big_unformatted(path)
    process = interrupt_while_writing(["fmt", "big.plan"], tmp_path, number)
    assert temporaries(tmp_path) == []
    assert process.returncode in (0, 2, -number), process.stderr  # -number: ended before the signal came
    assert b"Traceback" not in process.stderr
    text = path.read_text(encoding="utf-8")
    assert text == old or text == old.replace("\n\n\n", "\n", 1)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_build_leaves_old_or_new_outputs_and_no_temporary(tmp_path, number):
    names = [f"docs/d{i}.html" for i in range(12)]
    write_project(tmp_path, [entry("accord.html", output=name) for name in names])
    (tmp_path / "docs").mkdir()
    for name in names:
        (tmp_path / name).write_text("old\n", encoding="utf-8")
    process = interrupt_while_writing(["build"], tmp_path, number, wait=20)
    assert temporaries(tmp_path) == []
    assert process.returncode in (0, 2, -number), process.stderr  # -number: ended before the signal came
    assert b"Traceback" not in process.stderr
    contents = {(tmp_path / name).read_bytes() for name in names}
    assert contents in ({b"old\n"}, {(DOCUMENTS / "accord.html").read_bytes()})


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_next_run_removes_what_a_killed_run_left(tmp_path):
    path = tmp_path / "big.plan"
    big_unformatted(path)
    interrupt_while_writing(["fmt", "big.plan"], tmp_path, signal.SIGKILL)
    # Whether or not the kill came while the temporary existed, make sure one is there,
    # as a killed run leaves it: its process is dead.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = tmp_path / f".big.plan.plandsl-tmp-{dead.pid}-0123abcd"
    left.write_text("half", encoding="utf-8")
    alive = tmp_path / f".big.plan.plandsl-tmp-{os.getpid()}-0123abcd"  # a live process's: kept
    alive.write_text("in use", encoding="utf-8")
    other = tmp_path / f".other.plan.plandsl-tmp-{dead.pid}-0123abcd"  # another output's: kept
    other.write_text("not ours", encoding="utf-8")
    lookalike = tmp_path / ".big.plan.plandsl-tmp-notapid"
    lookalike.write_text("not ours", encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\n\n\n", 1), encoding="utf-8")
    process = run_cli("fmt", "big.plan", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert temporaries(tmp_path) == sorted(p.name for p in (alive, other, lookalike))
    old = time.time() - 3600  # an hour old: stale whoever made it
    os.utime(alive, (old, old))
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\n\n\n", 1), encoding="utf-8")
    assert run_cli("fmt", "big.plan", cwd=tmp_path).returncode == 0
    assert temporaries(tmp_path) == sorted(p.name for p in (other, lookalike))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_next_build_removes_what_a_killed_build_left(tmp_path):
    names = [f"docs/d{i}.html" for i in range(6)]
    write_project(tmp_path, [entry("accord.html", output=name) for name in names])
    interrupt_while_writing(["build"], tmp_path, signal.SIGKILL, wait=20)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / f"docs/.d0.html.plandsl-tmp-{dead.pid}-0123abcd").write_text("half", encoding="utf-8")
    process = run_cli("build", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert temporaries(tmp_path) == []
    assert {(tmp_path / name).read_bytes() for name in names} == {(DOCUMENTS / "accord.html").read_bytes()}
