/* cx-report-layout.c: the report's figures in the rows of the paper form (附件7) */
#include "config.h"

#include "cx-report-layout.h"

static const char *const form_names[CX_REPORT_N_FORMS] = {
  [CX_ACTIVITY_SYNC_CLASSROOM] = "同步课堂",      [CX_ACTIVITY_REMOTE_DELIVERY] = "专递课堂",
  [CX_ACTIVITY_MASTER_CLASSROOM] = "名师课堂",    [CX_ACTIVITY_ONLINE_RESEARCH] = "网络研修",
  [CX_ACTIVITY_LOCAL] = "本校授课（不计入合计）",
};

static void
cell_free (CxReportCell *cell)
{
  g_free (cell->text);
  g_free (cell);
}

static void
row_free (CxReportRow *row)
{
  g_ptr_array_unref (row->cells);
  g_free (row);
}

void
cx_report_sheet_free (CxReportSheet *sheet)
{
  if (sheet == NULL)
    return;
  g_free (sheet->name);
  g_ptr_array_unref (sheet->rows);
  g_free (sheet);
}

CxReportRow *
cx_report_sheet_add_row (CxReportSheet *sheet, CxReportRowStyle style)
{
  CxReportRow *row = g_new0 (CxReportRow, 1);

  row->style = style;
  row->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) cell_free);
  g_ptr_array_add (sheet->rows, row);
  return row;
}

void
cx_report_row_add_text (CxReportRow *row, const char *value)
{
  CxReportCell *cell = g_new0 (CxReportCell, 1);

  cell->text = g_strdup (value != NULL ? value : "");
  g_ptr_array_add (row->cells, cell);
}

void
cx_report_row_add_number (CxReportRow *row, gint64 value)
{
  CxReportCell *cell = g_new0 (CxReportCell, 1);

  cell->is_number = TRUE;
  cell->number = value;
  cell->text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  g_ptr_array_add (row->cells, cell);
}

static void
texts (CxReportRow *row, const char *const *values)
{
  for (guint i = 0; values[i] != NULL; i++)
    cx_report_row_add_text (row, values[i]);
}

static const char *
answer (CxReportAnswer value)
{
  return value == CX_REPORT_ANSWER_YES ? "是" : value == CX_REPORT_ANSWER_NO ? "否" : "未填";
}

static gint64
minutes (gint64 seconds)
{
  return (seconds + 30) / 60;
}

CxReportSheet *
cx_report_sheet_new (const char *name, guint columns)
{
  CxReportSheet *sheet = g_new0 (CxReportSheet, 1);

  sheet->name = g_strdup (name);
  sheet->columns = columns;
  sheet->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  return sheet;
}

static int
compare_texts (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
add_form_table (CxReportSheet *sheet, const CxReport *report)
{
  static const char *const headings[] = { "帮扶形式",   "活动次数", "参与教师数",
                                          "参与学生数", "涉及学科", NULL };
  g_autoptr (GHashTable) all_subjects = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) joined = g_ptr_array_new ();
  gint64 activities = 0, teachers = 0, pupils = 0;
  CxReportRow *row;

  texts (cx_report_sheet_add_row (sheet, CX_REPORT_ROW_HEADER), headings);
  for (int form = 0; form < CX_REPORT_N_FORMS; form++)
    {
      const CxReportForm *f = &report->forms[form];
      g_autofree char *subjects = g_strjoinv ("、", f->subjects);

      if (form == CX_ACTIVITY_LOCAL)
        {
          /* The form's total counts the four pairing forms only. */
          row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_TOTAL);
          cx_report_row_add_text (row, "合计");
          cx_report_row_add_number (row, activities);
          cx_report_row_add_number (row, teachers);
          cx_report_row_add_number (row, pupils);
          g_ptr_array_sort (joined, compare_texts);
          g_ptr_array_add (joined, NULL);
          {
            g_autofree char *all = g_strjoinv ("、", (char **) joined->pdata);

            cx_report_row_add_text (row, all);
          }
        }
      row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BODY);
      cx_report_row_add_text (row, form_names[form]);
      cx_report_row_add_number (row, f->activities);
      cx_report_row_add_number (row, f->teachers);
      cx_report_row_add_number (row, f->pupils);
      cx_report_row_add_text (row, subjects);
      if (form == CX_ACTIVITY_LOCAL)
        break;
      activities += f->activities;
      teachers += f->teachers;
      pupils += f->pupils;
      for (guint i = 0; f->subjects[i] != NULL; i++)
        if (g_hash_table_add (all_subjects, f->subjects[i]))
          g_ptr_array_add (joined, f->subjects[i]);
    }
}

