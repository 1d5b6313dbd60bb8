/* cx-pack-private.h: the binary index framing packs and deltas share
 *
 * A pack index (sync/PROTOCOL.md §6) and a delta index (§7) are both a
 * magic string, a u32le format, a u32le entry count and then fixed-size
 * entries.  Reading and writing that framing lives in cx-pack.c; each
 * index parses its own entries.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CX_INDEX_PACK,
  CX_INDEX_DELTA,
} CxIndexKind;

typedef struct
{
  CxIndexKind kind; /* which index the error messages name */
  const char *magic;
  gsize magic_len;
  guint32 format;
  guint32 min_entries;
  guint32 max_entries;
  gsize entry_len;
} CxIndexLayout;

guint32 _cx_read_u32le (const guint8 *p);
guint64 _cx_read_u64le (const guint8 *p);
void _cx_put_u32le (GByteArray *out, guint32 value);
void _cx_put_u64le (GByteArray *out, guint64 value);

gboolean _cx_index_set_malformed (CxIndexKind kind, GError **error, const char *reason);
gboolean _cx_index_read_header (const CxIndexLayout *layout,
                                const guint8 *data,
                                gsize length,
                                guint32 *out_count,
                                GError **error);
GByteArray *_cx_index_new_bytes (const CxIndexLayout *layout, guint32 count);

G_END_DECLS
