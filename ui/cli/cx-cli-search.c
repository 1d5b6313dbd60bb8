/* cx-cli-search.c: `cunxiao-cli search TEXT` finds installed resources */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-store-catalog.h"

#define DEFAULT_LIMIT 20

int
cx_cli_command_search (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("TEXT…"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  int limit = DEFAULT_LIMIT;
  int exit_code;
  const GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_ ("Show at most N results (default 20)"),
      N_ ("N") },
    { NULL },
  };

  g_option_context_set_summary (context, _ ("Search the titles, subjects, units and lessons of "
                                            "the installed resources. Parts of words match, "
                                            "in Chinese as in English."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return cx_cli_usage (context, _ ("Give the text to search for"));
  if (limit < 1)
    return cx_cli_usage (context, _ ("--limit must be at least 1"));

  text = g_strjoinv (" ", argv + 1);
  if (!g_utf8_validate (text, -1, NULL))
    return cx_cli_usage (context, _ ("The search text is not valid UTF-8"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;

  results = cx_store_search_resources (store, text, (guint) limit, &error);
  if (results == NULL)
    return cx_cli_fail (error);

  if (results->len == 0)
    {
      g_print (_ ("Nothing matches “%s”.\n"), text);
      return CX_CLI_EXIT_OK;
    }

  for (guint i = 0; i < results->len; i++)
    {
      CxResource *resource = g_ptr_array_index (results, i);

      /* One resource a line: title, then where it sits in the course. */
      g_print ("%s\t%s", resource->title, resource->subject);
      if (resource->grade > 0)
        g_print (_ (" · grade %d"), resource->grade);
      if (*resource->unit)
        g_print (" · %s", resource->unit);
      if (*resource->lesson)
        g_print (" · %s", resource->lesson);
      g_print ("\t%s\n", resource->kind);
    }

  return CX_CLI_EXIT_OK;
}
