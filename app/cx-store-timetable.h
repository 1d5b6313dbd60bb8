/* cx-store-timetable.h: the shared timetable (大课表) and the school's own entries */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

typedef enum
{
  CX_ACTIVITY_SYNC_CLASSROOM,   /* 城乡同步课堂 */
  CX_ACTIVITY_REMOTE_DELIVERY,  /* 远程专递课堂 */
  CX_ACTIVITY_MASTER_CLASSROOM, /* 名师网络课堂 */
  CX_ACTIVITY_ONLINE_RESEARCH,  /* 教师网络研修 */
  CX_ACTIVITY_LOCAL,
} CxActivityForm;

typedef enum
{
  CX_TIMETABLE_FROM_HUB,
  CX_TIMETABLE_FROM_SCHOOL,
} CxTimetableOrigin;

typedef struct
{
  gint64 id;
  char *uuid;
  CxActivityForm form;
  char *subject;
  char *class_name;
  char *teacher;
  char *partner_school;
  gint64 starts_at;
  gint64 ends_at;
  char *package_key;
  char *unit;
  gint64 lesson_plan_id;
  CxTimetableOrigin origin;
  gint64 revision;
  gboolean dirty;
  char *conflict;   /* the hub's version (JSON) of an entry whose change it refused */
  char *live_url;   /* the live stream or meeting of a synchronous class: http(s), or "" */
  char *fallback;   /* a file of the entry's package (like "unit-2/lesson-2/静夜思.webm")
                     * offered when the stream cannot be reached, or "" */
  gboolean deleted; /* removed here; kept only until the hub knows (a tombstone) */
} CxTimetableEntry;

void cx_timetable_entry_free (CxTimetableEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxTimetableEntry, cx_timetable_entry_free)

const char *cx_activity_form_to_string (CxActivityForm form);
const char *cx_activity_form_get_label (CxActivityForm form);
gboolean cx_activity_form_from_string (const char *text, CxActivityForm *out_form);

CxTimetableEntry *cx_timetable_entry_copy (const CxTimetableEntry *entry);
CxTimetableEntry *cx_timetable_entry_get_hub_version (const CxTimetableEntry *entry);

/* What people do: add, change and remove the school's own entries. The
 * district's (origin hub) are read-only here. */
gint64 cx_store_save_timetable_entry (CxStore *self, const CxTimetableEntry *entry, GError **error);
gboolean
cx_store_edit_timetable_entry (CxStore *self, const CxTimetableEntry *entry, GError **error);
gboolean cx_store_delete_timetable_entry (CxStore *self, const char *uuid, GError **error);

CxTimetableEntry *cx_store_get_timetable_entry (CxStore *self, const char *uuid, GError **error);
GPtrArray *cx_store_list_timetable (CxStore *self, gint64 from, gint64 to, GError **error);
GPtrArray *cx_store_list_timetable_conflicts (CxStore *self, GError **error);

/* What sync does; see cx-sync-timetable.c. */
GPtrArray *cx_store_list_timetable_to_push (CxStore *self, GError **error);
gboolean cx_store_apply_hub_timetable_entry (CxStore *self,
                                             const CxTimetableEntry *remote,
                                             const char *remote_json,
                                             gboolean *out_conflict,
                                             GError **error);
gboolean
cx_store_timetable_entry_pushed (CxStore *self, const char *uuid, gint64 revision, GError **error);
gboolean cx_store_timetable_entry_conflicts (CxStore *self,
                                             const char *uuid,
                                             const char *remote_json,
                                             GError **error);
gboolean cx_store_forget_timetable_entry (CxStore *self, const char *uuid, GError **error);

G_END_DECLS
