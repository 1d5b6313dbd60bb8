/* cx-fetcher.c: keep-alive, parallel, capped, retrying HTTP over libcurl's multi interface */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-fetch-transfer.h"
#include "cx-fetcher.h"
#include "cx-rate-limit-private.h"
#include "cx-sync-error.h"

/* How often the transfer loop looks at the cancellable, and how often
 * progress is reported. */
#define POLL_INTERVAL_MS     100
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 4)
#define CONNECT_TIMEOUT_S    30

struct _CxFetcher
{
  GObject parent_instance;

  char *base_url;
  CURLM *multi;
  GHashTable *etags; /* path → ETag of the first reply */

  guint max_parallel;
  guint low_speed_bytes, low_speed_seconds;
  guint max_attempts, base_delay_ms, max_delay_ms;

  CxFetchProgressFunc progress_func;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
  CxFetchProgress progress;
  gint64 last_report;

  CxRateMeter meter;
  CxTokenBucket bucket; /* the rate cap, shared by all transfers */
  guint resume_next;    /* where the next round of resuming starts, for fairness */
};

G_DEFINE_TYPE (CxFetcher, cx_fetcher, G_TYPE_OBJECT)

static void
cx_fetcher_finalize (GObject *object)
{
  CxFetcher *self = CX_FETCHER (object);

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  curl_multi_cleanup (self->multi);
  g_hash_table_unref (self->etags);
  g_free (self->base_url);
  G_OBJECT_CLASS (cx_fetcher_parent_class)->finalize (object);
}

static void
cx_fetcher_class_init (CxFetcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_fetcher_finalize;
}

static void
cx_fetcher_init (CxFetcher *self)
{
  self->etags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->max_parallel = 4;
  self->low_speed_bytes = 64;
  self->low_speed_seconds = 30;
  self->max_attempts = 8;
  self->base_delay_ms = 500;
  self->max_delay_ms = 30000;
}

static gboolean
ensure_curl (GError **error)
{
  static gsize initialised = 0;
  static CURLcode code;

  if (g_once_init_enter (&initialised))
    {
      code = curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&initialised, 1);
    }

  if (code != CURLE_OK)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                   _ ("The HTTP library could not be started: %s"), curl_easy_strerror (code));
      return FALSE;
    }

  return TRUE;
}

/**
 * cx_fetcher_new:
 * @base_url: the repository's address, ending in '/'
 *
 * Returns: (transfer full): a fetcher, or %NULL with @error set
 */
CxFetcher *
cx_fetcher_new (const char *base_url, GError **error)
{
  g_autoptr (CxFetcher) self = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);

  if ((!g_str_has_prefix (base_url, "http://") && !g_str_has_prefix (base_url, "https://")) ||
      !g_str_has_suffix (base_url, "/"))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an http:// or https:// address ending in “/”"), base_url);
      return NULL;
    }

  if (!ensure_curl (error))
    return NULL;

  self = g_object_new (CX_TYPE_FETCHER, NULL);
  self->base_url = g_strdup (base_url);
  self->multi = curl_multi_init ();
  curl_multi_setopt (self->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_MULTIPLEX);
  curl_multi_setopt (self->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long) self->max_parallel);
  return g_steal_pointer (&self);
}

const char *
cx_fetcher_get_base_url (CxFetcher *self)
{
  g_return_val_if_fail (CX_IS_FETCHER (self), NULL);
  return self->base_url;
}

void
cx_fetcher_set_rate_limit (CxFetcher *self, guint64 bytes_per_second)
{
  g_return_if_fail (CX_IS_FETCHER (self));
  _cx_token_bucket_set_rate (&self->bucket, bytes_per_second);
}

void
cx_fetcher_set_max_parallel (CxFetcher *self, guint n)
{
  g_return_if_fail (CX_IS_FETCHER (self));
  g_return_if_fail (n > 0);
  self->max_parallel = n;
  curl_multi_setopt (self->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long) n);
}

