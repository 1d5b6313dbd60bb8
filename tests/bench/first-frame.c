/* first-frame.c: how long a program takes to put its window on the screen
 *
 *   first-frame [--timeout S] [--quiet-ms N] [--shots PREFIX] [--keep] -- PROGRAM ARG…
 *
 * Starts PROGRAM and watches the X server: the time from just before the
 * exec to the first top-level window of that process (_NET_WM_PID) being
 * mapped, to the first drawing into it (the X Damage extension), to the
 * first frame whose pixels show content (below its top fifth: at least 32
 * colours and 0.5 % of the pixels off the background: rows of text, not a
 * blank or half-built window), and to the last drawing before --quiet-ms
 * (default 1000) of stillness. Each frame is read back with XGetImage right
 * after its damage arrives; --shots writes PREFIX-first.ppm,
 * PREFIX-content.ppm and PREFIX-settled.ppm. PROGRAM is sent SIGTERM at the
 * end unless --keep is given. Prints one JSON object:
 *
 *   {"pid": …, "mapped_ms": …, "first_frame_ms": …, "content_ms": …,
 *    "settled_ms": …, "frames": …, "width": …, "height": …}
 *
 * Needs the X11 and Xdamage client libraries (libx11-dev, libxdamage-dev).
 */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xdamage.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long
window_pid (Display *dpy, Window win)
{
  Atom pid_atom = XInternAtom (dpy, "_NET_WM_PID", True);
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  long pid = -1;

  if (pid_atom == None)
    return -1;
  if (XGetWindowProperty (dpy, win, pid_atom, 0, 1, False, XA_CARDINAL, &type, &format, &n, &after,
                          &data) == Success &&
      data != NULL && n == 1 && format == 32)
    pid = (long) *(unsigned long *) data;
  if (data != NULL)
    XFree (data);
  return pid;
}

/* Colours counted in an open-addressing table; more than this many is
 * "many" for the test below. */
#define TABLE_SIZE 8192

typedef struct
{
  XImage *image;
  int colours;
  double off_background; /* fraction of the region's pixels */
} Frame;

static void
analyse (Frame *frame)
{
  static uint32_t keys[TABLE_SIZE];
  static uint32_t counts[TABLE_SIZE];
  static uint8_t used[TABLE_SIZE];
  XImage *image = frame->image;
  int y0 = image->height / 5, y1 = image->height - image->height / 20;
  uint32_t best = 0;
  long region = 0;
  int colours = 0;

  memset (used, 0, sizeof used);
  for (int y = y0; y < y1; y++)
    for (int x = 0; x < image->width; x++)
      {
        uint32_t pixel = (uint32_t) XGetPixel (image, x, y) & 0xffffff;
        uint32_t slot = (pixel * 2654435761u) % TABLE_SIZE;

        region++;
        while (used[slot] && keys[slot] != pixel)
          slot = (slot + 1) % TABLE_SIZE;
        if (!used[slot])
          {
            if (colours >= TABLE_SIZE / 2)
              continue; /* enough colours: just don't count the new one */
            used[slot] = 1;
            keys[slot] = pixel;
            counts[slot] = 0;
            colours++;
          }
        if (++counts[slot] > best)
          best = counts[slot];
      }
  frame->colours = colours;
  frame->off_background = region > 0 ? (double) (region - best) / region : 0;
}

static int
has_content (const Frame *frame)
{
  return frame->colours >= 32 && frame->off_background >= 0.005;
}

static void
write_ppm (XImage *image, const char *prefix, const char *which)
{
  char path[4096];
  FILE *f;

  if (prefix == NULL || image == NULL)
    return;
  snprintf (path, sizeof path, "%s-%s.ppm", prefix, which);
  f = fopen (path, "wb");
  if (f == NULL)
    {
      perror (path);
      return;
    }
  fprintf (f, "P6\n%d %d\n255\n", image->width, image->height);
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      {
        unsigned long p = XGetPixel (image, x, y);
        unsigned char rgb[3] = { (p >> 16) & 255, (p >> 8) & 255, p & 255 };

        fwrite (rgb, 1, 3, f);
      }
  fclose (f);
}

/* Nothing drawn yet: one colour everywhere. */
static int
uniform (XImage *image)
{
  unsigned long first = XGetPixel (image, 0, 0);

  for (int y = 0; y < image->height; y += 2)
    for (int x = 0; x < image->width; x += 2)
      if (XGetPixel (image, x, y) != first)
        return 0;
  return 1;
}

static int
ignore_errors (Display *dpy, XErrorEvent *event)
{
  return 0; /* a window gone between its event and our request */
}

