/* cx-test-repo.h: published repositories and the CLI, for the install tests */
#pragma once

#include "cx-test-util.h"

G_BEGIN_DECLS

char *cx_test_keygen (const char *key_file);
void cx_test_publish (const char *src,
                      const char *repo,
                      const char *key_file,
                      const char *repository_id);
int cx_test_cli (const char *data_dir, char **out, char **err, const char *first, ...)
    G_GNUC_NULL_TERMINATED;
char *cx_test_installed_tree (const char *data_dir, const char *package_key);
GSubprocess *
cx_test_start_proxy (const char *upstream_url, const char *const *options, char **out_url);
void cx_test_stop_proxy (GSubprocess *proxy);

G_END_DECLS
