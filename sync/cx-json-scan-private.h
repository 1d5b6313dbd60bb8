/* cx-json-scan-private.h: a strict JSON reader that builds no tree
 *
 * Usage-event batches hold tens of thousands of small objects the hub
 * stores as text; building a json-glib tree for them, then writing each
 * payload out again, was most of the hub's time per batch. The scanner walks
 * the text once, checks it by the same strict rules as _cx_json_parse_strict
 * (no duplicate member names, no \u0000, no lone surrogates) and hands back
 * where each value lies.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deeper nesting is refused: no payload needs it, and it bounds recursion. */
#define CX_JSON_SCAN_MAX_DEPTH 32

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  guint depth;
} CxJsonScan;

void _cx_json_scan_init (CxJsonScan *scan, const char *data, gsize length);
void _cx_json_scan_skip_space (CxJsonScan *scan);
gboolean _cx_json_scan_at_end (CxJsonScan *scan);
gboolean _cx_json_scan_take (CxJsonScan *scan, char c);
gboolean _cx_json_scan_value (CxJsonScan *scan, GError **error);
gboolean _cx_json_scan_string (CxJsonScan *scan,
                               const char **out_start,
                               gsize *out_length,
                               gboolean *out_escaped,
                               GError **error);
gboolean _cx_json_scan_int (CxJsonScan *scan, gint64 *out, GError **error);
gboolean _cx_json_scan_fail (CxJsonScan *scan, GError **error, const char *what);

G_END_DECLS
