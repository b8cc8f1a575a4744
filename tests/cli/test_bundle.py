"""End-to-end tests of `setevoe bundle` and `setevoe node`: enrolment, the
first exchange both ways, idempotence, incremental bundles, authority and
trust refusals, and damaged files — the real binary on temporary databases."""
import json
import os
import shutil
import sqlite3
import subprocess
import tomllib
import unittest
import warnings
import zipfile

from setevoe_test import SetevoeTest, main


class Network(SetevoeTest):
    """A hub and two schools, each with its own database."""

    def setUp(self):
        super().setUp()
        self.hub = self.init("hub.db", hub=True, title="МУ «Управление образования Гудермесского района»")
        self.s1 = self.init("s1.db", title="МБОУ «СОШ № 1 г. Гудермес»")
        self.s2 = self.init("s2.db", title="МБОУ «Брагунская СОШ»")
        self.n = 0

    def pack(self, db, to):
        self.n += 1
        path = self.path(f"b{self.n}.zip")
        self.ok("bundle", "pack", "--to", to, "-o", path, db=db)
        return path

    def enrol(self, school, name):
        request = self.pack(school, "hub")
        r = self.fails(77, "bundle", "merge", request, db=self.hub)
        self.assertIn("node approve", r.err)
        self.ok("node", "approve", name, db=self.hub)
        self.ok("bundle", "merge", request, db=self.hub)
        self.ok("bundle", "merge", self.pack(self.hub, name), db=school)

    def dump(self, db):
        """Every replicated row's values (versions are compared by the unit tests)."""
        con = sqlite3.connect(db)
        rows = []
        for table in ("org", "person", "membership", "expertise", "direction"):
            cols = [c[1] for c in con.execute(f"PRAGMA table_info({table})") if c[1] != "_v"]
            rows += [(table,) + r for r in con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id")]
        con.close()
        return rows


class Enrolment(Network):
    def test_enrolment_and_first_exchange(self):
        org = self.add_org(self.s1, "МБОУ «СОШ № 1 г. Гудермес»", short="СОШ № 1")
        self.add_person(self.s1, "Исаев Ахмед Русланович", org, "--email", "isaev@sch1.example.ru")
        request = self.pack(self.s1, "hub")
        shown = self.ok("--format", "json", "bundle", "inspect", request, db=self.hub).json()
        self.assertEqual(shown["sender_name"], "МБОУ «СОШ № 1 г. Гудермес»")
        self.assertEqual(shown["recipient"], "")
        fingerprint = self.ok("--format", "json", "status", db=self.s1).json()["fingerprint"]
        self.assertEqual(shown["fingerprint"], fingerprint)
        r = self.fails(77, "bundle", "merge", request, db=self.hub)
        self.assertIn(fingerprint, r.err)
        nodes = self.ok("--format", "json", "node", "list", db=self.hub).json()
        self.assertEqual([(n["name"], n["state"]) for n in nodes], [("МБОУ «СОШ № 1 г. Гудермес»", "pending")])
        self.assertEqual(self.ok("--format", "json", "member", "list", db=self.hub).json(), [])
        merged = self.ok("--format", "json", "bundle", "merge", "--approve", request, db=self.hub).json()[0]
        self.assertEqual(merged["applied"], 3)  # org, person, contacts
        self.assertEqual(self.ok("--format", "json", "member", "show", "Исаев Ахмед Русланович",
                                 db=self.hub).json()["email"], "isaev@sch1.example.ru")
        again = self.ok("bundle", "merge", request, db=self.hub)
        self.assertIn("already merged", again.out)
        # The hub's answer pins its key at the school and acknowledges the school's changes.
        self.ok("bundle", "merge", self.pack(self.hub, "МБОУ «СОШ № 1 г. Гудермес»"), db=self.s1)
        peers = self.ok("--format", "json", "node", "list", db=self.s1).json()
        self.assertEqual([(p["role"], p["state"]) for p in peers], [("hub", "approved")])
        nothing = self.ok("--format", "json", "bundle", "pack", "--to", "hub", "-o", self.path("empty.zip"),
                          db=self.s1).json()
        self.assertEqual(nothing["changes"], 0)
        self.assertLess(os.path.getsize(self.path("empty.zip")), 40 * 1024)
        log = self.ok("--format", "json", "bundle", "log", db=self.hub).json()
        self.assertEqual([e["direction"] for e in log], ["received", "received", "sent"])

    def test_schools_learn_each_other_through_the_hub(self):
        self.enrol(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        self.enrol(self.s2, "МБОУ «Брагунская СОШ»")
        org = self.add_org(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        p = self.add_person(self.s1, "Исаев Ахмед Русланович", org, "--email", "isaev@sch1.example.ru")
        self.ok("bundle", "merge", self.pack(self.s1, "hub"), db=self.hub)
        self.ok("bundle", "merge", self.pack(self.hub, "МБОУ «Брагунская СОШ»"), db=self.s2)
        shown = self.ok("--format", "json", "member", "show", p, db=self.s2).json()
        self.assertEqual(shown["name"], "Исаев Ахмед Русланович")
        self.assertNotIn("email", shown)  # contact details stay between the owner and the hub
        self.assertEqual(self.dump(self.s2), self.dump(self.hub))

    def test_concurrent_edit_is_a_logged_conflict(self):
        self.enrol(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        org = self.add_org(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        self.ok("bundle", "merge", self.pack(self.s1, "hub"), db=self.hub)
        self.ok("member", "edit", org, "--short", "СОШ-1", db=self.s1)
        self.ok("member", "edit", org, "--short", "СОШ № 1", db=self.hub)
        self.ok("bundle", "merge", self.pack(self.s1, "hub"), db=self.hub)
        self.ok("bundle", "merge", self.pack(self.hub, "МБОУ «СОШ № 1 г. Гудермес»"), db=self.s1)
        self.assertEqual(self.dump(self.s1), self.dump(self.hub))
        conflicts = self.ok("--format", "json", "bundle", "conflicts", db=self.hub).json()
        self.assertEqual(len(conflicts), 1)
        self.assertEqual(conflicts[0]["field"], "short_name")
        self.assertEqual({conflicts[0]["winner"], conflicts[0]["loser"]}, {"СОШ-1", "СОШ № 1"})


class Refusals(Network):
    def test_unknown_revoked_and_forged_senders(self):
        self.enrol(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        # A school the hub never introduced cannot send to another school.
        r = self.fails(77, "bundle", "merge", self.pack(self.s2, "hub"), db=self.s1)
        self.assertIn("not known", r.err)
        # Revoked: refused.
        self.ok("node", "revoke", "МБОУ «СОШ № 1 г. Гудермес»", db=self.hub)
        self.add_org(self.s1, "СОШ № 1")
        self.fails(77, "bundle", "merge", self.pack(self.s1, "hub"), db=self.hub)
        self.ok("node", "approve", "МБОУ «СОШ № 1 г. Гудермес»", db=self.hub)
        # Only the hub approves.
        self.fails(77, "node", "approve", "hub", db=self.s1)

    def test_revocation_travels_to_the_schools(self):
        self.enrol(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        self.enrol(self.s2, "МБОУ «Брагунская СОШ»")  # the hub's bundle names the first school too
        states = {n["name"]: n["state"] for n in self.ok("--format", "json", "node", "list", db=self.s2).json()}
        self.assertEqual(states["МБОУ «СОШ № 1 г. Гудермес»"], "approved")
        self.ok("bundle", "merge", self.pack(self.hub, "МБОУ «СОШ № 1 г. Гудермес»"), db=self.s1)  # learns of s2
        self.add_org(self.s1, "СОШ № 1")
        self.ok("bundle", "merge", self.pack(self.s1, "МБОУ «Брагунская СОШ»"), db=self.s2)  # a horizontal link
        self.ok("node", "revoke", "МБОУ «СОШ № 1 г. Гудермес»", db=self.hub)
        self.ok("bundle", "merge", self.pack(self.hub, "МБОУ «Брагунская СОШ»"), db=self.s2)
        states = {n["name"]: n["state"] for n in self.ok("--format", "json", "node", "list", db=self.s2).json()}
        self.assertEqual(states["МБОУ «СОШ № 1 г. Гудермес»"], "revoked")
        self.add_org(self.s1, "СОШ № 1 (филиал)")
        r = self.fails(77, "bundle", "merge", self.pack(self.s1, "МБОУ «Брагунская СОШ»"), db=self.s2)
        self.assertIn("revoked", r.err)

    def test_a_bundle_for_another_node_is_refused(self):
        self.enrol(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        self.enrol(self.s2, "МБОУ «Брагунская СОШ»")
        for_s1 = self.pack(self.hub, "МБОУ «СОШ № 1 г. Гудермес»")
        r = self.fails(77, "bundle", "merge", for_s1, db=self.s2)
        self.assertIn("for the node", r.err)

    def test_damaged_bundles_change_nothing(self):
        self.enrol(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        self.add_org(self.s1, "СОШ № 1")
        good = self.pack(self.s1, "hub")
        before = self.dump(self.hub)
        with zipfile.ZipFile(good) as z:
            entries = {i.filename: z.read(i.filename) for i in z.infolist()}

        def craft(name, edit):
            e = dict(entries)
            edit(e)
            path = self.path(name)
            with zipfile.ZipFile(path, "w") as z:
                for k, v in e.items():
                    z.writestr(k, v)
            return path
        cases = {
            "changed manifest": (craft("m.zip", lambda e: e.update({"manifest.toml": e["manifest.toml"] + b"#\n"})), 77),
            "changed changes": (craft("c.zip", lambda e: e.update({"changes.sqlite": e["changes.sqlite"][:-1] + b"x"})), 65),
            "zip slip": (craft("s.zip", lambda e: e.update({"../../etc/x": b"x"})), 65),
            "no signature": (craft("n.zip", lambda e: e.pop("manifest.sig")), 65),
        }
        with open(self.path("garbage.zip"), "wb") as f:
            f.write(os.urandom(3000))
        cases["garbage"] = (self.path("garbage.zip"), 65)
        with open(good, "rb") as f:
            data = f.read()
        with open(self.path("cut.zip"), "wb") as f:
            f.write(data[: len(data) // 2])
        cases["truncated"] = (self.path("cut.zip"), 65)
        for what, (path, code) in cases.items():
            with self.subTest(what):
                self.fails(code, "bundle", "merge", path, db=self.hub)
                self.fails(code, "bundle", "verify", path, db=self.hub)
        self.assertEqual(self.dump(self.hub), before)
        self.fails(66, "bundle", "merge", self.path("missing.zip"), db=self.hub)
        self.fails(73, "bundle", "pack", "--to", "hub", "-o", good, db=self.s1)  # never overwritten
        self.fails(66, "bundle", "pack", "--to", "Нет такого узла", "-o", self.path("x.zip"), db=self.hub)

    def test_hostile_zip_structures(self):
        """Zip-level attacks, refused before the signature is even looked at."""
        self.enrol(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        good = self.pack(self.s1, "hub")
        with zipfile.ZipFile(good) as z:
            entries = {i.filename: z.read(i.filename) for i in z.infolist()}
        before = self.dump(self.hub)

        def write(name, items):
            path = self.path(name)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # duplicate names are the point
                with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
                    for info, data in items:
                        z.writestr(info, data)
            return path

        def plain(extra):
            return [(n, d) for n, d in entries.items()] + extra
        link = zipfile.ZipInfo("objects/" + "c" * 64)
        link.create_system = 3
        link.external_attr = (0o120777 << 16)  # a symbolic link
        folder = zipfile.ZipInfo("objects/")
        bomb = zipfile.ZipInfo("changes.sqlite")
        bomb.compress_type = zipfile.ZIP_DEFLATED
        cases = {
            "symlink entry": write("link.zip", plain([(link, "/etc/passwd")])),
            "duplicate entry": write("dup.zip", plain([("manifest.toml", b"format = 'x'\n")])),
            "folder entry": write("dir.zip", plain([(folder, b"")])),
            "absolute path": write("abs.zip", plain([("/tmp/evil", b"x")])),
            "parent path": write("up.zip", plain([("objects/../../evil", b"x")])),
            "backslash": write("bs.zip", plain([("..\\evil", b"x")])),
            "control character": write("ctl.zip", plain([("objects/\x01", b"x")])),
            "zip bomb": write("bomb.zip", [(n, d) for n, d in entries.items() if n != "changes.sqlite"] +
                              [(bomb, b"\0" * (64 << 20))]),
            "empty file": write("empty.zip", []),
        }
        with open(self.path("zero.zip"), "wb"):
            pass
        cases["zero bytes"] = self.path("zero.zip")
        for what, path in cases.items():
            with self.subTest(what):
                r = self.fails(65, "bundle", "merge", path, db=self.hub)
                self.assertIn("bundle", r.err)
        self.assertEqual(self.dump(self.hub), before)
        self.ok("bundle", "merge", good, db=self.hub)  # the genuine one is still fine

    def test_many_files_each_on_its_own(self):
        self.enrol(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        self.add_org(self.s1, "СОШ № 1")
        good = self.pack(self.s1, "hub")
        with open(self.path("bad.zip"), "w") as f:
            f.write("not a zip")
        r = self.run_setevoe("bundle", "merge", self.path("bad.zip"), good, db=self.hub)
        self.assertEqual(r.code, 65, repr(r))
        self.assertIn("СОШ № 1", self.ok("member", "list", db=self.hub).out)


class Encryption(Network):
    def test_encrypted_bundles_open_only_for_their_recipient(self):
        self.enrol(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        self.enrol(self.s2, "МБОУ «Брагунская СОШ»")
        org = self.add_org(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        self.add_person(self.s1, "Исаев Ахмед Русланович", org, "--email", "isaev@sch1.example.ru")
        path = self.path("sealed.zip")
        packed = self.ok("--format", "json", "bundle", "pack", "--to", "hub", "--encrypt", "-o", path, db=self.s1).json()
        self.assertTrue(packed["encrypted"])
        with zipfile.ZipFile(path) as z:
            self.assertNotIn("isaev@sch1.example.ru".encode(), z.read("changes.sqlite"))
        shown = self.ok("--format", "json", "bundle", "inspect", path, db=self.s2).json()
        self.assertTrue(shown["encrypted"])
        self.assertEqual(shown["changes"], packed["changes"])  # inspect still shows sender and counts
        r = self.fails(77, "bundle", "merge", path, db=self.s2)
        self.assertIn("encrypted", r.err)
        self.ok("bundle", "merge", path, db=self.hub)
        self.assertEqual(self.ok("--format", "json", "member", "show", "Исаев Ахмед Русланович", db=self.hub)
                         .json()["email"], "isaev@sch1.example.ru")
        self.fails(64, "bundle", "pack", "--to", "hub", "--encrypt", "-o", self.path("x.zip"),
                   db=self.init("new.db", title="Новая школа"))  # no hub key yet


class Folders(Network):
    def test_sync_through_inbox_and_outbox(self):
        for d in ("hub-in", "hub-out", "s1-in", "s1-out"):
            os.mkdir(self.path(d))

        def carry(src, dst):
            for f in os.listdir(self.path(src)):
                if f.endswith(".zip"):
                    shutil.move(os.path.join(self.path(src), f), os.path.join(self.path(dst), f))
        self.add_org(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        self.ok("bundle", "sync", "--inbox", self.path("s1-in"), "--outbox", self.path("s1-out"), db=self.s1)
        self.assertEqual(len(os.listdir(self.path("s1-out"))), 1)  # the enrolment request
        carry("s1-out", "hub-in")
        r = self.fails(77, "bundle", "sync", "--inbox", self.path("hub-in"), "--outbox", self.path("hub-out"), db=self.hub)
        self.assertIn("node approve", r.err)
        self.assertEqual(len([f for f in os.listdir(self.path("hub-in")) if f.endswith(".zip")]), 1)  # kept for later
        self.ok("node", "approve", "МБОУ «СОШ № 1 г. Гудермес»", db=self.hub)
        r = self.ok("--format", "json", "bundle", "sync", "--inbox", self.path("hub-in"), "--outbox", self.path("hub-out"),
                    db=self.hub).json()
        self.assertEqual(len(r["merged"]), 1)
        self.assertEqual(len(r["packed"]), 1)
        self.assertEqual(os.listdir(self.path("hub-in/merged")), [os.path.basename(r["merged"][0]["file"])])
        carry("hub-out", "s1-in")
        self.ok("bundle", "sync", "--inbox", self.path("s1-in"), "--outbox", self.path("s1-out"), db=self.s1)
        self.assertEqual(self.dump(self.s1), self.dump(self.hub))
        quiet = self.ok("bundle", "sync", "--inbox", self.path("hub-in"), "--outbox", self.path("hub-out"), db=self.hub)
        self.assertIn("Nothing", quiet.out)
        self.fails(66, "bundle", "sync", "--inbox", self.path("none"), "--outbox", self.path("hub-out"), db=self.hub)


class Recovery(Network):
    def test_dry_run_records_nothing(self):
        request = self.pack(self.s1, "hub")
        self.fails(77, "bundle", "merge", "--dry-run", request, db=self.hub)
        self.ok("bundle", "merge", "--dry-run", "--approve", request, db=self.hub)
        self.assertEqual(self.ok("--format", "json", "node", "list", db=self.hub).json(), [])
        self.assertEqual(self.ok("--format", "json", "bundle", "log", db=self.hub).json(), [])

    def test_a_restored_database_never_reuses_sequence_numbers(self):
        self.enrol(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        org = self.add_org(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        self.ok("db", "backup", self.path("s1-backup.db"), db=self.s1)
        before = self.add_person(self.s1, "Исаев Ахмед Русланович", org)  # made after the backup
        self.ok("bundle", "merge", self.pack(self.s1, "hub"), db=self.hub)
        # The school's disk dies; the backup is put back in place.
        shutil.copy(self.path("s1-backup.db"), self.s1)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(self.s1 + suffix):
                os.remove(self.s1 + suffix)
        after = self.add_person(self.s1, "Петрова Анна Сергеевна", org)
        merged = self.ok("--format", "json", "bundle", "merge", self.pack(self.s1, "hub"), db=self.hub).json()[0]
        self.assertEqual(merged["applied"], 1)  # the new person, not mistaken for an old change
        # The hub's next bundles bring back what the school lost.
        self.ok("bundle", "merge", self.pack(self.hub, "МБОУ «СОШ № 1 г. Гудермес»"), db=self.s1)
        self.ok("bundle", "merge", self.pack(self.hub, "МБОУ «СОШ № 1 г. Гудермес»"), db=self.s1)
        for db in (self.s1, self.hub):
            names = {r["id"] for r in self.ok("--format", "json", "member", "list", "--kind", "person", db=db).json()}
            self.assertEqual(names, {before, after})
        self.assertEqual(self.dump(self.s1), self.dump(self.hub))
        con = sqlite3.connect(self.s1)
        streams = con.execute("SELECT count(*) FROM origin WHERE node = (SELECT id FROM node WHERE is_self = 1) "
                              "AND private = 0").fetchone()[0]
        con.close()
        self.assertEqual(streams, 2)  # the old incarnation and the new one


@unittest.skipUnless(shutil.which("unzip") and shutil.which("sqlite3"), "unzip and sqlite3 are needed")
class Interop(Network):
    def test_unzip_and_sqlite3_read_a_bundle(self):
        org = self.add_org(self.s1, "МБОУ «СОШ № 1 г. Гудермес»")
        path = self.pack(self.s1, "hub")
        listing = subprocess.run(["unzip", "-l", path], capture_output=True, text=True)
        self.assertEqual(listing.returncode, 0, listing.stderr)
        for name in ("manifest.toml", "manifest.sig", "changes.sqlite"):
            self.assertIn(name, listing.stdout)
        self.assertEqual(subprocess.run(["unzip", "-tq", path], capture_output=True).returncode, 0)
        out = self.path("x")
        subprocess.run(["unzip", "-q", path, "-d", out], check=True)
        rows = subprocess.run(["sqlite3", os.path.join(out, "changes.sqlite"),
                               "SELECT c.row_id FROM change c JOIN field f ON f.origin = c.origin AND f.seq = c.seq "
                               "WHERE f.name = 'name'"], capture_output=True, text=True)
        self.assertEqual(rows.stdout.strip(), org)
        with open(os.path.join(out, "manifest.toml"), "rb") as f:
            manifest = tomllib.load(f)
        self.assertEqual(manifest["format"], "setevoe-bundle")
        self.assertEqual(manifest["counts"]["changes"], 1)
        self.assertEqual(manifest["entry"][0]["name"], "changes.sqlite")


if __name__ == "__main__":
    main()
