/* cx-student-events.h: what student mode records in the usage journal
 *
 * Two events, for the school's usage reports: a resource opened in student
 * mode, and work handed in. Each names the class and, when the timetable
 * has an entry of that class running at the time, that entry and its
 * activity form, so a report can count pupils per 同步课堂, 专递课堂, ….
 * The pupil is named only when the school turned on the store setting
 * CX_SETTING_RECORD_PUPIL_NAMES; otherwise nothing in the event says who.
 */
#pragma once

#include "cx-store-hand-ins.h"

G_BEGIN_DECLS

#define CX_STUDENT_EVENT_RESOURCE_OPENED "student.resource.opened"
#define CX_STUDENT_EVENT_HAND_IN         "student.hand-in"

gint64 cx_student_events_record_resource_opened (CxStore *store,
                                                 const char *class_name,
                                                 const char *pupil,
                                                 gint64 resource_id,
                                                 const char *title,
                                                 const char *kind,
                                                 gint64 now,
                                                 GError **error);
gint64
cx_student_events_record_hand_in (CxStore *store, gint64 hand_in_id, gint64 now, GError **error);

G_END_DECLS
