/* cx-report-tally.c: counting a month's usage events, one row at a time
 *
 * Memory stays bounded whatever the number of events: a lesson without a
 * timetable entry is counted at once; only activities of the timetable
 * (as many as it has entries) and resources (as many as are installed)
 * are kept until the end.
 */
#include "config.h"

#include <string.h>

#include "cx-report-payload.h"
#include "cx-report-tally.h"

enum
{
  COL_TIME,
  COL_KIND,
  COL_PAYLOAD,
};

typedef struct
{
  CxActivityForm form;
  char *subject;
  char *class_name;
  char *teacher;
} EntryInfo;

/* A timetable entry that took place: one activity however many events. */
typedef struct
{
  CxActivityForm form;
  char *subject;
  char *class_name;
  GPtrArray *teachers;
  gint64 pupils; /* -1: not recorded */
} Activity;

typedef struct
{
  gint64 opened;
  gint64 seconds;
  char *title;
} ResourceUse;

struct _CxReportTally
{
  CxPayload payload; /* the row being counted */
  gint64 days[32];   /* local midnights: days[i] starts day i + 1; days[n_days] is the end */
  int n_days;
  int year;
  int month;

  GHashTable *entries;      /* uuid → EntryInfo */
  GHashTable *class_pupils; /* class → GINT64 in a pointer-sized box */
  GHashTable *plan_authors; /* plan uuid → author */
  GHashTable *plans;        /* set of plan uuids prepared */
  GHashTable *activities;   /* timetable uuid → Activity */
  GHashTable *resources;    /* resource id → ResourceUse */

  gint64 per_day[31];
  gint64 activities_n[CX_REPORT_N_FORMS];
  gint64 pupils[CX_REPORT_N_FORMS];
  GHashTable *teachers[CX_REPORT_N_FORMS]; /* set */
  GHashTable *subjects[CX_REPORT_N_FORMS]; /* set */
  GHashTable *by_subject;                  /* subject → count, boxed */

  gint64 events;
  gint64 hand_ins;
  gint64 resources_opened;
  gint64 seconds_spent;
  gint64 skipped_invalid;
  gint64 skipped_unknown;
  gint64 skipped_missing;
};

static void
entry_info_free (EntryInfo *info)
{
  g_free (info->subject);
  g_free (info->class_name);
  g_free (info->teacher);
  g_free (info);
}

static void
activity_free (Activity *activity)
{
  g_free (activity->subject);
  g_free (activity->class_name);
  g_ptr_array_unref (activity->teachers);
  g_free (activity);
}

