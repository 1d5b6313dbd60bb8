/* cx-test-report-fixture.c: October 2026 of a village school, event by event
 *
 * The figures this content must give are written in test-report.c and
 * test-report-export.py; change one, change the others.
 */
#include "config.h"

#include "cx-store-private.h"
#include "cx-test-report-fixture.h"

static void
exec (CxStore *store, const char *sql)
{
  g_autoptr (GError) error = NULL;

  _cx_store_exec (store, sql, &error);
  g_assert_no_error (error);
}

static gint64
at (int day, int hour, int minute)
{
  g_autoptr (GDateTime) time =
      g_date_time_new_local (CX_TEST_REPORT_YEAR, CX_TEST_REPORT_MONTH, day, hour, minute, 0);

  return g_date_time_to_unix (time);
}

/* Writes one row as an old version may have: no checks on the payload. */
static void
event (CxStore *store, gint64 seconds, const char *kind, const char *payload)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = _cx_store_prepare (
      store, "INSERT INTO journal (time_us, kind, payload) VALUES (?1, ?2, ?3)", &error);

  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, seconds * G_USEC_PER_SEC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, payload, -1, SQLITE_STATIC);
  _cx_store_step_done (store, stmt, &error);
  g_assert_no_error (error);
}

void
cx_test_report_fixture_fill (CxStore *store)
{
  g_autofree char *plans = NULL;
  g_autofree char *hand_ins = NULL;
  g_autofree char *entries = NULL;

  exec (store, "INSERT INTO accounts (id, name, role, created_at) VALUES"
               " (1, '陈老师', 'teacher', 0), (2, '校管理员', 'admin', 0)");
  plans = g_strdup_printf (
      "INSERT INTO lesson_plans (id, uuid, author_id, title, class_name, subject, created_at,"
      " updated_at, upload_state) VALUES"
      " (1, 'plan-1', 1, '10以内加法', '一年级', '数学', %" G_GINT64_FORMAT ", 0, 'uploaded'),"
      " (2, 'plan-2', 1, '静夜思', '一年级', '语文', %" G_GINT64_FORMAT ", 0, 'uploaded')",
      at (5, 20, 0), at (5, 20, 0) - 20 * 24 * 3600);
  exec (store, plans);
  hand_ins = g_strdup_printf (
      "INSERT INTO hand_ins (uuid, assignment, class_name, file_name, content_hash, size,"
      " created_at, upload_state) VALUES"
      " ('hand-in-1', '作业', '一年级', 'a.jpg', 'x', 100, %" G_GINT64_FORMAT ", 'uploaded'),"
      " ('hand-in-2', '作业', '一年级', 'b.jpg', 'y', 100, %" G_GINT64_FORMAT ", 'pending')",
      at (8, 10, 0), at (8, 10, 5));
  exec (store, hand_ins);
  exec (store, "INSERT INTO classes (name, grade) VALUES ('一年级', 1), ('二年级', 2)");
  exec (store, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)"
               " INSERT INTO roster SELECT '一年级', '学生' || i, 0 FROM n");
  exec (store, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)"
               " INSERT INTO roster SELECT '二年级', '学生' || i, 0 FROM n");
  entries = g_strdup_printf (
      "INSERT INTO timetable_entries (uuid, form, subject, class_name, teacher, starts_at,"
      " ends_at, origin) VALUES"
      " ('" CX_TEST_REPORT_T1 "', 'sync-classroom', '数学', '一年级', '王老师', %1$" G_GINT64_FORMAT
      ", %1$" G_GINT64_FORMAT " + 2400, 'hub'),"
      " ('" CX_TEST_REPORT_T2
      "', 'remote-delivery', '英语', '一年级', '李老师', %2$" G_GINT64_FORMAT
      ", %2$" G_GINT64_FORMAT " + 2400, 'hub'),"
      " ('" CX_TEST_REPORT_T3
      "', 'master-classroom', '科学', '二年级', '张名师', %3$" G_GINT64_FORMAT
      ", %3$" G_GINT64_FORMAT " + 2400, 'hub'),"
      " ('" CX_TEST_REPORT_T4 "', 'online-research', '语文', '', '赵老师', %4$" G_GINT64_FORMAT
      ", %4$" G_GINT64_FORMAT " + 2400, 'school')",
      at (1, 9, 0), at (2, 10, 0), at (3, 14, 0), at (5, 15, 0));
  exec (store, entries);

  /* 同步课堂 t1: joined, taught with 11 pupils present, a pupil's opening. */
  event (store, at (1, 9, 0), "class.joined", "{\"timetable_entry\":\"" CX_TEST_REPORT_T1 "\"}");
  event (store, at (1, 9, 5), "lesson.taught",
         "{\"plan\":\"plan-1\",\"title\":\"10以内加法\",\"class\":\"一年级\",\"subject\":\"数学\","
         "\"timetable\":\"" CX_TEST_REPORT_T1
         "\",\"teacher\":\"陈老师\",\"pupils\":11,\"seconds\":2400}");
  event (store, at (1, 9, 10), "student.resource.opened",
         "{\"mode\":\"student\",\"class\":\"一年级\",\"timetable\":\"" CX_TEST_REPORT_T1 "\","
         "\"form\":\"sync-classroom\",\"subject\":\"数学\",\"resource\":9,\"title\":\"加法.pdf\"}");
  /* 专递课堂 t2 on its kept file; 名师课堂 t3 twice, one activity. */
  event (store, at (2, 10, 0), "class.fallback-opened",
         "{\"timetable_entry\":\"" CX_TEST_REPORT_T2 "\",\"resource\":7}");
  event (store, at (3, 14, 0), "class.joined", "{\"timetable_entry\":\"" CX_TEST_REPORT_T3 "\"}");
  event (store, at (3, 14, 1), "class.joined", "{\"timetable_entry\":\"" CX_TEST_REPORT_T3 "\"}");
  /* A local lesson: the plan's author taught 二年级 (8 on the roster). */
  event (store, at (4, 8, 0), "lesson.taught",
         "{\"plan\":\"plan-1\",\"class\":\"二年级\",\"subject\":\"数学\",\"seconds\":1800}");
  /* 网络研修 t4: teachers only. */
  event (store, at (5, 15, 0), "class.joined", "{\"timetable_entry\":\"" CX_TEST_REPORT_T4 "\"}");
  event (
      store, at (5, 20, 0), "lesson.prepared",
      "{\"plan\":\"plan-1\",\"title\":\"10以内加法\",\"class\":\"一年级\",\"subject\":\"数学\"}");
  event (
      store, at (6, 20, 0), "lesson.prepared",
      "{\"plan\":\"plan-3\",\"title\":\"小蝌蚪找妈妈\",\"class\":\"二年级\",\"subject\":\"语文\"}");
  /* Resources: 静夜思 three times (600 s), 加法 once more (120 s). */
  event (store, at (6, 9, 0), "resource.opened",
         "{\"resource\":7,\"title\":\"静夜思.mp4\",\"kind\":\"video\"}");
  event (store, at (6, 9, 5), "resource.closed",
         "{\"resource\":7,\"title\":\"静夜思.mp4\",\"seconds\":300}");
  event (store, at (7, 9, 0), "resource.opened",
         "{\"resource\":7,\"title\":\"静夜思.mp4\",\"kind\":\"video\"}");
  event (store, at (7, 9, 5), "resource.closed",
         "{\"resource\":7,\"title\":\"静夜思.mp4\",\"seconds\":300}");
  event (store, at (7, 11, 0), "resource.opened",
         "{\"resource\":7,\"title\":\"静夜思.mp4\",\"kind\":\"video\"}");
  event (store, at (7, 12, 0), "resource.opened",
         "{\"resource\":9,\"title\":\"加法.pdf\",\"kind\":\"pdf\"}");
  event (store, at (7, 12, 2), "resource.closed",
         "{\"resource\":9,\"title\":\"加法.pdf\",\"seconds\":120}");
  event (store, at (8, 10, 0), "student.hand-in",
         "{\"mode\":\"student\",\"class\":\"一年级\",\"hand_in\":\"hand-in-1\",\"size\":100}");
  event (store, at (8, 10, 5), "student.hand-in",
         "{\"mode\":\"student\",\"class\":\"一年级\",\"hand_in\":\"hand-in-2\",\"size\":100}");

  /* Legacy and broken rows: counted as skipped, never counted as use. */
  event (store, at (9, 8, 0), "resource.opened", "\"just a string\"");
  exec (store, "PRAGMA ignore_check_constraints = ON");
  event (store, at (9, 8, 1), "lesson.taught", "{not json");
  exec (store, "PRAGMA ignore_check_constraints = OFF");
  event (store, at (9, 8, 2), "resource-opened", "{\"resource\":7}");
  event (store, at (9, 8, 3), "resource.opened", "{\"title\":\"no id\"}");
  event (store, at (9, 8, 4), "class.joined", "{\"timetable_entry\":\"gone\"}");

  /* Just outside the month, either side. */
  event (store, at (1, 0, 0) - 1, "lesson.taught", "{\"plan\":\"plan-2\",\"class\":\"一年级\"}");
  {
    g_autoptr (GDateTime) november = g_date_time_new_local (2026, 11, 1, 0, 0, 0);

    event (store, g_date_time_to_unix (november), "resource.opened",
           "{\"resource\":7,\"title\":\"静夜思.mp4\"}");
  }
}

