#!/bin/sh
# Runs inside a private mount namespace (unshare -rm): the laptop's store
# lives on a small tmpfs, so the disk can really fill up.
#
# Usage: check-disk-full.sh SCRATCH HUB_URL PUBKEY PACKAGE SOURCE_DIR
set -eu

scratch=$1 url=$2 key=$3 package=$4 src=$5
cli=${CUNXIAO_CLI:?}

fail () { echo "FAIL: $*" >&2; exit 1; }

# 1. Too little space from the start: refused before anything is fetched.
small=$scratch/small-disk
mkdir -p "$small"
mount -t tmpfs -o size=16m tmpfs "$small"
"$cli" --data-dir "$small/store" init >/dev/null
"$cli" --data-dir "$small/store" hub add "$url" --key "$key" >/dev/null
if "$cli" --data-dir "$small/store" packages install "$package" >"$scratch/out" 2>"$scratch/err"; then
  fail "install succeeded on a 16 MB disk"
fi
grep -q "disk space" "$scratch/err" || fail "no disk-space message: $(cat "$scratch/err")"
[ -z "$(ls -A "$small/store/content/staging")" ] || fail "something was fetched anyway"
echo "refused up front: $(cat "$scratch/err")"

# 2. The disk fills while the install runs (another program takes the space).
disk=$scratch/disk
mkdir -p "$disk"
mount -t tmpfs -o size=80m tmpfs "$disk"
store=$disk/store
"$cli" --data-dir "$store" init >/dev/null
"$cli" --data-dir "$store" hub add "$url" --key "$key" >/dev/null

"$cli" --data-dir "$store" packages install "$package" >"$scratch/out" 2>"$scratch/err" &
install=$!
# Wait until chunks are arriving, then fill the disk to the last byte.
tries=0
until [ -n "$(find "$store/content/staging" -type f 2>/dev/null | head -n 1)" ]; do
  tries=$((tries + 1))
  [ $tries -lt 200 ] || fail "no chunk arrived"
  sleep 0.05
done
dd if=/dev/zero of="$disk/filler" bs=64k 2>/dev/null || true
if wait $install; then
  fail "install succeeded on a full disk"
fi
grep -q "disk is full" "$scratch/err" || fail "no disk-full message: $(cat "$scratch/err")"
echo "paused: $(cat "$scratch/err")"
if "$cli" --data-dir "$store" packages list | grep -q "$package"; then
  fail "a half-installed package is listed"
fi

# 3. Space comes back: the install finishes from where it stopped.
rm -f "$disk/filler"
"$cli" --data-dir "$store" packages install "$package" >"$scratch/out" 2>"$scratch/err" ||
  fail "install after freeing space: $(cat "$scratch/err")"
cat "$scratch/out"
tree=$(find "$store/content/trees" -mindepth 1 -maxdepth 1 -type d ! -name '.*')
[ "$(echo "$tree" | wc -l)" -eq 1 ] || fail "expected one installed tree, got: $tree"
diff -r --exclude=package.json "$src" "$tree" || fail "installed tree differs from the source"
echo "ok"
