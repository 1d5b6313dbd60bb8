/* cx-api-client.c: JSON calls to the hub over one kept-alive libcurl handle */
#include "config.h"

#include <curl/curl.h>
#include <json-glib/json-glib.h>

#include <glib/gi18n-lib.h>

#include "cx-api-client.h"
#include "cx-event-batch.h"
#include "cx-json-private.h"
#include "cx-sync-error.h"

#define API_PATH          "api/v1/"
#define MAX_REPLY         (1024 * 1024)
#define CONNECT_TIMEOUT_S 30
#define LOW_SPEED_BYTES   64
#define LOW_SPEED_SECONDS 30

struct _CxApiClient
{
  GObject parent_instance;

  char *base; /* ends in API_PATH */
  char *authorization;
  CURL *easy;
  guint64 rate_limit;
  guint64 bytes_sent;
};

G_DEFINE_FINAL_TYPE (CxApiClient, cx_api_client, G_TYPE_OBJECT)

void
cx_enrolment_clear (CxEnrolment *enrolment)
{
  g_clear_pointer (&enrolment->token, g_free);
  g_clear_pointer (&enrolment->school, g_free);
  enrolment->device_id = 0;
}

static void
cx_api_client_finalize (GObject *object)
{
  CxApiClient *self = CX_API_CLIENT (object);

  g_free (self->base);
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->authorization);
  if (self->easy != NULL)
    curl_easy_cleanup (self->easy);
  G_OBJECT_CLASS (cx_api_client_parent_class)->finalize (object);
}

static void
cx_api_client_class_init (CxApiClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_api_client_finalize;
}

static void
cx_api_client_init (CxApiClient *self)
{
}

/**
 * cx_api_client_new:
 * @hub_url: the hub's address, http:// or https://
 * @token: (nullable): this device's token; %NULL before enrolment
 */
CxApiClient *
cx_api_client_new (const char *hub_url, const char *token, GError **error)
{
  g_autoptr (CxApiClient) self = NULL;

  g_return_val_if_fail (hub_url != NULL, NULL);

  if (!g_str_has_prefix (hub_url, "http://") && !g_str_has_prefix (hub_url, "https://"))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an http:// or https:// address"), hub_url);
      return NULL;
    }
  if (curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                           _ ("The network library could not be started"));
      return NULL;
    }

  self = g_object_new (CX_TYPE_API_CLIENT, NULL);
  self->base = g_str_has_suffix (hub_url, "/") ? g_strconcat (hub_url, API_PATH, NULL)
                                               : g_strconcat (hub_url, "/", API_PATH, NULL);
  if (token != NULL)
    self->authorization = g_strconcat ("Authorization: Bearer ", token, NULL);
  self->easy = curl_easy_init ();
  if (self->easy == NULL)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                           _ ("The network library could not be started"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
cx_api_client_set_rate_limit (CxApiClient *self, guint64 bytes_per_second)
{
  g_return_if_fail (CX_IS_API_CLIENT (self));
  self->rate_limit = bytes_per_second;
}

/* Request bodies sent so far, for reports and benchmarks. */
guint64
cx_api_client_get_bytes_sent (CxApiClient *self)
{
  g_return_val_if_fail (CX_IS_API_CLIENT (self), 0);
  return self->bytes_sent;
}

typedef struct
{
  GByteArray *body;
  GCancellable *cancellable;
} Reply;

static size_t
on_body (char *data, size_t size, size_t n, void *user_data)
{
  Reply *reply = user_data;

  if (reply->body->len + size * n > MAX_REPLY)
    return 0;
  g_byte_array_append (reply->body, (const guint8 *) data, (guint) (size * n));
  return size * n;
}

static int
on_progress (
    void *user_data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
  Reply *reply = user_data;

  return g_cancellable_is_cancelled (reply->cancellable) ? 1 : 0;
}

static void
set_reply_error (GError **error, long status, JsonNode *reply, const char *path)
{
  const char *message = NULL;

  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    message =
        json_object_get_string_member_with_default (json_node_get_object (reply), "message", NULL);

  if (status == 401)
    g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNAUTHORIZED,
                 _ ("The hub does not accept this computer: %s"),
                 message != NULL ? message : _ ("enrol it again"));
  else if (status >= 400 && status < 500)
    g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_REFUSED, _ ("The hub refused %s: %s"), path,
                 message != NULL ? message : _ ("no reason given"));
  else
    g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HTTP,
                 _ ("The hub could not answer %s right now (status %ld)"), path, status);
}

/* One call: @body (if any) is POSTed with @content_type.  Returns the JSON
 * reply of a 2xx (or of a status listed in @accepted) in @out_reply. */
