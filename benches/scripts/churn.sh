#!/bin/bash
# Run from the repository after `cargo build --release --examples`; prints the
# size of the churned index against one built fresh from the same files.
# usage: churn.sh BINARY : 10,000 stories, 20 rounds of rewriting 10% with new words and headlines
BIN=$1; W=${WORK:-/tmp/tidings-churn}; rm -rf $W; mkdir -p $W
${GEN:-target/release/examples/gen_corpus} $W/c 10000 1 >/dev/null
$BIN search --limit 1 --index $W/idx.sqlite budget $W/c >/dev/null
for r in $(seq 1 20); do
  python3 - $W/c $r <<'PY'
import os, random, sys
d, r = sys.argv[1], int(sys.argv[2])
rng = random.Random(r)
files = sorted(os.listdir(d))
for name in rng.sample(files, len(files)//10):
    words = [f"w{r}x{rng.randrange(100000)}" for _ in range(300)]
    body = "\n".join(" ".join(words[i:i+30]) + "." for i in range(0, 300, 30))
    heads = "\n".join(f"Headline {r} {rng.randrange(10**9)} Of The Round" for _ in range(15))
    p = os.path.join(d, name)
    open(p, "w").write(body + "\n\n\n" + heads + "\n")
    os.utime(p, (1, 1700000000 + r))
PY
  $BIN search --limit 1 --index $W/idx.sqlite budget $W/c >/dev/null
done
$BIN search --limit 1 --index $W/fresh.sqlite budget $W/c >/dev/null
a=$(stat -c %s $W/idx.sqlite); b=$(stat -c %s $W/fresh.sqlite)
echo "after churn $a bytes; fresh $b bytes; ratio $(echo "scale=3; $a/$b" | bc)"
for f in idx fresh; do echo "$f: $(sqlite3 $W/$f.sqlite "select (select count(*) from headlines), (select count(*) from words), (select count(*) from stories), (select count(*) from files), (select page_count from pragma_page_count), (select freelist_count from pragma_freelist_count)")"; done
