#!/bin/sh
# Runs one UI test script against a real X server (Xvfb) and a private D-Bus
# session bus with the accessibility bus on it, as the README's test command
# does on a clean Debian 12.
#
# Xvfb picks a free display itself (-displayfd) and says which once it
# accepts connections, so two runs at once cannot race for a number. It
# must not reset when its last client leaves (the accessibility bus's
# launcher is one): a window opened during a reset finds no display.
set -eu
script=${1:?usage: run-ui-test.sh SCRIPT}
export GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=0 GTK_A11Y=atspi
tmp=$(mktemp -d)
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$tmp/display" 2>"$tmp/xvfb.log" &
xvfb_pid=$!
i=0
until [ -s "$tmp/display" ]; do
  if ! kill -0 "$xvfb_pid" 2>/dev/null || [ $i -ge 300 ]; then
    echo "Xvfb did not start:" >&2
    cat "$tmp/xvfb.log" >&2
    exit 1
  fi
  sleep 0.1
  i=$((i + 1))
done
DISPLAY=:$(head -n1 "$tmp/display")
export DISPLAY

dbus-run-session -- /usr/bin/python3 "$script"