static gboolean
call (CxApiClient *self,
      const char *method,
      const char *path,
      const char *content_type,
      GBytes *body,
      long accepted,
      long *out_status,
      JsonNode **out_reply,
      GCancellable *cancellable,
      GError **error)
{
  g_autofree char *url = g_strconcat (self->base, path, NULL);
  g_autofree char *type_header = NULL;
  g_autoptr (GByteArray) received = g_byte_array_new ();
  g_autoptr (JsonNode) reply = NULL;
  struct curl_slist *headers = NULL;
  Reply sink = { received, cancellable };
  char curl_error[CURL_ERROR_SIZE] = "";
  CURLcode code;
  long status = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* Keeps the connection; forgets the last call's options. */
  curl_easy_reset (self->easy);
  curl_easy_setopt (self->easy, CURLOPT_URL, url);
  curl_easy_setopt (self->easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (self->easy, CURLOPT_USERAGENT, "Cunxiao/" PACKAGE_VERSION);
  curl_easy_setopt (self->easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (self->easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (self->easy, CURLOPT_CONNECTTIMEOUT, (long) CONNECT_TIMEOUT_S);
  curl_easy_setopt (self->easy, CURLOPT_LOW_SPEED_LIMIT, (long) LOW_SPEED_BYTES);
  curl_easy_setopt (self->easy, CURLOPT_LOW_SPEED_TIME, (long) LOW_SPEED_SECONDS);
  curl_easy_setopt (self->easy, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt (self->easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (self->easy, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt (self->easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (self->easy, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt (self->easy, CURLOPT_XFERINFODATA, &sink);
  if (self->rate_limit > 0)
    curl_easy_setopt (self->easy, CURLOPT_MAX_SEND_SPEED_LARGE, (curl_off_t) self->rate_limit);

  if (self->authorization != NULL)
    headers = curl_slist_append (headers, self->authorization);
  /* Waiting for "100 Continue" would cost a round trip on every upload. */
  headers = curl_slist_append (headers, "Expect:");
  if (body != NULL)
    {
      type_header = g_strconcat ("Content-Type: ", content_type, NULL);
      headers = curl_slist_append (headers, type_header);
      curl_easy_setopt (self->easy, CURLOPT_POST, 1L);
      if (g_strcmp0 (method, "POST") != 0)
        curl_easy_setopt (self->easy, CURLOPT_CUSTOMREQUEST, method);
      curl_easy_setopt (self->easy, CURLOPT_POSTFIELDS, g_bytes_get_data (body, NULL));
      curl_easy_setopt (self->easy, CURLOPT_POSTFIELDSIZE_LARGE,
                        (curl_off_t) g_bytes_get_size (body));
    }
  curl_easy_setopt (self->easy, CURLOPT_HTTPHEADER, headers);

  code = curl_easy_perform (self->easy);
  curl_slist_free_all (headers);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (code != CURLE_OK)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NETWORK,
                   _ ("The connection to the hub failed: %s"),
                   *curl_error != '\0' ? curl_error : curl_easy_strerror (code));
      return FALSE;
    }
  if (body != NULL)
    self->bytes_sent += g_bytes_get_size (body);

  curl_easy_getinfo (self->easy, CURLINFO_RESPONSE_CODE, &status);
  if (received->len > 0)
    reply = _cx_json_parse_strict ((const char *) received->data, received->len, NULL);
  if (out_status != NULL)
    *out_status = status;

  if ((status < 200 || status >= 300) && status != accepted)
    {
      set_reply_error (error, status, reply, path);
      return FALSE;
    }
  if (reply == NULL)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                   _ ("The hub’s answer to %s is not a JSON object"), path);
      return FALSE;
    }
  *out_reply = g_steal_pointer (&reply);
  return TRUE;
}

static gboolean
get_mark (JsonNode *reply, gint64 *out_acknowledged, GError **error)
{
  guint64 mark = 0;

  if (!_cx_json_get_uint (json_node_get_object (reply), "acknowledged", CX_JSON_MAX_INT, &mark,
                          error))
    return FALSE;
  *out_acknowledged = (gint64) mark;
  return TRUE;
}

/**
 * cx_api_client_enroll:
 * @code: the one-time code the hub's administrator gave
 * @request_id: chosen at random once per enrolment and kept: asking
 *   again with the same code and id (the answer was lost on the way)
 *   gets the same device a fresh token instead of "code used"
 *
 * Exchanges @code for this device's token.
 */
gboolean
cx_api_client_enroll (CxApiClient *self,
                      const char *code,
                      const char *request_id,
                      const char *device_name,
                      CxEnrolment *out_enrolment,
                      GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) request = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GBytes) body = NULL;
  const char *token = NULL, *school = NULL;
  JsonObject *object;
  guint64 device_id = 0;
  gsize length;
  char *data;

  g_return_val_if_fail (CX_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (code != NULL && request_id != NULL && device_name != NULL, FALSE);
  g_return_val_if_fail (out_enrolment != NULL, FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "request");
  json_builder_add_string_value (builder, request_id);
  json_builder_set_member_name (builder, "device");
  json_builder_add_string_value (builder, device_name);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  data = _cx_json_to_data (request, &length);
  body = g_bytes_new_take (data, length);

  if (!call (self, "POST", "enroll", "application/json", body, 0, NULL, &reply, cancellable, error))
    return FALSE;
  object = json_node_get_object (reply);
  if (!_cx_json_get_uint (object, "device_id", CX_JSON_MAX_INT, &device_id, error) ||
      !_cx_json_get_string (object, "token", TRUE, &token, error) ||
      !_cx_json_get_string (object, "school", TRUE, &school, error))
    return FALSE;

  out_enrolment->device_id = (gint64) device_id;
  out_enrolment->token = g_strdup (token);
  out_enrolment->school = g_strdup (school);
  return TRUE;
}

/* The highest sequence number up to which the hub holds every event. */
gboolean
cx_api_client_get_events_mark (CxApiClient *self,
                               gint64 *out_acknowledged,
                               GCancellable *cancellable,
                               GError **error)
{
  g_autoptr (JsonNode) reply = NULL;

  g_return_val_if_fail (CX_IS_API_CLIENT (self), FALSE);

  return call (self, "GET", "events", NULL, NULL, 0, NULL, &reply, cancellable, error) &&
         get_mark (reply, out_acknowledged, error);
}

/**
 * cx_api_client_push_events:
 * @batch: from cx_event_batch_encode()
 * @out_gap: set when the batch starts past the hub's mark; send again
 *   from *@out_acknowledged + 1
 *
 * Sending a batch again is harmless: the hub keeps each event once.
 */
gboolean
cx_api_client_push_events (CxApiClient *self,
                           GBytes *batch,
                           gint64 *out_acknowledged,
                           gboolean *out_gap,
                           GCancellable *cancellable,
                           GError **error)
{
  g_autoptr (JsonNode) reply = NULL;
  long status = 0;

  g_return_val_if_fail (CX_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (batch != NULL, FALSE);

  if (!call (self, "POST", "events", CX_EVENT_BATCH_MEDIA_TYPE, batch, 409, &status, &reply,
             cancellable, error) ||
      !get_mark (reply, out_acknowledged, error))
    return FALSE;
  *out_gap = status == 409;
  return TRUE;
}

/**
 * cx_api_client_find_missing_chunks:
 * @out_missing: (out): the indexes (as GUINT_TO_POINTER (i + 1)) of the
 *   chunks the hub lacks
 *
 * Asks in batches of at most 4096 ids.
 */
gboolean
cx_api_client_find_missing_chunks (CxApiClient *self,
                                   const CxUploadChunk *chunks,
                                   guint n_chunks,
                                   GHashTable **out_missing,
                                   GCancellable *cancellable,
                                   GError **error)
{
  g_autoptr (GHashTable) missing = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) by_id = g_hash_table_new (cx_chunk_id_hash, cx_chunk_id_equal);
  char hex[CX_CHUNK_ID_LEN * 2 + 1];

  for (guint i = 0; i < n_chunks; i++)
    g_hash_table_insert (by_id, (gpointer) &chunks[i].id, GUINT_TO_POINTER (i + 1));

  for (guint start = 0; start < n_chunks; start += CX_API_MAX_CHUNK_QUERY)
    {
      g_autoptr (GString) json = g_string_new ("{\"chunks\":[");
      g_autoptr (GBytes) body = NULL;
      g_autoptr (JsonNode) reply = NULL;
      JsonArray *list;

      for (guint i = start; i < MIN (n_chunks, start + CX_API_MAX_CHUNK_QUERY); i++)
        {
          cx_chunk_id_to_hex_buf (&chunks[i].id, hex);
          g_string_append_printf (json, "%s\"%s\"", i > start ? "," : "", hex);
        }
      g_string_append (json, "]}");
      body = g_string_free_to_bytes (g_steal_pointer (&json));
      if (!call (self, "POST", "chunks/missing", "application/json", body, 0, NULL, &reply,
                 cancellable, error))
        return FALSE;
      list = _cx_json_get_array (json_node_get_object (reply), "missing", TRUE, error);
      if (list == NULL)
        return FALSE;
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          CxChunkId id;
          gpointer index;

          if (json_node_get_value_type (node) != G_TYPE_STRING ||
              !cx_chunk_id_from_hex (json_node_get_string (node), &id) ||
              (index = g_hash_table_lookup (by_id, &id)) == NULL)
            {
              g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                                   _ ("The hub named a chunk it was not asked about"));
              return FALSE;
            }
          g_hash_table_add (missing, index);
        }
    }

  *out_missing = g_steal_pointer (&missing);
  return TRUE;
}

/* Adds one record to a body for cx_api_client_put_chunks(): the chunk's
 * 32-byte SHA-256, its length (u32, little-endian), its bytes. */
void
cx_chunk_records_append (GByteArray *records,
                         const CxChunkId *id,
                         const guint8 *data,
                         guint32 length)
{
  guint32 le = GUINT32_TO_LE (length);

  g_byte_array_append (records, id->bytes, CX_CHUNK_ID_LEN);
  g_byte_array_append (records, (const guint8 *) &le, sizeof le);
  g_byte_array_append (records, data, length);
}

/* Sends chunks, many in one request; the hub checks each against its id
 * before keeping it. */
gboolean
cx_api_client_put_chunks (CxApiClient *self,
                          GBytes *records,
                          GCancellable *cancellable,
                          GError **error)
{
  g_autoptr (JsonNode) reply = NULL;

  return call (self, "POST", "chunks", CX_CHUNK_RECORDS_MEDIA_TYPE, records, 0, NULL, &reply,
               cancellable, error);
}

/* Once every chunk is at the hub: the file and what it is. Committing the
 * same upload again is harmless. */
gboolean
cx_api_client_commit_upload (CxApiClient *self,
                             const CxUpload *upload,
                             GCancellable *cancellable,
                             GError **error)
{
  g_autoptr (GBytes) body = cx_upload_to_json (upload, error);
  g_autoptr (JsonNode) reply = NULL;

  return body != NULL && call (self, "POST", "uploads", "application/json", body, 0, NULL, &reply,
                               cancellable, error);
}

/**
 * cx_api_client_get_timetable:
 * @since: the change number of the last call; 0 the first time
 * @out_change: to pass as @since next time
 *
 * Returns: (transfer full) (element-type CxTimetableRecord): the entries
 *   changed since, each checked
 */
GPtrArray *
cx_api_client_get_timetable (
    CxApiClient *self, gint64 since, gint64 *out_change, GCancellable *cancellable, GError **error)
{
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GPtrArray) records =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_timetable_record_free);
  g_autofree char *path = g_strdup_printf ("timetable?since=%lld", (long long) since);
  JsonObject *object;
  JsonArray *entries;
  guint64 change = 0;

  if (!call (self, "GET", path, NULL, NULL, 0, NULL, &reply, cancellable, error))
    return NULL;
  object = json_node_get_object (reply);
  entries = _cx_json_get_array (object, "entries", TRUE, error);
  if (entries == NULL || !_cx_json_get_uint (object, "change", CX_JSON_MAX_INT, &change, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = _cx_json_array_get_object (entries, i, "entries", error);
      CxTimetableRecord *record =
          entry != NULL ? cx_timetable_record_new_from_json (entry, error) : NULL;

      if (record == NULL)
        return NULL;
      g_ptr_array_add (records, record);
    }
  *out_change = (gint64) change;
  return g_steal_pointer (&records);
}

