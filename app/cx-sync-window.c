/* cx-sync-window.c: parsing and asking a daily sync window */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-store.h"
#include "cx-sync-window.h"

#define MINUTES_PER_DAY (24 * 60)

static gboolean
parse_time (const char *text, guint *out_minute)
{
  guint64 hours, minutes;
  g_auto (GStrv) parts = g_strsplit (text, ":", -1);

  if (g_strv_length (parts) != 2 || strlen (parts[1]) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 24, &hours, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &minutes, NULL) ||
      (hours == 24 && minutes != 0))
    return FALSE;
  *out_minute = (guint) ((hours * 60 + minutes) % MINUTES_PER_DAY);
  return TRUE;
}

/* "HH:MM-HH:MM", or "all-day". */
gboolean
cx_sync_window_parse (const char *text, CxSyncWindow *out_window, GError **error)
{
  g_auto (GStrv) ends = NULL;

  if (g_strcmp0 (text, "all-day") == 0)
    {
      *out_window = CX_SYNC_WINDOW_ALL_DAY;
      return TRUE;
    }
  ends = g_strsplit (text != NULL ? text : "", "-", -1);
  if (g_strv_length (ends) != 2 || !parse_time (ends[0], &out_window->start) ||
      !parse_time (ends[1], &out_window->end))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("“%s” is not a sync window; give it like 18:00-07:00, or all-day"),
                   text != NULL ? text : "");
      return FALSE;
    }
  return TRUE;
}

char *
cx_sync_window_to_string (const CxSyncWindow *window)
{
  if (cx_sync_window_is_all_day (window))
    return g_strdup ("all-day");
  return g_strdup_printf ("%02u:%02u-%02u:%02u", window->start / 60, window->start % 60,
                          window->end / 60, window->end % 60);
}

gboolean
cx_sync_window_is_all_day (const CxSyncWindow *window)
{
  return window->start == window->end;
}

gboolean
cx_sync_window_contains (const CxSyncWindow *window, guint minute_of_day)
{
  if (cx_sync_window_is_all_day (window))
    return TRUE;
  if (window->start < window->end)
    return minute_of_day >= window->start && minute_of_day < window->end;
  /* Past midnight. */
  return minute_of_day >= window->start || minute_of_day < window->end;
}

/* 0 when open now. */
guint
cx_sync_window_minutes_until_open (const CxSyncWindow *window, guint minute_of_day)
{
  if (cx_sync_window_contains (window, minute_of_day))
    return 0;
  return (window->start + MINUTES_PER_DAY - minute_of_day) % MINUTES_PER_DAY;
}
