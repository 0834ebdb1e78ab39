"""The kernel manager papermill starts each notebook's kernel with; imported by papermill only when a notebook runs,
so a build that reuses every notebook never loads jupyter_client."""
import shutil
import tempfile
import threading
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

kernel_log = threading.local()  # each notebook runs in its own thread, and its kernel is started there
live = set()  # the kernels running now, so that an interrupted build can stop them at once


def stop_kernels():
    """Kill every running kernel: its notebook's thread then ends in seconds instead of running to the end."""
    for manager in list(live):
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()


class IPCKernelManager(AsyncKernelManager):
    """Kernels on Unix sockets in a private folder: no TCP ports to collide, no network interface needed.
    The kernel's own stderr chatter goes to the notebook's log file, not the console."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self._socket_dir = tempfile.mkdtemp(prefix="fck-")
        self.ip = str(Path(self._socket_dir) / "k")

    async def start_kernel(self, **kwargs):
        log = getattr(kernel_log, "file", None)
        if log is not None:
            kwargs.setdefault("stdout", log)
            kwargs.setdefault("stderr", log)
        live.add(self)
        return await super().start_kernel(**kwargs)

    async def cleanup_resources(self, restart=False):
        live.discard(self)
        await super().cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
