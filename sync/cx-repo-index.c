/* cx-repo-index.c: building, signing, and verifying the repository index
 *
 * File layout (sync/PROTOCOL.md §4): an 8-byte magic, a u32 envelope
 * format, a u32 payload length, the JSON payload, a u8 signature count and
 * that many (8-byte key id, 64-byte ed25519 signature) pairs.  Signatures
 * cover the exact bytes from the magic to the end of the payload; nothing
 * is re-serialised before verification, and the JSON is not even parsed
 * until a trusted signature has matched.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-json-private.h"
#include "cx-repo-index.h"
#include "cx-sync-error.h"

#define ENVELOPE_HEADER_LEN (CX_REPO_INDEX_MAGIC_LEN + 4 + 4)
#define SIGNATURE_ENTRY_LEN (CX_KEY_ID_LEN + CX_SIGNATURE_LEN)
#define MAX_ID_LEN          128

struct _CxRepoIndex
{
  GObject parent_instance;

  char *repository_id;
  guint64 version;
  gint64 timestamp;
  gint64 expires;
  GPtrArray *packages; /* CxRepoPackage, ascending by id */
};

G_DEFINE_FINAL_TYPE (CxRepoIndex, cx_repo_index, G_TYPE_OBJECT)

static void
repo_package_free (CxRepoPackage *package)
{
  g_free (package->id);
  g_array_unref (package->versions);
  g_free (package);
}

static CxRepoPackage *
repo_package_new (const char *id)
{
  CxRepoPackage *package = g_new0 (CxRepoPackage, 1);

  package->id = g_strdup (id);
  package->versions = g_array_new (FALSE, TRUE, sizeof (CxRepoVersion));
  return package;
}

static void
cx_repo_index_finalize (GObject *object)
{
  CxRepoIndex *self = CX_REPO_INDEX (object);

  g_clear_pointer (&self->repository_id, g_free);
  g_clear_pointer (&self->packages, g_ptr_array_unref);

  G_OBJECT_CLASS (cx_repo_index_parent_class)->finalize (object);
}

static void
cx_repo_index_class_init (CxRepoIndexClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_repo_index_finalize;
}

static void
cx_repo_index_init (CxRepoIndex *self)
{
  self->packages = g_ptr_array_new_with_free_func ((GDestroyNotify) repo_package_free);
}

static guint32
read_u32le (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static void
write_u32le (guint8 *p, guint32 value)
{
  p[0] = value & 0xff;
  p[1] = (value >> 8) & 0xff;
  p[2] = (value >> 16) & 0xff;
  p[3] = (value >> 24) & 0xff;
}

/**
 * cx_repo_validate_id:
 *
 * Repository and package ids end up in file names and URLs, so they are
 * limited to 1–128 of [A-Za-z0-9._-], starting with a letter or digit.
 */
gboolean
cx_repo_validate_id (const char *id, GError **error)
{
  gsize len;

  g_return_val_if_fail (id != NULL, FALSE);

  len = strlen (id);
  if (len == 0 || len > MAX_ID_LEN || !g_ascii_isalnum (id[0]))
    goto bad;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '.' && id[i] != '_' && id[i] != '-')
      goto bad;
  return TRUE;

bad:
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
               _ ("“%s” is not a valid identifier: use up to 128 letters, digits, “.”, “_” or “-”"),
               id);
  return FALSE;
}

/**
 * cx_repo_index_new:
 * @version: the index version; each published index must exceed the last
 * @timestamp: when it was made, in seconds since the Unix epoch
 * @expires: when clients must stop trusting it, in seconds since the epoch
 */
CxRepoIndex *
cx_repo_index_new (const char *repository_id, guint64 version, gint64 timestamp, gint64 expires)
{
  CxRepoIndex *self;

  g_return_val_if_fail (repository_id != NULL, NULL);
  g_return_val_if_fail (version > 0 && version <= CX_JSON_MAX_INT, NULL);
  g_return_val_if_fail (timestamp >= 0 && expires > timestamp, NULL);

  self = g_object_new (CX_TYPE_REPO_INDEX, NULL);
  self->repository_id = g_strdup (repository_id);
  self->version = version;
  self->timestamp = timestamp;
  self->expires = expires;
  return self;
}

