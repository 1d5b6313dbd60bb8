/* cx-manifest.c: building, storing and reading package-version manifests
 *
 * Stored form (sync/PROTOCOL.md §5): one zstd frame, with its content size
 * in the frame header, holding compact UTF-8 JSON.  The manifest id is the
 * SHA-256 of the stored bytes, checked before decompression so untrusted
 * data never reaches zstd or the JSON parser.  Hex chunk ids compress back
 * to about their binary size, so JSON costs little on the wire and a
 * second implementation needs no custom parser.
 */
#include "config.h"

#include <string.h>

#include <zstd.h>

#include <glib/gi18n-lib.h>

#include "cx-json-private.h"
#include "cx-manifest.h"
#include "cx-pack.h"
#include "cx-repo-index.h"
#include "cx-sync-error.h"

#define MAX_TEXT_LEN 4096

struct _CxManifest
{
  GObject parent_instance;

  char *package_id;
  guint64 version;
  char *title;
  char *subject;
  char *grade;
  char *edition;
  GPtrArray *files;    /* CxManifestFile, sorted by path when serialized or parsed */
  GHashTable *by_path; /* path → CxManifestFile */
  GArray *packs;       /* CxChunkId */
  GPtrArray *units;    /* CxManifestUnit */
};

G_DEFINE_FINAL_TYPE (CxManifest, cx_manifest, G_TYPE_OBJECT)

static void
manifest_file_free (CxManifestFile *file)
{
  g_free (file->path);
  g_array_unref (file->chunks);
  g_free (file);
}

static void
manifest_lesson_free (CxManifestLesson *lesson)
{
  g_free (lesson->id);
  g_free (lesson->title);
  g_ptr_array_unref (lesson->files);
  g_free (lesson);
}

static void
manifest_unit_free (CxManifestUnit *unit)
{
  g_free (unit->id);
  g_free (unit->title);
  g_ptr_array_unref (unit->files);
  g_ptr_array_unref (unit->lessons);
  g_free (unit);
}

static void
cx_manifest_finalize (GObject *object)
{
  CxManifest *self = CX_MANIFEST (object);

  g_free (self->package_id);
  g_free (self->title);
  g_free (self->subject);
  g_free (self->grade);
  g_free (self->edition);
  g_clear_pointer (&self->by_path, g_hash_table_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->packs, g_array_unref);
  g_clear_pointer (&self->units, g_ptr_array_unref);

  G_OBJECT_CLASS (cx_manifest_parent_class)->finalize (object);
}

static void
cx_manifest_class_init (CxManifestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_manifest_finalize;
}

static void
cx_manifest_init (CxManifest *self)
{
  self->title = g_strdup ("");
  self->subject = g_strdup ("");
  self->grade = g_strdup ("");
  self->edition = g_strdup ("");
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) manifest_file_free);
  self->by_path = g_hash_table_new (g_str_hash, g_str_equal);
  self->packs = g_array_new (FALSE, FALSE, sizeof (CxChunkId));
  self->units = g_ptr_array_new_with_free_func ((GDestroyNotify) manifest_unit_free);
}

static gboolean
bad_path (GError **error, const char *reason)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_PATH, _ ("Unsafe path in package: %s"),
               reason);
  return FALSE;
}

/**
 * cx_manifest_validate_path:
 * @length: the byte length of @path, or -1 if it is NUL-terminated; an
 *   explicit length lets a NUL inside the path be caught
 *
 * Accepts only relative paths that stay inside the package root on every
 * system a package may be unpacked on: valid UTF-8, "/"-separated, no
 * empty, "." or ".." components, no leading "/", no backslash, no ":"
 * (drive letters and NTFS streams), no control characters or NUL, at most
 * 255 bytes per component and 4096 in all.
 */
