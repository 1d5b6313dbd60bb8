/* cx-store-schema.c: numbered schema migrations of the device store
 *
 * Migration N (1-based) takes a store from schema version N-1 to N. Never edit
 * a migration that has shipped; add a new one. Each runs in one transaction
 * together with the bump of PRAGMA user_version.
 */
#include "config.h"

#include "cx-store-private.h"

static const char migration_1[] =
    /* Hubs this device syncs with; packages are trusted by key, not by URL. */
    "CREATE TABLE hubs ("
    "  id INTEGER PRIMARY KEY,"
    "  url TEXT NOT NULL UNIQUE,"
    "  public_key TEXT NOT NULL,"
    "  device_token TEXT,"
    "  added_at INTEGER NOT NULL"
    ");"

    "CREATE TABLE packages ("
    "  id INTEGER PRIMARY KEY,"
    "  hub_id INTEGER NOT NULL REFERENCES hubs(id) ON DELETE CASCADE,"
    "  package_key TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  subject TEXT NOT NULL DEFAULT '',"
    "  grade INTEGER NOT NULL DEFAULT 0,"
    "  edition TEXT NOT NULL DEFAULT '',"
    "  UNIQUE (hub_id, package_key)"
    ");"

    /* A version is visible to the app only once its state is 'installed'. */
    "CREATE TABLE package_versions ("
    "  id INTEGER PRIMARY KEY,"
    "  package_id INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,"
    "  version INTEGER NOT NULL CHECK (version > 0),"
    "  manifest_id TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'available'"
    "    CHECK (state IN ('available', 'installing', 'installed', 'superseded')),"
    "  size INTEGER NOT NULL DEFAULT 0 CHECK (size >= 0),"
    "  UNIQUE (package_id, version)"
    ");"

    "CREATE TABLE resources ("
    "  id INTEGER PRIMARY KEY,"
    "  version_id INTEGER NOT NULL REFERENCES package_versions(id) ON DELETE CASCADE,"
    "  title TEXT NOT NULL,"
    "  subject TEXT NOT NULL DEFAULT '',"
    "  grade INTEGER NOT NULL DEFAULT 0,"
    "  edition TEXT NOT NULL DEFAULT '',"
    "  unit TEXT NOT NULL DEFAULT '',"
    "  lesson TEXT NOT NULL DEFAULT '',"
    "  kind TEXT NOT NULL,"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  hash TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  UNIQUE (version_id, path)"
    ");"
    "CREATE INDEX resources_by_version ON resources (version_id);"

    /* Trigram tokens find Chinese substrings, which have no spaces to split on. */
    "CREATE VIRTUAL TABLE resources_fts USING fts5 ("
    "  title, subject, edition, unit, lesson,"
    "  content = 'resources', content_rowid = 'id', tokenize = 'trigram'"
    ");"
    "CREATE TRIGGER resources_fts_insert AFTER INSERT ON resources BEGIN"
    "  INSERT INTO resources_fts (rowid, title, subject, edition, unit, lesson)"
    "  VALUES (new.id, new.title, new.subject, new.edition, new.unit, new.lesson);"
    "END;"
    "CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN"
    "  INSERT INTO resources_fts (resources_fts, rowid, title, subject, edition, unit, lesson)"
    "  VALUES ('delete', old.id, old.title, old.subject, old.edition, old.unit, old.lesson);"
    "END;"
    "CREATE TRIGGER resources_fts_update AFTER UPDATE ON resources BEGIN"
    "  INSERT INTO resources_fts (resources_fts, rowid, title, subject, edition, unit, lesson)"
    "  VALUES ('delete', old.id, old.title, old.subject, old.edition, old.unit, old.lesson);"
    "  INSERT INTO resources_fts (rowid, title, subject, edition, unit, lesson)"
    "  VALUES (new.id, new.title, new.subject, new.edition, new.unit, new.lesson);"
    "END;"

    "CREATE TABLE accounts ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('teacher', 'student', 'admin')),"
    /* Only an Argon2id string ever lands here, never the PIN itself. */
    "  pin_hash TEXT CHECK (pin_hash IS NULL OR pin_hash LIKE '$argon2id$%'),"
    "  created_at INTEGER NOT NULL"
    ");"

    "CREATE TABLE lesson_plans ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  author_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,"
    "  title TEXT NOT NULL,"
    "  class_name TEXT NOT NULL DEFAULT '',"
    "  subject TEXT NOT NULL DEFAULT '',"
    "  lesson_date TEXT NOT NULL DEFAULT '',"
    "  objectives TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  upload_state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (upload_state IN ('pending', 'uploaded'))"
    ");"

    "CREATE TABLE lesson_plan_items ("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id INTEGER NOT NULL REFERENCES lesson_plans(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL CHECK (position >= 0),"
    "  resource_id INTEGER REFERENCES resources(id) ON DELETE SET NULL,"
    "  file_path TEXT,"
    "  title TEXT NOT NULL,"
    "  notes TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX lesson_plan_items_by_plan ON lesson_plan_items (plan_id, position);"

    "CREATE TABLE timetable_entries ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  form TEXT NOT NULL CHECK (form IN ('sync-classroom', 'remote-delivery',"
    "    'master-classroom', 'online-research', 'local')),"
    "  subject TEXT NOT NULL DEFAULT '',"
    "  class_name TEXT NOT NULL DEFAULT '',"
    "  teacher TEXT NOT NULL DEFAULT '',"
    "  partner_school TEXT NOT NULL DEFAULT '',"
    "  starts_at INTEGER NOT NULL,"
    "  ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),"
    "  package_key TEXT NOT NULL DEFAULT '',"
    "  unit TEXT NOT NULL DEFAULT '',"
    "  lesson_plan_id INTEGER REFERENCES lesson_plans(id) ON DELETE SET NULL,"
    "  origin TEXT NOT NULL CHECK (origin IN ('hub', 'school')),"
    "  revision INTEGER NOT NULL DEFAULT 0,"
    "  dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
    ");"
    "CREATE INDEX timetable_by_start ON timetable_entries (starts_at);"

    /* The usage journal: append-only, gapless per-device sequence. */
    "CREATE TABLE journal ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  time_us INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (length(kind) > 0),"
    "  payload TEXT NOT NULL CHECK (json_valid(payload))"
    ");"

    "CREATE TABLE hand_ins ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  lesson_plan_id INTEGER REFERENCES lesson_plans(id) ON DELETE SET NULL,"
    "  assignment TEXT NOT NULL,"
    "  class_name TEXT NOT NULL,"
    "  pupil TEXT NOT NULL DEFAULT '',"
    "  file_name TEXT NOT NULL,"
    "  content_hash TEXT NOT NULL,"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  created_at INTEGER NOT NULL,"
    "  upload_state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (upload_state IN ('pending', 'uploaded'))"
    ");"

    /* Small facts about sync: device id, acknowledged journal mark, cursors. */
    "CREATE TABLE sync_state ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") WITHOUT ROWID;"

    "CREATE TRIGGER journal_append_only BEFORE UPDATE ON journal BEGIN"
    "  SELECT RAISE (ABORT, 'the usage journal is append-only');"
    "END;"
    "CREATE TRIGGER journal_keep_unacknowledged BEFORE DELETE ON journal"
    "  WHEN old.seq > coalesce ((SELECT CAST (value AS INTEGER) FROM sync_state"
    "                            WHERE key = 'journal-acknowledged'), 0) BEGIN"
    "  SELECT RAISE (ABORT, 'unacknowledged journal entries cannot be deleted');"
    "END;";

