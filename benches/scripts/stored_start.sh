#!/bin/bash
# The reader on a library it has opened before, as a user sees it: time
# from start to the headlines on screen, then, once the background check
# of the files is over (the status line no longer says so), the process's
# peak and current resident memory. Needs tmux.
# usage: stored_start.sh BINARY INDEX LIBRARY [RUNS]
BIN=$1; INDEX=$2; LIB=$3; RUNS=${4:-5}
for _ in $(seq "$RUNS"); do
    tmux kill-server 2>/dev/null
    start=$(date +%s.%N)
    tmux new-session -d -x 120 -y 40 "$BIN --index $INDEX $LIB"
    while ! tmux capture-pane -p 2>/dev/null | grep -q " unread / "; do sleep 0.005; done
    shown=$(echo "$(date +%s.%N) - $start" | bc)
    sleep 1
    while tmux capture-pane -p | grep -q "looking for changed files\|matching titles\|indexing"; do sleep 0.1; done
    pid=$(tmux list-panes -F '#{pane_pid}')
    memory=$(grep -E "VmHWM|VmRSS" /proc/"$pid"/status | awk '{printf "%s %d MB  ", $1, $2/1024}')
    echo "headlines ${shown} s; after the check: $memory"
    tmux send-keys q
    while tmux has-session 2>/dev/null; do sleep 0.05; done
done