static void
resource_use_free (ResourceUse *use)
{
  g_free (use->title);
  g_free (use);
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

static const char *
member (CxReportTally *self, CxPayloadMember which)
{
  return cx_payload_get_string (&self->payload, which);
}

static void
add_to_set (GHashTable *set, const char *text)
{
  if (is_set (text) && !g_hash_table_contains (set, text))
    g_hash_table_add (set, g_strdup (text));
}

static void
bump (GHashTable *counts, const char *key, gint64 by)
{
  gint64 *count = g_hash_table_lookup (counts, key);

  if (count == NULL)
    {
      count = g_new0 (gint64, 1);
      g_hash_table_insert (counts, g_strdup (key), count);
    }
  *count += by;
}

CxReportTally *
cx_report_tally_new (int year, int month)
{
  CxReportTally *self = g_new0 (CxReportTally, 1);

  g_return_val_if_fail (month >= 1 && month <= 12, NULL);

  cx_payload_init (&self->payload);
  self->year = year;
  self->month = month;
  self->n_days = g_date_get_days_in_month (month, year);
  /* Midnights in local time, each on its own: a day may be 23 or 25 hours. */
  for (int day = 0; day <= self->n_days; day++)
    {
      g_autoptr (GDateTime) start =
          day < self->n_days ? g_date_time_new_local (year, month, day + 1, 0, 0, 0)
          : month == 12      ? g_date_time_new_local (year + 1, 1, 1, 0, 0, 0)
                             : g_date_time_new_local (year, month + 1, 1, 0, 0, 0);

      self->days[day] = g_date_time_to_unix (start);
    }

  self->entries =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_info_free);
  self->class_pupils = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->plan_authors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->plans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->activities =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) activity_free);
  self->resources = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                           (GDestroyNotify) resource_use_free);
  self->by_subject = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (int i = 0; i < CX_REPORT_N_FORMS; i++)
    {
      self->teachers[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      self->subjects[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  return self;
}

void
cx_report_tally_free (CxReportTally *self)
{
  if (self == NULL)
    return;
  cx_payload_clear (&self->payload);
  g_hash_table_unref (self->entries);
  g_hash_table_unref (self->class_pupils);
  g_hash_table_unref (self->plan_authors);
  g_hash_table_unref (self->plans);
  g_hash_table_unref (self->activities);
  g_hash_table_unref (self->resources);
  g_hash_table_unref (self->by_subject);
  for (int i = 0; i < CX_REPORT_N_FORMS; i++)
    {
      g_hash_table_unref (self->teachers[i]);
      g_hash_table_unref (self->subjects[i]);
    }
  g_free (self);
}

/* Returns: the first second of the month, in local time */
gint64
cx_report_tally_get_from (CxReportTally *self)
{
  return self->days[0];
}

/* Returns: the first second after the month */
gint64
cx_report_tally_get_to (CxReportTally *self)
{
  return self->days[self->n_days];
}

void
cx_report_tally_add_entry (CxReportTally *self,
                           const char *uuid,
                           CxActivityForm form,
                           const char *subject,
                           const char *class_name,
                           const char *teacher)
{
  EntryInfo *info = g_new0 (EntryInfo, 1);

  g_return_if_fail (uuid != NULL);

  info->form = form;
  info->subject = g_strdup (subject);
  info->class_name = g_strdup (class_name);
  info->teacher = g_strdup (teacher);
  g_hash_table_replace (self->entries, g_strdup (uuid), info);
}

void
cx_report_tally_set_class_pupils (CxReportTally *self, const char *class_name, gint64 pupils)
{
  gint64 *box = g_new (gint64, 1);

  *box = pupils;
  g_hash_table_replace (self->class_pupils, g_strdup (class_name), box);
}

void
cx_report_tally_set_plan_author (CxReportTally *self, const char *uuid, const char *author)
{
  if (is_set (uuid) && is_set (author))
    g_hash_table_replace (self->plan_authors, g_strdup (uuid), g_strdup (author));
}

/* Counts @uuid as a lesson plan prepared in the month, once however often. */
void
cx_report_tally_add_plan (CxReportTally *self, const char *uuid)
{
  add_to_set (self->plans, uuid);
}

static int
find_day (CxReportTally *self, gint64 seconds)
{
  int low = 0, high = self->n_days;

  if (seconds < self->days[0] || seconds >= self->days[self->n_days])
    return -1;
  /* days[low] <= seconds < days[high] */
  while (high - low > 1)
    {
      int mid = (low + high) / 2;

      if (seconds < self->days[mid])
        high = mid;
      else
        low = mid;
    }
  return low;
}

static gint64
class_pupils (CxReportTally *self, const char *class_name)
{
  gint64 *pupils =
      is_set (class_name) ? g_hash_table_lookup (self->class_pupils, class_name) : NULL;

  return pupils != NULL ? *pupils : 0;
}

static gboolean
parse_form (const char *text, CxActivityForm *out_form)
{
  return is_set (text) && cx_activity_form_from_string (text, out_form);
}

static void
count_activity (CxReportTally *self,
                CxActivityForm form,
                const char *subject,
                const char *teacher,
                gint64 pupils)
{
  self->activities_n[form]++;
  self->pupils[form] += pupils;
  add_to_set (self->teachers[form], teacher);
  add_to_set (self->subjects[form], subject);
  if (is_set (subject))
    bump (self->by_subject, subject, 1);
}

/* An event that belongs to a timetable entry: the first one makes the
 * activity, later ones add what they know. Returns FALSE when neither the
 * entry nor the event tells the form. */
static gboolean
join_activity (CxReportTally *self, const char *uuid)
{
  Activity *activity = g_hash_table_lookup (self->activities, uuid);
  const char *teacher = member (self, CX_PAYLOAD_TEACHER);
  gint64 pupils;

  if (activity == NULL)
    {
      EntryInfo *info = g_hash_table_lookup (self->entries, uuid);
      CxActivityForm form;

      if (info != NULL)
        form = info->form;
      else if (!parse_form (member (self, CX_PAYLOAD_FORM), &form))
        return FALSE;
      activity = g_new0 (Activity, 1);
      activity->form = form;
      activity->pupils = -1;
      activity->teachers = g_ptr_array_new_with_free_func (g_free);
      if (info != NULL)
        {
          activity->subject = g_strdup (info->subject);
          activity->class_name = g_strdup (info->class_name);
          if (is_set (info->teacher))
            g_ptr_array_add (activity->teachers, g_strdup (info->teacher));
        }
      g_hash_table_insert (self->activities, g_strdup (uuid), activity);
    }

  if (!is_set (activity->subject))
    {
      g_free (activity->subject);
      activity->subject = g_strdup (member (self, CX_PAYLOAD_SUBJECT));
    }
  if (!is_set (activity->class_name))
    {
      g_free (activity->class_name);
      activity->class_name = g_strdup (member (self, CX_PAYLOAD_CLASS));
    }
  if (is_set (teacher) &&
      !g_ptr_array_find_with_equal_func (activity->teachers, teacher, g_str_equal, NULL))
    g_ptr_array_add (activity->teachers, g_strdup (teacher));
  if (cx_payload_get_int (&self->payload, CX_PAYLOAD_PUPILS, &pupils))
    activity->pupils = MAX (activity->pupils, pupils);
  return TRUE;
}

static gboolean
add_lesson (CxReportTally *self)
{
  const char *timetable = member (self, CX_PAYLOAD_TIMETABLE);
  const char *plan = member (self, CX_PAYLOAD_PLAN);
  const char *teacher = member (self, CX_PAYLOAD_TEACHER);
  const char *class_name = member (self, CX_PAYLOAD_CLASS);
  CxActivityForm form = CX_ACTIVITY_LOCAL;
  gint64 pupils;

  if (is_set (timetable) && join_activity (self, timetable))
    return TRUE;
  if (!is_set (plan) && !is_set (class_name))
    return FALSE;

  /* A lesson of no timetable entry is one activity on its own. */
  parse_form (member (self, CX_PAYLOAD_FORM), &form);
  if (!is_set (teacher) && is_set (plan))
    teacher = g_hash_table_lookup (self->plan_authors, plan);
  if (!cx_payload_get_int (&self->payload, CX_PAYLOAD_PUPILS, &pupils))
    pupils = class_pupils (self, class_name);
  count_activity (self, form, member (self, CX_PAYLOAD_SUBJECT), teacher, pupils);
  return TRUE;
}

static void
add_resource (CxReportTally *self, gint64 id, const char *title, gint64 opened, gint64 seconds)
{
  ResourceUse *use = g_hash_table_lookup (self->resources, &id);

  if (use == NULL)
    {
      gint64 *key = g_new (gint64, 1);

      *key = id;
      use = g_new0 (ResourceUse, 1);
      g_hash_table_insert (self->resources, key, use);
    }
  if (use->title == NULL && is_set (title))
    use->title = g_strdup (title);
  use->opened += opened;
  use->seconds += seconds;
}

/* Returns: FALSE when the event lacks a member its kind needs */
static gboolean
add_known (CxReportTally *self, const char *kind)
{
  gint64 resource = 0;
  gboolean has_resource = cx_payload_get_int (&self->payload, CX_PAYLOAD_RESOURCE, &resource);
  const char *timetable = member (self, CX_PAYLOAD_TIMETABLE);
  const char *title = member (self, CX_PAYLOAD_TITLE);

  if (g_str_equal (kind, CX_EVENT_RESOURCE_OPENED) || g_str_equal (kind, "student.resource.opened"))
    {
      if (!has_resource)
        return FALSE;
      self->resources_opened++;
      add_resource (self, resource, title, 1, 0);
      if (is_set (timetable))
        join_activity (self, timetable);
      return TRUE;
    }
  if (g_str_equal (kind, CX_EVENT_RESOURCE_CLOSED))
    {
      gint64 seconds;

      if (!has_resource || !cx_payload_get_int (&self->payload, CX_PAYLOAD_SECONDS, &seconds))
        return FALSE;
      seconds = MAX (0, seconds);
      self->seconds_spent += seconds;
      add_resource (self, resource, title, 0, seconds);
      return TRUE;
    }
  if (g_str_equal (kind, CX_EVENT_LESSON_TAUGHT))
    return add_lesson (self);
  if (g_str_equal (kind, CX_EVENT_CLASS_JOINED) || g_str_equal (kind, CX_EVENT_CLASS_FALLBACK))
    return is_set (timetable) && join_activity (self, timetable);
  if (g_str_equal (kind, CX_EVENT_LESSON_PREPARED))
    {
      if (!is_set (member (self, CX_PAYLOAD_PLAN)))
        return FALSE;
      cx_report_tally_add_plan (self, member (self, CX_PAYLOAD_PLAN));
      return TRUE;
    }
  if (g_str_equal (kind, "student.hand-in"))
    {
      self->hand_ins++;
      if (is_set (timetable))
        join_activity (self, timetable);
      return TRUE;
    }
  /* Known, and no use of the software by people: nothing to count. */
  return g_str_equal (kind, CX_EVENT_REPORT_FIELDS) || g_str_equal (kind, CX_EVENT_SYNC_FINISHED);
}

static gboolean
is_known (const char *kind)
{
  static const char *const known[] = {
    CX_EVENT_RESOURCE_OPENED, CX_EVENT_RESOURCE_CLOSED, CX_EVENT_LESSON_TAUGHT,
    CX_EVENT_LESSON_PREPARED, CX_EVENT_CLASS_JOINED,    CX_EVENT_CLASS_FALLBACK,
    CX_EVENT_REPORT_FIELDS,   CX_EVENT_SYNC_FINISHED,   "student.resource.opened",
    "student.hand-in",
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (kind, known[i]))
      return TRUE;
  return FALSE;
}

/**
 * cx_report_tally_add_row:
 * @stmt: a statement positioned on a row of CX_REPORT_ROW_COLUMNS
 *
 * Counts one event; one that cannot be counted is counted as skipped.
 */
void
cx_report_tally_add_row (CxReportTally *self, sqlite3_stmt *stmt)
{
  const char *kind = (const char *) sqlite3_column_text (stmt, COL_KIND);
  int day = find_day (self, sqlite3_column_int64 (stmt, COL_TIME) / G_USEC_PER_SEC);

  if (day < 0)
    return;
  self->events++;
  if (kind == NULL || !is_known (kind))
    {
      self->skipped_unknown++;
      return;
    }
  if (!cx_payload_parse (&self->payload, (const char *) sqlite3_column_text (stmt, COL_PAYLOAD),
                         sqlite3_column_bytes (stmt, COL_PAYLOAD)))
    {
      self->skipped_invalid++;
      return;
    }
  if (!add_known (self, kind))
    {
      self->skipped_missing++;
      return;
    }
  /* The admin's own answers and the syncs are no use of the software. */
  if (!g_str_equal (kind, CX_EVENT_REPORT_FIELDS) && !g_str_equal (kind, CX_EVENT_SYNC_FINISHED))
    self->per_day[day]++;
}

static CxReportCount *
count_new (const char *key, const char *label, gint64 count, gint64 seconds)
{
  CxReportCount *c = g_new0 (CxReportCount, 1);

  c->key = g_strdup (key);
  c->label = g_strdup (label);
  c->count = count;
  c->seconds = seconds;
  return c;
}

static int
compare_counts (gconstpointer a, gconstpointer b)
{
  const CxReportCount *x = *(CxReportCount **) a;
  const CxReportCount *y = *(CxReportCount **) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  if (x->seconds != y->seconds)
    return x->seconds > y->seconds ? -1 : 1;
  return strcmp (x->key, y->key);
}

static int
compare_strings (gconstpointer a, gconstpointer b, gpointer unused)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static GStrv
sorted_set (GHashTable *set)
{
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (set, NULL);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  GStrv strv;

  g_strv_builder_addv (builder, (const char **) keys);
  strv = g_strv_builder_end (builder);
  g_qsort_with_data (strv, g_strv_length (strv), sizeof (char *), compare_strings, NULL);
  return strv;
}

static void
fold_activities (CxReportTally *self)
{
  GHashTableIter iter;
  Activity *activity;

  g_hash_table_iter_init (&iter, self->activities);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &activity))
    {
      gint64 pupils =
          activity->pupils >= 0 ? activity->pupils : class_pupils (self, activity->class_name);

      count_activity (self, activity->form, activity->subject, NULL, pupils);
      for (guint i = 0; i < activity->teachers->len; i++)
        add_to_set (self->teachers[activity->form], g_ptr_array_index (activity->teachers, i));
    }
  g_hash_table_remove_all (self->activities);
}

