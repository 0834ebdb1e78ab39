"""JupyterLab as a researcher uses it: `make lab`'s environment starts a server, a notebook runs in the .venv kernel
through the server's kernel API, and every chart cell carries a static rendering (SVG or PNG) beside its Vega-Lite
spec, so a chart shows wherever the notebook is opened, with or without a Vega renderer."""
import asyncio
import concurrent.futures
import json
import os
import secrets
import socket
import subprocess
import time
import urllib.request
import uuid

import nbformat
import pytest

from factcheck import config
from tests.helpers import copy_project

pytestmark = pytest.mark.build
LAB = config.ROOT / ".venv-lab"
STATIC = {"image/svg+xml", "image/png"}


@pytest.fixture(scope="module")
def lab_environment(tmp_path_factory):
    """`make lab`'s .venv-lab where it is made already; else one made as `make lab` makes it (about half a minute to 4
    minutes), in a temporary folder, as no test writes into the checkout. Skipped only if it cannot be made."""
    if (LAB / ".installed").exists():
        return LAB
    lab = tmp_path_factory.mktemp("lab") / ".venv-lab"
    made = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "-C", str(config.ROOT), f"LAB={lab}",
                           f"{lab}/.installed"], capture_output=True, text=True, timeout=1200)
    if made.returncode != 0:
        pytest.skip(f"make could not install JupyterLab: {made.stderr.strip().splitlines()[-1:]}")
    return lab


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, token, method="GET", body=None):
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read() or b"null")


async def run_cells(ws_url, cells):
    """Each code cell through the kernel's websocket channel: its display outputs, as Lab would show them."""
    from tornado.websocket import websocket_connect

    connection = await websocket_connect(ws_url)
    session, outputs = uuid.uuid4().hex, []
    for cell in cells:
        msg_id = uuid.uuid4().hex
        await connection.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session, "username": "test",
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": cell.source, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        shown, error = [], None
        while True:
            message = json.loads(await asyncio.wait_for(connection.read_message(), timeout=300))
            if message.get("parent_header", {}).get("msg_id") != msg_id or message["channel"] != "iopub":
                continue
            kind = message["header"]["msg_type"]
            if kind in ("display_data", "execute_result"):
                shown.append(message["content"]["data"])
            elif kind == "error":
                error = f"{message['content']['ename']}: {message['content']['evalue']}"
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                break
        assert error is None, f"cell {cell.source[:80]!r} failed: {error}"
        outputs.append(shown)
    connection.close()
    return outputs


def test_a_notebook_run_in_jupyterlab_shows_static_charts(lab_environment, tmp_path):
    project = copy_project(tmp_path / "project")
    port, token = free_port(), secrets.token_hex(16)
    command = [str(lab_environment / "bin" / "jupyter"), "lab", "--no-browser", f"--ServerApp.port={port}",
               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={project / 'notebooks'}"]
    if os.getuid() == 0:
        command.append("--allow-root")  # as make lab adds it
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    server = subprocess.Popen(command, cwd=project / "notebooks", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env={**env, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "HOME": str(tmp_path)})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                request(f"{base}/api/status", token)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                time.sleep(0.5)
        kernel = request(f"{base}/api/kernels", token, "POST", {"name": "python3", "path": "30_attacks.ipynb"})
        notebook = nbformat.read(project / "notebooks" / "30_attacks.ipynb", as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        # in a thread of its own: a session's Playwright (sync API) may already run an event loop in this one
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            outputs = pool.submit(asyncio.run, run_cells(
                f"ws://127.0.0.1:{port}/api/kernels/{kernel['id']}/channels?token={token}", code)).result()
    finally:
        server.terminate()
        server.wait(timeout=30)
    charts = [shown for cell, shown in zip(code, outputs) if "chart" in cell.metadata.get("tags", [])]
    assert charts and all(shown for shown in charts)
    for shown in charts:
        mimetypes = {m for bundle in shown for m in bundle}
        assert config.VEGA_LITE_MIMETYPE in mimetypes
        assert mimetypes & STATIC, f"a chart cell shows only {sorted(mimetypes)}: no static rendering for JupyterLab"
