/* cx-hub-resign.c: `cunxiao-hub resign` signs the same index again with a fresh expiry */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-hub.h"
#include "cx-repo-writer.h"

int
cx_hub_command_resign (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSigningKey) signing_key = NULL;
  g_autoptr (CxRepoWriter) writer = NULL;
  g_autofree char *repo = NULL;
  g_autofree char *key = NULL;
  int expires_days = CX_REPO_WRITER_DEFAULT_EXPIRES_DAYS;
  guint64 version = 0;
  const GOptionEntry entries[] = {
    { "repo", 'r', 0, G_OPTION_ARG_FILENAME, &repo, N_ ("The repository to re-sign"), N_ ("DIR") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key, N_ ("The repository’s secret key file"),
      N_ ("FILE") },
    { "expires-days", 'e', 0, G_OPTION_ARG_INT, &expires_days,
      N_ ("Days until clients stop trusting this index unless it is re-signed (default 7)"),
      N_ ("DAYS") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("Sign the repository’s index again with a fresh expiry. Run it daily, so "
                  "that schools can tell a current repository from a frozen one."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cx_hub_usage (error->message);
  if (argc != 1)
    return cx_hub_usage (_ ("“resign” takes no arguments"));
  if (repo == NULL || key == NULL)
    return cx_hub_usage (_ ("Give the repository with --repo DIR and the key with --key FILE"));
  if (expires_days < 1 || expires_days > 366)
    return cx_hub_usage (_ ("--expires-days must be between 1 and 366"));

  signing_key = cx_signing_key_load (key, &error);
  if (signing_key != NULL)
    writer = cx_repo_writer_open (repo, signing_key, NULL, &error);
  if (writer != NULL)
    cx_repo_writer_set_expires_days (writer, (guint) expires_days);
  if (writer == NULL || !cx_repo_writer_resign (writer, &version, &error))
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }

  g_print (_ ("Re-signed the index of repository “%s” as version %llu, valid for %d days\n"),
           cx_repo_writer_get_repository_id (writer), (unsigned long long) version, expires_days);
  return CX_HUB_EXIT_OK;
}
