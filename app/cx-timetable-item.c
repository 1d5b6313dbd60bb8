/* cx-timetable-item.c: one timetable entry as an object, for list models */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-timetable-item.h"

struct _CxTimetableItem
{
  GObject parent_instance;

  CxTimetableEntry *entry;
};

G_DEFINE_FINAL_TYPE (CxTimetableItem, cx_timetable_item, G_TYPE_OBJECT)

static void
cx_timetable_item_finalize (GObject *object)
{
  g_clear_pointer (&CX_TIMETABLE_ITEM (object)->entry, cx_timetable_entry_free);
  G_OBJECT_CLASS (cx_timetable_item_parent_class)->finalize (object);
}

static void
cx_timetable_item_class_init (CxTimetableItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_timetable_item_finalize;
}

static void
cx_timetable_item_init (CxTimetableItem *self)
{
}

/**
 * cx_timetable_item_new:
 * @entry: (transfer full): the entry, as the store returned it
 */
CxTimetableItem *
cx_timetable_item_new (CxTimetableEntry *entry)
{
  CxTimetableItem *self;

  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (CX_TYPE_TIMETABLE_ITEM, NULL);
  self->entry = entry;
  return self;
}

const CxTimetableEntry *
cx_timetable_item_get_entry (CxTimetableItem *self)
{
  g_return_val_if_fail (CX_IS_TIMETABLE_ITEM (self), NULL);
  return self->entry;
}

const char *
cx_timetable_item_get_uuid (CxTimetableItem *self)
{
  g_return_val_if_fail (CX_IS_TIMETABLE_ITEM (self), NULL);
  return self->entry->uuid;
}

/**
 * cx_timetable_item_is_live:
 *
 * Returns: whether the class is taught live at its time, so that missing
 *   its start means missing it: the synchronous classroom and the
 *   master-teacher classroom
 */
gboolean
cx_timetable_item_is_live (CxTimetableItem *self)
{
  g_return_val_if_fail (CX_IS_TIMETABLE_ITEM (self), FALSE);
  return self->entry->form == CX_ACTIVITY_SYNC_CLASSROOM ||
         self->entry->form == CX_ACTIVITY_MASTER_CLASSROOM;
}

/* The district's entries are the hub's to change; the school's are its own. */
gboolean
cx_timetable_item_can_edit (CxTimetableItem *self)
{
  g_return_val_if_fail (CX_IS_TIMETABLE_ITEM (self), FALSE);
  return self->entry->origin == CX_TIMETABLE_FROM_SCHOOL;
}

/**
 * cx_timetable_item_get_hub_version:
 *
 * For an entry changed both here and at the hub: the hub's version, as
 * kept beside this computer's when the hub refused the change (its
 * @deleted set when the hub removed the entry). It keeps this computer's
 * lesson plan, which never travels.
 *
 * Returns: (transfer full): the hub's version, or %NULL with @error set when
 *   there is no conflict or the hub did not say what it holds
 */
CxTimetableItem *
cx_timetable_item_get_hub_version (CxTimetableItem *self, GError **error)
{
  CxTimetableEntry *hub;

  g_return_val_if_fail (CX_IS_TIMETABLE_ITEM (self), NULL);

  hub = cx_timetable_entry_get_hub_version (self->entry);
  if (hub == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           self->entry->conflict == NULL
                               ? _ ("This timetable entry has no conflict with the hub")
                               : _ ("The hub’s version of this entry cannot be read"));
      return NULL;
    }
  return cx_timetable_item_new (hub);
}

static gboolean
same_text (const char *a, const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Returns: the fields in which the two versions of an entry differ */
CxTimetableFields
cx_timetable_item_compare (CxTimetableItem *self, CxTimetableItem *other)
{
  const CxTimetableEntry *a, *b;
  CxTimetableFields fields = 0;

  g_return_val_if_fail (CX_IS_TIMETABLE_ITEM (self), 0);
  g_return_val_if_fail (CX_IS_TIMETABLE_ITEM (other), 0);

  a = self->entry;
  b = other->entry;
  if (a->form != b->form)
    fields |= CX_TIMETABLE_FIELD_FORM;
  if (!same_text (a->subject, b->subject))
    fields |= CX_TIMETABLE_FIELD_SUBJECT;
  if (!same_text (a->class_name, b->class_name))
    fields |= CX_TIMETABLE_FIELD_CLASS;
  if (!same_text (a->teacher, b->teacher))
    fields |= CX_TIMETABLE_FIELD_TEACHER;
  if (!same_text (a->partner_school, b->partner_school))
    fields |= CX_TIMETABLE_FIELD_PARTNER;
  if (a->starts_at != b->starts_at)
    fields |= CX_TIMETABLE_FIELD_STARTS;
  if (a->ends_at != b->ends_at)
    fields |= CX_TIMETABLE_FIELD_ENDS;
  if (!same_text (a->package_key, b->package_key))
    fields |= CX_TIMETABLE_FIELD_PACKAGE;
  if (!same_text (a->unit, b->unit))
    fields |= CX_TIMETABLE_FIELD_UNIT;
  if (!same_text (a->live_url, b->live_url))
    fields |= CX_TIMETABLE_FIELD_LIVE_URL;
  if (!same_text (a->fallback, b->fallback))
    fields |= CX_TIMETABLE_FIELD_FALLBACK;
  return fields;
}

/* The entries as a list model of #CxTimetableItem, which take them over. */
static GListModel *
items_of (GPtrArray *entries)
{
  GListStore *list = g_list_store_new (CX_TYPE_TIMETABLE_ITEM);

  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr (CxTimetableItem) item =
          cx_timetable_item_new (g_steal_pointer (&g_ptr_array_index (entries, i)));

      g_list_store_append (list, item);
    }
  return G_LIST_MODEL (list);
}

/**
 * cx_timetable_list_items:
 * @from: start of the window, in seconds since the epoch
 * @to: end of the window
 *
 * Returns: (transfer full): a list model of #CxTimetableItem, the entries
 *   that overlap [@from, @to) in start order, or %NULL with @error set
 */
GListModel *
cx_timetable_list_items (CxStore *store, gint64 from, gint64 to, GError **error)
{
  g_autoptr (GPtrArray) entries = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), NULL);

  entries = cx_store_list_timetable (store, from, to, error);
  return entries != NULL ? items_of (entries) : NULL;
}

/**
 * cx_timetable_list_conflicts:
 *
 * Returns: (transfer full): a list model of the #CxTimetableItem entries
 *   changed both here and at the hub, whenever they are, in start order; or
 *   %NULL with @error set
 */
GListModel *
cx_timetable_list_conflicts (CxStore *store, GError **error)
{
  g_autoptr (GPtrArray) entries = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), NULL);

  entries = cx_store_list_timetable_conflicts (store, error);
  return entries != NULL ? items_of (entries) : NULL;
}

/**
 * cx_timetable_find_item:
 *
 * Returns: (transfer full): the entry @uuid, or %NULL with @error set
 *   (%CX_STORE_ERROR_NOT_FOUND when it is not, or no longer, on the timetable)
 */
CxTimetableItem *
cx_timetable_find_item (CxStore *store, const char *uuid, GError **error)
{
  g_autoptr (CxTimetableEntry) entry = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  entry = cx_store_get_timetable_entry (store, uuid, error);
  if (entry == NULL)
    return NULL;
  if (entry->deleted)
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                           _ ("This entry is no longer on the timetable"));
      return NULL;
    }
  return cx_timetable_item_new (g_steal_pointer (&entry));
}
