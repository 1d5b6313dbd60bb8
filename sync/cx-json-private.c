/* cx-json-private.c: strict JSON reading for signed documents */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-json-private.h"
#include "cx-sync-error.h"

typedef struct
{
  GHashTable *member_counts; /* JsonObject* → number of members parsed */
  gboolean duplicate;
} StrictState;

static void
object_member_cb (JsonParser *parser,
                  JsonObject *object,
                  const char *member_name,
                  gpointer user_data)
{
  StrictState *state = user_data;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (state->member_counts, object));

  g_hash_table_insert (state->member_counts, object, GUINT_TO_POINTER (count + 1));
}

/* json-glib keeps the last of two equal members without telling us; a
 * member count above the object's size reveals it. */
static void
object_end_cb (JsonParser *parser, JsonObject *object, gpointer user_data)
{
  StrictState *state = user_data;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (state->member_counts, object));

  if (count != json_object_get_size (object))
    state->duplicate = TRUE;
  g_hash_table_remove (state->member_counts, object);
}

static gboolean
set_malformed (GError **error, const char *reason)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED, _ ("Malformed document: %s"), reason);
  return FALSE;
}

/**
 * _cx_json_parse_strict:
 *
 * Parses UTF-8 JSON whose root is an object.  Refuses NUL bytes, the
 * escape \u0000 (json-glib would silently cut the string there), and
 * duplicate member names.
 */
JsonNode *
_cx_json_parse_strict (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GHashTable) counts = NULL;
  g_autoptr (GError) local_error = NULL;
  StrictState state = { 0 };
  JsonNode *root;

  if (memchr (data, '\0', length) != NULL || !g_utf8_validate_len (data, length, NULL))
    {
      set_malformed (error, _ ("not valid UTF-8 text"));
      return NULL;
    }
  if (g_strstr_len (data, length, "\\u0000") != NULL)
    {
      set_malformed (error, _ ("a string contains a NUL character"));
      return NULL;
    }

  counts = g_hash_table_new (NULL, NULL);
  state.member_counts = counts;
  parser = json_parser_new_immutable ();
  g_signal_connect (parser, "object-member", G_CALLBACK (object_member_cb), &state);
  g_signal_connect (parser, "object-end", G_CALLBACK (object_end_cb), &state);

  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      set_malformed (error, local_error->message);
      return NULL;
    }
  if (state.duplicate)
    {
      set_malformed (error, _ ("a member name appears twice in one object"));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_malformed (error, _ ("the top level is not an object"));
      return NULL;
    }

  return json_node_ref (root);
}

/**
 * _cx_json_parse_document:
 * @out_format: (out): the document's "format" member
 *
 * Parses a signed document strictly and reads its format, which the
 * caller checks before trusting anything else in it.
 */
JsonNode *
_cx_json_parse_document (const char *data, gsize length, guint64 *out_format, GError **error)
{
  g_autoptr (JsonNode) root = _cx_json_parse_strict (data, length, error);

  if (root == NULL ||
      !_cx_json_get_uint (json_node_get_object (root), "format", G_MAXUINT32, out_format, error))
    return NULL;
  return g_steal_pointer (&root);
}

static gboolean
set_member_error (GError **error, const char *member)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
               _ ("Malformed document: “%s” is missing or has the wrong type"), member);
  return FALSE;
}

JsonObject *
_cx_json_get_object (JsonObject *object, const char *member, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_member_error (error, member);
      return NULL;
    }
  return json_node_get_object (node);
}

/* An absent optional array reads as an empty one. */
JsonArray *
_cx_json_get_array (JsonObject *object, const char *member, gboolean required, GError **error)
{
  static JsonArray *empty = NULL;
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL && !required)
    {
      if (g_once_init_enter (&empty))
        g_once_init_leave (&empty, json_array_new ());
      return empty;
    }
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      set_member_error (error, member);
      return NULL;
    }
  return json_node_get_array (node);
}

JsonObject *
_cx_json_array_get_object (JsonArray *array, guint index, const char *member, GError **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_member_error (error, member);
      return NULL;
    }
  return json_node_get_object (node);
}

gboolean
_cx_json_node_get_string (JsonNode *node, const char *member, const char **out, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return set_member_error (error, member);

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
_cx_json_get_string (
    JsonObject *object, const char *member, gboolean required, const char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL && !required)
    {
      *out = NULL;
      return TRUE;
    }
  return _cx_json_node_get_string (node, member, out, error);
}

gboolean
_cx_json_node_get_uint (
    JsonNode *node, const char *member, guint64 max, guint64 *out, GError **error)
{
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return set_member_error (error, member);

  value = json_node_get_int (node);
  if (value < 0 || (guint64) value > MIN (max, CX_JSON_MAX_INT))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                   _ ("Malformed document: “%s” is out of range"), member);
      return FALSE;
    }

  *out = (guint64) value;
  return TRUE;
}

gboolean
_cx_json_get_uint (
    JsonObject *object, const char *member, guint64 max, guint64 *out, GError **error)
{
  return _cx_json_node_get_uint (json_object_get_member (object, member), member, max, out, error);
}

/* Compact output: the bytes are signed or hashed as they are, so they
 * never need to be reproduced, only kept. */
char *
_cx_json_to_data (JsonNode *root, gsize *length)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, FALSE);
  return json_generator_to_data (generator, length);
}

void
_cx_json_add_string_member (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

void
_cx_json_add_int_member (JsonBuilder *builder, const char *member, gint64 value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

/* Documents name chunks, packs and manifests by their id in hex. */
void
_cx_json_add_id_member (JsonBuilder *builder, const char *member, const CxChunkId *id)
{
  char hex[CX_CHUNK_ID_HEX_LEN + 1];

  cx_chunk_id_to_hex_buf (id, hex);
  _cx_json_add_string_member (builder, member, hex);
}
