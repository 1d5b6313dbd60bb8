#!/usr/bin/python3
"""A desktop notification server for UI tests (org.freedesktop.Notifications).

Writes each notification it is sent to LOG as a line of JSON, and clicks one
on request: `gdbus call ... --method org.freedesktop.Notifications.TestClick ID`
makes it emit ActionInvoked(ID, "default"), as a notification daemon does when
the notification itself is clicked.

Usage: fake_notifications.py LOG
"""
import json
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

PATH = "/org/freedesktop/Notifications"
NAME = "org.freedesktop.Notifications"
XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <method name="TestClick"><arg type="u" direction="in"/></method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
</node>
"""

log = open(sys.argv[1], "a", buffering=1)
next_id = [0]


def on_call(connection, sender, path, interface, method, params, invocation):
    if method == "Notify":
        app, replaces, icon, summary, body, actions, hints, timeout = params.unpack()
        next_id[0] += 1
        nid = replaces or next_id[0]
        log.write(json.dumps({"id": nid, "app": app, "summary": summary, "body": body,
                              "actions": actions}, ensure_ascii=False) + "\n")
        invocation.return_value(GLib.Variant("(u)", (nid,)))
    elif method == "GetCapabilities":
        invocation.return_value(GLib.Variant("(as)", (["actions", "body"],)))
    elif method == "GetServerInformation":
        invocation.return_value(GLib.Variant("(ssss)", ("fake", "cunxiao-tests", "1", "1.2")))
    elif method == "CloseNotification":
        invocation.return_value(None)
    elif method == "TestClick":
        (nid,) = params.unpack()
        connection.emit_signal(None, PATH, NAME, "ActionInvoked",
                               GLib.Variant("(us)", (nid, "default")))
        invocation.return_value(None)


def on_bus(connection, name):
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    connection.register_object(PATH, info, on_call, None, None)


def on_name(connection, name):
    print("ready", flush=True)


def on_lost(connection, name):
    print("could not own " + NAME, file=sys.stderr, flush=True)
    sys.exit(1)


Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.NONE, on_bus, on_name, on_lost)
GLib.MainLoop().run()
