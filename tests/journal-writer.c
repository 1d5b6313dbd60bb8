/* journal-writer.c: appends usage events until it is killed
 *
 * Used by test-journal: after each append returns, it prints
 * "SEQ N\n" so the parent knows which appends were acknowledged.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cx-store-journal.h"

#define MAX_APPENDS 100000

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;

  if (argc != 3)
    {
      fprintf (stderr, "usage: journal-writer DATA_DIR RUN\n");
      return 2;
    }

  store = cx_store_open (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "journal-writer: %s\n", error->message);
      return 1;
    }

  for (int n = 0; n < MAX_APPENDS; n++)
    {
      g_autofree char *payload = g_strdup_printf ("{\"run\":%s,\"n\":%d}", argv[2], n);
      gint64 seq = cx_store_journal_append (store, "test-event", payload, &error);

      if (seq == 0)
        {
          fprintf (stderr, "journal-writer: %s\n", error->message);
          return 1;
        }
      printf ("%" G_GINT64_FORMAT " %d\n", seq, n);
      fflush (stdout);
    }

  return 0;
}
