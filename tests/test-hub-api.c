/* test-hub-api.c: the hub's JSON API, as a real `cunxiao-hub serve` process
 *
 * Enrolment, tokens, revocation, and usage events: duplicates, overlaps,
 * gaps, and every kind of bad input, each refused with a clear status and
 * with nothing stored.
 */
#include "config.h"

#include <string.h>

#include <curl/curl.h>
#include <json-glib/json-glib.h>
#include <zstd.h>

#include "cx-api-client.h"
#include "cx-event-batch.h"
#include "cx-hub-db.h"
#include "cx-test-util.h"

typedef struct
{
  char *dir;
  char *repo;
  char *data;
  char *url;
  char *ca_file; /* the hub's own certificate, over https */
  GSubprocess *hub;
} Fixture;

typedef struct
{
  long status;
  JsonObject *body;
  JsonParser *parser;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_object (&reply->parser);
  reply->body = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  fx->dir = cx_test_make_dir ();
  fx->repo = g_build_filename (fx->dir, "repo", NULL);
  fx->data = g_build_filename (fx->dir, "hub", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fx->repo, 0700), ==, 0);
  fx->hub = cx_test_start_hub_full (fx->repo, fx->data, 0, &fx->url);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_autofree char *log = cx_test_stop_hub (fx->hub);

  /* One JSON line per request. */
  g_assert_nonnull (strstr (log, "\"path\":\"/api/v1/"));
  g_object_unref (fx->hub);
  g_free (fx->url);
  g_free (fx->ca_file);
  g_free (fx->data);
  g_free (fx->repo);
  g_free (fx->dir);
}

static size_t
collect (char *data, size_t size, size_t n, void *user_data)
{
  g_byte_array_append (user_data, (const guint8 *) data, (guint) (size * n));
  return size * n;
}

/* One request with libcurl, nothing of ours in between. */
static void
call (Fixture *fx,
      const char *method,
      const char *path,
      const char *token,
      const char *content_type,
      const void *body,
      gsize length,
      Reply *reply)
{
  g_autofree char *url = g_strconcat (fx->url, path, NULL);
  g_autofree char *auth =
      token != NULL ? g_strconcat ("Authorization: Bearer ", token, NULL) : NULL;
  g_autofree char *type =
      content_type != NULL ? g_strconcat ("Content-Type: ", content_type, NULL) : NULL;
  g_autoptr (GByteArray) received = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  struct curl_slist *headers = NULL;
  CURL *easy = curl_easy_init ();

  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, received);
  curl_easy_setopt (easy, CURLOPT_PATH_AS_IS, 1L);
  if (fx->ca_file != NULL)
    curl_easy_setopt (easy, CURLOPT_CAINFO, fx->ca_file);
  headers = curl_slist_append (headers, "Expect:");
  if (auth != NULL)
    headers = curl_slist_append (headers, auth);
  if (type != NULL)
    headers = curl_slist_append (headers, type);
  if (body != NULL)
    {
      curl_easy_setopt (easy, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) length);
    }
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, headers);
  g_assert_cmpint (curl_easy_perform (easy), ==, CURLE_OK);
  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &reply->status);
  curl_slist_free_all (headers);
  curl_easy_cleanup (easy);

  /* Every reply of the API is a JSON object; errors say what and why.
   * (Outside the API, libsoup may answer a bare 404.) */
  g_test_message ("%s %s: %ld, %u bytes", method, path, reply->status, received->len);
  if (received->len == 0)
    return;
  reply->parser = json_parser_new ();
  json_parser_load_from_data (reply->parser, (const char *) received->data, received->len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (reply->parser)));
  reply->body = json_node_get_object (json_parser_get_root (reply->parser));
  if (reply->status >= 400)
    {
      g_assert_nonnull (json_object_get_string_member_with_default (reply->body, "error", NULL));
      g_assert_cmpstr (json_object_get_string_member_with_default (reply->body, "message", ""), !=,
                       "");
    }
}

static void
assert_error (const Reply *reply, long status, const char *code)
{
  g_assert_cmpint (reply->status, ==, status);
  g_assert_nonnull (reply->body);
  g_assert_cmpstr (json_object_get_string_member (reply->body, "error"), ==, code);
}

static char *
new_code (Fixture *fx, const char *school)
{
  const char *argv[] = {
    g_getenv ("CUNXIAO_HUB"), "enroll", "--data", fx->data, "--school", school, NULL
  };
  g_autofree char *out = NULL;
  const char *colon;

  g_assert_cmpint (cx_test_run (argv, &out, NULL), ==, 0);
  colon = strrchr (out, ':');
  g_assert_nonnull (colon);
  return g_strndup (colon + 2, 14);
}

