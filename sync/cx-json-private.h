/* cx-json-private.h: strict JSON reading shared by the index and manifests
 *
 * Signed documents must mean the same thing to every implementation, so
 * input that parsers commonly disagree on (duplicate members, NUL, integers
 * beyond 2^53) is refused rather than interpreted.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cx-chunk-id.h"

G_BEGIN_DECLS

/* Largest integer every JSON implementation represents exactly. */
#define CX_JSON_MAX_INT G_GUINT64_CONSTANT (9007199254740991)

JsonNode *_cx_json_parse_strict (const char *data, gsize length, GError **error);
JsonNode *
_cx_json_parse_document (const char *data, gsize length, guint64 *out_format, GError **error);
JsonObject *_cx_json_get_object (JsonObject *object, const char *member, GError **error);
JsonArray *
_cx_json_get_array (JsonObject *object, const char *member, gboolean required, GError **error);
JsonObject *
_cx_json_array_get_object (JsonArray *array, guint index, const char *member, GError **error);
gboolean _cx_json_get_string (
    JsonObject *object, const char *member, gboolean required, const char **out, GError **error);
gboolean _cx_json_get_uint (
    JsonObject *object, const char *member, guint64 max, guint64 *out, GError **error);
gboolean _cx_json_node_get_uint (
    JsonNode *node, const char *member, guint64 max, guint64 *out, GError **error);
gboolean
_cx_json_node_get_string (JsonNode *node, const char *member, const char **out, GError **error);
char *_cx_json_to_data (JsonNode *root, gsize *length);
void _cx_json_add_string_member (JsonBuilder *builder, const char *member, const char *value);
void _cx_json_add_int_member (JsonBuilder *builder, const char *member, gint64 value);
void _cx_json_add_id_member (JsonBuilder *builder, const char *member, const CxChunkId *id);

G_END_DECLS
