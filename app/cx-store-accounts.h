/* cx-store-accounts.h: people who use this device, and their roles */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

typedef enum
{
  CX_ROLE_TEACHER,
  CX_ROLE_STUDENT,
  CX_ROLE_ADMIN,
} CxRole;

typedef struct
{
  gint64 id;
  char *name;
  CxRole role;
  gboolean has_pin;
  gint64 created_at;
} CxAccount;

void cx_account_free (CxAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxAccount, cx_account_free)

const char *cx_role_to_string (CxRole role);
const char *cx_role_get_label (CxRole role);
gboolean cx_role_from_string (const char *text, CxRole *out_role);

gint64 cx_store_add_account (
    CxStore *self, const char *name, CxRole role, const char *pin, GError **error);
CxAccount *cx_store_find_account (CxStore *self, const char *name, GError **error);
GPtrArray *cx_store_list_accounts (CxStore *self, GError **error);
gboolean
cx_store_set_account_pin (CxStore *self, const char *name, const char *pin, GError **error);
gboolean
cx_store_verify_account_pin (CxStore *self, const char *name, const char *pin, GError **error);

G_END_DECLS
