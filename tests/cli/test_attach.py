"""End-to-end tests of attached files: `member attach/files/get/detach`, the
object store beside the database, files travelling in bundles (stored or
deflated), bundles split with --max-size and merged in any order, files held
back and asked for again, recovery of a school from the hub's full bundle
(`init --from`), progress on a terminal, and bundles whose files were
tampered with — the real binary on temporary databases."""
import errno
import glob
import hashlib
import json
import os
import pty
import random
import shutil
import sqlite3
import subprocess
import tomllib
import unittest
import zipfile

from network import *  # noqa: F401,F403 (the shared network, helpers and names)
from setevoe_test import BINARY, SetevoeTest, main

class Attach(Network):
    """Attaching, listing, copying out and detaching on one node."""

    def setUp(self):
        super().setUp()
        self.org = self.add_org(self.s1, S1, short="СОШ № 1")
        self.person = self.add_person(self.s1, "Исаев Ахмед Русланович", self.org, "--email", "isaev@sch1.example.ru")

    def test_attach_stores_by_hash_and_records_the_file(self):
        photo = blob(150_000, 1, JPEG)
        diploma = blob(120_000, 2, PDF)
        added = self.attach(self.s1, self.person, self.file("фото.jpg", photo), role="photo")
        added += self.attach(self.s1, self.person, self.file("диплом.pdf", diploma))
        self.assertEqual([(a["name"], a["size"], a["sha256"], a["added"]) for a in added],
                         [("фото.jpg", len(photo), sha256(photo), True),
                          ("диплом.pdf", len(diploma), sha256(diploma), True)])
        for data in (photo, diploma):
            p = object_path(self.s1, sha256(data))
            self.assertTrue(os.path.isfile(p), f"the store must hold {p} (<db>.objects/ab/cdef…)")
            self.assertEqual(read(p), data, "the stored object must be the file's exact contents")
        con = sqlite3.connect(self.s1)
        rows = con.execute("SELECT entity, entity_id, role, name, media_type, size, sha256, deleted FROM attachment "
                           "ORDER BY name").fetchall()
        con.close()
        self.assertEqual(rows, [
            ("person", self.person, "document", "диплом.pdf", "application/pdf", len(diploma), sha256(diploma), 0),
            ("person", self.person, "photo", "фото.jpg", "image/jpeg", len(photo), sha256(photo), 0)])
        listed = self.files(self.s1, self.person)
        self.assertEqual(set(listed), {"фото.jpg", "диплом.pdf"})
        owner = self.ok("--format", "json", "status", db=self.s1).json()["id"]
        for f in listed.values():
            self.assertEqual(set(f), {"id", "name", "role", "media_type", "size", "sha256", "present", "owner"})
            self.assertIs(f["present"], True)
            self.assertEqual(f["owner"], owner)
        self.assertEqual(listed["фото.jpg"]["role"], "photo")
        self.assertEqual(listed["фото.jpg"]["media_type"], "image/jpeg")
        shown = self.ok("--format", "json", "member", "show", self.person, db=self.s1).json()
        self.assertEqual(sorted(f["name"] for f in shown["files"]), ["диплом.pdf", "фото.jpg"])

        # The same contents again, even under another name: nothing changes.
        before, contents_before = canonical(self.s1), contents(self.s1)
        r = self.ok("member", "attach", self.person, self.file("копия.jpg", photo), db=self.s1)
        self.assertIn("attached already", r.out)
        again = self.attach(self.s1, self.person, self.path("in/фото.jpg"), role="photo")
        self.assertEqual((again[0]["added"], again[0]["id"]), (False, added[0]["id"]))
        self.assertEqual(canonical(self.s1), before, "attaching the same contents again must change nothing")
        self.assertEqual(contents(self.s1), contents_before)
        # The same contents on another record: a second row, one object.
        other = self.add_person(self.s1, "Петрова Анна Сергеевна", self.org)
        self.assertTrue(self.attach(self.s1, other, self.path("in/фото.jpg"), role="фото")[0]["added"])
        self.assertEqual(self.files(self.s1, other)["фото.jpg"]["role"], "photo")
        self.assertEqual(contents(self.s1), contents_before, "the same contents are stored once")

    def test_get_checks_the_hash_and_never_overwrites(self):
        photo = blob(100_000, 3, JPEG)
        notes = text(80_000, 4)
        self.attach(self.s1, self.person, self.file("фото.jpg", photo), self.file("характеристика.txt", notes))
        self.assertEqual(self.get_all(self.s1, self.person, "all"), {"фото.jpg": photo, "характеристика.txt": notes})
        os.mkdir(self.path("one"))
        self.ok("member", "get", self.person, "фото.jpg", "-o", self.path("one"), db=self.s1)
        self.assertEqual(os.listdir(self.path("one")), ["фото.jpg"])
        self.assertEqual(read(self.path("one/фото.jpg")), photo)
        # An existing file is never overwritten.
        with open(self.path("one/фото.jpg"), "wb") as f:
            f.write(b"mine")
        r = self.fails(73, "member", "get", self.person, "фото.jpg", "-o", self.path("one"), db=self.s1)
        self.assertIn("exists", r.err)
        self.assertEqual(read(self.path("one/фото.jpg")), b"mine")
        self.fails(73, "member", "get", self.person, "-o", self.path("нет такой папки"), db=self.s1)
        self.fails(66, "member", "get", self.person, "нет-такого.pdf", "-o", self.path("one"), db=self.s1)
        # A damaged object in the store: refused, and nothing appears.
        stored = object_path(self.s1, sha256(photo))
        os.chmod(stored, 0o644)
        with open(stored, "r+b") as f:
            f.seek(5000)
            f.write(b"\x00\x00\x00")
        os.mkdir(self.path("damaged"))
        r = self.fails(65, "member", "get", self.person, "фото.jpg", "-o", self.path("damaged"), db=self.s1)
        self.assertIn("damaged", r.err)
        self.assertEqual(os.listdir(self.path("damaged")), [], "a damaged file must leave no partial copy")
        # Nor does a pack of it travel.
        self.fails(65, "bundle", "pack", "--to", "hub", "-o", self.path("out.zip"), db=self.s1)
        self.assertEqual([f for f in os.listdir(self.dir) if f.endswith(".zip") or "setevoe-part" in f], [],
                         "a failed pack must leave no bundle")

    def test_detach(self):
        notes = text(50_000, 5)
        self.attach(self.s1, self.person, self.file("план.txt", notes), self.file("фото.png", blob(40_000, 6, PNG)))
        self.ok("member", "detach", self.person, "план.txt", db=self.s1)
        self.assertEqual(set(self.files(self.s1, self.person)), {"фото.png"})
        shown = self.ok("--format", "json", "member", "show", self.person, db=self.s1).json()
        self.assertEqual([f["name"] for f in shown["files"]], ["фото.png"])
        self.assertTrue(os.path.isfile(object_path(self.s1, sha256(notes))), "the contents stay in the store")
        self.fails(66, "member", "detach", self.person, "план.txt", db=self.s1)
        # Attached again after detaching: listed again.
        self.attach(self.s1, self.person, self.path("in/план.txt"))
        self.assertEqual(set(self.files(self.s1, self.person)), {"фото.png", "план.txt"})

    def test_get_of_two_files_with_one_name_is_all_or_nothing(self):
        """Was a bug: two files of one record may have the same name (attached from
        two folders); `member get` of all checks beforehand that none exists
        in the folder, then copies the first and fails (73) on the second,
        leaving half the copy."""
        self.attach(self.s1, self.person, self.file("фото.jpg", blob(1000, 8, JPEG)),
                    self.file("фото.jpg", blob(1000, 9, JPEG), folder="in2"))
        self.assertEqual(len(self.ok("--format", "json", "member", "files", self.person, db=self.s1).json()), 2)
        os.mkdir(self.path("out"))
        r = self.run_setevoe("member", "get", self.person, "-o", self.path("out"), db=self.s1)
        if r.code != 0:
            self.assertEqual(os.listdir(self.path("out")), [], f"a refused get must copy nothing: {r!r}")
        else:
            self.assertEqual(len(os.listdir(self.path("out"))), 2, "both files must be copied")

    def test_refusals(self):
        self.file("фото.jpg", blob(10_000, 7, JPEG))
        before, store = canonical(self.s1), store_listing(self.s1)
        r = self.fails(64, "member", "attach", self.person, self.path("in/фото.jpg"), "--role", "селфи", db=self.s1)
        self.assertIn("--role", r.err)
        self.fails(66, "member", "attach", self.person, self.path("in/нет.jpg"), db=self.s1)
        self.fails(66, "member", "attach", "Нет Такого Человека", self.path("in/фото.jpg"), db=self.s1)
        self.fails(64, "member", "attach", self.person, self.path("in"), db=self.s1)  # a folder
        r = self.fails(64, "member", "attach", self.person, self.path("in/фото.jpg"), self.file("пусто.txt", b""),
                       db=self.s1)
        self.assertIn("empty", r.err)  # and the good file before it was not copied either
        self.assertEqual(canonical(self.s1), before)
        self.assertEqual({k for k in store_listing(self.s1) if not k.startswith(".tmp-")}, set(store))
        self.fails(66, "member", "get", self.person, "-o", self.path("in"), db=self.s1)  # no files attached


