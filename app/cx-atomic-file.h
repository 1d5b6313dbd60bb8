/* cx-atomic-file.h: a file written whole or not at all
 *
 * Written under a temporary name beside its final one, then fsynced and
 * renamed: a crash, a full disk or a cancelled export never leaves half a
 * file under the name the user gave, nor replaces a good one.
 */
#pragma once

#include <gio/gio.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct _CxAtomicFile CxAtomicFile;

CxAtomicFile *cx_atomic_file_new (const char *path, GError **error);
const char *cx_atomic_file_get_temp_path (CxAtomicFile *self);
FILE *cx_atomic_file_get_stream (CxAtomicFile *self);
gboolean cx_atomic_file_check (CxAtomicFile *self, GError **error);
gboolean cx_atomic_file_commit (CxAtomicFile *self, GError **error);
void cx_atomic_file_free (CxAtomicFile *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxAtomicFile, cx_atomic_file_free)

G_END_DECLS
