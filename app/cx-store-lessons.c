/* cx-store-lessons.c: lesson plans and their items in the device store */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-store-lessons.h"
#include "cx-store-private.h"

#define PLAN_COLUMNS                                                                      \
  "id, uuid, author_id, title, class_name, subject, lesson_date, objectives, created_at," \
  " updated_at, upload_state"
#define ITEM_COLUMNS "id, plan_id, position, resource_id, file_path, title, notes"

void
cx_lesson_plan_free (CxLessonPlan *plan)
{
  if (plan == NULL)
    return;

  g_free (plan->uuid);
  g_free (plan->title);
  g_free (plan->class_name);
  g_free (plan->subject);
  g_free (plan->lesson_date);
  g_free (plan->objectives);
  g_free (plan);
}

void
cx_lesson_item_free (CxLessonItem *item)
{
  if (item == NULL)
    return;

  g_free (item->file_path);
  g_free (item->title);
  g_free (item->notes);
  g_free (item);
}

static const char *
or_empty (const char *text)
{
  return text ? text : "";
}

static gboolean
validate_title (const char *title, GError **error)
{
  if (title == NULL || *title == '\0' || !g_utf8_validate (title, -1, NULL))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("A lesson plan and each of its items need a title"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_date (const char *date, GError **error)
{
  g_autoptr (GDateTime) parsed = NULL;
  g_autofree char *iso = NULL;

  if (date == NULL || *date == '\0')
    return TRUE;

  iso = g_strconcat (date, "T00:00:00Z", NULL);
  parsed = g_date_time_new_from_iso8601 (iso, NULL);
  if (parsed == NULL || strlen (date) != 10)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("“%s” is not a date of the form YYYY-MM-DD"), date);
      return FALSE;
    }

  return TRUE;
}

static CxLessonPlan *
plan_from_row (sqlite3_stmt *stmt)
{
  CxLessonPlan *plan = g_new0 (CxLessonPlan, 1);

  plan->id = sqlite3_column_int64 (stmt, 0);
  plan->uuid = _cx_store_column_dup (stmt, 1);
  plan->author_id = sqlite3_column_int64 (stmt, 2);
  plan->title = _cx_store_column_dup (stmt, 3);
  plan->class_name = _cx_store_column_dup (stmt, 4);
  plan->subject = _cx_store_column_dup (stmt, 5);
  plan->lesson_date = _cx_store_column_dup (stmt, 6);
  plan->objectives = _cx_store_column_dup (stmt, 7);
  plan->created_at = sqlite3_column_int64 (stmt, 8);
  plan->updated_at = sqlite3_column_int64 (stmt, 9);
  plan->upload_pending = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 10), "pending") == 0;

  return plan;
}

static CxLessonItem *
item_from_row (sqlite3_stmt *stmt)
{
  CxLessonItem *item = g_new0 (CxLessonItem, 1);

  item->id = sqlite3_column_int64 (stmt, 0);
  item->plan_id = sqlite3_column_int64 (stmt, 1);
  item->position = sqlite3_column_int (stmt, 2);
  item->resource_id = sqlite3_column_int64 (stmt, 3);
  item->file_path = _cx_store_column_dup (stmt, 4);
  item->title = _cx_store_column_dup (stmt, 5);
  item->notes = _cx_store_column_dup (stmt, 6);

  return item;
}

/* Any change to a plan makes it due for upload again. */
static gboolean
touch_plan (CxStore *self, gint64 plan_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  stmt = _cx_store_prepare (self,
                            "UPDATE lesson_plans SET updated_at = max (updated_at + 1, ?2),"
                            " upload_state = 'pending' WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, plan_id);
  sqlite3_bind_int64 (stmt, 2, _cx_store_now ());
  if (!_cx_store_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (_cx_store_get_db (self)) == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("There is no lesson plan %lld"), (long long) plan_id);
      return FALSE;
    }

  return TRUE;
}