void
cx_fetcher_set_low_speed (CxFetcher *self, guint bytes_per_second, guint seconds)
{
  g_return_if_fail (CX_IS_FETCHER (self));
  self->low_speed_bytes = bytes_per_second;
  self->low_speed_seconds = seconds;
}

void
cx_fetcher_set_retry_policy (CxFetcher *self,
                             guint max_attempts,
                             guint base_delay_ms,
                             guint max_delay_ms)
{
  g_return_if_fail (CX_IS_FETCHER (self));
  g_return_if_fail (max_attempts > 0);
  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, base_delay_ms);
}

void
cx_fetcher_set_progress_func (CxFetcher *self,
                              CxFetchProgressFunc func,
                              gpointer user_data,
                              GDestroyNotify destroy)
{
  g_return_if_fail (CX_IS_FETCHER (self));

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
}

void
cx_fetcher_get_progress (CxFetcher *self, CxFetchProgress *out_progress)
{
  g_return_if_fail (CX_IS_FETCHER (self));
  *out_progress = self->progress;
}

/* --- what transfers share -------------------------------------------------- */

CURL *
_cx_fetcher_new_easy (CxFetcher *self, const char *path)
{
  CURL *easy = curl_easy_init ();
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);

  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_USERAGENT, "Cunxiao/" PACKAGE_VERSION);
  curl_easy_setopt (easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt (easy, CURLOPT_PIPEWAIT, 1L);
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT, (long) CONNECT_TIMEOUT_S);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_LIMIT, (long) self->low_speed_bytes);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_TIME, (long) self->low_speed_seconds);
  /* Bodies are verified by hash; the encoding would only hide sizes. */
  curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, NULL);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  return easy;
}

static void
report (CxFetcher *self, gboolean force)
{
  gint64 now = g_get_monotonic_time ();

  self->progress.rate = _cx_rate_meter_get_rate (&self->meter, now);

  if (self->progress_func == NULL || (!force && now - self->last_report < PROGRESS_INTERVAL_US))
    return;

  self->last_report = now;
  self->progress_func (&self->progress, self->progress_data);
}

void
_cx_fetcher_count_bytes (CxFetcher *self, gsize n)
{
  _cx_rate_meter_add (&self->meter, g_get_monotonic_time (), n);
  self->progress.bytes_received += n;
  report (self, FALSE);
}

const char *
_cx_fetcher_lookup_etag (CxFetcher *self, const char *path)
{
  return g_hash_table_lookup (self->etags, path);
}

void
_cx_fetcher_remember_etag (CxFetcher *self, const char *path, const char *etag)
{
  g_hash_table_insert (self->etags, g_strdup (path), g_strdup (etag));
}

void
_cx_fetcher_forget_etag (CxFetcher *self, const char *path)
{
  g_hash_table_remove (self->etags, path);
}

gboolean
_cx_fetcher_take_bytes (CxFetcher *self, gsize n)
{
  return _cx_token_bucket_take (&self->bucket, n);
}

/* Lets paused transfers go on while the bucket holds bytes, starting with
 * a different one each time so that none starves.  curl may hand over the
 * held-back data right here, through the body callbacks. */
static void
resume_paused (CxFetcher *self, GPtrArray *running)
{
  guint n = running->len;

  _cx_token_bucket_refill (&self->bucket);

  for (guint i = 0; i < n && i < running->len; i++)
    {
      CxFetchTransfer *t = g_ptr_array_index (running, (self->resume_next + i) % running->len);
      CURLcode code;

      if (!t->paused)
        continue;
      if (_cx_token_bucket_is_empty (&self->bucket))
        break;

      t->paused = FALSE;
      code = curl_easy_pause (t->easy, CURLPAUSE_CONT);
      /* A failure comes from the body callback, which has set t->error;
       * the transfer ends on its next read. */
      if (code != CURLE_OK)
        g_debug ("Resuming %s: %s", t->path, curl_easy_strerror (code));
    }
  self->resume_next++;
}