static int
compare_package_id (gconstpointer a, gconstpointer b)
{
  const CxRepoPackage *pa = *(CxRepoPackage *const *) a;
  const CxRepoPackage *pb = *(CxRepoPackage *const *) b;

  return strcmp (pa->id, pb->id);
}

static int
compare_version (gconstpointer a, gconstpointer b)
{
  const CxRepoVersion *va = a;
  const CxRepoVersion *vb = b;

  return va->version < vb->version ? -1 : va->version > vb->version;
}

/**
 * cx_repo_index_add_version:
 *
 * Lists one version of a package.  The highest version of each package
 * becomes its current one.
 */
gboolean
cx_repo_index_add_version (CxRepoIndex *self,
                           const char *package_id,
                           guint64 version,
                           const CxChunkId *manifest_id,
                           guint64 manifest_size,
                           guint64 install_size,
                           GError **error)
{
  CxRepoPackage *package;
  CxRepoVersion entry = { 0 };

  g_return_val_if_fail (CX_IS_REPO_INDEX (self), FALSE);
  g_return_val_if_fail (package_id != NULL, FALSE);
  g_return_val_if_fail (manifest_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cx_repo_validate_id (package_id, error))
    return FALSE;
  if (version == 0 || version > CX_JSON_MAX_INT || manifest_size == 0 ||
      manifest_size > CX_MANIFEST_MAX_STORED_SIZE || install_size > CX_JSON_MAX_INT)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Version %llu of package “%s” has out-of-range sizes"),
                   (unsigned long long) version, package_id);
      return FALSE;
    }

  package = (CxRepoPackage *) cx_repo_index_lookup_package (self, package_id);
  if (package == NULL)
    {
      package = repo_package_new (package_id);
      g_ptr_array_add (self->packages, package);
      g_ptr_array_sort (self->packages, compare_package_id);
    }
  if (cx_repo_package_lookup_version (package, version) != NULL)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Version %llu of package “%s” is already listed"),
                   (unsigned long long) version, package_id);
      return FALSE;
    }

  entry.version = version;
  entry.manifest_id = *manifest_id;
  entry.manifest_size = manifest_size;
  entry.install_size = install_size;
  g_array_append_val (package->versions, entry);
  g_array_sort (package->versions, compare_version);
  package->current = MAX (package->current, version);

  return TRUE;
}

/* The rules of PROTOCOL.md §4.2 for one delta descriptor of @version. */
static gboolean
delta_is_valid (const CxRepoDelta *delta, guint64 version)
{
  return delta->from >= 1 && delta->from < version &&
         cx_delta_index_size_is_valid (delta->index_size) && delta->size >= 1 &&
         delta->size <= CX_JSON_MAX_INT;
}

/**
 * cx_repo_index_add_delta:
 * @delta: a delta from an earlier version to @version, which must already
 *   be listed
 *
 * Offers a delta (PROTOCOL.md §7) for a listed version; at most
 * %CX_REPO_MAX_DELTAS, one per base version, kept in base version order.
 */
gboolean
cx_repo_index_add_delta (CxRepoIndex *self,
                         const char *package_id,
                         guint64 version,
                         const CxRepoDelta *delta,
                         GError **error)
{
  const CxRepoPackage *package;
  CxRepoVersion *entry;
  guint at;

  g_return_val_if_fail (CX_IS_REPO_INDEX (self), FALSE);
  g_return_val_if_fail (package_id != NULL, FALSE);
  g_return_val_if_fail (delta != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  package = cx_repo_index_lookup_package (self, package_id);
  entry =
      package != NULL ? (CxRepoVersion *) cx_repo_package_lookup_version (package, version) : NULL;
  if (entry == NULL || !delta_is_valid (delta, version) || entry->n_deltas >= CX_REPO_MAX_DELTAS ||
      cx_repo_version_lookup_delta (entry, delta->from) != NULL)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("A delta from version %llu to version %llu of package “%s” is invalid, "
                      "listed twice or one too many"),
                   (unsigned long long) delta->from, (unsigned long long) version, package_id);
      return FALSE;
    }

  for (at = entry->n_deltas; at > 0 && entry->deltas[at - 1].from > delta->from; at--)
    entry->deltas[at] = entry->deltas[at - 1];
  entry->deltas[at] = *delta;
  entry->n_deltas++;
  return TRUE;
}

