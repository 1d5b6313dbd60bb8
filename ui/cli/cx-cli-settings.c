/* cx-cli-settings.c: `cunxiao-cli setting NAME [on|off]` */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-store-settings.h"

int
cx_cli_command_setting (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("NAME [on|off]"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  gboolean value = FALSE;
  int exit_code;

  g_option_context_set_summary (
      context, _ ("Show or change a setting of the school for this computer. Settings:\n"
                  "  record-pupil-names   usage events of student mode name the pupil (off)"));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2 || argc > 3)
    return cx_cli_usage (context, _ ("Give the setting’s name, and on or off to change it"));
  if (argc == 3 && !g_str_equal (argv[2], "on") && !g_str_equal (argv[2], "off"))
    return cx_cli_usage (context, _ ("A setting is either on or off"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  if (argc == 3 &&
      !cx_store_set_setting_boolean (store, argv[1], g_str_equal (argv[2], "on"), &error))
    return cx_cli_fail (error);
  if (!cx_store_get_setting_boolean (store, argv[1], FALSE, &value, &error))
    return cx_cli_fail (error);
  /* As typed to change it, so scripts can read it back. */
  g_print ("%s\t%s\n", argv[1], value ? "on" : "off");
  return CX_CLI_EXIT_OK;
}