static void
start (CxFetcher *self, GPtrArray *running, CxFetchTransfer *t, gboolean retry)
{
  self->progress.requests++;
  if (retry)
    self->progress.retries++;
  g_ptr_array_add (running, t);
  curl_multi_add_handle (self->multi, t->easy);
}

/* Runs the multi handle until one of @running ends; returns it, detached,
 * with its curl result in @out_code.  NULL if cancelled. */
static CxFetchTransfer *
wait_for_one (CxFetcher *self,
              GPtrArray *running,
              CURLcode *out_code,
              GCancellable *cancellable,
              GError **error)
{
  for (;;)
    {
      CURLMsg *message;
      int still_running, queued;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      resume_paused (self, running);
      curl_multi_perform (self->multi, &still_running);
      while ((message = curl_multi_info_read (self->multi, &queued)) != NULL)
        {
          CxFetchTransfer *t = NULL;

          if (message->msg != CURLMSG_DONE)
            continue;
          curl_easy_getinfo (message->easy_handle, CURLINFO_PRIVATE, (char **) &t);
          *out_code = message->data.result;
          curl_multi_remove_handle (self->multi, t->easy);
          g_ptr_array_remove_fast (running, t);
          return t;
        }

      curl_multi_poll (self->multi, NULL, 0, POLL_INTERVAL_MS, NULL);
      report (self, FALSE);
    }
}

static void
abandon_all (CxFetcher *self, GPtrArray *running)
{
  for (guint i = 0; i < running->len; i++)
    {
      CxFetchTransfer *t = g_ptr_array_index (running, i);

      curl_multi_remove_handle (self->multi, t->easy);
      _cx_fetch_transfer_free (t);
    }
  g_ptr_array_set_size (running, 0);
}

/* Exponential backoff with jitter, so schools whose link came back at the
 * same moment do not all return at once.  Cancellable. */
static gboolean
back_off (CxFetcher *self, guint failures, GCancellable *cancellable, GError **error)
{
  guint64 delay = self->base_delay_ms;
  gint64 until;

  for (guint i = 1; i < failures && delay < self->max_delay_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->max_delay_ms);
  delay = delay / 2 + g_random_int_range (0, (gint32) (delay / 2 + 1));

  until = g_get_monotonic_time () + (gint64) delay * 1000;
  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (MIN (50 * 1000, MAX (0, until - g_get_monotonic_time ())));
    }

  return TRUE;
}

/* --- whole files ----------------------------------------------------------- */

/* What one finished attempt at a whole file came to; a body of the wrong
 * length is not the file asked for. */
static CxTransferOutcome
finish_file (CxFetchTransfer *t, const CxFetchFileRequest *request, CURLcode code, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  CxTransferOutcome outcome = _cx_fetch_transfer_finish (t, code, &local_error);

  if (request->expected_size >= 0 &&
      g_error_matches (local_error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE))
    {
      /* Longer than expected: asking again will not change it. */
      g_clear_error (&local_error);
      g_set_error (&local_error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH,
                   _ ("%s is longer than the %lld bytes expected"), request->path,
                   (long long) request->expected_size);
    }
  else if (outcome == CX_TRANSFER_OK && request->expected_size >= 0 &&
           t->body->len != (gsize) request->expected_size)
    {
      /* Short bodies are retried (PROTOCOL.md §8.1): without a length to
       * check, a cut connection can look like the end. */
      outcome = CX_TRANSFER_RETRY;
      g_set_error (&local_error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH,
                   _ ("%s is %u bytes long, not %lld as expected"), request->path, t->body->len,
                   (long long) request->expected_size);
    }

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return outcome;
}

static gboolean
check_request (const CxFetchFileRequest *request, gsize *out_cap, GError **error)
{
  *out_cap = request->max_size;
  if (request->expected_size < 0)
    return TRUE;

  /* Nothing past the expected size is read either (PROTOCOL.md §8). */
  if ((gsize) request->expected_size > request->max_size)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                   _ ("%s is said to be %lld bytes long, more than the limit of %llu bytes"),
                   request->path, (long long) request->expected_size,
                   (unsigned long long) request->max_size);
      return FALSE;
    }
  *out_cap = (gsize) request->expected_size;
  return TRUE;
}

