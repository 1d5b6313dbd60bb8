/* cx-sync-window.h: the hours of the day a school lets syncs use the link */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Minutes after local midnight; start == end means all day. A window may
 * run past midnight (18:00-07:00). */
typedef struct
{
  guint start;
  guint end;
} CxSyncWindow;

#define CX_SYNC_WINDOW_ALL_DAY ((CxSyncWindow){ 0, 0 })

gboolean cx_sync_window_parse (const char *text, CxSyncWindow *out_window, GError **error);
char *cx_sync_window_to_string (const CxSyncWindow *window);
gboolean cx_sync_window_is_all_day (const CxSyncWindow *window);
gboolean cx_sync_window_contains (const CxSyncWindow *window, guint minute_of_day);
guint cx_sync_window_minutes_until_open (const CxSyncWindow *window, guint minute_of_day);

G_END_DECLS
