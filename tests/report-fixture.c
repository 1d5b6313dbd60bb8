/* report-fixture.c: makes a store with the report tests' October 2026
 *
 *   report-fixture DATA_DIR [BULK_EVENTS]
 *
 * Used by test-report-export.py and tests/bench/report-bench.py.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cx-test-report-fixture.h"

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;

  if (argc < 2 || argc > 3)
    {
      fprintf (stderr, "usage: report-fixture DATA_DIR [BULK_EVENTS]\n");
      return 2;
    }
  store = cx_store_create (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "report-fixture: %s\n", error->message);
      return 1;
    }
  cx_test_report_fixture_fill (store);
  if (argc == 3)
    cx_test_report_fixture_add_bulk (store, CX_TEST_REPORT_YEAR, CX_TEST_REPORT_MONTH,
                                     g_ascii_strtoll (argv[2], NULL, 10));
  return 0;
}
