/* cx-test-report-fixture.h: a store whose October 2026 is known, for the report tests */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

#define CX_TEST_REPORT_YEAR  2026
#define CX_TEST_REPORT_MONTH 10

void cx_test_report_fixture_fill (CxStore *store);
void cx_test_report_fixture_add_bulk (CxStore *store, int year, int month, gint64 n_events);

G_END_DECLS
