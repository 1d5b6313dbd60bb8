/* cx-upload.c: upload manifests, written and strictly read */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-json-private.h"
#include "cx-sync-error.h"
#include "cx-upload.h"

void
cx_upload_free (CxUpload *upload)
{
  if (upload == NULL)
    return;
  g_free (upload->id);
  g_free (upload->kind);
  g_free (upload->name);
  g_free (upload->meta);
  if (upload->chunks != NULL)
    g_array_unref (upload->chunks);
  g_free (upload);
}

/* A name to show and to save under, never a path: no separators, no dot
 * names, no control characters, valid UTF-8 of at most 255 bytes. */
gboolean
cx_upload_name_is_valid (const char *name)
{
  gsize length = name != NULL ? strlen (name) : 0;

  if (length == 0 || length > CX_UPLOAD_MAX_NAME_LENGTH || !g_utf8_validate (name, -1, NULL) ||
      g_str_equal (name, ".") || g_str_equal (name, "..") || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '/' || *p == '\\' || (guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static gboolean
kind_is_valid (const char *kind)
{
  return g_strcmp0 (kind, "hand-in") == 0 || g_strcmp0 (kind, "lesson-plan") == 0;
}

static gboolean
set_bad (GError **error, const char *reason)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED, _ ("Bad upload manifest: %s"),
               reason);
  return FALSE;
}

static gboolean
check (const CxUpload *upload, GError **error)
{
  guint64 total = 0;

  if (upload->id == NULL || !g_uuid_string_is_valid (upload->id))
    return set_bad (error, _ ("the id is not a UUID"));
  if (!kind_is_valid (upload->kind))
    return set_bad (error, _ ("the kind is neither “hand-in” nor “lesson-plan”"));
  if (!cx_upload_name_is_valid (upload->name))
    return set_bad (error, _ ("the name is not a plain file name"));
  if (upload->size == 0 || upload->size > CX_UPLOAD_MAX_FILE_SIZE)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                   _ ("“%s” is %llu bytes; files of 1 byte to %u MiB are taken"), upload->name,
                   (unsigned long long) upload->size, CX_UPLOAD_MAX_FILE_SIZE / (1024 * 1024));
      return FALSE;
    }
  if (upload->chunks->len == 0 || upload->chunks->len > CX_UPLOAD_MAX_CHUNKS)
    return set_bad (error, _ ("it has no chunks, or too many"));
  for (guint i = 0; i < upload->chunks->len; i++)
    {
      guint32 length = g_array_index (upload->chunks, CxUploadChunk, i).length;

      if (length == 0 || length > CX_UPLOAD_MAX_CHUNK_SIZE)
        return set_bad (error, _ ("a chunk is empty or larger than 1 MiB"));
      total += length;
    }
  if (total != upload->size)
    return set_bad (error, _ ("its chunks do not add up to its size"));
  if (upload->meta == NULL || strlen (upload->meta) > CX_UPLOAD_MAX_META_LENGTH)
    return set_bad (error, _ ("its details are missing or too long"));
  return TRUE;
}

GBytes *
cx_upload_to_json (const CxUpload *upload, GError **error)
{
  g_autoptr (GString) json = g_string_new (NULL);
  g_autoptr (JsonNode) meta = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *meta_text = NULL;
  char hex[CX_CHUNK_ID_LEN * 2 + 1];

  if (!check (upload, error))
    return NULL;
  meta = _cx_json_parse_strict (upload->meta, strlen (upload->meta), error);
  if (meta == NULL)
    return NULL;
  meta_text = _cx_json_to_data (meta, NULL);

  {
    JsonBuilder *b = json_builder_new ();
    g_autoptr (JsonNode) head = NULL;
    g_autofree char *head_text = NULL;

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "id");
    json_builder_add_string_value (b, upload->id);
    json_builder_set_member_name (b, "kind");
    json_builder_add_string_value (b, upload->kind);
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b, upload->name);
    json_builder_set_member_name (b, "size");
    json_builder_add_int_value (b, (gint64) upload->size);
    sha = cx_chunk_id_to_hex (&upload->sha256);
    json_builder_set_member_name (b, "sha256");
    json_builder_add_string_value (b, sha);
    json_builder_end_object (b);
    head = json_builder_get_root (b);
    g_object_unref (b);
    head_text = _cx_json_to_data (head, NULL);
    /* The head without its closing brace, then the chunks and details. */
    g_string_append_len (json, head_text, (gssize) strlen (head_text) - 1);
  }

  g_string_append (json, ",\"chunks\":[");
  for (guint i = 0; i < upload->chunks->len; i++)
    {
      const CxUploadChunk *c = &g_array_index (upload->chunks, CxUploadChunk, i);

      cx_chunk_id_to_hex_buf (&c->id, hex);
      g_string_append_printf (json, "%s[\"%s\",%u]", i > 0 ? "," : "", hex, c->length);
    }
  g_string_append_printf (json, "],\"meta\":%s}", meta_text);
  return g_string_free_to_bytes (g_steal_pointer (&json));
}

