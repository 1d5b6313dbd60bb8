/* cx-fetcher.h: HTTP transfers from one repository, built for bad links
 *
 * A fetcher talks to one repository base URL over libcurl's multi
 * interface: connections are kept alive and reused, HTTP/2 is used when
 * the server offers it, several single-range requests are kept in flight,
 * the whole fetcher respects one bandwidth cap, stalled transfers time out
 * and failed ones are retried with exponential backoff and jitter.
 *
 * Calls block and are meant for a worker thread (GTask); every call takes a
 * GCancellable.  One fetcher must not be used by two threads at once.
 * Nothing it hands out is unverified: whole files are checked by size (and
 * by the caller's hash), pack chunks by cx_pack_decode_chunk().
 */
#pragma once

#include <gio/gio.h>

#include "cx-chunk-id.h"
#include "cx-pack.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 bytes_received; /* body bytes received since the fetcher was made */
  guint64 rate;           /* bytes per second over the last few seconds */
  guint requests;         /* HTTP requests started, retries included */
  guint retries;          /* requests that were retries */
} CxFetchProgress;

/* Called from the fetching thread, at most a few times per second and once
 * at the end of every call. */
typedef void (*CxFetchProgressFunc) (const CxFetchProgress *progress, gpointer user_data);

/* Called from the fetching thread with each chunk, already decompressed and
 * verified against its id, in no particular order.  Returning FALSE stops
 * the transfer with that error. */
typedef gboolean (*CxFetchChunkFunc) (const CxPackEntry *entry,
                                      GBytes *chunk,
                                      gpointer user_data,
                                      GError **error);

/* One stored frame of a file made of frames that tile it in offset order
 * (a pack, a delta pack). */
typedef struct
{
  guint64 offset;
  guint32 length;
} CxFetchFrame;

/* Called from the fetching thread with the raw bytes of frame @index, as
 * soon as they have all arrived.  The callback verifies them: an error
 * with CX_SYNC_ERROR_HASH_MISMATCH means "damaged on the way" and the frame
 * is fetched again; any other error stops the transfer. */
typedef gboolean (*CxFetchFrameFunc) (
    guint index, const guint8 *data, gsize length, gpointer user_data, GError **error);

#define CX_TYPE_FETCHER (cx_fetcher_get_type ())
G_DECLARE_FINAL_TYPE (CxFetcher, cx_fetcher, CX, FETCHER, GObject)

/* base_url must be http:// or https:// and end in '/'. */
CxFetcher *cx_fetcher_new (const char *base_url, GError **error);

const char *cx_fetcher_get_base_url (CxFetcher *self);

/* 0 means no cap.  The cap covers all transfers of the fetcher together. */
void cx_fetcher_set_rate_limit (CxFetcher *self, guint64 bytes_per_second);

/* Requests in flight at once; default 4. */
void cx_fetcher_set_max_parallel (CxFetcher *self, guint n);

/* A transfer slower than bytes_per_second for seconds is dropped and
 * retried; default 64 bytes/s for 30 s. */
void cx_fetcher_set_low_speed (CxFetcher *self, guint bytes_per_second, guint seconds);

/* Attempts per request (including the first), and the backoff bounds in
 * milliseconds; defaults 8, 500, 30000.  Tests shorten them. */
void cx_fetcher_set_retry_policy (CxFetcher *self,
                                  guint max_attempts,
                                  guint base_delay_ms,
                                  guint max_delay_ms);

void cx_fetcher_set_progress_func (CxFetcher *self,
                                   CxFetchProgressFunc func,
                                   gpointer user_data,
                                   GDestroyNotify destroy);

void cx_fetcher_get_progress (CxFetcher *self, CxFetchProgress *out_progress);

/* GETs BASE/path whole.  A body larger than max_size is refused
 * (CX_SYNC_ERROR_TOO_LARGE) without reading past the cap; if
 * expected_size is not -1 the body must be exactly that long.  A 404 is
 * CX_SYNC_ERROR_NOT_FOUND, other error statuses CX_SYNC_ERROR_HTTP, both
 * without retrying 4xx; network failures and 5xx are retried. */
GBytes *cx_fetcher_get_file (CxFetcher *self,
                             const char *path,
                             gsize max_size,
                             gssize expected_size,
                             GCancellable *cancellable,
                             GError **error);

/* One whole file of a batch: path, max_size and expected_size as for
 * cx_fetcher_get_file; bytes or error is set on return. */
typedef struct
{
  const char *path;
  gsize max_size;
  gssize expected_size;
  GBytes *bytes;
  GError *error;
} CxFetchFileRequest;

void cx_fetch_file_request_clear (gpointer request);

/* Fetches several whole files at once, up to the parallel limit, so their
 * round trips overlap; each succeeds or fails on its own.  Returns FALSE
 * only when cancelled.  The caller owns each request's bytes and error. */
gboolean cx_fetcher_get_files (CxFetcher *self,
                               CxFetchFileRequest *requests,
                               guint n_requests,
                               GCancellable *cancellable,
                               GError **error);

/* Fetches the chunks `wanted` (ids that must all be in `index`) from the
 * pack file BASE/pack_path, by coalesced single-range GETs (see
 * cx_pack_index_coalesce), several in flight.  Each chunk is decoded and
 * verified the moment its bytes have arrived and handed to on_chunk; after
 * a drop, only the chunks not yet delivered are asked for again, so an
 * interruption costs at most the chunk in flight.  A 200 reply to a Range
 * request, a wrong Content-Range or a multipart reply is
 * CX_SYNC_ERROR_RANGE_IGNORED; a changed ETag (If-Range) is
 * CX_SYNC_ERROR_CHANGED; a chunk that fails verification is retried and
 * then CX_SYNC_ERROR_HASH_MISMATCH. */
gboolean cx_fetcher_get_chunks (CxFetcher *self,
                                const char *pack_path,
                                CxPackIndex *index,
                                const CxChunkId *wanted,
                                gsize n_wanted,
                                CxFetchChunkFunc on_chunk,
                                gpointer user_data,
                                GCancellable *cancellable,
                                GError **error);

/* The general form of cx_fetcher_get_chunks(): fetches the frames numbered
 * @wanted of the file BASE/path, whose frames are @frames, by coalesced
 * single-range GETs, and hands each to @on_frame. */
gboolean cx_fetcher_get_frames (CxFetcher *self,
                                const char *path,
                                const CxFetchFrame *frames,
                                guint n_frames,
                                const guint *wanted,
                                gsize n_wanted,
                                CxFetchFrameFunc on_frame,
                                gpointer user_data,
                                GCancellable *cancellable,
                                GError **error);

G_END_DECLS
