/* main.c: cunxiao, the desktop app */
#include "config.h"

#include "cx-application.h"
#include "cx-i18n.h"

int
main (int argc, char **argv)
{
  g_autoptr (CxApplication) app = NULL;

  cx_i18n_init ();
  app = cx_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
