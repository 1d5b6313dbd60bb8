/* cx-hub-static.c: static files for the package repository
 *
 * The download side of the protocol is plain files, so any web server can
 * carry it; this is the one the hub brings. It answers one byte range per
 * request (clients must not rely on multi-range replies, which object stores
 * refuse), gives every file a strong ETag and honours If-Range, so a client
 * resuming against a file that changed gets the whole new file rather than a
 * splice of old and new. Files are memory-mapped, not read into memory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cx-hub-static.h"

struct _CxHubStatic
{
  GObject parent_instance;

  char *root; /* canonical, no trailing slash */
  char *path_prefix;
};

G_DEFINE_FINAL_TYPE (CxHubStatic, cx_hub_static, G_TYPE_OBJECT)

static void
set_text_response (SoupServerMessage *msg, guint status, const char *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

/* Maps a request path to a file under the root, or NULL when the path could
 * lead anywhere else: dot segments, backslashes, NUL, or a symlink out. */
static char *
resolve_path (CxHubStatic *self, const char *request_path)
{
  g_autofree char *relative = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *real = NULL;
  g_auto (GStrv) parts = NULL;

  if (!g_str_has_prefix (request_path, self->path_prefix))
    return NULL;

  relative = g_strdup (request_path + strlen (self->path_prefix));
  if (*relative == '\0' || strchr (relative, '\\') != NULL)
    return NULL;

  parts = g_strsplit (relative, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    /* Dot files are never served: publishing writes its temporary files so. */
    if (*parts[i] == '\0' || *parts[i] == '.')
      return NULL;

  joined = g_build_filename (self->root, relative, NULL);
  real = realpath (joined, NULL);
  if (real == NULL || !g_str_has_prefix (real, self->root) || real[strlen (self->root)] != '/')
    {
      free (g_steal_pointer (&real));
      return NULL;
    }

  {
    char *result = g_strdup (real);

    free (g_steal_pointer (&real));
    return result;
  }
}

static char *
make_etag (const struct stat *st)
{
  /* Size, change time and inode: any rewrite or atomic replace changes it. */
  return g_strdup_printf ("\"%llx-%llx.%lx-%llx\"", (unsigned long long) st->st_size,
                          (unsigned long long) st->st_mtim.tv_sec, (long) st->st_mtim.tv_nsec,
                          (unsigned long long) st->st_ino);
}

static char *
format_http_date (gint64 unix_time)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return soup_date_time_to_string (time, SOUP_DATE_HTTP);
}

typedef enum
{
  RANGE_NONE, /* no Range, or one we may ignore: send the whole file */
  RANGE_ONE,  /* one satisfiable range */
  RANGE_NOT_SATISFIABLE,
} RangeKind;

/* Parses "bytes=a-b", "bytes=a-" and "bytes=-n" against a file of @size
 * bytes. Anything else, several ranges included, is ignored (RFC 9110 lets a
 * server send the whole representation instead). */
static RangeKind
parse_range (const char *header, goffset size, goffset *out_start, goffset *out_end)
{
  const char *spec;
  char *end = NULL;
  guint64 first, last;

  if (header == NULL || !g_str_has_prefix (header, "bytes="))
    return RANGE_NONE;

  spec = header + strlen ("bytes=");
  if (strchr (spec, ',') != NULL)
    return RANGE_NONE;

  if (*spec == '-')
    {
      /* The last n bytes. */
      if (!g_ascii_isdigit (spec[1]))
        return RANGE_NONE;
      last = g_ascii_strtoull (spec + 1, &end, 10);
      if (*end != '\0')
        return RANGE_NONE;
      if (last == 0 || size == 0)
        return RANGE_NOT_SATISFIABLE;
      *out_start = size - (goffset) MIN (last, (guint64) size);
      *out_end = size - 1;
      return RANGE_ONE;
    }

  if (!g_ascii_isdigit (*spec))
    return RANGE_NONE;
  first = g_ascii_strtoull (spec, &end, 10);
  if (*end != '-')
    return RANGE_NONE;
  spec = end + 1;
  if (*spec == '\0')
    last = G_MAXUINT64;
  else
    {
      if (!g_ascii_isdigit (*spec))
        return RANGE_NONE;
      last = g_ascii_strtoull (spec, &end, 10);
      if (*end != '\0' || last < first)
        return RANGE_NONE;
    }

  if (first >= (guint64) size)
    return RANGE_NOT_SATISFIABLE;

  *out_start = (goffset) first;
  *out_end = (goffset) MIN (last, (guint64) size - 1);
  return RANGE_ONE;
}

/* If-Range: serve the range only if the validator still names this file. */
static gboolean
if_range_allows (SoupMessageHeaders *request, const char *etag, const char *last_modified)
{
  const char *if_range = soup_message_headers_get_one (request, "If-Range");

  if (if_range == NULL)
    return TRUE;

  if (if_range[0] == '"')
    return g_str_equal (if_range, etag);

  return g_str_equal (if_range, last_modified);
}

static void
serve_file (CxHubStatic *self, SoupServerMessage *msg, const char *path)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gboolean head = g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_HEAD);
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *last_modified = NULL;
  g_autofree char *range_header = NULL;
  RangeKind kind = RANGE_NONE;
  goffset start = 0, end = 0;
  struct stat st;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      if (fd >= 0)
        close (fd);
      set_text_response (msg, SOUP_STATUS_NOT_FOUND, "not found\n");
      return;
    }

  etag = make_etag (&st);
  last_modified = format_http_date (st.st_mtim.tv_sec);
  soup_message_headers_replace (response, "ETag", etag);
  soup_message_headers_replace (response, "Last-Modified", last_modified);
  soup_message_headers_replace (response, "Accept-Ranges", "bytes");
  soup_message_headers_set_content_type (response, "application/octet-stream", NULL);

  if (st.st_size > 0)
    {
      mapped = g_mapped_file_new_from_fd (fd, FALSE, NULL);
      close (fd);
      if (mapped == NULL)
        {
          set_text_response (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "cannot read file\n");
          return;
        }
      bytes = g_mapped_file_get_bytes (mapped);
    }
  else
    {
      close (fd);
      bytes = g_bytes_new_static ("", 0);
    }

  range_header = g_strdup (soup_message_headers_get_one (request, "Range"));
  if (range_header != NULL && if_range_allows (request, etag, last_modified))
    kind = parse_range (range_header, st.st_size, &start, &end);

  /* libsoup would answer a 200 with a Range header itself; the decision is
   * made here, so it must not see one. The log still wants it. */
  if (range_header != NULL)
    {
      g_object_set_data_full (G_OBJECT (msg), "cx-hub-range", g_steal_pointer (&range_header),
                              g_free);
      soup_message_headers_remove (request, "Range");
    }

  switch (kind)
    {
    case RANGE_NOT_SATISFIABLE:
      {
        g_autofree char *unsatisfied = g_strdup_printf ("bytes */%lld", (long long) st.st_size);

        soup_message_headers_replace (response, "Content-Range", unsatisfied);
        set_text_response (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE,
                           "range not satisfiable\n");
      }
      break;

    case RANGE_ONE:
      soup_message_headers_set_content_range (response, start, end, st.st_size);
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
      if (head)
        soup_message_headers_set_content_length (response, end - start + 1);
      else
        {
          g_autoptr (GBytes) part = g_bytes_new_from_bytes (bytes, start, end - start + 1);
          soup_message_body_append_bytes (body, part);
        }
      break;

    case RANGE_NONE:
    default:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      if (head)
        soup_message_headers_set_content_length (response, st.st_size);
      else if (st.st_size > 0)
        soup_message_body_append_bytes (body, bytes);
      else
        soup_message_headers_set_content_length (response, 0);
      break;
    }
}

