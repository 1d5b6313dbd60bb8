#!/bin/sh
# Runs one UI test script against a real X server (Xvfb) and a private D-Bus
# session bus with the accessibility bus on it, as the README's test command
# does on a clean Debian 12.
set -eu
script=${1:?usage: run-ui-test.sh SCRIPT}
export GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=0 GTK_A11Y=atspi
# A display number of our own: other X servers may be starting at :99 now.
exec xvfb-run --auto-servernum --server-num=$((100 + $$ % 800)) \
  --server-args="-screen 0 1280x800x24" \
  dbus-run-session -- /usr/bin/python3 "$script"
