/* cx-i18n.h: locale and translation set-up shared by the programs */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void cx_i18n_init (void);

G_END_DECLS
