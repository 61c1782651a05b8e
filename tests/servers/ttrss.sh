#!/usr/bin/env bash
# A throwaway Tiny Tiny RSS for the sync tests, on loopback only.
#
#   tests/servers/ttrss.sh start DIR PORT PROXY_PORT
#   tests/servers/ttrss.sh pause DIR     the web server only (as if away)
#   tests/servers/ttrss.sh resume DIR
#   tests/servers/ttrss.sh stop DIR
#
# start installs Debian's tt-rss, PostgreSQL 15 and PHP 8.2 when they are
# missing, makes a database cluster in DIR (reached by a Unix socket in
# DIR, no TCP at all), loads the schema (user admin, password "password"),
# switches the API on, copies the web root into DIR and serves it with
# `php -S 127.0.0.1:PORT`. tt-rss fetches feeds through an HTTP proxy at
# 127.0.0.1:PROXY_PORT, which the tests serve: nothing leaves the machine.
set -euo pipefail

pg=/usr/lib/postgresql/15/bin

install() {
  if dpkg -s tt-rss php8.2-cli postgresql-15 >/dev/null 2>&1; then return; fi
  echo "tt-rss tt-rss/dbconfig-install boolean false" | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    tt-rss php8.2-cli php8.2-cgi php-pgsql php-mbstring php-intl php-xml php-curl \
    postgresql-15 dbconfig-no-thanks libapache2-mod-php8.2- libapache2-mod-php- >/dev/null
}

as_postgres() { runuser -u postgres -- "$@"; }

start() {
  local dir=$1 port=$2 proxy=$3
  install
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chown postgres "$dir"
  as_postgres mkdir -p "$dir/sock"
  as_postgres "$pg/initdb" -D "$dir/pg" -A trust -U postgres >"$dir/initdb.log"
  as_postgres "$pg/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
    -o "-k $dir/sock -c listen_addresses=''" start >/dev/null
  as_postgres createdb -h "$dir/sock" ttrss
  as_postgres psql -q -h "$dir/sock" ttrss -f /usr/share/tt-rss/schema/ttrss_schema_pgsql.sql \
    >"$dir/schema.log" 2>&1
  as_postgres psql -q -h "$dir/sock" ttrss -c \
    "insert into ttrss_user_prefs (owner_uid, pref_name, value) values (1, 'ENABLE_API_ACCESS', 'true')"

  # The web root, with its relative links pointed back where they lead.
  cp -r /usr/share/tt-rss/www "$dir/www"
  rm -f "$dir/www/config.php" "$dir/www/feed-icons"
  (cd "$dir" && find www -type l | while read -r link; do
    original="/usr/share/tt-rss/$link"
    if [ -e "$original" ]; then ln -sfn "$(readlink -f "$original")" "$link"; fi
  done)
  mkdir -p "$dir/lock" "$dir/cache/images" "$dir/cache/upload" "$dir/cache/export" "$dir/icons"
  cat >"$dir/www/config.php" <<PHP
<?php
	define('DB_TYPE', 'pgsql');
	define('DB_HOST', '$dir/sock');
	define('DB_PORT', '5432');
	define('DB_USER', 'postgres');
	define('DB_NAME', 'ttrss');
	define('DB_PASS', '');
	define('MYSQL_CHARSET', 'UTF8');
	define('SELF_URL_PATH', 'http://127.0.0.1:$port/');
	define('SINGLE_USER_MODE', false);
	define('SIMPLE_UPDATE_MODE', false);
	define('PHP_EXECUTABLE', '/usr/bin/php');
	define('LOCK_DIRECTORY', '$dir/lock');
	define('CACHE_DIR', '$dir/cache');
	define('ICONS_DIR', '$dir/icons');
	define('ICONS_URL', 'feed-icons');
	define('AUTH_AUTO_CREATE', true);
	define('AUTH_AUTO_LOGIN', true);
	define('FORCE_ARTICLE_PURGE', 0);
	define('ENABLE_REGISTRATION', false);
	define('REG_NOTIFY_ADDRESS', 'nobody@example.invalid');
	define('REG_MAX_USERS', 10);
	define('SESSION_COOKIE_LIFETIME', 86400);
	define('SMTP_FROM_NAME', 'Tiny Tiny RSS');
	define('SMTP_FROM_ADDRESS', 'nobody@example.invalid');
	define('DIGEST_SUBJECT', '[tt-rss] New headlines');
	define('CHECK_FOR_UPDATES', false);
	define('ENABLE_GZIP_OUTPUT', false);
	define('PLUGINS', 'auth_internal');
	define('LOG_DESTINATION', '');
	define('CONFIG_VERSION', 26);
	define('_HTTP_PROXY', '127.0.0.1:$proxy');
PHP
  echo "$port" >"$dir/port"
  serve "$dir"
}

# The web root served, and waited for until the API answers.
serve() {
  local dir=$1 port
  port=$(cat "$dir/port")
  php -S "127.0.0.1:$port" -t "$dir/www" >>"$dir/php.log" 2>&1 &
  echo $! >"$dir/php.pid"
  for _ in $(seq 100); do
    if php -r "exit(@file_get_contents('http://127.0.0.1:$port/api/', false, stream_context_create(['http' => ['method' => 'POST', 'content' => '{\"op\":\"getApiLevel\"}']])) ? 0 : 1);"; then
      return
    fi
    sleep 0.1
  done
  echo "tt-rss did not start: see $dir/php.log" >&2
  exit 1
}

pause() {
  local dir=$1
  if [ -f "$dir/php.pid" ]; then kill "$(cat "$dir/php.pid")" 2>/dev/null || true; fi
  # Gone when nothing answers any more.
  for _ in $(seq 100); do
    if ! php -r "exit(@fsockopen('127.0.0.1', $(cat "$dir/port")) ? 0 : 1);"; then return; fi
    sleep 0.1
  done
}

stop() {
  local dir=$1
  if [ -f "$dir/php.pid" ]; then kill "$(cat "$dir/php.pid")" 2>/dev/null || true; fi
  if [ -d "$dir/pg" ]; then as_postgres "$pg/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null || true; fi
}

case "${1:-}" in
  start) start "$2" "$3" "$4" ;;
  pause) pause "$2" ;;
  resume) serve "$2" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 start DIR PORT PROXY_PORT | pause DIR | resume DIR | stop DIR" >&2; exit 2 ;;
esac
