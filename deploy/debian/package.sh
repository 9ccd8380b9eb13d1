#!/usr/bin/env bash
# Builds confidant's Debian package with cargo-deb (installed first if missing, at the
# version this was checked with):
#   deploy/debian/package.sh                     # release build (about 30 min on 2 cores)
#   deploy/debian/package.sh --from-test-build   # packs the tests' debug binary (CI)
# The package lands in target/debian/; deploy/debian/check-package.sh checks it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

version="3.8.0"
if ! cargo deb --version 2>/dev/null | grep -q "$version"; then
    echo "package: installing cargo-deb $version (about 2 minutes)" >&2
    cargo install --locked --quiet cargo-deb --version "$version"
fi

case "${1:-}" in
--from-test-build)
    # The binary deploy/local/build.sh made; cargo-deb warns that dev builds are not
    # for release, which this is not.
    cargo deb --locked --no-build --profile dev 2>&1 | grep -v "dev profile is not supported\|To enable debug symbols" >&2 || true
    ;;
"") cargo deb --locked ;;
*)
    echo "usage: package.sh [--from-test-build]" >&2
    exit 2
    ;;
esac
ls -t target/debian/confidant_*.deb | head -n 1
