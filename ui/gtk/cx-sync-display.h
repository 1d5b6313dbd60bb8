/* cx-sync-display.h: how a sync and its progress read to people
 *
 * Plain functions shared by the Sync page and the window's indicator: the
 * words for what went wrong, what a run did and where it is, and how far
 * along it is.
 */
#pragma once

#include <gio/gio.h>

#include "cx-sync-service.h"

G_BEGIN_DECLS

const char *cx_sync_display_explain_error (const GError *error);
const char *cx_sync_display_explain_enrol_error (const GError *error);
char *cx_sync_display_format_when (gint64 unix_time);
char *cx_sync_display_describe_report (const CxSyncReport *report, gboolean enrolled);
char *cx_sync_display_describe_step (const CxSyncProgress *progress);
char *cx_sync_display_describe_progress (const CxSyncProgress *progress);
double cx_sync_display_package_fraction (const CxSyncProgress *progress);
double cx_sync_display_fraction (const CxSyncProgress *progress);

G_END_DECLS
