/* cx-report-xlsx.c: the report as a workbook laid out like the paper form
 *
 * libxlsxwriter writes the whole workbook to the temporary file's path when
 * it is closed; the caller then syncs and renames it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <xlsxwriter.h>

#include "cx-report-export-private.h"

typedef struct
{
  lxw_format *title;
  lxw_format *label;
  lxw_format *header;
  lxw_format *body;
  lxw_format *total;
  lxw_format *text;
  lxw_format *note;
} Formats;

static void
make_formats (lxw_workbook *workbook, Formats *f)
{
  f->title = workbook_add_format (workbook);
  format_set_bold (f->title);
  format_set_font_size (f->title, 16);
  format_set_align (f->title, LXW_ALIGN_CENTER);
  format_set_align (f->title, LXW_ALIGN_VERTICAL_CENTER);

  f->label = workbook_add_format (workbook);
  format_set_bold (f->label);
  format_set_border (f->label, LXW_BORDER_THIN);

  f->header = workbook_add_format (workbook);
  format_set_bold (f->header);
  format_set_border (f->header, LXW_BORDER_THIN);
  format_set_bg_color (f->header, 0xD9E1F2);
  format_set_align (f->header, LXW_ALIGN_CENTER);
  format_set_text_wrap (f->header);

  f->body = workbook_add_format (workbook);
  format_set_border (f->body, LXW_BORDER_THIN);
  format_set_align (f->body, LXW_ALIGN_CENTER);

  f->total = workbook_add_format (workbook);
  format_set_bold (f->total);
  format_set_border (f->total, LXW_BORDER_THIN);
  format_set_align (f->total, LXW_ALIGN_CENTER);

  f->text = workbook_add_format (workbook);
  format_set_border (f->text, LXW_BORDER_THIN);
  format_set_text_wrap (f->text);
  format_set_align (f->text, LXW_ALIGN_VERTICAL_TOP);

  f->note = workbook_add_format (workbook);
  format_set_italic (f->note);
  format_set_font_color (f->note, LXW_COLOR_GRAY);
}

static void
write_cell (lxw_worksheet *sheet, int r, int c, const CxReportCell *cell, lxw_format *format)
{
  if (cell->is_number)
    worksheet_write_number (sheet, r, c, (double) cell->number, format);
  else
    worksheet_write_string (sheet, r, c, cell->text, format);
}

static const CxReportCell *
cell_at (const CxReportRow *row, guint index)
{
  return g_ptr_array_index (row->cells, index);
}

static void
write_row (lxw_worksheet *sheet, int r, const CxReportRow *row, const Formats *f, int columns)
{
  switch (row->style)
    {
    case CX_REPORT_ROW_TITLE:
      worksheet_set_row (sheet, r, 30, NULL);
      worksheet_merge_range (sheet, r, 0, r, columns - 1, cell_at (row, 0)->text, f->title);
      return;
    case CX_REPORT_ROW_INFO:
      for (guint c = 0; c < row->cells->len; c++)
        write_cell (sheet, r, c, cell_at (row, c), c % 2 == 0 ? f->label : f->body);
      return;
    case CX_REPORT_ROW_TEXT:
      /* A label, and the text across the rest of the table. */
      worksheet_set_row (sheet, r, 60, NULL);
      write_cell (sheet, r, 0, cell_at (row, 0), f->label);
      worksheet_merge_range (sheet, r, 1, r, columns - 1, cell_at (row, 1)->text, f->text);
      return;
    case CX_REPORT_ROW_NOTE:
      worksheet_merge_range (sheet, r, 0, r, columns - 1, cell_at (row, 0)->text, f->note);
      return;
    case CX_REPORT_ROW_BLANK:
      return;
    case CX_REPORT_ROW_HEADER:
    case CX_REPORT_ROW_BODY:
    case CX_REPORT_ROW_TOTAL:
      for (guint c = 0; c < row->cells->len; c++)
        write_cell (sheet, r, c, cell_at (row, c),
                    row->style == CX_REPORT_ROW_HEADER  ? f->header
                    : row->style == CX_REPORT_ROW_TOTAL ? f->total
                                                        : f->body);
      return;
    default:
      g_assert_not_reached ();
    }
}

gboolean
_cx_sheets_write_xlsx (GPtrArray *sheets, const char *title, CxAtomicFile *file, GError **error)
{
  lxw_doc_properties properties = { .title = (char *) title };
  lxw_workbook *workbook;
  lxw_error rc;
  Formats f;

  workbook = workbook_new (cx_atomic_file_get_temp_path (file));
  if (workbook == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _ ("Could not start the spreadsheet"));
      return FALSE;
    }
  workbook_set_properties (workbook, &properties);
  make_formats (workbook, &f);

  for (guint s = 0; s < sheets->len; s++)
    {
      const CxReportSheet *sheet = g_ptr_array_index (sheets, s);
      lxw_worksheet *worksheet = workbook_add_worksheet (workbook, sheet->name);
      int columns = MAX (sheet->columns, 1);

      /* The first column holds the rows' names; the rest, figures. */
      worksheet_set_column (worksheet, 0, 0, 24, NULL);
      worksheet_set_column (worksheet, 1, columns - 1, 16, NULL);
      for (guint r = 0; r < sheet->rows->len; r++)
        write_row (worksheet, r, g_ptr_array_index (sheet->rows, r), &f, columns);
    }

  rc = workbook_close (workbook);
  if (rc != LXW_NO_ERROR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not write the spreadsheet: %s"),
                   lxw_strerror (rc));
      return FALSE;
    }
  return TRUE;
}
