#!/usr/bin/env bash
# The identity side of the sign-in tests (issue 10): a REAL OpenID provider (dev/build/oidc,
# zitadel/oidc's example OP; GC_AUTH=oidc) and a REAL oauth2-proxy in front of an upstream
# (GC_AUTH=proxy). Binaries come from dev/scripts/build-bins.sh (components oidc,
# oauth2-proxy; built here on first use).
#
#   idp.sh oidc-start  [--port 5556] [--issuer URL] [--dir DIR] [--log-dir DIR]
#                      [--config FILE | --config-json JSON]
#                      [--redirect-uri URI]... [--post-logout-uri URI]...
#       Writes the provider's config to DIR/oidc.json (FILE or JSON as given, else the default
#       config below with the given redirect URIs), starts the provider on 127.0.0.1:PORT with
#       issuer URL (default http://127.0.0.1:PORT) and waits for
#       /.well-known/openid-configuration.
#   idp.sh oidc-stop   [--dir DIR]        idp.sh oidc-status [--dir DIR]   (exit 0 / 3)
#
#   idp.sh proxy-start --upstream URL [--port 4180] [--issuer URL] [--dir DIR] [--log-dir DIR]
#                      [--client-id ID] [--client-secret SECRET] [--redirect-url URL]
#                      [-- EXTRA oauth2-proxy FLAGS...]
#       Starts oauth2-proxy on 127.0.0.1:PORT in front of URL, signing in with the provider at
#       the issuer (default: the one oidc-start recorded in DIR) as client ID/SECRET (default:
#       the first client of DIR/oidc.json), callback URL default
#       http://127.0.0.1:PORT/oauth2/callback; waits for /ping. Sign-in:
#       http://127.0.0.1:PORT/oauth2/start?rd=/path (or any protected path: with
#       --skip-provider-button it redirects straight to the provider's login form); sign-out:
#       http://127.0.0.1:PORT/oauth2/sign_out[?rd=/path] (clears the cookie; through
#       --backend-logout-url the provider's end_session revokes the user's tokens; the provider
#       keeps no login session, so the next sign-in shows its form again).
#       The upstream gets X-Forwarded-User = the ID token's `sub` (not the email),
#       X-Forwarded-Email, X-Forwarded-Groups (comma-joined; absent when the user has none),
#       X-Forwarded-Preferred-Username; a client's own values of these are stripped. CAUTION:
#       with `-- --prefer-email-to-user` X-Forwarded-User carries the email and oauth2-proxy
#       no longer sets NOR strips X-Forwarded-Email, so a client's forged one passes through.
#   idp.sh proxy-stop  [--dir DIR]        idp.sh proxy-status [--dir DIR]  (exit 0 / 3)
#
#   idp.sh start --upstream URL [--oidc-port P] [--proxy-port P] [--dir DIR] [--log-dir DIR]
#                [--config FILE | --config-json JSON | [--redirect-uri URI]... [--post-logout-uri URI]...]
#                both; the default config registers the proxy's callback plus the given URIs
#   idp.sh stop [--dir DIR]                                  both
#   idp.sh default-config [--issuer URL] [--redirect-uri URI]... [--post-logout-uri URI]...
#                                                            print the default config
#
# Sourcing the script defines the same as functions (idp_oidc_start, idp_oidc_stop,
# idp_oidc_status, idp_proxy_start, idp_proxy_stop, idp_proxy_status, idp_start, idp_stop,
# idp_default_config), taking the same options.
#
# Defaults: DIR $GC_IDP_DIR or .local/idp, log dir $GC_IDP_LOG_DIR or .local/logs (logs
# oidc.log and oauth2-proxy.log, appended), ports $GC_OIDC_PORT or 5556 and
# $GC_OAUTH2_PROXY_PORT or 4180. State in DIR: oidc.json, oidc.pid, oidc.issuer,
# oauth2-proxy.pid, oauth2-proxy.cookie-secret (32 random bytes, kept across restarts so
# sessions survive), oauth2-proxy.client-secret.
#
# Config JSON (dev/build/oidc/main.go has the details):
#   {"issuer": "http://127.0.0.1:5556", "port": 5556,            (optional; flags win)
#    "id_token_lifetime": "1h", "access_token_lifetime": "1h",   (optional, default 1h)
#    "clients": [{"id": "...", "secret": "...", "redirect_uris": ["..."],
#                 "post_logout_redirect_uris": ["..."]}],
#    "users": [{"username": "...", "password": "...", "email": "...", "name": "...",
#               "groups": ["..."], "sub": "optional, default a UUID derived from username"}]}
#
# Default config users (idp.sh default-config): alice / alice-password (groups gc-admins,
# bookinfo-operators), bob / bob-password (gc-viewers), carol / carol-password (no groups);
# emails <name>@example.test; client gray-console / gray-console-dev-secret.
#
# The provider's login form: input#username, input#password, button[type=submit] ("Login").

