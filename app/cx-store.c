/* cx-store.c: opening, creating and migrating the device store */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cx-store-private.h"

/* "CXS1" in PRAGMA application_id tells our files from other SQLite files. */
#define CX_STORE_APPLICATION_ID  0x43585331
#define CX_STORE_DATABASE_NAME   "cunxiao.db"
#define CX_STORE_BUSY_TIMEOUT_MS 5000

struct _CxStore
{
  GObject parent_instance;

  sqlite3 *db;
  char *data_dir;
  char *database_path;
  char *device_id;
  int schema_version;
};

G_DEFINE_TYPE (CxStore, cx_store, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (cx-store-error-quark, cx_store_error)
/* clang-format on */

static void
set_error_from_code (GError **error, int code, const char *message, const char *what)
{
  int primary = code & 0xff;

  switch (primary)
    {
    case SQLITE_FULL:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, _ ("%s: the disk is full"), what);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _ ("%s: the store is busy in another program"), what);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_READ_ONLY,
                   _ ("%s: the store cannot be written (%s)"), what, message);
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_CORRUPT,
                   _ ("%s: the store is damaged (%s)"), what, message);
      break;
    case SQLITE_NOTADB:
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_A_STORE,
                   _ ("%s: the file is not a Cunxiao store"), what);
      break;
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
        g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_EXISTS, _ ("%s: it already exists"),
                     what);
      else
        g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID, _ ("%s: %s"), what, message);
      break;
    default:
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_FAILED, _ ("%s: %s"), what, message);
      break;
    }
}

void
_cx_store_set_error (CxStore *self, GError **error, const char *what)
{
  set_error_from_code (error, sqlite3_extended_errcode (self->db), sqlite3_errmsg (self->db), what);
}

sqlite3 *
_cx_store_get_db (CxStore *self)
{
  return self->db;
}

sqlite3_stmt *
_cx_store_prepare (CxStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _cx_store_set_error (self, error, _ ("Could not read the store"));
      g_debug ("Failed statement: %s", sql);
      return NULL;
    }

  return stmt;
}

gboolean
_cx_store_step_done (CxStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cx_store_set_error (self, error, _ ("Could not write to the store"));
      return FALSE;
    }

  return TRUE;
}

gboolean
_cx_store_exec (CxStore *self, const char *sql, GError **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      set_error_from_code (error, sqlite3_extended_errcode (self->db),
                           message ? message : sqlite3_errstr (rc),
                           _ ("Could not update the store"));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

gboolean
_cx_store_begin (CxStore *self, GError **error)
{
  /* IMMEDIATE takes the write lock up front, so a busy store fails here and
   * not half-way through a change. */
  return _cx_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
_cx_store_commit (CxStore *self, GError **error)
{
  if (!_cx_store_exec (self, "COMMIT", error))
    {
      _cx_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

void
_cx_store_rollback (CxStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
_cx_store_count_rows (CxStore *self, const char *sql, gint64 *out_count, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = _cx_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cx_store_set_error (self, error, _ ("Could not read the store"));
      return FALSE;
    }

  *out_count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

char *
_cx_store_column_dup (sqlite3_stmt *stmt, int column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text ? g_strdup ((const char *) text) : NULL;
}

/**
 * _cx_store_collect_rows:
 * @stmt: a prepared and bound query
 * @what: what failed, for the error message
 *
 * Returns: (transfer full): a record made by @from_row for every row, or
 *   %NULL with @error set
 */
GPtrArray *
_cx_store_collect_rows (CxStore *self,
                        sqlite3_stmt *stmt,
                        CxStoreRowFunc from_row,
                        GDestroyNotify free_func,
                        const char *what,
                        GError **error)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, what);
      return NULL;
    }

  return g_steal_pointer (&records);
}

void
_cx_store_bind_text_or_null (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

gint64
_cx_store_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
read_pragma_int (CxStore *self, const char *pragma, int *out_value, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s", pragma);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_error_from_code (error, sqlite3_extended_errcode (self->db), sqlite3_errmsg (self->db),
                           self->database_path);
      return FALSE;
    }

  *out_value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
configure_connection (CxStore *self, GError **error)
{
  sqlite3_busy_timeout (self->db, CX_STORE_BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, TRUE);

  /* synchronous=FULL: an append that returned has reached the disk, which
   * the usage journal promises even across a power cut. */
  return _cx_store_exec (self,
                         "PRAGMA foreign_keys = ON;"
                         "PRAGMA synchronous = FULL;",
                         error);
}

static gboolean
run_migrations (CxStore *self, GError **error)
{
  int version;

  if (!read_pragma_int (self, "user_version", &version, error))
    return FALSE;

  if (version > (int) _cx_store_n_migrations)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_TOO_NEW,
                   _ ("The store “%s” was written by a newer version of Cunxiao "
                      "(schema %d; this version understands up to %u). "
                      "Update Cunxiao to open it."),
                   self->database_path, version, _cx_store_n_migrations);
      return FALSE;
    }

  for (guint i = (guint) version; i < _cx_store_n_migrations; i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!_cx_store_begin (self, error))
        return FALSE;

      if (!_cx_store_exec (self, _cx_store_migrations[i], error) ||
          !_cx_store_exec (self, bump, error) || !_cx_store_commit (self, error))
        {
          _cx_store_rollback (self);
          g_prefix_error (error, _ ("Could not upgrade the store to schema %u: "), i + 1);
          return FALSE;
        }
    }

  self->schema_version = (int) _cx_store_n_migrations;
  return TRUE;
}

