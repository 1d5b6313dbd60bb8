/* cx-usage-events.h: the usage events the monthly report needs, written the same way everywhere
 *
 * The GTK app and the command line record through these, so every event
 * carries what docs/report.md says it must: a class of the timetable
 * names its entry with the entry's form, subject, class and teacher, so
 * that the hub, which may not know a school's own entries, can count it.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cx-store.h"

G_BEGIN_DECLS

gint64 cx_usage_events_record_lesson_prepared (CxStore *store,
                                               gint64 plan_id,
                                               const char *teacher,
                                               GError **error);
gboolean cx_usage_events_describe_entry (CxStore *store,
                                         const char *uuid,
                                         JsonBuilder *payload,
                                         GError **error);

gboolean cx_usage_events_describe_lesson (
    CxStore *store, gint64 plan_id, gint64 now, JsonBuilder *payload, GError **error);

G_END_DECLS
