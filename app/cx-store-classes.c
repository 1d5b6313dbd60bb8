/* cx-store-classes.c: classes, their grade and their rosters in the device store */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-store-classes.h"
#include "cx-store-packages.h"
#include "cx-store-private.h"

void
cx_class_free (CxClass *klass)
{
  if (klass == NULL)
    return;

  g_free (klass->name);
  g_free (klass);
}

static int
numeral_value (gunichar c)
{
  static const char digits[] = "零一二三四五六七八九";
  const char *p = digits;

  if (c == 0x3007 /* 〇 */)
    return 0;
  if (c == 0x4e24 /* 两 */)
    return 2;
  for (int i = 0; *p; i++, p = g_utf8_next_char (p))
    if (g_utf8_get_char (p) == c)
      return i;
  return -1;
}

/* "三年二班" → "3年2班", "十一" → "11", "二〇二四" → "2024": Chinese
 * numbers as digits, so names sort and read as numbers. */
static char *
numerals_to_digits (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p)
    {
      gunichar c = g_utf8_get_char (p);
      GString *plain = NULL;
      int section = 0, current = 0;
      gboolean has_unit = FALSE;

      if (numeral_value (c) < 0 && c != 0x5341 /* 十 */ && c != 0x767e /* 百 */)
        {
          g_string_append_unichar (out, c);
          p = g_utf8_next_char (p);
          continue;
        }
      plain = g_string_new (NULL);
      for (; *p; p = g_utf8_next_char (p))
        {
          int v;

          c = g_utf8_get_char (p);
          v = numeral_value (c);
          if (v >= 0)
            {
              current = v;
              g_string_append_c (plain, (char) ('0' + v));
            }
          else if (c == 0x5341 || c == 0x767e)
            {
              has_unit = TRUE;
              section += MAX (current, 1) * (c == 0x5341 ? 10 : 100);
              current = 0;
            }
          else
            break;
        }
      if (has_unit)
        g_string_append_printf (out, "%d", section + current);
      else
        g_string_append (out, plain->str);
      g_string_free (plain, TRUE);
    }
  return g_string_free (out, FALSE);
}

/**
 * cx_class_guess_grade:
 *
 * Reads the grade from a class name the way Chinese schools write them:
 * 一年级, 三年二班, 5年级(1)班, 初一 or 七年级 (7), 高二 (11), Grade 3.
 *
 * Returns: 1–12, or 0 when the name says none
 */
int
cx_class_guess_grade (const char *name)
{
  static const struct
  {
    const char *pattern;
    int offset;
  } rules[] = {
    { "初中?\\s*(\\d{1,2})\\s*(年级)?", 6 },
    { "高中?\\s*(\\d{1,2})\\s*(年级)?", 9 },
    { "(\\d{1,2})\\s*年\\s*(级|[(（]?\\s*\\d+\\s*[)）]?\\s*班)", 0 },
    { "(?i)\\bgrade\\s*(\\d{1,2})", 0 },
  };
  g_autofree char *text = NULL;

  g_return_val_if_fail (name != NULL, 0);

  if (!g_utf8_validate (name, -1, NULL))
    return 0;
  text = numerals_to_digits (name);
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr (GRegex) regex = g_regex_new (rules[i].pattern, G_REGEX_OPTIMIZE, 0, NULL);
      g_autoptr (GMatchInfo) match = NULL;
      g_autofree char *number = NULL;
      int grade;

      g_assert (regex != NULL);
      if (!g_regex_match (regex, text, 0, &match))
        continue;
      number = g_match_info_fetch (match, 1);
      grade = atoi (number);
      /* 初一–初三 and 高一–高三; 初中一年级 likewise. */
      if (rules[i].offset > 0 && (grade < 1 || grade > 3))
        continue;
      grade += rules[i].offset;
      if (grade >= 1 && grade <= CX_GRADE_MAX)
        return grade;
    }
  return 0;
}

/**
 * cx_class_name_compare:
 *
 * Orders class names naturally: 一年级 before 二年级 before 十年级, and
 * 三年(2)班 before 三年(10)班.
 */
