/* cx-sync-display.c: how a sync and its progress read to people */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-store.h"
#include "cx-sync-display.h"
#include "cx-sync-error.h"

static gboolean
is_unreachable (const GError *error)
{
  if (error->domain == CX_SYNC_ERROR)
    return error->code == CX_SYNC_ERROR_NETWORK || error->code == CX_SYNC_ERROR_HTTP;
  if (error->domain == G_IO_ERROR)
    return error->code == G_IO_ERROR_HOST_NOT_FOUND || error->code == G_IO_ERROR_TIMED_OUT ||
           error->code == G_IO_ERROR_CONNECTION_REFUSED ||
           error->code == G_IO_ERROR_NETWORK_UNREACHABLE ||
           error->code == G_IO_ERROR_HOST_UNREACHABLE ||
           error->code == G_IO_ERROR_CONNECTION_CLOSED || error->code == G_IO_ERROR_BROKEN_PIPE;
  return FALSE;
}

static gboolean
is_untrusted (const GError *error)
{
  if (error->domain != CX_SYNC_ERROR)
    return FALSE;
  switch ((CxSyncError) error->code)
    {
    case CX_SYNC_ERROR_MALFORMED:
    case CX_SYNC_ERROR_TRUNCATED:
    case CX_SYNC_ERROR_TOO_LARGE:
    case CX_SYNC_ERROR_BAD_KEY:
    case CX_SYNC_ERROR_BAD_SIGNATURE:
    case CX_SYNC_ERROR_UNTRUSTED:
    case CX_SYNC_ERROR_EXPIRED:
    case CX_SYNC_ERROR_ROLLBACK:
    case CX_SYNC_ERROR_WRONG_REPOSITORY:
    case CX_SYNC_ERROR_HASH_MISMATCH:
    case CX_SYNC_ERROR_SIZE_MISMATCH:
    case CX_SYNC_ERROR_BAD_PATH:
    case CX_SYNC_ERROR_CHANGED:
      return TRUE;
    case CX_SYNC_ERROR_FAILED:
    case CX_SYNC_ERROR_INVALID_ARGUMENT:
    case CX_SYNC_ERROR_UNSUPPORTED_VERSION:
    case CX_SYNC_ERROR_NOT_FOUND:
    case CX_SYNC_ERROR_HTTP:
    case CX_SYNC_ERROR_NETWORK:
    case CX_SYNC_ERROR_RANGE_IGNORED:
    case CX_SYNC_ERROR_UNAUTHORIZED:
    case CX_SYNC_ERROR_REFUSED:
    default:
      return FALSE;
    }
}

/* What a failed sync means for the teacher; the error's own message, for
 * whoever looks after the laptops, goes on the line below. */
const char *
cx_sync_display_explain_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return _ ("Sync cancelled. What arrived is kept, and the next sync goes on from there.");
  if (is_unreachable (error))
    return _ ("The hub could not be reached. Everything on this computer still works; sync again "
              "when the network is back.");
  if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNAUTHORIZED))
    return _ ("The hub no longer accepts this computer. Ask the hub’s administrator for a new "
              "enrolment code, and enrol again above.");
  if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_REFUSED))
    return _ ("The hub refused part of the sync. What it accepted is kept.");
  if (is_untrusted (error))
    return _ ("Something the hub sent failed its safety checks and was not used. Nothing on this "
              "computer was changed by it.");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    return _ ("The disk is full. What arrived is kept; free some space and sync again.");
  if (error->domain == CX_STORE_ERROR)
    return _ ("Cunxiao could not read or write its own data on this computer.");
  return _ ("The sync did not finish. Everything on this computer still works.");
}

const char *
cx_sync_display_explain_enrol_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return _ ("Enrolment cancelled.");
  if (is_unreachable (error))
    return _ ("The hub could not be reached. Check the address, and that this computer is on "
              "the same network as the hub.");
  if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_REFUSED))
    return _ ("The hub did not accept this code. Each code works only once; ask the hub’s "
              "administrator for a new one.");
  if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT))
    return _ ("That is not a hub address. It looks like http://10.0.0.2:8080/.");
  return _ ("This computer could not be enrolled.");
}

static char *
format_duration (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup_printf (ngettext ("%u second", "%u seconds", (gulong) seconds),
                            (guint) seconds);
  if (seconds < 3600)
    {
      guint minutes = (guint) ((seconds + 30) / 60);

      return g_strdup_printf (ngettext ("%u minute", "%u minutes", minutes), minutes);
    }
  /* TRANSLATORS: hours and minutes of a download still to go */
  return g_strdup_printf (_ ("%u h %u min"), (guint) (seconds / 3600),
                          (guint) (seconds % 3600 / 60));
}

char *
cx_sync_display_format_when (gint64 unix_time)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (unix_time);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = NULL;
  int day_diff;

  if (when == NULL)
    return g_strdup ("");
  clock = g_date_time_format (when, "%H:%M");
  day_diff = g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (when);
  if (g_date_time_get_year (now) == g_date_time_get_year (when) && day_diff == 0)
    return g_strdup_printf (_ ("Today at %s"), clock);
  if (g_date_time_get_year (now) == g_date_time_get_year (when) && day_diff == 1)
    return g_strdup_printf (_ ("Yesterday at %s"), clock);
  /* TRANSLATORS: when the last sync was, a g_date_time_format() format; in
   * Chinese e.g. "%Y年%-m月%-d日 %H:%M" */
  return g_date_time_format (when, C_ ("last sync", "%-d %B %Y at %H:%M"));
}

