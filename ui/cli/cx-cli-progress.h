/* cx-cli-progress.h: install progress on a terminal, or as plain lines */
#pragma once

#include "cx-installer.h"

G_BEGIN_DECLS

typedef struct _CxCliProgress CxCliProgress;

CxCliProgress *cx_cli_progress_new (void);
void cx_cli_progress_free (CxCliProgress *self);
void cx_cli_progress_update (const CxInstallProgress *progress, gpointer user_data);
void cx_cli_progress_finish (CxCliProgress *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxCliProgress, cx_cli_progress_free)

G_END_DECLS