/* Frees what a request received; a GArray clear func. */
void
cx_fetch_file_request_clear (gpointer request)
{
  CxFetchFileRequest *r = request;

  g_clear_pointer (&r->bytes, g_bytes_unref);
  g_clear_error (&r->error);
}

gboolean
cx_fetcher_get_files (CxFetcher *self,
                      CxFetchFileRequest *requests,
                      guint n_requests,
                      GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (GPtrArray) running = g_ptr_array_new ();
  g_autofree guint *attempts = g_new0 (guint, n_requests);
  g_autofree gsize *caps = g_new0 (gsize, n_requests);
  guint next = 0, failures = 0;

  g_return_val_if_fail (CX_IS_FETCHER (self), FALSE);
  g_return_val_if_fail (requests != NULL || n_requests == 0, FALSE);

  for (guint i = 0; i < n_requests; i++)
    {
      requests[i].bytes = NULL;
      requests[i].error = NULL;
      if (!check_request (&requests[i], &caps[i], &requests[i].error))
        attempts[i] = G_MAXUINT;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  for (;;)
    {
      g_autoptr (GError) local_error = NULL;
      CxFetchTransfer *done;
      CxFetchFileRequest *request;
      CURLcode code = CURLE_OK;
      guint i;

      /* Each request is started once here; retries restart their own. */
      while (next < n_requests && running->len < self->max_parallel)
        {
          if (attempts[next] == 0)
            {
              CxFetchTransfer *t =
                  _cx_fetch_transfer_new_file (self, requests[next].path, caps[next]);

              t->request = next;
              attempts[next] = 1;
              start (self, running, t, FALSE);
            }
          next++;
        }
      if (running->len == 0)
        break;

      done = wait_for_one (self, running, &code, cancellable, error);
      if (done == NULL)
        {
          abandon_all (self, running);
          report (self, TRUE);
          return FALSE;
        }

      i = done->request;
      request = &requests[i];
      switch (finish_file (done, request, code, &local_error))
        {
        case CX_TRANSFER_OK:
          request->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&done->body));
          failures = 0;
          break;
        case CX_TRANSFER_RETRY:
          if (attempts[i] < self->max_attempts)
            {
              CxFetchTransfer *t;

              g_debug ("Retrying %s: %s", request->path, local_error->message);
              if (!back_off (self, ++failures, cancellable, error))
                {
                  _cx_fetch_transfer_free (done);
                  abandon_all (self, running);
                  report (self, TRUE);
                  return FALSE;
                }
              t = _cx_fetch_transfer_new_file (self, request->path, caps[i]);
              t->request = i;
              attempts[i]++;
              start (self, running, t, TRUE);
              break;
            }
          G_GNUC_FALLTHROUGH;
        case CX_TRANSFER_FATAL:
        default:
          request->error = g_steal_pointer (&local_error);
          break;
        }
      _cx_fetch_transfer_free (done);
    }

  report (self, TRUE);
  return TRUE;
}

GBytes *
cx_fetcher_get_file (CxFetcher *self,
                     const char *path,
                     gsize max_size,
                     gssize expected_size,
                     GCancellable *cancellable,
                     GError **error)
{
  CxFetchFileRequest request = { path, max_size, expected_size };

  g_return_val_if_fail (path != NULL, NULL);

  if (!cx_fetcher_get_files (self, &request, 1, cancellable, error))
    {
      cx_fetch_file_request_clear (&request);
      return NULL;
    }
  if (request.error != NULL)
    {
      g_propagate_error (error, request.error);
      return NULL;
    }
  return request.bytes;
}

/* --- frames and pack chunks --------------------------------------------- */

