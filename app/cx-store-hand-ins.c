/* cx-store-hand-ins.c: hand-ins in the device store */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-store-hand-ins.h"
#include "cx-store-private.h"

#define HAND_IN_COLUMNS                                                                     \
  "id, uuid, lesson_plan_id, assignment, class_name, pupil, file_name, content_hash, size," \
  " created_at, upload_state, assignment_id"

void
cx_hand_in_free (CxHandIn *hand_in)
{
  if (hand_in == NULL)
    return;

  g_free (hand_in->uuid);
  g_free (hand_in->assignment);
  g_free (hand_in->class_name);
  g_free (hand_in->pupil);
  g_free (hand_in->file_name);
  g_free (hand_in->content_hash);
  g_free (hand_in);
}

static CxHandIn *
hand_in_from_row (sqlite3_stmt *stmt)
{
  CxHandIn *hand_in = g_new0 (CxHandIn, 1);

  hand_in->id = sqlite3_column_int64 (stmt, 0);
  hand_in->uuid = _cx_store_column_dup (stmt, 1);
  hand_in->lesson_plan_id = sqlite3_column_int64 (stmt, 2);
  hand_in->assignment = _cx_store_column_dup (stmt, 3);
  hand_in->class_name = _cx_store_column_dup (stmt, 4);
  hand_in->pupil = _cx_store_column_dup (stmt, 5);
  hand_in->file_name = _cx_store_column_dup (stmt, 6);
  hand_in->content_hash = _cx_store_column_dup (stmt, 7);
  hand_in->size = sqlite3_column_int64 (stmt, 8);
  hand_in->created_at = sqlite3_column_int64 (stmt, 9);
  hand_in->uploaded = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 10), "uploaded") == 0;
  hand_in->assignment_id = sqlite3_column_int64 (stmt, 11);
  return hand_in;
}

/* The title and plan of assignment @id, which must exist. */
static gboolean
lookup_assignment (CxStore *self, gint64 id, char **out_title, gint64 *out_plan_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt =
      _cx_store_prepare (self, "SELECT title, plan_id FROM assignments WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_title = _cx_store_column_dup (stmt, 0);
      *out_plan_id = sqlite3_column_int64 (stmt, 1);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND, _ ("There is no assignment %lld"),
                 (long long) id);
  else
    _cx_store_set_error (self, error, _ ("Could not read the assignments"));
  return FALSE;
}

static gboolean
is_sha256_hex (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;

  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;

  return TRUE;
}

static gboolean
is_plain_file_name (const char *name)
{
  return name != NULL && *name != '\0' && g_utf8_validate (name, -1, NULL) &&
         strchr (name, '/') == NULL && strcmp (name, ".") != 0 && strcmp (name, "..") != 0;
}