_idp_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=lib/daemon.sh
source "$_idp_root/dev/scripts/lib/daemon.sh"

# daemon.sh calls these for the daemon named by the caller's (dynamically scoped) locals.
daemon_owns() { grep -qF -- "$OWN_MARK" "/proc/$1/cmdline" 2>/dev/null; }
daemon_healthy() { curl -fsS --max-time 2 -o /dev/null "$HEALTH_URL" 2>/dev/null; }

IDP_DEFAULT_CLIENT_ID=gray-console
IDP_DEFAULT_CLIENT_SECRET=gray-console-dev-secret

_idp_die() { printf '[idp] %s\n' "$*" >&2; return 1; }

# _idp_bin NAME: path of the binary, building the component on first use.
_idp_bin() {
  local bin=$_idp_root/.cache/bin/$1
  if [ ! -x "$bin" ]; then
    printf '[idp] %s is not built yet; building it (dev/scripts/build-bins.sh %s)\n' "$1" "$1" >&2
    local cache_root=${GRAY_CONSOLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gray-console}
    mkdir -p "$cache_root"
    if command -v flock >/dev/null 2>&1; then
      flock "$cache_root/build-bins.lock" bash "$_idp_root/dev/scripts/build-bins.sh" "$1" >&2 || return 1
    else
      bash "$_idp_root/dev/scripts/build-bins.sh" "$1" >&2 || return 1
    fi
  fi
  [ -x "$bin" ] || { _idp_die "$bin missing after the build"; return 1; }
  echo "$bin"
}

_idp_port_busy() { curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null; }

# idp_default_config [--issuer URL] [--redirect-uri URI]... [--post-logout-uri URI]...
# Users: alice (gc-admins, bookinfo-operators), bob (gc-viewers), carol (no groups);
# password <name>-password. Client gray-console / gray-console-dev-secret.
idp_default_config() {
  local issuer="" redirects=() post=()
  while [ $# -gt 0 ]; do
    case $1 in
      --issuer) issuer=$2; shift 2 ;;
      --redirect-uri) redirects+=("$2"); shift 2 ;;
      --post-logout-uri) post+=("$2"); shift 2 ;;
      *) _idp_die "default-config: unknown option $1"; return 2 ;;
    esac
  done
  [ ${#redirects[@]} -gt 0 ] || redirects=("http://127.0.0.1:${GC_OAUTH2_PROXY_PORT:-4180}/oauth2/callback")
  jq -n --arg issuer "$issuer" --arg id "$IDP_DEFAULT_CLIENT_ID" --arg secret "$IDP_DEFAULT_CLIENT_SECRET" \
    --args '$ARGS.positional as $a | {
      clients: [{id: $id, secret: $secret,
                 redirect_uris: [$a[] | select(startswith("R:")) | .[2:]],
                 post_logout_redirect_uris: [$a[] | select(startswith("P:")) | .[2:]]}],
      users: [
        {username: "alice", password: "alice-password", email: "alice@example.test",
         name: "Alice Admin", groups: ["gc-admins", "bookinfo-operators"]},
        {username: "bob", password: "bob-password", email: "bob@example.test",
         name: "Bob Viewer", groups: ["gc-viewers"]},
        {username: "carol", password: "carol-password", email: "carol@example.test",
         name: "Carol Nogroup", groups: []}
      ]} + (if $issuer == "" then {} else {issuer: $issuer} end)' \
    "${redirects[@]/#/R:}" ${post[@]+"${post[@]/#/P:}"}
}