static GArray *
remaining_ranges (const CxFetchFrame *frames, GHashTable *wanted, GHashTable *partial)
{
  g_autoptr (GArray) extents = g_array_new (FALSE, FALSE, sizeof (CxPackExtent));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint index = GPOINTER_TO_UINT (key) - 1;
      GByteArray *head = g_hash_table_lookup (partial, key);
      guint64 have = head != NULL ? head->len : 0;
      CxPackExtent extent = { frames[index].offset + have, frames[index].length - have, index };

      g_array_append_val (extents, extent);
    }

  return cx_pack_coalesce_extents ((CxPackExtent *) extents->data, extents->len,
                                   CX_PACK_DEFAULT_MAX_GAP, CX_PACK_DEFAULT_MAX_RANGE);
}

typedef struct
{
  const char *path;
  const CxFetchFrame *frames;
  GHashTable *wanted;
  GHashTable *partial;
  CxFetchFrameFunc on_frame;
  gpointer user_data;
} Job;

/* Runs one round: every range of what is still wanted, several at a time
 * (@retry: after a failed round).  Returns FALSE with @error on a fatal
 * problem; retryable ones go to @retry_error and leave their frames wanted. */
static gboolean
run_round (CxFetcher *self,
           const Job *job,
           gboolean retry,
           guint *out_delivered,
           GError **retry_error,
           GCancellable *cancellable,
           GError **error)
{
  g_autoptr (GPtrArray) running = g_ptr_array_new ();
  g_autoptr (GArray) ranges = remaining_ranges (job->frames, job->wanted, job->partial);
  guint next = 0;

  while (next < ranges->len || running->len > 0)
    {
      g_autoptr (GError) local_error = NULL;
      CxFetchTransfer *done;
      CURLcode code = CURLE_OK;

      while (next < ranges->len && running->len < self->max_parallel)
        {
          const CxPackRange *range = &g_array_index (ranges, CxPackRange, next++);

          start (self, running,
                 _cx_fetch_transfer_new_range (
                     self, job->path, job->frames, range, job->wanted, job->partial,
                     _cx_fetcher_lookup_etag (self, job->path), job->on_frame, job->user_data),
                 retry);
        }

      done = wait_for_one (self, running, &code, cancellable, error);
      if (done == NULL)
        {
          abandon_all (self, running);
          return FALSE;
        }

      *out_delivered += done->delivered;
      switch (_cx_fetch_transfer_finish (done, code, &local_error))
        {
        case CX_TRANSFER_OK:
          break;
        case CX_TRANSFER_RETRY:
          _cx_fetch_transfer_keep_partial (done);
          g_debug ("Will retry part of %s: %s", job->path, local_error->message);
          g_clear_error (retry_error);
          g_propagate_error (retry_error, g_steal_pointer (&local_error));
          break;
        case CX_TRANSFER_FATAL:
        default:
          _cx_fetch_transfer_free (done);
          abandon_all (self, running);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      _cx_fetch_transfer_free (done);
    }

  return TRUE;
}

gboolean
cx_fetcher_get_frames (CxFetcher *self,
                       const char *path,
                       const CxFetchFrame *frames,
                       guint n_frames,
                       const guint *wanted,
                       gsize n_wanted,
                       CxFetchFrameFunc on_frame,
                       gpointer user_data,
                       GCancellable *cancellable,
                       GError **error)
{
  g_autoptr (GHashTable) left = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) partial =
      g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_byte_array_unref);
  Job job = { path, frames, left, partial, on_frame, user_data };
  guint failures = 0;

  g_return_val_if_fail (CX_IS_FETCHER (self), FALSE);
  g_return_val_if_fail (path != NULL && on_frame != NULL, FALSE);

  for (gsize i = 0; i < n_wanted; i++)
    {
      if (wanted[i] >= n_frames)
        {
          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                       _ ("Frame %u is not in %s"), wanted[i], path);
          return FALSE;
        }
      g_hash_table_add (left, GUINT_TO_POINTER (wanted[i] + 1));
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  while (g_hash_table_size (left) > 0)
    {
      g_autoptr (GError) retry_error = NULL;
      guint delivered = 0;

      if (!run_round (self, &job, failures > 0, &delivered, &retry_error, cancellable, error))
        {
          report (self, TRUE);
          return FALSE;
        }
      if (g_hash_table_size (left) == 0)
        break;

      /* Progress resets the count: a link that drops every few minutes
       * still gets there, one stretch at a time. */
      failures = delivered > 0 ? 1 : failures + 1;
      if (failures >= self->max_attempts)
        {
          report (self, TRUE);
          if (retry_error != NULL)
            g_propagate_error (error, g_steal_pointer (&retry_error));
          else
            g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NETWORK, _ ("Could not fetch %s"),
                         path);
          return FALSE;
        }
      if (!back_off (self, failures, cancellable, error))
        {
          report (self, TRUE);
          return FALSE;
        }
    }

  report (self, TRUE);
  return TRUE;
}

