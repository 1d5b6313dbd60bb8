/* cx-resource-kind.c: file name extensions to the kinds the library shows */
#include "config.h"

#include <string.h>

#include "cx-resource-kind.h"

static const struct
{
  const char *extension;
  const char *kind;
} kinds[] = {
  { "pdf", "pdf" },    { "png", "image" },  { "jpg", "image" },  { "jpeg", "image" },
  { "gif", "image" },  { "webp", "image" }, { "svg", "image" },  { "mp4", "video" },
  { "webm", "video" }, { "mkv", "video" },  { "ogv", "video" },  { "mp3", "audio" },
  { "ogg", "audio" },  { "oga", "audio" },  { "opus", "audio" }, { "wav", "audio" },
  { "m4a", "audio" },  { "html", "html" },  { "htm", "html" },   { "txt", "text" },
  { "md", "text" },    { "json", "data" },
};

/**
 * cx_resource_kind_for_path:
 *
 * Returns: one of "pdf", "image", "video", "audio", "html", "text", "data"
 *   or "file", by @path's extension (any case)
 */
const char *
cx_resource_kind_for_path (const char *path)
{
  const char *slash = strrchr (path, '/');
  const char *dot = strrchr (slash != NULL ? slash : path, '.');

  if (dot == NULL)
    return "file";

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_ascii_strcasecmp (dot + 1, kinds[i].extension) == 0)
      return kinds[i].kind;

  return "file";
}