static void
enroll (Fixture *fx, const char *code, const char *request, Reply *reply)
{
  g_autofree char *body =
      g_strdup_printf ("{\"code\":\"%s\",\"request\":\"%s\",\"device\":\"教室一\"}", code, request);

  call (fx, "POST", "api/v1/enroll", NULL, "application/json", body, strlen (body), reply);
}

/* A fresh device's token. */
static char *
enrolled_token (Fixture *fx)
{
  g_autofree char *code = new_code (fx, "石桥小学");
  g_auto (Reply) reply = { 0 };

  enroll (fx, code, "00112233445566778899aabbccddeeff", &reply);
  g_assert_cmpint (reply.status, ==, 200);
  return g_strdup (json_object_get_string_member (reply.body, "token"));
}

static void
test_enrolment (Fixture *fx, gconstpointer data)
{
  g_autofree char *code = new_code (fx, "石桥小学");
  g_autofree char *token = NULL;
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_auto (Reply) first = { 0 };
  g_auto (Reply) again = { 0 };
  g_auto (Reply) other = { 0 };
  g_auto (Reply) old = { 0 };
  g_auto (Reply) unknown = { 0 };
  g_auto (Reply) garbage = { 0 };
  g_auto (Reply) mark = { 0 };

  /* Codes are forgiving about case; the hub names the school. */
  enroll (fx, lower, "00112233445566778899aabbccddeeff", &first);
  g_assert_cmpint (first.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first.body, "school"), ==, "石桥小学");
  g_assert_cmpint (strlen (json_object_get_string_member (first.body, "token")), >=, 43);
  token = g_strdup (json_object_get_string_member (first.body, "token"));

  /* The answer was lost: the same request again gets the same device and a
   * new token, which replaces the old one. */
  enroll (fx, code, "00112233445566778899aabbccddeeff", &again);
  g_assert_cmpint (again.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (again.body, "device_id"), ==,
                   json_object_get_int_member (first.body, "device_id"));
  g_assert_cmpstr (json_object_get_string_member (again.body, "token"), !=, token);
  call (fx, "GET", "api/v1/events", token, NULL, NULL, 0, &old);
  assert_error (&old, 401, "unauthorized");
  call (fx, "GET", "api/v1/events", json_object_get_string_member (again.body, "token"), NULL, NULL,
        0, &mark);
  g_assert_cmpint (mark.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (mark.body, "acknowledged"), ==, 0);

  /* Anyone else with the code is refused. */
  enroll (fx, code, "ffeeddccbbaa99887766554433221100", &other);
  assert_error (&other, 403, "code-used");
  enroll (fx, "ABCD-EFGH-JKMN", "00112233445566778899aabbccddeeff", &unknown);
  assert_error (&unknown, 403, "code-unknown");
  enroll (fx, "../../etc/passwd", "00112233445566778899aabbccddeeff", &garbage);
  assert_error (&garbage, 403, "code-unknown");
}

/* Codes cannot be guessed quickly: after 20 wrong ones in a minute, even a
 * right one waits. */
static void
test_enrolment_throttled (Fixture *fx, gconstpointer data)
{
  g_autofree char *code = new_code (fx, "石桥小学");
  g_auto (Reply) slow = { 0 };

  for (guint i = 0; i < 20; i++)
    {
      g_auto (Reply) wrong = { 0 };

      enroll (fx, "ABCD-EFGH-JKMN", "00112233445566778899aabbccddeeff", &wrong);
      assert_error (&wrong, 403, "code-unknown");
    }
  enroll (fx, code, "00112233445566778899aabbccddeeff", &slow);
  assert_error (&slow, 429, "too-many");
}

static void
test_expired_code (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxHubDb) db = cx_hub_db_open (fx->data, &error);
  g_autofree char *code = NULL;
  g_auto (Reply) reply = { 0 };

  g_assert_no_error (error);
  code = cx_hub_db_create_enrolment_code (db, "石桥小学", g_get_real_time () / G_USEC_PER_SEC - 1,
                                          &error);
  g_assert_no_error (error);
  enroll (fx, code, "00112233445566778899aabbccddeeff", &reply);
  assert_error (&reply, 403, "code-expired");
}

