"""Atomicity under SIGKILL: `bundle merge` and `bundle pack` killed at random
moments leave the database intact and equal to its state before or after, and
no partial bundle or temporary file survives the next command.

SETEVOE_KILLS sets the number of kills of each (default 60, so 120 in all)."""
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import time

from setevoe_test import BINARY, SetevoeTest, main

KILLS = int(os.environ.get("SETEVOE_KILLS", "60"))


def state(db):
    con = sqlite3.connect(db)
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        orgs = con.execute("SELECT count(*) FROM org").fetchone()[0]
        changes = con.execute("SELECT count(*) FROM change").fetchone()[0]
        logged = con.execute("SELECT count(*) FROM bundle_log").fetchone()[0]
    finally:
        con.close()
    return check, orgs, changes, logged


class Kill(SetevoeTest):
    def setUp(self):
        super().setUp()
        self.hub = self.init("hub.db", hub=True, title="УО")
        self.school = self.init("school.db", title="СОШ № 1")
        # A school with a few thousand records makes merging take a while.
        rows = "type,kind,name\n" + "".join(f"org,school,Школа {i}\n" for i in range(3000))
        with open(self.path("many.csv"), "w", encoding="utf-8") as f:
            f.write(rows)
        self.ok("member", "import", self.path("many.csv"), db=self.school)
        # Attached files: the merge stages them under temporary names.
        self.files = {}
        for n in range(3):
            data = bytes((i * 7 + n) % 251 for i in range(1 << 20))
            name = self.path(f"план-{n}.bin")
            with open(name, "wb") as f:
                f.write(data)
            self.files[hashlib.sha256(data).hexdigest()] = data
        self.ok("member", "attach", "Школа 1", *[self.path(f"план-{n}.bin") for n in range(3)], db=self.school)
        self.ok("bundle", "pack", "--to", "hub", "-o", self.path("request.zip"), db=self.school)
        self.run_setevoe("bundle", "merge", self.path("request.zip"), db=self.hub)  # records the request
        self.ok("node", "approve", "СОШ № 1", db=self.hub)
        con = sqlite3.connect(self.hub)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        self.before = state(self.hub)

    def fresh_hub(self, name):
        work = self.path(name)
        for suffix in ("", "-wal", "-shm", ".key"):
            if os.path.exists(work + suffix):
                os.remove(work + suffix)
        shutil.copy(self.hub, work)
        shutil.copy(self.hub + ".key", work + ".key")
        return work

    @staticmethod
    def stray(folder):
        """Temporary files left in the object store."""
        return [f for _, _, files in os.walk(folder) for f in files if f.startswith(".tmp-")]

    def run_and_kill(self, args, delay):
        env = dict(self.env)
        proc = subprocess.Popen([BINARY] + args, env=env, cwd=self.dir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.kill()
        proc.wait()
        return proc.returncode

    def test_merge_killed_at_random_moments(self):
        work = self.fresh_hub("timing.db")
        t0 = time.monotonic()
        self.ok("bundle", "merge", self.path("request.zip"), db=work)
        full = time.monotonic() - t0
        after = state(work)
        self.assertEqual(after[1], 3000)
        rng = random.Random(20261128)
        outcomes = {"before": 0, "after": 0}
        for i in range(KILLS):
            work = self.fresh_hub("work.db")
            self.run_and_kill(["--db", work, "bundle", "merge", self.path("request.zip")], rng.uniform(0, full * 1.2))
            s = state(work)
            self.assertEqual(s[0], "ok", f"kill {i}")
            self.assertIn(s[1:], (self.before[1:], after[1:]), f"kill {i}: neither the state before nor after")
            outcomes["after" if s[1:] == after[1:] else "before"] += 1
            # The next command finds everything in order and merges what is left.
            self.ok("bundle", "merge", self.path("request.zip"), db=work)
            self.assertEqual(state(work)[1:3], after[1:3])
            self.assertEqual(self.stray(work + ".objects"), [], f"kill {i}")
            for sha, data in self.files.items():
                with open(os.path.join(work + ".objects", sha[:2], sha[2:]), "rb") as f:
                    self.assertEqual(f.read(), data, f"kill {i}")
            shutil.rmtree(work + ".objects")
        self.assertGreater(outcomes["before"], 0, outcomes)  # some kills really interrupted the merge

    def test_pack_killed_at_random_moments(self):
        out = self.path("out")
        os.mkdir(out)
        t0 = time.monotonic()
        self.ok("bundle", "pack", "--to", "hub", "-o", os.path.join(out, "timing.zip"), db=self.school)
        full = time.monotonic() - t0
        rng = random.Random(28112026)
        for i in range(KILLS):
            target = os.path.join(out, f"b{i}.zip")
            self.run_and_kill(["--db", self.school, "bundle", "pack", "--to", "hub", "-o", target],
                              rng.uniform(0, full * 1.2))
            if os.path.exists(target):  # complete, or not there at all
                self.ok("bundle", "verify", target, db=self.school)
            con = sqlite3.connect(self.school)
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            con.close()
        self.ok("bundle", "pack", "--to", "hub", "-o", os.path.join(out, "last.zip"), db=self.school)
        leftovers = [f for f in os.listdir(out) if "setevoe-part" in f]
        self.assertEqual(leftovers, [])
        self.assertEqual([f for f in os.listdir(self.dir) if f.startswith("setevoe-bundle")], [])


if __name__ == "__main__":
    main()