class Travel(Network):
    """Files carried by bundles: school -> hub -> school."""

    def test_files_travel_stored_or_deflated_and_arrive_identical(self):
        self.enrol(self.s1, S1)
        self.enrol(self.s2, S2)
        org = self.add_org(self.s1, S1, short="СОШ № 1")
        person = self.add_person(self.s1, "Исаев Ахмед Русланович", org)
        contents = {
            "фото.jpg": blob(60_000, 10, JPEG),
            "схема.png": blob(40_000, 11, PNG),
            "диплом.pdf": blob(50_000, 12, PDF),
            "характеристика.docx": blob(30_000, 13, DOCX),
            "урок.mp4": blob(70_000, 14, MP4),
            "план работы.txt": text(90_000, 15),
            "список.csv": text(20_000, 16),
        }
        self.attach(self.s1, person, *[self.file(n, d) for n, d in contents.items()])
        # (An empty file is refused when attached: see test_refusals.)
        charter = {"устав.pdf": blob(25_000, 17, PDF), "опись.txt": b"1"}
        self.attach(self.s1, org, *[self.file(n, d) for n, d in charter.items()])
        bundle = self.pack(self.s1, "hub")
        self.assertEqual(self.packed["objects"], 9)
        self.assertEqual(self.packed["deferred"], 0)
        entries = zip_entries(bundle)
        stored = {"фото.jpg", "схема.png", "диплом.pdf", "характеристика.docx", "урок.mp4"}
        for name, data in contents.items():
            entry = "objects/" + sha256(data)
            self.assertIn(entry, entries, f"{name} must travel as {entry}")
            want = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            self.assertEqual(entries[entry].compress_type, want,
                             f"{name}: {'compressed media is stored' if name in stored else 'others are deflated'}")
            self.assertEqual(entries[entry].file_size, len(data))
        self.assertLess(entries["objects/" + sha256(contents["план работы.txt"])].compress_size,
                        len(contents["план работы.txt"]) // 2)
        listed = {e["name"]: e for e in manifest(bundle)["entry"]}
        for data in contents.values():
            e = listed["objects/" + sha256(data)]
            self.assertEqual((e["size"], e["sha256"]), (len(data), sha256(data)))
        self.assertEqual(manifest(bundle)["counts"]["objects"], 9)
        if shutil.which("unzip"):
            listing = subprocess.run(["unzip", "-l", bundle], capture_output=True, text=True)
            self.assertEqual(listing.returncode, 0, listing.stderr)
            self.assertIn("objects/" + sha256(contents["фото.jpg"]), listing.stdout)
            self.assertEqual(subprocess.run(["unzip", "-tq", bundle], capture_output=True).returncode, 0)

        before = canonical(self.hub)
        dry = self.ok("--format", "json", "bundle", "merge", "--dry-run", bundle, db=self.hub).json()[0]
        self.assertEqual((dry["dry_run"], dry["objects"]), (True, 9))
        self.assertEqual(canonical(self.hub), before, "a dry run writes nothing")
        self.assertEqual(store_listing(self.hub), {}, "a dry run leaves no file in the store")
        merged = self.merge(self.hub, bundle)[0]
        self.assertEqual((merged["objects"], merged["wanted"]), (9, 0))
        self.assertEqual(self.get_all(self.hub, person, "at-hub"), contents)
        self.assertEqual(self.get_all(self.hub, org, "org-at-hub"), charter)
        # Relayed by the hub to the other school, files included.
        to_s2 = self.pack(self.hub, S2)
        self.assertEqual(self.packed["objects"], 9)
        self.merge(self.s2, to_s2)
        self.assertEqual(self.get_all(self.s2, person, "at-s2"), contents)
        self.assertEqual(self.get_all(self.s2, org, "org-at-s2"), charter)
        self.assertEqual(self.files(self.s2, person), self.files(self.hub, person))
        # Once acknowledged, the files do not travel again.
        self.merge(self.s1, self.pack(self.hub, S1))
        self.add_person(self.s1, "Петрова Анна Сергеевна", org)
        later = self.pack(self.s1, "hub")
        self.assertEqual(self.packed["objects"], 0)
        self.assertFalse([n for n in zip_entries(later) if n.startswith("objects/")])

    def test_authority_over_files(self):
        self.enrol(self.s1, S1)
        hub_org = self.add_org(self.hub, HUB, kind="education-department", short="УО")
        hub_person = self.add_person(self.hub, "Магомадова Зарема Ахмедовна", hub_org)
        self.merge(self.s1, self.pack(self.hub, S1))
        photo = self.file("фото.jpg", blob(20_000, 20, JPEG))
        before = canonical(self.s1)
        r = self.fails(77, "member", "attach", hub_person, photo, db=self.s1)
        self.assertTrue(r.err.strip())
        self.assertEqual(canonical(self.s1), before)
        # The hub may attach to a school's record; the school receives it.
        org = self.add_org(self.s1, S1)
        teacher = self.add_person(self.s1, "Исаев Ахмед Русланович", org)
        self.merge(self.hub, self.pack(self.s1, "hub"))
        self.attach(self.hub, teacher, photo, role="photo")
        self.merge(self.s1, self.pack(self.hub, S1))
        self.assertEqual(self.get_all(self.s1, teacher, "got"), {"фото.jpg": read(photo)})
        # The school's detach of a file the hub attached is refused too.
        self.fails(77, "member", "detach", teacher, "фото.jpg", db=self.s1)

    def test_merging_twice_changes_nothing(self):
        self.enrol(self.s1, S1)
        org = self.add_org(self.s1, S1)
        person = self.add_person(self.s1, "Исаев Ахмед Русланович", org)
        self.attach(self.s1, person, self.file("фото.jpg", blob(80_000, 21, JPEG)),
                    self.file("план.txt", text(60_000, 22)))
        bundle = self.pack(self.s1, "hub")
        self.merge(self.hub, bundle)
        tables, store = canonical(self.hub), store_listing(self.hub)
        self.assertEqual(len(store), 2)
        r = self.ok("bundle", "merge", bundle, db=self.hub)
        self.assertIn("already merged", r.out)
        again = self.merge(self.hub, bundle)[0]
        self.assertTrue(again["already_merged"])
        self.assertEqual((again["applied"], again["objects"]), (0, 0))
        self.assertEqual(store_listing(self.hub), store, "the store must not be rewritten")
        after = canonical(self.hub)
        for t in tables:
            if t not in ("bundle_log", "node"):  # a merge again is logged again; the peer's last exchange moves
                self.assertEqual(after[t], tables[t], f"table {t} changed on merging again")


class Parts(Network):
    """--max-size: parts merged in any order, files held back and asked for."""

    def hub_with_files(self):
        """The hub attaches files to its own records: small ones, and one over the limit."""
        self.enrol(self.s1, S1)
        org = self.add_org(self.hub, HUB, kind="education-department", short="УО")
        people = [self.add_person(self.hub, name, org) for name in
                  ("Магомадова Зарема Ахмедовна", "Ибрагимов Руслан Магомедович", "Сулейманова Хеда Исаевна")]
        small = {}
        for k, p in enumerate(people):
            name = f"приказ-{k + 1}.pdf"
            small[name] = blob(150_000, 30 + k, PDF)
            self.attach(self.hub, p, self.file(name, small[name]))
        big = blob(400_000, 40, MP4)
        self.attach(self.hub, people[0], self.file("видеоурок.mp4", big))
        return people, small, big

    def check_parts(self, result, stem, limit):
        parts = result["files"]
        self.assertGreater(len(parts), 1, "the bundle must be split")
        n = len(parts)
        self.assertEqual([os.path.basename(p) for p in parts], [f"{stem}-part{k}-of-{n}.zip" for k in range(1, n + 1)])
        self.assertFalse(os.path.exists(self.path(stem + ".zip")), "only the parts are written")
        sets = set()
        for k, p in enumerate(parts, 1):
            self.assertLessEqual(os.path.getsize(p), limit, f"{p} is larger than --max-size")
            m = manifest(p)
            self.assertEqual((m["part"]["number"], m["part"]["count"]), (k, n))
            sets.add(m["part"]["set"])
            self.assertEqual(m["counts"]["deferred"], result["deferred"])
        self.assertEqual(len(sets), 1, "the parts share one set id")
        shown = self.ok("--format", "json", "bundle", "inspect", parts[-1], db=self.hub).json()
        self.assertEqual((shown["part"], shown["part_set"], shown["deferred"]), (f"{n}/{n}", m["part"]["set"],
                                                                                 result["deferred"]))
        return parts, sets.pop()

    def test_hub_to_school_in_parts_any_order(self):
        people, small, big = self.hub_with_files()
        r = self.ok("--format", "json", "bundle", "pack", "--to", S1, "-o", self.path("уо-сош1.zip"),
                    "--max-size", "256K", db=self.hub).json()
        self.assertEqual((r["objects"], r["deferred"]), (3, 1))
        parts, part_set = self.check_parts(r, "уо-сош1", 256 << 10)
        carried = set()
        for p in parts:
            carried |= {n for n in zip_entries(p) if n.startswith("objects/")}
        self.assertEqual(carried, {"objects/" + sha256(d) for d in small.values()})
        self.assertNotIn("objects/" + sha256(big), carried, "a file over the limit is held back")

        order = list(reversed(parts))
        order = order[1:] + order[:1]  # neither first nor last one last
        before, before_store = canonical(self.s1), store_listing(self.s1)
        for k, p in enumerate(order[:-1], 1):
            got = self.merge(self.s1, p)[0]
            self.assertTrue(got["waiting"], f"part {p} alone must wait: {got}")
            self.assertEqual(got["applied"], 0)
            self.assertTrue(os.path.isfile(os.path.join(self.s1 + ".parts", part_set,
                                                        f"{parts.index(p) + 1}.zip")), "a waiting part is kept")
            self.assertEqual(canonical(self.s1), before, "nothing is applied before the set is whole")
            self.assertEqual(store_listing(self.s1), before_store)
        self.assertTrue(self.merge(self.s1, order[1])[0]["waiting"], "a waiting part merged again still waits")
        self.assertEqual(canonical(self.s1), before)
        last = self.merge(self.s1, order[-1])[0]
        self.assertFalse(last["waiting"])
        self.assertGreater(last["applied"], 0)
        self.assertEqual(last["objects"], 3)
        self.assertEqual(last["wanted"], 1)
        self.assertFalse(os.path.exists(os.path.join(self.s1 + ".parts", part_set)), "merged parts are removed")
        for p in parts:
            r = self.ok("bundle", "merge", p, db=self.s1)
            self.assertIn("already merged", r.out)
        self.assertEqual({m["id"] for m in self.registry(self.s1)}, {m["id"] for m in self.registry(self.hub)})

        # The file held back: known, not here, asked for, brought by a bundle without --max-size.
        files = self.files(self.s1, people[0])
        self.assertIs(files["видеоурок.mp4"]["present"], False)
        self.assertIs(files["приказ-1.pdf"]["present"], True)
        os.mkdir(self.path("out"))
        r = self.fails(66, "member", "get", people[0], "видеоурок.mp4", "-o", self.path("out"), db=self.s1)
        self.assertIn("not arrived", r.err)
        self.assertEqual(os.listdir(self.path("out")), [])
        ask = self.pack(self.s1, "hub")
        self.assertEqual(wanted_in(ask), {sha256(big)})
        self.merge(self.hub, ask)
        bring = self.pack(self.hub, S1)
        self.assertIn("objects/" + sha256(big), zip_entries(bring))
        self.assertEqual(self.packed["deferred"], 0)
        got = self.merge(self.s1, bring)[0]
        self.assertEqual((got["objects"], got["wanted"]), (1, 0))
        self.assertIs(self.files(self.s1, people[0])["видеоурок.mp4"]["present"], True)
        self.assertEqual(self.get_all(self.s1, people[0], "got"),
                         {"приказ-1.pdf": small["приказ-1.pdf"], "видеоурок.mp4": big})
        # Nothing is asked for any more.
        self.assertEqual(wanted_in(self.pack(self.s1, "hub")), set())

    def test_school_to_hub_in_parts(self):
        self.enrol(self.s1, S1)
        org = self.add_org(self.s1, S1, short="СОШ № 1")
        teachers = [self.add_person(self.s1, f"Учитель {name}", org) for name in ("Асхабов", "Бисултанов", "Вахаева")]
        sent = {}
        for k, t in enumerate(teachers):
            sent[t] = {f"портфолио-{k}.docx": blob(100_000, 50 + k, DOCX), f"протокол-{k}.txt": text(120_000, 60 + k)}
            self.attach(self.s1, t, *[self.file(n, d) for n, d in sent[t].items()])
        big = blob(300_000, 70, JPEG)
        self.attach(self.s1, teachers[0], self.file("грамота.jpg", big), role="photo")
        r = self.ok("--format", "json", "bundle", "pack", "--to", "hub", "-o", self.path("сош1.zip"),
                    "--max-size", "280K", db=self.s1).json()
        self.assertEqual(r["deferred"], 1)
        parts, _ = self.check_parts(r, "сош1", 280 << 10)
        before = canonical(self.hub)
        random.Random(7).shuffle(parts)
        for p in parts[:-1]:
            self.assertTrue(self.merge(self.hub, p)[0]["waiting"])
        self.assertEqual(canonical(self.hub), before)
        self.assertEqual(self.merge(self.hub, parts[-1])[0]["wanted"], 1)
        for t in teachers[1:]:
            self.assertEqual(self.get_all(self.hub, t, "hub-" + t[-6:]), sent[t])
        self.assertIs(self.files(self.hub, teachers[0])["грамота.jpg"]["present"], False)
        # The hub asks; the school's next bundle (no limit) brings it.
        ask = self.pack(self.hub, S1)
        self.assertEqual(wanted_in(ask), {sha256(big)})
        self.merge(self.s1, ask)
        bring = self.pack(self.s1, "hub")
        self.assertEqual(self.packed["objects"], 1)
        self.assertIn("objects/" + sha256(big), zip_entries(bring))
        self.merge(self.hub, bring)
        self.assertEqual(self.get_all(self.hub, teachers[0], "hub-first"),
                         dict(sent[teachers[0]], **{"грамота.jpg": big}))

    def test_max_size_values(self):
        self.enrol(self.s1, S1)
        self.add_org(self.s1, S1)
        for bad in ("255K", "100", "много", "12Q", "-1M", "1.5M"):
            with self.subTest(bad):
                r = self.fails(64, "bundle", "pack", "--to", "hub", "-o", self.path("x.zip"), "--max-size", bad,
                               db=self.s1)
                self.assertIn("--max-size", r.err)
        self.assertEqual(glob.glob(self.path("x*.zip")), [])
        for k, good in enumerate(("256K", "4M", "1G", "20МБ", "262144")):
            with self.subTest(good):
                r = self.ok("--format", "json", "bundle", "pack", "--to", "hub", "-o", self.path(f"ok{k}.zip"),
                            "--max-size", good, db=self.s1).json()
                self.assertEqual(r["files"], [self.path(f"ok{k}.zip")], "a small bundle is not split")
        self.fails(64, "bundle", "sync", "--inbox", self.dir, "--outbox", self.dir, "--max-size", "64K", db=self.s1)

    def test_max_size_zero_is_refused(self):
        """Was a bug: --max-size 0 is taken as "no limit" (parse_size gives 0, and
        pack_bundle reads 0 as unset) although the minimum is 256K."""
        self.add_org(self.s1, S1)
        self.fails(64, "bundle", "pack", "--to", "hub", "-o", self.path("x.zip"), "--max-size", "0", db=self.s1)

    def test_sync_writes_parts_and_merges_them_in_any_order(self):
        people, small, big = self.hub_with_files()
        for d in ("hub-in", "hub-out", "s1-in", "s1-out"):
            os.mkdir(self.path(d))
        r = self.ok("--format", "json", "bundle", "sync", "--inbox", self.path("hub-in"), "--outbox",
                    self.path("hub-out"), "--max-size", "256K", db=self.hub).json()
        written = sorted(os.listdir(self.path("hub-out")))
        self.assertGreater(len(written), 1, f"sync must write parts: {r}")
        for f in written:
            self.assertRegex(f, r"-part\d+-of-%d\.zip$" % len(written))
            self.assertLessEqual(os.path.getsize(self.path("hub-out/" + f)), 256 << 10)
        # Carried to the school, newest first: the oldest in the inbox is not part 1.
        for k, f in enumerate(written):
            shutil.move(self.path("hub-out/" + f), self.path("s1-in/" + f))
            os.utime(self.path("s1-in/" + f), (1_800_000_000 - k * 60, 1_800_000_000 - k * 60))
        self.ok("bundle", "sync", "--inbox", self.path("s1-in"), "--outbox", self.path("s1-out"), db=self.s1)
        self.assertEqual(sorted(os.listdir(self.path("s1-in/merged"))), written)
        self.assertEqual([f for f in os.listdir(self.path("s1-in")) if f.endswith(".zip")], [])
        self.assertEqual({m["id"] for m in self.registry(self.s1)}, {m["id"] for m in self.registry(self.hub)})
        self.assertEqual(self.get_all(self.s1, people[1], "got"), {"приказ-2.pdf": small["приказ-2.pdf"]})
        self.assertIs(self.files(self.s1, people[0])["видеоурок.mp4"]["present"], False)
        # The school's answer asks for the file held back; the hub's next sync without a limit brings it.
        answer = os.listdir(self.path("s1-out"))
        self.assertEqual(len(answer), 1)
        self.assertEqual(wanted_in(self.path("s1-out/" + answer[0])), {sha256(big)})
        shutil.move(self.path("s1-out/" + answer[0]), self.path("hub-in/" + answer[0]))
        self.ok("bundle", "sync", "--inbox", self.path("hub-in"), "--outbox", self.path("hub-out"), db=self.hub)
        for f in os.listdir(self.path("hub-out")):
            shutil.move(self.path("hub-out/" + f), self.path("s1-in/" + f))
        self.ok("bundle", "sync", "--inbox", self.path("s1-in"), "--outbox", self.path("s1-out"), db=self.s1)
        self.assertEqual(read(object_path(self.s1, sha256(big))), big)


class Restore(Network):
    """A school whose disk died, restored from the hub's full bundle."""

    def setUp(self):
        super().setUp()
        self.enrol(self.s1, S1)
        self.enrol(self.s2, S2)
        self.org = self.add_org(self.s1, S1, short="СОШ № 1")
        self.teacher = self.add_person(self.s1, "Исаев Ахмед Русланович", self.org, "--email", "isaev@sch1.example.ru",
                                       "--phone", "+7 (928) 000-11-22", "--position", "учитель математики")
        self.other = self.add_person(self.s1, "Хасанова Петимат Алиевна", self.org, "--phone", "8 928 111-22-33")
        self.photo = blob(120_000, 80, JPEG)
        self.notes = text(90_000, 81)
        self.attach(self.s1, self.teacher, self.file("фото.jpg", self.photo), role="photo")
        self.attach(self.s1, self.other, self.file("характеристика.txt", self.notes))
        self.merge(self.hub, self.pack(self.s1, "hub"))
        s2_org = self.add_org(self.s2, S2)
        self.add_person(self.s2, "Абдулаева Малика Руслановна", s2_org, "--email", "malika@bragun.example.ru")
        self.merge(self.hub, self.pack(self.s2, "hub"))
        self.merge(self.s2, self.pack(self.hub, S2))
        self.merge(self.s1, self.pack(self.hub, S1))
        self.old = self.ok("--format", "json", "status", db=self.s1).json()
        self.before = self.registry(self.s1)
        self.assertEqual(self.before, self.expected_registry())

    def lose_disk(self):
        for p in glob.glob(self.s1 + "*"):
            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
        self.assertEqual(glob.glob(self.s1 + "*"), [])

    def expected_registry(self):
        """The hub's registry as a school sees it: contact details of its own people only."""
        out = []
        for m in self.registry(self.hub):
            if m["kind"] == "person" and m["owner"] != self.old["id"]:
                m = {k: v for k, v in m.items() if k not in ("email", "phone")}
            out.append(m)
        return out

    def test_full_bundle_restores_the_school(self):
        full = self.pack(self.hub, S1, "--full", name="full.zip")
        self.assertIs(manifest(full)["full"], True)
        self.assertNotIn("full", manifest(self.pack(self.hub, S1)), "only --full makes a full bundle")
        self.lose_disk()
        restored = self.ok("--format", "json", "init", "--from", full, db=self.s1).json()
        self.assertEqual((restored["id"], restored["name"], restored["role"]), (self.old["id"], S1, "school"))
        self.assertNotEqual(restored["fingerprint"], self.old["fingerprint"], "a restored school has a new key")
        self.assertTrue(os.path.isfile(self.s1 + ".key"))
        self.assertEqual(self.registry(self.s1), self.before, "the registry must come back as the school had it")
        shown = self.ok("--format", "json", "member", "show", self.teacher, db=self.s1).json()
        self.assertEqual((shown["email"], shown["phone"]), ("isaev@sch1.example.ru", "+7 (928) 000-11-22"))
        self.assertEqual(self.get_all(self.s1, self.teacher, "t"), {"фото.jpg": self.photo})
        self.assertEqual(self.get_all(self.s1, self.other, "o"), {"характеристика.txt": self.notes})

        # The restored school works on; the hub takes its new key only with --approve.
        self.ok("member", "edit", self.teacher, "--position", "заместитель директора по УВР", db=self.s1)
        back = self.pack(self.s1, "hub")
        before = canonical(self.hub)
        r = self.fails(77, "bundle", "merge", back, db=self.hub)
        self.assertIn("new key", r.err)
        self.assertIn("--approve", r.err)
        self.assertIn(restored["fingerprint"], r.err)
        self.assertEqual(canonical(self.hub), before)
        self.merge(self.hub, back, approve=True)
        self.assertEqual(self.ok("--format", "json", "member", "show", self.teacher, db=self.hub).json()["position"],
                         "заместитель директора по УВР")
        nodes = {n["name"]: n for n in self.ok("--format", "json", "node", "list", db=self.hub).json()}
        self.assertEqual((nodes[S1]["fingerprint"], nodes[S1]["state"]), (restored["fingerprint"], "approved"))
        # The other school learns the new key from the hub, and takes the restored school's own bundles.
        self.merge(self.s2, self.pack(self.hub, S2))
        nodes = {n["name"]: n for n in self.ok("--format", "json", "node", "list", db=self.s2).json()}
        self.assertEqual(nodes[S1]["fingerprint"], restored["fingerprint"])
        self.assertEqual(self.ok("--format", "json", "member", "show", self.teacher, db=self.s2).json()["position"],
                         "заместитель директора по УВР")
        self.merge(self.s1, self.pack(self.hub, S1))
        self.add_org(self.s1, "ШМО учителей математики", kind="methodological-association")
        self.merge(self.s2, self.pack(self.s1, S2))
        self.assertIn("ШМО учителей математики", [m["name"] for m in self.registry(self.s2)])

    def test_full_bundle_in_parts(self):
        r = self.ok("--format", "json", "bundle", "pack", "--to", S1, "--full", "--max-size", "256K",
                    "-o", self.path("full.zip"), db=self.hub).json()
        parts = r["files"]
        self.assertGreater(len(parts), 1)
        for p in parts:
            self.assertIs(manifest(p)["full"], True)
        self.lose_disk()
        # Not every part: refused, nothing left behind.
        r = self.fails(64, "init", "--from", *parts[:-1], db=self.s1)
        self.assertIn("part", r.err)
        self.assertEqual(glob.glob(self.s1 + "*"), [], "a refused restore leaves no database, key or folders")
        restored = self.ok("--format", "json", "init", "--from", *reversed(parts), db=self.s1).json()
        self.assertEqual(restored["id"], self.old["id"])
        self.assertEqual(self.registry(self.s1), self.before, "the registry must come back as the school had it")
        self.assertEqual(self.get_all(self.s1, self.teacher, "t"), {"фото.jpg": self.photo})
        self.assertEqual(self.get_all(self.s1, self.other, "o"), {"характеристика.txt": self.notes})
        self.assertFalse(os.path.exists(self.s1 + ".parts") and os.listdir(self.s1 + ".parts"))

    def test_init_from_refusals(self):
        plain = self.pack(self.hub, S1)
        full = self.pack(self.hub, S1, "--full", name="full.zip")
        self.lose_disk()
        r = self.fails(64, "init", "--from", plain, db=self.s1)
        self.assertIn("full", r.err)
        self.assertEqual(glob.glob(self.s1 + "*"), [])
        self.fails(64, "init", "--from", full, "--name", S1, db=self.s1)
        self.assertEqual(glob.glob(self.s1 + "*"), [])
        self.fails(64, "init", "--from", full, "--hub", db=self.s1)
        self.assertEqual(glob.glob(self.s1 + "*"), [])
        sealed = self.pack(self.hub, S1, "--full", "--encrypt", name="sealed.zip")
        r = self.fails(64, "init", "--from", sealed, db=self.s1)
        self.assertIn("encrypted", r.err)
        self.assertEqual(glob.glob(self.s1 + "*"), [])
        self.fails(66, "init", "--from", self.path("нет.zip"), db=self.s1)
        self.assertEqual(glob.glob(self.s1 + "*"), [])
        self.fails(73, "init", "--from", full, db=self.s2)  # never over an existing database
        self.ok("init", "--from", full, db=self.s1)


class Progress(Network):
    """Progress lines on the standard error, only when it is a terminal."""

    def on_terminal(self, *args, db):
        """Runs setevoe with its standard error on a pseudo-terminal; returns (exit, stdout, terminal output)."""
        master, slave = pty.openpty()
        try:
            proc = subprocess.Popen([BINARY, "--db", db, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=slave, env=self.env, cwd=self.dir)
        finally:
            os.close(slave)
        seen = bytearray()
        try:
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError as e:
                    if e.errno != errno.EIO:
                        raise
                    break
                if not chunk:
                    break
                seen += chunk
        finally:
            os.close(master)
        out = proc.stdout.read()
        proc.stdout.close()
        code = proc.wait(timeout=120)
        return code, out.decode(), seen.decode(errors="replace")

    def test_progress_only_on_a_terminal(self):
        code, _, tty = self.on_terminal("bundle", "pack", "--to", "hub", "-o", self.path("small.zip"), db=self.s2)
        self.assertEqual(code, 0, tty)
        self.assertNotIn("%", tty, "a small pack shows no progress, even on a terminal")
        self.enrol(self.s1, S1)
        org = self.add_org(self.s1, S1)
        person = self.add_person(self.s1, "Исаев Ахмед Русланович", org)
        video = self.file("урок.mp4", blob(9 << 20, 90, MP4))
        code, _, tty = self.on_terminal("member", "attach", person, video, db=self.s1)
        self.assertEqual(code, 0, tty)
        self.assertIn("%", tty, "attaching 9 MiB on a terminal shows progress")
        code, _, tty = self.on_terminal("bundle", "pack", "--to", "hub", "-o", self.path("tty.zip"), db=self.s1)
        self.assertEqual(code, 0, tty)
        self.assertIn("%", tty, "a pack of 9 MiB on a terminal shows progress")
        code, _, tty = self.on_terminal("--quiet", "bundle", "pack", "--to", "hub", "-o", self.path("quiet.zip"),
                                        db=self.s1)
        self.assertEqual(code, 0, tty)
        self.assertNotIn("%", tty, "--quiet shows no progress")
        r = self.ok("bundle", "pack", "--to", "hub", "-o", self.path("pipe.zip"), db=self.s1)
        self.assertEqual(r.err, "", "no progress on a pipe")
        # Merges: a dry run still reads the files, so it shows progress too.
        r = self.ok("bundle", "merge", "--dry-run", self.path("pipe.zip"), db=self.hub)
        self.assertEqual(r.err, "")
        code, _, tty = self.on_terminal("--quiet", "bundle", "merge", "--dry-run", self.path("quiet.zip"), db=self.hub)
        self.assertEqual(code, 0, tty)
        self.assertNotIn("%", tty)
        code, out, tty = self.on_terminal("--format", "json", "bundle", "merge", self.path("tty.zip"), db=self.hub)
        self.assertEqual(code, 0, tty)
        self.assertIn("%", tty, "a merge of 9 MiB on a terminal shows progress")
        self.assertEqual(json.loads(out)[0]["objects"], 1)
        self.assertEqual(read(object_path(self.hub, sha256(read(video)))), read(video))


class Hostile(Network):
    """Bundles whose files were tampered with after signing: refused whole."""

    def test_tampered_objects_are_refused_and_change_nothing(self):
        self.enrol(self.s1, S1)
        org = self.add_org(self.s1, S1)
        person = self.add_person(self.s1, "Исаев Ахмед Русланович", org)
        photo, notes = blob(70_000, 100, JPEG), text(60_000, 101)
        self.attach(self.s1, person, self.file("фото.jpg", photo), self.file("план.txt", notes))
        good = self.pack(self.s1, "hub")
        photo_entry, notes_entry = "objects/" + sha256(photo), "objects/" + sha256(notes)
        entries = zip_entries(good)
        self.assertEqual(entries[photo_entry].compress_type, zipfile.ZIP_STORED)
        self.assertEqual(entries[notes_entry].compress_type, zipfile.ZIP_DEFLATED)

        def replace(entry, data):
            return lambda e: e[entry].__setitem__(0, data)

        def flip(data):
            return data[:1000] + bytes([data[1000] ^ 0xFF]) + data[1001:]
        cases = {
            "stored file changed, same size": (replace(photo_entry, flip(photo)), "does not match its hash"),
            "deflated file changed, same size": (replace(notes_entry, text(60_000, 102)), "does not match its hash"),
            "file truncated": (replace(notes_entry, notes[:-1]), "not the size manifest.toml says"),
            "file made longer": (replace(photo_entry, photo + b"\0"), "not the size manifest.toml says"),
            "file missing": (lambda e: e.pop(photo_entry), "which the zip does not hold"),
            "extra file": (lambda e: e.__setitem__("objects/" + sha256(b"x"), [b"x", zipfile.ZIP_STORED]),
                           "which manifest.toml does not list"),
            "extra file not named by its hash": (
                lambda e: e.__setitem__("objects/readme.txt", [b"x", zipfile.ZIP_STORED]), "forbidden name"),
            "file swapped for another's": (replace(photo_entry, notes[:len(photo)] + b"\0" * (len(photo) - len(notes))),
                                           "does not match its hash"),
        }
        # A byte of the stored photo flipped in the zip file itself (a bad USB stick): the zip's CRC no longer matches.
        raw = bytearray(read(good))
        with zipfile.ZipFile(good) as z:
            info = z.getinfo(photo_entry)
        header = info.header_offset
        name_len, extra_len = int.from_bytes(raw[header + 26:header + 28], "little"), int.from_bytes(
            raw[header + 28:header + 30], "little")
        raw[header + 30 + name_len + extra_len + 30_000] ^= 0x55
        with open(self.path("flipped.zip"), "wb") as f:
            f.write(raw)
        before, store = canonical(self.hub), store_listing(self.hub)
        for k, (what, (edit, message)) in enumerate(cases.items()):
            with self.subTest(what):
                bad = rewrite_zip(good, self.path(f"bad{k}.zip"), edit)
                r = self.fails(65, "bundle", "merge", bad, db=self.hub)
                self.assertIn(message, r.err)
                self.assertEqual(canonical(self.hub), before, "a refused bundle must change nothing")
                self.assertEqual(store_listing(self.hub), store, "a refused bundle must leave nothing in the store")
                self.fails(65, "bundle", "verify", bad, db=self.hub)
        with self.subTest("byte flipped in the zip"):
            self.fails(65, "bundle", "merge", self.path("flipped.zip"), db=self.hub)
            self.assertEqual(canonical(self.hub), before)
            self.assertEqual(store_listing(self.hub), store)
            self.fails(65, "bundle", "verify", self.path("flipped.zip"), db=self.hub)
        # A well-formed copy (same entries, rewritten by Python) is accepted: the refusals were the edits.
        same = rewrite_zip(good, self.path("same.zip"), lambda e: None)
        self.merge(self.hub, same)
        self.assertEqual(self.get_all(self.hub, person, "got"), {"фото.jpg": photo, "план.txt": notes})
        self.assertFalse([k for k in store_listing(self.hub) if os.path.basename(k).startswith(".tmp-")])

    def test_a_tampered_part_is_refused_on_arrival_and_the_genuine_one_completes_the_set(self):
        self.enrol(self.s1, S1)
        org = self.add_org(self.hub, HUB, kind="education-department")
        person = self.add_person(self.hub, "Магомадова Зарема Ахмедовна", org)
        sent = {f"приказ-{k}.pdf": blob(150_000, 110 + k, PDF) for k in range(3)}
        self.attach(self.hub, person, *[self.file(n, d) for n, d in sent.items()])
        parts = self.ok("--format", "json", "bundle", "pack", "--to", S1, "-o", self.path("p.zip"), "--max-size",
                        "256K", db=self.hub).json()["files"]
        self.assertEqual(len(parts), 3)
        target = next(p for p in parts if any(n.startswith("objects/") for n in zip_entries(p)))

        def spoil(e):
            name = next(n for n in e if n.startswith("objects/"))
            e[name][0] = e[name][0][:500] + b"\0" * 8 + e[name][0][508:]
        bad = rewrite_zip(target, self.path("spoiled.zip"), spoil)
        before, store = canonical(self.s1), store_listing(self.s1)
        # A part's files are checked when it arrives: the damaged one is not kept.
        r = self.fails(65, "bundle", "merge", bad, db=self.s1)
        self.assertIn("does not match its hash", r.err)
        self.assertFalse(os.path.exists(self.s1 + ".parts") and any(
            files for _, _, files in os.walk(self.s1 + ".parts")), "a damaged part must not be kept")
        others = [p for p in parts if p != target]
        for other in others:
            self.assertTrue(self.merge(self.s1, other)[0]["waiting"])
        self.assertEqual(canonical(self.s1), before, "an incomplete set applies nothing")
        self.assertEqual(store_listing(self.s1), store, "nor leaves files in the store")
        # The genuine part completes the set.
        done = self.merge(self.s1, target)[0]
        self.assertEqual((done["waiting"], done["objects"]), (False, 3))
        self.assertEqual(self.get_all(self.s1, person, "got"), sent)


class HostileSchool(Network):
    """A school that edits its own database file before packing: its bundles
    are signed with its real key, so only the hub's checks stand in the way."""

    def setUp(self):
        super().setUp()
        self.enrol(self.s1, S1)
        org = self.add_org(self.s1, S1)
        self.teacher = self.add_person(self.s1, "Исаев Ахмед Русланович", org)

    def forge(self, sql, *args):
        con = sqlite3.connect(self.s1)
        with con:
            con.execute(sql, args)
        con.close()

    def test_file_names_cannot_escape_the_output_folder(self):
        """Was a bug: the name of an attached file received in a bundle is not
        checked, and `member get` joins it to the -o folder: a name with '..'
        or an absolute path writes outside it."""
        self.attach(self.s1, self.teacher, self.file("a.txt", b"escaped\n"), self.file("b.txt", b"absolute\n"))
        outside = self.path("outside.txt")
        self.forge("UPDATE attachment SET name = '../escaped.txt' WHERE name = 'a.txt'")
        self.forge("UPDATE attachment SET name = ? WHERE name = 'b.txt'", outside)
        self.run_setevoe("bundle", "merge", self.pack(self.s1, "hub"), db=self.hub)  # refusing it is one fix
        os.makedirs(self.path("moderator/out"))
        self.run_setevoe("member", "get", self.teacher, "-o", self.path("moderator/out"), db=self.hub)
        self.assertFalse(os.path.exists(self.path("moderator/escaped.txt")), "a '..' name escaped the -o folder")
        self.assertFalse(os.path.exists(outside), "an absolute name escaped the -o folder")

    def test_a_school_cannot_attach_to_another_nodes_record_by_bundle(self):
        """Was a bug: `member attach` refuses a school's file on another node's
        record (77), but merge checks only the attachment row's own owner: a
        school that points its own attachment row at the hub's record gets
        the file attached there."""
        hub_org = self.add_org(self.hub, HUB, kind="education-department")
        official = self.add_person(self.hub, "Магомадова Зарема Ахмедовна", hub_org)
        self.merge(self.s1, self.pack(self.hub, S1))
        self.attach(self.s1, self.teacher, self.file("приказ.txt", "Приказ об увольнении".encode()))
        self.forge("UPDATE attachment SET entity_id = ? WHERE name = 'приказ.txt'", official)
        self.run_setevoe("bundle", "merge", self.pack(self.s1, "hub"), db=self.hub)  # refusing it (77) is one fix
        self.assertNotIn("приказ.txt", self.files(self.hub, official),
                         "a school's file was attached to the hub's record")


if __name__ == "__main__":
    main()
