"""End-to-end tests of the binary as a whole: init, status, db, global
options, where the database is found, and the errors of each."""
import json
import os
import re
import sqlite3
import stat

from setevoe_test import SetevoeTest, main


class VersionAndHelp(SetevoeTest):
    def test_version_and_help_never_open_the_database(self):
        bad = self.path("not-a-db.txt")
        with open(bad, "w") as f:
            f.write("garbage" * 100)
        for env in ({"SETEVOE_DB": bad}, {"SETEVOE_DB": self.path("missing.db")}):
            r = self.ok("--version", env=env)
            self.assertRegex(r.out, r"^setevoe \d+\.\d+\.\d+")
            r = self.ok("--help", env=env)
            for command in ("init", "member", "direction", "status", "db"):
                self.assertIn(command, r.out)
            self.ok("member", "--help", env=env)
            self.ok("member", "add", "person", "--help", env=env)
        self.assertEqual(os.listdir(self.dir), ["not-a-db.txt"])

    def test_unknown_commands_get_a_hint(self):
        r = self.fails(64, "membr", "list")
        self.assertIn("member", r.err)
        r = self.fails(64, "member", "lst")
        self.assertIn("list", r.err)
        self.fails(64, "frobnicate")
        self.fails(64)
        self.fails(64, "--format", "xml", "status")


class Init(SetevoeTest):
    def test_init_school_and_hub(self):
        school = self.path("school.db")
        r = self.ok("--format", "json", "init", "--name", "МБОУ «СОШ № 3 г. Гудермес»", db=school).json()
        self.assertEqual(r["role"], "school")
        self.assertEqual(r["time_zone"], "Europe/Moscow")
        key = school + ".key"
        self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)
        hub = self.path("hub.db")
        r = self.ok("--format", "json", "init", "--hub", "--name",
                    "МУ «Управление образования Гудермесского муниципального района»", db=hub).json()
        self.assertEqual(r["role"], "hub")
        status = self.ok("--format", "json", "status", db=hub).json()
        self.assertEqual(status["fingerprint"], r["fingerprint"])
        self.assertEqual(status["directions"], 8)
        self.assertTrue(status["key_present"])
        # The secret key is not in the database file.
        with open(hub + ".key") as f:
            secret = f.read().split()[1]
        with open(hub, "rb") as f:
            self.assertNotIn(secret[:64].encode(), f.read())

    def test_init_refuses_to_overwrite(self):
        db = self.init()
        def content():
            with open(db, "rb") as f:
                return f.read()
        before = content()
        r = self.fails(73, "init", "--name", "Другая школа", db=db)
        self.assertIn(db, r.err)
        self.assertEqual(content(), before)

    def test_init_errors_leave_nothing(self):
        self.fails(64, "init", db=self.path("a.db"))  # --name missing
        self.fails(64, "init", "--name", "", db=self.path("a.db"))
        self.fails(64, "init", "--name", "Школа", "--time-zone", "Mars/Olympus", db=self.path("a.db"))
        r = self.fails(73, "init", "--name", "Школа", db=self.path("no/such/folder/a.db"))
        self.assertIn(self.path("no/such/folder"), r.err)
        self.assertNotIn(".init-", r.err)
        os.mkdir(self.path("ro"))
        os.chmod(self.path("ro"), 0o555)
        os.chmod(self.dir, 0o755)
        # As a user who is not root (root writes anywhere).
        r = self.fails(73, "init", "--name", "Школа", db=self.path("ro/a.db"), unprivileged=True)
        self.assertIn(self.path("ro"), r.err)
        self.assertEqual(os.listdir(self.path("ro")), [])
        self.assertEqual(sorted(os.listdir(self.dir)), ["ro"])

    def test_init_time_zone(self):
        db = self.path("tz.db")
        self.ok("init", "--name", "Школа", "--time-zone", "Asia/Yekaterinburg", db=db)
        self.assertEqual(self.ok("--format", "json", "status", db=db).json()["time_zone"], "Asia/Yekaterinburg")


