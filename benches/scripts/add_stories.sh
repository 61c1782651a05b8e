#!/bin/bash
# `tidings check` after stories are added to an indexed library: for each
# BINARY:INDEX pair in turn (an index of LIBRARY built by that binary's
# `check`, copied fresh for every run), NEW's files are added and `check`
# is timed. PLACE is `folder` (the new files in a folder of their own,
# after every old file) or `between` (one after every hundredth old file,
# which reorders the headline pool). Prints wall, user and system seconds
# and peak resident KiB.
# usage: add_stories.sh LIBRARY NEW PLACE RUNS BINARY:INDEX...
LIB=$1; NEW=$2; PLACE=$3; RUNS=$4; shift 4
add() {
    if [ "$PLACE" = folder ]; then
        cp -al "$NEW" "$LIB/new"
    else
        n=0
        for f in "$NEW"/*; do
            ln "$f" "$LIB/$(printf %06d $((n * 100)))b.txt"
            n=$((n + 1))
        done
    fi
}
remove() { rm -rf "$LIB/new"; rm -f "$LIB"/*b.txt; }
for _ in $(seq "$RUNS"); do
    for pair in "$@"; do
        bin=${pair%%:*}; index=${pair#*:}
        remove
        cp "$index" /tmp/add_stories.sqlite; rm -f /tmp/add_stories.sqlite-wal /tmp/add_stories.sqlite-shm
        add
        echo "$bin $(/usr/bin/time -f '%e %U %S %M' "$bin" check --index /tmp/add_stories.sqlite "$LIB" 2>&1 >/dev/null | tail -1)"
    done
done
remove