/**
 * cx_repo_index_serialize:
 *
 * Returns: (transfer full): the JSON payload, to be sealed with signatures
 */
GBytes *
cx_repo_index_serialize (CxRepoIndex *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  char *data;
  gsize length;

  g_return_val_if_fail (CX_IS_REPO_INDEX (self), NULL);

  json_builder_begin_object (builder);
  _cx_json_add_int_member (builder, "format", CX_REPO_INDEX_FORMAT);
  _cx_json_add_string_member (builder, "repository", self->repository_id);
  _cx_json_add_int_member (builder, "version", (gint64) self->version);
  _cx_json_add_int_member (builder, "timestamp", self->timestamp);
  _cx_json_add_int_member (builder, "expires", self->expires);
  json_builder_set_member_name (builder, "packages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->packages->len; i++)
    {
      const CxRepoPackage *package = g_ptr_array_index (self->packages, i);

      json_builder_begin_object (builder);
      _cx_json_add_string_member (builder, "id", package->id);
      _cx_json_add_int_member (builder, "current", (gint64) package->current);
      json_builder_set_member_name (builder, "versions");
      json_builder_begin_array (builder);
      for (guint j = 0; j < package->versions->len; j++)
        {
          const CxRepoVersion *v = &g_array_index (package->versions, CxRepoVersion, j);

          json_builder_begin_object (builder);
          _cx_json_add_int_member (builder, "version", (gint64) v->version);
          _cx_json_add_id_member (builder, "manifest", &v->manifest_id);
          _cx_json_add_int_member (builder, "manifest_size", (gint64) v->manifest_size);
          _cx_json_add_int_member (builder, "install_size", (gint64) v->install_size);
          json_builder_set_member_name (builder, "deltas");
          json_builder_begin_array (builder);
          for (guint d = 0; d < v->n_deltas; d++)
            {
              json_builder_begin_object (builder);
              _cx_json_add_int_member (builder, "from", (gint64) v->deltas[d].from);
              _cx_json_add_id_member (builder, "index", &v->deltas[d].index_id);
              _cx_json_add_int_member (builder, "index_size", (gint64) v->deltas[d].index_size);
              _cx_json_add_int_member (builder, "size", (gint64) v->deltas[d].size);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  data = _cx_json_to_data (root, &length);
  return g_bytes_new_take (data, length);
}

/**
 * cx_repo_index_seal:
 * @payload: the exact payload bytes to sign
 * @keys: (array length=n_keys): one or more signing keys, all distinct
 *
 * Wraps @payload in the signed envelope.  Public so that publishers (and
 * tests) can seal any payload, including ones this library would refuse.
 *
 * Returns: (transfer full): the index file's bytes
 */
GBytes *
cx_repo_index_seal (GBytes *payload, CxSigningKey **keys, guint n_keys, GError **error)
{
  g_autoptr (GByteArray) out = NULL;
  const guint8 *data;
  gsize length;
  guint8 header[ENVELOPE_HEADER_LEN];
  guint8 count;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (keys != NULL || n_keys == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (payload, &length);
  if (n_keys == 0 || n_keys > CX_REPO_INDEX_MAX_SIGNATURES ||
      length + ENVELOPE_HEADER_LEN + 1 + n_keys * SIGNATURE_ENTRY_LEN > CX_REPO_INDEX_MAX_SIZE)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("An index needs 1 to %d signing keys and must stay under %d bytes"),
                   CX_REPO_INDEX_MAX_SIGNATURES, CX_REPO_INDEX_MAX_SIZE);
      return NULL;
    }

  out = g_byte_array_sized_new ((guint) (length + 256));
  memcpy (header, CX_REPO_INDEX_MAGIC, CX_REPO_INDEX_MAGIC_LEN);
  write_u32le (header + CX_REPO_INDEX_MAGIC_LEN, CX_REPO_INDEX_FORMAT);
  write_u32le (header + CX_REPO_INDEX_MAGIC_LEN + 4, (guint32) length);
  g_byte_array_append (out, header, sizeof header);
  g_byte_array_append (out, data, (guint) length);

  count = (guint8) n_keys;
  g_byte_array_append (out, &count, 1);
  for (guint i = 0; i < n_keys; i++)
    {
      guint8 signature[CX_SIGNATURE_LEN];

      g_return_val_if_fail (CX_IS_SIGNING_KEY (keys[i]), NULL);
      /* Signed region: header and payload, exactly as written above. */
      cx_signing_key_sign (keys[i], out->data, ENVELOPE_HEADER_LEN + length, signature);
      g_byte_array_append (
          out, cx_public_key_get_id_bytes (cx_signing_key_get_public_key (keys[i])), CX_KEY_ID_LEN);
      g_byte_array_append (out, signature, sizeof signature);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * cx_repo_index_sign:
 *
 * Serializes @self and seals it with @keys.
 */
GBytes *
cx_repo_index_sign (CxRepoIndex *self, CxSigningKey **keys, guint n_keys, GError **error)
{
  g_autoptr (GBytes) payload = NULL;

  g_return_val_if_fail (CX_IS_REPO_INDEX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  payload = cx_repo_index_serialize (self);
  return cx_repo_index_seal (payload, keys, n_keys, error);
}

/* Step 1: framing only.  On success, *out_payload points into @data. */
static gboolean
parse_envelope (const guint8 *data,
                gsize length,
                const guint8 **out_payload,
                gsize *out_payload_len,
                guint *out_n_signatures,
                GError **error)
{
  guint32 format, payload_len;
  guint n_signatures;
  gsize expected;

  if (length > CX_REPO_INDEX_MAX_SIZE)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                   _ ("The repository index is larger than the limit of %d bytes"),
                   CX_REPO_INDEX_MAX_SIZE);
      return FALSE;
    }
  if (memcmp (data, CX_REPO_INDEX_MAGIC, MIN (length, CX_REPO_INDEX_MAGIC_LEN)) != 0)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                           _ ("This is not a Cunxiao repository index"));
      return FALSE;
    }
  if (length < ENVELOPE_HEADER_LEN)
    goto truncated;

  format = read_u32le (data + CX_REPO_INDEX_MAGIC_LEN);
  if (format != CX_REPO_INDEX_FORMAT)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNSUPPORTED_VERSION,
                   _ ("The repository index has format %u; this version of Cunxiao reads "
                      "format %d"),
                   format, CX_REPO_INDEX_FORMAT);
      return FALSE;
    }

  payload_len = read_u32le (data + CX_REPO_INDEX_MAGIC_LEN + 4);
  if (payload_len > CX_REPO_INDEX_MAX_SIZE)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE,
                   _ ("The repository index is larger than the limit of %d bytes"),
                   CX_REPO_INDEX_MAX_SIZE);
      return FALSE;
    }
  if (length < ENVELOPE_HEADER_LEN + (gsize) payload_len + 1)
    goto truncated;

  n_signatures = data[ENVELOPE_HEADER_LEN + payload_len];
  if (n_signatures > CX_REPO_INDEX_MAX_SIGNATURES)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                   _ ("The repository index carries too many signatures (%u)"), n_signatures);
      return FALSE;
    }

  expected = ENVELOPE_HEADER_LEN + (gsize) payload_len + 1 + n_signatures * SIGNATURE_ENTRY_LEN;
  if (length < expected)
    goto truncated;
  if (length > expected)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                           _ ("The repository index has unexpected data after its signatures"));
      return FALSE;
    }

  *out_payload = data + ENVELOPE_HEADER_LEN;
  *out_payload_len = payload_len;
  *out_n_signatures = n_signatures;
  return TRUE;

