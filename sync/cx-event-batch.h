/* cx-event-batch.h: usage events on the wire (PROTOCOL.md §10.4)
 *
 * A batch is a run of events with consecutive sequence numbers from one
 * device, as compact JSON compressed with zstd. Both ends use this code, so
 * what a client sends is exactly what the hub accepts.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CX_EVENT_BATCH_MAX_EVENTS     20000
#define CX_EVENT_BATCH_MAX_COMPRESSED (4 * 1024 * 1024)
#define CX_EVENT_BATCH_MAX_JSON       (64 * 1024 * 1024)
#define CX_EVENT_KIND_MAX_LENGTH      64
#define CX_EVENT_PAYLOAD_MAX_LENGTH   8192
#define CX_EVENT_BATCH_MEDIA_TYPE     "application/vnd.cunxiao.events+json"

typedef struct
{
  gint64 seq;
  gint64 time_us;
  const char *kind;
  const char *payload; /* a JSON object, as text */
} CxEvent;

gboolean cx_event_kind_is_valid (const char *kind);
gboolean cx_event_payload_is_valid (const char *payload);

GBytes *cx_event_batch_encode (const CxEvent *events, guint n_events, GError **error);

typedef struct _CxEventBatch CxEventBatch;

CxEventBatch *cx_event_batch_decode (GBytes *body, GError **error);
gint64 cx_event_batch_get_first_seq (CxEventBatch *self);
guint cx_event_batch_get_n_events (CxEventBatch *self);
const CxEvent *cx_event_batch_get_event (CxEventBatch *self, guint index);
void cx_event_batch_free (CxEventBatch *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxEventBatch, cx_event_batch_free)

G_END_DECLS
