/* cx-test-util.h: helpers the core tests share */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

char *cx_test_make_dir (void);
CxStore *cx_test_new_store (char **out_dir);

G_END_DECLS
