/* cx-event-batch.c: encoding and strict decoding of usage-event batches
 *
 * The JSON is {"v":1,"first":N,"events":[[dt,"kind",{payload}],…]}: event i
 * has sequence number N+i and time (µs) the sum of the dt values up to it.
 * Times as differences and kinds that repeat are what let zstd bring a
 * typical event down to a couple of dozen bytes.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <zstd.h>

#include "cx-event-batch.h"
#include "cx-json-private.h"
#include "cx-sync-error.h"

#define BATCH_FORMAT      1
#define COMPRESSION_LEVEL 12

struct _CxEventBatch
{
  gint64 first_seq;
  GArray *events; /* CxEvent, strings in @strings */
  GStringChunk *strings;
};

gboolean
cx_event_kind_is_valid (const char *kind)
{
  gsize length = kind != NULL ? strlen (kind) : 0;

  if (length == 0 || length > CX_EVENT_KIND_MAX_LENGTH)
    return FALSE;
  for (const char *p = kind; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* A JSON object of at most CX_EVENT_PAYLOAD_MAX_LENGTH bytes, by the same
 * strict rules the hub reads it with. */
gboolean
cx_event_payload_is_valid (const char *payload)
{
  gsize length = payload != NULL ? strlen (payload) : 0;
  g_autoptr (JsonNode) node = NULL;

  if (length < 2 || length > CX_EVENT_PAYLOAD_MAX_LENGTH)
    return FALSE;
  node = _cx_json_parse_strict (payload, length, NULL);
  return node != NULL;
}

static GBytes *
compress (const GString *json, GError **error)
{
  gsize bound = ZSTD_compressBound (json->len);
  g_autofree guint8 *out = g_malloc (bound);
  size_t written = ZSTD_compress (out, bound, json->str, json->len, COMPRESSION_LEVEL);

  if (ZSTD_isError (written))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED, _ ("Could not compress events: %s"),
                   ZSTD_getErrorName (written));
      return NULL;
    }
  if (written > CX_EVENT_BATCH_MAX_COMPRESSED)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                   _ ("A batch of events came to %llu bytes, more than the limit"),
                   (unsigned long long) written);
      return NULL;
    }
  return g_bytes_new_take (g_realloc (g_steal_pointer (&out), written), written);
}

/**
 * cx_event_batch_encode:
 * @events: (array length=n_events): events with consecutive sequence
 *   numbers; each payload a JSON object (it is not parsed again here)
 *
 * Returns: (transfer full): the compressed batch, ready to send
 */
GBytes *
cx_event_batch_encode (const CxEvent *events, guint n_events, GError **error)
{
  g_autoptr (GString) json = g_string_sized_new (64 + n_events * 96);
  gint64 previous = 0;

  if (n_events == 0 || n_events > CX_EVENT_BATCH_MAX_EVENTS)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("A batch holds 1 to %u events, not %u"), CX_EVENT_BATCH_MAX_EVENTS, n_events);
      return NULL;
    }

  g_string_append_printf (json, "{\"v\":%d,\"first\":%lld,\"events\":[", BATCH_FORMAT,
                          (long long) events[0].seq);
  for (guint i = 0; i < n_events; i++)
    {
      const CxEvent *e = &events[i];
      gsize payload_length = e->payload != NULL ? strlen (e->payload) : 0;

      if (e->seq != events[0].seq + i || !cx_event_kind_is_valid (e->kind) || payload_length < 2 ||
          payload_length > CX_EVENT_PAYLOAD_MAX_LENGTH || e->payload[0] != '{' ||
          e->payload[payload_length - 1] != '}')
        {
          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                       _ ("Event %lld cannot be sent: its sequence number, kind or payload is "
                          "not valid"),
                       (long long) e->seq);
          return NULL;
        }
      g_string_append_printf (json, "%s[%lld,\"%s\",", i > 0 ? "," : "",
                              (long long) (e->time_us - previous), e->kind);
      g_string_append_len (json, e->payload, (gssize) payload_length);
      g_string_append_c (json, ']');
      previous = e->time_us;
    }
  g_string_append (json, "]}");

  return compress (json, error);
}

static gboolean
set_bad_batch (GError **error, const char *reason)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED, _ ("Bad batch of events: %s"),
               reason);
  return FALSE;
}

/* Decompresses at most the JSON cap; a frame that would grow past it is
 * refused before it can fill memory. */
static GByteArray *
decompress (GBytes *body, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  ZSTD_DStream *stream = ZSTD_createDStream ();
  ZSTD_inBuffer in = { NULL, 0, 0 };
  size_t result = 1;

  in.src = g_bytes_get_data (body, &in.size);
  ZSTD_initDStream (stream);
  while (in.pos < in.size || result != 0)
    {
      ZSTD_outBuffer chunk;

      if (out->len >= CX_EVENT_BATCH_MAX_JSON)
        {
          ZSTD_freeDStream (stream);
          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                       _ ("Bad batch of events: it unpacks to more than %u bytes"),
                       CX_EVENT_BATCH_MAX_JSON);
          return NULL;
        }
      g_byte_array_set_size (out, out->len + 64 * 1024);
      chunk.dst = out->data + out->len - 64 * 1024;
      chunk.size = 64 * 1024;
      chunk.pos = 0;
      result = ZSTD_decompressStream (stream, &chunk, &in);
      g_byte_array_set_size (out, out->len - 64 * 1024 + (guint) chunk.pos);
      if (ZSTD_isError (result) || (in.pos == in.size && result != 0 && chunk.pos == 0))
        {
          ZSTD_freeDStream (stream);
          set_bad_batch (error, _ ("it is not a complete zstd frame"));
          return NULL;
        }
    }
  ZSTD_freeDStream (stream);
  return g_steal_pointer (&out);
}

