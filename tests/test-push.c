/* test-push.c: usage events from a laptop to the hub, exactly once
 *
 * The real `cunxiao-hub serve` and `cunxiao-cli sync`, both killed at
 * random moments and put behind a faulty link: after recovery the hub holds
 * every event once, with the laptop's payload, and the laptop lost nothing.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <sqlite3.h>

#include "cx-hand-in-files.h"
#include "cx-store-journal.h"
#include "cx-test-repo.h"

#define N_EVENTS   10000
#define N_HAND_INS 4

typedef struct
{
  char *dir;
  char *repo;
  char *hub_data;
  char *laptop;
  char *url;
  guint port;
  GSubprocess *hub;
} Fixture;

static guint
port_of (const char *url)
{
  const char *colon = strrchr (url, ':');

  g_assert_nonnull (colon);
  return (guint) g_ascii_strtoull (colon + 1, NULL, 10);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  fx->dir = cx_test_make_dir ();
  fx->repo = g_build_filename (fx->dir, "repo", NULL);
  fx->hub_data = g_build_filename (fx->dir, "hub", NULL);
  fx->laptop = g_build_filename (fx->dir, "laptop", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fx->repo, 0700), ==, 0);
  fx->hub = cx_test_start_hub_full (fx->repo, fx->hub_data, 0, &fx->url);
  fx->port = port_of (fx->url);
  g_assert_cmpint (cx_test_cli (fx->laptop, NULL, NULL, "init", NULL), ==, 0);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  if (fx->hub != NULL)
    {
      g_autofree char *log = cx_test_stop_hub (fx->hub);

      g_object_unref (fx->hub);
    }
  g_free (fx->url);
  g_free (fx->laptop);
  g_free (fx->hub_data);
  g_free (fx->repo);
  g_free (fx->dir);
}

static void
restart_hub (Fixture *fx, gboolean kill)
{
  g_autofree char *url = NULL;

  if (kill)
    {
      g_subprocess_force_exit (fx->hub);
      g_subprocess_wait (fx->hub, NULL, NULL);
    }
  else
    g_free (cx_test_stop_hub (fx->hub));
  g_clear_object (&fx->hub);
  fx->hub = cx_test_start_hub_full (fx->repo, fx->hub_data, fx->port, &url);
  g_assert_cmpstr (url, ==, fx->url);
}

static void
enroll (Fixture *fx, const char *url)
{
  const char *argv[] = {
    g_getenv ("CUNXIAO_HUB"), "enroll", "--data", fx->hub_data, "--school", "石桥小学", NULL
  };
  g_autofree char *out = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpint (cx_test_run (argv, &out, NULL), ==, 0);
  code = g_strndup (strrchr (out, ':') + 2, 14);
  g_assert_cmpint (cx_test_cli (fx->laptop, NULL, NULL, "enroll", url, code, NULL), ==, 0);
}

/* Varied events, as a school day makes them. */
static void
record_events (Fixture *fx, guint n)
{
  static const char *const kinds[] = { "resource.opened", "lesson.taught", "handin.created",
                                       "class.joined" };
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->laptop, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *payload =
          g_strdup_printf ("{\"resource\":\"第%u课.html\",\"class\":\"%u年级\",\"seconds\":%u}",
                           i % 37, 1 + i % 6, (i * 7919) % 2400);

      g_assert_cmpint (
          cx_store_journal_append (store, kinds[i % G_N_ELEMENTS (kinds)], payload, &error), >, 0);
    }
}

/* The hub holds events 1 … its mark of this device, each once: returns
 * the mark. */
static gint64
check_hub (Fixture *fx)
{
  g_autofree char *path = g_build_filename (fx->hub_data, "hub.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count, max, mark;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT count(*), coalesce(max(seq), 0),"
                                       " (SELECT acknowledged FROM devices WHERE id = 1)"
                                       " FROM events WHERE device_id = 1",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  max = sqlite3_column_int64 (stmt, 1);
  mark = sqlite3_column_int64 (stmt, 2);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpint (count, ==, max);
  g_assert_cmpint (mark, ==, max);
  return mark;
}

/* The last run is noted in the journal, its payload starting so. */
static void
assert_sync_noted (Fixture *fx, const char *payload_start)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->laptop, &error);
  gint64 last = cx_store_journal_get_last_seq (store, &error);
  g_autoptr (GPtrArray) entries = cx_store_journal_read (store, last - 1, 1, &error);
  const CxJournalEntry *e;

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  e = entries->pdata[0];
  g_assert_cmpstr (e->kind, ==, "sync.finished");
  g_assert_true (g_str_has_prefix (e->payload, payload_start));
}

