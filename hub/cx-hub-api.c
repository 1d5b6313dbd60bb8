/* cx-hub-api.c: routes, authentication and limits of the JSON API
 *
 * Every reply is JSON. An error is {"error": CODE, "message": TEXT} with a
 * status that says what kind of error it is; CODE is stable for programs,
 * TEXT is for people. Bodies are refused by their Content-Length before
 * they are read, so an oversized upload costs the hub nothing.
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include <glib/gi18n.h>

#include "cx-api-client.h"
#include "cx-hub-api-private.h"
#include "cx-hub-files.h"
#include "cx-json-private.h"
#include "cx-sync-error.h"

#define MAX_SMALL_BODY     (16 * 1024)
#define DEVICE_NAME_MAX    100
#define MAX_ENROL_FAILURES 20

struct _CxHubApi
{
  GObject parent_instance;

  CxHubDb *db;
  CxHubFiles *files;

  /* Failed enrolments per address, so codes can only be guessed slowly. */
  GHashTable *failures;
};

G_DEFINE_FINAL_TYPE (CxHubApi, cx_hub_api, G_TYPE_OBJECT)

static void
cx_hub_api_finalize (GObject *object)
{
  CxHubApi *self = CX_HUB_API (object);

  g_clear_object (&self->db);
  g_clear_object (&self->files);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  G_OBJECT_CLASS (cx_hub_api_parent_class)->finalize (object);
}

static void
cx_hub_api_class_init (CxHubApiClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_hub_api_finalize;
}

static void
cx_hub_api_init (CxHubApi *self)
{
}

CxHubApi *
cx_hub_api_new (CxHubDb *db, CxHubFiles *files)
{
  CxHubApi *self = g_object_new (CX_TYPE_HUB_API, NULL);

  self->db = g_object_ref (db);
  self->files = g_object_ref (files);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
_cx_hub_api_send_json (SoupServerMessage *msg, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, length);
}

/* @extra_mark: also send "acknowledged" (≥ 0) with the error. */
void
_cx_hub_api_send_error (
    SoupServerMessage *msg, guint status, const char *code, const char *message, gint64 extra_mark)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (extra_mark >= 0)
    {
      json_builder_set_member_name (builder, "acknowledged");
      json_builder_add_int_value (builder, extra_mark);
    }
  json_builder_end_object (builder);
  _cx_hub_api_send_json (msg, status, builder);
}

static void
send_mark (SoupServerMessage *msg, gint64 acknowledged, gint stored)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "acknowledged");
  json_builder_add_int_value (builder, acknowledged);
  if (stored >= 0)
    {
      json_builder_set_member_name (builder, "stored");
      json_builder_add_int_value (builder, stored);
    }
  json_builder_end_object (builder);
  _cx_hub_api_send_json (msg, SOUP_STATUS_OK, builder);
}

/* Database failures the client can do nothing about are 503: try later. */
void
_cx_hub_api_send_db_error (SoupServerMessage *msg, const GError *error)
{
  static const struct
  {
    int code;
    guint status;
    const char *name;
  } map[] = {
    { CX_HUB_DB_ERROR_CODE_UNKNOWN, SOUP_STATUS_FORBIDDEN, "code-unknown" },
    { CX_HUB_DB_ERROR_CODE_USED, SOUP_STATUS_FORBIDDEN, "code-used" },
    { CX_HUB_DB_ERROR_CODE_EXPIRED, SOUP_STATUS_FORBIDDEN, "code-expired" },
    { CX_HUB_DB_ERROR_UNAUTHORIZED, SOUP_STATUS_UNAUTHORIZED, "unauthorized" },
    { CX_HUB_DB_ERROR_REVOKED, SOUP_STATUS_UNAUTHORIZED, "revoked" },
    { CX_HUB_DB_ERROR_NOT_FOUND, SOUP_STATUS_NOT_FOUND, "not-found" },
    { CX_HUB_DB_ERROR_INVALID, SOUP_STATUS_BAD_REQUEST, "invalid" },
    { CX_HUB_DB_ERROR_CONFLICT, SOUP_STATUS_CONFLICT, "conflict" },
    { CX_HUB_DB_ERROR_LIMIT, 429, "too-many" },
    { CX_HUB_DB_ERROR_FORBIDDEN, SOUP_STATUS_FORBIDDEN, "not-yours" },
  };

  if (error->domain == CX_HUB_DB_ERROR)
    for (guint i = 0; i < G_N_ELEMENTS (map); i++)
      if (map[i].code == error->code)
        {
          _cx_hub_api_send_error (msg, map[i].status, map[i].name, error->message, -1);
          return;
        }
  g_warning ("API request failed: %s", error->message);
  _cx_hub_api_send_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", error->message, -1);
}

/* The device behind the request's bearer token, or 0 with the reply sent. */
static gint64
authenticate (CxHubApi *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr (GError) error = NULL;
  gint64 device_id = 0;

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    {
      _cx_hub_api_send_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                              _ ("Every call but enrolment needs “Authorization: Bearer TOKEN”"),
                              -1);
      return 0;
    }
  if (!cx_hub_db_authenticate (self->db, value + 7, &device_id, &error))
    {
      _cx_hub_api_send_db_error (msg, error);
      return 0;
    }
  g_object_set_data (G_OBJECT (msg), "cx-hub-device", GINT_TO_POINTER ((gint) device_id));
  return device_id;
}

