/* cx-cli-progress.c: a redrawn bar on a terminal, a line per step otherwise */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "cx-cli-progress.h"

#define BAR_WIDTH 24
/* Redraw at most this often: a terminal over a slow SSH link matters too. */
#define REDRAW_INTERVAL_US (G_USEC_PER_SEC / 5)

struct _CxCliProgress
{
  gboolean terminal;
  gboolean drawn;
  CxInstallPhase phase;
  gint64 last_draw;
  int last_decile;
};

CxCliProgress *
cx_cli_progress_new (void)
{
  CxCliProgress *self = g_new0 (CxCliProgress, 1);

  self->terminal = isatty (STDOUT_FILENO);
  self->phase = (CxInstallPhase) -1;
  self->last_decile = -1;
  return self;
}

void
cx_cli_progress_free (CxCliProgress *self)
{
  g_free (self);
}

static const char *
phase_label (CxInstallPhase phase)
{
  switch (phase)
    {
    case CX_INSTALL_PHASE_PLANNING:
      return _ ("Checking what is already here");
    case CX_INSTALL_PHASE_DOWNLOADING:
      return _ ("Downloading");
    case CX_INSTALL_PHASE_BUILDING:
      return _ ("Writing files");
    case CX_INSTALL_PHASE_DONE:
    default:
      return _ ("Done");
    }
}

static char *
describe (const CxInstallProgress *p)
{
  g_autofree char *done = g_format_size (p->bytes_done);
  g_autofree char *total = g_format_size (p->bytes_total);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s %s / %s", phase_label (p->phase), done, total);
  if (p->phase == CX_INSTALL_PHASE_DOWNLOADING && p->rate > 0)
    {
      g_autofree char *rate = g_format_size (p->rate);

      /* TRANSLATORS: a transfer rate, like "31.2 kB/s" */
      g_string_append_printf (text, _ (", %s/s"), rate);
    }
  if (p->eta_seconds >= 0)
    g_string_append_printf (text, _ (", %d:%02d left"), (int) (p->eta_seconds / 60),
                            (int) (p->eta_seconds % 60));
  return g_string_free (text, FALSE);
}

void
cx_cli_progress_update (const CxInstallProgress *p, gpointer user_data)
{
  CxCliProgress *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gboolean new_phase = p->phase != self->phase;
  int percent = p->bytes_total > 0 ? (int) (p->bytes_done * 100 / p->bytes_total) : 0;
  g_autofree char *text = NULL;

  if (p->phase == CX_INSTALL_PHASE_DONE)
    return;

  if (self->terminal)
    {
      char bar[BAR_WIDTH + 1];
      int filled = percent * BAR_WIDTH / 100;

      if (!new_phase && now - self->last_draw < REDRAW_INTERVAL_US)
        return;
      if (new_phase && self->drawn)
        g_print ("\n");

      for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '-';
      bar[BAR_WIDTH] = '\0';
      text = describe (p);
      g_print ("\r[%s] %3d%% %s\033[K", bar, percent, text);
      fflush (stdout);
      self->drawn = TRUE;
    }
  else
    {
      /* Logs get a line when a phase starts and every tenth of the way. */
      int decile = percent / 10;

      if (!new_phase && decile == self->last_decile)
        return;
      self->last_decile = decile;
      text = describe (p);
      g_print ("%s (%d%%)\n", text, percent);
    }

  self->phase = p->phase;
  self->last_draw = now;
}

void
cx_cli_progress_finish (CxCliProgress *self)
{
  if (self->terminal && self->drawn)
    g_print ("\n");
  self->drawn = FALSE;
  self->phase = (CxInstallPhase) -1;
  self->last_decile = -1;
}
