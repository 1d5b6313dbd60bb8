/* cx-fetch-transfer.c: reply checks and streaming chunk extraction for one GET */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-fetch-transfer.h"
#include "cx-sync-error.h"

/* An error page is read (so the connection can be kept) only up to this;
 * the status says all that matters. */
#define MAX_ERROR_BODY (64 * 1024)

static size_t
on_header (char *data, size_t size, size_t n, void *user_data)
{
  CxFetchTransfer *t = user_data;
  gsize length = size * n;
  g_autofree char *line = g_strndup (data, length);
  char *colon;

  g_strchomp (line);
  /* A new status line (after a redirect or 100-continue) starts afresh. */
  if (g_str_has_prefix (line, "HTTP/"))
    {
      g_clear_pointer (&t->etag, g_free);
      g_clear_pointer (&t->content_range, g_free);
      t->multipart = FALSE;
      return length;
    }

  colon = strchr (line, ':');
  if (colon == NULL)
    return length;
  *colon = '\0';
  g_strstrip (colon + 1);

  if (g_ascii_strcasecmp (line, "ETag") == 0)
    {
      g_free (t->etag);
      t->etag = g_strdup (colon + 1);
    }
  else if (g_ascii_strcasecmp (line, "Content-Range") == 0)
    {
      g_free (t->content_range);
      t->content_range = g_strdup (colon + 1);
    }
  else if (g_ascii_strcasecmp (line, "Content-Type") == 0)
    t->multipart = g_ascii_strncasecmp (colon + 1, "multipart/", 10) == 0;

  return length;
}

