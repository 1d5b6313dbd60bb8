/* cx-hub-keygen.c: `cunxiao-hub keygen` makes the key that signs a repository */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cx-hub.h"
#include "cx-signing-key.h"

int
cx_hub_command_keygen (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSigningKey) key = NULL;
  g_autofree char *output = NULL;
  g_autofree char *public_text = NULL;
  GStatBuf st;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Where to write the secret key (it must not exist yet)"), N_ ("FILE") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("Make a new ed25519 key for signing a repository. The secret key is written "
                  "to FILE, readable only by you; the public key is printed, for schools to "
                  "pass to “cunxiao-cli hub add”."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cx_hub_usage (error->message);
  if (argc > 1)
    return cx_hub_usage (_ ("“keygen” takes no arguments"));
  if (output == NULL)
    return cx_hub_usage (_ ("Give the key file with --output FILE"));

  /* Overwriting a key would orphan every school that trusts it.  lstat,
   * so that a dangling symlink counts as existing too. */
  if (g_lstat (output, &st) == 0)
    {
      g_printerr (_ ("cunxiao-hub: %s already exists; refusing to overwrite a key\n"), output);
      return CX_HUB_EXIT_FAILED;
    }

  key = cx_signing_key_generate (&error);
  if (key == NULL || !cx_signing_key_save (key, output, &error))
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }

  public_text = cx_public_key_to_string (cx_signing_key_get_public_key (key));
  g_print (_ ("Public key: %s\nKey id: %s\n"), public_text, cx_signing_key_get_id (key));
  return CX_HUB_EXIT_OK;
}