int
cx_class_name_compare (const char *a, const char *b)
{
  g_autofree char *da = numerals_to_digits (a);
  g_autofree char *db = numerals_to_digits (b);
  g_autofree char *ka = g_utf8_collate_key_for_filename (da, -1);
  g_autofree char *kb = g_utf8_collate_key_for_filename (db, -1);
  int order = strcmp (ka, kb);

  return order != 0 ? order : strcmp (a, b);
}

/* A class's or a pupil's name: valid text, no control characters, no
 * space at either end, 1 to (at most) 64 characters. */
static gboolean
check_name (const char *name, gboolean pupil, GError **error)
{
  guint max = pupil ? CX_PUPIL_NAME_MAX_CHARS : CX_CLASS_NAME_MAX_CHARS;
  glong length = -1;

  if (name != NULL && g_utf8_validate (name, -1, NULL))
    {
      length = g_utf8_strlen (name, -1);
      for (const char *p = name; *p; p = g_utf8_next_char (p))
        if (g_unichar_iscntrl (g_utf8_get_char (p)))
          length = -1;
    }
  if (length >= 1 && length <= (glong) max && !g_unichar_isspace (g_utf8_get_char (name)) &&
      !g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (name + strlen (name)))))
    return TRUE;
  if (pupil)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                 _ ("A pupil’s name is 1 to %u characters of text, without spaces at either end"),
                 max);
  else
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                 _ ("A class name is 1 to %u characters of text, without spaces at either end"),
                 max);
  return FALSE;
}

/**
 * cx_store_set_class_grade:
 * @grade: 1–%CX_GRADE_MAX, or 0 to have it guessed from the name again
 *
 * Records the class (it is then listed even with no timetable, plan or
 * roster yet) and its grade.
 */
gboolean
cx_store_set_class_grade (CxStore *self, const char *name, int grade, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (!check_name (name, FALSE, error))
    return FALSE;
  if (grade < 0 || grade > CX_GRADE_MAX)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("A grade is a number from 1 to %d"), CX_GRADE_MAX);
      return FALSE;
    }
  stmt = _cx_store_prepare (self,
                            "INSERT INTO classes (name, grade) VALUES (?1, ?2)"
                            " ON CONFLICT (name) DO UPDATE SET grade = excluded.grade",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, grade);
  return _cx_store_step_done (self, stmt, error);
}

/* Every class name the store mentions, with its set grade (or 0) and
 * roster size. */
#define CLASSES_SQL                                                         \
  "SELECT n.name, coalesce (c.grade, 0),"                                   \
  "  (SELECT count (*) FROM roster r WHERE r.class_name = n.name)"          \
  " FROM (SELECT name FROM classes UNION SELECT class_name FROM roster"     \
  "       UNION SELECT class_name FROM timetable_entries WHERE deleted = 0" \
  "       UNION SELECT class_name FROM lesson_plans) n"                     \
  " LEFT JOIN classes c ON c.name = n.name"

static CxClass *
class_from_row (sqlite3_stmt *stmt)
{
  CxClass *klass = g_new0 (CxClass, 1);

  klass->name = _cx_store_column_dup (stmt, 0);
  klass->grade = sqlite3_column_int (stmt, 1);
  klass->grade_set = klass->grade > 0;
  if (!klass->grade_set)
    klass->grade = cx_class_guess_grade (klass->name);
  klass->n_pupils = (guint) sqlite3_column_int (stmt, 2);
  return klass;
}

static int
compare_classes (gconstpointer a, gconstpointer b)
{
  const CxClass *x = *(const CxClass *const *) a;
  const CxClass *y = *(const CxClass *const *) b;
  int gx = x->grade > 0 ? x->grade : G_MAXINT;
  int gy = y->grade > 0 ? y->grade : G_MAXINT;

  if (gx != gy)
    return gx < gy ? -1 : 1;
  return cx_class_name_compare (x->name, y->name);
}

/**
 * cx_store_list_classes:
 *
 * Returns: (transfer full) (element-type CxClass): the classes known to
 *   this computer — recorded, on a roster, on the timetable or in a
 *   lesson plan — by grade, then naturally by name; those without a grade
 *   last
 */
