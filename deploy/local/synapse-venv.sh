#!/usr/bin/env bash
# Creates the Python venv holding Synapse, the real Matrix homeserver the
# integration tests start (tests/util/synapse.rs). Idempotent: a fast no-op when
# the pinned version is already installed.
#
# Location: $CONFIDANT_SYNAPSE_VENV, default .venv-synapse/ at the repo root.
set -euo pipefail

# Pinned so every machine tests against the same homeserver behaviour.
SYNAPSE_REQ="matrix-synapse==1.163.2"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${CONFIDANT_SYNAPSE_VENV:-$repo_root/.venv-synapse}"
stamp="$venv/.confidant-synapse"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$SYNAPSE_REQ" && -x "$venv/bin/python" ]]; then
    exit 0
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "error: '$python -m venv' is not usable (modules venv/ensurepip missing)." >&2
    echo "       On Debian/Ubuntu: apt-get install python3-venv" >&2
    exit 1
fi

echo "synapse-venv: installing $SYNAPSE_REQ into $venv" >&2
if [[ ! -x "$venv/bin/python" ]]; then
    if ! "$python" -m venv "$venv"; then
        rm -rf "$venv"
        echo "error: '$python -m venv $venv' failed; on Debian/Ubuntu: apt-get install python3-venv" >&2
        exit 1
    fi
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "$SYNAPSE_REQ"
"$venv/bin/python" -c 'import synapse.app.homeserver' # fails loudly if the install is broken
echo "$SYNAPSE_REQ" >"$stamp"
echo "synapse-venv: ready ($("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("matrix-synapse"))'))" >&2