typedef struct
{
  CxPackIndex *index;
  CxFetchChunkFunc on_chunk;
  gpointer user_data;
  GError *caller_error; /* what on_chunk failed with, returned as it is */
} ChunkJob;

/* Pack frames are verified here, against the chunk id. */
static gboolean
on_pack_frame (guint index, const guint8 *data, gsize length, gpointer user_data, GError **error)
{
  ChunkJob *job = user_data;
  const CxPackEntry *entry = cx_pack_index_get_entry (job->index, index);
  g_autoptr (GBytes) chunk = NULL;
  g_autoptr (GError) local_error = NULL;

  chunk = cx_pack_decode_chunk (entry, data, length, &local_error);
  if (chunk == NULL)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH, "%s", local_error->message);
      return FALSE;
    }

  if (!job->on_chunk (entry, chunk, job->user_data, &job->caller_error))
    {
      if (job->caller_error == NULL)
        g_set_error_literal (&job->caller_error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                             "on_chunk failed without saying why");
      /* Stop, whatever the error: even a HASH_MISMATCH of the caller's own
       * must not be mistaken for damage on the way and retried. */
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED, job->caller_error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
cx_fetcher_get_chunks (CxFetcher *self,
                       const char *pack_path,
                       CxPackIndex *index,
                       const CxChunkId *wanted,
                       gsize n_wanted,
                       CxFetchChunkFunc on_chunk,
                       gpointer user_data,
                       GCancellable *cancellable,
                       GError **error)
{
  guint n_frames;
  g_autofree CxFetchFrame *frames = NULL;
  g_autofree guint *positions = NULL;
  g_autoptr (GError) local_error = NULL;
  ChunkJob job = { index, on_chunk, user_data, NULL };

  g_return_val_if_fail (CX_IS_FETCHER (self), FALSE);
  g_return_val_if_fail (pack_path != NULL && index != NULL && on_chunk != NULL, FALSE);
  g_return_val_if_fail (wanted != NULL || n_wanted == 0, FALSE);

  positions = g_new (guint, MAX (n_wanted, 1));
  n_frames = cx_pack_index_get_n_entries (index);
  frames = g_new (CxFetchFrame, MAX (n_frames, 1));
  for (guint i = 0; i < n_frames; i++)
    {
      const CxPackEntry *entry = cx_pack_index_get_entry (index, i);

      frames[i].offset = entry->offset;
      frames[i].length = entry->compressed_size;
    }

  for (gsize i = 0; i < n_wanted; i++)
    if (cx_pack_index_lookup (index, &wanted[i], &positions[i]) == NULL)
      {
        g_autofree char *hex = cx_chunk_id_to_hex (&wanted[i]);

        g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                     _ ("Chunk %s is not in the pack %s"), hex, pack_path);
        return FALSE;
      }

  if (cx_fetcher_get_frames (self, pack_path, frames, n_frames, positions, n_wanted, on_pack_frame,
                             &job, cancellable, &local_error))
    return TRUE;

  if (job.caller_error != NULL)
    g_propagate_error (error, g_steal_pointer (&job.caller_error));
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
