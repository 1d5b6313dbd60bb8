/* cx-hub-request-log.c: one JSON line per request on standard output
 *
 * Fields: time, remote, method, path, range, status, bytes, us (duration), and device
 * (0 when the request named none). One line per request makes the log easy to grep,
 * count and load into a spreadsheet.
 */
#include "config.h"

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "cx-hub-request-log.h"

#define STARTED_KEY "cx-hub-started-us"

static void
request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), STARTED_KEY, started, g_free);
}

static void
request_finished_cb (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const gint64 *started = g_object_get_data (G_OBJECT (msg), STARTED_KEY);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format_iso8601 (now);
  g_autofree char *line = NULL;
  const char *range = g_object_get_data (G_OBJECT (msg), "cx-hub-range");
  const char *remote = soup_server_message_get_remote_host (msg);
  goffset bytes = soup_message_headers_get_content_length (response);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_set_member_name (builder, "remote");
  json_builder_add_string_value (builder, remote ? remote : "");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, soup_server_message_get_method (msg));
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, g_uri_get_path (soup_server_message_get_uri (msg)));
  json_builder_set_member_name (builder, "range");
  json_builder_add_string_value (builder, range ? range : "");
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, soup_server_message_get_status (msg));
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, bytes);
  json_builder_set_member_name (builder, "us");
  json_builder_add_int_value (builder, started ? g_get_monotonic_time () - *started : 0);
  json_builder_set_member_name (builder, "device");
  json_builder_add_int_value (
      builder, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (msg), "cx-hub-device")));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  printf ("%s\n", line);
  fflush (stdout);
}

void
cx_hub_request_log_attach (SoupServer *server)
{
  g_return_if_fail (SOUP_IS_SERVER (server));

  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), NULL);
  g_signal_connect (server, "request-finished", G_CALLBACK (request_finished_cb), NULL);
}