GBytes *
_cx_hub_api_request_body (SoupServerMessage *msg)
{
  return soup_message_body_flatten (soup_server_message_get_request_body (msg));
}

gboolean
_cx_hub_api_has_content_type (SoupServerMessage *msg, const char *expected)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  if (type != NULL && g_ascii_strcasecmp (type, expected) == 0)
    return TRUE;
  {
    g_autofree char *message = g_strdup_printf (_ ("The body must be %s"), expected);

    _cx_hub_api_send_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "media-type", message, -1);
  }
  return FALSE;
}

static gboolean
request_id_is_valid (const char *request)
{
  gsize length = request != NULL ? strlen (request) : 0;

  if (length < 16 || length > 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (request[i]))
      return FALSE;
  return TRUE;
}

typedef struct
{
  gint64 since; /* the first failure of this run of them */
  guint count;
} Failures;

/* At most MAX_ENROL_FAILURES wrong codes from one address in a minute
 * counted from the first of them. */
static Failures *
enrolment_failures (CxHubApi *self, SoupServerMessage *msg)
{
  const char *remote = soup_server_message_get_remote_host (msg);
  gint64 now = g_get_monotonic_time ();
  Failures *f = g_hash_table_lookup (self->failures, remote != NULL ? remote : "");

  if (f == NULL)
    {
      f = g_new0 (Failures, 1);
      g_hash_table_insert (self->failures, g_strdup (remote != NULL ? remote : ""), f);
    }
  if (f->count == 0 || now - f->since > 60 * G_USEC_PER_SEC)
    {
      f->since = now;
      f->count = 0;
    }
  return f;
}

static void
handle_enroll (CxHubApi *self, SoupServerMessage *msg)
{
  Failures *failures;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autofree char *token = NULL;
  g_autofree char *school = NULL;
  const char *code, *request, *device, *data;
  JsonObject *object;
  gint64 device_id = 0;
  gsize length;

  if (!_cx_hub_api_has_content_type (msg, "application/json"))
    return;
  body = _cx_hub_api_request_body (msg);
  data = g_bytes_get_data (body, &length);
  if (!json_parser_load_from_data (parser, data, (gssize) length, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      _cx_hub_api_send_error (
          msg, SOUP_STATUS_BAD_REQUEST, "malformed",
          _ ("The body must be a JSON object with “code”, “request” and “device”"), -1);
      return;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  code = json_object_get_string_member_with_default (object, "code", NULL);
  request = json_object_get_string_member_with_default (object, "request", NULL);
  device = json_object_get_string_member_with_default (object, "device", NULL);
  if (code == NULL || device == NULL || *device == '\0' ||
      g_utf8_strlen (device, -1) > DEVICE_NAME_MAX || !request_id_is_valid (request))
    {
      _cx_hub_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                              _ ("“code”, “request” (16 to 64 hex digits) and “device” (1 to 100 "
                                 "characters) are all needed"),
                              -1);
      return;
    }

  failures = enrolment_failures (self, msg);
  if (failures->count >= MAX_ENROL_FAILURES)
    {
      _cx_hub_api_send_error (msg, 429, "too-many",
                              _ ("Too many wrong enrolment codes; try again in a minute"), -1);
      return;
    }
  if (!cx_hub_db_enroll (self->db, code, request, device, &device_id, &token, &school, &error))
    {
      if (error->domain == CX_HUB_DB_ERROR && error->code != CX_HUB_DB_ERROR_FAILED)
        failures->count++;
      _cx_hub_api_send_db_error (msg, error);
      return;
    }
  g_object_set_data (G_OBJECT (msg), "cx-hub-device", GINT_TO_POINTER ((gint) device_id));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_int_value (builder, device_id);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "school");
  json_builder_add_string_value (builder, school);
  json_builder_end_object (builder);
  _cx_hub_api_send_json (msg, SOUP_STATUS_OK, builder);
}

static void
handle_events (CxHubApi *self, SoupServerMessage *msg, gint64 device_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (CxEventBatch) batch = NULL;
  gint64 mark = 0;
  guint stored = 0;
  gboolean gap = FALSE;

  if (g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET))
    {
      if (!cx_hub_db_get_events_mark (self->db, device_id, &mark, &error))
        _cx_hub_api_send_db_error (msg, error);
      else
        send_mark (msg, mark, -1);
      return;
    }

  if (!_cx_hub_api_has_content_type (msg, CX_EVENT_BATCH_MEDIA_TYPE))
    return;
  body = _cx_hub_api_request_body (msg);
  batch = cx_event_batch_decode (body, &error);
  if (batch == NULL)
    {
      gboolean too_large = g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE);

      _cx_hub_api_send_error (
          msg, too_large ? SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE : SOUP_STATUS_BAD_REQUEST,
          too_large ? "too-large" : "malformed", error->message, -1);
      return;
    }

  if (!cx_hub_db_store_events (self->db, device_id, batch, &mark, &stored, &gap, &error))
    {
      _cx_hub_api_send_db_error (msg, error);
      return;
    }
  if (gap)
    {
      g_autofree char *message = g_strdup_printf (
          _ ("The batch starts at event %lld but the hub holds events only up to %lld; send from "
             "%lld"),
          (long long) cx_event_batch_get_first_seq (batch), (long long) mark, (long long) mark + 1);

      _cx_hub_api_send_error (msg, SOUP_STATUS_CONFLICT, "gap", message, mark);
      return;
    }
  send_mark (msg, mark, (gint) stored);
}

