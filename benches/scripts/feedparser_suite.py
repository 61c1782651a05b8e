#!/usr/bin/env python3
"""How much of feedparser's own test suite tidings reads as feedparser does.

Serves the 2,000-odd test feeds of feedparser 6.0.11 (from its source
package on PyPI) on loopback with the headers each one asks for, as
feedparser's runtests.py serves them; imports them into a fresh tidings as
one OPML; runs `tidings update`; and compares, feed by feed, with what
feedparser itself makes of the same address:

- feeds: of those in which feedparser finds an entry whose title or text
  has words (markup stripped), the share that give tidings stories, in all
  and by feedparser's name for the format;
- titles: of those entries' titles, the share tidings stores as feedparser
  reads them (markup stripped, entities resolved, spaces collapsed).

Usage: python3 benches/scripts/feedparser_suite.py [--misses N]
(builds nothing: run `cargo build --release` first). Everything it makes
stays under target/feedparser-suite/.
"""

import argparse
import collections
import html
import http.server
import json
import os
import re
import subprocess
import sys
import tarfile
import threading
import unicodedata
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "target", "feedparser-suite")
VERSION = "6.0.11"
FOLDERS = ("wellformed", "illformed", "encoding", "entities")


def venv_python():
    """A virtual environment with feedparser (and chardet, which its
    encoding tests expect) from PyPI."""
    venv = os.path.join(WORK, "venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", f"feedparser=={VERSION}", "chardet"], check=True)
    return python


def suite():
    """feedparser's tests folder, unpacked from its source package."""
    tests = os.path.join(WORK, f"feedparser-{VERSION}", "tests")
    if not os.path.isdir(tests):
        download = os.path.join(WORK, "download")
        subprocess.run(
            [venv_python(), "-m", "pip", "download", "-q", "--no-binary", ":all:", "--no-deps",
             f"feedparser=={VERSION}", "-d", download],
            check=True,
        )
        with tarfile.open(os.path.join(download, f"feedparser-{VERSION}.tar.gz")) as archive:
            archive.extractall(WORK, filter="data")
    return tests


class Handler(http.server.SimpleHTTPRequestHandler):
    """Each file with the headers its `Header:` comments name (as
    feedparser's runtests.py serves them)."""

    headers_re = re.compile(rb"^Header:\s+([^:]+):(.+)$", re.MULTILINE)

    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            self.send_error(404)
            return None
        with open(path, "rb") as f:
            blob = f.read()
        headers = {k.decode().strip(): v.decode().strip() for k, v in self.headers_re.findall(blob)}
        status = int(headers.pop("Status", 200))
        self.send_response(status if status < 300 else 200)
        self.send_header("Content-type", headers.pop("Content-type", self.guess_type(path)))
        self.send_header("Content-Length", str(len(blob)))
        for k, v in headers.items():
            if k.lower() not in ("content-length", "location", "content-encoding"):
                self.send_header(k, v)
        self.end_headers()
        return open(path, "rb")

    def log_message(self, *args):
        pass


def words(markup):
    """feedparser's text (HTML) as a reader sees it: markup stripped,
    entities resolved, spaces collapsed."""
    return plain(html.unescape(re.sub(r"<[^>]*>", " ", markup or "")))


def plain(text):
    """Plain text with its spaces collapsed and compatibility forms folded
    (tidings stores titles as plain text)."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


REFERENCE = r"""
import feedparser, json, re, sys
out = {}
for line in sys.stdin.read().splitlines():
    url, path = line.split(" ", 1)
    # As feedparser's runtests.py: a test this Python cannot run is skipped.
    with open(path, "rb") as f:
        skip = re.search(rb"^SkipUnless:\s*(.*)$", f.read(), re.MULTILINE)
    if skip:
        try:
            eval(skip.group(1))
        except Exception:
            continue
    try:
        d = feedparser.parse(url)
    except Exception:  # feedparser itself fails on a few of its tests
        continue
    entries = []
    for e in d.entries:
        title = e.get("title", "")
        # Plain text as it is; HTML to be read as HTML.
        plain = e.get("title_detail", {}).get("type") == "text/plain"
        text = " ".join([e.get("summary", "")] + [c.get("value", "") for c in e.get("content", [])])
        entries.append({"title": title, "plain": plain, "text": text})
    feed_title = d.feed.get("title", "")
    if d.feed.get("title_detail", {}).get("type") != "text/plain":
        feed_title = "html:" + feed_title
    out[url] = {"version": d.get("version", ""), "entries": entries, "title": feed_title}