/**
 * cx_api_client_put_timetable_entry:
 * @out_current: (out) (transfer full) (nullable): on a conflict, the hub's
 *   version; the call then returns FALSE with CX_SYNC_ERROR_CHANGED
 *
 * Sends a change of the school's own entry, made from @base_revision.
 */
gboolean
cx_api_client_put_timetable_entry (CxApiClient *self,
                                   const CxTimetableRecord *record,
                                   gint64 base_revision,
                                   gint64 *out_revision,
                                   CxTimetableRecord **out_current,
                                   GCancellable *cancellable,
                                   GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) request = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GBytes) body = NULL;
  JsonObject *object;
  guint64 revision = 0;
  long status = 0;
  gsize length;
  char *data;

  *out_current = NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "base_revision");
  json_builder_add_int_value (b, base_revision);
  json_builder_set_member_name (b, "entry");
  json_builder_begin_object (b);
  cx_timetable_record_add_fields (record, b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  request = json_builder_get_root (b);
  data = _cx_json_to_data (request, &length);
  body = g_bytes_new_take (data, length);

  if (!call (self, "POST", "timetable", "application/json", body, 409, &status, &reply, cancellable,
             error))
    return FALSE;
  object = json_node_get_object (reply);
  if (status == 409)
    {
      JsonObject *current = json_object_get_member (object, "current") != NULL
                                ? _cx_json_get_object (object, "current", NULL)
                                : NULL;

      if (current != NULL)
        *out_current = cx_timetable_record_new_from_json (current, NULL);
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_CHANGED,
                           _ ("The timetable entry was changed on the hub meanwhile"));
      return FALSE;
    }
  if (!_cx_json_get_uint (object, "revision", CX_JSON_MAX_INT, &revision, error))
    return FALSE;
  *out_revision = (gint64) revision;
  return TRUE;
}
