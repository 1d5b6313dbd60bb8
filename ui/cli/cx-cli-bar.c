/* cx-cli-bar.c: "Reading the usage journal [#####     ] 48%" on a terminal
 *
 * Scripts and logs see nothing: the bar is drawn only when standard error
 * is a terminal, and wiped when done so later lines start clean.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cx-cli-bar.h"

#define BAR_WIDTH 30

struct _CxCliBar
{
  char *label;
  gboolean terminal;
  gboolean drawn;
};

/* Returns: (transfer full): a bar, drawn by cx_cli_bar_update() */
CxCliBar *
cx_cli_bar_new (const char *label)
{
  CxCliBar *self = g_new0 (CxCliBar, 1);

  self->label = g_strdup (label);
  self->terminal = isatty (STDERR_FILENO);
  return self;
}

/* A CxReportProgressFunc: @user_data is the bar. */
void
cx_cli_bar_update (guint64 done, guint64 total, gpointer user_data)
{
  CxCliBar *self = user_data;
  char bar[BAR_WIDTH + 1];
  int filled;

  if (!self->terminal || total == 0)
    return;
  filled = (int) (BAR_WIDTH * MIN (done, total) / total);
  memset (bar, '#', filled);
  memset (bar + filled, ' ', BAR_WIDTH - filled);
  bar[BAR_WIDTH] = '\0';
  fprintf (stderr, "\r%s [%s] %3d%%", self->label, bar, (int) (100 * MIN (done, total) / total));
  fflush (stderr);
  self->drawn = TRUE;
}

void
cx_cli_bar_free (CxCliBar *self)
{
  if (self == NULL)
    return;
  if (self->drawn)
    fputs ("\r\033[K", stderr);
  g_free (self->label);
  g_free (self);
}
