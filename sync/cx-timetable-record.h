/* cx-timetable-record.h: one entry of the shared timetable on the wire (PROTOCOL.md §10.7) */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CX_TIMETABLE_TEXT_MAX     200
#define CX_TIMETABLE_URL_MAX      2048
#define CX_TIMETABLE_FALLBACK_MAX 1024

typedef struct
{
  char *uuid;
  gint64 revision;
  char *form; /* sync-classroom, remote-delivery, master-classroom, online-research, local */
  char *subject;
  char *class_name;
  char *teacher;
  char *partner_school;
  gint64 starts_at;
  gint64 ends_at;
  char *package_key;
  char *unit;
  char *live_url;   /* the live stream or meeting of a synchronous class: http(s), or "" */
  char *fallback;   /* a path inside the package, offered when the stream cannot be reached */
  gboolean deleted; /* a tombstone: the entry was removed, at this revision */
  gboolean own;     /* the reader's school's, which it may change */
} CxTimetableRecord;

void cx_timetable_record_free (CxTimetableRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxTimetableRecord, cx_timetable_record_free)

CxTimetableRecord *cx_timetable_record_new_from_json (JsonObject *object, GError **error);
void cx_timetable_record_add_fields (const CxTimetableRecord *record, JsonBuilder *builder);
char *cx_timetable_record_to_json (const CxTimetableRecord *record);
gboolean cx_timetable_record_same_content (const CxTimetableRecord *a, const CxTimetableRecord *b);

gboolean cx_timetable_check_live_url (const char *url, GError **error);
gboolean cx_timetable_check_fallback (const char *path, GError **error);

G_END_DECLS