static CxReportSheet *
main_sheet (const CxReport *report)
{
  static const char *const school_headings[] = {
    "协议签订", "技术环境达标", "学校空间开通", "协议上传", "过程资料上传数", "小规模学校", NULL,
  };
  static const char *const use_headings[] = { "备课数", "作业提交数", "资源打开次数",
                                              "资源使用时长（分钟）", NULL };
  static const char *const publicity_headings[] = {
    "宣传报道", "校级", "县级", "市级", "省级", NULL
  };
  const CxReportFields *fields = &report->fields;
  CxReportSheet *sheet = cx_report_sheet_new ("月报表", 6);
  g_autofree char *month = NULL;
  g_autofree char *note = cx_report_note_skipped (report);
  int year = 0, mon = 0;
  CxReportRow *row;

  cx_report_parse_month (report->month, &year, &mon, NULL);
  month = g_strdup_printf ("%d年%d月", year, mon);

  cx_report_row_add_text (cx_report_sheet_add_row (sheet, CX_REPORT_ROW_TITLE),
                          "“互联网+义务教育”结对帮扶工作月报表");
  row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_INFO);
  texts (row, (const char *[]){ "农村学校", report->school, "城镇学校", fields->partner_school,
                                "月份", month, NULL });
  row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_INFO);
  texts (row, (const char *[]){ "填报人", fields->reporter, "学段", fields->stage, NULL });
  cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BLANK);

  texts (cx_report_sheet_add_row (sheet, CX_REPORT_ROW_HEADER), school_headings);
  row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BODY);
  cx_report_row_add_text (row, answer (fields->agreement_signed));
  cx_report_row_add_text (row, answer (fields->equipment_ok));
  cx_report_row_add_text (row, answer (fields->space_opened));
  cx_report_row_add_text (row, answer (fields->agreement_uploaded));
  cx_report_row_add_number (row, report->process_materials);
  cx_report_row_add_text (row, answer (fields->small_school));
  cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BLANK);

  add_form_table (sheet, report);
  cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BLANK);

  texts (cx_report_sheet_add_row (sheet, CX_REPORT_ROW_HEADER), use_headings);
  row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BODY);
  cx_report_row_add_number (row, report->lesson_plans);
  cx_report_row_add_number (row, report->hand_ins);
  cx_report_row_add_number (row, report->resources_opened);
  cx_report_row_add_number (row, minutes (report->seconds_spent));
  cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BLANK);

  texts (cx_report_sheet_add_row (sheet, CX_REPORT_ROW_HEADER), publicity_headings);
  row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BODY);
  cx_report_row_add_text (row, "篇数");
  cx_report_row_add_number (row, fields->publicity_school);
  cx_report_row_add_number (row, fields->publicity_county);
  cx_report_row_add_number (row, fields->publicity_city);
  cx_report_row_add_number (row, fields->publicity_province);
  cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BLANK);

  texts (cx_report_sheet_add_row (sheet, CX_REPORT_ROW_TEXT),
         (const char *[]){ "工作亮点", fields->highlights, NULL });
  texts (cx_report_sheet_add_row (sheet, CX_REPORT_ROW_TEXT),
         (const char *[]){ "下月计划", fields->next_plan, NULL });
  if (note != NULL)
    cx_report_row_add_text (cx_report_sheet_add_row (sheet, CX_REPORT_ROW_NOTE), note);
  return sheet;
}

static CxReportSheet *
counts_sheet (const char *name,
              const char *const *headings,
              GPtrArray *counts,
              gboolean with_key,
              gboolean with_minutes)
{
  CxReportSheet *sheet = cx_report_sheet_new (name, 4);

  texts (cx_report_sheet_add_row (sheet, CX_REPORT_ROW_HEADER), headings);
  for (guint i = 0; i < counts->len; i++)
    {
      const CxReportCount *c = g_ptr_array_index (counts, i);
      CxReportRow *row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BODY);

      if (with_key)
        cx_report_row_add_text (row, c->key);
      cx_report_row_add_text (row, c->label);
      cx_report_row_add_number (row, c->count);
      if (with_minutes)
        cx_report_row_add_number (row, minutes (c->seconds));
    }
  return sheet;
}

/**
 * cx_report_layout:
 *
 * Returns: (transfer full) (element-type CxReportSheet): the form's sheet,
 *   then the charts' figures: per day, per subject, top resources
 */
GPtrArray *
cx_report_layout (const CxReport *report)
{
  GPtrArray *sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) cx_report_sheet_free);

  g_ptr_array_add (sheets, main_sheet (report));
  g_ptr_array_add (sheets,
                   counts_sheet ("每日使用", (const char *[]){ "日期", "日", "使用次数", NULL },
                                 report->per_day, TRUE, FALSE));
  g_ptr_array_add (sheets, counts_sheet ("学科", (const char *[]){ "学科", "活动次数", NULL },
                                         report->by_subject, FALSE, FALSE));
  g_ptr_array_add (sheets, counts_sheet ("常用资源",
                                         (const char *[]){ "资源编号", "资源名称", "打开次数",
                                                           "使用时长（分钟）", NULL },
                                         report->top_resources, TRUE, TRUE));
  return sheets;
}