char *
cx_sync_display_describe_report (const CxSyncReport *report, gboolean enrolled)
{
  guint events = (guint) MIN (report->events_sent, G_MAXUINT);
  g_autofree char *packages = g_strdup_printf (
      ngettext ("%u package updated", "%u packages updated", report->packages_updated),
      report->packages_updated);
  g_autoptr (GString) text = g_string_new (NULL);

  if (enrolled)
    {
      g_autofree char *sent_events = g_strdup_printf (
          ngettext ("%u usage record sent", "%u usage records sent", events), events);
      g_autofree char *sent_hand_ins =
          g_strdup_printf (ngettext ("%u hand-in sent", "%u hand-ins sent", report->hand_ins_sent),
                           report->hand_ins_sent);

      /* TRANSLATORS: the three parts are e.g. "12 usage records sent",
       * "1 hand-in sent" and "2 packages updated" */
      g_string_append_printf (text, _ ("Sync finished: %s, %s, %s."), sent_events, sent_hand_ins,
                              packages);
    }
  else
    g_string_append_printf (text, _ ("Sync finished: %s."), packages);

  if (report->timetable_conflicts > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (
          text,
          ngettext ("%u timetable entry was changed both here and at the hub; both versions are "
                    "kept.",
                    "%u timetable entries were changed both here and at the hub; both versions "
                    "are kept.",
                    report->timetable_conflicts),
          report->timetable_conflicts);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Downloading is most of a package's time; checking and building the rest. */
double
cx_sync_display_package_fraction (const CxSyncProgress *p)
{
  double part = p->bytes_total > 0 ? (double) p->bytes_done / (double) p->bytes_total : 0.0;

  switch (p->install_step)
    {
    case CX_INSTALL_PHASE_DOWNLOADING:
      return 0.9 * MIN (part, 1.0);
    case CX_INSTALL_PHASE_BUILDING:
      return 0.9 + 0.1 * MIN (part, 1.0);
    case CX_INSTALL_PHASE_DONE:
      return 1.0;
    case CX_INSTALL_PHASE_PLANNING:
    default:
      return 0.0;
    }
}

char *
cx_sync_display_describe_step (const CxSyncProgress *p)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *done = NULL;

  switch (p->install_step)
    {
    case CX_INSTALL_PHASE_PLANNING:
      return g_strdup (_ ("Working out what to fetch"));
    case CX_INSTALL_PHASE_BUILDING:
      return g_strdup (_ ("Checking the files and putting them in place"));
    case CX_INSTALL_PHASE_DONE:
      return g_strdup (_ ("Up to date"));
    case CX_INSTALL_PHASE_DOWNLOADING:
    default:
      break;
    }

  done = g_format_size (p->bytes_done);
  if (p->bytes_total > 0)
    {
      g_autofree char *total = g_format_size (p->bytes_total);

      /* TRANSLATORS: bytes of a package fetched so far, e.g. "1.2 MB of 30 MB" */
      g_string_append_printf (text, _ ("%s of %s"), done, total);
    }
  else
    /* TRANSLATORS: bytes of a package fetched so far, e.g. "1.2 MB received" */
    g_string_append_printf (text, _ ("%s received"), done);
  if (p->bytes_per_second > 0)
    {
      g_autofree char *rate = g_format_size (p->bytes_per_second);

      /* TRANSLATORS: a download rate, e.g. "30 kB/s" */
      g_string_append (text, " · ");
      g_string_append_printf (text, _ ("%s/s"), rate);
    }
  if (p->seconds_left >= 0)
    {
      g_autofree char *left = format_duration (p->seconds_left);

      /* TRANSLATORS: time a download still needs, e.g. "about 3 minutes left" */
      g_string_append (text, " · ");
      g_string_append_printf (text, _ ("about %s left"), left);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * cx_sync_display_describe_progress:
 *
 * Returns: (transfer full): the line that says what a run is doing now
 */
char *
cx_sync_display_describe_progress (const CxSyncProgress *p)
{
  switch (p->phase)
    {
    case CX_SYNC_PHASE_EVENTS:
      return g_strdup (_ ("Sending usage records…"));
    case CX_SYNC_PHASE_HAND_INS:
      return g_strdup (_ ("Sending pupils’ work…"));
    case CX_SYNC_PHASE_TIMETABLE:
      return g_strdup (_ ("Bringing the timetable up to date…"));
    case CX_SYNC_PHASE_PACKAGES:
    default:
      if (p->package_key == NULL)
        return g_strdup (_ ("Asking the hubs what is new…"));
      return g_strdup_printf (_ ("Fetching package %u of %u: %s"), p->package_index + 1,
                              MAX (p->n_packages, p->package_index + 1),
                              p->package_title != NULL ? p->package_title : p->package_key);
    }
}

/**
 * cx_sync_display_fraction:
 *
 * Returns: how much of the run is done, from 0 to 1, or -1 when that is not
 *   known (the bar then pulses)
 */
double
cx_sync_display_fraction (const CxSyncProgress *p)
{
  if (p->phase != CX_SYNC_PHASE_PACKAGES || p->package_key == NULL || p->n_packages == 0)
    return -1;
  return CLAMP ((p->package_index + cx_sync_display_package_fraction (p)) / p->n_packages, 0.0,
                1.0);
}