static void
test_bad_enrolment_bodies (Fixture *fx, gconstpointer data)
{
  g_autofree char *code = new_code (fx, "石桥小学");
  g_autofree char *no_request = g_strdup_printf ("{\"code\":\"%s\",\"device\":\"x\"}", code);
  g_autofree char *long_name = g_strdup_printf (
      "{\"code\":\"%s\",\"request\":\"00112233445566778899aabbccddeeff\",\"device\":\"%0200d\"}",
      code, 0);
  g_autofree char *huge = g_malloc0 (64 * 1024);
  const char *not_json = "{\"code\": ";
  g_auto (Reply) r1 = { 0 };
  g_auto (Reply) r2 = { 0 };
  g_auto (Reply) r3 = { 0 };
  g_auto (Reply) r4 = { 0 };
  g_auto (Reply) r5 = { 0 };
  g_auto (Reply) ok = { 0 };

  call (fx, "POST", "api/v1/enroll", NULL, "application/json", not_json, strlen (not_json), &r1);
  assert_error (&r1, 400, "malformed");
  call (fx, "POST", "api/v1/enroll", NULL, "application/json", no_request, strlen (no_request),
        &r2);
  assert_error (&r2, 400, "malformed");
  call (fx, "POST", "api/v1/enroll", NULL, "application/json", long_name, strlen (long_name), &r3);
  assert_error (&r3, 400, "malformed");
  call (fx, "POST", "api/v1/enroll", NULL, "text/plain", no_request, strlen (no_request), &r4);
  assert_error (&r4, 415, "media-type");
  memset (huge, ' ', 64 * 1024 - 1);
  call (fx, "POST", "api/v1/enroll", NULL, "application/json", huge, 64 * 1024, &r5);
  assert_error (&r5, 413, "too-large");

  /* None of that spent the code. */
  enroll (fx, code, "00112233445566778899aabbccddeeff", &ok);
  g_assert_cmpint (ok.status, ==, 200);
}

static void
test_authentication (Fixture *fx, gconstpointer data)
{
  g_autofree char *token = enrolled_token (fx);
  const char *argv[] = { g_getenv ("CUNXIAO_HUB"), "revoke", "--data", fx->data, "1", NULL };
  g_auto (Reply) none = { 0 };
  g_auto (Reply) wrong = { 0 };
  g_auto (Reply) good = { 0 };
  g_auto (Reply) revoked = { 0 };
  g_auto (Reply) missing = { 0 };
  g_auto (Reply) method = { 0 };
  g_auto (Reply) traversal = { 0 };

  call (fx, "GET", "api/v1/events", NULL, NULL, NULL, 0, &none);
  assert_error (&none, 401, "unauthorized");
  call (fx, "GET", "api/v1/events", "not-a-token", NULL, NULL, 0, &wrong);
  assert_error (&wrong, 401, "unauthorized");
  call (fx, "GET", "api/v1/events", token, NULL, NULL, 0, &good);
  g_assert_cmpint (good.status, ==, 200);

  g_assert_cmpint (cx_test_run (argv, NULL, NULL), ==, 0);
  call (fx, "GET", "api/v1/events", token, NULL, NULL, 0, &revoked);
  assert_error (&revoked, 401, "revoked");

  call (fx, "GET", "api/v1/nothing", token, NULL, NULL, 0, &missing);
  assert_error (&missing, 404, "not-found");
  call (fx, "DELETE", "api/v1/events", token, NULL, NULL, 0, &method);
  assert_error (&method, 405, "method");
  call (fx, "GET", "api/v1/../../hub.db", token, NULL, NULL, 0, &traversal);
  g_assert_cmpint (traversal.status, ==, 404);
}

/* Events first … first + n - 1, as a client would send them. */
static GBytes *
make_batch (gint64 first, guint n)
{
  g_autoptr (GArray) events = g_array_new (FALSE, FALSE, sizeof (CxEvent));
  g_autoptr (GError) error = NULL;
  GBytes *batch;

  for (guint i = 0; i < n; i++)
    {
      CxEvent e = { first + i, 1790000000000000 + (first + i) * 1000, "resource.opened",
                    "{\"resource\":\"咏鹅.html\",\"class\":\"一年级\"}" };

      g_array_append_val (events, e);
    }
  batch = cx_event_batch_encode ((CxEvent *) events->data, n, &error);
  g_assert_no_error (error);
  return batch;
}

static void
push (Fixture *fx, const char *token, GBytes *batch, Reply *reply)
{
  call (fx, "POST", "api/v1/events", token, CX_EVENT_BATCH_MEDIA_TYPE,
        g_bytes_get_data (batch, NULL), g_bytes_get_size (batch), reply);
}

static void
push_raw_json (Fixture *fx, const char *token, const char *json, Reply *reply)
{
  gsize bound = ZSTD_compressBound (strlen (json));
  g_autofree char *out = g_malloc (bound);
  size_t n = ZSTD_compress (out, bound, json, strlen (json), 3);

  call (fx, "POST", "api/v1/events", token, CX_EVENT_BATCH_MEDIA_TYPE, out, n, reply);
}

static gint64
stored_events (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxHubDb) db = cx_hub_db_open (fx->data, &error);
  g_autoptr (GPtrArray) devices = cx_hub_db_list_devices (db, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 1);
  return ((CxHubDevice *) devices->pdata[0])->acknowledged;
}

