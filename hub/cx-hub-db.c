/* cx-hub-db.c: schools, enrolment codes, devices and usage events in SQLite */
#include "config.h"

#include <sodium.h>
#include <sqlite3.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cx-hub-db-private.h"

#define DATABASE_NAME   "hub.db"
#define APPLICATION_ID  0x43584842 /* "CXHB" */
#define SCHEMA_VERSION  4
#define BUSY_TIMEOUT_MS 5000
#define CODE_LENGTH     12
#define TOKEN_BYTES     32
#define CODE_ALPHABET   "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

struct _CxHubDb
{
  GObject parent_instance;

  sqlite3 *db;
  sqlite3_stmt *insert_event;
};

G_DEFINE_FINAL_TYPE (CxHubDb, cx_hub_db, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (cx-hub-db-error-quark, cx_hub_db_error)
/* clang-format on */

static const char schema[] = "CREATE TABLE schools ("
                             "  id INTEGER PRIMARY KEY,"
                             "  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),"
                             "  created_at INTEGER NOT NULL"
                             ");"
                             "CREATE TABLE enrolment_codes ("
                             "  code_hash TEXT PRIMARY KEY,"
                             "  school_id INTEGER NOT NULL REFERENCES schools(id),"
                             "  created_at INTEGER NOT NULL,"
                             "  expires_at INTEGER NOT NULL,"
                             "  used_by INTEGER REFERENCES devices(id),"
                             "  used_request TEXT"
                             ") WITHOUT ROWID;"
                             "CREATE TABLE devices ("
                             "  id INTEGER PRIMARY KEY,"
                             "  school_id INTEGER NOT NULL REFERENCES schools(id),"
                             "  name TEXT NOT NULL,"
                             "  token_hash TEXT NOT NULL UNIQUE,"
                             "  enrolled_at INTEGER NOT NULL,"
                             "  revoked_at INTEGER NOT NULL DEFAULT 0,"
                             "  acknowledged INTEGER NOT NULL DEFAULT 0"
                             ");"
                             /* (device, seq) is the identity of an event: a batch sent twice cannot
                              * store anything twice. */
                             "CREATE TABLE events ("
                             "  device_id INTEGER NOT NULL REFERENCES devices(id),"
                             "  seq INTEGER NOT NULL CHECK (seq > 0),"
                             "  time_us INTEGER NOT NULL,"
                             "  kind TEXT NOT NULL,"
                             "  payload TEXT NOT NULL,"
                             "  PRIMARY KEY (device_id, seq)"
                             ") WITHOUT ROWID;";

/* Each later version, applied in order; shipped ones never change. */
static const char *const migrations[] = {
  [2] = "CREATE TABLE uploads ("
        "  device_id INTEGER NOT NULL REFERENCES devices(id),"
        "  id TEXT NOT NULL,"
        "  kind TEXT NOT NULL,"
        "  name TEXT NOT NULL,"
        "  size INTEGER NOT NULL,"
        "  sha256 TEXT NOT NULL,"
        "  meta TEXT NOT NULL,"
        "  received_at INTEGER NOT NULL,"
        "  PRIMARY KEY (device_id, id)"
        ") WITHOUT ROWID;"
        "CREATE INDEX uploads_by_time ON uploads (device_id, received_at);",
  /* The shared timetable: the district's entries (no school) and each
   * school's own. "change" numbers every write hub-wide, so a device asks
   * only for what changed since it last looked. */
  [3] = "CREATE TABLE timetable ("
        "  uuid TEXT PRIMARY KEY,"
        "  school_id INTEGER REFERENCES schools(id),"
        "  entry TEXT NOT NULL,"
        "  revision INTEGER NOT NULL CHECK (revision > 0),"
        "  change INTEGER NOT NULL UNIQUE"
        ") WITHOUT ROWID;",
  /* The county report reads a month of each device's events. */
  [4] = "CREATE INDEX events_by_time ON events (device_id, time_us);",
};

void
cx_hub_device_free (CxHubDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->school);
  g_free (device->name);
  g_free (device);
}

static void
cx_hub_db_finalize (GObject *object)
{
  CxHubDb *self = CX_HUB_DB (object);

  sqlite3_finalize (self->insert_event);
  sqlite3_close (self->db);
  G_OBJECT_CLASS (cx_hub_db_parent_class)->finalize (object);
}