class FindingTheDatabase(SetevoeTest):
    def test_db_flag_env_config_and_default(self):
        env_db = self.path("env.db")
        self.ok("init", "--name", "Школа из переменной", env={"SETEVOE_DB": env_db})
        self.assertEqual(self.ok("--format", "json", "status", env={"SETEVOE_DB": env_db}).json()["name"],
                         "Школа из переменной")
        cfg_db = self.path("cfg.db")
        os.makedirs(self.path("config/setevoe"))
        with open(self.path("config/setevoe/config.toml"), "w") as f:
            f.write(f'# school node\ndb = "{cfg_db}"\n')
        self.ok("init", "--name", "Школа из конфигурации")
        self.assertEqual(self.ok("--format", "json", "status").json()["db"], cfg_db)
        # --db beats SETEVOE_DB beats the config file.
        self.assertEqual(self.ok("--format", "json", "status", env={"SETEVOE_DB": env_db}).json()["db"], env_db)
        self.assertEqual(self.ok("--format", "json", "status", db=cfg_db, env={"SETEVOE_DB": env_db}).json()["db"],
                         cfg_db)
        os.remove(self.path("config/setevoe/config.toml"))
        self.ok("init", "--name", "Школа по умолчанию")
        self.assertTrue(os.path.exists(self.path("data/setevoe/setevoe.db")))

    def test_bad_config_file(self):
        os.makedirs(self.path("config/setevoe"))
        with open(self.path("config/setevoe/config.toml"), "w") as f:
            f.write("db = \n")
        r = self.fails(65, "status")
        self.assertIn("config.toml", r.err)
        with open(self.path("config/setevoe/config.toml"), "w") as f:
            f.write('colour = "red"\n')
        r = self.fails(65, "status")
        self.assertIn("colour", r.err)
        self.fails(66, "status", env={"SETEVOE_CONFIG": self.path("nope.toml")})

    def test_missing_database_points_to_where_the_path_came_from(self):
        r = self.fails(66, "status", db=self.path("missing.db"))
        self.assertIn("init", r.err)
        r = self.fails(66, "status", env={"SETEVOE_DB": self.path("missing.db")})
        self.assertIn("SETEVOE_DB", r.err)

    def test_files_that_are_not_setevoe_databases(self):
        text = self.path("text.db")
        with open(text, "w") as f:
            f.write("not sqlite " * 200)
        self.fails(65, "status", db=text)
        other = self.path("other.db")
        con = sqlite3.connect(other)
        con.execute("CREATE TABLE t(x)")
        con.close()
        r = self.fails(65, "status", db=other)
        self.assertIn("not a setevoe database", r.err)
        empty = self.path("empty.db")
        open(empty, "w").close()
        self.fails(65, "status", db=empty)
        self.fails(64, "status", db=self.dir)  # a folder

    def test_database_from_a_newer_version(self):
        db = self.init()
        con = sqlite3.connect(db)
        con.execute("PRAGMA user_version = 999")
        con.close()
        r = self.fails(65, "member", "list", db=db)
        self.assertIn("newer", r.err)


class Status(SetevoeTest):
    def test_status_counts_and_unsent_changes(self):
        db = self.init()
        school = self.add_org(db, "СОШ № 1")
        self.add_person(db, "Исаев Ахмед Русланович", school, "--email", "isaev@sch1.example.ru")
        s = self.ok("--format", "json", "status", db=db).json()
        self.assertEqual(s["orgs"], 1)
        self.assertEqual(s["people"], 1)
        self.assertEqual(s["changes"], 3)  # org, person, contacts
        self.assertEqual(s["unsent"], 3)
        self.assertEqual(s["own_changes"], 3)
        self.assertRegex(s["fingerprint"], r"^([0-9a-f]{4} ){7}[0-9a-f]{4}$")
        table = self.ok("status", db=db).out
        self.assertIn(s["fingerprint"], table)
        self.assertIn("МБОУ «СОШ № 3 г. Гудермес»", table)
        os.remove(db + ".key")
        self.assertIn("MISSING", self.ok("status", db=db).out)


class DbMaintenance(SetevoeTest):
    def test_check_and_backup(self):
        db = self.init()
        self.add_org(db, "СОШ № 1")
        self.assertIn("ok", self.ok("db", "check", db=db).out)
        backup = self.path("backup.db")
        r = self.ok("db", "backup", backup, db=db)
        self.assertIn(".key", r.out)
        self.assertEqual(self.ok("--format", "json", "member", "list", db=backup).json()[0]["name"], "СОШ № 1")
        self.fails(73, "db", "backup", backup, db=db)
        self.ok("--yes", "db", "backup", backup, db=db)
        self.fails(73, "db", "backup", self.path("missing/backup.db"), db=db)
        self.assertEqual(sorted(f for f in os.listdir(self.dir) if "part" in f), [])

    def test_check_finds_damage(self):
        db = self.init()
        self.add_org(db, "СОШ № 1")
        con = sqlite3.connect(db)
        con.execute("UPDATE org SET _v = 'not json'")
        con.commit()
        con.close()
        r = self.fails(65, "--format", "json", "db", "check", db=db)
        report = json.loads(r.out)
        self.assertFalse(report["ok"])
        self.assertTrue(any("org" in p for p in report["problems"]))


class Messages(SetevoeTest):
    def test_russian_messages_follow_the_locale(self):
        catalogue = os.path.join(os.path.dirname(os.environ.get("SETEVOE", "")), "locale", "ru")
        if not os.path.isdir(catalogue):
            self.skipTest("no Russian catalogue built")
        cyrillic = re.compile("[А-Яа-я]")
        for env in ({"LANGUAGE": "ru"}, {"LANGUAGE": "", "LANG": "ru_RU.UTF-8"}, {"LANGUAGE": "", "LC_ALL": "ru_RU.UTF-8"}):
            with self.subTest(env=env):
                r = self.fails(66, "status", db=self.path("missing.db"), env=env)
                self.assertRegex(r.err, cyrillic)
        r = self.fails(66, "status", db=self.path("missing.db"), env={"LANGUAGE": "en"})
        self.assertNotRegex(r.err, cyrillic)
        r = self.fails(66, "status", db=self.path("missing.db"), env={"LANGUAGE": "", "LANG": "C"})
        self.assertNotRegex(r.err, cyrillic)


if __name__ == "__main__":
    main()