# idp_oidc_start: see the header.
idp_oidc_start() {
  local port=${GC_OIDC_PORT:-5556} issuer="" dir=${GC_IDP_DIR:-$_idp_root/.local/idp}
  local logdir=${GC_IDP_LOG_DIR:-$_idp_root/.local/logs} config_file="" config_json="" defargs=()
  while [ $# -gt 0 ]; do
    case $1 in
      --port) port=$2; shift 2 ;;
      --issuer) issuer=$2; shift 2 ;;
      --dir) dir=$2; shift 2 ;;
      --log-dir) logdir=$2; shift 2 ;;
      --config) config_file=$2; shift 2 ;;
      --config-json) config_json=$2; shift 2 ;;
      --redirect-uri | --post-logout-uri) defargs+=("$1" "$2"); shift 2 ;;
      *) _idp_die "oidc-start: unknown option $1"; return 2 ;;
    esac
  done
  [ -n "$issuer" ] || issuer=http://127.0.0.1:$port
  mkdir -p "$dir" "$logdir"
  dir=$(cd "$dir" && pwd)
  local NAME=oidc PIDFILE=$dir/oidc.pid LOG=$logdir/oidc.log URL=$issuer
  local OWN_MARK=$dir/oidc.json HEALTH_URL=http://127.0.0.1:$port/.well-known/openid-configuration
  local pid
  if pid=$(daemon_running_pid); then
    daemon_log "already running (pid $pid) on $(cat "$dir/oidc.issuer" 2>/dev/null); stop it first to change its config"
    return 0
  fi
  if _idp_port_busy "$port"; then
    daemon_log "something else already answers on 127.0.0.1:$port"
    return 1
  fi
  local bin
  bin=$(_idp_bin oidc) || return 1
  local tmp=$dir/oidc.json.tmp
  if [ -n "$config_file" ]; then
    cp "$config_file" "$tmp" || return 1
  elif [ -n "$config_json" ]; then
    printf '%s\n' "$config_json" >"$tmp"
  else
    idp_default_config ${defargs[@]+"${defargs[@]}"} >"$tmp" || return 1
  fi
  jq -e '.clients | length > 0' "$tmp" >/dev/null 2>&1 || { rm -f "$tmp"; _idp_die "oidc-start: the config is not JSON with a non-empty \"clients\""; return 1; }
  chmod 600 "$tmp" && mv "$tmp" "$dir/oidc.json"
  printf '%s\n' "$issuer" >"$dir/oidc.issuer"
  # setsid: the provider outlives the shell that started it.
  daemon_spawn "$LOG" "$bin" --config "$dir/oidc.json" --issuer "$issuer" --port "$port" || return 1
  daemon_wait_healthy 30 || return 1
  daemon_log "ready (pid $(cat "$PIDFILE")): issuer $issuer, config $dir/oidc.json, log $LOG"
}

_idp_dir_opt() {
  # sets dir from --dir (the only option of stop/status)
  dir=${GC_IDP_DIR:-$_idp_root/.local/idp}
  while [ $# -gt 0 ]; do
    case $1 in
      --dir) dir=$2; shift 2 ;;
      *) _idp_die "unknown option $1"; return 2 ;;
    esac
  done
  [ -d "$dir" ] && dir=$(cd "$dir" && pwd)
  return 0
}

_idp_oidc_vars() {
  NAME=oidc PIDFILE=$dir/oidc.pid OWN_MARK=$dir/oidc.json LOG=/dev/null
  URL=$(cat "$dir/oidc.issuer" 2>/dev/null || echo "http://127.0.0.1:${GC_OIDC_PORT:-5556}")
  HEALTH_URL=http://127.0.0.1:$(_idp_url_port "$URL")/.well-known/openid-configuration
}