GPtrArray *
cx_store_list_classes (CxStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  GPtrArray *classes;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self, CLASSES_SQL " WHERE n.name != ''", error);
  if (stmt == NULL)
    return NULL;
  classes = _cx_store_collect_rows (self, stmt, (CxStoreRowFunc) class_from_row,
                                    (GDestroyNotify) cx_class_free,
                                    _ ("Could not read the classes"), error);
  if (classes != NULL)
    g_ptr_array_sort (classes, compare_classes);
  return classes;
}

/**
 * cx_store_get_class:
 *
 * Returns: (transfer full): the class called @name, with its grade (set
 *   or guessed) and roster size; a name the store does not mention yet is
 *   a class without pupils
 */
CxClass *
cx_store_get_class (CxStore *self, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  if (!check_name (name, FALSE, error))
    return NULL;
  stmt = _cx_store_prepare (self,
                            "SELECT ?1, coalesce ((SELECT grade FROM classes WHERE name = ?1), 0),"
                            "  (SELECT count (*) FROM roster WHERE class_name = ?1)",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cx_store_set_error (self, error, _ ("Could not read the classes"));
      return NULL;
    }
  return class_from_row (stmt);
}

/**
 * cx_store_list_class_packages:
 *
 * Returns: (transfer full) (element-type CxPackageStatus): the installed
 *   packages of the class's grade, by title: its courses on this
 *   computer. For a class whose grade is not known, every installed
 *   package.
 */
GPtrArray *
cx_store_list_class_packages (CxStore *self, const char *name, GError **error)
{
  g_autoptr (CxClass) klass = cx_store_get_class (self, name, error);
  g_autoptr (GPtrArray) all = NULL;
  GPtrArray *mine;

  if (klass == NULL)
    return NULL;
  all = cx_store_list_package_status (self, error);
  if (all == NULL)
    return NULL;
  mine = g_ptr_array_new_with_free_func ((GDestroyNotify) cx_package_status_free);
  for (guint i = 0; i < all->len; i++)
    {
      CxPackageStatus *status = g_ptr_array_index (all, i);

      if (status->installed_version > 0 && (klass->grade == 0 || status->grade == klass->grade))
        g_ptr_array_add (mine, g_steal_pointer (&all->pdata[i]));
    }
  return mine;
}

/**
 * cx_store_add_pupil:
 *
 * Puts @pupil on the roster of @class_name; %CX_STORE_ERROR_EXISTS if
 * already there.
 */
gboolean
cx_store_add_pupil (CxStore *self, const char *class_name, const char *pupil, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (!check_name (class_name, FALSE, error) || !check_name (pupil, TRUE, error))
    return FALSE;
  stmt = _cx_store_prepare (
      self, "INSERT INTO roster (class_name, pupil, added_at) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, class_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pupil, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, _cx_store_now ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      g_autofree char *what =
          g_strdup_printf (_ ("Could not put %s on the roster of %s"), pupil, class_name);

      _cx_store_set_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
cx_store_remove_pupil (CxStore *self, const char *class_name, const char *pupil, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (!check_name (class_name, FALSE, error) || !check_name (pupil, TRUE, error))
    return FALSE;
  stmt = _cx_store_prepare (self, "DELETE FROM roster WHERE class_name = ?1 AND pupil = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, class_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pupil, -1, SQLITE_TRANSIENT);
  if (!_cx_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_cx_store_get_db (self)) == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("%s is not on the roster of %s"), pupil, class_name);
      return FALSE;
    }
  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return cx_class_name_compare (*(const char *const *) a, *(const char *const *) b);
}

/**
 * cx_store_list_pupils:
 *
 * Returns: (transfer full): the pupils on the roster of @class_name,
 *   naturally by name; empty for a class without a roster
 */
char **
cx_store_list_pupils (CxStore *self, const char *class_name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) pupils = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  if (!check_name (class_name, FALSE, error))
    return NULL;
  stmt = _cx_store_prepare (self, "SELECT pupil FROM roster WHERE class_name = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, class_name, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (pupils, _cx_store_column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, _ ("Could not read the roster"));
      return NULL;
    }
  g_ptr_array_sort (pupils, compare_names);
  g_ptr_array_add (pupils, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&pupils), FALSE);
}
