/* cx-pack.h: pack files of zstd-compressed chunks, and their indexes
 *
 * A pack is a plain concatenation of zstd frames, one per chunk; its index
 * maps each chunk id to (offset, compressed length, uncompressed length).
 * Packs exist so that a client fetches a run of chunks with one HTTP Range
 * request instead of one request per chunk.
 */
#pragma once

#include <gio/gio.h>

#include "cx-chunk-id.h"

G_BEGIN_DECLS

#define CX_PACK_INDEX_FORMAT    1
#define CX_PACK_INDEX_MAGIC     "CXPACKX\n"
#define CX_PACK_INDEX_MAGIC_LEN 8
#define CX_PACK_MAX_ENTRIES     (1024 * 1024)
#define CX_PACK_MAX_CHUNK_SIZE  (16 * 1024 * 1024)
/* Coalescing defaults: a gap below 64 KiB costs less than a round trip at
 * 600 ms even at 256 kbit/s... */
#define CX_PACK_DEFAULT_MAX_GAP (64 * 1024)
/* ...and one range never exceeds what a short connected window carries. */
#define CX_PACK_DEFAULT_MAX_RANGE (4 * 1024 * 1024)

typedef struct
{
  CxChunkId id;
  guint64 offset;
  guint32 compressed_size;
  guint32 size;
} CxPackEntry;

typedef struct
{
  guint64 offset;
  guint64 length;
  guint first_entry; /* index into the pack index, in offset order */
  guint n_entries;   /* entries fully inside [offset, offset + length) */
} CxPackRange;

/* One wanted entry of an offset-ordered list whose entries tile a file
 * (a pack, or a delta pack); the input of cx_pack_coalesce_extents(). */
typedef struct
{
  guint64 offset;
  guint64 length;
  guint position; /* the entry's index in that list */
} CxPackExtent;

typedef struct _CxPackIndex CxPackIndex;
typedef struct _CxPackWriter CxPackWriter;

CxPackIndex *cx_pack_index_new_from_bytes (GBytes *data, GError **error);
CxPackIndex *cx_pack_index_ref (CxPackIndex *self);
void cx_pack_index_unref (CxPackIndex *self);
void cx_pack_index_get_id (CxPackIndex *self, CxChunkId *out_id);
guint cx_pack_index_get_n_entries (CxPackIndex *self);
const CxPackEntry *cx_pack_index_get_entry (CxPackIndex *self, guint index);
const CxPackEntry *cx_pack_index_lookup (CxPackIndex *self, const CxChunkId *id, guint *out_index);
guint64 cx_pack_index_get_pack_size (CxPackIndex *self);
GArray *cx_pack_index_coalesce (CxPackIndex *self,
                                const CxChunkId *wanted,
                                gsize n_wanted,
                                guint64 max_gap,
                                guint64 max_range,
                                GError **error);

GArray *cx_pack_coalesce_extents (CxPackExtent *extents,
                                  guint n_extents,
                                  guint64 max_gap,
                                  guint64 max_range);

GBytes *cx_pack_decode_chunk (const CxPackEntry *entry,
                              const guint8 *frame,
                              gsize frame_length,
                              GError **error);
GBytes *cx_pack_read_chunk (CxPackIndex *index,
                            GInputStream *pack,
                            const CxChunkId *id,
                            GCancellable *cancellable,
                            GError **error);

CxPackWriter *cx_pack_writer_new (GOutputStream *pack, int level);
void cx_pack_writer_free (CxPackWriter *self);
gboolean cx_pack_writer_add_chunk (CxPackWriter *self,
                                   const guint8 *data,
                                   gsize length,
                                   CxChunkId *out_id,
                                   GCancellable *cancellable,
                                   GError **error);
guint cx_pack_writer_get_n_entries (CxPackWriter *self);
GBytes *cx_pack_writer_finish (CxPackWriter *self,
                               CxChunkId *out_pack_id,
                               GCancellable *cancellable,
                               GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxPackIndex, cx_pack_index_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxPackWriter, cx_pack_writer_free)

G_END_DECLS
