/* cx-store-assignments.c: assignments of lesson plans in the device store */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-store-assignments.h"
#include "cx-store-private.h"

#define ASSIGNMENT_QUERY                                              \
  "SELECT a.id, a.plan_id, a.title, a.instructions, a.created_at,"    \
  "  p.title, p.class_name, p.subject, p.lesson_date,"                \
  "  (SELECT count (*) FROM hand_ins h WHERE h.assignment_id = a.id)" \
  " FROM assignments a JOIN lesson_plans p ON p.id = a.plan_id"

void
cx_assignment_free (CxAssignment *assignment)
{
  if (assignment == NULL)
    return;

  g_free (assignment->title);
  g_free (assignment->instructions);
  g_free (assignment->plan_title);
  g_free (assignment->class_name);
  g_free (assignment->subject);
  g_free (assignment->lesson_date);
  g_free (assignment);
}

static CxAssignment *
assignment_from_row (sqlite3_stmt *stmt)
{
  CxAssignment *assignment = g_new0 (CxAssignment, 1);

  assignment->id = sqlite3_column_int64 (stmt, 0);
  assignment->plan_id = sqlite3_column_int64 (stmt, 1);
  assignment->title = _cx_store_column_dup (stmt, 2);
  if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
    assignment->instructions = _cx_store_column_dup (stmt, 3);
  assignment->created_at = sqlite3_column_int64 (stmt, 4);
  assignment->plan_title = _cx_store_column_dup (stmt, 5);
  assignment->class_name = _cx_store_column_dup (stmt, 6);
  assignment->subject = _cx_store_column_dup (stmt, 7);
  assignment->lesson_date = _cx_store_column_dup (stmt, 8);
  assignment->n_hand_ins = (guint) sqlite3_column_int (stmt, 9);
  return assignment;
}

/* Valid text of 1 to @max characters, not only spaces. */
static gboolean
is_text_within (const char *text, guint max)
{
  g_autofree char *stripped = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  stripped = g_strstrip (g_strdup (text));
  return *stripped != '\0' && g_utf8_strlen (text, -1) <= (glong) max;
}

static gboolean
plan_exists (CxStore *self, gint64 plan_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt =
      _cx_store_prepare (self, "SELECT 1 FROM lesson_plans WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, plan_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                 _ ("There is no lesson plan %lld"), (long long) plan_id);
  else
    _cx_store_set_error (self, error, _ ("Could not read the lesson plans"));
  return FALSE;
}

/**
 * cx_store_add_assignment:
 * @plan_id: the lesson plan it belongs to
 * @title: what pupils see, like “课后练习第 3 题”
 * @instructions: (nullable): what to do and how to hand it in
 *
 * Returns: the assignment's id, or 0 with @error set
 */
gint64
cx_store_add_assignment (
    CxStore *self, gint64 plan_id, const char *title, const char *instructions, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), 0);

  if (!is_text_within (title, CX_ASSIGNMENT_TITLE_MAX_CHARS))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("An assignment needs a title of 1 to %d characters"),
                   CX_ASSIGNMENT_TITLE_MAX_CHARS);
      return 0;
    }
  if (instructions != NULL && *instructions == '\0')
    instructions = NULL;
  if (instructions != NULL &&
      (!g_utf8_validate (instructions, -1, NULL) ||
       g_utf8_strlen (instructions, -1) > CX_ASSIGNMENT_INSTRUCTIONS_MAX_CHARS))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("An assignment’s instructions are at most %d characters of text"),
                   CX_ASSIGNMENT_INSTRUCTIONS_MAX_CHARS);
      return 0;
    }
  if (!plan_exists (self, plan_id, error))
    return 0;

  stmt = _cx_store_prepare (self,
                            "INSERT INTO assignments (plan_id, title, instructions, created_at)"
                            " VALUES (?1, ?2, ?3, ?4)",
                            error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, plan_id);
  sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
  _cx_store_bind_text_or_null (stmt, 3, instructions);
  sqlite3_bind_int64 (stmt, 4, _cx_store_now ());
  if (!_cx_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cx_store_get_db (self));
}

/**
 * cx_store_get_assignment:
 *
 * Returns: (transfer full): the assignment, or %NULL with
 *   %CX_STORE_ERROR_NOT_FOUND
 */
CxAssignment *
cx_store_get_assignment (CxStore *self, gint64 assignment_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self, ASSIGNMENT_QUERY " WHERE a.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, assignment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return assignment_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND, _ ("There is no assignment %lld"),
                 (long long) assignment_id);
  else
    _cx_store_set_error (self, error, _ ("Could not read the assignments"));
  return NULL;
}

/**
 * cx_store_list_assignments:
 *
 * Returns: (transfer full) (element-type CxAssignment): the assignments of
 *   the plan, in the order they were set
 */
GPtrArray *
cx_store_list_assignments (CxStore *self, gint64 plan_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  if (!plan_exists (self, plan_id, error))
    return NULL;
  stmt = _cx_store_prepare (self, ASSIGNMENT_QUERY " WHERE a.plan_id = ?1 ORDER BY a.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, plan_id);
  return _cx_store_collect_rows (self, stmt, (CxStoreRowFunc) assignment_from_row,
                                 (GDestroyNotify) cx_assignment_free,
                                 _ ("Could not read the assignments"), error);
}

/**
 * cx_store_remove_assignment:
 *
 * Removes the assignment. Work already handed in to it stays, with the
 * assignment's title as text, so nothing a pupil handed in is lost.
 */
gboolean
cx_store_remove_assignment (CxStore *self, gint64 assignment_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  stmt = _cx_store_prepare (self, "DELETE FROM assignments WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, assignment_id);
  if (!_cx_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_cx_store_get_db (self)) == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("There is no assignment %lld"), (long long) assignment_id);
      return FALSE;
    }
  return TRUE;
}

/**
 * cx_store_list_class_assignments:
 *
 * What the class can hand work in to: the assignments of the lesson plans
 * made for @class_name.
 *
 * Returns: (transfer full) (element-type CxAssignment): most recent lesson
 *   first (by lesson date, plans without a date by when they were made),
 *   within a lesson in the order they were set
 */
GPtrArray *
cx_store_list_class_assignments (CxStore *self, const char *class_name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  if (class_name == NULL || *class_name == '\0')
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("Choose a class to see its assignments"));
      return NULL;
    }
  stmt =
      _cx_store_prepare (self,
                         ASSIGNMENT_QUERY " WHERE p.class_name = ?1"
                                          " ORDER BY coalesce (nullif (p.lesson_date, ''),"
                                          "   date (p.created_at, 'unixepoch', 'localtime')) DESC,"
                                          "   p.created_at DESC, p.id DESC, a.id",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, class_name, -1, SQLITE_TRANSIENT);
  return _cx_store_collect_rows (self, stmt, (CxStoreRowFunc) assignment_from_row,
                                 (GDestroyNotify) cx_assignment_free,
                                 _ ("Could not read the assignments"), error);
}
