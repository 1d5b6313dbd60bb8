/* cx-content-store.h: the files behind installed packages
 *
 * Under DATA_DIR/content: verified copies of manifests, pack indexes and
 * delta indexes (named by their SHA-256), staged chunks that arrived but
 * are not yet part of an installed file, and the trees of installed
 * versions.  Everything is written atomically and checked again when read,
 * so a power cut or a damaged disk costs a re-fetch, never a wrong byte.
 */
#pragma once

#include <gio/gio.h>

#include "cx-chunk-id.h"

G_BEGIN_DECLS

typedef enum
{
  CX_OBJECT_MANIFEST,
  CX_OBJECT_PACK_INDEX,
  CX_OBJECT_DELTA_INDEX,
  CX_OBJECT_CHUNK,
} CxObjectKind;

#define CX_TYPE_CONTENT_STORE (cx_content_store_get_type ())
G_DECLARE_FINAL_TYPE (CxContentStore, cx_content_store, CX, CONTENT_STORE, GObject)

CxContentStore *cx_content_store_new (const char *data_dir, GError **error);
const char *cx_content_store_get_path (CxContentStore *self);

GBytes *cx_content_store_load (CxContentStore *self,
                               CxObjectKind kind,
                               const CxChunkId *id,
                               GError **error);
gboolean cx_content_store_has (CxContentStore *self, CxObjectKind kind, const CxChunkId *id);
gboolean cx_content_store_save (
    CxContentStore *self, CxObjectKind kind, const CxChunkId *id, GBytes *data, GError **error);
void cx_content_store_discard (CxContentStore *self, CxObjectKind kind, const CxChunkId *id);

gboolean
cx_content_store_save_index (CxContentStore *self, gint64 hub_id, GBytes *index, GError **error);
GBytes *cx_content_store_load_index (CxContentStore *self, gint64 hub_id);

char *cx_content_store_tree_path (CxContentStore *self, const char *tree);
char *
cx_content_store_new_tree_name (CxContentStore *self, const char *package_key, gint64 version);
char *cx_content_store_build_name (CxContentStore *self,
                                   gint64 hub_id,
                                   const char *package_key,
                                   gint64 version);

gboolean
cx_content_store_query_free_space (CxContentStore *self, guint64 *out_free, GError **error);
gboolean cx_content_store_remove_tree (CxContentStore *self, const char *tree, GError **error);
gboolean cx_content_store_sync_trees (CxContentStore *self, GError **error);
void cx_content_store_remove_other_builds (CxContentStore *self,
                                           gint64 hub_id,
                                           const char *package_key,
                                           const char *keep);
void cx_content_store_clear_staging_if_idle (CxContentStore *self);
gboolean cx_content_store_collect_trees (CxContentStore *self,
                                         const char *const *live_trees,
                                         GError **error);

G_END_DECLS
