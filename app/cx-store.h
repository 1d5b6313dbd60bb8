/* cx-store.h: the SQLite store that holds everything a Cunxiao device knows
 *
 * A CxStore is used from one thread at a time; it is not internally locked.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CX_STORE_ERROR (cx_store_error_quark ())

typedef enum
{
  CX_STORE_ERROR_FAILED,
  CX_STORE_ERROR_NOT_FOUND,
  CX_STORE_ERROR_EXISTS,
  CX_STORE_ERROR_TOO_NEW,
  CX_STORE_ERROR_NOT_A_STORE,
  CX_STORE_ERROR_CORRUPT,
  CX_STORE_ERROR_INVALID,
  CX_STORE_ERROR_WRONG_PIN,
  CX_STORE_ERROR_READ_ONLY,
} CxStoreError;

typedef struct
{
  gint64 hubs;
  gint64 packages;
  gint64 installed_packages;
  gint64 resources;
  gint64 accounts;
  gint64 lesson_plans;
  gint64 timetable_entries;
  gint64 journal_entries;
  gint64 journal_unacknowledged;
  gint64 hand_ins;
  gint64 hand_ins_pending;
} CxStoreCounts;

#define CX_TYPE_STORE (cx_store_get_type ())
G_DECLARE_FINAL_TYPE (CxStore, cx_store, CX, STORE, GObject)

GQuark cx_store_error_quark (void);
int cx_store_get_supported_schema (void);
char *cx_store_default_data_dir (void);
char *cx_store_database_path (const char *data_dir);

CxStore *cx_store_create (const char *data_dir, GError **error);
CxStore *cx_store_open (const char *data_dir, GError **error);

const char *cx_store_get_data_dir (CxStore *self);
const char *cx_store_get_database_path (CxStore *self);
int cx_store_get_schema_version (CxStore *self);
const char *cx_store_get_device_id (CxStore *self);
gboolean cx_store_get_counts (CxStore *self, CxStoreCounts *counts, GError **error);
gboolean cx_store_check_integrity (CxStore *self, GError **error);

G_END_DECLS