static void
test_events_exactly_once (Fixture *fx, gconstpointer data)
{
  g_autofree char *token = enrolled_token (fx);
  g_autoptr (GBytes) first = make_batch (1, 10);
  g_autoptr (GBytes) overlap = make_batch (5, 10);
  g_autoptr (GBytes) ahead = make_batch (20, 5);
  g_auto (Reply) r1 = { 0 };
  g_auto (Reply) r2 = { 0 };
  g_auto (Reply) r3 = { 0 };
  g_auto (Reply) r4 = { 0 };

  push (fx, token, first, &r1);
  g_assert_cmpint (r1.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (r1.body, "acknowledged"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (r1.body, "stored"), ==, 10);

  /* Sent again (the answer was lost): nothing stored twice. */
  push (fx, token, first, &r2);
  g_assert_cmpint (r2.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (r2.body, "acknowledged"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (r2.body, "stored"), ==, 0);

  /* Overlapping: only the new part. */
  push (fx, token, overlap, &r3);
  g_assert_cmpint (json_object_get_int_member (r3.body, "acknowledged"), ==, 14);
  g_assert_cmpint (json_object_get_int_member (r3.body, "stored"), ==, 4);

  /* A gap is refused with the mark to send from. */
  push (fx, token, ahead, &r4);
  assert_error (&r4, 409, "gap");
  g_assert_cmpint (json_object_get_int_member (r4.body, "acknowledged"), ==, 14);
  g_assert_cmpint (stored_events (fx), ==, 14);
}

static void
test_bad_batches (Fixture *fx, gconstpointer data)
{
  g_autofree char *token = enrolled_token (fx);
  g_autoptr (GBytes) good = make_batch (1, 3);
  const struct
  {
    const char *json;
    const char *why;
  } bad[] = {
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"a\",{}]", "truncated JSON" },
    { "{\"v\":1,\"first\":1,\"first\":2,\"events\":[[1,\"a\",{}]]}", "duplicate member" },
    { "{\"v\":2,\"first\":1,\"events\":[[1,\"a\",{}]]}", "unknown format" },
    { "{\"v\":1,\"first\":0,\"events\":[[1,\"a\",{}]]}", "sequence 0" },
    { "{\"v\":1,\"first\":1,\"events\":[]}", "no events" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"Bad Kind\",{}]]}", "kind" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"../x\",{}]]}", "kind with a path" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"a\",[1]]]}", "payload not an object" },
    { "{\"v\":1,\"first\":1,\"events\":[[\"x\",\"a\",{}]]}", "time not a number" },
    { "{\"v\":1,\"first\":1,\"events\":[[-5,\"a\",{}]]}", "time before 1970" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"a\",{}],[1,\"b\"]]}", "short event" },
  };
  g_autofree char *bomb = NULL;
  g_auto (Reply) not_zstd = { 0 };
  g_auto (Reply) wrong_type = { 0 };
  g_auto (Reply) too_big = { 0 };
  g_auto (Reply) inflated = { 0 };
  g_auto (Reply) finally = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto (Reply) reply = { 0 };

      g_test_message ("%s", bad[i].why);
      push_raw_json (fx, token, bad[i].json, &reply);
      g_assert_cmpint (reply.status, ==, 400);
    }

  call (fx, "POST", "api/v1/events", token, CX_EVENT_BATCH_MEDIA_TYPE, "plain text", 10, &not_zstd);
  assert_error (&not_zstd, 400, "malformed");
  call (fx, "POST", "api/v1/events", token, "application/json", g_bytes_get_data (good, NULL),
        g_bytes_get_size (good), &wrong_type);
  assert_error (&wrong_type, 415, "media-type");

  /* Over the limit by its Content-Length: refused before it is read. */
  {
    gsize size = CX_EVENT_BATCH_MAX_COMPRESSED + 1;
    g_autofree char *body = g_malloc0 (size);

    call (fx, "POST", "api/v1/events", token, CX_EVENT_BATCH_MEDIA_TYPE, body, size, &too_big);
    assert_error (&too_big, 413, "too-large");
  }

  /* A small body that would unpack to more than the limit. */
  {
    gsize size = CX_EVENT_BATCH_MAX_JSON + 1024;
    g_autofree char *plain = g_malloc (size);
    gsize bound = ZSTD_compressBound (size);
    size_t n;

    memset (plain, ' ', size);
    bomb = g_malloc (bound);
    n = ZSTD_compress (bomb, bound, plain, size, 1);
    g_assert_cmpuint (n, <, CX_EVENT_BATCH_MAX_COMPRESSED);
    call (fx, "POST", "api/v1/events", token, CX_EVENT_BATCH_MEDIA_TYPE, bomb, n, &inflated);
    assert_error (&inflated, 413, "too-large");
  }

  /* Nothing of it was stored; a good batch still goes in. */
  g_assert_cmpint (stored_events (fx), ==, 0);
  push (fx, token, good, &finally);
  g_assert_cmpint (finally.status, ==, 200);
  g_assert_cmpint (stored_events (fx), ==, 3);
}