/* Installing packages: what each hub's signed index said last, where each
 * installed version's files live, and where every chunk of them can be
 * read again so later versions never fetch it twice. */
static const char migration_2[] =
    /* Pinned on the first accepted index; rollback protection needs the
     * highest index version ever accepted. */
    "ALTER TABLE hubs ADD COLUMN repository_id TEXT;"
    "ALTER TABLE hubs ADD COLUMN index_version INTEGER NOT NULL DEFAULT 0"
    "  CHECK (index_version >= 0);"
    "ALTER TABLE hubs ADD COLUMN index_fetched_at INTEGER NOT NULL DEFAULT 0;"

    /* The version the hub's index calls current; 0 until first seen. */
    "ALTER TABLE packages ADD COLUMN current_version INTEGER NOT NULL DEFAULT 0;"

    /* The directory under content/trees holding an installed version, and
     * whether every unit of it is there. */
    "ALTER TABLE package_versions ADD COLUMN tree TEXT;"
    "ALTER TABLE package_versions ADD COLUMN whole INTEGER NOT NULL DEFAULT 1"
    "  CHECK (whole IN (0, 1));"
    "ALTER TABLE package_versions ADD COLUMN installed_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE package_versions ADD COLUMN manifest_size INTEGER NOT NULL DEFAULT 0;"

    "CREATE TABLE installed_units ("
    "  version_id INTEGER NOT NULL REFERENCES package_versions(id) ON DELETE CASCADE,"
    "  unit TEXT NOT NULL,"
    "  PRIMARY KEY (version_id, unit)"
    ") WITHOUT ROWID;"

    "CREATE TABLE chunk_locations ("
    "  chunk_id BLOB NOT NULL CHECK (length(chunk_id) = 32),"
    "  version_id INTEGER NOT NULL REFERENCES package_versions(id) ON DELETE CASCADE,"
    "  path TEXT NOT NULL,"
    "  offset INTEGER NOT NULL CHECK (offset >= 0),"
    "  size INTEGER NOT NULL CHECK (size > 0)"
    ");"
    "CREATE INDEX chunk_locations_by_chunk ON chunk_locations (chunk_id);"
    "CREATE INDEX chunk_locations_by_version ON chunk_locations (version_id);"
    /* Unchanged files of a new version are linked from the installed one. */
    "CREATE INDEX resources_by_hash ON resources (hash);";

