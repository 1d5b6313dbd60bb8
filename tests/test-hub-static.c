/* test-hub-static.c: the hub serves repository files with Range, ETag and If-Range */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cx-test-util.h"

#define FILE_SIZE 100000

typedef struct
{
  char *repo;
  char *url;
  GSubprocess *hub;
  SoupSession *session;
  GBytes *contents;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *path = NULL;
  guint8 *bytes = g_malloc (FILE_SIZE);

  for (guint i = 0; i < FILE_SIZE; i++)
    bytes[i] = (guint8) g_test_rand_int ();
  fixture->contents = g_bytes_new_take (bytes, FILE_SIZE);

  fixture->repo = cx_test_make_dir ();
  sub = g_build_filename (fixture->repo, "packs", NULL);
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  path = g_build_filename (sub, "p1.pack", NULL);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, FILE_SIZE, &error));

  fixture->hub = cx_test_start_hub (fixture->repo, &fixture->url);
  fixture->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->hub != NULL)
    g_free (cx_test_stop_hub (fixture->hub));
  g_clear_object (&fixture->hub);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->contents, g_bytes_unref);
  g_free (fixture->repo);
  g_free (fixture->url);
}

/* Sends one request; @header_pairs are name, value, …, NULL. */
static GBytes *
request (Fixture *fixture, const char *method, const char *path, SoupMessage **out_msg, ...)
{
  g_autofree char *uri = g_strconcat (fixture->url, path, NULL);
  g_autoptr (GError) error = NULL;
  SoupMessage *msg = soup_message_new (method, uri);
  GBytes *body;
  const char *name;
  va_list args;

  g_assert_nonnull (msg);
  va_start (args, out_msg);
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), name,
                                  va_arg (args, const char *));
  va_end (args);

  body = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_msg = msg;
  return body;
}

static void
assert_slice (Fixture *fixture, GBytes *body, gsize start, gsize length)
{
  g_autoptr (GBytes) expected = g_bytes_new_from_bytes (fixture->contents, start, length);

  g_assert_cmpuint (g_bytes_get_size (body), ==, length);
  g_assert_true (g_bytes_equal (body, expected));
}

static void
test_whole_and_ranges (Fixture *fixture, gconstpointer data)
{
  struct
  {
    const char *range;
    gsize start, length;
  } cases[] = {
    { "bytes=10-19", 10, 10 },
    { "bytes=99990-", 99990, 10 },
    { "bytes=99990-200000", 99990, 10 },
    { "bytes=-7", FILE_SIZE - 7, 7 },
    { "bytes=0-0", 0, 1 },
  };
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  SoupMessageHeaders *headers;

  body = request (fixture, "GET", "repo/packs/p1.pack", &msg, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Accept-Ranges"), ==, "bytes");
  g_assert_nonnull (soup_message_headers_get_one (headers, "ETag"));
  assert_slice (fixture, body, 0, FILE_SIZE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SoupMessage) part_msg = NULL;
      g_autoptr (GBytes) part =
          request (fixture, "GET", "repo/packs/p1.pack", &part_msg, "Range", cases[i].range, NULL);
      goffset start, end, total;

      g_assert_cmpuint (soup_message_get_status (part_msg), ==, SOUP_STATUS_PARTIAL_CONTENT);
      g_assert_true (soup_message_headers_get_content_range (
          soup_message_get_response_headers (part_msg), &start, &end, &total));
      g_assert_cmpint (start, ==, cases[i].start);
      g_assert_cmpint (end, ==, cases[i].start + cases[i].length - 1);
      g_assert_cmpint (total, ==, FILE_SIZE);
      assert_slice (fixture, part, cases[i].start, cases[i].length);
    }
}

static void
test_unsatisfiable_and_ignored_ranges (Fixture *fixture, gconstpointer data)
{
  const char *ignored[] = { "bytes=0-1,5-6", "bytes=9-3", "lines=1-2", "bytes=abc" };
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;

  body = request (fixture, "GET", "repo/packs/p1.pack", &msg, "Range", "bytes=100000-", NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE);
  g_assert_cmpstr (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Range"), ==,
      "bytes */100000");

  /* Several ranges, or nonsense, get the whole file: never a multipart body. */
  for (guint i = 0; i < G_N_ELEMENTS (ignored); i++)
    {
      g_autoptr (SoupMessage) whole_msg = NULL;
      g_autoptr (GBytes) whole =
          request (fixture, "GET", "repo/packs/p1.pack", &whole_msg, "Range", ignored[i], NULL);

      g_assert_cmpuint (soup_message_get_status (whole_msg), ==, SOUP_STATUS_OK);
      assert_slice (fixture, whole, 0, FILE_SIZE);
    }
}