_idp_url_port() { # the port of an http URL (default 80)
  local hostport=${1#*://}
  hostport=${hostport%%/*}
  case $hostport in *:*) echo "${hostport##*:}" ;; *) echo 80 ;; esac
}

idp_oidc_stop() {
  local dir NAME PIDFILE OWN_MARK LOG URL HEALTH_URL
  _idp_dir_opt "$@" || return $?
  _idp_oidc_vars
  daemon_stop 50
}

idp_oidc_status() {
  local dir NAME PIDFILE OWN_MARK LOG URL HEALTH_URL
  _idp_dir_opt "$@" || return $?
  _idp_oidc_vars
  daemon_status
}

# idp_proxy_start: see the header.
idp_proxy_start() {
  local port=${GC_OAUTH2_PROXY_PORT:-4180} issuer="" dir=${GC_IDP_DIR:-$_idp_root/.local/idp}
  local logdir=${GC_IDP_LOG_DIR:-$_idp_root/.local/logs} upstream="" client_id="" client_secret="" redirect_url=""
  local extra=()
  while [ $# -gt 0 ]; do
    case $1 in
      --port) port=$2; shift 2 ;;
      --issuer) issuer=$2; shift 2 ;;
      --dir) dir=$2; shift 2 ;;
      --log-dir) logdir=$2; shift 2 ;;
      --upstream) upstream=$2; shift 2 ;;
      --client-id) client_id=$2; shift 2 ;;
      --client-secret) client_secret=$2; shift 2 ;;
      --redirect-url) redirect_url=$2; shift 2 ;;
      --) shift; extra=("$@"); break ;;
      *) _idp_die "proxy-start: unknown option $1"; return 2 ;;
    esac
  done
  [ -n "$upstream" ] || { _idp_die "proxy-start: --upstream URL is required"; return 2; }
  mkdir -p "$dir" "$logdir"
  dir=$(cd "$dir" && pwd)
  if [ -z "$issuer" ]; then
    issuer=$(cat "$dir/oidc.issuer" 2>/dev/null) || { _idp_die "proxy-start: no --issuer and no provider started in $dir"; return 2; }
  fi
  if [ -z "$client_id" ] && [ -f "$dir/oidc.json" ]; then
    client_id=$(jq -r '.clients[0].id' "$dir/oidc.json")
    [ -n "$client_secret" ] || client_secret=$(jq -r '.clients[0].secret' "$dir/oidc.json")
  fi
  [ -n "$client_id" ] && [ -n "$client_secret" ] || { _idp_die "proxy-start: --client-id and --client-secret are required (no $dir/oidc.json)"; return 2; }
  [ -n "$redirect_url" ] || redirect_url=http://127.0.0.1:$port/oauth2/callback

  local NAME=oauth2-proxy PIDFILE=$dir/oauth2-proxy.pid LOG=$logdir/oauth2-proxy.log URL=http://127.0.0.1:$port
  local OWN_MARK=$dir/oauth2-proxy.cookie-secret HEALTH_URL=http://127.0.0.1:$port/ping
  local pid
  if pid=$(daemon_running_pid); then
    daemon_log "already running (pid $pid) on $URL; stop it first to change its flags"
    return 0
  fi
  if _idp_port_busy "$port"; then
    daemon_log "something else already answers on 127.0.0.1:$port"
    return 1
  fi
  # oauth2-proxy reads the discovery document at start-up and exits when it cannot.
  curl -fsS --max-time 5 -o /dev/null "${issuer%/}/.well-known/openid-configuration" ||
    { daemon_log "the provider at $issuer does not answer (start it first: idp.sh oidc-start)"; return 1; }
  local bin
  bin=$(_idp_bin oauth2-proxy) || return 1
  # 32 random bytes, base64url: oauth2-proxy decodes it to a 32-byte AES key. Kept across
  # restarts so that the browser's session cookie stays valid.
  if [ ! -s "$dir/oauth2-proxy.cookie-secret" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=' >"$dir/oauth2-proxy.cookie-secret")
  fi
  (umask 077 && printf '%s' "$client_secret" >"$dir/oauth2-proxy.client-secret")
  local issuer_hostport=${issuer#*://}
  issuer_hostport=${issuer_hostport%%/*}
  # --backend-logout-url: /oauth2/sign_out also ends the provider's session of this id_token
  # (its end_session revokes the client's tokens of that user).
  # --whitelist-domain: /oauth2/sign_out?rd=<issuer>/end_session?... may leave to the provider.
  daemon_spawn "$LOG" "$bin" \
    --provider=oidc \
    --provider-display-name="gray-console dev OIDC" \
    --oidc-issuer-url="$issuer" \
    --client-id="$client_id" \
    --client-secret-file="$dir/oauth2-proxy.client-secret" \
    --cookie-secret-file="$dir/oauth2-proxy.cookie-secret" \
    --cookie-secure=false \
    --cookie-name=_oauth2_proxy_$port \
    --email-domain='*' \
    --upstream="$upstream" \
    --http-address="127.0.0.1:$port" \
    --redirect-url="$redirect_url" \
    --scope="openid email profile groups" \
    --oidc-groups-claim=groups \
    --code-challenge-method=S256 \
    --pass-user-headers=true \
    --skip-provider-button=true \
    --backend-logout-url="${issuer%/}/end_session?id_token_hint={id_token}" \
    --whitelist-domain="$issuer_hostport" \
    ${extra[@]+"${extra[@]}"} || return 1
  daemon_wait_healthy 30 || return 1
  daemon_log "ready (pid $(cat "$PIDFILE")) on $URL -> $upstream; sign in $URL/oauth2/start, sign out $URL/oauth2/sign_out; log $LOG"
}

_idp_proxy_vars() {
  NAME=oauth2-proxy PIDFILE=$dir/oauth2-proxy.pid OWN_MARK=$dir/oauth2-proxy.cookie-secret LOG=/dev/null
  local port=${GC_OAUTH2_PROXY_PORT:-4180} pid
  # the port the running instance listens on, from its command line
  if [ -f "$PIDFILE" ] && pid=$(cat "$PIDFILE") && [ -r "/proc/$pid/cmdline" ]; then
    local addr
    addr=$(tr '\0' '\n' <"/proc/$pid/cmdline" | sed -n 's/^--http-address=//p' | tail -n1)
    [ -n "$addr" ] && port=${addr##*:}
  fi
  URL=http://127.0.0.1:$port HEALTH_URL=http://127.0.0.1:$port/ping
}

idp_proxy_stop() {
  local dir NAME PIDFILE OWN_MARK LOG URL HEALTH_URL
  _idp_dir_opt "$@" || return $?
  _idp_proxy_vars
  daemon_stop 50
}

idp_proxy_status() {
  local dir NAME PIDFILE OWN_MARK LOG URL HEALTH_URL
  _idp_dir_opt "$@" || return $?
  _idp_proxy_vars
  daemon_status
}

# idp_start: see the header.
idp_start() {
  local oidc_port=${GC_OIDC_PORT:-5556} proxy_port=${GC_OAUTH2_PROXY_PORT:-4180} common=() cfg=() defs=() upstream=""
  while [ $# -gt 0 ]; do
    case $1 in
      --oidc-port) oidc_port=$2; shift 2 ;;
      --proxy-port) proxy_port=$2; shift 2 ;;
      --dir | --log-dir) common+=("$1" "$2"); shift 2 ;;
      --config | --config-json) cfg+=("$1" "$2"); shift 2 ;;
      --redirect-uri | --post-logout-uri) defs+=("$1" "$2"); shift 2 ;;
      --upstream) upstream=$2; shift 2 ;;
      *) _idp_die "start: unknown option $1"; return 2 ;;
    esac
  done
  [ ${#cfg[@]} -gt 0 ] || cfg=(--redirect-uri "http://127.0.0.1:$proxy_port/oauth2/callback" ${defs[@]+"${defs[@]}"})
  idp_oidc_start --port "$oidc_port" ${common[@]+"${common[@]}"} "${cfg[@]}" || return 1
  idp_proxy_start --port "$proxy_port" --upstream "$upstream" ${common[@]+"${common[@]}"}
}

# idp_stop [--dir DIR]: the proxy first (it may call the provider while signing out).
idp_stop() {
  local rc=0
  idp_proxy_stop "$@" || rc=1
  idp_oidc_stop "$@" || rc=1
  return $rc
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  cmd=${1:-}
  [ $# -gt 0 ] && shift
  case $cmd in
    oidc-start) idp_oidc_start "$@" ;;
    oidc-stop) idp_oidc_stop "$@" ;;
    oidc-status) idp_oidc_status "$@" ;;
    proxy-start) idp_proxy_start "$@" ;;
    proxy-stop) idp_proxy_stop "$@" ;;
    proxy-status) idp_proxy_status "$@" ;;
    start) idp_start "$@" ;;
    stop) idp_stop "$@" ;;
    default-config) idp_default_config "$@" ;;
    *)
      sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//' >&2
      exit 2
      ;;
  esac
fi
