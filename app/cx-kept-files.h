/* cx-kept-files.h: files copied into the store, named by their content
 *
 * Hand-ins and the teacher's own lesson files are copied in at once
 * (DATA/FOLDER/XX/SHA256), through a temporary file, fsync and rename, so
 * they stay when the USB stick or camera is gone and a power cut never
 * leaves half a file under a real name.
 */
#pragma once

#include <gio/gio.h>

#include "cx-store.h"

G_BEGIN_DECLS

typedef void (*CxKeptFileProgressFunc) (guint64 copied, gpointer user_data);

char *cx_kept_file_get_path (CxStore *store, const char *folder, const char *content_hash);
gboolean cx_kept_file_copy_in (CxStore *store,
                               const char *folder,
                               const char *path,
                               guint64 max_size,
                               const char *suffix,
                               char **out_hash,
                               guint64 *out_size,
                               GCancellable *cancellable,
                               GError **error);
gboolean cx_kept_file_copy_into (const char *dir,
                                 GInputStream *in,
                                 const char *name,
                                 guint64 max_size,
                                 const char *suffix,
                                 CxKeptFileProgressFunc progress,
                                 gpointer progress_data,
                                 char **out_path,
                                 char **out_hash,
                                 guint64 *out_size,
                                 gboolean *out_created,
                                 GCancellable *cancellable,
                                 GError **error);

G_END_DECLS