/* --- uploads ------------------------------------------------------------- */

static void
put_records (Fixture *fx, const char *token, GByteArray *records, Reply *reply)
{
  call (fx, "POST", "api/v1/chunks", token, CX_CHUNK_RECORDS_MEDIA_TYPE, records->data,
        records->len, reply);
}

static void
commit (Fixture *fx, const char *token, const char *json, Reply *reply)
{
  call (fx, "POST", "api/v1/uploads", token, "application/json", json, strlen (json), reply);
}

/* A manifest for @data as one chunk, with @name and @size as given. */
static char *
manifest (const char *id, const char *kind, const char *name, const char *data, gsize size)
{
  CxChunkId sha;
  g_autofree char *hex = NULL;

  cx_chunk_id_compute (data, strlen (data), &sha);
  hex = cx_chunk_id_to_hex (&sha);
  return g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"%s\",\"name\":\"%s\",\"size\":%zu,"
                          "\"sha256\":\"%s\",\"chunks\":[[\"%s\",%zu]],"
                          "\"meta\":{\"class\":\"一年级\"}}",
                          id, kind, name, size, hex, hex, strlen (data));
}

static guint
count_files (Fixture *fx)
{
  g_autofree char *files = g_build_filename (fx->data, "files", NULL);
  g_autoptr (GDir) dir = g_dir_open (files, 0, NULL);
  guint n = 0;
  const char *sub;

  while (dir != NULL && (sub = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (files, sub, NULL);
      g_autoptr (GDir) inner = g_dir_open (path, 0, NULL);

      while (inner != NULL && g_dir_read_name (inner) != NULL)
        n++;
    }
  return n;
}

static void
test_upload (Fixture *fx, gconstpointer data)
{
  g_autofree char *token = enrolled_token (fx);
  const char *text = "看图写话：春天来了，小草发芽了。";
  const char *id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  g_autoptr (GByteArray) records = g_byte_array_new ();
  g_autofree char *good = manifest (id, "hand-in", "作文.txt", text, strlen (text));
  g_autofree char *other = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *path = NULL;
  CxChunkId sha;
  gsize length;
  g_auto (Reply) missing = { 0 };
  g_auto (Reply) early = { 0 };
  g_auto (Reply) put = { 0 };
  g_auto (Reply) done = { 0 };
  g_auto (Reply) again = { 0 };
  g_auto (Reply) conflict = { 0 };
  g_auto (Reply) none = { 0 };

  {
    g_autofree char *hex = NULL;
    g_autofree char *query = NULL;

    cx_chunk_id_compute (text, strlen (text), &sha);
    hex = cx_chunk_id_to_hex (&sha);
    query = g_strdup_printf ("{\"chunks\":[\"%s\"]}", hex);
    call (fx, "POST", "api/v1/chunks/missing", token, "application/json", query, strlen (query),
          &missing);
    g_assert_cmpint (missing.status, ==, 200);
    g_assert_cmpuint (
        json_array_get_length (json_object_get_array_member (missing.body, "missing")), ==, 1);
  }

  /* Committing before the chunks are there names what is missing. */
  commit (fx, token, good, &early);
  assert_error (&early, 409, "missing-chunks");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (early.body, "missing")),
                    ==, 1);

  cx_chunk_records_append (records, &sha, (const guint8 *) text, (guint32) strlen (text));
  put_records (fx, token, records, &put);
  g_assert_cmpint (put.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (put.body, "stored"), ==, 1);
  commit (fx, token, good, &done);
  g_assert_cmpint (done.status, ==, 200);
  g_assert_true (json_object_get_boolean_member (done.body, "stored"));

  /* The file, put together and byte-identical. */
  path = g_build_filename (fx->data, "files", NULL);
  {
    g_autofree char *hex = cx_chunk_id_to_hex (&sha);
    g_autofree char *sub = g_strndup (hex, 2);
    g_autofree char *file = g_build_filename (path, sub, hex, NULL);

    g_assert_true (g_file_get_contents (file, &stored, &length, NULL));
    g_assert_cmpmem (stored, length, text, strlen (text));
  }

  /* Committed again: harmless. The same id for another file: refused. */
  commit (fx, token, good, &again);
  g_assert_cmpint (again.status, ==, 200);
  g_assert_false (json_object_get_boolean_member (again.body, "stored"));
  other = manifest (id, "hand-in", "作文.txt", "另一份", strlen ("另一份"));
  commit (fx, token, other, &conflict);
  g_assert_cmpint (conflict.status, ==, 409);

  /* Without a token, nothing. */
  commit (fx, NULL, good, &none);
  assert_error (&none, 401, "unauthorized");
  g_assert_cmpuint (count_files (fx), ==, 1);
}