gboolean
cx_manifest_validate_path (const char *path, gssize length, GError **error)
{
  gsize len;
  gsize start = 0;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  len = length < 0 ? strlen (path) : (gsize) length;
  if (len == 0)
    return bad_path (error, _ ("the path is empty"));
  if (len > CX_MANIFEST_MAX_PATH)
    return bad_path (error, _ ("the path is too long"));
  if (memchr (path, '\0', len) != NULL)
    return bad_path (error, _ ("the path contains a NUL byte"));
  if (!g_utf8_validate_len (path, len, NULL))
    return bad_path (error, _ ("the path is not valid UTF-8"));
  if (path[0] == '/')
    return bad_path (error, _ ("the path is absolute"));

  for (gsize i = 0; i <= len; i++)
    {
      gsize component_len;

      if (i < len)
        {
          guchar c = (guchar) path[i];

          if (c == '\\')
            return bad_path (error, _ ("the path contains a backslash"));
          if (c == ':')
            return bad_path (error, _ ("the path contains a colon"));
          if (c < 0x20 || c == 0x7f)
            return bad_path (error, _ ("the path contains a control character"));
          if (c != '/')
            continue;
        }

      component_len = i - start;
      if (component_len == 0)
        return bad_path (error, _ ("the path has an empty component"));
      if (component_len > CX_MANIFEST_MAX_COMPONENT)
        return bad_path (error, _ ("a path component is too long"));
      if ((component_len == 1 && path[start] == '.') ||
          (component_len == 2 && path[start] == '.' && path[start + 1] == '.'))
        return bad_path (error, _ ("the path contains “.” or “..”"));
      start = i + 1;
    }

  return TRUE;
}

CxManifest *
cx_manifest_new (const char *package_id, guint64 version)
{
  CxManifest *self;

  g_return_val_if_fail (package_id != NULL, NULL);
  g_return_val_if_fail (version > 0 && version <= CX_JSON_MAX_INT, NULL);

  self = g_object_new (CX_TYPE_MANIFEST, NULL);
  self->package_id = g_strdup (package_id);
  self->version = version;
  return self;
}

void
cx_manifest_set_metadata (CxManifest *self,
                          const char *title,
                          const char *subject,
                          const char *grade,
                          const char *edition)
{
  g_return_if_fail (CX_IS_MANIFEST (self));

  g_free (self->title);
  self->title = g_strdup (title != NULL ? title : "");
  g_free (self->subject);
  self->subject = g_strdup (subject != NULL ? subject : "");
  g_free (self->grade);
  self->grade = g_strdup (grade != NULL ? grade : "");
  g_free (self->edition);
  self->edition = g_strdup (edition != NULL ? edition : "");
}

/* A file "a" and a file "a/b" cannot both exist on disk. */
static gboolean
check_no_dir_conflict (CxManifest *self, const char *path, GError **error)
{
  for (const char *slash = strchr (path, '/'); slash != NULL; slash = strchr (slash + 1, '/'))
    {
      g_autofree char *prefix = g_strndup (path, (gsize) (slash - path));

      if (g_hash_table_contains (self->by_path, prefix))
        return bad_path (error, _ ("a file is also used as a directory"));
    }
  return TRUE;
}

static gboolean
insert_file (CxManifest *self, CxManifestFile *file, GError **error)
{
  if (g_hash_table_contains (self->by_path, file->path))
    {
      manifest_file_free (file);
      return bad_path (error, _ ("two files have the same path"));
    }
  g_ptr_array_add (self->files, file);
  g_hash_table_insert (self->by_path, file->path, file);
  return TRUE;
}

static gboolean
check_mode (guint64 mode, GError **error)
{
  /* Permission bits only: no set-id, sticky or file-type bits. */
  if (mode > 0777)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                   _ ("Malformed document: file mode %o is not allowed"), (guint) mode);
      return FALSE;
    }
  return TRUE;
}

/**
 * cx_manifest_add_file:
 * @chunks: (array length=n_chunks): the file's chunks in order
 *
 * The file size is the sum of the chunk sizes.
 */
gboolean
cx_manifest_add_file (CxManifest *self,
                      const char *path,
                      guint32 mode,
                      const CxChunkId *sha256,
                      const CxChunkRef *chunks,
                      guint n_chunks,
                      GError **error)
{
  CxManifestFile *file;

  g_return_val_if_fail (CX_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);
  g_return_val_if_fail (chunks != NULL || n_chunks == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cx_manifest_validate_path (path, -1, error) || !check_mode (mode, error))
    return FALSE;

  file = g_new0 (CxManifestFile, 1);
  file->path = g_strdup (path);
  file->mode = mode;
  file->sha256 = *sha256;
  file->chunks = g_array_sized_new (FALSE, FALSE, sizeof (CxChunkRef), n_chunks);
  for (guint i = 0; i < n_chunks; i++)
    {
      g_return_val_if_fail (chunks[i].size > 0 && chunks[i].size <= CX_PACK_MAX_CHUNK_SIZE,
                            (manifest_file_free (file), FALSE));
      file->size += chunks[i].size;
    }
  g_array_append_vals (file->chunks, chunks, n_chunks);

  return insert_file (self, file, error);
}