static void
cx_hub_db_class_init (CxHubDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_hub_db_finalize;
}

static void
cx_hub_db_init (CxHubDb *self)
{
}

gboolean
_cx_hub_db_set_error (CxHubDb *self, GError **error, const char *what)
{
  int code = sqlite3_errcode (self->db);

  if (code == SQLITE_FULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, _ ("%s: the disk is full"), what);
  else
    g_set_error (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_FAILED, _ ("%s: %s"), what,
                 sqlite3_errmsg (self->db));
  return FALSE;
}

gboolean
_cx_hub_db_exec (CxHubDb *self, const char *sql, GError **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _cx_hub_db_set_error (self, error, _ ("The hub’s database failed"));
  return TRUE;
}

sqlite3_stmt *
_cx_hub_db_prepare (CxHubDb *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _cx_hub_db_set_error (self, error, _ ("The hub’s database failed"));
      return NULL;
    }
  return stmt;
}

void
_cx_hub_db_rollback (CxHubDb *self)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
migrate (CxHubDb *self, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  sqlite3_stmt *stmt = _cx_hub_db_prepare (self, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL)
    return FALSE;
  sqlite3_step (stmt);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version == SCHEMA_VERSION)
    return TRUE;
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_FAILED,
                   _ ("The hub’s database is from a newer cunxiao-hub (schema %d)"), version);
      return FALSE;
    }

  if (!_cx_hub_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (version == 0 && !_cx_hub_db_exec (self, schema, &local_error))
    goto fail;
  for (int v = MAX (version + 1, 2); v <= SCHEMA_VERSION; v++)
    if (!_cx_hub_db_exec (self, migrations[v], &local_error))
      goto fail;
  {
    g_autofree char *pragmas = g_strdup_printf (
        "PRAGMA application_id = %d; PRAGMA user_version = %d", APPLICATION_ID, SCHEMA_VERSION);

    if (!_cx_hub_db_exec (self, pragmas, &local_error) ||
        !_cx_hub_db_exec (self, "COMMIT", &local_error))
      goto fail;
  }
  return TRUE;

fail:
  _cx_hub_db_rollback (self);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * cx_hub_db_open:
 * @data_dir: the hub's data folder; made (mode 0700) if missing
 */
CxHubDb *
cx_hub_db_open (const char *data_dir, GError **error)
{
  g_autoptr (CxHubDb) self = g_object_new (CX_TYPE_HUB_DB, NULL);
  g_autofree char *path = g_build_filename (data_dir, DATABASE_NAME, NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("Cannot make the hub’s data folder %s: %s"), data_dir, g_strerror (saved));
      return NULL;
    }
  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      _cx_hub_db_set_error (self, error, path);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* What the hub acknowledged must survive a power cut: WAL with full sync. */
  if (!_cx_hub_db_exec (self,
                        "PRAGMA journal_mode = WAL;"
                        "PRAGMA synchronous = FULL;"
                        "PRAGMA foreign_keys = ON;",
                        error) ||
      !migrate (self, error))
    return NULL;

  self->insert_event = _cx_hub_db_prepare (
      self, "INSERT INTO events (device_id, seq, time_us, kind, payload) VALUES (?, ?, ?, ?, ?)",
      error);
  if (self->insert_event == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

static char *
hash_secret (const char *secret)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}

/* Upper case, no separators, and the letters people misread as digits
 * read as those digits. NULL unless it is a well-formed code. */
static char *
normalise_code (const char *code)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (const char *p = code; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '-' || c == ' ')
        continue;
      if (c == 'O')
        c = '0';
      else if (c == 'I' || c == 'L')
        c = '1';
      if (strchr (CODE_ALPHABET, c) == NULL || c == '\0')
        return NULL;
      g_string_append_c (out, c);
    }
  if (out->len != CODE_LENGTH)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gint64
_cx_hub_db_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * cx_hub_db_create_enrolment_code:
 *
 * Returns: (transfer full): a one-time code, XXXX-XXXX-XXXX, for one
 *   device of @school (added if new)
 */
