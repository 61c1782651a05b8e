#!/usr/bin/env bash
# A throwaway coldsweat (a Fever API server) for the sync tests, on
# loopback only.
#
#   tests/servers/coldsweat.sh start DIR PORT PROXY_PORT
#   tests/servers/coldsweat.sh fetch DIR OPML     subscribe and fetch now
#   tests/servers/coldsweat.sh stop DIR
#
# coldsweat 0.10.2 is installed from PyPI into a virtual environment under
# the build folder (target/servers/), once. Its user is
# reader@example.invalid, password "password1234". It fetches feeds
# through an HTTP proxy at 127.0.0.1:PROXY_PORT, which the tests serve,
# and its HTTPS requests (feed icons) go to a closed loopback port: nothing
# leaves the machine.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
venv="${CARGO_TARGET_DIR:-$here/target}/servers/coldsweat-venv"
user=reader@example.invalid
password=password1234

environment() {
  local dir=$1
  export FLASK_APP=coldsweat FLASK_DATABASE_URL="sqlite:///$dir/coldsweat.db"
  export FLASK_SECRET_KEY=tidings-tests HTTP_PROXY="http://127.0.0.1:$(cat "$dir/proxy")"
  export HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY= no_proxy=
}

install() {
  if [ -x "$venv/bin/coldsweat" ]; then return; fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q coldsweat==0.10.2
}

start() {
  local dir=$1 port=$2 proxy=$3
  install
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  echo "$proxy" >"$dir/proxy"
  environment "$dir"
  "$venv/bin/coldsweat" setup "$user" -p "$password" >"$dir/setup.log" 2>&1
  "$venv/bin/coldsweat" run -h 127.0.0.1 -p "$port" >"$dir/run.log" 2>&1 &
  echo $! >"$dir/pid"
  for _ in $(seq 100); do
    if env -u HTTP_PROXY -u HTTPS_PROXY python3 -c "import urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:$port/fever/?api', data=b'api_key=x'), timeout=1)" 2>/dev/null; then
      return
    fi
    sleep 0.1
  done
  echo "coldsweat did not start: see $dir/run.log" >&2
  exit 1
}

fetch() {
  local dir=$1 opml=$2
  environment "$dir"
  "$venv/bin/coldsweat" import "$opml" "$user" --fetch >>"$dir/fetch.log" 2>&1
}

stop() {
  local dir=$1
  if [ -f "$dir/pid" ]; then kill "$(cat "$dir/pid")" 2>/dev/null || true; fi
}

case "${1:-}" in
  start) start "$2" "$3" "$4" ;;
  fetch) fetch "$2" "$3" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 start DIR PORT PROXY_PORT | fetch DIR OPML | stop DIR" >&2; exit 2 ;;
esac
