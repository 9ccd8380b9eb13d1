#!/usr/bin/env bash
# The local demo in one command: a real Synapse homeserver, the Telegram Bot API
# stand-in (whose page at / is an employee's phone), the confidant bot, and the
# counsellor console (a small web stand-in for Element) logged in as counsellor Anna.
#
#   deploy/local/demo.sh        # then open the two URLs it prints; Ctrl-C stops it all
#
# Everything it makes lives under deploy/local/run/ (git-ignored): config, secrets and
# master key are kept; the homeserver, the bot's data and Anna's device start afresh
# on every run, because the Telegram stand-in forgets all chats when stopped
# (DEMO_KEEP=1 keeps them anyway). Logs: deploy/local/run/*.log. Re-running is safe;
# if a port is taken it says which and stops. Ports can be moved with
# DEMO_SYNAPSE_PORT (8008), DEMO_TELEGRAM_PORT (8081) and DEMO_CONSOLE_PORT (8082);
# DEMO_LANGUAGE (en or nl) picks the language the bot starts in. Works without a
# terminal too (CI, nohup): SIGTERM stops it as Ctrl-C does, and if any part dies,
# the rest is stopped.

# Functions run from traps and through wait_for look unreachable to shellcheck.
# shellcheck disable=SC2317
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
run="$repo_root/deploy/local/run"

synapse_port="${DEMO_SYNAPSE_PORT:-8008}"
telegram_port="${DEMO_TELEGRAM_PORT:-8081}"
console_port="${DEMO_CONSOLE_PORT:-8082}"
language="${DEMO_LANGUAGE:-en}"
telegram_token="123456:demo"
server_name="localhost"
bot_user="@confidant:$server_name"
counsellor_user="@anna:$server_name"

# Nothing here leaves this machine; a proxy from the environment must not catch it.
export NO_PROXY="127.0.0.1,localhost,::1${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

# Never fatal: when the terminal or a `| tee` is gone, stopping must still go on.
say() { printf 'demo: %s\n' "$*" >&2 || true; }
die() {
    printf 'demo: error: %s\n' "$*" >&2
    exit 1
}

for var in synapse_port telegram_port console_port; do
    if ! [[ "${!var}" =~ ^[0-9]+$ ]] || ((${!var} < 1 || ${!var} > 65535)); then
        die "DEMO_${var^^} must be a port number, not '${!var}'"
    fi
done
[[ "$language" == en || "$language" == nl ]] || die "DEMO_LANGUAGE must be en or nl"

# Any answer on 127.0.0.1:PORT means someone else listens there.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for pair in "Synapse:$synapse_port:DEMO_SYNAPSE_PORT" \
    "Telegram stand-in:$telegram_port:DEMO_TELEGRAM_PORT" \
    "counsellor console:$console_port:DEMO_CONSOLE_PORT"; do
    IFS=: read -r what port var <<<"$pair"
    if port_taken "$port"; then
        die "port $port (for the $what) is already in use, perhaps by an earlier demo still running. Stop that, or pick another port: $var=NNNN $0"
    fi
done

# ---------------------------------------------------------------- children and stopping
pids=()
names=()

# Running, and not merely a zombie waiting to be reaped.
alive() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ "${stat%% *}" != Z ]]
}

