"""Publish a staged report folder all at once, one build at a time.

The new folder is built beside the old one and swapped in with two renames; if the second fails, the first is
undone. A lock per output folder serialises builds, and leftovers are cleared only while holding it, so a live
build's staging folder is never touched.
"""
import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from filelock import FileLock, Timeout

from .. import config
from . import BuildError
from .manifest import relative


@contextlib.contextmanager
def exclusive(out_dir, quiet=False):
    """Hold the lock of `out_dir`; a second build waits for the first and says so."""
    locks = config.BUILD / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    lock = FileLock(locks / (relative(out_dir).replace("/", "_") + ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"another build of {relative(out_dir)}/ is running: waiting for it to finish", file=sys.stderr)
        lock.acquire()
    try:
        recover(Path(out_dir))
        yield
    finally:
        lock.release()


def _siblings(out_dir, kind):
    return sorted(out_dir.parent.glob(f".{out_dir.name}.{kind}-*"))


def recover(out_dir):
    """After a build that was killed: put back a report moved aside but not replaced, drop staging folders."""
    previous = _siblings(out_dir, "previous")
    if previous and not out_dir.exists():
        previous[-1].rename(out_dir)
    for leftover in _siblings(out_dir, "previous") + _siblings(out_dir, "staging"):
        shutil.rmtree(leftover, ignore_errors=True)


def staging_folder(out_dir):
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))


def swap_in(staging, out_dir):
    """Replace `out_dir` by `staging` as a whole, or leave it as it was."""
    previous = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.previous-", dir=out_dir.parent))
    previous.rmdir()
    moved = False
    try:
        if out_dir.exists():
            os.rename(out_dir, previous)
            moved = True
        os.rename(staging, out_dir)
    except OSError as err:
        if moved and not out_dir.exists():
            os.rename(previous, out_dir)
        raise BuildError(f"could not put the new report in place ({err.strerror}: {err.filename}); "
                         f"{relative(out_dir)}/ was left as it was") from None
    if moved:
        shutil.rmtree(previous, ignore_errors=True)
