/* cx-cli-hub.c: `cunxiao-cli hub add|list` */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-installer.h"
#include "cx-store-packages.h"

static int
hub_add (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("URL"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autoptr (CxHubState) hub = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *key = NULL;
  gint64 id;
  int exit_code;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_STRING, &key,
      N_ ("The hub’s public key, as its administrator gave it (ed25519:…)"), N_ ("PUBKEY") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("Add a hub to fetch packages from. Its signed index is fetched and checked "
                  "against the key at once; nothing is added if that fails."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return cx_cli_usage (context, _ ("Give the hub’s address, like http://192.168.1.10:8080/"));
  if (key == NULL)
    return cx_cli_usage (context, _ ("Give the hub’s public key with --key"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;

  installer = cx_installer_new (store, &error);
  if (installer == NULL)
    return cx_cli_fail (error);

  id = cx_installer_add_hub (installer, argv[1], key, NULL, &error);
  if (id == 0)
    return cx_cli_fail (error);

  hub = cx_store_lookup_hub (store, id, &error);
  if (hub == NULL)
    return cx_cli_fail (error);

  g_print (_ ("Added the hub %s (repository “%s”, index version %lld)\n"), hub->url,
           hub->repository_id, (long long) hub->index_version);
  return CX_CLI_EXIT_OK;
}

static int
hub_list (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GPtrArray) hubs = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (context, _ ("List the hubs this computer fetches from."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return cx_cli_usage (context, _ ("“hub list” takes no arguments"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;

  hubs = cx_store_list_hub_states (store, &error);
  if (hubs == NULL)
    return cx_cli_fail (error);

  if (hubs->len == 0)
    g_print (_ ("No hubs yet. Add one with “cunxiao-cli hub add URL --key PUBKEY”.\n"));

  for (guint i = 0; i < hubs->len; i++)
    {
      CxHubState *hub = g_ptr_array_index (hubs, i);

      if (hub->index_fetched_at > 0)
        {
          g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (hub->index_fetched_at);
          g_autofree char *text = g_date_time_format (when, "%Y-%m-%d %H:%M");

          g_print (_ ("%s\trepository “%s”, index version %lld, checked %s\n"), hub->url,
                   hub->repository_id, (long long) hub->index_version, text);
        }
      else
        g_print (_ ("%s\tnot reached yet\n"), hub->url);
    }

  return CX_CLI_EXIT_OK;
}

int
cx_cli_command_hub (CxCli *cli, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return hub_add (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return hub_list (cli, argc - 1, argv + 1);

  g_printerr (_ ("Usage: cunxiao-cli hub add URL --key PUBKEY | hub list\n"));
  return CX_CLI_EXIT_USAGE;
}
