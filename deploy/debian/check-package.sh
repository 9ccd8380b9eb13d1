#!/usr/bin/env bash
# Checks a built confidant .deb the way an administrator's machine would meet it:
# unpacks it into a scratch root and checks the files and their modes, the conffiles, the
# maintainer scripts, and the units (`systemd-analyze verify`, and `systemd-analyze
# security` at most 2.0 exposure).
#   deploy/debian/check-package.sh target/debian/confidant_*.deb
set -euo pipefail

deb="${1:?usage: check-package.sh PACKAGE.deb}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fail() {
    echo "check-package: $*" >&2
    exit 1
}

dpkg-deb --info "$deb" >"$scratch/info"
dpkg-deb -x "$deb" "$scratch/root"
dpkg-deb -e "$deb" "$scratch/control"
root="$scratch/root"

mode() { stat -c '%a' "$root/$1"; }
expect_mode() {
    [[ -e "$root/$1" ]] || fail "missing: /$1"
    [[ "$(mode "$1")" == "$2" ]] || fail "/$1 has mode $(mode "$1"), not $2"
}
expect_mode usr/bin/confidant 755
expect_mode etc/confidant/config.toml 640
expect_mode etc/confidant/secrets.env 600
expect_mode lib/systemd/system/confidant.service 644
expect_mode lib/systemd/system/confidant-alert.service 644
expect_mode usr/share/confidant/dialogs/intake.toml 644
for lang in en nl; do
    ls "$root/usr/share/confidant/locales/$lang/"*.ftl >/dev/null || fail "no $lang texts"
done
grep -qx /etc/confidant/config.toml "$scratch/control/conffiles" || fail "config.toml is not a conffile"
grep -qx /etc/confidant/secrets.env "$scratch/control/conffiles" || fail "secrets.env is not a conffile"
for script in postinst prerm postrm; do
    [[ -x "$scratch/control/$script" ]] || fail "no executable $script"
    sh -n "$scratch/control/$script" || fail "$script does not parse"
done
grep -q "adduser --system" "$scratch/control/postinst" || fail "postinst makes no system user"
grep -q "^ *Depends:.*adduser" "$scratch/info" || fail "does not depend on adduser"

# The packaged binary runs, and checks the packaged config against the packaged content
# (pointed at the scratch root; secrets missing, as in a fresh install).
"$root/usr/bin/confidant" --version >/dev/null || fail "the binary does not run"
sed -e "s#/usr/share/confidant#$root/usr/share/confidant#g" \
    -e "s#/etc/confidant/master.key#$scratch/master.key#" \
    -e "s#/var/lib/confidant#$scratch/data#" \
    "$root/etc/confidant/config.toml" >"$scratch/config.toml"
"$root/usr/bin/confidant" keygen --out "$scratch/master.key" >/dev/null
out="$(CONFIDANT_TELEGRAM_TOKEN=1:x CONFIDANT_MATRIX_STORE_PASSPHRASE=p \
    "$root/usr/bin/confidant" check-config --config "$scratch/config.toml" 2>&1)" ||
    fail "the packaged config does not check: $out"

# The units: verified with their commands pointed at the scratch root, and rated.
units="$scratch/units"
mkdir -p "$units"
for unit in confidant.service confidant-alert.service; do
    sed "s#/usr/bin/confidant#$root/usr/bin/confidant#g" \
        "$root/lib/systemd/system/$unit" >"$units/$unit"
done
(cd "$units" && systemd-analyze verify confidant.service confidant-alert.service) ||
    fail "systemd-analyze verify found problems"
exposure="$(systemd-analyze security --offline=yes "$units/confidant.service" 2>/dev/null |
    sed -n 's/.*Overall exposure level for confidant.service: \([0-9.]*\).*/\1/p')"
[[ -n "$exposure" ]] || fail "systemd-analyze security gave no rating"
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "exposure $exposure is above 2.0"
echo "check-package: $deb is sound (unit exposure $exposure)"
