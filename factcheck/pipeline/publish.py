"""Publish a staged report folder all at once, one build at a time.

The new folder is built beside the old one and exchanged with it in one step (Linux's renameat2 RENAME_EXCHANGE), so
at every instant the output folder holds the whole old report or the whole new one. Where the system cannot exchange,
two renames are used, and the first is undone if the second fails; a build killed between them is put right by the
next one. A lock per output folder serialises builds, and leftovers are cleared only while holding it, so a live
build's staging folder is never touched; a leftover that cannot be removed is named.
"""
import contextlib
import ctypes
import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path

from filelock import FileLock, Timeout

from .. import config
from . import BuildError
from .manifest import relative

AT_FDCWD = -100
RENAME_EXCHANGE = 2
# What renameat2 answers where the kernel, the C library or the file system cannot exchange two paths.
NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}


@contextlib.contextmanager
def locked(folder):
    """Hold the lock of `folder`; a second build waits for the first and says so."""
    locks = config.BUILD / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    lock = FileLock(locks / (relative(folder).replace("/", "_") + ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"another build of {relative(folder)}/ is running: waiting for it to finish", file=sys.stderr)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def exclusive(out_dir):
    """Hold the lock of `out_dir`, then clear what a killed build left beside it."""
    with locked(out_dir):
        recover(Path(out_dir))
        yield


def _siblings(out_dir, kind):
    return sorted(out_dir.parent.glob(f".{out_dir.name}.{kind}-*"))


def remove(folder):
    """Delete a folder left over from publishing; if it cannot be deleted, say so in one line and carry on."""
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        pass
    except OSError as err:
        print(f"could not remove {relative(folder)}/ ({err.strerror}: {relative(err.filename or folder)}), "
              f"a leftover of publishing: remove it by hand", file=sys.stderr)


def recover(out_dir):
    """After a build that was killed: put back a report moved aside but not replaced, drop the leftovers."""
    previous = _siblings(out_dir, "previous")
    if previous and not out_dir.exists():
        previous[-1].rename(out_dir)
    for leftover in _siblings(out_dir, "previous") + _siblings(out_dir, "staging"):
        remove(leftover)


def staging_folder(out_dir):
    """An empty folder beside `out_dir`, with a published folder's usual mode (mkdtemp's is owner-only)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    return staging


def exchange(first, second):
    """Swap two paths in one step; False where the system cannot (then nothing has moved)."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(first))


def swap_in(staging, out_dir):
    """Replace `out_dir` by `staging` as a whole, or leave it as it was; the old report is then deleted."""
    try:
        if not out_dir.exists():
            os.rename(staging, out_dir)
            return
        if exchange(staging, out_dir):
            remove(staging)  # now the old report
            return
    except OSError as err:
        raise BuildError(f"could not put the new report in place ({err.strerror}: {err.filename}); "
                         f"{relative(out_dir)}/ was left as it was") from None
    _swap_by_two_renames(staging, out_dir)


def _swap_by_two_renames(staging, out_dir):
    previous = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.previous-", dir=out_dir.parent))
    previous.rmdir()
    moved = False
    try:
        os.rename(out_dir, previous)
        moved = True
        os.rename(staging, out_dir)
    except OSError as err:
        if moved and not out_dir.exists():
            os.rename(previous, out_dir)
        raise BuildError(f"could not put the new report in place ({err.strerror}: {err.filename}); "
                         f"{relative(out_dir)}/ was left as it was") from None
    remove(previous)