truncated:
  g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TRUNCATED,
                       _ ("The repository index is truncated"));
  return FALSE;
}

/* Step 2: at least one signature by a trusted key, and every signature that
 * claims a trusted key id must verify.  Signatures by unknown keys are
 * skipped, which lets a repository add a new key before clients know it. */
static gboolean
verify_signatures (const guint8 *data,
                   gsize signed_len,
                   guint n_signatures,
                   CxPublicKey **trusted_keys,
                   guint n_trusted_keys,
                   GError **error)
{
  const guint8 *entries = data + signed_len + 1;
  guint n_good = 0;

  for (guint i = 0; i < n_signatures; i++)
    {
      const guint8 *key_id = entries + i * SIGNATURE_ENTRY_LEN;

      for (guint j = 0; j < i; j++)
        if (memcmp (key_id, entries + j * SIGNATURE_ENTRY_LEN, CX_KEY_ID_LEN) == 0)
          {
            g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                                 _ ("The repository index is signed twice by the same key"));
            return FALSE;
          }

      for (guint k = 0; k < n_trusted_keys; k++)
        {
          CxPublicKey *key = trusted_keys[k];

          if (memcmp (key_id, cx_public_key_get_id_bytes (key), CX_KEY_ID_LEN) != 0)
            continue;
          if (!cx_public_key_verify (key, data, signed_len, key_id + CX_KEY_ID_LEN,
                                     CX_SIGNATURE_LEN, NULL))
            {
              g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_SIGNATURE,
                           _ ("The repository index has a bad signature from key %s; it may "
                              "have been tampered with"),
                           cx_public_key_get_id (key));
              return FALSE;
            }
          n_good++;
        }
    }

  if (n_good == 0)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNTRUSTED,
                           _ ("The repository index is not signed by any trusted key"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_version (JsonObject *object, CxRepoVersion *out, GError **error)
{
  const char *manifest_hex;
  JsonArray *deltas;

  if (!_cx_json_get_uint (object, "version", CX_JSON_MAX_INT, &out->version, error) ||
      !_cx_json_get_string (object, "manifest", TRUE, &manifest_hex, error) ||
      !_cx_json_get_uint (object, "manifest_size", CX_MANIFEST_MAX_STORED_SIZE, &out->manifest_size,
                          error) ||
      !_cx_json_get_uint (object, "install_size", CX_JSON_MAX_INT, &out->install_size, error))
    return FALSE;

  if (out->version == 0 || out->manifest_size == 0 ||
      !cx_chunk_id_from_hex (manifest_hex, &out->manifest_id))
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                           _ ("Malformed document: a package version entry is invalid"));
      return FALSE;
    }

  /* Optional, as in indexes written before deltas were specified. */
  deltas = _cx_json_get_array (object, "deltas", FALSE, error);
  if (deltas == NULL)
    return FALSE;
  if (json_array_get_length (deltas) > CX_REPO_MAX_DELTAS)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                           _ ("Malformed document: a version offers too many deltas"));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (deltas); i++)
    {
      JsonObject *delta = _cx_json_array_get_object (deltas, i, "deltas", error);
      CxRepoDelta *d = &out->deltas[out->n_deltas];
      const char *index_hex;

      if (delta == NULL || !_cx_json_get_uint (delta, "from", CX_JSON_MAX_INT, &d->from, error) ||
          !_cx_json_get_string (delta, "index", TRUE, &index_hex, error) ||
          !_cx_json_get_uint (delta, "index_size", CX_DELTA_INDEX_MAX_SIZE, &d->index_size,
                              error) ||
          !_cx_json_get_uint (delta, "size", CX_JSON_MAX_INT, &d->size, error))
        return FALSE;
      /* Strictly ascending by base version: one order, no duplicates. */
      if (!delta_is_valid (d, out->version) || !cx_chunk_id_from_hex (index_hex, &d->index_id) ||
          (i > 0 && d->from <= out->deltas[i - 1].from))
        {
          g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                               _ ("Malformed document: a delta entry is invalid"));
          return FALSE;
        }
      out->n_deltas++;
    }

  return TRUE;
}