/**
 * cx_manifest_add_pack:
 *
 * Names a pack (by the SHA-256 of its index) that holds chunks of this
 * version; packs of earlier versions may be named too.
 */
void
cx_manifest_add_pack (CxManifest *self, const CxChunkId *pack_id)
{
  g_return_if_fail (CX_IS_MANIFEST (self));
  g_return_if_fail (pack_id != NULL);

  for (guint i = 0; i < self->packs->len; i++)
    if (cx_chunk_id_equal (&g_array_index (self->packs, CxChunkId, i), pack_id))
      return;
  g_array_append_val (self->packs, *pack_id);
}

static CxManifestUnit *
find_unit (CxManifest *self, const char *unit_id)
{
  for (guint i = 0; i < self->units->len; i++)
    {
      CxManifestUnit *unit = g_ptr_array_index (self->units, i);

      if (strcmp (unit->id, unit_id) == 0)
        return unit;
    }
  return NULL;
}

static GPtrArray *
strv_to_array (const char *const *files)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; files != NULL && files[i] != NULL; i++)
    g_ptr_array_add (array, g_strdup (files[i]));
  return array;
}

static gboolean
bad_tree (GError **error, const char *id)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
               _ ("Malformed document: unit or lesson “%s” is a duplicate or names a file that "
                  "is not in the package"),
               id);
  return FALSE;
}

static gboolean
check_file_refs (CxManifest *self, GPtrArray *files, const char *id)
{
  for (guint i = 0; i < files->len; i++)
    if (!g_hash_table_contains (self->by_path, g_ptr_array_index (files, i)))
      return FALSE;
  return TRUE;
}

/**
 * cx_manifest_add_unit:
 * @files: (nullable) (array zero-terminated=1): files of the unit itself
 *
 * Files must be added before the units and lessons that name them.
 */