char *
cx_hub_db_create_enrolment_code (CxHubDb *self,
                                 const char *school,
                                 gint64 expires_at,
                                 GError **error)
{
  g_autoptr (GString) code = g_string_new (NULL);
  g_autofree char *plain = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (school == NULL || *school == '\0' || !g_utf8_validate (school, -1, NULL))
    {
      g_set_error_literal (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_INVALID,
                           _ ("A school needs a name"));
      return NULL;
    }
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_FAILED,
                           _ ("The cryptography library could not be started"));
      return NULL;
    }
  for (guint i = 0; i < CODE_LENGTH; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, CODE_ALPHABET[randombytes_uniform (sizeof CODE_ALPHABET - 1)]);
    }
  plain = normalise_code (code->str);
  hash = hash_secret (plain);

  if (!_cx_hub_db_exec (self, "BEGIN IMMEDIATE", error))
    return NULL;
  stmt = _cx_hub_db_prepare (self,
                             "INSERT INTO schools (name, created_at) VALUES (?1, ?2) "
                             "ON CONFLICT (name) DO NOTHING",
                             error);
  if (stmt == NULL)
    {
      _cx_hub_db_rollback (self);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, school, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, _cx_hub_db_now ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _cx_hub_db_set_error (self, error, _ ("Could not add the school"));
      _cx_hub_db_rollback (self);
      return NULL;
    }

  stmt = _cx_hub_db_prepare (
      self,
      "INSERT INTO enrolment_codes (code_hash, school_id, created_at, expires_at) "
      "SELECT ?1, id, ?2, ?3 FROM schools WHERE name = ?4",
      error);
  if (stmt == NULL)
    {
      _cx_hub_db_rollback (self);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, _cx_hub_db_now ());
  sqlite3_bind_int64 (stmt, 3, expires_at);
  sqlite3_bind_text (stmt, 4, school, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE || !_cx_hub_db_exec (self, "COMMIT", error))
    {
      if (rc != SQLITE_DONE)
        _cx_hub_db_set_error (self, error, _ ("Could not keep the enrolment code"));
      _cx_hub_db_rollback (self);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&code), FALSE);
}

