"""Driving the real Cunxiao window through AT-SPI (Debian's python3-pyatspi).

Small helpers shared by the UI tests: waiting for nodes by role and name,
clicking, typing into entries and pressing keys, and screenshots.
"""
import os
import re
import subprocess
import time

import pyatspi

# Names GTK 4.8 falls back to when a widget has no accessible name.
UNNAMED = re.compile(r"^(Gtk|Adw|Cx)[A-Z]")
INTERACTIVE = {"push button", "toggle button", "check box", "radio button", "entry",
               "password text", "spin button", "slider", "combo box", "menu item",
               "page tab", "switch", "link", "text"}


class Timeout(AssertionError):
    pass


def app_named(name, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name == name:
                return app
        time.sleep(0.2)
    raise Timeout("no application %r on the accessibility bus" % name)


def showing(node):
    """On screen now. GTK 4.8 sets no SHOWING state below the window, but
    what is not drawn (a hidden stack page, say) has no size."""
    try:
        extents = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return extents.width > 0 and extents.height > 0
    except Exception:
        return False


def descendants(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        try:
            stack.extend(reversed([c for c in n if c is not None]))
        except Exception:
            pass


def find_all(root, role=None, name=None, visible=True):
    found = []
    for n in descendants(root):
        try:
            if role is not None and n.getRoleName() != role:
                continue
            if name is not None and (n.name != name if isinstance(name, str)
                                     else not name.search(n.name or "")):
                continue
        except Exception:
            continue
        if visible and not showing(n):
            continue
        found.append(n)
    return found


def wait_for(root, role=None, name=None, timeout=15, visible=True):
    end = time.time() + timeout
    while time.time() < end:
        found = find_all(root, role, name, visible)
        if found:
            return found[0]
        time.sleep(0.2)
    raise Timeout("nothing with role %r and name %r appeared" % (role, name))


def wait_gone(root, role=None, name=None, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        if not find_all(root, role, name):
            return
        time.sleep(0.2)
    raise Timeout("%r %r is still there" % (role, name))


def wait_until(predicate, what, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise Timeout("timed out waiting for " + what)


def click(node):
    action = node.queryAction()
    if action.nActions == 0:
        # A GtkMenuButton: the toggle button inside it is what clicks.
        return click(next(c for c in node if c.queryAction().nActions > 0))
    for i in range(action.nActions):
        if action.getName(i) in ("click", "press", "activate", "toggle"):
            action.doAction(i)
            return
    action.doAction(0)


def set_text(node, text):
    node.queryEditableText().setTextContents(text)


def text_of(node):
    t = node.queryText()
    return t.getText(0, t.characterCount)


def point_at(x, y):
    """Moves the pointer: with no window manager, X sends keys to the
    window under it."""
    subprocess.run(["xdotool", "mousemove", str(x), str(y)], check=True)
    time.sleep(0.3)


def center(node):
    """The middle of @node on the screen. With no window manager the window
    sits at the screen's origin, so its own coordinates are the screen's."""
    e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return e.x + e.width // 2, e.y + e.height // 2


def drag(source, target):
    """A real drag and drop with the pointer (XTest through xdotool): press
    on @source, move past the drag threshold in steps, release on @target."""
    (x0, y0), (x1, y1) = center(source), center(target)
    subprocess.run(["xdotool", "mousemove", str(x0), str(y0)], check=True)
    time.sleep(0.3)
    subprocess.run(["xdotool", "mousedown", "1"], check=True)
    steps = 12
    for i in range(1, steps + 1):
        time.sleep(0.05)
        subprocess.run(["xdotool", "mousemove", str(x0 + (x1 - x0) * i // steps),
                        str(y0 + (y1 - y0) * i // steps)], check=True)
    time.sleep(0.3)
    subprocess.run(["xdotool", "mouseup", "1"], check=True)
    time.sleep(0.3)


def press(key):
    """A real key press through XTest (xdotool): AT-SPI's own key synthesis
    does not reach GTK 4 windows on Debian 12."""
    subprocess.run(["xdotool", "key", key], check=True)
    time.sleep(0.3)


def screenshot(directory, name):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name + ".png")
    subprocess.run(["import", "-window", "root", path], check=True)
    return path


def unnamed_controls(root):
    """Interactive nodes that a screen reader could not name."""
    bad = []
    for n in descendants(root):
        try:
            role = n.getRoleName()
            if role in INTERACTIVE and showing(n) and (not n.name or UNNAMED.match(n.name)):
                bad.append("%s %r under %r" % (role, n.name, n.parent.name if n.parent else None))
        except Exception:
            continue
    return bad