gboolean
cx_manifest_add_unit (CxManifest *self,
                      const char *unit_id,
                      const char *title,
                      const char *const *files,
                      GError **error)
{
  g_autoptr (GPtrArray) paths = NULL;
  CxManifestUnit *unit;

  g_return_val_if_fail (CX_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (unit_id != NULL, FALSE);
  g_return_val_if_fail (title != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cx_repo_validate_id (unit_id, error))
    return FALSE;
  paths = strv_to_array (files);
  if (find_unit (self, unit_id) != NULL || !check_file_refs (self, paths, unit_id))
    return bad_tree (error, unit_id);

  unit = g_new0 (CxManifestUnit, 1);
  unit->id = g_strdup (unit_id);
  unit->title = g_strdup (title);
  unit->files = g_steal_pointer (&paths);
  unit->lessons = g_ptr_array_new_with_free_func ((GDestroyNotify) manifest_lesson_free);
  g_ptr_array_add (self->units, unit);
  return TRUE;
}

gboolean
cx_manifest_add_lesson (CxManifest *self,
                        const char *unit_id,
                        const char *lesson_id,
                        const char *title,
                        const char *const *files,
                        GError **error)
{
  g_autoptr (GPtrArray) paths = NULL;
  CxManifestUnit *unit;
  CxManifestLesson *lesson;

  g_return_val_if_fail (CX_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (unit_id != NULL, FALSE);
  g_return_val_if_fail (lesson_id != NULL, FALSE);
  g_return_val_if_fail (title != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cx_repo_validate_id (lesson_id, error))
    return FALSE;
  unit = find_unit (self, unit_id);
  paths = strv_to_array (files);
  if (unit == NULL || !check_file_refs (self, paths, lesson_id))
    return bad_tree (error, lesson_id);
  for (guint i = 0; i < unit->lessons->len; i++)
    if (strcmp (((CxManifestLesson *) g_ptr_array_index (unit->lessons, i))->id, lesson_id) == 0)
      return bad_tree (error, lesson_id);

  lesson = g_new0 (CxManifestLesson, 1);
  lesson->id = g_strdup (lesson_id);
  lesson->title = g_strdup (title);
  lesson->files = g_steal_pointer (&paths);
  g_ptr_array_add (unit->lessons, lesson);
  return TRUE;
}

static int
compare_file_path (gconstpointer a, gconstpointer b)
{
  const CxManifestFile *fa = *(CxManifestFile *const *) a;
  const CxManifestFile *fb = *(CxManifestFile *const *) b;

  return strcmp (fa->path, fb->path);
}

static void
add_path_list (JsonBuilder *builder, GPtrArray *files)
{
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (files, i));
  json_builder_end_array (builder);
}

/**
 * cx_manifest_serialize:
 *
 * Returns: (transfer full): the stored form; its SHA-256 is the manifest id
 */
GBytes *
cx_manifest_serialize (CxManifest *self, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree guint8 *compressed = NULL;
  gsize json_len;
  size_t bound, n;

  g_return_val_if_fail (CX_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < self->files->len; i++)
    if (!check_no_dir_conflict (self, ((CxManifestFile *) g_ptr_array_index (self->files, i))->path,
                                error))
      return NULL;
  g_ptr_array_sort (self->files, compare_file_path);

  json_builder_begin_object (builder);
  _cx_json_add_int_member (builder, "format", CX_MANIFEST_FORMAT);
  json_builder_set_member_name (builder, "package");
  json_builder_begin_object (builder);
  _cx_json_add_string_member (builder, "id", self->package_id);
  _cx_json_add_int_member (builder, "version", self->version);
  _cx_json_add_string_member (builder, "title", self->title);
  _cx_json_add_string_member (builder, "subject", self->subject);
  _cx_json_add_string_member (builder, "grade", self->grade);
  _cx_json_add_string_member (builder, "edition", self->edition);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "packs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->packs->len; i++)
    {
      char hex[CX_CHUNK_ID_HEX_LEN + 1];

      cx_chunk_id_to_hex_buf (&g_array_index (self->packs, CxChunkId, i), hex);
      json_builder_add_string_value (builder, hex);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->files->len; i++)
    {
      const CxManifestFile *file = g_ptr_array_index (self->files, i);
      char hex[CX_CHUNK_ID_HEX_LEN + 1];

      json_builder_begin_object (builder);
      _cx_json_add_string_member (builder, "path", file->path);
      _cx_json_add_int_member (builder, "mode", file->mode);
      _cx_json_add_int_member (builder, "size", file->size);
      _cx_json_add_id_member (builder, "sha256", &file->sha256);
      json_builder_set_member_name (builder, "chunks");
      json_builder_begin_array (builder);
      for (guint j = 0; j < file->chunks->len; j++)
        {
          const CxChunkRef *ref = &g_array_index (file->chunks, CxChunkRef, j);

          cx_chunk_id_to_hex_buf (&ref->id, hex);
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, hex);
          json_builder_add_int_value (builder, ref->size);
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "units");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->units->len; i++)
    {
      const CxManifestUnit *unit = g_ptr_array_index (self->units, i);

      json_builder_begin_object (builder);
      _cx_json_add_string_member (builder, "id", unit->id);
      _cx_json_add_string_member (builder, "title", unit->title);
      add_path_list (builder, unit->files);
      json_builder_set_member_name (builder, "lessons");
      json_builder_begin_array (builder);
      for (guint j = 0; j < unit->lessons->len; j++)
        {
          const CxManifestLesson *lesson = g_ptr_array_index (unit->lessons, j);

          json_builder_begin_object (builder);
          _cx_json_add_string_member (builder, "id", lesson->id);
          _cx_json_add_string_member (builder, "title", lesson->title);
          add_path_list (builder, lesson->files);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = _cx_json_to_data (root, &json_len);
  if (json_len > CX_MANIFEST_MAX_SIZE)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                           _ ("The manifest is larger than the limit; split the package"));
      return NULL;
    }

  bound = ZSTD_compressBound (json_len);
  compressed = g_malloc (bound);
  n = ZSTD_compress (compressed, bound, json, json_len, 19);
  if (ZSTD_isError (n))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED, _ ("Compression failed: %s"),
                   ZSTD_getErrorName (n));
      return NULL;
    }
  if (n > CX_MANIFEST_MAX_STORED_SIZE)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                           _ ("The manifest is larger than the limit; split the package"));
      return NULL;
    }

  return g_bytes_new_take (g_realloc (g_steal_pointer (&compressed), n), n);
}

