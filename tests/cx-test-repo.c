/* cx-test-repo.c: keys, publishing, the CLI and the fault proxy, run for real */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cx-store-packages.h"
#include "cx-test-repo.h"

/* `cunxiao-hub keygen`; returns the public key it printed. */
char *
cx_test_keygen (const char *key_file)
{
  const char *argv[] = { g_getenv ("CUNXIAO_HUB"), "keygen", "--output", key_file, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *start;

  g_assert_cmpint (cx_test_run (argv, &out, &err), ==, 0);
  start = strstr (out, "ed25519:");
  g_assert_nonnull (start);
  return g_strndup (start, strspn (start, "ed25519:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                                          "vwxyz0123456789+/="));
}

void
cx_test_publish (const char *src, const char *repo, const char *key_file, const char *repository_id)
{
  const char *argv[] = {
    g_getenv ("CUNXIAO_HUB"), "publish",     src, "--repo", repo, "--key", key_file,
    "--repository-id",        repository_id, NULL
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = cx_test_run (argv, &out, &err);

  if (status != 0)
    g_error ("publish failed (%d): %s%s", status, out, err);
}

/* Runs `cunxiao-cli --data-dir DATA_DIR ARGS…`; returns its exit status. */
int
cx_test_cli (const char *data_dir, char **out, char **err, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list args;
  int status;

  g_ptr_array_add (argv, (char *) g_getenv ("CUNXIAO_CLI"));
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, (char *) data_dir);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  status = cx_test_run ((const char *const *) argv->pdata, out, err);
  return status;
}

/* The folder holding the installed version of @package_key, or NULL. */
char *
cx_test_installed_tree (const char *data_dir, const char *package_key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (data_dir, &error);
  g_autoptr (CxPackageStatus) status = NULL;

  g_assert_no_error (error);
  status = cx_store_lookup_package_status (store, package_key, &error);
  g_assert_no_error (error);
  if (status->installed_tree == NULL)
    return NULL;
  return g_build_filename (data_dir, "content", "trees", status->installed_tree, NULL);
}

/* Makes the folders and the key; the caller writes the source into
 * @repo->src and then calls cx_test_repo_serve(). */
void
cx_test_repo_init (CxTestRepo *repo)
{
  repo->dir = cx_test_make_dir ();
  repo->src = g_build_filename (repo->dir, "src", NULL);
  repo->repo = g_build_filename (repo->dir, "repo", NULL);
  repo->key_file = g_build_filename (repo->dir, "hub.key", NULL);
  repo->data_dir = g_build_filename (repo->dir, "laptop", NULL);
  g_assert_cmpint (g_mkdir (repo->repo, 0755), ==, 0);

  repo->public_key = cx_test_keygen (repo->key_file);
}

/* Publishes the source and starts a hub serving the repository. */
void
cx_test_repo_serve (CxTestRepo *repo, const char *repository_id)
{
  cx_test_publish (repo->src, repo->repo, repo->key_file, repository_id);
  repo->hub = cx_test_start_hub (repo->repo, &repo->hub_url);
}

void
cx_test_repo_tear_down (CxTestRepo *repo, gconstpointer data)
{
  g_autofree char *log = cx_test_stop_hub (repo->hub);

  g_object_unref (repo->hub);
  g_free (repo->hub_url);
  g_free (repo->dir);
  g_free (repo->src);
  g_free (repo->repo);
  g_free (repo->key_file);
  g_free (repo->public_key);
  g_free (repo->data_dir);
}

/* Adds a test that runs on a CxTestRepo made by @set_up. */
void
cx_test_repo_add (const char *path, CxTestRepoFunc set_up, CxTestRepoFunc test)
{
  g_test_add_vtable (path, sizeof (CxTestRepo), NULL, (GTestFixtureFunc) set_up,
                     (GTestFixtureFunc) test, (GTestFixtureFunc) cx_test_repo_tear_down);
}

/* Starts tests/fault-proxy in front of @upstream_url (http://127.0.0.1:PORT/)
 * with @options; @out_url gets the proxy's own address. */
GSubprocess *
cx_test_start_proxy (const char *upstream_url, const char *const *options, char **out_url)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *upstream = NULL;
  const char *host = strstr (upstream_url, "://");

  g_assert_nonnull (host);
  upstream = g_strndup (host + 3, strcspn (host + 3, "/"));
  g_ptr_array_add (argv, (char *) g_getenv ("CUNXIAO_FAULT_PROXY"));
  g_assert_nonnull (g_ptr_array_index (argv, 0));
  g_ptr_array_add (argv, (char *) "--upstream");
  g_ptr_array_add (argv, upstream);
  g_ptr_array_add (argv, (char *) "--port");
  g_ptr_array_add (argv, (char *) "0");
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) options[i]);
  g_ptr_array_add (argv, NULL);

  /* "Listening on http://ADDR:PORT/" */
  return cx_test_spawn_announced ((const char *const *) argv->pdata, "on ", out_url);
}

void
cx_test_stop_proxy (GSubprocess *proxy)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (proxy, SIGTERM);
  g_subprocess_wait (proxy, NULL, &error);
  g_assert_no_error (error);
}
