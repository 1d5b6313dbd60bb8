/* test-cli.c: cunxiao-cli commands, their output, messages and exit codes */
#include "config.h"

#include <string.h>

#include "cx-test-util.h"

#include <glib/gstdio.h>

#include "cx-store-catalog.h"

typedef struct
{
  char *dir;      /* scratch folder for this test */
  char *data_dir; /* the store the CLI is pointed at */
  char *out;
  char *err;
  int status;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = cx_test_make_dir ();
  g_assert_no_error (error);
  fixture->data_dir = g_build_filename (fixture->dir, "store", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_free (fixture->dir);
  g_free (fixture->data_dir);
  g_free (fixture->out);
  g_free (fixture->err);
}

/* Runs the CLI with a clean environment; @extra_env is NULL-terminated
 * "NAME=VALUE" pairs, @input goes to its standard input. */
static int
run_cli_full (Fixture *fixture,
              const char *const *extra_env,
              const char *input,
              const char *first_arg,
              va_list args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  const char *cli = g_getenv ("CUNXIAO_CLI");
  const char *arg;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);

  launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE);
  {
    const char *keep[] = { "PATH",          "CUNXIAO_LOCALEDIR", "ASAN_OPTIONS",
                           "UBSAN_OPTIONS", "LSAN_OPTIONS",      "HOME",
                           "XDG_DATA_HOME" };
    g_autoptr (GStrvBuilder) env = g_strv_builder_new ();
    g_auto (GStrv) built = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (keep); i++)
      if (g_getenv (keep[i]) != NULL)
        {
          g_autofree char *pair = g_strdup_printf ("%s=%s", keep[i], g_getenv (keep[i]));
          g_strv_builder_add (env, pair);
        }
    {
      g_autofree char *pair = g_strdup_printf ("CUNXIAO_DATA_DIR=%s", fixture->data_dir);
      g_strv_builder_add (env, pair);
    }
    for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
      g_strv_builder_add (env, extra_env[i]);
    built = g_strv_builder_end (env);
    g_subprocess_launcher_set_environ (launcher, built);
  }

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_clear_pointer (&fixture->out, g_free);
  g_clear_pointer (&fixture->err, g_free);
  g_subprocess_communicate_utf8 (process, input, NULL, &fixture->out, &fixture->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  fixture->status = g_subprocess_get_exit_status (process);

  return fixture->status;
}

G_GNUC_NULL_TERMINATED static int
run_cli (Fixture *fixture, const char *first_arg, ...)
{
  va_list args;
  int status;

  va_start (args, first_arg);
  status = run_cli_full (fixture, NULL, NULL, first_arg, args);
  va_end (args);
  return status;
}

G_GNUC_NULL_TERMINATED static int
run_cli_with (
    Fixture *fixture, const char *const *extra_env, const char *input, const char *first_arg, ...)
{
  va_list args;
  int status;

  va_start (args, first_arg);
  status = run_cli_full (fixture, extra_env, input, first_arg, args);
  va_end (args);
  return status;
}

#define assert_contains(haystack, needle)                      \
  G_STMT_START                                                 \
  {                                                            \
    if (strstr ((haystack), (needle)) == NULL)                 \
      g_error ("expected “%s” in:\n%s", (needle), (haystack)); \
  }                                                            \
  G_STMT_END