static gint64
insert_hand_in (CxStore *self, const CxHandIn *hand_in, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *assignment_title = NULL;
  const char *assignment = hand_in->assignment;
  gint64 plan_id = hand_in->lesson_plan_id;

  /* An assignment of a lesson plan gives the text and the plan. */
  if (hand_in->assignment_id != 0)
    {
      gint64 assignment_plan_id = 0;

      if (!lookup_assignment (self, hand_in->assignment_id, &assignment_title, &assignment_plan_id,
                              error))
        return 0;
      if (plan_id != 0 && plan_id != assignment_plan_id)
        {
          g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                               _ ("The assignment belongs to another lesson plan"));
          return 0;
        }
      plan_id = assignment_plan_id;
      if (assignment == NULL || *assignment == '\0')
        assignment = assignment_title;
    }

  if (assignment == NULL || *assignment == '\0' || hand_in->class_name == NULL ||
      *hand_in->class_name == '\0')
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("A hand-in needs an assignment and a class"));
      return 0;
    }

  if (!is_plain_file_name (hand_in->file_name))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("“%s” is not a valid file name"),
                   hand_in->file_name ? hand_in->file_name : "");
      return 0;
    }

  if (!is_sha256_hex (hand_in->content_hash) || hand_in->size < 0)
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("A hand-in needs the SHA-256 and size of its file"));
      return 0;
    }

  stmt = _cx_store_prepare (self,
                            "INSERT INTO hand_ins (uuid, lesson_plan_id, assignment, class_name,"
                            "  pupil, file_name, content_hash, size, created_at, assignment_id)"
                            " VALUES (?1, nullif (?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                            "  nullif (?10, 0))",
                            error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, plan_id);
  sqlite3_bind_text (stmt, 3, assignment, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, hand_in->class_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, hand_in->pupil ? hand_in->pupil : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, hand_in->file_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, hand_in->content_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, hand_in->size);
  sqlite3_bind_int64 (stmt, 9, _cx_store_now ());
  sqlite3_bind_int64 (stmt, 10, hand_in->assignment_id);

  if (!_cx_store_step_done (self, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (_cx_store_get_db (self));
}

/**
 * cx_store_add_hand_in:
 *
 * Records a hand-in whose file is already in the content store under
 * @hand_in->content_hash; it is queued for upload.
 *
 * One transaction: the assignment it names is the one recorded.
 *
 * Returns: the hand-in's id, or 0 with @error set
 */
gint64
cx_store_add_hand_in (CxStore *self, const CxHandIn *hand_in, GError **error)
{
  gint64 id;

  g_return_val_if_fail (CX_IS_STORE (self), 0);
  g_return_val_if_fail (hand_in != NULL, 0);

  if (!_cx_store_begin (self, error))
    return 0;
  id = insert_hand_in (self, hand_in, error);
  if (id == 0)
    {
      _cx_store_rollback (self);
      return 0;
    }
  if (!_cx_store_commit (self, error))
    return 0;
  return id;
}

/**
 * cx_store_list_hand_ins:
 * @only_pending: list only those not yet uploaded
 *
 * Returns: (transfer full) (element-type CxHandIn): hand-ins, oldest first
 */
GPtrArray *
cx_store_list_hand_ins (CxStore *self, gboolean only_pending, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self,
                            "SELECT " HAND_IN_COLUMNS " FROM hand_ins"
                            " WHERE ?1 = 0 OR upload_state = 'pending'"
                            " ORDER BY created_at, id",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int (stmt, 1, only_pending ? 1 : 0);
  return _cx_store_collect_rows (self, stmt, (CxStoreRowFunc) hand_in_from_row,
                                 (GDestroyNotify) cx_hand_in_free,
                                 _ ("Could not read the hand-ins"), error);
}

/**
 * cx_store_get_hand_in:
 *
 * Returns: (transfer full): the hand-in, or %NULL with
 *   %CX_STORE_ERROR_NOT_FOUND
 */
CxHandIn *
cx_store_get_hand_in (CxStore *self, gint64 hand_in_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self, "SELECT " HAND_IN_COLUMNS " FROM hand_ins WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, hand_in_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return hand_in_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND, _ ("There is no hand-in %lld"),
                 (long long) hand_in_id);
  else
    _cx_store_set_error (self, error, _ ("Could not read the hand-ins"));
  return NULL;
}

/**
 * cx_store_list_assignment_hand_ins:
 *
 * Returns: (transfer full) (element-type CxHandIn): the work handed in to
 *   the assignment, oldest first, each saying whether it reached the hub
 */
GPtrArray *
cx_store_list_assignment_hand_ins (CxStore *self, gint64 assignment_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self,
                            "SELECT " HAND_IN_COLUMNS " FROM hand_ins"
                            " WHERE assignment_id = ?1 ORDER BY created_at, id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, assignment_id);
  return _cx_store_collect_rows (self, stmt, (CxStoreRowFunc) hand_in_from_row,
                                 (GDestroyNotify) cx_hand_in_free,
                                 _ ("Could not read the hand-ins"), error);
}

gboolean
cx_store_mark_hand_in_uploaded (CxStore *self, gint64 hand_in_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  stmt = _cx_store_prepare (self, "UPDATE hand_ins SET upload_state = 'uploaded' WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, hand_in_id);
  if (!_cx_store_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (_cx_store_get_db (self)) == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND, _ ("There is no hand-in %lld"),
                   (long long) hand_in_id);
      return FALSE;
    }

  return TRUE;
}