int
main (int argc, char **argv)
{
  double timeout_s = 60, quiet_ms = 1000;
  const char *shots = NULL;
  int keep = 0, argi = 1, damage_event, damage_error, status;
  Display *dpy;
  Window root, win = None;
  Damage damage = None;
  double t0, mapped = -1, first = -1, content = -1, last = -1;
  int frames = 0, width = 0, height = 0;
  XImage *first_image = NULL, *content_image = NULL, *last_image = NULL;
  pid_t pid;

  for (; argi < argc && strcmp (argv[argi], "--") != 0; argi++)
    {
      if (strcmp (argv[argi], "--timeout") == 0 && argi + 1 < argc)
        timeout_s = atof (argv[++argi]);
      else if (strcmp (argv[argi], "--quiet-ms") == 0 && argi + 1 < argc)
        quiet_ms = atof (argv[++argi]);
      else if (strcmp (argv[argi], "--shots") == 0 && argi + 1 < argc)
        shots = argv[++argi];
      else if (strcmp (argv[argi], "--keep") == 0)
        keep = 1;
      else
        break;
    }
  if (argi >= argc - 1 || strcmp (argv[argi], "--") != 0)
    {
      fprintf (stderr, "usage: first-frame [--timeout S] [--quiet-ms N] [--shots PREFIX] [--keep]"
                       " -- PROGRAM ARG…\n");
      return 2;
    }
  argi++;

  dpy = XOpenDisplay (NULL);
  if (dpy == NULL)
    {
      fprintf (stderr, "first-frame: cannot open the display\n");
      return 1;
    }
  if (!XDamageQueryExtension (dpy, &damage_event, &damage_error))
    {
      fprintf (stderr, "first-frame: the X server has no Damage extension\n");
      return 1;
    }
  XSetErrorHandler (ignore_errors);
  root = DefaultRootWindow (dpy);
  XSelectInput (dpy, root, SubstructureNotifyMask);
  XSync (dpy, False);

  t0 = now_ms ();
  pid = fork ();
  if (pid < 0)
    {
      perror ("fork");
      return 1;
    }
  if (pid == 0)
    {
      close (ConnectionNumber (dpy));
      execvp (argv[argi], argv + argi);
      perror (argv[argi]);
      _exit (127);
    }

  for (;;)
    {
      double now = now_ms (), wait_ms;
      struct timeval tv;
      fd_set fds;
      int grab = 0;

      if (now - t0 > timeout_s * 1e3)
        break;
      if (last >= 0 && content >= 0 && now - (t0 + last) >= quiet_ms)
        break;
      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          fprintf (stderr, "first-frame: the program exited (status %d)\n", status);
          pid = -1;
          break;
        }

      while (XPending (dpy))
        {
          XEvent event;

          XNextEvent (dpy, &event);
          if (event.type == MapNotify && win == None && !event.xmap.override_redirect &&
              event.xmap.event == root && window_pid (dpy, event.xmap.window) == pid)
            {
              XWindowAttributes attributes;

              mapped = now_ms () - t0;
              win = event.xmap.window;
              damage = XDamageCreate (dpy, win, XDamageReportNonEmpty);
              XGetWindowAttributes (dpy, win, &attributes);
              width = attributes.width;
              height = attributes.height;
              XSync (dpy, False);
              grab = 1; /* it may have drawn before the damage object existed */
            }
          else if (event.type == ConfigureNotify && event.xconfigure.window == win)
            {
              width = event.xconfigure.width;
              height = event.xconfigure.height;
            }
          else if (event.type == damage_event + XDamageNotify &&
                   ((XDamageNotifyEvent *) &event)->drawable == win)
            {
              XDamageSubtract (dpy, damage, None, None);
              grab = 1;
            }
        }

      if (grab && win != None)
        {
          double at = now_ms () - t0;
          XImage *image = XGetImage (dpy, win, 0, 0, width, height, AllPlanes, ZPixmap);
          Frame frame = { image, 0, 0 };

          if (image != NULL)
            {
              analyse (&frame);
              /* A window grabbed before anything was drawn into it is no frame. */
              if (frames > 0 || !uniform (image))
                {
                  frames++;
                  last = at;
                  if (first < 0)
                    {
                      first = at;
                      first_image = image;
                    }
                  if (content < 0 && has_content (&frame))
                    {
                      content = at;
                      content_image = image;
                    }
                  if (last_image != NULL && last_image != first_image &&
                      last_image != content_image)
                    XDestroyImage (last_image);
                  last_image = image;
                }
              else
                XDestroyImage (image);
            }
        }

      wait_ms = 20;
      tv.tv_sec = 0;
      tv.tv_usec = (long) (wait_ms * 1000);
      FD_ZERO (&fds);
      FD_SET (ConnectionNumber (dpy), &fds);
      if (!XPending (dpy))
        select (ConnectionNumber (dpy) + 1, &fds, NULL, NULL, &tv);
    }

  write_ppm (first_image, shots, "first");
  write_ppm (content_image, shots, "content");
  write_ppm (last_image, shots, "settled");
  printf ("{\"pid\": %ld, \"mapped_ms\": %.1f, \"first_frame_ms\": %.1f, \"content_ms\": %.1f,"
          " \"settled_ms\": %.1f, \"frames\": %d, \"width\": %d, \"height\": %d}\n",
          (long) pid, mapped, first, content, last, frames, width, height);
  fflush (stdout);
  if (pid > 0 && !keep)
    {
      kill (pid, SIGTERM);
      for (int i = 0; i < 100 && waitpid (pid, &status, WNOHANG) == 0; i++)
        usleep (50000);
      if (waitpid (pid, &status, WNOHANG) == 0)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
        }
    }
  XCloseDisplay (dpy);
  return content >= 0 ? 0 : 1;
}
