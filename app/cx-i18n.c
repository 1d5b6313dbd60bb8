/* cx-i18n.c: locale and translation set-up shared by the programs */
#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "cx-i18n.h"

/**
 * cx_i18n_init:
 *
 * Takes the locale from the environment and binds Cunxiao's translations,
 * from `$CUNXIAO_LOCALEDIR` when set (uninstalled runs and tests).
 */
void
cx_i18n_init (void)
{
  const char *locale_dir = g_getenv ("CUNXIAO_LOCALEDIR");
  const char *current = setlocale (LC_ALL, "");

  /* Plain "C" would print Chinese as question marks and make gettext ignore
   * $LANGUAGE; C.UTF-8 is always present on Debian and avoids both. */
  if (current == NULL || g_str_equal (current, "C") || g_str_equal (current, "POSIX"))
    setlocale (LC_ALL, "C.UTF-8");

  bindtextdomain (GETTEXT_PACKAGE, locale_dir ? locale_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
