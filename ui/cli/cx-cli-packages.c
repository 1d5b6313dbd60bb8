/* cx-cli-packages.c: `cunxiao-cli packages available|list|install|update|remove` */
#include "config.h"

#include <string.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "cx-cli-progress.h"
#include "cx-cli.h"
#include "cx-installer.h"
#include "cx-store-packages.h"

#define KEY_COLUMN_WIDTH 28

typedef struct
{
  char *rate_limit;
  char *units;
} PackageOptions;

static void
package_options_clear (PackageOptions *options)
{
  g_clear_pointer (&options->rate_limit, g_free);
  g_clear_pointer (&options->units, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PackageOptions, package_options_clear)

static CxInstaller *
open_installer (CxCli *cli,
                GOptionContext *context,
                const PackageOptions *options,
                CxStore **out_store,
                int *out_exit)
{
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autoptr (GError) error = NULL;
  guint64 rate = 0;

  if (options->rate_limit != NULL && !cx_cli_parse_rate (options->rate_limit, &rate))
    {
      *out_exit = cx_cli_usage (context, _ ("--rate-limit takes a rate like 30kB, 2MB, 256kbit "
                                            "or 1Mbit (per second)"));
      return NULL;
    }

  store = cx_cli_open_store (cli, out_exit);
  if (store == NULL)
    return NULL;

  installer = cx_installer_new (store, &error);
  if (installer == NULL)
    {
      *out_exit = cx_cli_fail (error);
      return NULL;
    }

  cx_installer_set_rate_limit (installer, rate);
  *out_store = g_steal_pointer (&store);
  return g_steal_pointer (&installer);
}

static void
print_status (const CxPackageStatus *status)
{
  g_autofree char *size = g_format_size (status->current_size);

  cx_cli_print_padded (status->package_key, KEY_COLUMN_WIDTH);
  g_print ("%s", status->title);
  if (status->current_version > 0)
    g_print (_ ("\tversion %lld, %s"), (long long) status->current_version, size);
  if (cx_package_status_has_update (status))
    g_print (_ ("\tinstalled %lld, update available"), (long long) status->installed_version);
  else if (status->installed_version > 0 && !status->installed_whole)
    g_print (_ ("\tsome units installed"));
  else if (status->installed_version > 0)
    g_print (_ ("\tinstalled"));
  g_print ("\n");
}

static int
list_packages (CxStore *store, gboolean installed_only)
{
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  guint shown = 0;

  list = cx_store_list_package_status (store, &error);
  if (list == NULL)
    return cx_cli_fail (error);

  for (guint i = 0; i < list->len; i++)
    {
      const CxPackageStatus *status = g_ptr_array_index (list, i);

      if (installed_only ? status->installed_version == 0 : status->current_version == 0)
        continue;
      print_status (status);
      shown++;
    }

  if (shown == 0)
    g_print (installed_only ? _ ("No packages are installed.\n")
                            : _ ("The hubs offer no packages yet.\n"));
  return CX_CLI_EXIT_OK;
}

static void
print_result (const char *key, const CxInstallResult *result)
{
  g_autofree char *received = g_format_size (result->bytes_received);

  if (result->already_installed)
    {
      g_print (_ ("%s version %lld is already installed\n"), key, (long long) result->version);
      return;
    }

  g_print (_ ("Installed %s version %lld: %u files (%u reused, %u rebuilt from deltas), %u "
              "pieces from this computer, %u downloaded in %u requests, %s received\n"),
           key, (long long) result->version, result->files, result->files_linked,
           result->files_from_deltas, result->chunks_local, result->chunks_fetched,
           result->requests, received);
}

static void
on_install_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static gboolean
on_interrupt (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

/* Installs in a worker thread, so Ctrl-C (or SIGTERM) cancels cleanly: what
 * arrived so far is kept for the next run. */
static gboolean
install_one (CxInstaller *installer,
             CxCliProgress *progress,
             const char *key,
             const char *const *units,
             gboolean *out_stopped)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) done = NULL;
  g_autoptr (GError) error = NULL;
  CxInstallResult result;
  guint sigint, sigterm;
  gboolean ok;

  sigint = g_unix_signal_add (SIGINT, on_interrupt, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, cancellable);
  cx_installer_install_async (installer, key, units, cancellable, on_install_done, &done);
  while (done == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  ok = cx_installer_install_finish (installer, done, &result, &error);
  cx_cli_progress_finish (progress);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr (_ ("cunxiao-cli: %s: stopped. What arrived is kept; run the same command to "
                     "go on.\n"),
                  key);
      *out_stopped = TRUE;
      return FALSE;
    }
  if (!ok)
    {
      g_printerr ("cunxiao-cli: %s: %s\n", key, error->message);
      return FALSE;
    }

  print_result (key, &result);
  return TRUE;
}