static CxStore *
open_database (const char *data_dir, const char *path, gboolean creating, GError **error)
{
  g_autoptr (CxStore) self = g_object_new (CX_TYPE_STORE, NULL);
  int application_id;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;

  self->data_dir = g_strdup (data_dir);
  self->database_path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_code (error, rc, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc),
                           path);
      return NULL;
    }

  if (!read_pragma_int (self, "application_id", &application_id, error))
    return NULL;

  if (creating)
    {
      g_autofree char *set_id =
          g_strdup_printf ("PRAGMA application_id = %d", CX_STORE_APPLICATION_ID);
      if (!_cx_store_exec (self, set_id, error))
        return NULL;
    }
  else if (application_id != CX_STORE_APPLICATION_ID)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_A_STORE,
                   _ ("“%s” is not a Cunxiao store"), path);
      return NULL;
    }

  if (!configure_connection (self, error) || !run_migrations (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static gboolean
fsync_path (const char *path, gboolean directory, GError **error)
{
  int fd = g_open (path, (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC, 0);
  int saved_errno;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Could not write “%s” to disk: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  close (fd);
  return TRUE;
}

static void
remove_database_files (const char *path)
{
  static const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

/* Every store has a random identity; the hub keys this device's journal by
 * it. A store migrated from schema 0 gets one on its first open. */
static gboolean
load_device_id (CxStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) select = NULL;
  g_autoptr (sqlite3_stmt) insert = NULL;
  g_autofree char *device_id = NULL;

  select = _cx_store_prepare (self, "SELECT value FROM sync_state WHERE key = 'device-id'", error);
  if (select == NULL)
    return FALSE;

  if (sqlite3_step (select) == SQLITE_ROW)
    {
      self->device_id = _cx_store_column_dup (select, 0);
      return TRUE;
    }

  device_id = g_uuid_string_random ();
  insert = _cx_store_prepare (self, "INSERT INTO sync_state (key, value) VALUES ('device-id', ?1)",
                              error);
  if (insert == NULL)
    return FALSE;

  sqlite3_bind_text (insert, 1, device_id, -1, SQLITE_TRANSIENT);
  if (!_cx_store_step_done (self, insert, error))
    return FALSE;

  self->device_id = g_steal_pointer (&device_id);
  return TRUE;
}

static void
cx_store_finalize (GObject *object)
{
  CxStore *self = CX_STORE (object);

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->data_dir);
  g_free (self->database_path);
  g_free (self->device_id);

  G_OBJECT_CLASS (cx_store_parent_class)->finalize (object);
}

static void
cx_store_class_init (CxStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_store_finalize;
}

static void
cx_store_init (CxStore *self)
{
}

/**
 * cx_store_get_supported_schema:
 *
 * Returns: the newest schema version this build can open.
 */
int
cx_store_get_supported_schema (void)
{
  return (int) _cx_store_n_migrations;
}

/**
 * cx_store_default_data_dir:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/cunxiao`.
 */
char *
cx_store_default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "cunxiao", NULL);
}

char *
cx_store_database_path (const char *data_dir)
{
  g_return_val_if_fail (data_dir != NULL, NULL);

  return g_build_filename (data_dir, CX_STORE_DATABASE_NAME, NULL);
}

/**
 * cx_store_create:
 * @data_dir: folder to hold the store; created if missing
 *
 * Creates a new, empty store. The database is built under a temporary name
 * and linked into place only when complete, so a failure or a crash never
 * leaves a half-made store behind.
 *
 * Returns: (transfer full): the open store, or %NULL with @error set
 *   (%CX_STORE_ERROR_EXISTS if there already is one)
 */
CxStore *
cx_store_create (const char *data_dir, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *tmp_path = NULL;
  g_autoptr (CxStore) building = NULL;
  int fd;
  int saved_errno;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Could not create the folder “%s”: %s"), data_dir, g_strerror (saved_errno));
      return NULL;
    }

  path = cx_store_database_path (data_dir);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_EXISTS,
                   _ ("There already is a store in “%s”"), data_dir);
      return NULL;
    }

  tmp_path = g_build_filename (data_dir, "." CX_STORE_DATABASE_NAME ".XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Could not create a store in “%s”: %s"), data_dir, g_strerror (saved_errno));
      return NULL;
    }
  close (fd);

  building = open_database (data_dir, tmp_path, TRUE, error);
  if (building == NULL)
    {
      g_clear_object (&building);
      remove_database_files (tmp_path);
      return NULL;
    }
  g_clear_object (&building);

  /* link() refuses to replace a store another process made meanwhile. */
  if (!fsync_path (tmp_path, FALSE, error))
    {
      remove_database_files (tmp_path);
      return NULL;
    }
  if (link (tmp_path, path) != 0)
    {
      saved_errno = errno;
      remove_database_files (tmp_path);
      if (saved_errno == EEXIST)
        g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_EXISTS,
                     _ ("There already is a store in “%s”"), data_dir);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _ ("Could not create a store in “%s”: %s"), data_dir,
                     g_strerror (saved_errno));
      return NULL;
    }
  remove_database_files (tmp_path);

  if (!fsync_path (data_dir, TRUE, error))
    return NULL;

  return cx_store_open (data_dir, error);
}