static gboolean
read_event (CxEventBatch *self, JsonNode *node, gint64 *time_us, GError **error)
{
  JsonArray *fields;
  JsonNode *dt, *kind, *payload;
  CxEvent event = { 0 };
  g_autofree char *payload_text = NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) != 3)
    return set_bad_batch (error, _ ("an event is not [dt, kind, payload]"));
  fields = json_node_get_array (node);
  dt = json_array_get_element (fields, 0);
  kind = json_array_get_element (fields, 1);
  payload = json_array_get_element (fields, 2);

  if (json_node_get_value_type (dt) != G_TYPE_INT64)
    return set_bad_batch (error, _ ("an event’s time is not an integer"));
  *time_us += json_node_get_int (dt);
  if (*time_us <= 0 || *time_us >= G_GINT64_CONSTANT (1) << 60)
    return set_bad_batch (error, _ ("an event’s time is out of range"));

  if (json_node_get_value_type (kind) != G_TYPE_STRING ||
      !cx_event_kind_is_valid (json_node_get_string (kind)))
    return set_bad_batch (error, _ ("an event’s kind is not 1–64 of a–z, 0–9, “.”, “-”, “_”"));

  if (!JSON_NODE_HOLDS_OBJECT (payload))
    return set_bad_batch (error, _ ("an event’s payload is not an object"));
  payload_text = json_to_string (payload, FALSE);
  /* Written again compactly, a payload can grow a little (numbers). */
  if (strlen (payload_text) > 2 * CX_EVENT_PAYLOAD_MAX_LENGTH)
    return set_bad_batch (error, _ ("an event’s payload is too long"));

  event.seq = self->first_seq + self->events->len;
  event.time_us = *time_us;
  event.kind = g_string_chunk_insert_const (self->strings, json_node_get_string (kind));
  event.payload = g_string_chunk_insert (self->strings, payload_text);
  g_array_append_val (self->events, event);
  return TRUE;
}

/**
 * cx_event_batch_decode:
 * @body: a compressed batch, as sent
 *
 * Checks everything: size limits, the zstd frame, strict JSON, the format
 * version, each event's time, kind and payload.
 *
 * Returns: (transfer full): the events, or %NULL with @error
 */
CxEventBatch *
cx_event_batch_decode (GBytes *body, GError **error)
{
  g_autoptr (CxEventBatch) self = g_new0 (CxEventBatch, 1);
  g_autoptr (GByteArray) json = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *events;
  guint64 format = 0, first = 0;
  gint64 time_us = 0;

  self->events = g_array_new (FALSE, FALSE, sizeof (CxEvent));
  self->strings = g_string_chunk_new (64 * 1024);

  if (g_bytes_get_size (body) > CX_EVENT_BATCH_MAX_COMPRESSED)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                   _ ("Bad batch of events: more than %u bytes"), CX_EVENT_BATCH_MAX_COMPRESSED);
      return NULL;
    }
  json = decompress (body, error);
  if (json == NULL)
    return NULL;
  root = _cx_json_parse_strict ((const char *) json->data, json->len, error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  if (!_cx_json_get_uint (object, "v", G_MAXUINT32, &format, error) ||
      !_cx_json_get_uint (object, "first", CX_JSON_MAX_INT, &first, error))
    return NULL;
  if (format != BATCH_FORMAT)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNSUPPORTED_VERSION,
                   _ ("Batches of events in format %llu are not understood"),
                   (unsigned long long) format);
      return NULL;
    }
  if (first == 0)
    {
      set_bad_batch (error, _ ("sequence numbers start at 1"));
      return NULL;
    }
  self->first_seq = (gint64) first;

  events = _cx_json_get_array (object, "events", TRUE, error);
  if (events == NULL)
    return NULL;
  if (json_array_get_length (events) == 0 ||
      json_array_get_length (events) > CX_EVENT_BATCH_MAX_EVENTS)
    {
      set_bad_batch (error, _ ("it must hold 1 to 20000 events"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (events); i++)
    if (!read_event (self, json_array_get_element (events, i), &time_us, error))
      return NULL;

  return g_steal_pointer (&self);
}

gint64
cx_event_batch_get_first_seq (CxEventBatch *self)
{
  return self->first_seq;
}

guint
cx_event_batch_get_n_events (CxEventBatch *self)
{
  return self->events->len;
}

const CxEvent *
cx_event_batch_get_event (CxEventBatch *self, guint index)
{
  g_return_val_if_fail (index < self->events->len, NULL);
  return &g_array_index (self->events, CxEvent, index);
}

void
cx_event_batch_free (CxEventBatch *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->events);
  g_string_chunk_free (self->strings);
  g_free (self);
}