typedef enum
{
  CALL_ENROLL,
  CALL_EVENTS,
  CALL_MISSING_CHUNKS,
  CALL_PUT_CHUNKS,
  CALL_UPLOAD,
  CALL_LIST_TIMETABLE,
  CALL_PUT_TIMETABLE,
} Call;

typedef struct
{
  const char *path;
  const char *method;
  Call call;
  gboolean authenticated;
  gsize max_body;
} Route;

static const Route routes[] = {
  { "enroll", "POST", CALL_ENROLL, FALSE, MAX_SMALL_BODY },
  { "events", "GET", CALL_EVENTS, TRUE, 0 },
  { "events", "POST", CALL_EVENTS, TRUE, CX_EVENT_BATCH_MAX_COMPRESSED },
  { "chunks/missing", "POST", CALL_MISSING_CHUNKS, TRUE, 1024 * 1024 },
  { "chunks", "POST", CALL_PUT_CHUNKS, TRUE, CX_API_MAX_CHUNK_RECORDS },
  { "uploads", "POST", CALL_UPLOAD, TRUE, CX_UPLOAD_MAX_MANIFEST_SIZE },
  { "timetable", "GET", CALL_LIST_TIMETABLE, TRUE, 0 },
  { "timetable", "POST", CALL_PUT_TIMETABLE, TRUE, MAX_SMALL_BODY },
};

/* NULL with the reply sent when no route takes the request. */
static const Route *
find_route (SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *method = soup_server_message_get_method (msg);
  const char *name = path + strlen (CX_HUB_API_PATH);
  gboolean path_known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (name, routes[i].path))
      {
        path_known = TRUE;
        if (g_str_equal (method, routes[i].method))
          return &routes[i];
      }

  if (path_known)
    _cx_hub_api_send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                            _ ("That method is not allowed here"), -1);
  else
    _cx_hub_api_send_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
                            _ ("There is no such API call"), -1);
  return NULL;
}

/* Before the body is read: refuse what is too big, or of unknown size. */
static void
early_handler (SoupServer *server,
               SoupServerMessage *msg,
               const char *path,
               GHashTable *query,
               gpointer user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const Route *route = find_route (msg);
  goffset length;

  if (route == NULL)
    return;
  if (route->max_body == 0)
    return;
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      _cx_hub_api_send_error (msg, SOUP_STATUS_LENGTH_REQUIRED, "length-required",
                              _ ("Send a Content-Length with the body"), -1);
      return;
    }
  length = soup_message_headers_get_content_length (headers);
  if (length < 0 || (guint64) length > route->max_body)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("The body is %lld bytes; this call takes at most %llu"),
                           (long long) length, (unsigned long long) route->max_body);

      _cx_hub_api_send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", message, -1);
    }
}

static void
handler (SoupServer *server,
         SoupServerMessage *msg,
         const char *path,
         GHashTable *query,
         gpointer user_data)
{
  CxHubApi *self = user_data;
  const Route *route;
  gint64 device_id = 0;

  /* The early handler has answered already. */
  if (soup_server_message_get_status (msg) != 0)
    return;
  route = find_route (msg);
  if (route == NULL)
    return;
  if (route->authenticated && (device_id = authenticate (self, msg)) == 0)
    return;

  switch (route->call)
    {
    case CALL_ENROLL:
      handle_enroll (self, msg);
      break;
    case CALL_EVENTS:
      handle_events (self, msg, device_id);
      break;
    case CALL_MISSING_CHUNKS:
      _cx_hub_api_handle_missing_chunks (self->files, msg);
      break;
    case CALL_PUT_CHUNKS:
      _cx_hub_api_handle_put_chunks (self->files, msg);
      break;
    case CALL_LIST_TIMETABLE:
      _cx_hub_api_handle_list_timetable (self->db, msg, query, device_id);
      break;
    case CALL_PUT_TIMETABLE:
      _cx_hub_api_handle_put_timetable (self->db, msg, device_id);
      break;
    case CALL_UPLOAD:
    default:
      _cx_hub_api_handle_upload (self->db, self->files, msg, device_id);
      break;
    }
}

void
cx_hub_api_attach (CxHubApi *self, SoupServer *server)
{
  g_return_if_fail (CX_IS_HUB_API (self));

  soup_server_add_early_handler (server, CX_HUB_API_PATH, early_handler, self, NULL);
  soup_server_add_handler (server, CX_HUB_API_PATH, handler, g_object_ref (self), g_object_unref);
}
