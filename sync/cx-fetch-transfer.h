/* cx-fetch-transfer.h: one HTTP GET of a CxFetcher, whole file or one range
 *
 * Private to cx-fetcher.c.  A transfer owns its curl easy handle, collects
 * the reply's status, ETag and Content-Range, and either buffers the body
 * (whole files, up to a cap) or walks a pack range as it streams in, handing
 * out each wanted chunk the moment its last byte arrives.
 */
#pragma once

#include <curl/curl.h>
#include <gio/gio.h>

#include "cx-fetcher.h"

G_BEGIN_DECLS

/* Why a transfer failed, which decides whether it is retried. */
typedef enum
{
  CX_TRANSFER_OK,
  CX_TRANSFER_RETRY, /* network trouble, 5xx, a damaged chunk: try again */
  CX_TRANSFER_FATAL, /* the server's answer will not change: give up */
} CxTransferOutcome;

typedef struct
{
  CxFetcher *fetcher;
  CURL *easy;
  char *path;
  struct curl_slist *headers;

  /* The reply. */
  long status;
  char *etag;
  char *content_range;
  gboolean multipart;
  gboolean checked; /* status and headers looked at, first body byte */
  GError *error;    /* set when the transfer should stop, with why */
  gboolean fatal;
  gboolean paused; /* held back by the fetcher's rate cap */
  gsize discarded; /* bytes of an error page, read and thrown away */

  /* Whole files. */
  GByteArray *body;
  guint request; /* its place in a cx_fetcher_get_files batch */
  gsize max_size;

  /* Ranges of a file made of frames. */
  const CxFetchFrame *frames;
  CxPackRange range;   /* first_entry and n_entries count frames */
  GHashTable *wanted;  /* GUINT_TO_POINTER (frame + 1), shared: not yet delivered */
  GHashTable *partial; /* frame + 1 → GByteArray, shared: the start of a frame cut off */
  guint64 position;    /* body bytes of the range seen so far */
  guint current;       /* the frame being read */
  GByteArray *frame;   /* its bytes, if wanted */
  gboolean sent_if_range;
  CxFetchFrameFunc on_frame;
  gpointer on_frame_data;
  guint delivered;
} CxFetchTransfer;

CxFetchTransfer *_cx_fetch_transfer_new_file (CxFetcher *fetcher, const char *path, gsize max_size);
CxFetchTransfer *_cx_fetch_transfer_new_range (CxFetcher *fetcher,
                                               const char *path,
                                               const CxFetchFrame *frames,
                                               const CxPackRange *range,
                                               GHashTable *wanted,
                                               GHashTable *partial,
                                               const char *if_range,
                                               CxFetchFrameFunc on_frame,
                                               gpointer on_frame_data);
void _cx_fetch_transfer_free (CxFetchTransfer *transfer);
void _cx_fetch_transfer_keep_partial (CxFetchTransfer *transfer);
CxTransferOutcome
_cx_fetch_transfer_finish (CxFetchTransfer *transfer, CURLcode code, GError **error);

/* Implemented by cx-fetcher.c: shared set-up and byte accounting. */
CURL *_cx_fetcher_new_easy (CxFetcher *self, const char *path);
gboolean _cx_fetcher_take_bytes (CxFetcher *self, gsize n);
void _cx_fetcher_count_bytes (CxFetcher *self, gsize n);
const char *_cx_fetcher_lookup_etag (CxFetcher *self, const char *path);
void _cx_fetcher_remember_etag (CxFetcher *self, const char *path, const char *etag);
void _cx_fetcher_forget_etag (CxFetcher *self, const char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxFetchTransfer, _cx_fetch_transfer_free)

G_END_DECLS