/* Every event the laptop recorded is at the hub, byte for byte: the @n
 * the test recorded and the notes of the syncs before the last one (the
 * last sync's own note goes with the next). */
static void
assert_all_arrived (Fixture *fx, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->laptop, &error);
  g_autoptr (GPtrArray) entries = cx_store_journal_read (store, 0, G_MAXINT, &error);
  g_autofree char *path = g_build_filename (fx->hub_data, "hub.db", NULL);
  gint64 acknowledged = cx_store_journal_get_acknowledged (store, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint i = 0, recorded = 0;

  g_assert_no_error (error);
  for (guint j = 0; j < entries->len; j++)
    {
      const CxJournalEntry *e = entries->pdata[j];

      if (g_strcmp0 (e->kind, "sync.finished") == 0)
        continue;
      recorded++;
      g_assert_cmpint (e->seq, <=, acknowledged);
    }
  g_assert_cmpuint (recorded, ==, n);
  g_assert_cmpint (check_hub (fx), ==, acknowledged);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT seq, time_us, kind, payload FROM events"
                                       " WHERE device_id = 1 ORDER BY seq",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const CxJournalEntry *e = entries->pdata[i++];

      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, e->seq);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, e->time_us);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, e->kind);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 3), ==, e->payload);
    }
  n = (guint) acknowledged;
  g_assert_cmpuint (i, ==, n);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* Pupils' files through `cunxiao-cli hand-in add`: random, so nothing of
 * one is in another, 1.5 MB each. */
static void
hand_in (Fixture *fx, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("作业-%u.jpg", i);
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);
      g_autofree char *pupil = g_strdup_printf ("学生%u", i);

      cx_test_write_random_file (path, 1536 * 1024, 100 + i);
      g_assert_cmpint (cx_test_cli (fx->laptop, NULL, NULL, "hand-in", "add", path, "--class",
                                    "一年级", "--assignment", "看图写话", "--pupil", pupil, NULL),
                       ==, 0);
    }
}

/* Every hand-in reached the hub, recorded once, its file byte-identical. */
static void
assert_hand_ins_arrived (Fixture *fx, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->laptop, &error);
  g_autoptr (GPtrArray) list = cx_store_list_hand_ins (store, FALSE, &error);
  g_autofree char *path = g_build_filename (fx->hub_data, "hub.db", NULL);
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, n);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < list->len; i++)
    {
      const CxHandIn *h = list->pdata[i];
      g_autofree char *local = cx_hand_in_files_get_path (store, h->content_hash);
      g_autofree char *sub = g_strndup (h->content_hash, 2);
      g_autofree char *remote =
          g_build_filename (fx->hub_data, "files", sub, h->content_hash, NULL);
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      gsize la, lb;
      sqlite3_stmt *stmt = NULL;

      g_assert_true (h->uploaded);
      g_assert_true (g_file_get_contents (local, &a, &la, NULL));
      g_assert_true (g_file_get_contents (remote, &b, &lb, NULL));
      g_assert_cmpmem (a, la, b, lb);
      g_assert_cmpint (sqlite3_prepare_v2 (db,
                                           "SELECT count(*), min(sha256) FROM uploads WHERE id = ?",
                                           -1, &stmt, NULL),
                       ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, h->uuid, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, h->content_hash);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
}