static gint64
insert_plan (CxStore *self, const CxLessonPlan *plan, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  gint64 now = _cx_store_now ();

  stmt = _cx_store_prepare (self,
                            "INSERT INTO lesson_plans (uuid, author_id, title, class_name, subject,"
                            "  lesson_date, objectives, created_at, updated_at)"
                            " VALUES (?1, nullif (?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                            error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, plan->author_id);
  sqlite3_bind_text (stmt, 3, plan->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, or_empty (plan->class_name), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, or_empty (plan->subject), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, or_empty (plan->lesson_date), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, or_empty (plan->objectives), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, now);

  if (!_cx_store_step_done (self, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (_cx_store_get_db (self));
}

/**
 * cx_store_create_lesson_plan:
 *
 * Creates a plan from @plan's title, class, subject, date and objectives;
 * it gets a new uuid and is queued for upload.
 *
 * Returns: the new plan's id, or 0 with @error set
 */
gint64
cx_store_create_lesson_plan (CxStore *self, const CxLessonPlan *plan, GError **error)
{
  g_return_val_if_fail (CX_IS_STORE (self), 0);
  g_return_val_if_fail (plan != NULL, 0);

  if (!validate_title (plan->title, error) || !validate_date (plan->lesson_date, error))
    return 0;

  return insert_plan (self, plan, error);
}

/**
 * cx_store_get_lesson_plan:
 *
 * Returns: (transfer full): the plan, or %NULL with %CX_STORE_ERROR_NOT_FOUND
 */
CxLessonPlan *
cx_store_get_lesson_plan (CxStore *self, gint64 plan_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self, "SELECT " PLAN_COLUMNS " FROM lesson_plans WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, plan_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return plan_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                 _ ("There is no lesson plan %lld"), (long long) plan_id);
  else
    _cx_store_set_error (self, error, _ ("Could not read the lesson plans"));
  return NULL;
}

/**
 * cx_store_list_lesson_plans:
 *
 * Returns: (transfer full) (element-type CxLessonPlan): plans, newest date first
 */
GPtrArray *
cx_store_list_lesson_plans (CxStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) plans =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_lesson_plan_free);
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self,
                            "SELECT " PLAN_COLUMNS " FROM lesson_plans"
                            " ORDER BY lesson_date DESC, updated_at DESC, id DESC",
                            error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (plans, plan_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, _ ("Could not read the lesson plans"));
      return NULL;
    }

  return g_steal_pointer (&plans);
}

/**
 * cx_store_add_lesson_item:
 *
 * Appends an item to the end of plan @item->plan_id. The item points at a
 * library resource (@item->resource_id) or at a file the teacher copied into
 * the store (@item->file_path), not both.
 *
 * Returns: the item's id, or 0 with @error set
 */
gint64
cx_store_add_lesson_item (CxStore *self, const CxLessonItem *item, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 id;

  g_return_val_if_fail (CX_IS_STORE (self), 0);
  g_return_val_if_fail (item != NULL, 0);

  if (!validate_title (item->title, error))
    return 0;

  if ((item->resource_id != 0) == (item->file_path != NULL))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("A lesson item shows either a library resource or a file"));
      return 0;
    }

  if (!_cx_store_begin (self, error))
    return 0;

  if (!touch_plan (self, item->plan_id, error))
    goto fail;

  stmt =
      _cx_store_prepare (self,
                         "INSERT INTO lesson_plan_items (plan_id, position, resource_id,"
                         "  file_path, title, notes)"
                         " VALUES (?1, (SELECT count(*) FROM lesson_plan_items WHERE plan_id = ?1),"
                         "  nullif (?2, 0), ?3, ?4, ?5)",
                         error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_int64 (stmt, 1, item->plan_id);
  sqlite3_bind_int64 (stmt, 2, item->resource_id);
  _cx_store_bind_text_or_null (stmt, 3, item->file_path);
  sqlite3_bind_text (stmt, 4, item->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, or_empty (item->notes), -1, SQLITE_TRANSIENT);
  if (!_cx_store_step_done (self, stmt, error))
    goto fail;

  id = sqlite3_last_insert_rowid (_cx_store_get_db (self));
  if (!_cx_store_commit (self, error))
    return 0;
  return id;

fail:
  _cx_store_rollback (self);
  return 0;
}

/**
 * cx_store_list_lesson_items:
 *
 * Returns: (transfer full) (element-type CxLessonItem): the plan's items in order
 */
GPtrArray *
cx_store_list_lesson_items (CxStore *self, gint64 plan_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) items =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_lesson_item_free);
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self,
                            "SELECT " ITEM_COLUMNS " FROM lesson_plan_items"
                            " WHERE plan_id = ?1 ORDER BY position",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, plan_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, _ ("Could not read the lesson items"));
      return NULL;
    }

  return g_steal_pointer (&items);
}

/**
 * cx_store_move_lesson_item:
 * @new_position: 0-based place in the plan; past the end means last
 *
 * Moves one item, shifting the others so positions stay 0, 1, 2, …
 */