static CxFetchTransfer *
transfer_new (CxFetcher *fetcher, const char *path)
{
  CxFetchTransfer *t = g_new0 (CxFetchTransfer, 1);

  t->fetcher = fetcher;
  t->path = g_strdup (path);
  t->easy = _cx_fetcher_new_easy (fetcher, path);
  curl_easy_setopt (t->easy, CURLOPT_PRIVATE, t);
  curl_easy_setopt (t->easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (t->easy, CURLOPT_HEADERDATA, t);
  return t;
}

void
_cx_fetch_transfer_free (CxFetchTransfer *t)
{
  if (t == NULL)
    return;

  curl_easy_cleanup (t->easy);
  curl_slist_free_all (t->headers);
  g_free (t->path);
  g_free (t->etag);
  g_free (t->content_range);
  g_clear_error (&t->error);
  g_clear_pointer (&t->body, g_byte_array_unref);
  g_clear_pointer (&t->frame, g_byte_array_unref);
  g_free (t);
}

static void
stop (CxFetchTransfer *t, gboolean fatal, GError *error)
{
  if (t->error == NULL)
    {
      t->error = error;
      t->fatal = fatal;
    }
  else
    g_error_free (error);
}

static long
response_code (CxFetchTransfer *t)
{
  long code = 0;

  curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

/* What every body callback does first.  Returns FALSE with @out_result set
 * when the bytes must not be looked at now: the transfer was told to stop
 * (curl may still hand over data it had buffered while paused), or the
 * fetcher's rate cap holds it back until the loop resumes it. */
static gboolean
receive (CxFetchTransfer *t, gsize length, size_t *out_result)
{
  if (t->error != NULL)
    {
      *out_result = 0;
      return FALSE;
    }

  if (!_cx_fetcher_take_bytes (t->fetcher, length))
    {
      t->paused = TRUE;
      *out_result = CURL_WRITEFUNC_PAUSE;
      return FALSE;
    }

  _cx_fetcher_count_bytes (t->fetcher, length);
  return TRUE;
}

static size_t
discard (CxFetchTransfer *t, gsize length)
{
  t->discarded += length;
  return t->discarded > MAX_ERROR_BODY ? 0 : length;
}

/* --- whole files ----------------------------------------------------------- */

static size_t
on_file_body (char *data, size_t size, size_t n, void *user_data)
{
  CxFetchTransfer *t = user_data;
  gsize length = size * n;
  size_t result;

  if (!receive (t, length, &result))
    return result;

  if (!t->checked)
    {
      curl_off_t announced = -1;

      t->checked = TRUE;
      t->status = response_code (t);
      curl_easy_getinfo (t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
      if (t->status == 200 && announced > 0 && (guint64) announced > t->max_size)
        {
          stop (t, TRUE,
                g_error_new (CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                             _ ("%s is larger than the limit of %llu bytes"), t->path,
                             (unsigned long long) t->max_size));
          return 0;
        }
    }

  /* Error pages are not kept. */
  if (t->status != 200)
    return discard (t, length);

  if (t->body->len + length > t->max_size)
    {
      stop (t, TRUE,
            g_error_new (CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                         _ ("%s is larger than the limit of %llu bytes"), t->path,
                         (unsigned long long) t->max_size));
      return 0;
    }

  g_byte_array_append (t->body, (const guint8 *) data, length);
  return length;
}

CxFetchTransfer *
_cx_fetch_transfer_new_file (CxFetcher *fetcher, const char *path, gsize max_size)
{
  CxFetchTransfer *t = transfer_new (fetcher, path);

  t->body = g_byte_array_new ();
  t->max_size = max_size;
  curl_easy_setopt (t->easy, CURLOPT_WRITEFUNCTION, on_file_body);
  curl_easy_setopt (t->easy, CURLOPT_WRITEDATA, t);
  return t;
}

/* --- pack ranges ----------------------------------------------------------- */

static gboolean
check_range_reply (CxFetchTransfer *t)
{
  g_autofree char *expected = NULL;
  const char *known_etag;

  t->status = response_code (t);
  if (t->status >= 300)
    return TRUE; /* judged when the transfer ends */

  if (t->status != 206)
    {
      /* 200 to an If-Range request means the file changed under us.  The
       * old ETag is forgotten, so a later call starts afresh; every chunk
       * is verified, so that cannot mix two files. */
      if (t->status == 200 && t->sent_if_range)
        {
          stop (t, TRUE,
                g_error_new (CX_SYNC_ERROR, CX_SYNC_ERROR_CHANGED,
                             _ ("%s changed on the server during the download"), t->path));
          _cx_fetcher_forget_etag (t->fetcher, t->path);
        }
      else
        stop (t, TRUE,
              g_error_new (CX_SYNC_ERROR, CX_SYNC_ERROR_RANGE_IGNORED,
                           _ ("The server answered a range request for %s with status %ld; it "
                              "must support single byte ranges"),
                           t->path, t->status));
      return FALSE;
    }

  expected = g_strdup_printf ("bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT "/", t->range.offset,
                              t->range.offset + t->range.length - 1);
  if (t->multipart || t->content_range == NULL || !g_str_has_prefix (t->content_range, expected))
    {
      stop (t, TRUE,
            g_error_new (CX_SYNC_ERROR, CX_SYNC_ERROR_RANGE_IGNORED,
                         _ ("The server sent a different part of %s than was asked for (%s)"),
                         t->path, t->content_range != NULL ? t->content_range : "-"));
      return FALSE;
    }

  known_etag = _cx_fetcher_lookup_etag (t->fetcher, t->path);
  if (known_etag != NULL && t->etag != NULL && g_strcmp0 (known_etag, t->etag) != 0)
    {
      stop (t, TRUE,
            g_error_new (CX_SYNC_ERROR, CX_SYNC_ERROR_CHANGED,
                         _ ("%s changed on the server during the download"), t->path));
      _cx_fetcher_forget_etag (t->fetcher, t->path);
      return FALSE;
    }
  if (known_etag == NULL && t->etag != NULL)
    _cx_fetcher_remember_etag (t->fetcher, t->path, t->etag);

  return TRUE;
}

/* The frame has all its bytes: the caller verifies and keeps it. */
static gboolean
deliver (CxFetchTransfer *t, guint index)
{
  g_autoptr (GError) error = NULL;

  if (!t->on_frame (index, t->frame->data, t->frame->len, t->on_frame_data, &error))
    {
      /* Damaged on the way (or on the server) is worth another try. */
      gboolean fatal = !g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH);

      stop (t, fatal, g_steal_pointer (&error));
      return FALSE;
    }

  g_hash_table_remove (t->wanted, GUINT_TO_POINTER (index + 1));
  t->delivered++;
  return TRUE;
}

static size_t
on_range_body (char *data, size_t size, size_t n, void *user_data)
{
  CxFetchTransfer *t = user_data;
  gsize length = size * n;
  gsize used = 0;
  size_t result;

  if (!receive (t, length, &result))
    return result;

  if (!t->checked)
    {
      t->checked = TRUE;
      if (!check_range_reply (t))
        return 0;
    }
  if (t->status != 206)
    return discard (t, length);

  if (t->position + length > t->range.length)
    {
      stop (t, TRUE,
            g_error_new (CX_SYNC_ERROR, CX_SYNC_ERROR_RANGE_IGNORED,
                         _ ("The server sent more of %s than was asked for"), t->path));
      return 0;
    }

  while (used < length)
    {
      const CxFetchFrame *frame = &t->frames[t->current];
      guint64 frame_end = frame->offset - t->range.offset + frame->length;
      gboolean wanted = g_hash_table_contains (t->wanted, GUINT_TO_POINTER (t->current + 1));
      gsize take = MIN (length - used, frame_end - (t->position + used));

      if (wanted)
        g_byte_array_append (t->frame, (const guint8 *) data + used, take);
      used += take;

      if (t->position + used == frame_end)
        {
          if (wanted && !deliver (t, t->current))
            return 0;
          g_byte_array_set_size (t->frame, 0);
          t->current++;
        }
    }

  t->position += length;
  return length;
}

/* A range that starts inside its first frame continues the bytes an
 * earlier transfer kept of it; frames it covers from their start are
 * fetched whole, so what was kept of them is dropped. */
static void
adopt_partial (CxFetchTransfer *t)
{
  GByteArray *head = NULL;

  if (t->partial == NULL)
    return;
  if (t->range.offset > t->frames[t->range.first_entry].offset &&
      g_hash_table_steal_extended (t->partial, GUINT_TO_POINTER (t->range.first_entry + 1), NULL,
                                   (gpointer *) &head))
    {
      g_byte_array_unref (t->frame);
      t->frame = head;
    }
  for (guint i = t->range.first_entry; i < t->range.first_entry + t->range.n_entries; i++)
    g_hash_table_remove (t->partial, GUINT_TO_POINTER (i + 1));
}

/**
 * _cx_fetch_transfer_keep_partial:
 *
 * After a transfer broke off, keeps the start of the frame it was in the
 * middle of, so the next try asks only for the rest: a link that drops
 * every few minutes then costs only the bytes in flight.  Every frame is
 * verified whole, so a damaged start is caught and fetched again.
 */
void
_cx_fetch_transfer_keep_partial (CxFetchTransfer *t)
{
  if (t->partial == NULL || t->frame == NULL || t->frame->len == 0 ||
      t->frame->len >= t->frames[t->current].length ||
      !g_hash_table_contains (t->wanted, GUINT_TO_POINTER (t->current + 1)))
    return;
  g_hash_table_replace (t->partial, GUINT_TO_POINTER (t->current + 1), t->frame);
  t->frame = NULL;
}

CxFetchTransfer *
_cx_fetch_transfer_new_range (CxFetcher *fetcher,
                              const char *path,
                              const CxFetchFrame *frames,
                              const CxPackRange *range,
                              GHashTable *wanted,
                              GHashTable *partial,
                              const char *if_range,
                              CxFetchFrameFunc on_frame,
                              gpointer on_frame_data)
{
  CxFetchTransfer *t = transfer_new (fetcher, path);
  g_autofree char *bytes = NULL;

  t->frames = frames;
  t->range = *range;
  t->current = range->first_entry;
  t->wanted = wanted;
  t->partial = partial;
  t->frame = g_byte_array_new ();
  adopt_partial (t);
  t->on_frame = on_frame;
  t->on_frame_data = on_frame_data;

  bytes = g_strdup_printf ("%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, range->offset,
                           range->offset + range->length - 1);
  curl_easy_setopt (t->easy, CURLOPT_RANGE, bytes);
  if (if_range != NULL)
    {
      g_autofree char *header = g_strdup_printf ("If-Range: %s", if_range);

      t->headers = curl_slist_append (t->headers, header);
      curl_easy_setopt (t->easy, CURLOPT_HTTPHEADER, t->headers);
      t->sent_if_range = TRUE;
    }
  curl_easy_setopt (t->easy, CURLOPT_WRITEFUNCTION, on_range_body);
  curl_easy_setopt (t->easy, CURLOPT_WRITEDATA, t);
  return t;
}

/**
 * _cx_fetch_transfer_finish:
 *
 * Judges a transfer that curl reports as done.
 */
CxTransferOutcome
_cx_fetch_transfer_finish (CxFetchTransfer *t, CURLcode code, GError **error)
{
  if (t->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&t->error));
      return t->fatal ? CX_TRANSFER_FATAL : CX_TRANSFER_RETRY;
    }

  /* An error status says more than a connection that broke (or was given
   * up on) while its error page was being read. */
  t->status = response_code (t);
  if (t->status == 404 || t->status == 410)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND,
                   _ ("The hub does not have %s (status %ld)"), t->path, t->status);
      return CX_TRANSFER_FATAL;
    }
  if (t->status >= 500 || t->status == 408 || t->status == 429)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HTTP,
                   _ ("The hub could not serve %s right now (status %ld)"), t->path, t->status);
      return CX_TRANSFER_RETRY;
    }
  if (t->status >= 300 || (t->status > 0 && t->status < 200))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HTTP, _ ("The hub refused %s (status %ld)"),
                   t->path, t->status);
      return CX_TRANSFER_FATAL;
    }

  if (code != CURLE_OK)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NETWORK,
                   _ ("The connection failed while fetching %s: %s"), t->path,
                   curl_easy_strerror (code));
      return CX_TRANSFER_RETRY;
    }

  /* A whole file comes with 200 and nothing else (a 204 or an unasked-for
   * 206 would pass off an empty or partial body as the file). */
  if (t->body != NULL && t->status != 200)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HTTP,
                   _ ("The hub answered the request for %s with status %ld instead of the file"),
                   t->path, t->status);
      return CX_TRANSFER_FATAL;
    }

  /* A reply without a body never reached the checks in on_range_body. */
  if (t->frames != NULL && !t->checked && !check_range_reply (t))
    {
      g_propagate_error (error, g_steal_pointer (&t->error));
      return CX_TRANSFER_FATAL;
    }

  if (t->frames != NULL && t->position != t->range.length)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NETWORK, _ ("The reply for %s ended early"),
                   t->path);
      return CX_TRANSFER_RETRY;
    }

  return CX_TRANSFER_OK;
}