/* cunxiao-cli sync --once, in small, slow batches, so a kill lands mid-way. */
static GSubprocess *
spawn_sync (Fixture *fx)
{
  const char *argv[] = { g_getenv ("CUNXIAO_CLI"), "--data-dir", fx->laptop,     "sync", "--once",
                         "--batch-events",         "400",        "--rate-limit", "40kB", NULL };

  return cx_test_spawn (argv,
                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
}

/* A one-unit package at the hub, version @version. */
static void
publish (Fixture *fx, const char *key_file, guint version)
{
  g_autofree char *src = g_build_filename (fx->dir, "src", NULL);
  g_autofree char *json = g_build_filename (src, "package.json", NULL);
  g_autofree char *lesson = g_build_filename (src, "u1", "课文.txt", NULL);
  g_autofree char *text = g_strdup_printf ("第 %u 版的课文。\n", version);
  const char *package = "{\"id\":\"yuwen-1\",\"title\":\"语文 一年级\",\"subject\":\"语文\","
                        "\"grade\":\"1\",\"edition\":\"测试\",\"units\":[{\"id\":\"u1\","
                        "\"title\":\"一\",\"files\":[\"u1/课文.txt\"],\"lessons\":[]}]}";

  g_assert_cmpint (g_mkdir_with_parents (src, 0700), ==, 0);
  cx_test_write_file (json, package, strlen (package));
  cx_test_write_file (lesson, text, strlen (text));
  cx_test_publish (src, fx->repo, key_file, "push-test");
}

/* Enrol, publish, install; then one sync takes the new version down and
 * the laptop's events and hand-ins up. */
static void
test_end_to_end (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *key_file = g_build_filename (fx->dir, "repo.key", NULL);
  g_autofree char *public_key = cx_test_keygen (key_file);
  g_autofree char *tree = NULL;
  g_autofree char *lesson = NULL;
  g_autofree char *text = NULL;

  enroll (fx, fx->url);
  publish (fx, key_file, 1);
  g_assert_cmpint (
      cx_test_cli (fx->laptop, NULL, NULL, "hub", "add", fx->url, "--key", public_key, NULL), ==,
      0);
  g_assert_cmpint (cx_test_cli (fx->laptop, NULL, NULL, "packages", "install", "yuwen-1", NULL), ==,
                   0);
  publish (fx, key_file, 2);
  record_events (fx, 1000);
  hand_in (fx, 2);

  g_assert_cmpint (cx_test_cli (fx->laptop, &out, NULL, "sync", "--once", NULL), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "Sent 1000 usage events and 2 hand-ins"));
  g_assert_nonnull (strstr (out, "1 packages updated"));
  assert_all_arrived (fx, 1000);
  assert_hand_ins_arrived (fx, 2);
  assert_sync_noted (fx, "{\"outcome\":\"ok\",\"events_sent\":1000,\"hand_ins_sent\":2,"
                         "\"packages_updated\":1,");
  tree = cx_test_installed_tree (fx->laptop, "yuwen-1");
  lesson = g_build_filename (tree, "u1", "课文.txt", NULL);
  g_assert_true (g_file_get_contents (lesson, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "第 2 版的课文。\n");
  g_clear_pointer (&out, g_free);

  /* Nothing left but the sync's own note, which goes with the next one;
   * `sync status` says so. */
  g_assert_cmpint (cx_test_cli (fx->laptop, &out, NULL, "sync", "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "1001 recorded, 1000 held by the hub, 1 to send"));
  g_assert_nonnull (strstr (out, "succeeded"));
}

static void
test_not_enrolled (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  record_events (fx, 3);
  g_assert_cmpint (cx_test_cli (fx->laptop, &out, &err, "sync", "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "not enrolled"));
  g_assert_cmpint (cx_test_cli (fx->laptop, NULL, &err, "enroll", fx->url, "AAAA-BBBB-CCCC", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "does not know that enrolment code"));
}

/* Waits until the hub has taken a batch beyond @mark (or 20 s have
 * passed), then a random moment more: a kill then lands mid-sync however
 * fast or slow this machine starts the client. */
static void
wait_for_progress (Fixture *fx, gint64 mark, GRand *rand)
{
  gint64 until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (check_hub (fx) <= mark && mark < N_EVENTS && g_get_monotonic_time () < until)
    g_usleep (10 * 1000);
  g_usleep (g_rand_int_range (rand, 0, 300) * 1000);
}

/* A link with 100 ms round trips in front of the hub. */
static GSubprocess *
slow_link (Fixture *fx, char **out_url)
{
  const char *const options[] = { "--latency-ms", "100", NULL };

  if (g_getenv ("CUNXIAO_FAULT_PROXY") == NULL)
    {
      g_test_skip ("CUNXIAO_FAULT_PROXY is not set");
      return NULL;
    }
  return cx_test_start_proxy (fx->url, options, out_url);
}

/* The hub's mark after a kill: never lower than before; counts the kills
 * that came while a sync was part-way. */
static gint64
note_mark (Fixture *fx, gint64 last_mark, guint *mid_way)
{
  gint64 mark = check_hub (fx);

  g_assert_cmpint (mark, >=, last_mark);
  if (mark > last_mark && mark < N_EVENTS)
    (*mid_way)++;
  return mark;
}

/* Enrolled behind the slow link, with everything to send recorded. */
static GSubprocess *
prepare_kills (Fixture *fx)
{
  g_autofree char *url = NULL;
  GSubprocess *proxy = slow_link (fx, &url);

  if (proxy == NULL)
    return NULL;
  enroll (fx, url);
  record_events (fx, N_EVENTS);
  hand_in (fx, N_HAND_INS);
  return proxy;
}

/* After the kills, one sync sends the rest: all of it, exactly once. */
static void
finish_kills (Fixture *fx, GSubprocess *proxy)
{
  g_assert_cmpint (cx_test_cli (fx->laptop, NULL, NULL, "sync", "--once", NULL), ==, 0);
  assert_all_arrived (fx, N_EVENTS);
  assert_hand_ins_arrived (fx, N_HAND_INS);
  cx_test_stop_proxy (proxy);
}

static void
test_client_killed (Fixture *fx, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  g_autoptr (GSubprocess) proxy = prepare_kills (fx);
  gint64 last_mark = 0;
  guint mid_way = 0;

  if (proxy == NULL)
    return;

  for (guint run = 0; run < 50; run++)
    {
      g_autoptr (GSubprocess) sync = spawn_sync (fx);
      g_autoptr (GError) error = NULL;
      g_autoptr (CxStore) store = NULL;
      gint64 mark, acknowledged;

      wait_for_progress (fx, last_mark, rand);
      g_subprocess_force_exit (sync);
      g_subprocess_wait (sync, NULL, NULL);

      /* The hub never loses or doubles; the laptop never claims more than
       * the hub holds. */
      mark = note_mark (fx, last_mark, &mid_way);
      last_mark = mark;
      store = cx_store_open (fx->laptop, &error);
      g_assert_no_error (error);
      acknowledged = cx_store_journal_get_acknowledged (store, &error);
      g_assert_cmpint (acknowledged, <=, mark);
      g_assert_cmpint (cx_store_journal_get_last_seq (store, NULL), ==, N_EVENTS);
    }
  g_test_message ("after 50 kills the hub held %lld of %d events; %u kills came mid-way",
                  (long long) last_mark, N_EVENTS, mid_way);
  g_assert_cmpuint (mid_way, >=, 10);

  finish_kills (fx, proxy);
}

static void
test_hub_killed (Fixture *fx, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (12);
  g_autoptr (GSubprocess) proxy = prepare_kills (fx);
  gint64 last_mark = 0;
  guint mid_way = 0;

  if (proxy == NULL)
    return;

  for (guint run = 0; run < 20; run++)
    {
      g_autoptr (GSubprocess) sync = spawn_sync (fx);
      gint64 mark;

      /* The hub dies under a running sync; the client, which may ride
       * over the restart, is stopped soon after so that each round adds
       * only a little. */
      wait_for_progress (fx, last_mark, rand);
      restart_hub (fx, TRUE);
      g_usleep (g_rand_int_range (rand, 0, 200) * 1000);
      g_subprocess_force_exit (sync);
      g_subprocess_wait (sync, NULL, NULL);
      mark = note_mark (fx, last_mark, &mid_way);
      last_mark = mark;
    }
  g_test_message ("after 20 hub kills it held %lld of %d events; %u kills came mid-way",
                  (long long) last_mark, N_EVENTS, mid_way);
  g_assert_cmpuint (mid_way, >=, 5);

  finish_kills (fx, proxy);
}

/* Behind a link that drops replies, stalls and fails: every run ends, and
 * running again converges. */
static void
test_faults (Fixture *fx, gconstpointer data)
{
  const char *const options[] = {
    "--fault",   "2:drop=10", "--fault",     "4:status=503", "--fault",
    "6:stall=5", "--fault",   "8:corrupt=3", NULL,
  };
  g_autofree char *proxy_url = NULL;
  g_autoptr (GSubprocess) proxy = NULL;
  guint runs = 0;

  if (g_getenv ("CUNXIAO_FAULT_PROXY") == NULL)
    {
      g_test_skip ("CUNXIAO_FAULT_PROXY is not set");
      return;
    }
  proxy = cx_test_start_proxy (fx->url, options, &proxy_url);
  enroll (fx, proxy_url);
  record_events (fx, 3000);
  hand_in (fx, 2);

  while (runs < 12)
    {
      const char *argv[] = { g_getenv ("CUNXIAO_CLI"), "--data-dir", fx->laptop, "sync", "--once",
                             "--batch-events",         "500",        NULL };

      runs++;
      if (cx_test_run (argv, NULL, NULL) == 0)
        break;
      check_hub (fx);
    }
  g_test_message ("converged after %u runs", runs);
  g_assert_cmpuint (runs, >, 1);
  assert_all_arrived (fx, 3000);
  assert_hand_ins_arrived (fx, 2);
  cx_test_stop_proxy (proxy);
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

  add ("/push/end-to-end", test_end_to_end);
  add ("/push/not-enrolled", test_not_enrolled);
  add ("/push/client-killed", test_client_killed);
  add ("/push/hub-killed", test_hub_killed);
  add ("/push/faults", test_faults);

  return g_test_run ();
}
