/* cx-hub-api-files.c: uploads, the chunks the hub lacks, and committing a file */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include <glib/gi18n.h>

#include "cx-api-client.h"
#include "cx-hub-api-private.h"
#include "cx-json-private.h"
#include "cx-sync-error.h"

static void
send_sync_error (SoupServerMessage *msg, const GError *error)
{
  if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE))
    _cx_hub_api_send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", error->message,
                            -1);
  else if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH))
    _cx_hub_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "hash-mismatch", error->message, -1);
  else if (error->domain == CX_SYNC_ERROR)
    _cx_hub_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", error->message, -1);
  else
    _cx_hub_api_send_db_error (msg, error);
}

/* {"chunks": [HEX, …]} → {"missing": [HEX, …]} */
void
_cx_hub_api_handle_missing_chunks (CxHubFiles *files, SoupServerMessage *msg)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  JsonNode *root;
  JsonArray *list = NULL;
  gsize length;
  const char *data;

  if (!_cx_hub_api_has_content_type (msg, "application/json"))
    return;
  body = _cx_hub_api_request_body (msg);
  data = g_bytes_get_data (body, &length);
  if (json_parser_load_from_data (parser, data, (gssize) length, NULL) &&
      JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (root), "chunks");

      if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
        list = json_node_get_array (member);
    }
  if (list == NULL || json_array_get_length (list) > CX_API_MAX_CHUNK_QUERY)
    {
      _cx_hub_api_send_error (
          msg, SOUP_STATUS_BAD_REQUEST, "malformed",
          _ ("The body must be {\"chunks\": [SHA-256, …]} with at most 4096 ids"), -1);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "missing");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      CxChunkId id;

      if (json_node_get_value_type (node) != G_TYPE_STRING ||
          !cx_chunk_id_from_hex (json_node_get_string (node), &id))
        {
          _cx_hub_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                                  _ ("A chunk id is not a SHA-256 in hex"), -1);
          return;
        }
      if (!cx_hub_files_has_chunk (files, &id))
        json_builder_add_string_value (builder, json_node_get_string (node));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  _cx_hub_api_send_json (msg, SOUP_STATUS_OK, builder);
}

/* Records of [SHA-256 (32 bytes), length (u32 LE), bytes], each checked
 * and kept on its own: a bad one stops the rest, what came before stays. */
void
_cx_hub_api_handle_put_chunks (CxHubFiles *files, SoupServerMessage *msg)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  const guint8 *data;
  gsize length, at = 0;
  guint stored = 0, received = 0;

  if (!_cx_hub_api_has_content_type (msg, CX_CHUNK_RECORDS_MEDIA_TYPE))
    return;
  body = _cx_hub_api_request_body (msg);
  data = g_bytes_get_data (body, &length);
  while (at < length)
    {
      g_autoptr (GBytes) chunk = NULL;
      CxChunkId id;
      guint32 chunk_length;
      gboolean fresh = FALSE;

      if (length - at < CX_CHUNK_ID_LEN + 4)
        {
          _cx_hub_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                                  _ ("A chunk record is cut short"), -1);
          return;
        }
      memcpy (id.bytes, data + at, CX_CHUNK_ID_LEN);
      memcpy (&chunk_length, data + at + CX_CHUNK_ID_LEN, 4);
      chunk_length = GUINT32_FROM_LE (chunk_length);
      at += CX_CHUNK_ID_LEN + 4;
      if (chunk_length == 0 || chunk_length > CX_UPLOAD_MAX_CHUNK_SIZE ||
          chunk_length > length - at)
        {
          _cx_hub_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                                  _ ("A chunk record is empty, longer than 1 MiB or cut short"),
                                  -1);
          return;
        }
      chunk = g_bytes_new_from_bytes (body, at, chunk_length);
      at += chunk_length;
      if (!cx_hub_files_put_chunk (files, &id, chunk, &fresh, &error))
        {
          send_sync_error (msg, error);
          return;
        }
      received++;
      stored += fresh ? 1 : 0;
    }
  if (received == 0)
    {
      _cx_hub_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", _ ("No chunks were sent"),
                              -1);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "received");
  json_builder_add_int_value (builder, received);
  json_builder_set_member_name (builder, "stored");
  json_builder_add_int_value (builder, stored);
  json_builder_end_object (builder);
  _cx_hub_api_send_json (msg, SOUP_STATUS_OK, builder);
}

static void
send_missing (SoupServerMessage *msg, GPtrArray *missing)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, "missing-chunks");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, _ ("Send these chunks first"));
  json_builder_set_member_name (builder, "missing");
  json_builder_begin_array (builder);
  for (guint i = 0; i < missing->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (missing, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  _cx_hub_api_send_json (msg, SOUP_STATUS_CONFLICT, builder);
}

/* The manifest of a file whose chunks have all been sent. */
void
_cx_hub_api_handle_upload (CxHubDb *db, CxHubFiles *files, SoupServerMessage *msg, gint64 device_id)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxUpload) upload = NULL;
  g_autoptr (GPtrArray) missing = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  gboolean fresh = FALSE;

  if (!_cx_hub_api_has_content_type (msg, "application/json"))
    return;
  body = _cx_hub_api_request_body (msg);
  upload = cx_upload_new_from_json (body, &error);
  if (upload == NULL)
    {
      send_sync_error (msg, error);
      return;
    }
  missing = cx_hub_files_list_missing (files, upload);
  if (missing->len > 0)
    {
      send_missing (msg, missing);
      return;
    }
  if (!cx_hub_files_assemble (files, upload, &error) ||
      !cx_hub_db_record_upload (db, device_id, upload, &fresh, &error))
    {
      send_sync_error (msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, upload->id);
  json_builder_set_member_name (builder, "stored");
  json_builder_add_boolean_value (builder, fresh);
  json_builder_end_object (builder);
  _cx_hub_api_send_json (msg, SOUP_STATUS_OK, builder);
}
