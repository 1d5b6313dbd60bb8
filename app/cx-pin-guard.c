/* cx-pin-guard.c: a staff PIN with a guess limit and a back-off kept in the store */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-pin-guard.h"
#include "cx-pin.h"
#include "cx-store-private.h"

/* clang-format off */
G_DEFINE_QUARK (cx-pin-guard-error-quark, cx_pin_guard_error)
/* clang-format on */

gint64
cx_pin_guard_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* How long the @failures-th wrong PIN makes everybody wait. */
static gint64
wait_after (guint failures)
{
  gint64 wait = CX_PIN_GUARD_FIRST_WAIT;

  if (failures < CX_PIN_GUARD_FREE_TRIES)
    return 0;
  for (guint i = CX_PIN_GUARD_FREE_TRIES; i < failures && wait < CX_PIN_GUARD_LONGEST_WAIT; i++)
    wait *= 2;
  return MIN (wait, CX_PIN_GUARD_LONGEST_WAIT);
}

static gboolean
read_row (CxStore *store, guint *out_failures, gint64 *out_locked_until, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt =
      _cx_store_prepare (store, "SELECT failures, locked_until FROM pin_guard WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_failures = (guint) sqlite3_column_int (stmt, 0);
      *out_locked_until = sqlite3_column_int64 (stmt, 1);
      return TRUE;
    }
  _cx_store_set_error (store, error, _ ("Could not read the PIN guard"));
  return FALSE;
}

static gboolean
write_row (CxStore *store, guint failures, gint64 locked_until, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = _cx_store_prepare (
      store, "UPDATE pin_guard SET failures = ?1, locked_until = ?2 WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int) MIN (failures, G_MAXINT));
  sqlite3_bind_int64 (stmt, 2, locked_until);
  return _cx_store_step_done (store, stmt, error);
}

static void
fill_state (CxPinGuardState *state, guint failures, gint64 locked_until, gint64 now)
{
  state->failures = failures;
  state->tries_left = failures < CX_PIN_GUARD_FREE_TRIES ? CX_PIN_GUARD_FREE_TRIES - failures : 0;
  state->wait_seconds = MAX (locked_until - now, 0);
}

/**
 * cx_pin_guard_get_state:
 *
 * How many wrong PINs there were, and how long until a PIN is taken
 * again. A wait longer than the longest there is means the clock was put
 * back; it is cut to the longest, so a wrong clock never locks for good.
 */
gboolean
cx_pin_guard_get_state (CxStore *store, gint64 now, CxPinGuardState *out_state, GError **error)
{
  guint failures;
  gint64 locked_until;

  g_return_val_if_fail (CX_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_state != NULL, FALSE);

  if (!read_row (store, &failures, &locked_until, error))
    return FALSE;
  if (locked_until > now + CX_PIN_GUARD_LONGEST_WAIT)
    {
      locked_until = now + CX_PIN_GUARD_LONGEST_WAIT;
      if (!write_row (store, failures, locked_until, error))
        return FALSE;
    }
  fill_state (out_state, failures, locked_until, now);
  return TRUE;
}

static void
set_locked_error (GError **error, gint64 wait)
{
  if (wait < 60)
    g_set_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_LOCKED,
                 dngettext (GETTEXT_PACKAGE, "Too many wrong PINs. Try again in %u second",
                            "Too many wrong PINs. Try again in %u seconds", (gulong) wait),
                 (guint) wait);
  else
    {
      guint minutes = (guint) ((wait + 59) / 60);

      g_set_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_LOCKED,
                   dngettext (GETTEXT_PACKAGE, "Too many wrong PINs. Try again in %u minute",
                              "Too many wrong PINs. Try again in %u minutes", minutes),
                   minutes);
    }
}

static gpointer
first_column (sqlite3_stmt *stmt)
{
  return _cx_store_column_dup (stmt, 0);
}

/* The Argon2id strings of every teacher's and admin's PIN; with
 * @admin_only, of the admins' only, and of @name's only if given. */