static gboolean
read_chunks (JsonArray *array, GArray *chunks, GError **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonArray *pair;
      CxUploadChunk chunk = { 0 };
      JsonNode *hex, *length;

      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) != 2)
        return set_bad (error, _ ("a chunk is not [sha256, length]"));
      pair = json_node_get_array (node);
      hex = json_array_get_element (pair, 0);
      length = json_array_get_element (pair, 1);
      if (json_node_get_value_type (hex) != G_TYPE_STRING ||
          !cx_chunk_id_from_hex (json_node_get_string (hex), &chunk.id) ||
          json_node_get_value_type (length) != G_TYPE_INT64 || json_node_get_int (length) <= 0 ||
          json_node_get_int (length) > CX_UPLOAD_MAX_CHUNK_SIZE)
        return set_bad (error, _ ("a chunk is not [sha256, length]"));
      chunk.length = (guint32) json_node_get_int (length);
      g_array_append_val (chunks, chunk);
    }
  return TRUE;
}

CxUpload *
cx_upload_new_from_json (GBytes *json, GError **error)
{
  g_autoptr (CxUpload) upload = g_new0 (CxUpload, 1);
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object, *meta;
  JsonArray *chunks;
  const char *id, *kind, *name, *sha;
  guint64 size = 0;
  gsize length;
  const char *data = g_bytes_get_data (json, &length);

  upload->chunks = g_array_new (FALSE, FALSE, sizeof (CxUploadChunk));
  if (length > CX_UPLOAD_MAX_MANIFEST_SIZE)
    {
      set_bad (error, _ ("it is too long"));
      return NULL;
    }
  root = _cx_json_parse_strict (data, length, error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);
  if (!_cx_json_get_string (object, "id", TRUE, &id, error) ||
      !_cx_json_get_string (object, "kind", TRUE, &kind, error) ||
      !_cx_json_get_string (object, "name", TRUE, &name, error) ||
      !_cx_json_get_string (object, "sha256", TRUE, &sha, error) ||
      !_cx_json_get_uint (object, "size", CX_JSON_MAX_INT, &size, error))
    return NULL;
  chunks = _cx_json_get_array (object, "chunks", TRUE, error);
  meta = chunks != NULL ? _cx_json_get_object (object, "meta", error) : NULL;
  if (meta == NULL)
    return NULL;
  if (!cx_chunk_id_from_hex (sha, &upload->sha256))
    {
      set_bad (error, _ ("“sha256” is not a SHA-256"));
      return NULL;
    }
  if (json_array_get_length (chunks) > CX_UPLOAD_MAX_CHUNKS)
    {
      set_bad (error, _ ("it has no chunks, or too many"));
      return NULL;
    }
  if (!read_chunks (chunks, upload->chunks, error))
    return NULL;

  upload->id = g_strdup (id);
  upload->kind = g_strdup (kind);
  upload->name = g_strdup (name);
  upload->size = size;
  upload->meta = _cx_json_to_data (json_object_get_member (object, "meta"), NULL);
  if (!check (upload, error))
    return NULL;
  return g_steal_pointer (&upload);
}
