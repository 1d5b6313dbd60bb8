/* test-resume.c: installs that are killed, cut off or starved of disk finish correctly
 *
 * The hub is reached through tests/fault-proxy, which slows the link down
 * so that there is time to kill the installing process, drops connections,
 * or corrupts bytes.  After every interruption the store must be sound and
 * either nothing or a complete, verified version installed; the next run
 * must finish the job.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cx-installer.h"
#include "cx-store-packages.h"
#include "cx-sync-error.h"
#include "cx-test-repo.h"

#define PACKAGE_KEY   "shuxue-2"
#define REPOSITORY_ID "test-resume"
#define KILL_RUNS     30
/* Through the proxy the package takes about two seconds to arrive. */
#define PROXY_RATE "1500000"

typedef CxTestRepo Fixture;

static void
make_source (const char *src)
{
  static const char package_json[] =
      "{\"id\":\"" PACKAGE_KEY "\",\"title\":\"数学 二年级\",\"subject\":\"数学\","
      "\"grade\":\"2\",\"edition\":\"人教版\",\"units\":["
      "{\"id\":\"u1\",\"title\":\"长度单位\",\"files\":[\"u1/厘米.mp4\",\"u1/米.pdf\"],"
      "\"lessons\":[]},"
      "{\"id\":\"u2\",\"title\":\"100以内的加法和减法\",\"files\":[\"u2/加法.mp4\","
      "\"u2/练习.pdf\",\"u2/说明.txt\"],\"lessons\":[]}]}";
  static const struct
  {
    const char *path;
    gsize size;
  } files[] = {
    { "u1/厘米.mp4", 1200 * 1024 }, { "u1/米.pdf", 300 * 1024 }, { "u2/加法.mp4", 1100 * 1024 },
    { "u2/练习.pdf", 420 * 1024 },  { "u2/说明.txt", 3 * 1024 },
  };
  g_autofree char *json = g_build_filename (src, "package.json", NULL);

  cx_test_write_file (json, package_json, strlen (package_json));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (src, files[i].path, NULL);

      cx_test_write_random_file (path, files[i].size, 100 + i);
    }
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  cx_test_repo_init (fx);
  make_source (fx->src);
  cx_test_repo_serve (fx, REPOSITORY_ID);
}

static void
init_and_add_hub (Fixture *fx, const char *data_dir, const char *url)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (cx_test_cli (data_dir, NULL, NULL, "init", NULL), ==, 0);
  if (cx_test_cli (data_dir, &out, &err, "hub", "add", url, "--key", fx->public_key, NULL) != 0)
    g_error ("hub add: %s%s", out, err);
}

static void
assert_sound (Fixture *fx)
{
  static const char *const skip[] = { "package.json", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->data_dir, &error);
  g_autofree char *tree = NULL;

  g_assert_no_error (error);
  g_assert_true (cx_store_check_integrity (store, &error));
  g_assert_no_error (error);

  tree = cx_test_installed_tree (fx->data_dir, PACKAGE_KEY);
  if (tree != NULL)
    cx_test_assert_same_tree (fx->src, tree, skip);
}

static GSubprocess *
start_install (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  GSubprocess *process =
      g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                        &error, g_getenv ("CUNXIAO_CLI"), "--data-dir", fx->data_dir, "packages",
                        "install", PACKAGE_KEY, NULL);

  g_assert_no_error (error);
  return process;
}

static void
test_sigkill (Fixture *fx, gconstpointer data)
{
  const char *options[] = { "--rate", PROXY_RATE, NULL };
  g_autoptr (GSubprocess) proxy = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *final_tree = NULL;
  guint finished = 0, killed = 0;

  proxy = cx_test_start_proxy (fx->hub_url, options, &proxy_url);
  init_and_add_hub (fx, fx->data_dir, proxy_url);

  for (int run = 0; run < KILL_RUNS; run++)
    {
      g_autoptr (GSubprocess) install = start_install (fx);
      g_autoptr (GError) error = NULL;
      g_autofree char *tree = NULL;

      /* Anywhere from the refresh at the start to the commit at the end. */
      g_usleep (g_random_int_range (20, 1800) * 1000);
      g_subprocess_force_exit (install);
      g_subprocess_wait (install, NULL, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_if_signaled (install))
        killed++;

      assert_sound (fx);
      tree = cx_test_installed_tree (fx->data_dir, PACKAGE_KEY);
      if (tree != NULL)
        {
          /* It got all the way; start over so later kills land mid-way. */
          finished++;
          g_assert_cmpint (
              cx_test_cli (fx->data_dir, NULL, NULL, "packages", "remove", PACKAGE_KEY, NULL), ==,
              0);
        }
    }

  g_test_message ("%u runs killed, %u finished before the kill", killed, finished);
  g_assert_cmpuint (killed, >, KILL_RUNS / 2);

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, NULL, "packages", "install", PACKAGE_KEY, NULL),
                   ==, 0);
  assert_sound (fx);
  final_tree = cx_test_installed_tree (fx->data_dir, PACKAGE_KEY);
  g_assert_nonnull (final_tree);
  cx_test_stop_proxy (proxy);
}