static void
test_bad_uploads (Fixture *fx, gconstpointer data)
{
  g_autofree char *token = enrolled_token (fx);
  const char *text = "一二三四五";
  const char *id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  CxChunkId sha, wrong;
  const struct
  {
    char *json;
    long status;
  } bad[] = {
    { manifest (id, "hand-in", "../../etc/passwd", text, strlen (text)), 400 },
    { manifest (id, "hand-in", "a/b.txt", text, strlen (text)), 400 },
    { manifest (id, "hand-in", ".hidden", text, strlen (text)), 400 },
    { manifest (id, "virus", "a.txt", text, strlen (text)), 400 },
    { manifest ("not-a-uuid", "hand-in", "a.txt", text, strlen (text)), 400 },
    { manifest (id, "hand-in", "a.txt", text, strlen (text) + 1), 400 },
    { manifest (id, "hand-in", "a.txt", text, (gsize) CX_UPLOAD_MAX_FILE_SIZE + 1), 413 },
    { g_strdup ("{\"id\": "), 400 },
  };
  g_auto (Reply) mismatch = { 0 };
  g_auto (Reply) cut = { 0 };
  g_auto (Reply) huge = { 0 };
  g_auto (Reply) wrong_type = { 0 };
  g_autoptr (GByteArray) records = g_byte_array_new ();

  cx_chunk_id_compute (text, strlen (text), &sha);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto (Reply) reply = { 0 };

      commit (fx, token, bad[i].json, &reply);
      g_test_message ("%s", bad[i].json);
      g_assert_cmpint (reply.status, ==, bad[i].status);
      g_free (bad[i].json);
    }

  /* A chunk whose bytes are not its id. */
  memset (&wrong, 7, sizeof wrong);
  cx_chunk_records_append (records, &wrong, (const guint8 *) text, (guint32) strlen (text));
  put_records (fx, token, records, &mismatch);
  assert_error (&mismatch, 400, "hash-mismatch");

  /* A record cut short. */
  g_byte_array_set_size (records, 0);
  cx_chunk_records_append (records, &sha, (const guint8 *) text, (guint32) strlen (text));
  g_byte_array_set_size (records, records->len - 3);
  put_records (fx, token, records, &cut);
  assert_error (&cut, 400, "malformed");

  /* Over the limit, refused by its length alone. */
  g_byte_array_set_size (records, CX_API_MAX_CHUNK_RECORDS + 1);
  put_records (fx, token, records, &huge);
  assert_error (&huge, 413, "too-large");

  call (fx, "POST", "api/v1/chunks", token, "text/plain", "x", 1, &wrong_type);
  assert_error (&wrong_type, 415, "media-type");

  /* Nothing was kept. */
  {
    g_autofree char *chunks = g_build_filename (fx->data, "chunks", NULL);
    g_autoptr (GDir) dir = g_dir_open (chunks, 0, NULL);

    g_assert_null (dir != NULL ? g_dir_read_name (dir) : NULL);
  }
  g_assert_cmpuint (count_files (fx), ==, 0);
}

/* --- the timetable ---------------------------------------------------------- */

#define DISTRICT_ENTRY "6f9619ff-8b86-d011-b42d-00c04fc964ff"
#define SCHOOL_ENTRY   "7f9619ff-8b86-d011-b42d-00c04fc964ff"

static void
put_entry (Fixture *fx,
           const char *token,
           const char *uuid,
           gint64 base,
           const char *form,
           gint64 starts,
           gint64 ends,
           Reply *reply)
{
  g_autofree char *json =
      g_strdup_printf ("{\"base_revision\":%lld,\"entry\":{\"uuid\":\"%s\",\"form\":\"%s\","
                       "\"subject\":\"数学\",\"starts_at\":%lld,\"ends_at\":%lld}}",
                       (long long) base, uuid, form, (long long) starts, (long long) ends);

  call (fx, "POST", "api/v1/timetable", token, "application/json", json, strlen (json), reply);
}