json.dump(out, sys.stdout)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", type=int, default=0, help="list this many feeds tidings missed")
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "tidings"))
    args = parser.parse_args()
    tests = suite()
    base = os.path.dirname(tests)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: Handler(*a, directory=base)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    paths = sorted(
        os.path.relpath(os.path.join(folder, name), base)
        for top in FOLDERS
        for folder, _, names in os.walk(os.path.join(tests, top))
        for name in names
        if name.endswith((".xml", ".rdf", ".json"))
    )
    urls = [f"http://127.0.0.1:{port}/{urllib.parse.quote(p)}" for p in paths]
    listed = "\n".join(f"{url} {os.path.join(base, path)}" for url, path in zip(urls, paths))
    found = subprocess.run([venv_python(), "-c", REFERENCE], input=listed, capture_output=True, text=True)
    if found.returncode != 0:
        sys.exit(f"feedparser failed: {found.stderr[-2000:]}")
    reference = json.loads(found.stdout)
    stories, titles = tidings(args.binary, urls)
    server.shutdown()
    report(urls, paths, reference, stories, args.misses)
    encodings(urls, paths, reference, titles, args.misses)


def tidings(binary, urls):
    """Each address's stored titles, from a fresh tidings that imported
    them all as one OPML and updated."""
    home = os.path.join(WORK, "home")
    subprocess.run(["rm", "-rf", home], check=True)
    os.makedirs(home)
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
               XDG_STATE_HOME=f"{home}/state", XDG_CACHE_HOME=f"{home}/cache")
    opml = os.path.join(home, "suite.opml")
    with open(opml, "w") as f:
        f.write('<?xml version="1.0"?><opml version="2.0"><body>\n')
        for url in urls:
            f.write(f'<outline type="rss" text="t" xmlUrl="{html.escape(url)}"/>\n')
        f.write("</body></opml>\n")
    subprocess.run([binary, "feeds", "import", opml], env=env, check=True, capture_output=True)
    subprocess.run([binary, "update"], env=env, capture_output=True)
    listed = subprocess.run([binary, "list", "--json"], env=env, capture_output=True, text=True, check=True)
    stories = collections.defaultdict(list)
    for story in json.loads(listed.stdout):
        stories[story.get("feed")].append(story)
    feeds = subprocess.run([binary, "feeds", "list", "--json"], env=env, capture_output=True, text=True, check=True)
    titles = {f["url"]: f.get("feed_title") or "" for f in json.loads(feeds.stdout)}
    return stories, titles


def same_title(wanted, ours):
    """Equal, or ours is wanted cut at a word with an ellipsis (past 300
    characters)."""
    cut = ours.endswith("…") and ours[:-1].rstrip()
    return wanted == ours or bool(cut) and wanted.startswith(cut)


def report(urls, paths, reference, stories, misses):
    by_format = collections.defaultdict(lambda: [0, 0])
    titles = [0, 0]
    missed = []
    for url, path in zip(urls, paths):
        fp = reference.get(url, {"version": "", "entries": []})
        for e in fp["entries"]:
            e["title"] = plain(e["title"]) if e["plain"] else words(e["title"])
        worded = [e for e in fp["entries"] if e["title"] or words(e["text"])]
        if not worded:
            continue
        ours = stories.get(url, [])
        counts = by_format[fp["version"] or "unknown"]
        counts[0] += 1
        counts[1] += bool(ours)
        if not ours:
            missed.append(path)
        our_titles = {plain(s["title"]) for s in ours}
        for entry in worded:
            wanted = entry["title"]
            if wanted:
                titles[0] += 1
                if any(same_title(wanted, t) for t in our_titles):
                    titles[1] += 1
                elif misses:
                    print(f"title: {path}: feedparser {wanted!r}, tidings {list(our_titles)!r}")
    total = [sum(c[0] for c in by_format.values()), sum(c[1] for c in by_format.values())]
    print(f"feeds with an entry with words (feedparser): {total[0]}")
    print(f"  giving tidings stories: {total[1]} ({100 * total[1] / max(total[0], 1):.1f}%)")
    for name, (n, ok) in sorted(by_format.items(), key=lambda kv: -kv[1][0]):
        print(f"    {name:10} {ok:4}/{n:<4} {100 * ok / n:5.1f}%")
    print(f"titles read as feedparser reads them: {titles[1]}/{titles[0]} ({100 * titles[1] / max(titles[0], 1):.1f}%)")
    for path in missed[:misses]:
        print(f"missed: {path}")


def encodings(urls, paths, reference, titles, misses):
    """The feeds of the encoding tests (`encoding/`, `illformed/chardet/`):
    whether tidings reads each one's title as feedparser does."""
    checked, same = 0, 0
    for url, path in zip(urls, paths):
        if not path.startswith(("tests/encoding/", "tests/illformed/chardet/")):
            continue
        if url not in reference:
            continue  # skipped, or feedparser itself fails on it
        wanted = reference[url]["title"]
        wanted = words(wanted[5:]) if wanted.startswith("html:") else plain(wanted)
        if not wanted:
            continue
        checked += 1
        ours = plain(titles.get(url, ""))
        if same_title(wanted, ours):
            same += 1
        elif misses:
            print(f"encoding: {path}: feedparser {wanted!r}, tidings {ours!r}")
    print(f"encoding tests whose feed title tidings reads as feedparser does: {same}/{checked}")


if __name__ == "__main__":
    main()
