/* cx-test-fetcher.h: a pack and a file served by a real hub, for the fetcher tests */
#pragma once

#include "cx-fetcher.h"
#include "cx-test-repo.h"

G_BEGIN_DECLS

#define CX_TEST_N_CHUNKS  64
#define CX_TEST_PACK_PATH "v1/packs/test.pack"
#define CX_TEST_FILE_PATH "v1/file"
#define CX_TEST_FILE_SIZE (1024 * 1024 + 17)

typedef struct
{
  char *repo_dir;
  GSubprocess *hub;
  char *hub_url;  /* http://127.0.0.1:PORT/ */
  char *base_url; /* where the hub serves the folder */
  GBytes *pack;
  CxPackIndex *index;
  GHashTable *chunks; /* CxChunkId → GBytes, what was packed */
  GBytes *file;
} CxTestFetchFixture;

typedef void (*CxTestFetchFunc) (CxTestFetchFixture *fx, gconstpointer data);

typedef struct
{
  guint calls;
  guint forced_gaps; /* reports closer together than the throttle allows */
  gint64 last_time;
  CxFetchProgress last;
} CxTestProgressLog;

typedef struct
{
  CxTestFetchFixture *fx;
  GHashTable *got; /* ids delivered */
  guint fail_at;   /* the on_chunk call that fails, 1-based; 0 for none */
  GQuark fail_domain;
  int fail_code;
} CxTestSink;

void cx_test_fetch_init (int *argc, char ***argv);
void cx_test_fetch_add (const char *path, CxTestFetchFunc test);
GBytes *cx_test_build_pack (guint32 seed, GHashTable *chunks, CxPackIndex **out_index);
CxFetcher *cx_test_new_fetcher (const char *base_url, CxTestProgressLog *log);
CxFetchProgress cx_test_get_progress (CxFetcher *fetcher);
void cx_test_sink_init (CxTestSink *sink, CxTestFetchFixture *fx);
void cx_test_sink_clear (CxTestSink *sink);
gboolean
cx_test_sink_chunk_cb (const CxPackEntry *entry, GBytes *chunk, gpointer user_data, GError **error);
CxChunkId *cx_test_ids_at (CxTestFetchFixture *fx, const guint *positions, guint n);
CxChunkId *cx_test_all_ids (CxTestFetchFixture *fx);

G_END_DECLS
