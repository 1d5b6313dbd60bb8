/* cx-store-private.h: what the per-table files of CxStore share */
#pragma once

#include <sqlite3.h>

#include "cx-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Makes one record of the row @stmt is on. */
typedef gpointer (*CxStoreRowFunc) (sqlite3_stmt *stmt);

sqlite3 *_cx_store_get_db (CxStore *self);
sqlite3_stmt *_cx_store_prepare (CxStore *self, const char *sql, GError **error);
gboolean _cx_store_step_done (CxStore *self, sqlite3_stmt *stmt, GError **error);
gboolean _cx_store_exec (CxStore *self, const char *sql, GError **error);
gboolean _cx_store_begin (CxStore *self, GError **error);
gboolean _cx_store_commit (CxStore *self, GError **error);
void _cx_store_rollback (CxStore *self);
gboolean _cx_store_count_rows (CxStore *self, const char *sql, gint64 *out_count, GError **error);
void _cx_store_set_error (CxStore *self, GError **error, const char *what);
char *_cx_store_column_dup (sqlite3_stmt *stmt, int column);
GPtrArray *_cx_store_collect_rows (CxStore *self,
                                   sqlite3_stmt *stmt,
                                   CxStoreRowFunc from_row,
                                   GDestroyNotify free_func,
                                   const char *what,
                                   GError **error);
void _cx_store_bind_text_or_null (sqlite3_stmt *stmt, int index, const char *text);
gint64 _cx_store_now (void);

/* In cx-store-catalog.c */
gboolean _cx_store_check_version_changed (CxStore *self, gint64 version_id, GError **error);

/* Migrations, in cx-store-schema.c */
extern const char *const _cx_store_migrations[];
extern const guint _cx_store_n_migrations;

G_END_DECLS