static int
run_install (
    CxInstaller *installer, CxStore *store, char **keys, const char *units_text, gboolean update)
{
  g_autoptr (CxCliProgress) progress = cx_cli_progress_new ();
  g_autoptr (GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) units = units_text != NULL ? g_strsplit (units_text, ",", -1) : NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;
  gboolean stopped = FALSE;

  cx_installer_set_progress_func (installer, cx_cli_progress_update, progress, NULL);

  /* Fresh news from the hubs first; without a link, install from what is
   * known. */
  if (!cx_installer_refresh (installer, NULL, &error))
    {
      g_printerr (_ ("cunxiao-cli: could not check the hubs for news: %s\n"), error->message);
      g_clear_error (&error);
    }

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    g_ptr_array_add (targets, g_strdup (keys[i]));

  if (update && targets->len == 0)
    {
      g_autoptr (GPtrArray) list = cx_store_list_package_status (store, &error);

      if (list == NULL)
        return cx_cli_fail (error);
      for (guint i = 0; i < list->len; i++)
        {
          const CxPackageStatus *status = g_ptr_array_index (list, i);

          if (cx_package_status_has_update (status))
            g_ptr_array_add (targets, g_strdup (status->package_key));
        }
      if (targets->len == 0)
        g_print (_ ("Every installed package is up to date.\n"));
    }

  for (guint i = 0; i < targets->len && !stopped; i++)
    {
      const char *key = g_ptr_array_index (targets, i);

      if (update)
        {
          g_autoptr (CxPackageStatus) status = cx_store_lookup_package_status (store, key, &error);

          if (status == NULL || status->installed_version == 0)
            {
              g_printerr (_ ("cunxiao-cli: %s is not installed; use “packages install”\n"), key);
              g_clear_error (&error);
              ok = FALSE;
              continue;
            }
        }
      ok = install_one (installer, progress, key, (const char *const *) units, &stopped) && ok;
    }

  return ok ? CX_CLI_EXIT_OK : CX_CLI_EXIT_FAILED;
}

static int
run_remove (CxInstaller *installer, char **keys)
{
  gboolean ok = TRUE;

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;

      if (cx_installer_remove (installer, keys[i], &error))
        g_print (_ ("Removed %s\n"), keys[i]);
      else
        {
          g_printerr ("cunxiao-cli: %s\n", error->message);
          ok = FALSE;
        }
    }

  return ok ? CX_CLI_EXIT_OK : CX_CLI_EXIT_FAILED;
}

int
cx_cli_command_packages (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (PackageOptions) options = { NULL };
  const char *action = argc >= 2 ? argv[1] : "";
  int exit_code;
  const GOptionEntry entries[] = {
    { "rate-limit", 'r', 0, G_OPTION_ARG_STRING, &options.rate_limit,
      N_ ("Use at most this much of the link: 30kB, 2MB, 256kbit or 1Mbit per second"),
      N_ ("RATE") },
    { "units", 'u', 0, G_OPTION_ARG_STRING, &options.units,
      N_ ("Install only these units (comma-separated unit ids)"), N_ ("UNITS") },
    { NULL },
  };
  static const char *const actions[] = { "available", "list", "install", "update", "remove" };

  if (!g_strv_contains (actions, action))
    {
      g_printerr (_ ("Usage: cunxiao-cli packages available | list | install NAME… | "
                     "update [NAME…] | remove NAME…\n"));
      return CX_CLI_EXIT_USAGE;
    }

  context = cx_cli_context_new (cli, _ ("[NAME…]"));
  g_option_context_set_summary (
      context, _ ("available: refresh and list what the hubs offer\n"
                  "list: list the installed packages\n"
                  "install NAME…: install packages (or, with --units, some of their units)\n"
                  "update [NAME…]: update packages; with no name, every one with an update\n"
                  "remove NAME…: remove packages and free their disk space"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  argc--;
  argv++;
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;

  if (options.units != NULL && !g_str_equal (action, "install"))
    return cx_cli_usage (context, _ ("--units goes with “packages install”"));
  if ((g_str_equal (action, "install") || g_str_equal (action, "remove")) && argc < 2)
    return cx_cli_usage (context, _ ("Give the names of the packages"));
  if ((g_str_equal (action, "available") || g_str_equal (action, "list")) && argc != 1)
    return cx_cli_usage (context, _ ("This command takes no names"));

  installer = open_installer (cli, context, &options, &store, &exit_code);
  if (installer == NULL)
    return exit_code;

  if (g_str_equal (action, "list"))
    return list_packages (store, TRUE);

  if (g_str_equal (action, "available"))
    {
      if (!cx_installer_refresh (installer, NULL, &error))
        g_printerr (_ ("cunxiao-cli: could not check the hubs, showing what was known: %s\n"),
                    error->message);
      return list_packages (store, FALSE);
    }

  if (g_str_equal (action, "remove"))
    return run_remove (installer, argv + 1);

  return run_install (installer, store, argv + 1, options.units, g_str_equal (action, "update"));
}