static GPtrArray *
read_hashes (CxStore *store, gboolean admin_only, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt =
      _cx_store_prepare (store,
                         admin_only ? "SELECT pin_hash FROM accounts"
                                      " WHERE role = 'admin' AND pin_hash IS NOT NULL"
                                      " AND (?1 IS NULL OR name = ?1) ORDER BY id"
                                    : "SELECT pin_hash FROM accounts"
                                      " WHERE role IN ('teacher', 'admin') AND pin_hash IS NOT NULL"
                                      " ORDER BY id",
                         error);

  if (stmt == NULL)
    return NULL;
  if (admin_only && name != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  return _cx_store_collect_rows (store, stmt, first_column, g_free,
                                 _ ("Could not read the accounts"), error);
}

static GPtrArray *
read_staff_hashes (CxStore *store, GError **error)
{
  return read_hashes (store, FALSE, NULL, error);
}

/**
 * cx_pin_guard_has_pin:
 *
 * Returns: %TRUE if some teacher or admin has a PIN, so student mode can
 *   be left with it; else %FALSE, with @error set only if the store failed
 */
gboolean
cx_pin_guard_has_pin (CxStore *store, GError **error)
{
  g_autoptr (GPtrArray) hashes = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), FALSE);

  hashes = read_staff_hashes (store, error);
  return hashes != NULL && hashes->len > 0;
}

/* Before any hashing: a wait. */
static gboolean
check_wait (CxStore *store, gint64 now, GError **error)
{
  CxPinGuardState state;

  if (!cx_pin_guard_get_state (store, now, &state, error))
    return FALSE;
  if (state.wait_seconds > 0)
    {
      set_locked_error (error, state.wait_seconds);
      return FALSE;
    }
  return TRUE;
}

/* Before any hashing: nothing typed, nobody to match, or a wait. */
static GPtrArray *
prepare (CxStore *store, const char *pin, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) hashes = NULL;

  if (pin == NULL || *pin == '\0')
    {
      g_set_error_literal (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_EMPTY,
                           _ ("Type the PIN of a teacher or the admin"));
      return NULL;
    }
  if (!check_wait (store, now, error))
    return NULL;
  hashes = read_staff_hashes (store, error);
  if (hashes == NULL)
    return NULL;
  if (hashes->len == 0)
    {
      g_set_error_literal (
          error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_NO_PIN,
          _ ("No teacher or admin has a PIN yet; give one a PIN in the accounts first"));
      return NULL;
    }
  return g_steal_pointer (&hashes);
}

/* The same for one admin: a name that is nobody's, or not an admin's,
 * gives no hash and so counts as a wrong guess, telling nothing about who
 * is an admin. */
static GPtrArray *
prepare_admin (CxStore *store, const char *name, const char *pin, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) any = NULL;

  if (name == NULL || *name == '\0' || pin == NULL || *pin == '\0')
    {
      g_set_error_literal (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_EMPTY,
                           _ ("Type the admin's name and PIN"));
      return NULL;
    }
  if (!check_wait (store, now, error))
    return NULL;
  any = read_hashes (store, TRUE, NULL, error);
  if (any == NULL)
    return NULL;
  if (any->len == 0)
    {
      g_set_error_literal (
          error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_NO_PIN,
          _ ("No admin has a PIN yet; give the admin a PIN in the accounts first"));
      return NULL;
    }
  return read_hashes (store, TRUE, name, error);
}

static gboolean
matches_any (GPtrArray *hashes, const char *pin)
{
  for (guint i = 0; i < hashes->len; i++)
    if (cx_pin_verify (g_ptr_array_index (hashes, i), pin))
      return TRUE;
  return FALSE;
}

/* Counts the guess, in one transaction with reading the count. */
static gboolean
record (CxStore *store, gboolean right, gint64 now, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  guint failures = 0;
  gint64 locked_until = 0;
  gint64 wait;

  if (!_cx_store_begin (store, error))
    return FALSE;
  if (!read_row (store, &failures, &locked_until, &local_error))
    goto fail;
  failures = right ? 0 : failures + 1;
  wait = wait_after (failures);
  locked_until = wait > 0 ? now + wait : 0;
  if (!write_row (store, failures, locked_until, &local_error) ||
      !_cx_store_commit (store, &local_error))
    goto fail;

  if (right)
    return TRUE;
  if (wait > 0)
    set_locked_error (error, wait);
  else
    g_set_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_WRONG_PIN,
                 dngettext (GETTEXT_PACKAGE, "Wrong PIN. %u try left", "Wrong PIN. %u tries left",
                            CX_PIN_GUARD_FREE_TRIES - failures),
                 CX_PIN_GUARD_FREE_TRIES - failures);
  return FALSE;

