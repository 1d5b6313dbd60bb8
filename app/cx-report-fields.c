/* cx-report-fields.c: what the admin enters in a month's report, kept per month
 *
 * Kept as name/value rows, so a field added later needs no migration. Each
 * change is also recorded as a report.fields event: the hub learns the
 * school's answers from its events, as it learns everything else.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cx-report.h"
#include "cx-store-journal.h"
#include "cx-store-private.h"

/* What the admin may write in one field. */
#define TEXT_MAX_CHARS 1000

/* The hub takes payloads of at most 8 KiB, and one it refuses would hold
 * back every later event: the event's texts are cut until it fits. */
#define EVENT_MAX_BYTES 8000

typedef enum
{
  FIELD_TEXT,
  FIELD_ANSWER,
  FIELD_COUNT,
} FieldType;

typedef struct
{
  const char *name;
  FieldType type;
  gsize offset;
} Field;

static const Field fields[] = {
  { "partner-school", FIELD_TEXT, G_STRUCT_OFFSET (CxReportFields, partner_school) },
  { "reporter", FIELD_TEXT, G_STRUCT_OFFSET (CxReportFields, reporter) },
  { "stage", FIELD_TEXT, G_STRUCT_OFFSET (CxReportFields, stage) },
  { "agreement-signed", FIELD_ANSWER, G_STRUCT_OFFSET (CxReportFields, agreement_signed) },
  { "agreement-uploaded", FIELD_ANSWER, G_STRUCT_OFFSET (CxReportFields, agreement_uploaded) },
  { "equipment-ok", FIELD_ANSWER, G_STRUCT_OFFSET (CxReportFields, equipment_ok) },
  { "space-opened", FIELD_ANSWER, G_STRUCT_OFFSET (CxReportFields, space_opened) },
  { "small-school", FIELD_ANSWER, G_STRUCT_OFFSET (CxReportFields, small_school) },
  { "publicity-school", FIELD_COUNT, G_STRUCT_OFFSET (CxReportFields, publicity_school) },
  { "publicity-county", FIELD_COUNT, G_STRUCT_OFFSET (CxReportFields, publicity_county) },
  { "publicity-city", FIELD_COUNT, G_STRUCT_OFFSET (CxReportFields, publicity_city) },
  { "publicity-province", FIELD_COUNT, G_STRUCT_OFFSET (CxReportFields, publicity_province) },
  { "highlights", FIELD_TEXT, G_STRUCT_OFFSET (CxReportFields, highlights) },
  { "next-plan", FIELD_TEXT, G_STRUCT_OFFSET (CxReportFields, next_plan) },
};

void
cx_report_fields_clear (CxReportFields *f)
{
  g_return_if_fail (f != NULL);

  g_clear_pointer (&f->partner_school, g_free);
  g_clear_pointer (&f->reporter, g_free);
  g_clear_pointer (&f->stage, g_free);
  g_clear_pointer (&f->highlights, g_free);
  g_clear_pointer (&f->next_plan, g_free);
  memset (f, 0, sizeof *f);
}

/**
 * cx_report_fields_get_names:
 *
 * Returns: (transfer none): the fields' names, as cx_report_fields_set_by_name()
 *   takes them, %NULL-terminated
 */
const char *const *
cx_report_fields_get_names (void)
{
  static const char *names[G_N_ELEMENTS (fields) + 1];

  if (names[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      names[i] = fields[i].name;
  return names;
}

static gboolean
parse_answer (const char *value, CxReportAnswer *out)
{
  static const char *const yes[] = { "yes", "y", "true", "1", "是", NULL };
  static const char *const no[] = { "no", "n", "false", "0", "否", NULL };
  g_autofree char *lower = g_utf8_strdown (value, -1);

  if (*lower == '\0')
    *out = CX_REPORT_ANSWER_UNKNOWN;
  else if (g_strv_contains (yes, lower))
    *out = CX_REPORT_ANSWER_YES;
  else if (g_strv_contains (no, lower))
    *out = CX_REPORT_ANSWER_NO;
  else
    return FALSE;
  return TRUE;
}

static const char *
answer_to_string (CxReportAnswer answer)
{
  return answer == CX_REPORT_ANSWER_YES ? "yes" : answer == CX_REPORT_ANSWER_NO ? "no" : "";
}

static const Field *
find_field (const char *name)
{
  /* The paper form has one publicity box per level; "publicity" alone is
   * the school's own. */
  if (g_str_equal (name, "publicity"))
    name = "publicity-school";
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (name, fields[i].name))
      return &fields[i];
  return NULL;
}

/**
 * cx_report_fields_set_by_name:
 * @name: one of cx_report_fields_get_names() ("publicity" is the school's)
 * @value: text; "yes"/"no" (or 是/否, or "" for no answer) for a question;
 *   a whole number for a count
 *
 * Returns: %FALSE with @error set for an unknown name or a bad value
 */
gboolean
cx_report_fields_set_by_name (CxReportFields *f,
                              const char *name,
                              const char *value,
                              GError **error)
{
  const Field *field;
  gpointer member;
  guint64 count;

  g_return_val_if_fail (f != NULL && name != NULL && value != NULL, FALSE);

  field = find_field (name);
  if (field == NULL)
    {
      g_autofree char *names = g_strjoinv (", ", (GStrv) cx_report_fields_get_names ());

      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("“%s” is not a field of the report; the fields are: %s"), name, names);
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("The value of “%s” is not valid UTF-8"), name);
      return FALSE;
    }

  member = G_STRUCT_MEMBER_P (f, field->offset);
  switch (field->type)
    {
    case FIELD_TEXT:
      g_free (*(char **) member);
      *(char **) member =
          g_utf8_substring (value, 0, MIN (g_utf8_strlen (value, -1), TEXT_MAX_CHARS));
      return TRUE;
    case FIELD_ANSWER:
      if (!parse_answer (value, member))
        {
          g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                       _ ("“%s” takes yes or no, not “%s”"), name, value);
          return FALSE;
        }
      return TRUE;
    case FIELD_COUNT:
      if (!g_ascii_string_to_unsigned (value, 10, 0, 1000000, &count, NULL))
        {
          g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                       _ ("“%s” takes a whole number, not “%s”"), name, value);
          return FALSE;
        }
      *(gint64 *) member = count;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static char *