static gboolean
parse_text (JsonObject *object, const char *member, char **out, GError **error)
{
  const char *value;

  if (!_cx_json_get_string (object, member, TRUE, &value, error))
    return FALSE;
  if (strlen (value) > MAX_TEXT_LEN)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                   _ ("Malformed document: “%s” is out of range"), member);
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (value);
  return TRUE;
}

static gboolean
parse_hex_id (JsonNode *node, const char *member, CxChunkId *out, GError **error)
{
  const char *hex;

  if (!_cx_json_node_get_string (node, member, &hex, error))
    return FALSE;
  if (!cx_chunk_id_from_hex (hex, out))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                   _ ("Malformed document: “%s” is not a SHA-256 in hex"), member);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_file (CxManifest *self, JsonObject *object, GError **error)
{
  CxManifestFile *file;
  const char *path;
  guint64 mode, size, total = 0;
  JsonArray *chunks;
  CxChunkId sha256;

  if (!_cx_json_get_string (object, "path", TRUE, &path, error) ||
      !cx_manifest_validate_path (path, -1, error) ||
      !_cx_json_get_uint (object, "mode", G_MAXUINT32, &mode, error) || !check_mode (mode, error) ||
      !_cx_json_get_uint (object, "size", CX_JSON_MAX_INT, &size, error) ||
      !parse_hex_id (json_object_get_member (object, "sha256"), "sha256", &sha256, error))
    return FALSE;
  chunks = _cx_json_get_array (object, "chunks", TRUE, error);
  if (chunks == NULL)
    return FALSE;

  file = g_new0 (CxManifestFile, 1);
  file->path = g_strdup (path);
  file->mode = (guint32) mode;
  file->size = size;
  file->sha256 = sha256;
  file->chunks =
      g_array_sized_new (FALSE, FALSE, sizeof (CxChunkRef), json_array_get_length (chunks));
  if (!insert_file (self, file, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (chunks); i++)
    {
      JsonNode *node = json_array_get_element (chunks, i);
      JsonArray *pair;
      CxChunkRef ref;
      guint64 chunk_size;

      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) != 2)
        {
          g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                               _ ("Malformed document: a chunk entry is not an [id, size] pair"));
          return FALSE;
        }
      pair = json_node_get_array (node);
      if (!parse_hex_id (json_array_get_element (pair, 0), "chunks", &ref.id, error) ||
          !_cx_json_node_get_uint (json_array_get_element (pair, 1), "chunks",
                                   CX_PACK_MAX_CHUNK_SIZE, &chunk_size, error))
        return FALSE;
      if (chunk_size == 0)
        {
          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                       _ ("Malformed document: “%s” is out of range"), "chunks");
          return FALSE;
        }
      ref.size = (guint32) chunk_size;
      total += chunk_size;
      g_array_append_val (file->chunks, ref);
    }

  if (total != size)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                   _ ("Malformed document: the chunks of “%s” do not add up to its size"), path);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
parse_path_list (CxManifest *self, JsonObject *object, const char *owner_id, GError **error)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  JsonArray *files = _cx_json_get_array (object, "files", FALSE, error);

  if (files == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      const char *path;

      if (!_cx_json_node_get_string (json_array_get_element (files, i), "files", &path, error))
        return NULL;
      g_ptr_array_add (paths, g_strdup (path));
    }
  if (!check_file_refs (self, paths, owner_id))
    {
      bad_tree (error, owner_id);
      return NULL;
    }
  return g_steal_pointer (&paths);
}