static CxRepoPackage *
parse_package (JsonObject *object, GError **error)
{
  g_autoptr (GPtrArray) holder =
      g_ptr_array_new_with_free_func ((GDestroyNotify) repo_package_free);
  CxRepoPackage *package;
  const char *id;
  JsonArray *versions;

  if (!_cx_json_get_string (object, "id", TRUE, &id, error) || !cx_repo_validate_id (id, error))
    return NULL;
  package = repo_package_new (id);
  g_ptr_array_add (holder, package);

  if (!_cx_json_get_uint (object, "current", CX_JSON_MAX_INT, &package->current, error))
    return NULL;
  versions = _cx_json_get_array (object, "versions", TRUE, error);
  if (versions == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (versions); i++)
    {
      JsonObject *vobj = _cx_json_array_get_object (versions, i, "versions", error);
      CxRepoVersion v = { 0 };

      if (vobj == NULL || !parse_version (vobj, &v, error))
        return NULL;
      /* Strictly ascending: one canonical order, and no duplicates. */
      if (package->versions->len > 0 &&
          v.version <=
              g_array_index (package->versions, CxRepoVersion, package->versions->len - 1).version)
        {
          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                       _ ("Malformed document: the versions of package “%s” are not in "
                          "ascending order"),
                       id);
          return NULL;
        }
      g_array_append_val (package->versions, v);
    }

  if (cx_repo_package_lookup_version (package, package->current) == NULL)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                   _ ("Malformed document: the current version of package “%s” is not listed"), id);
      return NULL;
    }

  return g_ptr_array_steal_index (holder, 0);
}

