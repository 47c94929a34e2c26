"""Runs a notebook's code cells in a Jupyter kernel, as a frontend does, and prints what each
cell showed (execute_result and display_data bundles) as JSON: [[cell, {mime: text}], ...].

nbconvert stops listening to a cell at the kernel's "idle" message; Deno's kernel may send a
cell's result just after it, which a frontend still shows (it routes messages by their parent
request), so this keeps listening until the kernel has been quiet for a second.

Usage: python3 test/jupyter-cells.py KERNEL NOTEBOOK  (in the notebook's folder)
"""
import json
import queue
import sys

from jupyter_client.manager import start_new_kernel

kernel, path = sys.argv[1], sys.argv[2]
cells = json.load(open(path, encoding="utf-8"))["cells"]
manager, client = start_new_kernel(kernel_name=kernel)
shown = []
try:
    for number, cell in enumerate(cells, start=1):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        request = client.execute(source)
        reply = client.get_shell_msg(timeout=300)
        while reply["parent_header"].get("msg_id") != request:
            reply = client.get_shell_msg(timeout=300)
        if reply["content"]["status"] != "ok":
            print(f"cell {number} failed: {reply['content']}", file=sys.stderr)
            sys.exit(1)
        while True:
            try:
                message = client.get_iopub_msg(timeout=1)
            except queue.Empty:
                break
            if message["parent_header"].get("msg_id") != request:
                continue
            if message["msg_type"] in ("execute_result", "display_data"):
                data = message["content"]["data"]
                shown.append([number, {mime: "".join(text) for mime, text in data.items()}])
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=True)
print(json.dumps(shown))
