"""End-to-end tests of the catalogue of methodological products: adding,
listing with filters, editing, files, moderation by the hub, drafts that
travel only between their owner and the hub, reviews, subscriptions, and
every refusal — the real binary on temporary databases."""
import os
import sqlite3
import unittest

from network import HUB, S1, S2, Network, blob, canonical, read, store_listing
from setevoe_test import main

AUTHOR = "Исаева Зарема Ахмедовна"
COLLEAGUE = "Магомадова Луиза Руслановна"
TITLE = "Дроби на уроках математики в 5 классе"


class Catalogue(Network):
    """One school's catalogue: add, list, show, edit, files, refusals."""

    def setUp(self):
        super().setUp()
        self.org = self.add_org(self.s1, S1, short="СОШ № 1")
        self.person = self.add_person(self.s1, AUTHOR, self.org)
        self.colleague = self.add_person(self.s1, COLLEAGUE, self.org)

    def add(self, *extra, db=None, title=TITLE, kind="lesson-video"):
        args = ["--format", "json", "product", "add", "--type", kind, "--title", title, "--author", AUTHOR, *extra]
        return self.ok(*args, db=db or self.s1).json()

    def test_add_records_every_field(self):
        p = self.add("--annotation", "Урок открытия новых знаний.", "--co-author", COLLEAGUE, "--direction",
                     "technology", "--direction", "Система оценки качества образования", "--subject", "Математика",
                     "--grades", "5–7 классы", "--level", "ООО", "--keywords", "дроби, ФГОС", "--licence", "cc by-sa",
                     "--language", "чеченский", "--pupils", "--consent", "приказ № 12 от 01.09.2026")
        self.assertEqual(p["type"], "lesson-video")
        self.assertEqual(p["status"], "draft")
        self.assertEqual([(a["name"], a["role"]) for a in p["authors"]], [(AUTHOR, "author"), (COLLEAGUE, "co-author")])
        self.assertEqual(p["org"], {"id": self.org, "name": S1})  # the first author's org
        self.assertEqual([d["code"] for d in p["directions"]], ["technology", "quality"])
        self.assertEqual(p["grades"], {"from": 5, "to": 7})
        self.assertEqual(p["levels"], ["ooo"])
        self.assertEqual(p["licence"], "CC-BY-SA-4.0")
        self.assertEqual(p["language"], "ce")
        self.assertTrue(p["pupils"])
        self.assertEqual(p["consent"], "приказ № 12 от 01.09.2026")
        self.assertEqual(p["files"], [])
        self.assertEqual(p["rating"], {"mean": None, "count": 0})
        # A subject typed in another case is the same subject.
        q = self.add("--subject", "МАТЕМАТИКА", title="Ещё один урок")
        self.assertEqual(q["subject"], "Математика")
        self.assertEqual(q["licence"], "network-only")

    def test_list_filters_combine(self):
        a = self.add("--direction", "technology", "--subject", "математика", "--grades", "5-7")["id"]
        b = self.add("--direction", "gifted", "--subject", "физика", "--grades", "8", title="Олимпиадные задачи по "
                     "физике", kind="kim")["id"]
        c = self.add("--co-author", COLLEAGUE, "--grades", "9-11", title="Проект «Школьный музей»", kind="project")["id"]

        def ids(*f):
            return [p["id"] for p in self.ok("--format", "json", "product", "list", *f, db=self.s1).json()]

        self.assertEqual(ids(), [c, b, a])  # newest first
        self.assertEqual(ids("--type", "КИМ"), [b])
        self.assertEqual(ids("--direction", "technology"), [a])
        self.assertEqual(ids("--subject", "ФИЗИКА"), [b])
        self.assertEqual(ids("--grade", "6"), [a])
        self.assertEqual(ids("--grade", "10", "--type", "project"), [c])
        self.assertEqual(ids("--author", COLLEAGUE), [c])
        self.assertEqual(ids("--org", S1, "--limit", "2"), [c, b])
        self.assertEqual(ids("--status", "published"), [])
        self.assertEqual(ids("--since", "01.01.2020"), [c, b, a])
        self.assertEqual(ids("--since", "2999-01-01"), [])
        csv = self.ok("--format", "csv", "product", "list", db=self.s1).out.splitlines()
        self.assertTrue(csv[0].startswith("id,type,title,status"))
        self.assertEqual(len(csv), 4)
        r = self.fails(66, "product", "list", "--subject", "астрономия", db=self.s1)
        self.assertIn("астрономия", r.err)
        self.fails(64, "product", "list", "--grade", "12", db=self.s1)
        self.fails(64, "product", "list", "--since", "31.02.2026", db=self.s1)
        self.fails(64, "product", "list", "--status", "забыт", db=self.s1)

    def test_show_and_edit(self):
        pid = self.add()["id"]
        shown = self.ok("product", "show", pid[:8], db=self.s1).out
        self.assertIn(TITLE, shown)
        self.assertIn(AUTHOR, shown)
        self.assertIn("Status:", shown)
        # Found by its exact title in any case too.
        self.assertEqual(self.ok("--format", "json", "product", "show", TITLE.upper(), db=self.s1).json()["id"], pid)
        e = self.ok("--format", "json", "product", "edit", pid, "--title", "Новое название", "--grades", "6",
                    "--author", COLLEAGUE, "--no-pupils", db=self.s1).json()
        self.assertEqual((e["title"], e["grades"], [a["name"] for a in e["authors"]]),
                         ("Новое название", {"from": 6, "to": 6}, [COLLEAGUE]))
        r = self.ok("product", "edit", pid, "--title", "Новое название", db=self.s1)
        self.assertIn("Nothing changed", r.out)
        self.fails(64, "product", "edit", pid, db=self.s1)  # nothing to change

    def test_completion_offers_the_vocabularies_and_the_catalogue(self):
        pid = self.add("--subject", "чеченский язык")["id"]

        def complete(*words):
            r = self.ok("__complete", "--", "--db", self.s1, *words)
            return [line.split("\t")[0] for line in r.out.splitlines()]

        self.assertIn("kim", complete("product", "add", "--type", ""))
        self.assertIn("lesson-video", complete("product", "list", "--type", "les"))
        self.assertIn("CC-BY-SA-4.0", complete("product", "add", "--licence", ""))
        self.assertIn("network-only", complete("product", "add", "--licence", ""))
        self.assertIn("ooo", complete("product", "add", "--level", ""))
        self.assertIn("чеченский язык", complete("product", "list", "--subject", ""))
        self.assertIn("technology", complete("product", "search", "дроби", "--direction", ""))
        self.assertIn("published", complete("product", "list", "--status", ""))
        self.assertNotIn("potential", complete("product", "list", "--status", ""))  # the registry's, not these
        self.assertIn(pid, complete("product", "show", pid[:6]))

    def test_refusals_write_nothing(self):
        pid = self.add()["id"]
        before = canonical(self.s1)
        cases = [
            (64, ["--type", "видеоклип", "--title", "X", "--author", AUTHOR], "lesson-video"),
            (64, ["--type", "kim", "--title", "X", "--author", AUTHOR, "--licence", "GPL"], "CC-BY-4.0"),
            (64, ["--type", "kim", "--title", "X", "--author", AUTHOR, "--grades", "0"], "1 to 11"),
            (64, ["--type", "kim", "--title", "X", "--author", AUTHOR, "--grades", "12"], "1 to 11"),
            (64, ["--type", "kim", "--title", "X", "--author", AUTHOR, "--grades", "7-5"], "backwards"),
            (64, ["--type", "kim", "--title", "X", "--author", AUTHOR, "--grades", "пятый"], "grade"),
            (64, ["--type", "kim", "--title", "X", "--author", AUTHOR, "--level", "вуз"], "do"),
            (64, ["--type", "kim", "--title", "X", "--author", AUTHOR, "--author", AUTHOR], "twice"),
            (64, ["--type", "kim", "--title", "   ", "--author", AUTHOR], "empty"),
            (64, ["--type", "kim", "--title", "X"], "--org"),
            (64, ["--type", "kim", "--author", AUTHOR], "--title"),
            (66, ["--type", "kim", "--title", "X", "--author", "Нет Такого Человека"], "Нет Такого Человека"),
            (66, ["--type", "kim", "--title", "X", "--author", AUTHOR, "--direction", "астрология"], "астрология"),
        ]
        for code, args, said in cases:
            with self.subTest(args=args):
                r = self.fails(code, "product", "add", *args, db=self.s1)
                self.assertIn(said, r.err)
        # An id of another kind of record.
        r = self.fails(66, "product", "show", self.person[:13], db=self.s1)
        self.assertIn("person", r.err)
        self.fails(66, "product", "show", "Нет такого продукта", db=self.s1)
        self.fails(64, "product", "show", "ab", db=self.s1)
        self.fails(64, "product", "edit", pid, "--grades", "13", db=self.s1)
        self.assertEqual(canonical(self.s1), before)

    def test_files_stored_once_checked_and_refused(self):
        pid = self.add()["id"]
        other = self.add(title="Дроби: презентация к уроку", kind="presentation")["id"]
        doc = self.file("конспект.docx", blob(50_000, 1, b"PK\x03\x04"))
        copy = self.file("копия.docx", read(doc))
        self.ok("product", "attach", pid, doc, db=self.s1)
        self.ok("product", "attach", other, copy, db=self.s1)
        r = self.ok("product", "attach", pid, copy, db=self.s1)  # the same contents again: nothing changes
        self.assertIn("attached already", r.out)
        files = self.ok("--format", "json", "product", "files", pid, db=self.s1).json()
        self.assertEqual([f["name"] for f in files], ["конспект.docx"])
        self.assertEqual(len([k for k in store_listing(self.s1) if not k.startswith(".tmp-")]), 1)  # stored once
        shown = self.ok("--format", "json", "product", "show", other, db=self.s1).json()
        self.assertEqual([(f["name"], f["sha256"]) for f in shown["files"]], [("копия.docx", files[0]["sha256"])])
        out = self.path("out")
        os.makedirs(out)
        self.ok("product", "get", pid, "конспект.docx", "-o", out, db=self.s1)
        self.assertEqual(read(os.path.join(out, "конспект.docx")), read(doc))

        before, store = canonical(self.s1), set(store_listing(self.s1))
        empty = self.file("пусто.pdf", b"")
        r = self.fails(64, "product", "attach", pid, doc, empty, db=self.s1)
        self.assertIn("empty", r.err)
        self.fails(64, "product", "attach", pid, self.path("in"), db=self.s1)  # a folder
        self.fails(66, "product", "attach", pid, self.path("in/нет.pdf"), db=self.s1)
        self.fails(66, "product", "attach", "Нет такого продукта", doc, db=self.s1)
        self.assertEqual(canonical(self.s1), before)
        self.assertEqual(set(store_listing(self.s1)), store)

        # A damaged object is refused, and nothing is left behind.
        sha = files[0]["sha256"]
        path = os.path.join(self.s1 + ".objects", sha[:2], sha[2:])
        os.chmod(path, 0o644)
        with open(path, "r+b") as f:
            f.seek(100)
            f.write(b"XX")
        out2 = self.path("out2")
        os.makedirs(out2)
        self.fails(65, "product", "get", other, "копия.docx", "-o", out2, db=self.s1)
        self.assertEqual(os.listdir(out2), [])