/* A run cut off after some chunks arrived resumes with only the rest. */
static void
test_resume_costs_little (Fixture *fx, gconstpointer data)
{
  const char *options[] = { "--rate", PROXY_RATE, NULL };
  g_autoptr (GSubprocess) proxy = NULL;
  g_autoptr (GSubprocess) install = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *staging = NULL;
  CxInstallResult result;

  proxy = cx_test_start_proxy (fx->hub_url, options, &proxy_url);
  init_and_add_hub (fx, fx->data_dir, proxy_url);

  install = start_install (fx);
  g_usleep (1200 * 1000);
  g_subprocess_force_exit (install);
  g_subprocess_wait (install, NULL, &error);
  g_assert_no_error (error);

  store = cx_store_open (fx->data_dir, &error);
  g_assert_no_error (error);
  installer = cx_installer_new (store, &error);
  g_assert_no_error (error);
  g_assert_true (cx_installer_install (installer, PACKAGE_KEY, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("resumed: %u chunks already here, %u fetched, %" G_GUINT64_FORMAT " bytes",
                  result.chunks_local, result.chunks_fetched, result.bytes_received);
  g_assert_cmpuint (result.chunks_local, >, 0);
  /* The package is 3 MiB of incompressible data. */
  g_assert_cmpuint (result.bytes_received, <, 3 * 1024 * 1024);
  assert_sound (fx);

  /* Nothing stays staged once the version is in place. */
  staging = g_build_filename (fx->data_dir, "content", "staging", NULL);
  {
    g_autoptr (GDir) dir = g_dir_open (staging, 0, NULL);

    g_assert_nonnull (dir);
    g_assert_null (g_dir_read_name (dir));
  }
  cx_test_stop_proxy (proxy);
}

static gpointer
cancel_later (gpointer cancellable)
{
  g_usleep (600 * 1000);
  g_cancellable_cancel (cancellable);
  return NULL;
}

/* Cancelling stops the transfer promptly, and the next run finishes it. */
static void
test_cancel (Fixture *fx, gconstpointer data)
{
  const char *options[] = { "--rate", "500000", NULL };
  g_autoptr (GSubprocess) proxy = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *tree = NULL;
  CxInstallResult result;
  GThread *canceller;
  gint64 started;

  proxy = cx_test_start_proxy (fx->hub_url, options, &proxy_url);
  init_and_add_hub (fx, fx->data_dir, proxy_url);
  store = cx_store_open (fx->data_dir, &error);
  g_assert_no_error (error);
  installer = cx_installer_new (store, &error);
  g_assert_no_error (error);

  started = g_get_monotonic_time ();
  canceller = g_thread_new ("cancel", cancel_later, cancellable);
  g_assert_false (cx_installer_install (installer, PACKAGE_KEY, NULL, NULL, cancellable, &error));
  g_thread_join (canceller);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The package needs six seconds at this rate; the cancel came after 0.6. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
  g_assert_null (cx_test_installed_tree (fx->data_dir, PACKAGE_KEY));
  g_clear_error (&error);

  g_assert_true (cx_installer_install (installer, PACKAGE_KEY, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.chunks_local, >, 0);
  tree = cx_test_installed_tree (fx->data_dir, PACKAGE_KEY);
  g_assert_nonnull (tree);
  assert_sound (fx);
  cx_test_stop_proxy (proxy);
}

/* Drops, stalls, corrupted bytes and 5xx answers on the way: every run ends
 * with a verified install. */
static void
test_faults_converge (Fixture *fx, gconstpointer data)
{
  const char *const scenarios[][8] = {
    { "--fault", "5:drop=20000", "--fault", "7:drop=300000", NULL },
    { "--fault", "5:corrupt=5000", "--fault", "6:corrupt=100", NULL },
    { "--fault", "5:status=503", "--fault", "6:status=502", "--fault", "8:status=500", NULL },
    { "--fault", "5:stall=40000", NULL },
    { "--drop-every-bytes", "400000", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autoptr (GSubprocess) proxy = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (CxStore) store = NULL;
      g_autoptr (CxInstaller) installer = NULL;
      g_autofree char *proxy_url = NULL;
      g_autofree char *data_dir = g_strdup_printf ("%s/laptop-%u", fx->dir, i);
      CxInstallResult result;

      proxy = cx_test_start_proxy (fx->hub_url, scenarios[i], &proxy_url);
      init_and_add_hub (fx, data_dir, proxy_url);

      store = cx_store_open (data_dir, &error);
      g_assert_no_error (error);
      installer = cx_installer_new (store, &error);
      g_assert_no_error (error);
      cx_installer_set_retry_policy (installer, 6, 20, 200);
      cx_installer_set_low_speed (installer, 1000, 2);

      cx_installer_install (installer, PACKAGE_KEY, NULL, &result, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("scenario %u: %u requests, %" G_GUINT64_FORMAT " bytes", i, result.requests,
                      result.bytes_received);
      {
        static const char *const skip[] = { "package.json", NULL };
        g_autofree char *tree = cx_test_installed_tree (data_dir, PACKAGE_KEY);

        cx_test_assert_same_tree (fx->src, tree, skip);
      }
      cx_test_stop_proxy (proxy);
    }
}

/* A server that ignores Range, or keeps failing, gives a clear error and
 * installs nothing. */
static void
test_faults_refused (Fixture *fx, gconstpointer data)
{
  const struct
  {
    const char *options[4];
    GQuark domain;
    int code;
  } scenarios[] = {
    { { "--fault", "*:ignore-range", NULL }, CX_SYNC_ERROR, CX_SYNC_ERROR_RANGE_IGNORED },
    { { "--fault", "5:status=404", NULL }, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autoptr (GSubprocess) proxy = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (CxStore) store = NULL;
      g_autoptr (CxInstaller) installer = NULL;
      g_autofree char *proxy_url = NULL;
      g_autofree char *data_dir = g_strdup_printf ("%s/refused-%u", fx->dir, i);

      proxy = cx_test_start_proxy (fx->hub_url, scenarios[i].options, &proxy_url);
      init_and_add_hub (fx, data_dir, proxy_url);

      store = cx_store_open (data_dir, &error);
      g_assert_no_error (error);
      installer = cx_installer_new (store, &error);
      g_assert_no_error (error);
      cx_installer_set_retry_policy (installer, 3, 10, 50);

      g_assert_false (cx_installer_install (installer, PACKAGE_KEY, NULL, NULL, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("scenario %u: %s", i, error->message);
      g_assert_true (error->domain == scenarios[i].domain);
      g_assert_cmpint (error->code, ==, scenarios[i].code);
      g_assert_null (cx_test_installed_tree (data_dir, PACKAGE_KEY));
      cx_test_stop_proxy (proxy);
    }
}

/* The disk fills up: before starting (refused up front) and half-way (the
 * install pauses, keeps what arrived, and finishes once there is space).
 * The laptop's store lives on a small tmpfs mounted in a private mount
 * namespace, so nothing of the real disk is touched. */
static void
test_disk_full (Fixture *fx, gconstpointer data)
{
  const char *options[] = { "--rate", "400000", NULL };
  g_autoptr (GSubprocess) proxy = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "check-disk-full.sh", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *probe[] = { "unshare", "-rm", "true", NULL };
  int status;

  if (cx_test_run (probe, NULL, NULL) != 0)
    {
      g_test_skip ("This system does not allow private mount namespaces (unshare -rm)");
      return;
    }

  proxy = cx_test_start_proxy (fx->hub_url, options, &proxy_url);
  {
    const char *argv[] = { "unshare", "-rm",          "sh",        script,  fx->dir,
                           proxy_url, fx->public_key, PACKAGE_KEY, fx->src, NULL };

    status = cx_test_run (argv, &out, &err);
  }
  g_test_message ("%s", out);
  if (status != 0)
    g_error ("check-disk-full.sh failed (%d):\n%s\n%s", status, out, err);
  cx_test_stop_proxy (proxy);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  cx_test_repo_add ("/resume/sigkill", fixture_set_up, test_sigkill);
  cx_test_repo_add ("/resume/costs-little", fixture_set_up, test_resume_costs_little);
  cx_test_repo_add ("/resume/cancel", fixture_set_up, test_cancel);
  cx_test_repo_add ("/resume/faults-converge", fixture_set_up, test_faults_converge);
  cx_test_repo_add ("/resume/faults-refused", fixture_set_up, test_faults_refused);
  cx_test_repo_add ("/resume/disk-full", fixture_set_up, test_disk_full);

  return g_test_run ();
}