/**
 * cx_store_open:
 * @data_dir: folder holding the store
 *
 * Opens an existing store and brings its schema up to date. A store written
 * by a newer Cunxiao is refused with %CX_STORE_ERROR_TOO_NEW.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
CxStore *
cx_store_open (const char *data_dir, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr (CxStore) self = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = cx_store_database_path (data_dir);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND, _ ("There is no store in “%s”"),
                   data_dir);
      return NULL;
    }

  self = open_database (data_dir, path, FALSE, error);
  if (self == NULL)
    return NULL;

  /* WAL lets readers go on while the sync service writes. */
  if (!_cx_store_exec (self, "PRAGMA journal_mode = WAL", error) || !load_device_id (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cx_store_get_data_dir (CxStore *self)
{
  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  return self->data_dir;
}

const char *
cx_store_get_database_path (CxStore *self)
{
  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  return self->database_path;
}

int
cx_store_get_schema_version (CxStore *self)
{
  g_return_val_if_fail (CX_IS_STORE (self), 0);

  return self->schema_version;
}

/**
 * cx_store_get_device_id:
 *
 * Returns: the random identity this store was given when it was created; the
 *   hub keys this device's journal by it.
 */
const char *
cx_store_get_device_id (CxStore *self)
{
  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  return self->device_id;
}

gboolean
cx_store_get_counts (CxStore *self, CxStoreCounts *counts, GError **error)
{
  const struct
  {
    const char *sql;
    gsize offset;
  } queries[] = {
    { "SELECT count(*) FROM hubs", G_STRUCT_OFFSET (CxStoreCounts, hubs) },
    { "SELECT count(*) FROM packages", G_STRUCT_OFFSET (CxStoreCounts, packages) },
    { "SELECT count(DISTINCT package_id) FROM package_versions WHERE state = 'installed'",
      G_STRUCT_OFFSET (CxStoreCounts, installed_packages) },
    { "SELECT count(*) FROM resources r JOIN package_versions v ON v.id = r.version_id"
      " WHERE v.state = 'installed'",
      G_STRUCT_OFFSET (CxStoreCounts, resources) },
    { "SELECT count(*) FROM accounts", G_STRUCT_OFFSET (CxStoreCounts, accounts) },
    { "SELECT count(*) FROM lesson_plans", G_STRUCT_OFFSET (CxStoreCounts, lesson_plans) },
    { "SELECT count(*) FROM timetable_entries",
      G_STRUCT_OFFSET (CxStoreCounts, timetable_entries) },
    { "SELECT count(*) FROM journal", G_STRUCT_OFFSET (CxStoreCounts, journal_entries) },
    { "SELECT count(*) FROM journal WHERE seq > coalesce ((SELECT CAST (value AS INTEGER)"
      " FROM sync_state WHERE key = 'journal-acknowledged'), 0)",
      G_STRUCT_OFFSET (CxStoreCounts, journal_unacknowledged) },
    { "SELECT count(*) FROM hand_ins", G_STRUCT_OFFSET (CxStoreCounts, hand_ins) },
    { "SELECT count(*) FROM hand_ins WHERE upload_state = 'pending'",
      G_STRUCT_OFFSET (CxStoreCounts, hand_ins_pending) },
  };

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      gint64 *field = G_STRUCT_MEMBER_P (counts, queries[i].offset);

      if (!_cx_store_count_rows (self, queries[i].sql, field, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * cx_store_check_integrity:
 *
 * Runs SQLite's full integrity check and the foreign key check.
 *
 * Returns: %TRUE if the store is sound, else %FALSE with %CX_STORE_ERROR_CORRUPT
 */
gboolean
cx_store_check_integrity (CxStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) check = NULL;
  g_autoptr (sqlite3_stmt) keys = NULL;
  const char *result;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  check = _cx_store_prepare (self, "PRAGMA integrity_check", error);
  if (check == NULL)
    return FALSE;

  if (sqlite3_step (check) != SQLITE_ROW)
    {
      _cx_store_set_error (self, error, _ ("Could not check the store"));
      return FALSE;
    }

  result = (const char *) sqlite3_column_text (check, 0);
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_CORRUPT, _ ("The store is damaged: %s"),
                   result);
      return FALSE;
    }

  keys = _cx_store_prepare (self, "PRAGMA foreign_key_check", error);
  if (keys == NULL)
    return FALSE;

  if (sqlite3_step (keys) == SQLITE_ROW)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_CORRUPT,
                   _ ("The store is damaged: a row in “%s” points at nothing"),
                   (const char *) sqlite3_column_text (keys, 0));
      return FALSE;
    }

  return TRUE;
}