static void
handle_request_cb (SoupServer *server,
                   SoupServerMessage *msg,
                   const char *path,
                   GHashTable *query,
                   gpointer user_data)
{
  CxHubStatic *self = CX_HUB_STATIC (user_data);
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *file = NULL;

  if (!g_str_equal (method, SOUP_METHOD_GET) && !g_str_equal (method, SOUP_METHOD_HEAD))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET, HEAD");
      set_text_response (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
      return;
    }

  file = resolve_path (self, path);
  if (file == NULL)
    {
      set_text_response (msg, SOUP_STATUS_NOT_FOUND, "not found\n");
      return;
    }

  serve_file (self, msg, file);
}

static void
cx_hub_static_finalize (GObject *object)
{
  CxHubStatic *self = CX_HUB_STATIC (object);

  g_free (self->root);
  g_free (self->path_prefix);

  G_OBJECT_CLASS (cx_hub_static_parent_class)->finalize (object);
}

static void
cx_hub_static_class_init (CxHubStaticClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_hub_static_finalize;
}

static void
cx_hub_static_init (CxHubStatic *self)
{
}

/**
 * cx_hub_static_new:
 * @root: the folder to serve
 *
 * Returns: (transfer full): a handler for @root, or %NULL if it is not a
 *   readable folder
 */
CxHubStatic *
cx_hub_static_new (const char *root, GError **error)
{
  g_autoptr (CxHubStatic) self = NULL;
  char *real;

  g_return_val_if_fail (root != NULL, NULL);

  real = realpath (root, NULL);
  if (real == NULL || !g_file_test (real, G_FILE_TEST_IS_DIR))
    {
      int saved_errno = real ? ENOTDIR : errno;

      free (real);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Cannot serve “%s”: %s"), root, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (CX_TYPE_HUB_STATIC, NULL);
  self->root = g_strdup (real);
  free (real);
  return g_steal_pointer (&self);
}

/**
 * cx_hub_static_attach:
 * @path_prefix: URL path the files appear under, such as `/repo/`
 */
void
cx_hub_static_attach (CxHubStatic *self, SoupServer *server, const char *path_prefix)
{
  g_return_if_fail (CX_IS_HUB_STATIC (self));
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (path_prefix != NULL && g_str_has_prefix (path_prefix, "/"));
  g_return_if_fail (g_str_has_suffix (path_prefix, "/"));

  g_free (self->path_prefix);
  self->path_prefix = g_strdup (path_prefix);
  soup_server_add_handler (server, path_prefix, handle_request_cb, g_object_ref (self),
                           g_object_unref);
}
