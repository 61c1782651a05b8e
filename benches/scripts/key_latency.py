#!/usr/bin/env python3
"""Key latency in the real reader while it fills the index's text in the
background: the index is built by `tidings check` (no text), the reader is
opened in tmux, and for as long as the status line says it is indexing,
`j` (in the index) and Enter are sent one at a time, each timed until the
screen shows its effect. Coarse: tmux's own time is in each figure, and a
key whose effect does not show is timed until the next progress redraw
(250 ms); `cargo bench --bench frame -- "index filling"` is the measure.

    benches/scripts/key_latency.py BINARY CORPUS
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

binary, corpus = sys.argv[1], sys.argv[2]
home = tempfile.mkdtemp()
env = dict(os.environ, HOME=home, XDG_CACHE_HOME=home + "/cache",
           XDG_STATE_HOME=home + "/state", XDG_CONFIG_HOME=home + "/config")
subprocess.run([binary, "check", corpus], env=env, stdout=subprocess.DEVNULL, check=True)

def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout

tmux("kill-server")
command = " ".join(f"{k}={env[k]}" for k in ["HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"])
wrap = os.environ.get("WRAP", "")
tmux("new-session", "-d", "-x", "120", "-y", "40", f"{command} {wrap} {binary} {corpus}")
while "Index" not in tmux("capture-pane", "-p"):
    time.sleep(0.005)
tmux("send-keys", "Tab", "Tab")
deadline = time.monotonic() + 30
while "indexing" not in tmux("capture-pane", "-p") and time.monotonic() < deadline:
    time.sleep(0.005)
times = {"j": [], "Enter": []}
while "indexing" in tmux("capture-pane", "-p") or "matching" in tmux("capture-pane", "-p"):
    for key in ["j", "j", "j", "Enter"]:
        before = tmux("capture-pane", "-p")
        start = time.monotonic()
        tmux("send-keys", key)
        while tmux("capture-pane", "-p") == before and time.monotonic() - start < 5:
            pass
        times[key].append(time.monotonic() - start)
        if times[key][-1] > 0.05:
            print(f"slow: {key} #{len(times[key])} took {times[key][-1]*1000:.0f} ms", file=sys.stderr)
        if key == "Enter":
            tmux("send-keys", "Tab", "Tab")
            time.sleep(0.05)
tmux("send-keys", "q")
time.sleep(0.5)
tmux("kill-server")
shutil.rmtree(home, ignore_errors=True)
for key, took in times.items():
    if took:
        print(f"{key}: {len(took)} keys, median {statistics.median(took)*1000:.1f} ms, "
              f"slowest {max(took)*1000:.1f} ms")
