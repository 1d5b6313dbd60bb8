/* cx-report.h: a school's monthly report (附件7) from its usage journal
 *
 * What counts as what is written down in docs/report.md. The figures come
 * from the journal and the store; the fields only a person can know
 * (publicity, highlights, next month's plan, the yes/no questions) are
 * entered by the admin and kept per month.
 */
#pragma once

#include "cx-store-timetable.h"

G_BEGIN_DECLS

/* The forms a report counts, in the paper form's order; local lessons last. */
#define CX_REPORT_N_FORMS 5

/* Event kinds the report reads (see docs/report.md for their members). */
#define CX_EVENT_RESOURCE_OPENED "resource.opened"
#define CX_EVENT_RESOURCE_CLOSED "resource.closed"
#define CX_EVENT_LESSON_TAUGHT   "lesson.taught"
#define CX_EVENT_LESSON_PREPARED "lesson.prepared"
#define CX_EVENT_CLASS_JOINED    "class.joined"
#define CX_EVENT_CLASS_FALLBACK  "class.fallback-opened"
#define CX_EVENT_REPORT_FIELDS   "report.fields"
#define CX_EVENT_SYNC_FINISHED   "sync.finished"

/* One bar of a chart: a day, a subject, a form or a resource. */
typedef struct
{
  char *key;      /* "2026-10-03", "数学", "sync-classroom", the resource id */
  char *label;    /* what to show: the day, subject, form's name, resource title */
  gint64 count;   /* events (days), activities (subjects, forms), openings (resources) */
  gint64 seconds; /* time spent: resources only, else 0 */
} CxReportCount;

/* One row of the form's per-activity-form table. */
typedef struct
{
  CxActivityForm form;
  gint64 activities;
  gint64 teachers; /* distinct teachers */
  gint64 pupils;   /* pupils present, summed over the activities */
  GStrv subjects;  /* distinct, sorted */
} CxReportForm;

/* An answer the admin gives; UNKNOWN until given. */
typedef enum
{
  CX_REPORT_ANSWER_UNKNOWN,
  CX_REPORT_ANSWER_NO,
  CX_REPORT_ANSWER_YES,
} CxReportAnswer;

/* What the admin enters, kept per month. Strings are never NULL. */
typedef struct
{
  char *partner_school; /* the urban school of the pair */
  char *reporter;
  char *stage;                     /* 小学, 初中, 九年一贯制 or "" */
  CxReportAnswer agreement_signed; /* 协议签订 */
  CxReportAnswer agreement_uploaded;
  CxReportAnswer equipment_ok; /* 技术环境达标 */
  CxReportAnswer space_opened; /* 学校空间开通 */
  CxReportAnswer small_school; /* 小规模学校 */
  gint64 publicity_school;     /* 宣传报道: school, county, city, province level */
  gint64 publicity_county;
  gint64 publicity_city;
  gint64 publicity_province;
  char *highlights;
  char *next_plan;
} CxReportFields;

typedef struct
{
  char *month;  /* "2026-10" */
  char *school; /* the school the store belongs to, or "" */
  gint64 from;  /* the month in local time: [from, to) in seconds since the epoch */
  gint64 to;

  CxReportForm forms[CX_REPORT_N_FORMS]; /* indexed by CxActivityForm */
  gint64 process_materials;              /* lesson plans and hand-ins now at the hub */
  gint64 lesson_plans;                   /* prepared in the month */
  gint64 hand_ins;
  gint64 resources_opened;
  gint64 seconds_spent; /* time with resources open */

  gint64 events;          /* journal entries of the month */
  gint64 skipped_invalid; /* payload not a JSON object */
  gint64 skipped_unknown; /* a kind the report does not read */
  gint64 skipped_missing; /* a known kind without a member it needs */

  GPtrArray *per_day;       /* (element-type CxReportCount): every day of the month */
  GPtrArray *by_subject;    /* activities per subject, most first */
  GPtrArray *by_form;       /* activities per form, in the form's order */
  GPtrArray *top_resources; /* at most CX_REPORT_TOP_RESOURCES, most opened first */

  CxReportFields fields;
} CxReport;

#define CX_REPORT_TOP_RESOURCES 10

/* Progress: @done of @total steps (total 0: unknown). Called in the thread
 * that started the operation, at most a few times a second. */
typedef void (*CxReportProgressFunc) (guint64 done, guint64 total, gpointer user_data);

void cx_report_count_free (CxReportCount *count);
void cx_report_fields_clear (CxReportFields *fields);
void cx_report_free (CxReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxReport, cx_report_free)

gboolean cx_report_parse_month (const char *text, int *out_year, int *out_month, GError **error);
char *cx_report_note_skipped (const CxReport *report);

CxReport *cx_report_compute (CxStore *store,
                             int year,
                             int month,
                             GCancellable *cancellable,
                             CxReportProgressFunc progress,
                             gpointer progress_data,
                             GError **error);
void cx_report_compute_async (CxStore *store,
                              int year,
                              int month,
                              GCancellable *cancellable,
                              CxReportProgressFunc progress,
                              gpointer progress_data,
                              GAsyncReadyCallback callback,
                              gpointer user_data);
CxReport *cx_report_compute_finish (CxStore *store, GAsyncResult *result, GError **error);

/* The admin's fields. Setting them also records a report.fields event, so
 * the hub's county table learns the answers. */
gboolean cx_store_get_report_fields (
    CxStore *self, int year, int month, CxReportFields *out_fields, GError **error);
gboolean cx_store_set_report_fields (
    CxStore *self, int year, int month, const CxReportFields *fields, GError **error);
gboolean cx_report_fields_set_by_name (CxReportFields *fields,
                                       const char *name,
                                       const char *value,
                                       GError **error);
const char *const *cx_report_fields_get_names (void);

G_END_DECLS