static gboolean
parse_units (CxManifest *self, JsonObject *root, GError **error)
{
  JsonArray *units = _cx_json_get_array (root, "units", FALSE, error);

  if (units == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (units); i++)
    {
      JsonObject *uobj = _cx_json_array_get_object (units, i, "units", error);
      g_autoptr (GPtrArray) files = NULL;
      JsonArray *lessons;
      const char *id, *title;

      if (uobj == NULL || !_cx_json_get_string (uobj, "id", TRUE, &id, error) ||
          !_cx_json_get_string (uobj, "title", TRUE, &title, error))
        return FALSE;
      files = parse_path_list (self, uobj, id, error);
      if (files == NULL)
        return FALSE;
      if (!cx_manifest_add_unit (self, id, title, NULL, error))
        return FALSE;
      g_ptr_array_extend_and_steal (((CxManifestUnit *) g_ptr_array_index (self->units, i))->files,
                                    g_steal_pointer (&files));

      lessons = _cx_json_get_array (uobj, "lessons", FALSE, error);
      if (lessons == NULL)
        return FALSE;
      for (guint j = 0; j < json_array_get_length (lessons); j++)
        {
          JsonObject *lobj = _cx_json_array_get_object (lessons, j, "lessons", error);
          g_autoptr (GPtrArray) lesson_files = NULL;
          const char *lesson_id, *lesson_title;
          CxManifestUnit *unit;

          if (lobj == NULL || !_cx_json_get_string (lobj, "id", TRUE, &lesson_id, error) ||
              !_cx_json_get_string (lobj, "title", TRUE, &lesson_title, error))
            return FALSE;
          lesson_files = parse_path_list (self, lobj, lesson_id, error);
          if (lesson_files == NULL ||
              !cx_manifest_add_lesson (self, id, lesson_id, lesson_title, NULL, error))
            return FALSE;
          unit = g_ptr_array_index (self->units, i);
          g_ptr_array_extend_and_steal (
              ((CxManifestLesson *) g_ptr_array_index (unit->lessons, j))->files,
              g_steal_pointer (&lesson_files));
        }
    }
  return TRUE;
}

static gboolean
parse_manifest (CxManifest *self, const char *json, gsize length, GError **error)
{
  g_autoptr (JsonNode) root_node = NULL;
  JsonObject *root, *package;
  JsonArray *packs, *files;
  const char *package_id;
  guint64 format;

  root_node = _cx_json_parse_document (json, length, &format, error);
  if (root_node == NULL)
    return FALSE;
  root = json_node_get_object (root_node);
  if (format != CX_MANIFEST_FORMAT)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNSUPPORTED_VERSION,
                   _ ("The manifest has format %u; this version of Cunxiao reads format %d"),
                   (guint) format, CX_MANIFEST_FORMAT);
      return FALSE;
    }

  package = _cx_json_get_object (root, "package", error);
  if (package == NULL || !_cx_json_get_string (package, "id", TRUE, &package_id, error) ||
      !cx_repo_validate_id (package_id, error) ||
      !_cx_json_get_uint (package, "version", CX_JSON_MAX_INT, &self->version, error) ||
      !parse_text (package, "title", &self->title, error) ||
      !parse_text (package, "subject", &self->subject, error) ||
      !parse_text (package, "grade", &self->grade, error) ||
      !parse_text (package, "edition", &self->edition, error))
    return FALSE;
  self->package_id = g_strdup (package_id);

  packs = _cx_json_get_array (root, "packs", TRUE, error);
  if (packs == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (packs); i++)
    {
      CxChunkId pack_id;

      if (!parse_hex_id (json_array_get_element (packs, i), "packs", &pack_id, error))
        return FALSE;
      g_array_append_val (self->packs, pack_id);
    }

  files = _cx_json_get_array (root, "files", TRUE, error);
  if (files == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonObject *fobj = _cx_json_array_get_object (files, i, "files", error);

      if (fobj == NULL || !parse_file (self, fobj, error))
        return FALSE;
      /* Sorted by path: one canonical order, duplicates impossible. */
      if (i > 0 && compare_file_path (&g_ptr_array_index (self->files, i - 1),
                                      &g_ptr_array_index (self->files, i)) >= 0)
        {
          g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                               _ ("Malformed document: files are not sorted by path"));
          return FALSE;
        }
    }
  for (guint i = 0; i < self->files->len; i++)
    if (!check_no_dir_conflict (self, ((CxManifestFile *) g_ptr_array_index (self->files, i))->path,
                                error))
      return FALSE;

  return parse_units (self, root, error);
}

/**
 * cx_manifest_new_from_bytes:
 * @data: the stored manifest, as fetched
 * @expected_id: (nullable): the id the signed index names; when given, it is
 *   checked before anything else is done with @data
 *
 * Returns: (transfer full): the manifest, or %NULL
 */