gboolean
cx_store_move_lesson_item (CxStore *self, gint64 item_id, int new_position, GError **error)
{
  g_autoptr (sqlite3_stmt) find = NULL;
  g_autoptr (sqlite3_stmt) shift = NULL;
  g_autoptr (sqlite3_stmt) place = NULL;
  gint64 plan_id, count;
  int old_position;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (new_position >= 0, FALSE);

  if (!_cx_store_begin (self, error))
    return FALSE;

  find = _cx_store_prepare (self,
                            "SELECT plan_id, position, (SELECT count(*) FROM lesson_plan_items o"
                            "                           WHERE o.plan_id = i.plan_id)"
                            " FROM lesson_plan_items i WHERE id = ?1",
                            error);
  if (find == NULL)
    goto fail;

  sqlite3_bind_int64 (find, 1, item_id);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("There is no lesson item %lld"), (long long) item_id);
      goto fail;
    }

  plan_id = sqlite3_column_int64 (find, 0);
  old_position = sqlite3_column_int (find, 1);
  count = sqlite3_column_int64 (find, 2);
  new_position = (int) MIN ((gint64) new_position, count - 1);

  shift = _cx_store_prepare (self,
                             "UPDATE lesson_plan_items SET position = position + ?4"
                             " WHERE plan_id = ?1 AND id != ?5 AND position BETWEEN ?2 AND ?3",
                             error);
  if (shift == NULL)
    goto fail;

  sqlite3_bind_int64 (shift, 1, plan_id);
  sqlite3_bind_int (shift, 2, MIN (old_position, new_position));
  sqlite3_bind_int (shift, 3, MAX (old_position, new_position));
  sqlite3_bind_int (shift, 4, new_position < old_position ? 1 : -1);
  sqlite3_bind_int64 (shift, 5, item_id);
  if (!_cx_store_step_done (self, shift, error))
    goto fail;

  place =
      _cx_store_prepare (self, "UPDATE lesson_plan_items SET position = ?2 WHERE id = ?1", error);
  if (place == NULL)
    goto fail;

  sqlite3_bind_int64 (place, 1, item_id);
  sqlite3_bind_int (place, 2, new_position);
  if (!_cx_store_step_done (self, place, error) || !touch_plan (self, plan_id, error))
    goto fail;

  return _cx_store_commit (self, error);

fail:
  _cx_store_rollback (self);
  return FALSE;
}

/**
 * cx_store_duplicate_lesson_plan:
 * @new_title: (nullable): title of the copy, or %NULL to keep the original's
 *
 * Copies a plan and all its items into a new plan with its own uuid.
 *
 * Returns: the copy's id, or 0 with @error set
 */
gint64
cx_store_duplicate_lesson_plan (CxStore *self,
                                gint64 plan_id,
                                const char *new_title,
                                GError **error)
{
  g_autoptr (CxLessonPlan) original = NULL;
  g_autoptr (sqlite3_stmt) copy = NULL;
  gint64 new_id;

  g_return_val_if_fail (CX_IS_STORE (self), 0);

  if (new_title != NULL && !validate_title (new_title, error))
    return 0;

  if (!_cx_store_begin (self, error))
    return 0;

  original = cx_store_get_lesson_plan (self, plan_id, error);
  if (original == NULL)
    goto fail;

  if (new_title != NULL)
    {
      g_free (original->title);
      original->title = g_strdup (new_title);
    }

  new_id = insert_plan (self, original, error);
  if (new_id == 0)
    goto fail;

  copy = _cx_store_prepare (self,
                            "INSERT INTO lesson_plan_items (plan_id, position, resource_id,"
                            "  file_path, title, notes)"
                            " SELECT ?2, position, resource_id, file_path, title, notes"
                            " FROM lesson_plan_items WHERE plan_id = ?1 ORDER BY position",
                            error);
  if (copy == NULL)
    goto fail;

  sqlite3_bind_int64 (copy, 1, plan_id);
  sqlite3_bind_int64 (copy, 2, new_id);
  if (!_cx_store_step_done (self, copy, error) || !_cx_store_commit (self, error))
    goto fail;

  return new_id;

fail:
  _cx_store_rollback (self);
  return 0;
}

/**
 * cx_store_mark_lesson_plan_uploaded:
 * @seen_updated_at: the plan's updated_at when its upload began
 *
 * Marks a plan as uploaded, unless it changed while it was being sent, in
 * which case it stays queued.
 */