static char *
new_token (void)
{
  guint8 bytes[TOKEN_BYTES];
  char text[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (text, sizeof text, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (text);
}

static gboolean
finish_enrolment (gint64 device_id,
                  char **token,
                  char **school,
                  gint64 *out_device_id,
                  char **out_token,
                  char **out_school)
{
  *out_device_id = device_id;
  *out_token = g_steal_pointer (token);
  *out_school = g_steal_pointer (school);
  return TRUE;
}

/* Inside the enrolment's transaction, which it ends. */
static gboolean
replace_token (CxHubDb *self, gint64 device_id, const char *token_hash, GError **error)
{
  sqlite3_stmt *stmt = _cx_hub_db_prepare (
      self, "UPDATE devices SET token_hash = ? WHERE id = ? AND revoked_at = 0", error);
  int rc;

  if (stmt == NULL)
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, device_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE || sqlite3_changes (self->db) != 1)
    {
      if (rc != SQLITE_DONE)
        _cx_hub_db_set_error (self, error, _ ("Could not enrol the device"));
      else
        g_set_error_literal (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_REVOKED,
                             _ ("The device this code enrolled has been revoked"));
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  return _cx_hub_db_exec (self, "COMMIT", error);
}

/**
 * cx_hub_db_enroll:
 *
 * Spends @code on a new device and gives it a token. A code works once,
 * until it expires; the same code with the same @request_id again (the
 * device never got the answer) gives that device a fresh token.
 */
gboolean
cx_hub_db_enroll (CxHubDb *self,
                  const char *code,
                  const char *request_id,
                  const char *device_name,
                  gint64 *out_device_id,
                  char **out_token,
                  char **out_school,
                  GError **error)
{
  g_autofree char *plain = normalise_code (code);
  g_autofree char *hash = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *school = NULL;
  sqlite3_stmt *stmt;
  gint64 school_id, expires_at, device_id;
  gboolean used, retry;
  int rc;

  if (plain == NULL)
    {
      g_set_error_literal (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_CODE_UNKNOWN,
                           _ ("That is not an enrolment code"));
      return FALSE;
    }
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_FAILED,
                           _ ("The cryptography library could not be started"));
      return FALSE;
    }
  hash = hash_secret (plain);

  if (!_cx_hub_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  stmt = _cx_hub_db_prepare (self,
                             "SELECT c.school_id, c.expires_at, c.used_by, s.name, "
                             "       c.used_request IS ?2 "
                             "FROM enrolment_codes c JOIN schools s ON s.id = c.school_id "
                             "WHERE c.code_hash = ?1",
                             error);
  if (stmt == NULL)
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      _cx_hub_db_rollback (self);
      g_set_error_literal (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_CODE_UNKNOWN,
                           _ ("The hub does not know that enrolment code"));
      return FALSE;
    }
  school_id = sqlite3_column_int64 (stmt, 0);
  expires_at = sqlite3_column_int64 (stmt, 1);
  device_id = sqlite3_column_int64 (stmt, 2);
  used = device_id != 0;
  school = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  retry = used && sqlite3_column_int (stmt, 4) != 0;
  sqlite3_finalize (stmt);

  if ((used && !retry) || expires_at <= _cx_hub_db_now ())
    {
      _cx_hub_db_rollback (self);
      g_set_error_literal (error, CX_HUB_DB_ERROR,
                           used ? CX_HUB_DB_ERROR_CODE_USED : CX_HUB_DB_ERROR_CODE_EXPIRED,
                           used ? _ ("That enrolment code has been used already; ask for a new one")
                                : _ ("That enrolment code has expired; ask for a new one"));
      return FALSE;
    }

  token = new_token ();
  token_hash = hash_secret (token);
  if (retry)
    return replace_token (self, device_id, token_hash, error) &&
           finish_enrolment (device_id, &token, &school, out_device_id, out_token, out_school);

  stmt = _cx_hub_db_prepare (self,
                             "INSERT INTO devices (school_id, name, token_hash, enrolled_at) "
                             "VALUES (?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, school_id);
  sqlite3_bind_text (stmt, 2, device_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, _cx_hub_db_now ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  device_id = sqlite3_last_insert_rowid (self->db);
  if (rc != SQLITE_DONE)
    {
      _cx_hub_db_set_error (self, error, _ ("Could not enrol the device"));
      _cx_hub_db_rollback (self);
      return FALSE;
    }

  stmt = _cx_hub_db_prepare (
      self, "UPDATE enrolment_codes SET used_by = ?, used_request = ? WHERE code_hash = ?", error);
  if (stmt == NULL)
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE || !_cx_hub_db_exec (self, "COMMIT", error))
    {
      if (rc != SQLITE_DONE)
        _cx_hub_db_set_error (self, error, _ ("Could not enrol the device"));
      _cx_hub_db_rollback (self);
      return FALSE;
    }

  return finish_enrolment (device_id, &token, &school, out_device_id, out_token, out_school);
}

gboolean
cx_hub_db_authenticate (CxHubDb *self, const char *token, gint64 *out_device_id, GError **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gboolean revoked;

  if (token == NULL || *token == '\0' || strlen (token) > 256)
    {
      g_set_error_literal (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_UNAUTHORIZED,
                           _ ("No device token was given"));
      return FALSE;
    }
  hash = hash_secret (token);
  stmt = _cx_hub_db_prepare (self, "SELECT id, revoked_at > 0 FROM devices WHERE token_hash = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      g_set_error_literal (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_UNAUTHORIZED,
                           _ ("The hub does not know this device token"));
      return FALSE;
    }
  *out_device_id = sqlite3_column_int64 (stmt, 0);
  revoked = sqlite3_column_int (stmt, 1) != 0;
  sqlite3_finalize (stmt);
  if (revoked)
    {
      g_set_error_literal (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_REVOKED,
                           _ ("This device’s token has been revoked; enrol it again"));
      return FALSE;
    }
  return TRUE;
}

