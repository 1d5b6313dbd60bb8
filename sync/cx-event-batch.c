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
#include "cx-json-scan-private.h"
#include "cx-sync-error.h"

#define BATCH_FORMAT      1
#define COMPRESSION_LEVEL 12
/* Times are µs since 1970; 2^60 µs is over 36 000 years. */
#define MAX_TIME (G_GINT64_CONSTANT (1) << 60)

struct _CxEventBatch
{
  gint64 first_seq;
  GArray *events; /* CxEvent, strings in @strings */
  GStringChunk *strings;
};

static gboolean
kind_is_valid (const char *kind, gsize length)
{
  if (length == 0 || length > CX_EVENT_KIND_MAX_LENGTH)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_islower (kind[i]) && !g_ascii_isdigit (kind[i]) && kind[i] != '.' &&
        kind[i] != '-' && kind[i] != '_')
      return FALSE;
  return TRUE;
}

gboolean
cx_event_kind_is_valid (const char *kind)
{
  return kind != NULL && kind_is_valid (kind, strlen (kind));
}

/* A JSON object of at most CX_EVENT_PAYLOAD_MAX_LENGTH bytes, by the same
 * strict rules the hub reads it with. */
gboolean
cx_event_payload_is_valid (const char *payload)
{
  gsize length = payload != NULL ? strlen (payload) : 0;
  CxJsonScan scan;

  if (length < 2 || length > CX_EVENT_PAYLOAD_MAX_LENGTH || payload[0] != '{' ||
      !g_utf8_validate_len (payload, length, NULL))
    return FALSE;
  _cx_json_scan_init (&scan, payload, length);
  return _cx_json_scan_value (&scan, NULL) && _cx_json_scan_at_end (&scan);
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

static gboolean
set_bad_member (GError **error, const char *member)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
               _ ("Bad batch of events: “%s” is missing or has the wrong type"), member);
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

/* One [dt,"kind",{payload}]; the payload is kept as the text it came in. */
static gboolean
read_event (CxEventBatch *self, CxJsonScan *scan, gint64 *time_us, GError **error)
{
  CxEvent event = { 0 };
  char kind[CX_EVENT_KIND_MAX_LENGTH + 1];
  const char *kind_start, *payload;
  gsize kind_length = 0, payload_length = 0;
  gboolean escaped = FALSE;
  gint64 dt = 0;

  if (!_cx_json_scan_take (scan, '['))
    return set_bad_batch (error, _ ("an event is not [dt, kind, payload]"));
  if (!_cx_json_scan_int (scan, &dt, NULL))
    return set_bad_batch (error, _ ("an event’s time is not an integer"));
  if (dt >= MAX_TIME || dt <= -MAX_TIME || *time_us + dt <= 0 || *time_us + dt >= MAX_TIME)
    return set_bad_batch (error, _ ("an event’s time is out of range"));
  *time_us += dt;

  if (!_cx_json_scan_take (scan, ','))
    return set_bad_batch (error, _ ("an event is not [dt, kind, payload]"));
  /* Kinds are plain ASCII: one spelled with escapes is refused, not decoded. */
  if (!_cx_json_scan_string (scan, &kind_start, &kind_length, &escaped, NULL) || escaped ||
      !kind_is_valid (kind_start, kind_length))
    return set_bad_batch (error, _ ("an event’s kind is not 1–64 of a–z, 0–9, “.”, “-”, “_”"));
  memcpy (kind, kind_start, kind_length);
  kind[kind_length] = '\0';

  if (!_cx_json_scan_take (scan, ','))
    return set_bad_batch (error, _ ("an event is not [dt, kind, payload]"));
  _cx_json_scan_skip_space (scan);
  payload = scan->p;
  if (payload == scan->end || *payload != '{')
    return set_bad_batch (error, _ ("an event’s payload is not an object"));
  if (!_cx_json_scan_value (scan, error))
    return FALSE;
  payload_length = (gsize) (scan->p - payload);
  if (payload_length > CX_EVENT_PAYLOAD_MAX_LENGTH)
    return set_bad_batch (error, _ ("an event’s payload is too long"));
  if (!_cx_json_scan_take (scan, ']'))
    return set_bad_batch (error, _ ("an event is not [dt, kind, payload]"));

  event.time_us = *time_us;
  event.kind = g_string_chunk_insert_const (self->strings, kind);
  event.payload = g_string_chunk_insert_len (self->strings, payload, (gssize) payload_length);
  g_array_append_val (self->events, event);
  return TRUE;
}