gboolean
cx_store_mark_lesson_plan_uploaded (CxStore *self,
                                    gint64 plan_id,
                                    gint64 seen_updated_at,
                                    GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  stmt = _cx_store_prepare (self,
                            "UPDATE lesson_plans SET upload_state = 'uploaded'"
                            " WHERE id = ?1 AND updated_at = ?2",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, plan_id);
  sqlite3_bind_int64 (stmt, 2, seen_updated_at);
  return _cx_store_step_done (self, stmt, error);
}

/**
 * cx_store_update_lesson_plan:
 *
 * Saves @plan's title, class, subject, date and objectives over plan
 * @plan->id and queues it for upload again.
 */
gboolean
cx_store_update_lesson_plan (CxStore *self, const CxLessonPlan *plan, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (plan != NULL, FALSE);

  if (!validate_title (plan->title, error) || !validate_date (plan->lesson_date, error))
    return FALSE;
  if (!_cx_store_begin (self, error))
    return FALSE;

  stmt = _cx_store_prepare (self,
                            "UPDATE lesson_plans SET title = ?2, class_name = ?3, subject = ?4,"
                            "  lesson_date = ?5, objectives = ?6 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, plan->id);
  sqlite3_bind_text (stmt, 2, plan->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, or_empty (plan->class_name), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, or_empty (plan->subject), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, or_empty (plan->lesson_date), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, or_empty (plan->objectives), -1, SQLITE_TRANSIENT);
  if (!_cx_store_step_done (self, stmt, error) || !touch_plan (self, plan->id, error))
    goto fail;
  return _cx_store_commit (self, error);

fail:
  _cx_store_rollback (self);
  return FALSE;
}

/* The plan an item belongs to, or 0 with @error. */
static gint64
item_plan (CxStore *self, gint64 item_id, int *out_position, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  stmt = _cx_store_prepare (self, "SELECT plan_id, position FROM lesson_plan_items WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, item_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("There is no lesson item %lld"), (long long) item_id);
      return 0;
    }
  if (out_position != NULL)
    *out_position = sqlite3_column_int (stmt, 1);
  return sqlite3_column_int64 (stmt, 0);
}

/**
 * cx_store_set_lesson_item_notes:
 * @notes: the teacher's notes for this item, never shown to the class
 */
gboolean
cx_store_set_lesson_item_notes (CxStore *self, gint64 item_id, const char *notes, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 plan_id;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (notes != NULL && !g_utf8_validate (notes, -1, NULL))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("The notes are not valid text"));
      return FALSE;
    }
  if (!_cx_store_begin (self, error))
    return FALSE;
  plan_id = item_plan (self, item_id, NULL, error);
  if (plan_id == 0)
    goto fail;
  stmt = _cx_store_prepare (self, "UPDATE lesson_plan_items SET notes = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, item_id);
  sqlite3_bind_text (stmt, 2, or_empty (notes), -1, SQLITE_TRANSIENT);
  if (!_cx_store_step_done (self, stmt, error) || !touch_plan (self, plan_id, error))
    goto fail;
  return _cx_store_commit (self, error);

fail:
  _cx_store_rollback (self);
  return FALSE;
}

/**
 * cx_store_remove_lesson_item:
 *
 * Removes one item; the items after it move up so positions stay 0, 1, 2, …
 */
gboolean
cx_store_remove_lesson_item (CxStore *self, gint64 item_id, GError **error)
{
  g_autoptr (sqlite3_stmt) remove = NULL;
  g_autoptr (sqlite3_stmt) shift = NULL;
  gint64 plan_id;
  int position = 0;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (!_cx_store_begin (self, error))
    return FALSE;
  plan_id = item_plan (self, item_id, &position, error);
  if (plan_id == 0)
    goto fail;
  remove = _cx_store_prepare (self, "DELETE FROM lesson_plan_items WHERE id = ?1", error);
  shift = _cx_store_prepare (self,
                             "UPDATE lesson_plan_items SET position = position - 1"
                             " WHERE plan_id = ?1 AND position > ?2",
                             error);
  if (remove == NULL || shift == NULL)
    goto fail;
  sqlite3_bind_int64 (remove, 1, item_id);
  sqlite3_bind_int64 (shift, 1, plan_id);
  sqlite3_bind_int (shift, 2, position);
  if (!_cx_store_step_done (self, remove, error) || !_cx_store_step_done (self, shift, error) ||
      !touch_plan (self, plan_id, error))
    goto fail;
  return _cx_store_commit (self, error);

fail:
  _cx_store_rollback (self);
  return FALSE;
}
