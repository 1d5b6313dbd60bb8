/* cx-report-csv.c: the report's rows as CSV (RFC 4180, UTF-8 with a BOM) */
#include "config.h"

#include <string.h>

#include "cx-report-export-private.h"
#include "cx-report-layout.h"

/* Quotes a field only when it needs it, doubling its quotes. */
void
_cx_csv_write_field (FILE *stream, const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      fputs (text, stream);
      return;
    }
  fputc ('"', stream);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        fputc ('"', stream);
      fputc (*p, stream);
    }
  fputc ('"', stream);
}

/* Every sheet, one after another, each after a blank line and
 * its name (the form's own sheet first, under its title). */
gboolean
_cx_sheets_write_csv (GPtrArray *sheets, CxAtomicFile *file, GError **error)
{
  FILE *stream = cx_atomic_file_get_stream (file);

  fputs ("\xEF\xBB\xBF", stream);
  for (guint s = 0; s < sheets->len; s++)
    {
      const CxReportSheet *sheet = g_ptr_array_index (sheets, s);

      if (s > 0)
        {
          fputs ("\r\n", stream);
          _cx_csv_write_field (stream, sheet->name);
          fputs ("\r\n", stream);
        }
      for (guint r = 0; r < sheet->rows->len; r++)
        {
          const CxReportRow *row = g_ptr_array_index (sheet->rows, r);

          for (guint c = 0; c < row->cells->len; c++)
            {
              const CxReportCell *cell = g_ptr_array_index (row->cells, c);

              if (c > 0)
                fputc (',', stream);
              _cx_csv_write_field (stream, cell->text);
            }
          fputs ("\r\n", stream);
        }
    }
  return cx_atomic_file_check (file, error);
}
