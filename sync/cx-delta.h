/* cx-delta.h: per-file deltas between package versions (PROTOCOL.md §7)
 *
 * A delta turns a file a client already has (the base) into its changed
 * version (the target) with one zstd frame compressed against the base as
 * a prefix, as `zstd --patch-from` does.  A delta pack is the
 * concatenation of such frames for one pair of versions; its delta index
 * says which frame rebuilds which path.  Both are content-addressed and
 * trusted through the signed repository index, like packs.
 */
#pragma once

#include <gio/gio.h>

#include "cx-chunk-id.h"
#include "cx-pack.h"

G_BEGIN_DECLS

#define CX_DELTA_INDEX_FORMAT    1
#define CX_DELTA_INDEX_MAGIC     "CXDELTA\n"
#define CX_DELTA_INDEX_MAGIC_LEN 8
#define CX_DELTA_INDEX_HEADER    16
#define CX_DELTA_INDEX_ENTRY     116
#define CX_DELTA_MAX_ENTRIES     65536
#define CX_DELTA_INDEX_MAX_SIZE \
  (CX_DELTA_INDEX_HEADER + CX_DELTA_INDEX_ENTRY * CX_DELTA_MAX_ENTRIES)
/* Bases and targets stay below this, so base + target fits the 2^27-byte
 * window every zstd decoder accepts without special settings. */
#define CX_DELTA_MAX_FILE_SIZE (64 * 1024 * 1024)
#define CX_DELTA_DEFAULT_LEVEL 19

typedef struct
{
  CxChunkId path_hash; /* SHA-256 of the target path's UTF-8 bytes */
  CxChunkId base_sha256;
  CxChunkId target_sha256;
  guint64 offset; /* in the delta pack */
  guint32 compressed_size;
  guint32 base_size;
  guint32 target_size;
} CxDeltaEntry;

typedef struct _CxDeltaIndex CxDeltaIndex;
typedef struct _CxDeltaWriter CxDeltaWriter;

gboolean cx_delta_index_size_is_valid (guint64 size);
void cx_delta_path_hash (const char *path, CxChunkId *out_hash);

CxDeltaIndex *
cx_delta_index_new_from_bytes (GBytes *data, const CxChunkId *expected_id, GError **error);
CxDeltaIndex *cx_delta_index_ref (CxDeltaIndex *self);
void cx_delta_index_unref (CxDeltaIndex *self);
void cx_delta_index_get_id (CxDeltaIndex *self, CxChunkId *out_id);
guint cx_delta_index_get_n_entries (CxDeltaIndex *self);
const CxDeltaEntry *cx_delta_index_get_entry (CxDeltaIndex *self, guint index);
guint64 cx_delta_index_get_pack_size (CxDeltaIndex *self);
const CxDeltaEntry *cx_delta_index_lookup (CxDeltaIndex *self, const char *path, guint *out_index);
GArray *cx_delta_index_coalesce (CxDeltaIndex *self,
                                 const char *const *paths,
                                 gsize n_paths,
                                 guint64 max_gap,
                                 guint64 max_range,
                                 GError **error);

GBytes *cx_delta_encode (const guint8 *base,
                         gsize base_length,
                         const guint8 *target,
                         gsize target_length,
                         int level,
                         GError **error);
GBytes *cx_delta_decode (const guint8 *frame,
                         gsize frame_length,
                         const guint8 *base,
                         gsize base_length,
                         gsize target_size,
                         GError **error);
GBytes *cx_delta_apply (const CxDeltaEntry *entry,
                        const guint8 *frame,
                        gsize frame_length,
                        const guint8 *base,
                        gsize base_length,
                        GError **error);

CxDeltaWriter *cx_delta_writer_new (GOutputStream *pack);
void cx_delta_writer_free (CxDeltaWriter *self);
gboolean cx_delta_writer_add (CxDeltaWriter *self,
                              const char *path,
                              const CxChunkId *base_sha256,
                              gsize base_size,
                              const CxChunkId *target_sha256,
                              gsize target_size,
                              GBytes *frame,
                              GCancellable *cancellable,
                              GError **error);
guint cx_delta_writer_get_n_entries (CxDeltaWriter *self);
GBytes *cx_delta_writer_finish (CxDeltaWriter *self,
                                CxChunkId *out_id,
                                guint64 *out_pack_size,
                                GCancellable *cancellable,
                                GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxDeltaIndex, cx_delta_index_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxDeltaWriter, cx_delta_writer_free)

G_END_DECLS
