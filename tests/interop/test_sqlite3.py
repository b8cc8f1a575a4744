"""Interop: the real sqlite3 shell opens what setevoe writes, finds it
intact, and can read the registry, the change log and a backup."""
import shutil
import subprocess
import unittest

from setevoe_test import SetevoeTest, main


@unittest.skipUnless(shutil.which("sqlite3"), "sqlite3 is not installed")
class Sqlite3Shell(SetevoeTest):
    def sql(self, db, query):
        r = subprocess.run(["sqlite3", "-batch", db, query], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def test_integrity_and_contents(self):
        db = self.init(hub=True, title="УО Гудермесского района")
        school = self.add_org(db, "МБОУ «СОШ № 1 г. Гудермес»")
        p = self.add_person(db, "Исаев Ахмед Русланович", school)
        self.ok("member", "expert", p, "--direction", "gifted", db=db)
        self.assertEqual(self.sql(db, "PRAGMA integrity_check"), "ok")
        self.assertEqual(self.sql(db, "PRAGMA journal_mode"), "wal")
        self.assertEqual(self.sql(db, "PRAGMA application_id"), str(0x5354564F))
        self.assertEqual(self.sql(db, "SELECT name FROM person"), "Исаев Ахмед Русланович")
        self.assertEqual(self.sql(db, "SELECT count(*) FROM change"), "3")
        self.assertEqual(self.sql(db, "SELECT group_concat(tbl, ',') FROM (SELECT tbl FROM change ORDER BY seq)"),
                         "org,person,expertise")
        backup = self.path("copy.db")
        self.ok("db", "backup", backup, db=db)
        self.assertEqual(self.sql(backup, "PRAGMA integrity_check"), "ok")
        self.assertEqual(self.sql(backup, "PRAGMA journal_mode"), "delete")
        self.assertEqual(self.sql(backup, "SELECT count(*) FROM expertise"), "1")

    def test_backup_while_another_process_writes(self):
        db = self.init()
        school = self.add_org(db, "СОШ № 1")
        writer = subprocess.Popen(["sqlite3", db], stdin=subprocess.PIPE, text=True)
        # Another connection holds an open write transaction with rows not yet committed.
        writer.stdin.write("BEGIN IMMEDIATE; UPDATE org SET name = 'черновик' WHERE id = '%s';\n" % school)
        writer.stdin.flush()
        backup = self.path("during.db")
        self.ok("db", "backup", backup, db=db)
        writer.stdin.write("ROLLBACK;\n.quit\n")
        writer.stdin.close()
        writer.wait(timeout=30)
        self.assertEqual(self.sql(backup, "SELECT name FROM org"), "СОШ № 1")
        self.assertEqual(self.sql(backup, "PRAGMA integrity_check"), "ok")


if __name__ == "__main__":
    main()
