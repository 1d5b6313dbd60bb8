/* cx-store-catalog.h: hubs, packages, package versions and their resources */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

typedef enum
{
  CX_VERSION_AVAILABLE,
  CX_VERSION_INSTALLING,
  CX_VERSION_INSTALLED,
  CX_VERSION_SUPERSEDED,
} CxVersionState;

typedef struct
{
  gint64 id;
  char *url;
  char *public_key;
  gint64 added_at;
} CxHub;

typedef struct
{
  gint64 id;
  gint64 hub_id;
  char *package_key;
  char *title;
  char *subject;
  int grade;
  char *edition;
} CxPackage;

typedef struct
{
  gint64 id;
  gint64 version_id;
  char *title;
  char *subject;
  int grade;
  char *edition;
  char *unit;
  char *lesson;
  char *kind;
  gint64 size;
  char *hash;
  char *path;
} CxResource;

void cx_hub_free (CxHub *hub);
void cx_package_free (CxPackage *package);
void cx_resource_free (CxResource *resource);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxHub, cx_hub_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxPackage, cx_package_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxResource, cx_resource_free)

gint64 cx_store_add_hub (CxStore *self, const char *url, const char *public_key, GError **error);
GPtrArray *cx_store_list_hubs (CxStore *self, GError **error);
gint64 cx_store_save_package (CxStore *self, const CxPackage *package, GError **error);
gint64 cx_store_add_package_version (CxStore *self,
                                     gint64 package_id,
                                     gint64 version,
                                     const char *manifest_id,
                                     gint64 size,
                                     GError **error);
gboolean cx_store_set_package_version_state (CxStore *self,
                                             gint64 version_id,
                                             CxVersionState state,
                                             GError **error);
gint64 cx_store_add_resource (CxStore *self, const CxResource *resource, GError **error);
GPtrArray *cx_store_list_resources (CxStore *self, gint64 version_id, GError **error);
CxResource *
cx_store_get_resource (CxStore *self, gint64 resource_id, char **out_tree, GError **error);
gint64
cx_store_find_resource_by_path (CxStore *self, gint64 version_id, const char *path, GError **error);
GPtrArray *cx_store_search_resources (CxStore *self, const char *text, guint limit, GError **error);
char **cx_store_split_search_terms (const char *text);

typedef void (*CxResourceScanFunc) (gint64 id,
                                    const char *title,
                                    const char *subject,
                                    const char *edition,
                                    const char *unit,
                                    const char *lesson,
                                    gpointer user_data);
gboolean cx_store_scan_installed_resources (CxStore *self,
                                            CxResourceScanFunc func,
                                            gpointer user_data,
                                            GError **error);
char *cx_store_get_catalog_stamp (CxStore *self, GError **error);

G_END_DECLS
