/* cx-hub-api-timetable.c: the timetable calls, incremental reads and changes by base revision */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include <glib/gi18n.h>

#include "cx-api-client.h"
#include "cx-hub-api-private.h"
#include "cx-json-private.h"
#include "cx-sync-error.h"

void
_cx_hub_api_handle_list_timetable (CxHubDb *db,
                                   SoupServerMessage *msg,
                                   GHashTable *query,
                                   gint64 device_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  const char *since_text = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  guint64 since = 0;
  gint64 change = 0;

  if (since_text != NULL &&
      !g_ascii_string_to_unsigned (since_text, 10, 0, G_MAXINT64, &since, NULL))
    {
      _cx_hub_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                              _ ("“since” is the number of the last change seen"), -1);
      return;
    }
  list = cx_hub_db_list_timetable (db, device_id, (gint64) since, &change, &error);
  if (list == NULL)
    {
      _cx_hub_api_send_db_error (msg, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "change");
  json_builder_add_int_value (builder, change);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      json_builder_begin_object (builder);
      cx_timetable_record_add_fields (g_ptr_array_index (list, i), builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  _cx_hub_api_send_json (msg, SOUP_STATUS_OK, builder);
}

/* {"base_revision": N, "entry": {…}}: a school's own entry, changed. */
void
_cx_hub_api_handle_put_timetable (CxHubDb *db, SoupServerMessage *msg, gint64 device_id)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (CxTimetableRecord) record = NULL;
  g_autoptr (CxTimetableRecord) current = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  JsonObject *entry;
  guint64 base = 0;
  gint64 revision = 0;
  gsize length;
  const char *data;

  if (!_cx_hub_api_has_content_type (msg, "application/json"))
    return;
  body = _cx_hub_api_request_body (msg);
  data = g_bytes_get_data (body, &length);
  root = _cx_json_parse_strict (data, length, &error);
  entry = root != NULL ? _cx_json_get_object (json_node_get_object (root), "entry", &error) : NULL;
  if (entry == NULL ||
      !_cx_json_get_uint (json_node_get_object (root), "base_revision", G_MAXINT64, &base,
                          &error) ||
      (record = cx_timetable_record_new_from_json (entry, &error)) == NULL)
    {
      _cx_hub_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", error->message, -1);
      return;
    }

  if (!cx_hub_db_put_timetable_entry (db, device_id, record, (gint64) base, &revision, &current,
                                      &error))
    {
      if (!g_error_matches (error, CX_HUB_DB_ERROR, CX_HUB_DB_ERROR_CONFLICT))
        {
          _cx_hub_api_send_db_error (msg, error);
          return;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, "conflict");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, error->message);
      if (current != NULL)
        {
          json_builder_set_member_name (builder, "current");
          json_builder_begin_object (builder);
          cx_timetable_record_add_fields (current, builder);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      _cx_hub_api_send_json (msg, SOUP_STATUS_CONFLICT, builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, revision);
  json_builder_end_object (builder);
  _cx_hub_api_send_json (msg, SOUP_STATUS_OK, builder);
}