stop_all() {
    trap - EXIT INT TERM
    # Ctrl-C may have ended a `| tee` reading our output; writing to it then must
    # not kill this script before the children are stopped.
    trap '' PIPE
    ((${#pids[@]})) || return 0
    say "stopping"
    # Newest first: the bot before the homeserver it saves its state to, Synapse last.
    local i pid
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid="${pids[$i]}"
        kill -TERM "$pid" 2>/dev/null || continue
        # Each finishes writing within a few seconds; don't wait forever.
        for _ in $(seq 100); do
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then
            kill -KILL "$pid" 2>/dev/null || true
            say "${names[$i]} did not stop within 10 s; killed it"
        fi
    done
    wait 2>/dev/null || true
    say "stopped"
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM

# start NAME LOGFILE COMMAND...: runs COMMAND in the background, output to LOGFILE.
start() {
    local name="$1" log="$2"
    shift 2
    "$@" </dev/null >"$log" 2>&1 &
    pids+=($!)
    names+=("$name")
}

last_pid() { echo "${pids[-1]}"; }

# wait_for NAME PID LOG SECONDS CHECK...: until CHECK succeeds, or PID dies, or time runs out.
wait_for() {
    local name="$1" pid="$2" log="$3" deadline=$((SECONDS + $4))
    shift 4
    until "$@"; do
        if ! alive "$pid"; then
            tail -n 30 "$log" >&2 || true
            die "$name exited during start-up; its log: ${log#"$repo_root"/}"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 30 "$log" >&2 || true
            die "$name did not come up within $4 s; its log: ${log#"$repo_root"/}"
        fi
        sleep 0.3
    done
}

# ---------------------------------------------------------------- Synapse venv and binaries
say "checking the Synapse venv (the first run installs it with pip: a few minutes)"
deploy/local/synapse-venv.sh
venv="${CONFIDANT_SYNAPSE_VENV:-$repo_root/.venv-synapse}"
py="$venv/bin/python"

# 200 from URL, ignoring any proxy; the venv's python is the one HTTP client we are sure of.
http_ok() {
    "$py" - "$1" <<'EOF'
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    with opener.open(sys.argv[1], timeout=3) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except Exception:
    sys.exit(1)
EOF
}

say "building confidant, telegram-standin and counsellor-console (the tests' build: deploy/local/build.sh)"
deploy/local/build.sh
target_dir="$(cargo metadata --format-version 1 --no-deps |
    "$py" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/debug"

# ---------------------------------------------------------------- state and secrets
mkdir -p "$run"
chmod 700 "$run"
secrets="$run/secrets.env"
if [[ ! -f "$secrets" ]]; then
    random() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }
    (
        umask 077
        cat >"$secrets" <<EOF
REGISTRATION_SECRET=$(random)
BOT_PASSWORD=$(random)
ANNA_PASSWORD=$(random)
STORE_PASSPHRASE=$(random)
EOF
    )
    # Accounts made with other passwords would refuse these.
    rm -rf "$run/synapse"
fi
# shellcheck source=/dev/null
source "$secrets"

# The Telegram stand-in keeps nothing when it stops: its chats are gone and its update
# ids start from a new random number. A bot and homeserver that remember the last run
# would hold cases whose chats no longer exist (and case rooms Anna can no longer use),
# and the bot could wait for update ids the new stand-in never reaches. So each run
# starts empty, unless DEMO_KEEP=1 asks to keep the homeserver, the bot's data and
# Anna's device (e.g. to see what the bot does after a restart).
if [[ "${DEMO_KEEP:-}" == 1 && -f "$run/synapse/homeserver.db" ]]; then
    say "DEMO_KEEP=1: keeping the homeserver, the bot's data and Anna's device from the last run"
else
    rm -rf "$run/synapse" "$run/confidant-data" "$run/console-anna"
fi

# ---------------------------------------------------------------- Synapse
synapse_dir="$run/synapse"
mkdir -p "$synapse_dir"
if [[ ! -f "$synapse_dir/signing.key" ]]; then
    "$py" -c 'import base64, os; print("ed25519 a_demo " + base64.b64encode(os.urandom(32)).decode().rstrip("="))' \
        >"$synapse_dir/signing.key"
fi
# Written on every run, so a changed port or a newer script takes effect. Rate limits
# are lifted: one person clicking fast through a demo must never see M_LIMIT_EXCEEDED.
huge="{per_second: 100000, burst_count: 100000}"
cat >"$synapse_dir/homeserver.yaml" <<EOF
# Generated by deploy/local/demo.sh on every run; edits are overwritten.
server_name: "$server_name"
public_baseurl: "http://127.0.0.1:$synapse_port/"
pid_file: "$synapse_dir/homeserver.pid"
listeners:
  - port: $synapse_port
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "$synapse_dir/homeserver.db"
media_store_path: "$synapse_dir/media"
signing_key_path: "$synapse_dir/signing.key"
# No federation: no other servers' keys to fetch, none to talk to, nothing to report.
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
report_stats: false
enable_metrics: false
registration_shared_secret: "$REGISTRATION_SECRET"
enable_registration: false
bcrypt_rounds: 4
presence:
  enabled: false
rc_message: $huge
rc_registration: $huge
rc_registration_token_validity: $huge
rc_admin_redaction: $huge
rc_key_requests: $huge
rc_3pid_validation: $huge
rc_third_party_invite: $huge
rc_media_create: $huge
rc_delayed_event_mgmt: $huge
rc_room_creation: $huge
rc_reports: $huge
rc_user_directory: $huge
rc_profile: $huge
rc_joins_per_room: $huge
rc_login:
  address: $huge
  account: $huge
  failed_attempts: $huge
rc_joins:
  local: $huge
  remote: $huge
rc_invites:
  per_room: $huge
  per_user: $huge
  per_issuer: $huge
rc_presence:
  per_user: $huge
EOF

synapse_url="http://127.0.0.1:$synapse_port"
say "starting Synapse on $synapse_url"
start synapse "$run/synapse.log" "$py" -m synapse.app.homeserver -c "$synapse_dir/homeserver.yaml"
wait_for Synapse "$(last_pid)" "$run/synapse.log" 120 http_ok "$synapse_url/_matrix/client/versions"

# register LOCALPART PASSWORD: creates the account unless it exists.
register() {
    local out
    if out="$("$venv/bin/register_new_matrix_user" -u "$1" -p "$2" --no-admin \
        -k "$REGISTRATION_SECRET" "$synapse_url" 2>&1)"; then
        say "registered @$1:$server_name"
    elif grep -qi "already taken\|in use" <<<"$out"; then
        : # registered on an earlier run
    else
        printf '%s\n' "$out" >&2
        die "could not register @$1:$server_name"
    fi
}
register confidant "$BOT_PASSWORD"
register anna "$ANNA_PASSWORD"

# ---------------------------------------------------------------- the bot's config
if [[ ! -f "$run/master.key" ]]; then
    "$bin/confidant" keygen --out "$run/master.key"
fi
config="$run/config.toml"
(
    umask 077
    cat >"$config" <<EOF
# Generated by deploy/local/demo.sh on every run; edits are overwritten.
# Format: deploy/config.example.toml.
[organisation]
name = "Demo BV"
timezone = "Europe/Amsterdam"
default_language = "$language"
counsellor_language = "$language"

[storage]
data_dir = "$run/confidant-data"
master_key_file = "$run/master.key"

[content]
dialogs = "$repo_root/dialogs"
locales = "$repo_root/locales"

[telegram]
api_url = "http://127.0.0.1:$telegram_port"
token = "$telegram_token"
poll_timeout_seconds = 30

[matrix]
homeserver_url = "$synapse_url"
user_id = "$bot_user"
password = "$BOT_PASSWORD"
store_passphrase = "$STORE_PASSPHRASE"
device_name = "confidant (demo)"

[[counsellor]]
matrix_id = "$counsellor_user"
first_name = "Anna"
gender = "female"
kind = "internal"
languages = ["nl", "en"]
max_open_cases = 15
EOF
)
"$bin/confidant" check-config --config "$config"

# ---------------------------------------------------------------- the other three
phone_url="http://127.0.0.1:$telegram_port/"
console_url="http://127.0.0.1:$console_port/"

say "starting the Telegram stand-in on $phone_url"
start telegram-standin "$run/telegram-standin.log" \
    "$bin/telegram-standin" --listen "127.0.0.1:$telegram_port" --token "$telegram_token"
wait_for "the Telegram stand-in" "$(last_pid)" "$run/telegram-standin.log" 30 \
    http_ok "${phone_url}control/overview"

# Before the bot: Anna's device keys should be on the server before any case room
# is created for her, as a real counsellor's would be.
say "starting the counsellor console for Anna on $console_url"
# The password goes by environment, not argv, which any local user can read in ps.
export COUNSELLOR_CONSOLE_PASSWORD="$ANNA_PASSWORD"
start counsellor-console "$run/counsellor-console.log" \
    "$bin/counsellor-console" --homeserver "$synapse_url" --user "$counsellor_user" \
    --store "$run/console-anna" --listen "127.0.0.1:$console_port" --display-name Anna
unset COUNSELLOR_CONSOLE_PASSWORD
wait_for "the counsellor console" "$(last_pid)" "$run/counsellor-console.log" 60 \
    http_ok "${console_url}api/overview"

say "starting the bot"
start confidant "$run/confidant.log" "$bin/confidant" run --config "$config"
wait_for "the bot" "$(last_pid)" "$run/confidant.log" 60 \
    grep -q "confidant is running" "$run/confidant.log"

cat <<EOF

  The confidant demo is running.

  Employee's phone:   $phone_url
  Counsellor (Anna):  $console_url
  Logs:               deploy/local/run/*.log
  Stop:               Ctrl-C

  On the phone, send /start and follow the bot; when you send the report, a case
  room named by its token appears in Anna's console. Whatever Anna writes there
  reaches the phone; lines starting with ! are commands for the bot (try !help).

EOF

# Until Ctrl-C/SIGTERM (the traps) or until any child dies, which stops the rest.
wait -n "${pids[@]}" || true
for i in "${!pids[@]}"; do
    if ! alive "${pids[$i]}"; then
        say "${names[$i]} stopped unexpectedly; its log is in deploy/local/run/"
    fi
done
exit 1