class Moderation(Network):
    """The hub moderates; drafts travel only between the owner and the hub."""

    def setUp(self):
        super().setUp()
        self.enrol(self.s1, S1)
        self.enrol(self.s2, S2)
        self.org = self.add_org(self.hub, S1, short="СОШ № 1")
        self.org2 = self.add_org(self.hub, S2)
        self.merge(self.s1, self.pack(self.hub, S1))
        self.merge(self.s2, self.pack(self.hub, S2))
        self.person = self.add_person(self.s1, AUTHOR, self.org)
        self.add_person(self.s1, COLLEAGUE, self.org)
        self.reviewer = self.add_person(self.s2, "Дудаев Ислам Русланович", self.org2)
        self.pid = self.ok("--format", "json", "product", "add", "--type", "lesson-video", "--title", TITLE, "--author",
                           AUTHOR, "--direction", "technology", "--pupils", db=self.s1).json()["id"]
        self.doc = self.file("урок.pdf", blob(30_000, 2, b"%PDF-1.7\n"))
        self.ok("product", "attach", self.pid, self.doc, db=self.s1)

    def product(self, db):
        r = self.run_setevoe("--format", "json", "product", "show", self.pid, db=db)
        return r.json() if r.code == 0 else None

    def exchange(self):
        """s1 → hub → s2 and back to s1."""
        self.merge(self.hub, self.pack(self.s1, "hub"))
        self.merge(self.s2, self.pack(self.hub, S2))
        self.merge(self.hub, self.pack(self.s2, "hub"))
        self.merge(self.s1, self.pack(self.hub, S1))

    def test_school_cannot_moderate(self):
        before = canonical(self.s1)
        for verb in (["publish"], ["archive"], ["reject", "--reason", "нет"]):
            r = self.fails(77, "product", verb[0], self.pid, *verb[1:], db=self.s1)
            self.assertIn("hub", r.err)
        self.assertEqual(canonical(self.s1), before)
        r = self.fails(64, "product", "submit", self.pid, db=self.s1)  # pupils appear: consent first
        self.assertIn("consent", r.err)
        self.ok("product", "edit", self.pid, "--consent", "приказ № 12", db=self.s1)
        self.ok("product", "submit", self.pid, db=self.s1)
        self.fails(64, "product", "submit", self.pid, db=self.s1)  # submitted already

    def test_drafts_stay_between_owner_and_hub_and_publishing_sends_everything(self):
        self.ok("product", "edit", self.pid, "--consent", "приказ № 12", db=self.s1)
        self.ok("product", "submit", self.pid, db=self.s1)
        self.exchange()
        self.assertEqual(self.product(self.hub)["status"], "submitted")
        self.assertIsNone(self.product(self.s2))  # a draft is not the network's yet
        self.assertEqual(self.ok("--format", "json", "product", "list", "--status", "all", db=self.s2).json(), [])

        r = self.fails(64, "product", "reject", self.pid, db=self.hub)  # --reason is required
        self.assertIn("--reason", r.err)
        self.ok("product", "reject", self.pid, "--reason", "Нет технологической карты урока", db=self.hub)
        self.exchange()
        mine = self.product(self.s1)
        self.assertEqual((mine["status"], mine["moderation"]["reason"]), ("rejected", "Нет технологической карты урока"))
        self.assertIsNotNone(mine["moderation"]["at"])
        self.assertIsNone(self.product(self.s2))

        self.ok("product", "edit", self.pid, "--annotation", "Добавлена технологическая карта.", db=self.s1)
        self.ok("product", "submit", self.pid, db=self.s1)
        self.exchange()
        self.ok("product", "publish", self.pid, "--by", AUTHOR, db=self.hub)  # anyone may be named moderator
        self.exchange()
        theirs = self.product(self.s2)
        self.assertEqual(theirs["status"], "published")
        self.assertEqual(theirs["title"], TITLE)
        self.assertEqual(theirs["annotation"], "Добавлена технологическая карта.")
        self.assertEqual([a["name"] for a in theirs["authors"]], [AUTHOR])
        self.assertEqual([f["name"] for f in theirs["files"]], ["урок.pdf"])
        self.assertTrue(theirs["files"][0]["present"])
        out = self.path("s2out")
        os.makedirs(out)
        self.ok("product", "get", self.pid, "-o", out, db=self.s2)
        self.assertEqual(read(os.path.join(out, "урок.pdf")), read(self.doc))
        self.assertEqual(self.product(self.s1)["moderation"]["moderator_name"], AUTHOR)

        # Later edits by the owner reach everyone; archiving is the hub's.
        self.ok("product", "edit", self.pid, "--keywords", "дроби", db=self.s1)
        self.ok("product", "archive", self.pid, db=self.hub)
        self.exchange()
        self.assertEqual((self.product(self.s2)["keywords"], self.product(self.s2)["status"]), ("дроби", "archived"))
        self.assertEqual(self.ok("--format", "json", "product", "list", db=self.s2).json(), [])  # archived: hidden
        self.assertEqual(len(self.ok("--format", "json", "product", "list", "--status", "all", db=self.s2).json()), 1)

    def test_a_school_publishing_through_its_database_is_refused_in_the_bundle(self):
        con = sqlite3.connect(self.s1)
        con.execute("UPDATE product SET status = 'published'")
        con.commit()
        con.close()
        bundle = self.pack(self.s1, "hub")
        before = canonical(self.hub)
        r = self.fails(77, "bundle", "merge", bundle, db=self.hub)
        self.assertIn("status", r.err)
        self.assertEqual(canonical(self.hub), before)

    def test_reviews(self):
        self.fails(64, "product", "review", self.pid, "--by", AUTHOR, "--score", "5", db=self.s1)  # a draft
        self.ok("product", "edit", self.pid, "--consent", "приказ № 12", db=self.s1)
        self.ok("product", "submit", self.pid, db=self.s1)
        self.exchange()
        self.ok("product", "publish", self.pid, db=self.hub)
        self.exchange()
        before = canonical(self.s2)
        r = self.fails(64, "product", "review", self.pid, "--by", "Дудаев Ислам Русланович", "--score", "6", db=self.s2)
        self.assertIn("1 to 5", r.err)
        self.fails(64, "product", "review", self.pid, "--by", "Дудаев Ислам Русланович", "--score", "4",
                   "--criterion", "актуальность", db=self.s2)
        self.fails(64, "product", "review", self.pid, "--by", "Дудаев Ислам Русланович", "--score", "4",
                   "--criterion", "польза=9", db=self.s2)
        r = self.fails(77, "product", "review", self.pid, "--by", COLLEAGUE, "--score", "5", db=self.s2)
        self.assertIn(S1, r.err)  # a person of another school
        self.fails(64, "product", "review", self.pid, "--by", AUTHOR, "--score", "5", db=self.s2)  # the author
        self.assertEqual(canonical(self.s2), before)
        r = self.fails(64, "product", "review", self.pid, "--by", AUTHOR, "--score", "5", db=self.s1)
        self.assertIn("own", r.err)

        self.ok("product", "review", self.pid, "--by", "Дудаев Ислам Русланович", "--score", "3", "--criterion",
                "актуальность=4", "--comment", "Полезно", db=self.s2)
        r = self.ok("product", "review", self.pid, "--by", "Дудаев Ислам Русланович", "--score", "5", "--comment",
                    "Очень полезно", db=self.s2)
        self.assertIn("replaced", r.out)
        self.ok("product", "review", self.pid, "--by", "Дудаев Ислам Русланович", "--score", "4", db=self.hub)
        self.exchange()
        self.exchange()
        for db in (self.hub, self.s1, self.s2):
            p = self.product(db)
            self.assertEqual(p["rating"]["count"], 1, db)  # one review per person, wherever written
            self.assertEqual(len(p["reviews"]), 1)
        def reviews(db):
            con = sqlite3.connect(db)
            try:
                return con.execute("SELECT id, owner, product, person, score, criteria, comment, reviewed_at, deleted "
                                   "FROM review").fetchall()
            finally:
                con.close()

        self.assertEqual(reviews(self.s1), reviews(self.s2))
        self.assertEqual(reviews(self.hub), reviews(self.s2))
        self.assertEqual(reviews(self.s2)[0][4], 4)  # the hub's review came last

    def test_subscriptions_hold_back_other_directions_files_until_asked(self):
        self.fails(64, "node", "subscribe", "--direction", "gifted", db=self.hub)
        self.fails(64, "node", "subscribe", db=self.s2)
        self.ok("node", "subscribe", "--direction", "gifted", db=self.s2)
        subs = self.ok("--format", "json", "node", "subscriptions", db=self.s2).json()
        self.assertEqual([s["id"] for s in subs], ["00000000-0000-7000-8000-000000000202"])
        self.ok("product", "edit", self.pid, "--consent", "приказ № 12", db=self.s1)
        self.ok("product", "submit", self.pid, db=self.s1)
        self.exchange()
        self.assertEqual(len(self.ok("--format", "json", "node", "subscriptions", S2, db=self.hub).json()), 1)
        self.ok("product", "publish", self.pid, db=self.hub)
        self.exchange()
        files = self.ok("--format", "json", "product", "files", self.pid, db=self.s2).json()
        self.assertFalse(files[0]["present"])  # technology: not subscribed
        out = self.path("s2out")
        os.makedirs(out)
        r = self.fails(66, "product", "get", self.pid, "-o", out, db=self.s2)
        self.assertIn("subscriptions", r.err)
        self.merge(self.hub, self.pack(self.s2, "hub"))  # the request goes to the hub,
        self.merge(self.s2, self.pack(self.hub, S2))  # the file comes back
        self.ok("product", "get", self.pid, "-o", out, db=self.s2)
        self.assertEqual(read(os.path.join(out, "урок.pdf")), read(self.doc))


if __name__ == "__main__":
    main()