gboolean
cx_hub_db_revoke (CxHubDb *self, gint64 device_id, GError **error)
{
  sqlite3_stmt *stmt = _cx_hub_db_prepare (
      self, "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at = 0", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, _cx_hub_db_now ());
  sqlite3_bind_int64 (stmt, 2, device_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _cx_hub_db_set_error (self, error, _ ("Could not revoke the device"));
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_NOT_FOUND,
                   _ ("There is no device %lld in use"), (long long) device_id);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
cx_hub_db_list_devices (CxHubDb *self, GError **error)
{
  g_autoptr (GPtrArray) devices =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_hub_device_free);
  sqlite3_stmt *stmt =
      _cx_hub_db_prepare (self,
                          "SELECT d.id, s.name, d.name, d.enrolled_at, d.revoked_at, "
                          "d.acknowledged FROM devices d JOIN schools s ON s.id = "
                          "d.school_id ORDER BY d.id",
                          error);

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CxHubDevice *device = g_new0 (CxHubDevice, 1);

      device->id = sqlite3_column_int64 (stmt, 0);
      device->school = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      device->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      device->enrolled_at = sqlite3_column_int64 (stmt, 3);
      device->revoked_at = sqlite3_column_int64 (stmt, 4);
      device->acknowledged = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (devices, device);
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&devices);
}

static gboolean
read_mark (CxHubDb *self, gint64 device_id, gint64 *out_acknowledged, GError **error)
{
  sqlite3_stmt *stmt =
      _cx_hub_db_prepare (self, "SELECT acknowledged FROM devices WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, device_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      g_set_error (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_NOT_FOUND, _ ("There is no device %lld"),
                   (long long) device_id);
      return FALSE;
    }
  *out_acknowledged = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

gboolean
cx_hub_db_get_events_mark (CxHubDb *self,
                           gint64 device_id,
                           gint64 *out_acknowledged,
                           GError **error)
{
  return read_mark (self, device_id, out_acknowledged, error);
}

static gboolean
insert_events (CxHubDb *self, gint64 device_id, CxEventBatch *batch, guint from, GError **error)
{
  for (guint i = from; i < cx_event_batch_get_n_events (batch); i++)
    {
      const CxEvent *event = cx_event_batch_get_event (batch, i);
      sqlite3_stmt *stmt = self->insert_event;
      int rc;

      sqlite3_bind_int64 (stmt, 1, device_id);
      sqlite3_bind_int64 (stmt, 2, event->seq);
      sqlite3_bind_int64 (stmt, 3, event->time_us);
      sqlite3_bind_text (stmt, 4, event->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, event->payload, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _cx_hub_db_set_error (self, error, _ ("Could not store the events"));
    }
  return TRUE;
}

/**
 * cx_hub_db_store_events:
 * @out_gap: set, and nothing stored, when @batch starts past the mark
 *
 * Stores the events of @batch the hub does not hold yet, in one
 * transaction, and moves the device's mark to the batch's end. Events at or
 * below the mark are duplicates and are skipped.
 */
gboolean
cx_hub_db_store_events (CxHubDb *self,
                        gint64 device_id,
                        CxEventBatch *batch,
                        gint64 *out_acknowledged,
                        guint *out_stored,
                        gboolean *out_gap,
                        GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gint64 first = cx_event_batch_get_first_seq (batch);
  gint64 last = first + cx_event_batch_get_n_events (batch) - 1;
  gint64 mark = 0;
  sqlite3_stmt *stmt;
  int rc;

  *out_stored = 0;
  *out_gap = FALSE;
  if (!_cx_hub_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!read_mark (self, device_id, &mark, error))
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  *out_acknowledged = mark;
  if (first > mark + 1 || last <= mark)
    {
      *out_gap = first > mark + 1;
      _cx_hub_db_rollback (self);
      return TRUE;
    }

  if (!insert_events (self, device_id, batch, (guint) (mark + 1 - first), &local_error))
    {
      _cx_hub_db_rollback (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  stmt = _cx_hub_db_prepare (self, "UPDATE devices SET acknowledged = ? WHERE id = ?", error);
  if (stmt == NULL)
    {
      _cx_hub_db_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, last);
  sqlite3_bind_int64 (stmt, 2, device_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE || !_cx_hub_db_exec (self, "COMMIT", &local_error))
    {
      if (local_error == NULL)
        _cx_hub_db_set_error (self, &local_error, _ ("Could not store the events"));
      _cx_hub_db_rollback (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *out_acknowledged = last;
  *out_stored = (guint) (last - mark);
  return TRUE;
}