static gboolean
read_events (CxEventBatch *self, CxJsonScan *scan, GError **error)
{
  gint64 time_us = 0;

  if (!_cx_json_scan_take (scan, '['))
    return set_bad_member (error, "events");
  if (_cx_json_scan_take (scan, ']'))
    return set_bad_batch (error, _ ("it must hold 1 to 20000 events"));
  do
    {
      if (self->events->len == CX_EVENT_BATCH_MAX_EVENTS)
        return set_bad_batch (error, _ ("it must hold 1 to 20000 events"));
      if (!read_event (self, scan, &time_us, error))
        return FALSE;
    }
  while (_cx_json_scan_take (scan, ','));
  if (!_cx_json_scan_take (scan, ']'))
    return set_bad_batch (error, _ ("“,” or “]” was expected after an event"));
  return TRUE;
}

static gboolean
read_uint_member (CxJsonScan *scan, const char *member, gint64 max, gint64 *out, GError **error)
{
  if (!_cx_json_scan_int (scan, out, NULL) || *out < 0 || *out > max)
    return set_bad_member (error, member);
  return TRUE;
}

/* The members v, first and events, each once, in any order. */
static gboolean
read_batch (CxEventBatch *self, CxJsonScan *scan, GError **error)
{
  gint64 format = -1, first = -1;
  gboolean have_events = FALSE;

  if (!_cx_json_scan_take (scan, '{'))
    return set_bad_batch (error, _ ("the top level is not an object"));
  do
    {
      const char *name;
      gsize length = 0;
      gboolean escaped = FALSE;

      if (!_cx_json_scan_string (scan, &name, &length, &escaped, error))
        return FALSE;
      if (!_cx_json_scan_take (scan, ':'))
        return _cx_json_scan_fail (scan, error, _ ("“:” was expected after a member name"));
      if (length == 1 && name[0] == 'v' && format < 0)
        {
          if (!read_uint_member (scan, "v", G_MAXUINT32, &format, error))
            return FALSE;
          if (format != BATCH_FORMAT)
            {
              g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNSUPPORTED_VERSION,
                           _ ("Batches of events in format %llu are not understood"),
                           (unsigned long long) format);
              return FALSE;
            }
        }
      else if (length == 5 && memcmp (name, "first", 5) == 0 && first < 0)
        {
          if (!read_uint_member (scan, "first", CX_JSON_MAX_INT, &first, error))
            return FALSE;
        }
      else if (length == 6 && memcmp (name, "events", 6) == 0 && !have_events)
        {
          if (!read_events (self, scan, error))
            return FALSE;
          have_events = TRUE;
        }
      else
        return set_bad_batch (error, _ ("a member is unknown or appears twice"));
    }
  while (_cx_json_scan_take (scan, ','));
  if (!_cx_json_scan_take (scan, '}') || !_cx_json_scan_at_end (scan))
    return set_bad_batch (error, _ ("it does not end where its object ends"));

  if (format < 0)
    return set_bad_member (error, "v");
  if (first < 0)
    return set_bad_member (error, "first");
  if (!have_events)
    return set_bad_member (error, "events");
  if (first == 0)
    return set_bad_batch (error, _ ("sequence numbers start at 1"));
  self->first_seq = first;
  for (guint i = 0; i < self->events->len; i++)
    g_array_index (self->events, CxEvent, i).seq = first + i;
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
  CxJsonScan scan;

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
  if (!g_utf8_validate_len ((const char *) json->data, json->len, NULL))
    {
      set_bad_batch (error, _ ("it is not valid UTF-8 text"));
      return NULL;
    }
  _cx_json_scan_init (&scan, (const char *) json->data, json->len);
  if (!read_batch (self, &scan, error))
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
