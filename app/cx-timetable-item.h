/* cx-timetable-item.h: one timetable entry as an object, for list models
 *
 * The front ends show the timetable as GListModels of these. An item holds
 * the entry as the store returned it, so fields it does not know of survive
 * an edit that starts from it.
 */
#pragma once

#include <gio/gio.h>

#include "cx-store-timetable.h"

G_BEGIN_DECLS

/* The fields a person reads and the two versions of a conflict may differ in. */
typedef enum
{
  CX_TIMETABLE_FIELD_FORM = 1 << 0,
  CX_TIMETABLE_FIELD_SUBJECT = 1 << 1,
  CX_TIMETABLE_FIELD_CLASS = 1 << 2,
  CX_TIMETABLE_FIELD_TEACHER = 1 << 3,
  CX_TIMETABLE_FIELD_PARTNER = 1 << 4,
  CX_TIMETABLE_FIELD_STARTS = 1 << 5,
  CX_TIMETABLE_FIELD_ENDS = 1 << 6,
  CX_TIMETABLE_FIELD_PACKAGE = 1 << 7,
  CX_TIMETABLE_FIELD_UNIT = 1 << 8,
  CX_TIMETABLE_FIELD_LIVE_URL = 1 << 9,
  CX_TIMETABLE_FIELD_FALLBACK = 1 << 10,
} CxTimetableFields;

#define CX_TYPE_TIMETABLE_ITEM (cx_timetable_item_get_type ())
G_DECLARE_FINAL_TYPE (CxTimetableItem, cx_timetable_item, CX, TIMETABLE_ITEM, GObject)

CxTimetableItem *cx_timetable_item_new (CxTimetableEntry *entry);
const CxTimetableEntry *cx_timetable_item_get_entry (CxTimetableItem *self);
const char *cx_timetable_item_get_uuid (CxTimetableItem *self);
gboolean cx_timetable_item_is_live (CxTimetableItem *self);
gboolean cx_timetable_item_can_edit (CxTimetableItem *self);
CxTimetableItem *cx_timetable_item_get_hub_version (CxTimetableItem *self, GError **error);
CxTimetableFields cx_timetable_item_compare (CxTimetableItem *self, CxTimetableItem *other);

GListModel *cx_timetable_list_items (CxStore *store, gint64 from, gint64 to, GError **error);
GListModel *cx_timetable_list_conflicts (CxStore *store, GError **error);
CxTimetableItem *cx_timetable_find_item (CxStore *store, const char *uuid, GError **error);

G_END_DECLS
