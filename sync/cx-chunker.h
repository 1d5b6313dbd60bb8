/* cx-chunker.h: FastCDC content-defined chunking
 *
 * Boundaries depend only on the bytes, never on how they were fed, so the
 * same content always yields the same chunk ids wherever it appears.
 */
#pragma once

#include <gio/gio.h>

#include "cx-chunk-id.h"

G_BEGIN_DECLS

#define CX_CHUNKER_DEFAULT_MIN (16 * 1024)
#define CX_CHUNKER_DEFAULT_AVG (64 * 1024)
#define CX_CHUNKER_DEFAULT_MAX (256 * 1024)
/* Hard limits on the parameters; the pack format relies on the upper one. */
#define CX_CHUNKER_LIMIT_MIN 64
#define CX_CHUNKER_LIMIT_MAX (16 * 1024 * 1024)

typedef struct
{
  guint64 offset;
  guint32 length;
  CxChunkId id;
} CxChunk;

/* Called once per chunk with its bytes; return FALSE (and set @error) to stop. */
typedef gboolean (*CxChunkerFunc) (const CxChunk *chunk,
                                   const guint8 *data,
                                   gpointer user_data,
                                   GError **error);

#define CX_TYPE_CHUNKER (cx_chunker_get_type ())
G_DECLARE_FINAL_TYPE (CxChunker, cx_chunker, CX, CHUNKER, GObject)

CxChunker *cx_chunker_new (void);
CxChunker *
cx_chunker_new_full (guint32 min_size, guint32 avg_size, guint32 max_size, GError **error);
guint32 cx_chunker_get_min_size (CxChunker *self);
guint32 cx_chunker_get_avg_size (CxChunker *self);
guint32 cx_chunker_get_max_size (CxChunker *self);

void cx_chunker_reset (CxChunker *self);
void cx_chunker_feed (CxChunker *self, const guint8 *data, gsize length, GArray *chunks);
void cx_chunker_finish (CxChunker *self, GArray *chunks);

GArray *cx_chunker_chunk_stream (CxChunker *self,
                                 GInputStream *stream,
                                 CxChunkerFunc func,
                                 gpointer user_data,
                                 GCancellable *cancellable,
                                 GError **error);
GArray *cx_chunker_chunk_file (CxChunker *self,
                               GFile *file,
                               CxChunkerFunc func,
                               gpointer user_data,
                               GCancellable *cancellable,
                               GError **error);

GArray *cx_chunk_array_new (void);

G_END_DECLS
