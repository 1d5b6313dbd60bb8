/* cx-tree-builder.h: writing the files of a package version into a new folder
 *
 * Files are created beneath a folder the builder opened itself, one path
 * component at a time with O_NOFOLLOW, so nothing in a manifest or left on
 * disk can make it write outside.  Every file is hashed while it is written
 * and removed again unless its SHA-256 and size match.
 */
#pragma once

#include <gio/gio.h>

#include "cx-chunk-id.h"

G_BEGIN_DECLS

typedef struct _CxTreeBuilder CxTreeBuilder;

/* Returns chunk number @index of the file being written, verified. */
typedef GBytes *(*CxTreeChunkFunc) (guint index, gpointer user_data, GError **error);

CxTreeBuilder *cx_tree_builder_open (const char *path, GError **error);
void cx_tree_builder_free (CxTreeBuilder *self);

gboolean cx_tree_builder_has_file (CxTreeBuilder *self,
                                   const char *path,
                                   guint64 size,
                                   const CxChunkId *sha256);
gboolean cx_tree_builder_write_file (CxTreeBuilder *self,
                                     const char *path,
                                     guint32 mode,
                                     guint64 size,
                                     const CxChunkId *sha256,
                                     guint n_chunks,
                                     CxTreeChunkFunc chunk_func,
                                     gpointer user_data,
                                     GCancellable *cancellable,
                                     GError **error);
gboolean cx_tree_builder_link_file (CxTreeBuilder *self,
                                    const char *path,
                                    const char *source,
                                    guint64 size,
                                    const CxChunkId *sha256,
                                    GError **error);
gboolean cx_tree_builder_sync (CxTreeBuilder *self, GError **error);

gboolean cx_file_hash (int fd, guint64 *out_size, CxChunkId *out_sha256, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxTreeBuilder, cx_tree_builder_free)

G_END_DECLS