CxManifest *
cx_manifest_new_from_bytes (GBytes *data, const CxChunkId *expected_id, GError **error)
{
  g_autoptr (CxManifest) self = NULL;
  g_autofree char *json = NULL;
  const guint8 *bytes;
  gsize length;
  unsigned long long content_size;
  size_t n;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_cx_sync_ensure_sodium (error))
    return NULL;

  bytes = g_bytes_get_data (data, &length);
  if (length > CX_MANIFEST_MAX_STORED_SIZE)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                           _ ("The manifest is larger than the limit"));
      return NULL;
    }
  if (bytes == NULL)
    bytes = (const guint8 *) "";

  if (expected_id != NULL)
    {
      CxChunkId actual;

      cx_chunk_id_compute (bytes, length, &actual);
      if (!cx_chunk_id_equal (&actual, expected_id))
        {
          g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                               _ ("The manifest does not match the checksum in the signed index"));
          return NULL;
        }
    }

  content_size = ZSTD_getFrameContentSize (bytes, length);
  if (content_size == ZSTD_CONTENTSIZE_ERROR || content_size == ZSTD_CONTENTSIZE_UNKNOWN ||
      ZSTD_findFrameCompressedSize (bytes, length) != length)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                           _ ("The manifest is not a single zstd frame with a known size"));
      return NULL;
    }
  if (content_size > CX_MANIFEST_MAX_SIZE)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                           _ ("The manifest is larger than the limit"));
      return NULL;
    }

  json = g_malloc (content_size + 1);
  n = ZSTD_decompress (json, content_size, bytes, length);
  if (ZSTD_isError (n) || n != content_size)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                           _ ("The manifest could not be decompressed"));
      return NULL;
    }
  json[n] = '\0';

  self = g_object_new (CX_TYPE_MANIFEST, NULL);
  if (!parse_manifest (self, json, n, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cx_manifest_get_package_id (CxManifest *self)
{
  g_return_val_if_fail (CX_IS_MANIFEST (self), NULL);
  return self->package_id;
}

guint64
cx_manifest_get_version (CxManifest *self)
{
  g_return_val_if_fail (CX_IS_MANIFEST (self), 0);
  return self->version;
}

const char *
cx_manifest_get_title (CxManifest *self)
{
  g_return_val_if_fail (CX_IS_MANIFEST (self), NULL);
  return self->title;
}

const char *
cx_manifest_get_subject (CxManifest *self)
{
  g_return_val_if_fail (CX_IS_MANIFEST (self), NULL);
  return self->subject;
}

const char *
cx_manifest_get_grade (CxManifest *self)
{
  g_return_val_if_fail (CX_IS_MANIFEST (self), NULL);
  return self->grade;
}

const char *
cx_manifest_get_edition (CxManifest *self)
{
  g_return_val_if_fail (CX_IS_MANIFEST (self), NULL);
  return self->edition;
}

/**
 * cx_manifest_get_files:
 *
 * Returns: (transfer none) (element-type CxManifestFile): the files
 */
GPtrArray *
cx_manifest_get_files (CxManifest *self)
{
  g_return_val_if_fail (CX_IS_MANIFEST (self), NULL);
  return self->files;
}

const CxManifestFile *
cx_manifest_lookup_file (CxManifest *self, const char *path)
{
  g_return_val_if_fail (CX_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  return g_hash_table_lookup (self->by_path, path);
}

/**
 * cx_manifest_get_packs:
 *
 * Returns: (transfer none) (element-type CxChunkId): pack ids
 */
GArray *
cx_manifest_get_packs (CxManifest *self)
{
  g_return_val_if_fail (CX_IS_MANIFEST (self), NULL);
  return self->packs;
}

/**
 * cx_manifest_get_units:
 *
 * Returns: (transfer none) (element-type CxManifestUnit): the course tree
 */
GPtrArray *
cx_manifest_get_units (CxManifest *self)
{
  g_return_val_if_fail (CX_IS_MANIFEST (self), NULL);
  return self->units;
}

guint64
cx_manifest_get_install_size (CxManifest *self)
{
  guint64 total = 0;

  g_return_val_if_fail (CX_IS_MANIFEST (self), 0);

  for (guint i = 0; i < self->files->len; i++)
    total += ((CxManifestFile *) g_ptr_array_index (self->files, i))->size;
  return total;
}
