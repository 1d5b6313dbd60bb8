/* cx-test-util.h: helpers the tests share */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

char *cx_test_make_dir (void);
CxStore *cx_test_new_store (char **out_dir);
GSubprocess *cx_test_start_hub (const char *repo_dir, char **out_base_url);
char *cx_test_stop_hub (GSubprocess *hub);

G_END_DECLS