static gboolean
parse_payload (CxRepoIndex *self, const guint8 *payload, gsize length, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *packages;
  const char *repository_id;
  guint64 format, timestamp, expires;

  root = _cx_json_parse_document ((const char *) payload, length, &format, error);
  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);
  if (format != CX_REPO_INDEX_FORMAT)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNSUPPORTED_VERSION,
                   _ ("The repository index has format %u; this version of Cunxiao reads "
                      "format %d"),
                   (guint) format, CX_REPO_INDEX_FORMAT);
      return FALSE;
    }

  if (!_cx_json_get_string (object, "repository", TRUE, &repository_id, error) ||
      !cx_repo_validate_id (repository_id, error) ||
      !_cx_json_get_uint (object, "version", CX_JSON_MAX_INT, &self->version, error) ||
      !_cx_json_get_uint (object, "timestamp", G_MAXINT64, &timestamp, error) ||
      !_cx_json_get_uint (object, "expires", G_MAXINT64, &expires, error))
    return FALSE;
  self->repository_id = g_strdup (repository_id);
  self->timestamp = (gint64) timestamp;
  self->expires = (gint64) expires;
  if (self->version == 0 || expires <= timestamp)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                           _ ("Malformed document: invalid version or expiry"));
      return FALSE;
    }

  packages = _cx_json_get_array (object, "packages", TRUE, error);
  if (packages == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (packages); i++)
    {
      JsonObject *pobj = _cx_json_array_get_object (packages, i, "packages", error);
      CxRepoPackage *package;

      if (pobj == NULL)
        return FALSE;
      package = parse_package (pobj, error);
      if (package == NULL)
        return FALSE;
      g_ptr_array_add (self->packages, package);
      if (i > 0 && strcmp (((CxRepoPackage *) g_ptr_array_index (self->packages, i - 1))->id,
                           package->id) >= 0)
        {
          g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                               _ ("Malformed document: packages are not sorted by id, or an "
                                  "id appears twice"));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * cx_repo_index_load:
 * @data: the index file exactly as fetched
 * @trusted_keys: (array length=n_trusted_keys): keys the user trusts for
 *   this repository
 * @expected_repository_id: (nullable): the id pinned when the hub was added
 * @min_version: the highest index version this client accepted before (0
 *   if none); anything lower is a rollback
 * @now: the current time in seconds since the Unix epoch
 *
 * Checks, in this order, and fails with a distinct code at the first
 * problem: size cap and framing (%CX_SYNC_ERROR_TOO_LARGE, _TRUNCATED,
 * _MALFORMED, _UNSUPPORTED_VERSION), signatures over the exact bytes
 * (%CX_SYNC_ERROR_BAD_SIGNATURE, _UNTRUSTED), payload (_MALFORMED),
 * repository id (_WRONG_REPOSITORY), rollback (_ROLLBACK), expiry
 * (_EXPIRED).
 *
 * Returns: (transfer full): the verified index, or %NULL
 */
CxRepoIndex *
cx_repo_index_load (GBytes *data,
                    CxPublicKey **trusted_keys,
                    guint n_trusted_keys,
                    const char *expected_repository_id,
                    guint64 min_version,
                    gint64 now,
                    GError **error)
{
  g_autoptr (CxRepoIndex) self = NULL;
  const guint8 *bytes;
  const guint8 *payload;
  gsize length, payload_len;
  guint n_signatures;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (trusted_keys != NULL || n_trusted_keys == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  if (length == 0)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TRUNCATED,
                           _ ("The repository index is truncated"));
      return NULL;
    }

  if (!parse_envelope (bytes, length, &payload, &payload_len, &n_signatures, error))
    return NULL;
  if (!verify_signatures (bytes, ENVELOPE_HEADER_LEN + payload_len, n_signatures, trusted_keys,
                          n_trusted_keys, error))
    return NULL;

  self = g_object_new (CX_TYPE_REPO_INDEX, NULL);
  if (!parse_payload (self, payload, payload_len, error))
    return NULL;

  if (expected_repository_id != NULL &&
      g_strcmp0 (expected_repository_id, self->repository_id) != 0)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_WRONG_REPOSITORY,
                   _ ("The index belongs to repository “%s”, not “%s”"), self->repository_id,
                   expected_repository_id);
      return NULL;
    }
  if (self->version < min_version)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_ROLLBACK,
                   _ ("The repository index is older (version %llu) than one already seen "
                      "(version %llu); the server may be replaying old content"),
                   (unsigned long long) self->version, (unsigned long long) min_version);
      return NULL;
    }
  if (now >= self->expires)
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (self->expires);
      g_autofree char *text = when != NULL ? g_date_time_format_iso8601 (when) : NULL;

      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_EXPIRED,
                   _ ("The repository index expired at %s; the server may be serving stale "
                      "content"),
                   text != NULL ? text : "?");
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
cx_repo_index_get_repository_id (CxRepoIndex *self)
{
  g_return_val_if_fail (CX_IS_REPO_INDEX (self), NULL);
  return self->repository_id;
}

