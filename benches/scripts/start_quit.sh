#!/bin/bash
# Run with tmux on the machine; COLD=1 (as root) drops the page cache first.
# HOME is the home to keep between runs (its cache holds the index).
# usage: startquit.sh BINARY HOME CORPUS : start, time to headlines, quit 1 s later
BIN=$1; H=$2; C=$3
[ -n "$COLD" ] && { sync; echo 3 > /proc/sys/vm/drop_caches; }
tmux kill-server 2>/dev/null
start=$(date +%s.%N)
tmux new-session -d -x 120 -y 40 "HOME=$H XDG_CACHE_HOME=$H/cache XDG_STATE_HOME=$H/state XDG_CONFIG_HOME=$H/config $BIN $C"
while ! tmux capture-pane -p 2>/dev/null | grep -q "Index ·"; do sleep 0.01; done
t=$(date +%s.%N)
echo "headlines $(echo "$t - $start" | bc) s; $(tmux capture-pane -p | tail -1 | grep -o 'indexing[^ ]* [0-9,]* of [0-9,]*')"
sleep 1
tmux send-keys q
while tmux has-session 2>/dev/null; do sleep 0.01; done
echo "quit after $(echo "$(date +%s.%N) - $t" | bc) s; stories kept: $(sqlite3 $H/cache/tidings/index.sqlite 'select count(*) from stories' 2>&1)"
