/* cx-resource-kind.h: what sort of resource a file is, by its name */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *cx_resource_kind_for_path (const char *path);

G_END_DECLS