/**
 * cx_report_tally_finish:
 *
 * Puts the figures into @report: forms, counts, charts and skipped rows.
 * The tally is spent afterwards.
 */
void
cx_report_tally_finish (CxReportTally *self, CxReport *report)
{
  GHashTableIter iter;
  gpointer key, value;

  fold_activities (self);

  report->from = self->days[0];
  report->to = self->days[self->n_days];
  report->lesson_plans += g_hash_table_size (self->plans);
  report->hand_ins += self->hand_ins;
  report->resources_opened += self->resources_opened;
  report->seconds_spent += self->seconds_spent;
  report->events += self->events;
  report->skipped_invalid += self->skipped_invalid;
  report->skipped_unknown += self->skipped_unknown;
  report->skipped_missing += self->skipped_missing;

  report->per_day = g_ptr_array_new_with_free_func ((GDestroyNotify) cx_report_count_free);
  for (int day = 0; day < self->n_days; day++)
    {
      g_autofree char *date = g_strdup_printf ("%04d-%02d-%02d", self->year, self->month, day + 1);
      g_autofree char *label = g_strdup_printf ("%d", day + 1);

      g_ptr_array_add (report->per_day, count_new (date, label, self->per_day[day], 0));
    }

  report->by_form = g_ptr_array_new_with_free_func ((GDestroyNotify) cx_report_count_free);
  for (int form = 0; form < CX_REPORT_N_FORMS; form++)
    {
      CxReportForm *row = &report->forms[form];

      row->form = form;
      row->activities = self->activities_n[form];
      row->pupils = self->pupils[form];
      row->teachers = g_hash_table_size (self->teachers[form]);
      row->subjects = sorted_set (self->subjects[form]);
      g_ptr_array_add (report->by_form,
                       count_new (cx_activity_form_to_string (form),
                                  cx_activity_form_get_label (form), row->activities, 0));
    }

  report->by_subject = g_ptr_array_new_with_free_func ((GDestroyNotify) cx_report_count_free);
  g_hash_table_iter_init (&iter, self->by_subject);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (report->by_subject, count_new (key, key, *(gint64 *) value, 0));
  g_ptr_array_sort (report->by_subject, compare_counts);

  report->top_resources = g_ptr_array_new_with_free_func ((GDestroyNotify) cx_report_count_free);
  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      ResourceUse *use = value;
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, *(gint64 *) key);

      g_ptr_array_add (report->top_resources, count_new (id, use->title != NULL ? use->title : id,
                                                         use->opened, use->seconds));
    }
  g_ptr_array_sort (report->top_resources, compare_counts);
  if (report->top_resources->len > CX_REPORT_TOP_RESOURCES)
    g_ptr_array_set_size (report->top_resources, CX_REPORT_TOP_RESOURCES);
}