field_to_string (const CxReportFields *f, const Field *field)
{
  gconstpointer member = G_STRUCT_MEMBER_P (f, field->offset);

  switch (field->type)
    {
    case FIELD_TEXT:
      return g_strdup (*(char *const *) member != NULL ? *(char *const *) member : "");
    case FIELD_ANSWER:
      return g_strdup (answer_to_string (*(const CxReportAnswer *) member));
    case FIELD_COUNT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, *(const gint64 *) member);
    default:
      g_assert_not_reached ();
    }
}

static void
fill_missing_texts (CxReportFields *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].type == FIELD_TEXT)
      {
        char **text = G_STRUCT_MEMBER_P (f, fields[i].offset);

        if (*text == NULL)
          *text = g_strdup ("");
      }
}

/**
 * cx_store_get_report_fields:
 * @out_fields: (out caller-allocates): cleared with cx_report_fields_clear()
 *
 * Reads what the admin entered for the month; fields never entered are
 * empty, 0 or CX_REPORT_ANSWER_UNKNOWN.
 */
gboolean
cx_store_get_report_fields (
    CxStore *self, int year, int month, CxReportFields *out_fields, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *key = g_strdup_printf ("%04d-%02d", year, month);
  CxReportFields f = { 0 };
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_fields != NULL, FALSE);

  stmt = _cx_store_prepare (self, "SELECT name, value FROM report_fields WHERE month = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (GError) local_error = NULL;
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      /* A field of a later version, or a value it wrote: not ours to read. */
      if (!cx_report_fields_set_by_name (&f, name, (const char *) sqlite3_column_text (stmt, 1),
                                         &local_error))
        g_debug ("Report field ignored: %s", local_error->message);
    }
  if (rc != SQLITE_DONE)
    {
      cx_report_fields_clear (&f);
      _cx_store_set_error (self, error, _ ("Could not read the report’s fields"));
      return FALSE;
    }
  fill_missing_texts (&f);
  *out_fields = f;
  return TRUE;
}

static char *
fields_event (const char *month, const CxReportFields *f, glong max_chars)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "month");
  json_builder_add_string_value (builder, month);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = field_to_string (f, &fields[i]);

      json_builder_set_member_name (builder, fields[i].name);
      if (fields[i].type == FIELD_COUNT)
        json_builder_add_int_value (builder, g_ascii_strtoll (value, NULL, 10));
      else
        {
          g_autofree char *cut =
              g_utf8_substring (value, 0, MIN (g_utf8_strlen (value, -1), max_chars));

          json_builder_add_string_value (builder, cut);
        }
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * cx_store_set_report_fields:
 *
 * Replaces what the admin entered for the month, and records the answers
 * as a report.fields event for the hub, in one transaction.
 */
gboolean
cx_store_set_report_fields (
    CxStore *self, int year, int month, const CxReportFields *f, GError **error)
{
  g_autofree char *key = g_strdup_printf ("%04d-%02d", year, month);
  g_autofree char *event = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (month >= 1 && month <= 12, FALSE);
  g_return_val_if_fail (f != NULL, FALSE);

  if (!_cx_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr (sqlite3_stmt) stmt = NULL;
      g_autofree char *value = field_to_string (f, &fields[i]);

      stmt = _cx_store_prepare (self,
                                "INSERT INTO report_fields (month, name, value) VALUES (?1, ?2, ?3)"
                                " ON CONFLICT (month, name) DO UPDATE SET value = excluded.value",
                                error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, fields[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, value, -1, SQLITE_TRANSIENT);
      if (!_cx_store_step_done (self, stmt, error))
        goto fail;
    }
  for (glong max_chars = TEXT_MAX_CHARS;; max_chars /= 2)
    {
      g_free (event);
      event = fields_event (key, f, max_chars);
      if (strlen (event) <= EVENT_MAX_BYTES || max_chars == 0)
        break;
    }
  if (cx_store_journal_append (self, CX_EVENT_REPORT_FIELDS, event, error) == 0)
    goto fail;
  return _cx_store_commit (self, error);

fail:
  _cx_store_rollback (self);
  return FALSE;
}
