/* cx-cli-init.c: `cunxiao-cli init` creates the store or brings it up to date */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-cli.h"

int
cx_cli_command_init (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (context,
                                _ ("Create the store, or bring an existing one up to date."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return cx_cli_usage (context, _ ("“init” takes no arguments"));

  store = cx_store_create (cli->data_dir, &error);
  if (store != NULL)
    {
      g_print (_ ("Created a new store in %s\n"), cx_store_get_data_dir (store));
      return CX_CLI_EXIT_OK;
    }

  if (!g_error_matches (error, CX_STORE_ERROR, CX_STORE_ERROR_EXISTS))
    return cx_cli_fail (error);

  g_clear_error (&error);
  store = cx_store_open (cli->data_dir, &error);
  if (store == NULL)
    return cx_cli_fail (error);

  g_print (_ ("The store in %s is ready (schema %d)\n"), cx_store_get_data_dir (store),
           cx_store_get_schema_version (store));
  return CX_CLI_EXIT_OK;
}