static void
test_timetable (Fixture *fx, gconstpointer data)
{
  g_autofree char *token = enrolled_token (fx);
  g_autofree char *path = g_build_filename (fx->dir, "district.json", NULL);
  const char *district = "[{\"uuid\":\"" DISTRICT_ENTRY "\",\"form\":\"sync-classroom\","
                         "\"subject\":\"语文\",\"starts_at\":1800000000,"
                         "\"ends_at\":1800002400}]";
  const char *import[] = {
    g_getenv ("CUNXIAO_HUB"), "timetable", "--data", fx->data, "--import", path, NULL
  };
  g_autofree char *other_token = NULL;
  g_auto (Reply) all = { 0 };
  g_auto (Reply) created = { 0 };
  g_auto (Reply) stale = { 0 };
  g_auto (Reply) district_edit = { 0 };
  g_auto (Reply) since = { 0 };
  g_auto (Reply) bad_since = { 0 };
  g_auto (Reply) other_school = { 0 };
  g_auto (Reply) r1 = { 0 };
  g_auto (Reply) r2 = { 0 };
  g_auto (Reply) r3 = { 0 };
  gint64 change;

  cx_test_write_file (path, district, strlen (district));
  g_assert_cmpint (cx_test_run (import, NULL, NULL), ==, 0);
  call (fx, "GET", "api/v1/timetable", token, NULL, NULL, 0, &all);
  g_assert_cmpint (all.status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (all.body, "entries")), ==,
                    1);
  change = json_object_get_int_member (all.body, "change");

  /* A school's own entry: new from revision 0, then a stale base is a
   * conflict answered with the hub's version. */
  put_entry (fx, token, SCHOOL_ENTRY, 0, "local", 1800003000, 1800005400, &created);
  g_assert_cmpint (created.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (created.body, "revision"), ==, 1);
  put_entry (fx, token, SCHOOL_ENTRY, 0, "local", 1800003000, 1800006000, &stale);
  assert_error (&stale, 409, "conflict");
  g_assert_cmpint (json_object_get_int_member (
                       json_object_get_object_member (stale.body, "current"), "revision"),
                   ==, 1);

  /* The district's entries are the district's. */
  put_entry (fx, token, DISTRICT_ENTRY, 1, "local", 1800000000, 1800002400, &district_edit);
  assert_error (&district_edit, 403, "not-yours");

  /* Incremental: only what changed since. */
  {
    g_autofree char *query = g_strdup_printf ("api/v1/timetable?since=%lld", (long long) change);

    call (fx, "GET", query, token, NULL, NULL, 0, &since);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (since.body, "entries")),
                      ==, 1);
  }
  call (fx, "GET", "api/v1/timetable?since=yesterday", token, NULL, NULL, 0, &bad_since);
  assert_error (&bad_since, 400, "malformed");

  /* Another school sees the district's entry, not ours, and cannot change ours. */
  {
    g_autofree char *code = new_code (fx, "县一小");
    g_auto (Reply) enrolled = { 0 };
    g_auto (Reply) theirs = { 0 };

    enroll (fx, code, "aabbccddeeff00112233445566778899", &enrolled);
    other_token = g_strdup (json_object_get_string_member (enrolled.body, "token"));
    call (fx, "GET", "api/v1/timetable", other_token, NULL, NULL, 0, &theirs);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (theirs.body, "entries")),
                      ==, 1);
  }
  put_entry (fx, other_token, SCHOOL_ENTRY, 1, "local", 1800003000, 1800006000, &other_school);
  assert_error (&other_school, 403, "not-yours");

  /* Malformed entries. */
  put_entry (fx, token, SCHOOL_ENTRY, 1, "party", 1800003000, 1800006000, &r1);
  assert_error (&r1, 400, "malformed");
  put_entry (fx, token, SCHOOL_ENTRY, 1, "local", 1800006000, 1800003000, &r2);
  assert_error (&r2, 400, "malformed");
  put_entry (fx, token, "../../etc", 0, "local", 1800003000, 1800006000, &r3);
  assert_error (&r3, 400, "malformed");
}

static void
put_json (Fixture *fx, const char *token, const char *entry, gint64 base, Reply *reply)
{
  g_autofree char *json =
      g_strdup_printf ("{\"base_revision\":%lld,\"entry\":{\"uuid\":\"" SCHOOL_ENTRY
                       "\",\"form\":\"sync-classroom\","
                       "\"starts_at\":1800003000,\"ends_at\":1800005400%s}}",
                       (long long) base, entry);

  call (fx, "POST", "api/v1/timetable", token, "application/json", json, strlen (json), reply);
}

/* A live class's address and fallback are checked at the door; a removal
 * is a tombstone at the next revision, sent to devices that saw the entry
 * and not to one that never did. */
