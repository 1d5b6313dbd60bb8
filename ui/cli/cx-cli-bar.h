/* cx-cli-bar.h: a progress bar on standard error, when it is a terminal */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CxCliBar CxCliBar;

CxCliBar *cx_cli_bar_new (const char *label);
void cx_cli_bar_update (guint64 done, guint64 total, gpointer user_data);
void cx_cli_bar_free (CxCliBar *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxCliBar, cx_cli_bar_free)

G_END_DECLS