static void
test_if_range (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessage) head = NULL;
  g_autoptr (SoupMessage) fresh = NULL;
  g_autoptr (SoupMessage) stale = NULL;
  g_autoptr (SoupMessage) after = NULL;
  g_autoptr (GBytes) head_body = NULL;
  g_autoptr (GBytes) fresh_body = NULL;
  g_autoptr (GBytes) stale_body = NULL;
  g_autoptr (GBytes) after_body = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *path = g_build_filename (fixture->repo, "packs", "p1.pack", NULL);
  g_autofree char *replacement = g_strnfill (5000, 'x');

  head_body = request (fixture, "HEAD", "repo/packs/p1.pack", &head, NULL);
  g_assert_cmpuint (g_bytes_get_size (head_body), ==, 0);
  g_assert_cmpint (
      soup_message_headers_get_content_length (soup_message_get_response_headers (head)), ==,
      FILE_SIZE);
  etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (head), "ETag"));

  fresh_body = request (fixture, "GET", "repo/packs/p1.pack", &fresh, "Range", "bytes=100-199",
                        "If-Range", etag, NULL);
  g_assert_cmpuint (soup_message_get_status (fresh), ==, SOUP_STATUS_PARTIAL_CONTENT);
  assert_slice (fixture, fresh_body, 100, 100);

  stale_body = request (fixture, "GET", "repo/packs/p1.pack", &stale, "Range", "bytes=100-199",
                        "If-Range", "\"not-this-one\"", NULL);
  g_assert_cmpuint (soup_message_get_status (stale), ==, SOUP_STATUS_OK);
  assert_slice (fixture, stale_body, 0, FILE_SIZE);

  /* The file is replaced: resuming with the old ETag gets the new file whole,
   * never a splice of old and new. */
  g_assert_true (g_file_set_contents (path, replacement, 5000, NULL));
  after_body = request (fixture, "GET", "repo/packs/p1.pack", &after, "Range", "bytes=100-199",
                        "If-Range", etag, NULL);
  g_assert_cmpuint (soup_message_get_status (after), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (after_body), ==, 5000);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (after), "ETag"),
                   !=, etag);
}

static void
test_nothing_outside_the_repository (Fixture *fixture, gconstpointer data)
{
  const char *paths[] = {
    "repo/packs/missing.pack",
    "repo/packs",
    "repo/",
    "repo/%2e%2e/%2e%2e/etc/passwd",
    "repo/packs/..%2f..%2fetc%2fpasswd",
    "repo/packs\\p1.pack",
    "repo/escape/passwd",
    "repo/.hidden",
    "other/packs/p1.pack",
  };
  g_autofree char *escape = g_build_filename (fixture->repo, "escape", NULL);
  g_autofree char *hidden = g_build_filename (fixture->repo, ".hidden", NULL);

  g_assert_cmpint (symlink ("/etc", escape), ==, 0);
  g_assert_true (g_file_set_contents (hidden, "secret", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (SoupMessage) msg = NULL;
      g_autoptr (GBytes) body = request (fixture, "GET", paths[i], &msg, NULL);

      /* libsoup itself refuses some forms with 400; either way, nothing leaks. */
      if (soup_message_get_status (msg) != SOUP_STATUS_NOT_FOUND &&
          soup_message_get_status (msg) != SOUP_STATUS_BAD_REQUEST)
        g_error ("%s answered %u", paths[i], soup_message_get_status (msg));
    }
}

static void
test_methods_and_log (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessage) post = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *log = NULL;
  g_auto (GStrv) lines = NULL;

  body = request (fixture, "POST", "repo/packs/p1.pack", &post, NULL);
  g_assert_cmpuint (soup_message_get_status (post), ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (post), "Allow"),
                   ==, "GET, HEAD");
  g_clear_object (&post);
  g_clear_pointer (&body, g_bytes_unref);
  body = request (fixture, "GET", "repo/packs/p1.pack", &post, "Range", "bytes=1-2", NULL);

  /* SIGTERM stops it cleanly (exit 0), and each request left one JSON line. */
  log = cx_test_stop_hub (fixture->hub);
  g_clear_object (&fixture->hub);
  lines = g_strsplit (g_strstrip (log), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_prefix (lines[0], "{") && strstr (lines[0], "\"status\":405"));
  g_assert_nonnull (strstr (lines[1], "\"range\":\"bytes=1-2\""));
  g_assert_nonnull (strstr (lines[1], "\"status\":206"));
  g_assert_nonnull (strstr (lines[1], "\"bytes\":2"));
}

static void
test_bad_usage (void)
{
  const char *hub = g_getenv ("CUNXIAO_HUB");
  g_autoptr (GError) error = NULL;
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "no-such-repo", NULL);
  struct
  {
    const char *args[5];
    int status;
    const char *message;
  } cases[] = {
    { { "serve", NULL }, 2, "Give the repository with --repo DIR" },
    { { "serve", "--repo", missing, NULL }, 1, "Cannot serve" },
    { { "serve", "--repo", ".", "--port=70000", NULL }, 2, "between 0 and 65535" },
    { { "frob", NULL }, 2, "Unknown command" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[7] = { hub };
      g_autoptr (GSubprocess) process = NULL;
      g_autofree char *err = NULL;

      for (guint k = 0; cases[i].args[k] != NULL; k++)
        argv[k + 1] = cases[i].args[k];
      process = g_subprocess_newv (
          argv, G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, cases[i].status);
      g_assert_nonnull (strstr (err, cases[i].message));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cx/hub/static/whole-and-ranges", test_whole_and_ranges);
  ADD ("/cx/hub/static/unsatisfiable-and-ignored-ranges", test_unsatisfiable_and_ignored_ranges);
  ADD ("/cx/hub/static/if-range", test_if_range);
  ADD ("/cx/hub/static/nothing-outside-the-repository", test_nothing_outside_the_repository);
  ADD ("/cx/hub/static/methods-and-log", test_methods_and_log);
#undef ADD
  g_test_add_func ("/cx/hub/static/bad-usage", test_bad_usage);

  return g_test_run ();
}