static void
test_timetable_live_and_removal (Fixture *fx, gconstpointer data)
{
  g_autofree char *token = enrolled_token (fx);
  g_auto (Reply) created = { 0 };
  g_auto (Reply) bad_url = { 0 };
  g_auto (Reply) bad_path = { 0 };
  g_auto (Reply) removed = { 0 };
  g_auto (Reply) fresh = { 0 };
  g_auto (Reply) since = { 0 };
  JsonObject *entry;
  gint64 change;

  put_json (fx, token, ",\"live_url\":\"https://live.example.cn/1\",\"fallback\":\"u1/a.mp4\"", 0,
            &created);
  g_assert_cmpint (created.status, ==, 200);
  put_json (fx, token, ",\"live_url\":\"javascript:alert(1)\"", 1, &bad_url);
  assert_error (&bad_url, 400, "malformed");
  put_json (fx, token, ",\"fallback\":\"../../etc/passwd\"", 1, &bad_path);
  assert_error (&bad_path, 400, "malformed");

  call (fx, "GET", "api/v1/timetable", token, NULL, NULL, 0, &fresh);
  entry = json_array_get_object_element (json_object_get_array_member (fresh.body, "entries"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "live_url"), ==,
                   "https://live.example.cn/1");
  g_assert_cmpstr (json_object_get_string_member (entry, "fallback"), ==, "u1/a.mp4");
  g_assert_false (json_object_get_boolean_member (entry, "deleted"));
  change = json_object_get_int_member (fresh.body, "change");
  reply_clear (&fresh);

  put_json (fx, token, ",\"deleted\":true", 1, &removed);
  g_assert_cmpint (removed.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (removed.body, "revision"), ==, 2);
  {
    g_autofree char *query = g_strdup_printf ("api/v1/timetable?since=%lld", (long long) change);

    call (fx, "GET", query, token, NULL, NULL, 0, &since);
  }
  entry = json_array_get_object_element (json_object_get_array_member (since.body, "entries"), 0);
  g_assert_true (json_object_get_boolean_member (entry, "deleted"));
  g_assert_cmpint (json_object_get_int_member (entry, "revision"), ==, 2);
  call (fx, "GET", "api/v1/timetable", token, NULL, NULL, 0, &fresh);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (fresh.body, "entries")),
                    ==, 0);
}

/* With a certificate and key the hub speaks https only, and the API works
 * the same over it. */
static void
test_tls (Fixture *fx, gconstpointer data)
{
  g_autofree char *cert = g_build_filename (fx->dir, "hub.crt", NULL);
  g_autofree char *key = g_build_filename (fx->dir, "hub.key", NULL);
  g_autofree char *token = NULL;
  const char *openssl[] = { "openssl",  "req",
                            "-x509",    "-newkey",
                            "rsa:2048", "-nodes",
                            "-days",    "1",
                            "-subj",    "/CN=127.0.0.1",
                            "-addext",  "subjectAltName=IP:127.0.0.1",
                            "-keyout",  key,
                            "-out",     cert,
                            NULL };
  const char *args[] = { "--repo",     fx->repo, "--data",    fx->data, "--port", "0",
                         "--tls-cert", cert,     "--tls-key", key,      NULL };
  g_autofree char *openssl_path = g_find_program_in_path ("openssl");
  g_auto (Reply) mark = { 0 };

  if (openssl_path == NULL)
    {
      g_test_skip ("openssl is needed to make a certificate");
      return;
    }
  g_assert_cmpint (cx_test_run (openssl, NULL, NULL), ==, 0);

  /* The same data folder, now behind TLS. LeakSanitizer's own tracer
   * crashes at exit on the threads GnuTLS leaves (a sanitizer limitation,
   * "Tracer caught signal 11"), so leak checking is off for this hub only. */
  g_free (cx_test_stop_hub (fx->hub));
  g_clear_object (&fx->hub);
  g_clear_pointer (&fx->url, g_free);
  {
    g_autofree char *saved = g_strdup (g_getenv ("ASAN_OPTIONS"));

    g_setenv ("ASAN_OPTIONS", "fast_unwind_on_malloc=0:detect_leaks=0", TRUE);
    fx->hub = cx_test_start_hub_with (args, &fx->url);
    if (saved != NULL)
      g_setenv ("ASAN_OPTIONS", saved, TRUE);
    else
      g_unsetenv ("ASAN_OPTIONS");
  }
  g_assert_true (g_str_has_prefix (fx->url, "https://"));
  fx->ca_file = g_strdup (cert);

  token = enrolled_token (fx);
  call (fx, "GET", "api/v1/events", token, NULL, NULL, 0, &mark);
  g_assert_cmpint (mark.status, ==, 200);
}

static void
add (const char *path, void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  curl_global_init (CURL_GLOBAL_DEFAULT);

  add ("/hub-api/enrolment", test_enrolment);
  add ("/hub-api/enrolment-throttled", test_enrolment_throttled);
  add ("/hub-api/expired-code", test_expired_code);
  add ("/hub-api/bad-enrolment-bodies", test_bad_enrolment_bodies);
  add ("/hub-api/authentication", test_authentication);
  add ("/hub-api/events-exactly-once", test_events_exactly_once);
  add ("/hub-api/bad-batches", test_bad_batches);
  add ("/hub-api/upload", test_upload);
  add ("/hub-api/bad-uploads", test_bad_uploads);
  add ("/hub-api/timetable", test_timetable);
  add ("/hub-api/timetable-live-and-removal", test_timetable_live_and_removal);
  add ("/hub-api/tls", test_tls);

  return g_test_run ();
}