/* Timetable sync: the hub's version of an entry whose local change it
 * refused, kept for the school to resolve (never dropped). */
static const char migration_3[] = "ALTER TABLE timetable_entries ADD COLUMN conflict TEXT;";

/* Live classes and removal: the address of a synchronous class's stream,
 * a package file offered when it cannot be reached, and tombstones that
 * carry a school's removal of its own entry to the hub. */
static const char migration_4[] =
    "ALTER TABLE timetable_entries ADD COLUMN live_url TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE timetable_entries ADD COLUMN fallback TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE timetable_entries ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0"
    "  CHECK (deleted IN (0, 1));";

/* Classes and their pupils: a class is known by its name, as everywhere
 * else; its grade (0: guess it from the name) picks its courses. */
static const char migration_5[] =
    "CREATE TABLE classes ("
    "  name TEXT PRIMARY KEY CHECK (length (name) > 0),"
    "  grade INTEGER NOT NULL DEFAULT 0 CHECK (grade BETWEEN 0 AND 12)"
    ") WITHOUT ROWID;"
    "CREATE TABLE roster ("
    "  class_name TEXT NOT NULL CHECK (length (class_name) > 0),"
    "  pupil TEXT NOT NULL CHECK (length (pupil) > 0),"
    "  added_at INTEGER NOT NULL,"
    "  PRIMARY KEY (class_name, pupil)"
    ") WITHOUT ROWID;";

/* Assignments belong to a lesson plan; a hand-in names the one it
 * answers, and keeps its title as text for the hub. */
static const char migration_6[] =
    "CREATE TABLE assignments ("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id INTEGER NOT NULL REFERENCES lesson_plans(id) ON DELETE CASCADE,"
    "  title TEXT NOT NULL CHECK (length (title) > 0),"
    "  instructions TEXT,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX assignments_by_plan ON assignments (plan_id);"
    "ALTER TABLE hand_ins ADD COLUMN assignment_id INTEGER"
    "  REFERENCES assignments(id) ON DELETE SET NULL;"
    "CREATE INDEX hand_ins_by_assignment ON hand_ins (assignment_id);";

/* Wrong PINs at the door out of student mode: how many, and until when
 * no PIN is taken; one row, so a restart does not forgive them. */
static const char migration_7[] = "CREATE TABLE pin_guard ("
                                  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
                                  "  failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),"
                                  "  locked_until INTEGER NOT NULL DEFAULT 0"
                                  ");"
                                  "INSERT INTO pin_guard (id) VALUES (1);";

/* The school's settings for this computer (see cx-store-settings.h). */
static const char migration_8[] = "CREATE TABLE settings ("
                                  "  key TEXT PRIMARY KEY,"
                                  "  value TEXT NOT NULL"
                                  ") WITHOUT ROWID;";

/* The monthly report: what the admin enters per month (see cx-report.h),
 * and the journal by time, so a month or a date range is read on its own. */
static const char migration_9[] = "CREATE TABLE report_fields ("
                                  "  month TEXT NOT NULL CHECK (length (month) = 7),"
                                  "  name TEXT NOT NULL,"
                                  "  value TEXT NOT NULL,"
                                  "  PRIMARY KEY (month, name)"
                                  ") WITHOUT ROWID;"
                                  "CREATE INDEX journal_by_time ON journal (time_us);";

const char *const _cx_store_migrations[] = {
  migration_1, migration_2, migration_3, migration_4, migration_5,
  migration_6, migration_7, migration_8, migration_9,
};

const guint _cx_store_n_migrations = G_N_ELEMENTS (_cx_store_migrations);