static void
test_help_and_version (Fixture *fixture, gconstpointer data)
{
  g_assert_cmpint (run_cli (fixture, "--help", NULL), ==, 0);
  assert_contains (fixture->out, "accounts add NAME");
  assert_contains (fixture->out, "Exit status");
  g_assert_cmpint (run_cli (fixture, "--version", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "cunxiao-cli " PACKAGE_VERSION "\n");
  g_assert_cmpint (run_cli (fixture, "accounts", "add", "--help", NULL), ==, 0);
  assert_contains (fixture->out, "--role");
}

static void
test_help_in_chinese (Fixture *fixture, gconstpointer data)
{
  const char *const language_only[] = { "LANGUAGE=zh_CN", NULL };

  /* $LANGUAGE alone must be enough, even with no locale set at all. */
  g_assert_cmpint (run_cli_with (fixture, language_only, NULL, "--help", NULL), ==, 0);
  assert_contains (fixture->out, "命令");
  assert_contains (fixture->out, "添加账户");

  g_assert_cmpint (run_cli_with (fixture, language_only, NULL, "frob", NULL), ==, 2);
  assert_contains (fixture->err, "未知命令");
}

static void
test_init_status_accounts (Fixture *fixture, gconstpointer data)
{
  g_assert_cmpint (run_cli (fixture, "init", NULL), ==, 0);
  assert_contains (fixture->out, "Created a new store");
  g_assert_cmpint (run_cli (fixture, "init", NULL), ==, 0);
  assert_contains (fixture->out, "is ready");

  g_assert_cmpint (run_cli (fixture, "accounts", "add", "--role", "teacher", "王老师", NULL), ==,
                   0);
  assert_contains (fixture->out, "王老师");
  g_assert_cmpint (run_cli_with (fixture, NULL, "2468\n", "accounts", "add", "--role=admin",
                                 "--pin-stdin", "李校长", NULL),
                   ==, 0);

  g_assert_cmpint (run_cli (fixture, "accounts", "list", NULL), ==, 0);
  assert_contains (fixture->out, "王老师");
  assert_contains (fixture->out, "Teacher");
  assert_contains (fixture->out, "李校长");
  assert_contains (fixture->out, "School admin");

  g_assert_cmpint (run_cli (fixture, "status", NULL), ==, 0);
  assert_contains (fixture->out, "cunxiao.db");
  assert_contains (fixture->out, "Schema version:");
  assert_contains (fixture->out, "Accounts:");
  g_assert_true (g_regex_match_simple ("Accounts: +2\n", fixture->out, 0, 0));

  g_assert_cmpint (run_cli_with (fixture, NULL, "2468\n", "accounts", "verify", "李校长", NULL), ==,
                   0);
  g_assert_cmpint (run_cli_with (fixture, NULL, "1357\n", "accounts", "verify", "李校长", NULL), ==,
                   1);
  assert_contains (fixture->err, "Wrong PIN");

  /* --data-dir may follow the command as well as precede it. */
  g_assert_cmpint (run_cli (fixture, "status", "--data-dir", fixture->data_dir, NULL), ==, 0);
}

static void
test_search (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;
  CxPackage package = { .package_key = (char *) "math", .title = (char *) "数学" };
  CxResource resource = { .title = (char *) "两位数乘法练习",
                          .subject = (char *) "数学",
                          .grade = 2,
                          .unit = (char *) "第四单元",
                          .kind = (char *) "pdf",
                          .size = 10,
                          .hash = (char *) "00",
                          .path = (char *) "a.pdf" };
  gint64 version;

  g_assert_cmpint (run_cli (fixture, "init", NULL), ==, 0);
  store = cx_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  package.hub_id = cx_store_add_hub (store, "http://127.0.0.1:9/", "ed25519:AAAA", &error);
  version = cx_store_add_package_version (store, cx_store_save_package (store, &package, &error), 1,
                                          "m", 10, &error);
  resource.version_id = version;
  g_assert_cmpint (cx_store_add_resource (store, &resource, &error), >, 0);
  g_assert_true (cx_store_set_package_version_state (store, version, CX_VERSION_INSTALLED, &error));
  g_clear_object (&store);

  g_assert_cmpint (run_cli (fixture, "search", "乘法", NULL), ==, 0);
  assert_contains (fixture->out, "两位数乘法练习\t数学 · grade 2 · 第四单元\tpdf");
  g_assert_cmpint (run_cli (fixture, "search", "除法", NULL), ==, 0);
  assert_contains (fixture->out, "Nothing matches “除法”");

  g_assert_cmpint (run_cli (fixture, "search", NULL), ==, 2);
  assert_contains (fixture->err, "Give the text to search for");
  g_assert_cmpint (run_cli (fixture, "search", "--limit", "0", "x", NULL), ==, 2);
}

static void
test_bad_usage (Fixture *fixture, gconstpointer data)
{
  g_assert_cmpint (run_cli (fixture, "--bogus", NULL), ==, 2);
  assert_contains (fixture->err, "Unknown option --bogus");
  g_assert_cmpint (run_cli (fixture, NULL, NULL), ==, 2);
  assert_contains (fixture->err, "No command given");
  g_assert_cmpint (run_cli (fixture, "frob", NULL), ==, 2);
  assert_contains (fixture->err, "Unknown command “frob”");
  g_assert_cmpint (run_cli (fixture, "status", "--bogus", NULL), ==, 2);
  assert_contains (fixture->err, "Unknown option --bogus");
  g_assert_cmpint (run_cli (fixture, "accounts", "frob", NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, "accounts", "add", NULL), ==, 2);
  assert_contains (fixture->err, "Give exactly one account name");
  g_assert_cmpint (run_cli (fixture, "accounts", "add", "--role", "principal", "x", NULL), ==, 2);
  assert_contains (fixture->err, "Unknown role “principal”");
  g_assert_cmpint (run_cli (fixture, "init", "extra", NULL), ==, 2);
}

static void
test_missing_store (Fixture *fixture, gconstpointer data)
{
  const char *commands[][4] = {
    { "status", NULL },
    { "accounts", "list", NULL },
    { "accounts", "add", "王老师", NULL },
    { "search", "乘法", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_assert_cmpint (run_cli (fixture, commands[i][0], commands[i][1], commands[i][2], NULL), ==,
                       3);
      assert_contains (fixture->err, "There is no store in");
      assert_contains (fixture->err, "cunxiao-cli init");
      g_assert_cmpstr (fixture->out, ==, "");
    }

  /* Nothing was created by asking. */
  g_assert_false (g_file_test (fixture->data_dir, G_FILE_TEST_EXISTS));
}

static void
test_unwritable_location (Fixture *fixture, gconstpointer data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "plain-file", NULL);
  g_autofree char *below_file = g_build_filename (file, "store", NULL);

  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  g_assert_cmpint (run_cli (fixture, "--data-dir", below_file, "init", NULL), ==, 1);
  assert_contains (fixture->err, "Could not create the folder");
  assert_contains (fixture->err, below_file);

  if (geteuid () != 0)
    {
      g_autofree char *locked = g_build_filename (fixture->dir, "locked", NULL);

      g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
      g_assert_cmpint (run_cli (fixture, "--data-dir", locked, "init", NULL), ==, 1);
      assert_contains (fixture->err, "Permission denied");
    }
}

static void
test_duplicate_account (Fixture *fixture, gconstpointer data)
{
  g_assert_cmpint (run_cli (fixture, "init", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, "accounts", "add", "王老师", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, "accounts", "add", "王老师", NULL), ==, 1);
  assert_contains (fixture->err, "already exists");
  g_assert_cmpint (
      run_cli_with (fixture, NULL, "12\n", "accounts", "add", "--pin-stdin", "赵老师", NULL), ==,
      1);
  assert_contains (fixture->err, "The PIN must be 4 to 128 characters long");
  g_assert_cmpint (
      run_cli_with (fixture, NULL, "", "accounts", "add", "--pin-stdin", "赵老师", NULL), ==, 2);
  assert_contains (fixture->err, "No PIN on standard input");

  /* The refusals added nothing. */
  g_assert_cmpint (run_cli (fixture, "status", NULL), ==, 0);
  g_assert_true (g_regex_match_simple ("Accounts: +1\n", fixture->out, 0, 0));
}

static void
test_classes (Fixture *fixture, gconstpointer data)
{
  g_assert_cmpint (run_cli (fixture, "init", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, "class", "list", NULL), ==, 0);
  assert_contains (fixture->out, "No classes yet.");

  g_assert_cmpint (run_cli (fixture, "class", "grade", "三年二班", "4", NULL), ==, 0);
  assert_contains (fixture->out, "三年二班 is now in grade 4");
  g_assert_cmpint (run_cli (fixture, "class", "pupil", "add", "一年级", "王小明", "李红", NULL), ==,
                   0);
  assert_contains (fixture->out, "李红 is on the roster of 一年级");
  g_assert_cmpint (run_cli (fixture, "class", "list", NULL), ==, 0);
  assert_contains (fixture->out, "一年级\tgrade 1 (from the name)\t2 pupils\n"
                                 "三年二班\tgrade 4\t0 pupils\n");

  g_assert_cmpint (run_cli (fixture, "class", "pupil", "add", "一年级", "李红", NULL), ==, 1);
  assert_contains (fixture->err, "already exists");
  g_assert_cmpint (run_cli (fixture, "class", "pupil", "add", "一年级", "", NULL), ==, 1);
  assert_contains (fixture->err, "A pupil’s name is 1 to 64 characters");
  g_assert_cmpint (run_cli (fixture, "class", "pupil", "remove", "一年级", "王小明", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, "class", "pupil", "remove", "一年级", "王小明", NULL), ==, 1);
  assert_contains (fixture->err, "王小明 is not on the roster of 一年级");
  g_assert_cmpint (run_cli (fixture, "class", "pupil", "list", "一年级", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "李红\n");
  g_assert_cmpint (run_cli (fixture, "class", "pupil", "list", "二年级", NULL), ==, 0);
  assert_contains (fixture->out, "Nobody is on the roster of 二年级.");

  g_assert_cmpint (run_cli (fixture, "class", "grade", "三年二班", "13", NULL), ==, 2);
  assert_contains (fixture->err, "A grade is a number from 1 to 12");
  g_assert_cmpint (run_cli (fixture, "class", "grade", "三年二班", "x", NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, "class", "grade", "三年二班", "0", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, "class", "list", NULL), ==, 0);
  assert_contains (fixture->out, "三年二班\tgrade 3 (from the name)\t0 pupils\n");
  g_assert_cmpint (run_cli (fixture, "class", "pupil", "list", NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, "class", "frob", NULL), ==, 2);
  assert_contains (fixture->err, "use “class list”");
}

static void
test_setting_and_hand_in (Fixture *fixture, gconstpointer data)
{
  g_autofree char *work = g_build_filename (fixture->dir, "作文.txt", NULL);
  g_autofree char *program = g_build_filename (fixture->dir, "game.exe", NULL);

  g_assert_cmpint (run_cli (fixture, "init", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, "setting", "record-pupil-names", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "record-pupil-names\toff\n");
  g_assert_cmpint (run_cli (fixture, "setting", "record-pupil-names", "on", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "record-pupil-names\ton\n");
  g_assert_cmpint (run_cli (fixture, "setting", "record-pupil-names", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "record-pupil-names\ton\n");
  g_assert_cmpint (run_cli (fixture, "setting", "record-pupil-names", "maybe", NULL), ==, 2);
  assert_contains (fixture->err, "A setting is either on or off");
  g_assert_cmpint (run_cli (fixture, "setting", "record-everything", "on", NULL), ==, 1);
  assert_contains (fixture->err, "There is no setting “record-everything”");

  cx_test_write_file (work, "春天来了", strlen ("春天来了"));
  cx_test_write_file (program, "MZ\x90", 3);
  g_assert_cmpint (run_cli (fixture, "hand-in", "add", work, program, "--class", "二年级",
                            "--assignment", "看图写话", NULL),
                   ==, 1);
  assert_contains (fixture->out, "Handed in");
  assert_contains (fixture->err, "“game.exe” is a program or script");
  g_assert_cmpint (
      run_cli (fixture, "hand-in", "add", work, "--class", "二年级", "--assignment-id", "7", NULL),
      ==, 1);
  assert_contains (fixture->err, "There is no assignment 7");
  g_assert_cmpint (run_cli (fixture, "hand-in", "list", NULL), ==, 0);
  assert_contains (fixture->out, "二年级\t看图写话\t\t作文.txt");
  g_assert_null (strstr (fixture->out, "game.exe"));
}

static void
test_lessons_and_assignments (Fixture *fixture, gconstpointer data)
{
  g_autofree char *work = g_build_filename (fixture->dir, "朗读.ogg", NULL);

  g_assert_cmpint (run_cli (fixture, "init", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, "lesson", "list", NULL), ==, 0);
  assert_contains (fixture->out, "No lesson plans yet.");
  g_assert_cmpint (run_cli (fixture, "lesson", "add", "静夜思", "--class", "一年级", "--subject",
                            "语文", "--date", "2026-11-23", NULL),
                   ==, 0);
  assert_contains (fixture->out, "Lesson plan 1: 静夜思");
  g_assert_cmpint (run_cli (fixture, "lesson", "add", "春晓", "--date", "23/11", NULL), ==, 1);
  g_assert_cmpint (run_cli (fixture, "lesson", "list", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "1\t2026-11-23\t一年级\t语文\t静夜思\n");

  g_assert_cmpint (
      run_cli (fixture, "assignment", "add", "1", "朗读录音", "--instructions", "读给家人听", NULL),
      ==, 0);
  assert_contains (fixture->out, "Assignment 1: 朗读录音");
  g_assert_cmpint (run_cli (fixture, "assignment", "add", "9", "x", NULL), ==, 1);
  assert_contains (fixture->err, "There is no lesson plan 9");
  g_assert_cmpint (run_cli (fixture, "assignment", "add", "1", "", NULL), ==, 1);
  assert_contains (fixture->err, "An assignment needs a title");
  g_assert_cmpint (run_cli (fixture, "assignment", "add", "one", "x", NULL), ==, 2);

  cx_test_write_file (work, "OggS", 4);
  g_assert_cmpint (run_cli (fixture, "hand-in", "add", work, "--class", "一年级", "--assignment-id",
                            "1", "--pupil", "王小明", NULL),
                   ==, 0);
  g_assert_cmpint (run_cli (fixture, "assignment", "list", "--class", "一年级", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "1\t2026-11-23\t一年级\t静夜思\t朗读录音\t1 hand-in\n");
  g_assert_cmpint (run_cli (fixture, "assignment", "hand-ins", "1", NULL), ==, 0);
  assert_contains (fixture->out, "王小明\t朗读.ogg\t4 bytes\twaiting to be sent");
  g_assert_cmpint (run_cli (fixture, "hand-in", "list", NULL), ==, 0);
  assert_contains (fixture->out, "一年级\t朗读录音\t王小明\t朗读.ogg");
  g_assert_cmpint (run_cli (fixture, "assignment", "list", NULL), ==, 2);
  assert_contains (fixture->err, "Give either --plan or --class");

  g_assert_cmpint (run_cli (fixture, "assignment", "remove", "1", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, "assignment", "remove", "1", NULL), ==, 1);
  assert_contains (fixture->err, "There is no assignment 1");
  g_assert_cmpint (run_cli (fixture, "assignment", "list", "--plan", "1", NULL), ==, 0);
  assert_contains (fixture->out, "No assignments.");
  /* The work stays, under the assignment's title. */
  g_assert_cmpint (run_cli (fixture, "hand-in", "list", NULL), ==, 0);
  assert_contains (fixture->out, "一年级\t朗读录音\t王小明\t朗读.ogg");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cx/cli/help-and-version", test_help_and_version);
  ADD ("/cx/cli/help-in-chinese", test_help_in_chinese);
  ADD ("/cx/cli/init-status-accounts", test_init_status_accounts);
  ADD ("/cx/cli/search", test_search);
  ADD ("/cx/cli/bad-usage", test_bad_usage);
  ADD ("/cx/cli/missing-store", test_missing_store);
  ADD ("/cx/cli/unwritable-location", test_unwritable_location);
  ADD ("/cx/cli/duplicate-account", test_duplicate_account);
  ADD ("/cx/cli/classes", test_classes);
  ADD ("/cx/cli/setting-and-hand-in", test_setting_and_hand_in);
  ADD ("/cx/cli/lessons-and-assignments", test_lessons_and_assignments);
#undef ADD

  return g_test_run ();
}
