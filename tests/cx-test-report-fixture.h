/* cx-test-report-fixture.h: a store whose October 2026 is known, for the report tests */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

#define CX_TEST_REPORT_YEAR  2026
#define CX_TEST_REPORT_MONTH 10

/* The timetable entries: 同步课堂, 专递课堂, 名师课堂 from the district, 网络研修 the school's. */
#define CX_TEST_REPORT_T1 "11111111-1111-4111-8111-111111111111"
#define CX_TEST_REPORT_T2 "22222222-2222-4222-8222-222222222222"
#define CX_TEST_REPORT_T3 "33333333-3333-4333-8333-333333333333"
#define CX_TEST_REPORT_T4 "44444444-4444-4444-8444-444444444444"

void cx_test_report_fixture_fill (CxStore *store);
void cx_test_report_fixture_add_bulk (CxStore *store, int year, int month, gint64 n_events);

G_END_DECLS
