/* cx-api-client.h: the client end of the hub's JSON API (PROTOCOL.md §10)
 *
 * One connection kept alive for the life of the object, a bearer token on
 * every call but enrolment, a bandwidth cap, cancellation. It knows the
 * wire, not what the events or files mean.
 */
#pragma once

#include <gio/gio.h>

#include "cx-timetable-record.h"
#include "cx-upload.h"

G_BEGIN_DECLS

/* Most chunk ids in one "which are missing?" question. */
#define CX_API_MAX_CHUNK_QUERY 4096
/* Largest body of chunk records; a client sends less, so a drop costs less. */
#define CX_API_MAX_CHUNK_RECORDS    (4 * 1024 * 1024)
#define CX_CHUNK_RECORDS_MEDIA_TYPE "application/vnd.cunxiao.chunks"

#define CX_TYPE_API_CLIENT (cx_api_client_get_type ())
G_DECLARE_FINAL_TYPE (CxApiClient, cx_api_client, CX, API_CLIENT, GObject)

typedef struct
{
  gint64 device_id;
  char *token;
  char *school;
} CxEnrolment;

void cx_enrolment_clear (CxEnrolment *enrolment);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CxEnrolment, cx_enrolment_clear)

CxApiClient *cx_api_client_new (const char *hub_url, const char *token, GError **error);
void cx_api_client_set_rate_limit (CxApiClient *self, guint64 bytes_per_second);
guint64 cx_api_client_get_bytes_sent (CxApiClient *self);

gboolean cx_api_client_enroll (CxApiClient *self,
                               const char *code,
                               const char *request_id,
                               const char *device_name,
                               CxEnrolment *out_enrolment,
                               GCancellable *cancellable,
                               GError **error);
gboolean cx_api_client_get_events_mark (CxApiClient *self,
                                        gint64 *out_acknowledged,
                                        GCancellable *cancellable,
                                        GError **error);
gboolean cx_api_client_push_events (CxApiClient *self,
                                    GBytes *batch,
                                    gint64 *out_acknowledged,
                                    gboolean *out_gap,
                                    GCancellable *cancellable,
                                    GError **error);

gboolean cx_api_client_find_missing_chunks (CxApiClient *self,
                                            const CxUploadChunk *chunks,
                                            guint n_chunks,
                                            GHashTable **out_missing,
                                            GCancellable *cancellable,
                                            GError **error);
void cx_chunk_records_append (GByteArray *records,
                              const CxChunkId *id,
                              const guint8 *data,
                              guint32 length);
gboolean cx_api_client_put_chunks (CxApiClient *self,
                                   GBytes *records,
                                   GCancellable *cancellable,
                                   GError **error);
gboolean cx_api_client_commit_upload (CxApiClient *self,
                                      const CxUpload *upload,
                                      GCancellable *cancellable,
                                      GError **error);

GPtrArray *cx_api_client_get_timetable (
    CxApiClient *self, gint64 since, gint64 *out_change, GCancellable *cancellable, GError **error);
gboolean cx_api_client_put_timetable_entry (CxApiClient *self,
                                            const CxTimetableRecord *record,
                                            gint64 base_revision,
                                            gint64 *out_revision,
                                            CxTimetableRecord **out_current,
                                            GCancellable *cancellable,
                                            GError **error);

G_END_DECLS