/**
 * cx_test_report_fixture_add_bulk:
 *
 * Adds @n_events spread evenly over the month, a mix like a busy school's:
 * mostly resources opened and closed, lessons, pupils' events.
 */
void
cx_test_report_fixture_add_bulk (CxStore *store, int year, int month, gint64 n_events)
{
  g_autoptr (GDateTime) start = g_date_time_new_local (year, month, 1, 0, 0, 0);
  g_autoptr (GDateTime) end = g_date_time_add_months (start, 1);
  gint64 from_us = g_date_time_to_unix (start) * G_USEC_PER_SEC;
  gint64 span_us = g_date_time_to_unix (end) * G_USEC_PER_SEC - from_us;
  g_autofree char *sql = NULL;

  if (n_events <= 0)
    return;
  sql = g_strdup_printf (
      "BEGIN;"
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %1$" G_GINT64_FORMAT
      " - 1)"
      " INSERT INTO journal (time_us, kind, payload)"
      " SELECT %2$" G_GINT64_FORMAT " + i * (%3$" G_GINT64_FORMAT " / %1$" G_GINT64_FORMAT "),"
      "  CASE i %% 10 WHEN 0 THEN 'lesson.taught' WHEN 1 THEN 'class.joined'"
      "   WHEN 2 THEN 'student.hand-in' WHEN 3 THEN 'student.resource.opened'"
      "   WHEN 4 THEN 'resource.closed' WHEN 5 THEN 'resource.closed'"
      "   ELSE 'resource.opened' END,"
      "  CASE i %% 10"
      "   WHEN 0 THEN json_object ('plan', 'bulk-plan-' || (i %% 50), 'class', '一年级',"
      "    'subject', '数学', 'teacher', '老师' || (i %% 7), 'pupils', 10 + i %% 5, 'seconds', "
      "2400)"
      "   WHEN 1 THEN json_object ('timetable_entry', 'bulk-' || (i %% 400), 'form',"
      "    CASE i %% 4 WHEN 0 THEN 'sync-classroom' WHEN 1 THEN 'remote-delivery'"
      "     WHEN 2 THEN 'master-classroom' ELSE 'online-research' END)"
      "   WHEN 2 THEN json_object ('mode', 'student', 'class', '一年级', 'hand_in', 'h' || i,"
      "    'size', 1000)"
      "   WHEN 3 THEN json_object ('mode', 'student', 'class', '二年级', 'resource', i %% 300,"
      "    'title', '资源 ' || (i %% 300))"
      "   WHEN 4 THEN json_object ('resource', i %% 300, 'title', '资源 ' || (i %% 300),"
      "    'seconds', 60 + i %% 600)"
      "   WHEN 5 THEN json_object ('resource', i %% 300, 'title', '资源 ' || (i %% 300),"
      "    'seconds', 60 + i %% 600)"
      "   ELSE json_object ('resource', i %% 300, 'title', '资源 ' || (i %% 300), 'kind', 'pdf')"
      "  END"
      " FROM n;"
      "COMMIT;",
      n_events, from_us, span_us);
  exec (store, sql);
}