fail:
  _cx_store_rollback (store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * cx_pin_guard_verify:
 * @pin: what was typed
 *
 * Checks @pin against every teacher's and admin's PIN, unless a wait is
 * running, and counts the guess. Blocks for the hashing: the UI uses
 * cx_pin_guard_verify_async().
 *
 * Returns: %TRUE if it is one of them; else a %CX_PIN_GUARD_ERROR (or the
 *   store's error). cx_pin_guard_get_state() tells the wait.
 */
gboolean
cx_pin_guard_verify (CxStore *store, const char *pin, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) hashes = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), FALSE);

  hashes = prepare (store, pin, now, error);
  if (hashes == NULL)
    return FALSE;
  return record (store, matches_any (hashes, pin), now, error);
}

/**
 * cx_pin_guard_verify_admin:
 * @name: the admin's account name, as typed
 * @pin: what was typed
 *
 * Like cx_pin_guard_verify(), with the same count and wait, but only the
 * PIN of the admin called @name opens: what only the admin may see (the
 * monthly report) asks for this one.
 */
gboolean
cx_pin_guard_verify_admin (
    CxStore *store, const char *name, const char *pin, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) hashes = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), FALSE);

  hashes = prepare_admin (store, name, pin, now, error);
  if (hashes == NULL)
    return FALSE;
  return record (store, matches_any (hashes, pin), now, error);
}

typedef struct
{
  GPtrArray *hashes;
  char *pin;
  gint64 now;
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  g_ptr_array_unref (data->hashes);
  /* The PIN does not linger in freed memory. */
  if (data->pin != NULL)
    memset (data->pin, 0, strlen (data->pin));
  g_free (data->pin);
  g_free (data);
}

static void
verify_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  VerifyData *data = task_data;

  g_task_return_boolean (task, matches_any (data->hashes, data->pin));
}

/* Back in the caller's thread, which owns the store: count the guess. */
static void
verified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VerifyData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean right = g_task_propagate_boolean (G_TASK (result), NULL);

  /* Once hashed, the guess counts even if the caller gave up waiting. */
  if (record (g_task_get_source_object (task), right, data->now, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Hashes in a worker thread, then counts the guess in this one. */
static void
start_verify (GTask *task, GPtrArray *hashes, const char *pin, gint64 now)
{
  g_autoptr (GTask) hashing = NULL;
  VerifyData *data = g_new0 (VerifyData, 1);

  data->hashes = hashes;
  data->pin = g_strdup (pin);
  data->now = now;
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);

  hashing = g_task_new (NULL, NULL, verified_cb, g_object_ref (task));
  g_task_set_source_tag (hashing, verify_worker);
  g_task_set_task_data (hashing, data, NULL);
  g_task_run_in_thread (hashing, verify_worker);
}

/**
 * cx_pin_guard_verify_async:
 *
 * Does cx_pin_guard_verify() without blocking: the hashing in a worker
 * thread, reading and counting in the caller's thread (which owns @store).
 */
void
cx_pin_guard_verify_async (CxStore *store,
                           const char *pin,
                           gint64 now,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  GPtrArray *hashes;

  g_return_if_fail (CX_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cx_pin_guard_verify_async);
  hashes = prepare (store, pin, now, &error);
  if (hashes == NULL)
    g_task_return_error (task, error);
  else
    start_verify (task, hashes, pin, now);
}

gboolean
cx_pin_guard_verify_finish (CxStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, cx_pin_guard_verify_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cx_pin_guard_verify_admin_async:
 *
 * Does cx_pin_guard_verify_admin() without blocking, as
 * cx_pin_guard_verify_async() does.
 */
void
cx_pin_guard_verify_admin_async (CxStore *store,
                                 const char *name,
                                 const char *pin,
                                 gint64 now,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  GPtrArray *hashes;

  g_return_if_fail (CX_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cx_pin_guard_verify_admin_async);
  hashes = prepare_admin (store, name, pin, now, &error);
  if (hashes == NULL)
    g_task_return_error (task, error);
  else
    start_verify (task, hashes, pin, now);
}

gboolean
cx_pin_guard_verify_admin_finish (CxStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, cx_pin_guard_verify_admin_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