guint64
cx_repo_index_get_version (CxRepoIndex *self)
{
  g_return_val_if_fail (CX_IS_REPO_INDEX (self), 0);
  return self->version;
}

gint64
cx_repo_index_get_timestamp (CxRepoIndex *self)
{
  g_return_val_if_fail (CX_IS_REPO_INDEX (self), 0);
  return self->timestamp;
}

gint64
cx_repo_index_get_expires (CxRepoIndex *self)
{
  g_return_val_if_fail (CX_IS_REPO_INDEX (self), 0);
  return self->expires;
}

/**
 * cx_repo_index_get_packages:
 *
 * Returns: (transfer none) (element-type CxRepoPackage): packages by id
 */
GPtrArray *
cx_repo_index_get_packages (CxRepoIndex *self)
{
  g_return_val_if_fail (CX_IS_REPO_INDEX (self), NULL);
  return self->packages;
}

const CxRepoPackage *
cx_repo_index_lookup_package (CxRepoIndex *self, const char *package_id)
{
  g_return_val_if_fail (CX_IS_REPO_INDEX (self), NULL);
  g_return_val_if_fail (package_id != NULL, NULL);

  for (guint i = 0; i < self->packages->len; i++)
    {
      const CxRepoPackage *package = g_ptr_array_index (self->packages, i);

      if (strcmp (package->id, package_id) == 0)
        return package;
    }
  return NULL;
}

const CxRepoVersion *
cx_repo_package_lookup_version (const CxRepoPackage *package, guint64 version)
{
  g_return_val_if_fail (package != NULL, NULL);

  for (guint i = 0; i < package->versions->len; i++)
    {
      const CxRepoVersion *v = &g_array_index (package->versions, CxRepoVersion, i);

      if (v->version == version)
        return v;
    }
  return NULL;
}

/**
 * cx_repo_version_lookup_delta:
 * @from: the base version
 *
 * Returns: (nullable): the delta from @from to @version, if one is offered
 */
const CxRepoDelta *
cx_repo_version_lookup_delta (const CxRepoVersion *version, guint64 from)
{
  g_return_val_if_fail (version != NULL, NULL);

  for (guint i = 0; i < version->n_deltas; i++)
    if (version->deltas[i].from == from)
      return &version->deltas[i];
  return NULL;
}
