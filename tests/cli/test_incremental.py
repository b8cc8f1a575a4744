"""Incremental exchange on a large registry: after one change on a database of
100,000 rows, the next bundle to a peer that has acknowledged everything
carries only that change; with no change, it carries none and is under 4 KiB.
A lost bundle needs no repair: the next one carries its changes again."""
import os
import sqlite3
import zipfile

from setevoe_test import SetevoeTest, main

ROWS = 100_000


class Incremental(SetevoeTest):
    def inspect(self, path):
        return self.ok("--format", "json", "bundle", "inspect", path, db=self.hub).json()

    def pack(self, db, to, name):
        path = self.path(name)
        self.ok("bundle", "pack", "--to", to, "-o", path, db=db)
        return path

    def test_one_change_on_a_large_database_travels_alone(self):
        self.hub = self.init("hub.db", hub=True, title="УО")
        school = self.init("school.db", title="СОШ № 1")
        with open(self.path("big.csv"), "w", encoding="utf-8") as f:
            f.write("type,kind,name,org,position\norg,school,СОШ № 1,,\n")
            for i in range(ROWS - 1):
                f.write(f"person,,Учитель {i:06d} Тестович,СОШ № 1,учитель\n")
        self.ok("member", "import", self.path("big.csv"), db=school)
        con = sqlite3.connect(school)
        rows = con.execute("SELECT (SELECT count(*) FROM org) + (SELECT count(*) FROM person)").fetchone()[0]
        con.close()
        self.assertGreaterEqual(rows, ROWS)

        # Enrolment: everything goes to the hub, the hub's answer acknowledges it.
        first = self.pack(school, "hub", "first.zip")
        self.assertGreaterEqual(self.inspect(first)["changes"], ROWS)
        self.ok("bundle", "merge", "--approve", first, db=self.hub)
        self.ok("bundle", "merge", self.pack(self.hub, "СОШ № 1", "answer.zip"), db=school)

        # One change: the next bundle carries it and nothing else.
        self.ok("member", "edit", "Учитель 004242 Тестович", "--position", "учитель физики", db=school)
        one = self.pack(school, "hub", "one.zip")
        shown = self.inspect(one)
        self.assertEqual((shown["changes"], shown["fields"]), (1, 1), shown)
        with zipfile.ZipFile(one) as z:
            with z.open("changes.sqlite") as f, open(self.path("one.sqlite"), "wb") as out:
                out.write(f.read())
        con = sqlite3.connect(self.path("one.sqlite"))
        self.assertEqual(con.execute("SELECT name, value FROM field").fetchall(), [("position", "учитель физики")])
        con.close()

        # Lost on the way: the next bundle carries the change again, and merges.
        again = self.pack(school, "hub", "again.zip")
        self.assertEqual(self.inspect(again)["changes"], 1)
        r = self.ok("--format", "json", "bundle", "merge", again, db=self.hub).json()[0]
        self.assertEqual(r["applied"], 1)
        self.ok("bundle", "merge", one, db=self.hub)  # the lost one turns up late: harmless

        # Acknowledged, and nothing new on either side: empty and small.
        self.ok("bundle", "merge", self.pack(self.hub, "СОШ № 1", "ack.zip"), db=school)
        for db, to, name in ((school, "hub", "empty-up.zip"), (self.hub, "СОШ № 1", "empty-down.zip")):
            empty = self.pack(db, to, name)
            shown = self.inspect(empty)
            self.assertEqual((shown["changes"], shown["objects"]), (0, 0), name)
            self.assertLess(os.path.getsize(empty), 4096, f"{name} is {os.path.getsize(empty)} bytes")


if __name__ == "__main__":
    main()
