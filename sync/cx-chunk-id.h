/* cx-chunk-id.h: SHA-256 content ids for chunks, files, manifests and packs
 *
 * Content ids are plain 32-byte values passed by pointer; they are cheap to
 * copy and to use as GHashTable keys.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CX_CHUNK_ID_LEN     32
#define CX_CHUNK_ID_HEX_LEN 64

typedef struct
{
  guint8 bytes[CX_CHUNK_ID_LEN];
} CxChunkId;

void cx_chunk_id_compute (const void *data, gsize length, CxChunkId *out_id);
char *cx_chunk_id_to_hex (const CxChunkId *id);
void cx_chunk_id_to_hex_buf (const CxChunkId *id, char *buf);
gboolean cx_chunk_id_from_hex (const char *hex, CxChunkId *out_id);
gboolean cx_chunk_id_equal (gconstpointer a, gconstpointer b);
guint cx_chunk_id_hash (gconstpointer id);
CxChunkId *cx_chunk_id_dup (const CxChunkId *id);

G_END_DECLS
