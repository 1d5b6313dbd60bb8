/* cx-test-repo.h: published repositories and the CLI, for the install tests */
#pragma once

#include "cx-test-util.h"

G_BEGIN_DECLS

/* A signing key, a package source, the repository it is published to, a
 * hub serving that and a laptop's data folder, all under one fresh folder. */
typedef struct
{
  char *dir;
  char *src;
  char *repo;
  char *key_file;
  char *public_key;
  char *data_dir;
  GSubprocess *hub;
  char *hub_url;
} CxTestRepo;

typedef void (*CxTestRepoFunc) (CxTestRepo *repo, gconstpointer data);

void cx_test_repo_init (CxTestRepo *repo);
void cx_test_repo_serve (CxTestRepo *repo, const char *repository_id);
void cx_test_repo_tear_down (CxTestRepo *repo, gconstpointer data);
void cx_test_repo_add (const char *path, CxTestRepoFunc set_up, CxTestRepoFunc test);

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
