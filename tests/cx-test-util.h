/* cx-test-util.h: helpers the tests share */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

char *cx_test_make_dir (void);
CxStore *cx_test_new_store (char **out_dir);
GSubprocess *cx_test_spawn (const char *const *argv, GSubprocessFlags flags);
GSubprocess *cx_test_spawn_announced (const char *const *argv, const char *lead, char **out_url);
GSubprocess *cx_test_start_hub (const char *repo_dir, char **out_base_url);
GSubprocess *cx_test_start_hub_full (const char *repo_dir,
                                     const char *data_dir,
                                     guint port,
                                     char **out_base_url);
GSubprocess *cx_test_start_hub_with (const char *const *args, char **out_base_url);
char *cx_test_stop_hub (GSubprocess *hub);

int cx_test_run (const char *const *argv, char **out_stdout, char **out_stderr);
void cx_test_write_file (const char *path, const void *data, gsize length);
void cx_test_write_random_file (const char *path, gsize length, guint32 seed);
void cx_test_assert_same_tree (const char *expected, const char *actual, const char *const *skip);

G_END_DECLS
