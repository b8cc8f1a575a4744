"""End-to-end tests of the agreements between orgs (regulation 3.2.1):
registering, listing, showing, editing, the parties' obligations, the
signed scan attached, termination, the agreements whose term ends soon,
every refusal with its exit code and nothing half-written, the JSON and
CSV output, and an agreement between two schools exchanged through the hub
— the real binary on temporary databases."""
import csv
import datetime
import io
import os
import zoneinfo

from network import HUB, PDF, S1, S2, Network, blob, canonical, read
from setevoe_test import main

HOUSE = "МБУ ДО «Дом детского творчества г. Гудермес»"
TITLE = "О сетевой реализации программ по робототехнике"
SUBJECT = "Совместные занятия кружков робототехники для 5–9 классов"


def today():
    """Today where the nodes are (their time zone is Europe/Moscow by default)."""
    return datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Moscow")).date()


def iso(days=0):
    return (today() + datetime.timedelta(days=days)).isoformat()


def ru(days=0):
    return (today() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


class Register(Network):
    """One school's register of agreements."""

    def setUp(self):
        super().setUp()
        self.org1 = self.add_org(self.s1, S1, short="СОШ № 1")
        self.org2 = self.add_org(self.s1, S2, short="Брагунская СОШ")
        self.house = self.add_org(self.s1, HOUSE, kind="additional-education", short="ДДТ")

    def add(self, *extra, number="12/2026", date=None, to=None, kind="joint-activity", title=TITLE, parties=None,
            db=None):
        date = ru(-30) if date is None else date
        args = ["--format", "json", "agreement", "add", "--number", number, "--kind", kind, "--title", title,
                "--subject", SUBJECT]
        for p in parties or [self.org1, "Брагунская СОШ"]:
            args += ["--party", p]
        if date:
            args += ["--date", date]
        if to:
            args += ["--valid-to", to]
        return self.ok(*args, *extra, db=db or self.s1).json()

    def show(self, ref, db=None):
        return self.ok("--format", "json", "agreement", "show", ref, db=db or self.s1).json()

    def ids(self, *args):
        return [a["id"] for a in self.ok("--format", "json", "agreement", "list", *args, db=self.s1).json()]

    def test_add_records_every_field(self):
        a = self.add("--valid-from", iso(-20), "--interaction", "Координаторы встречаются раз в четверть.",
                     "--responsibility", "Стороны отвечают за сохранность оборудования.", date=ru(-30),
                     to=ru(335), kind="о совместной деятельности")
        self.assertEqual(sorted(a), sorted(["id", "number", "signed_on", "kind", "title", "subject", "parties",
                                            "valid_from", "valid_to", "interaction", "responsibility", "status",
                                            "terminated_on", "terminate_reason", "obligations", "owner",
                                            "created_at", "updated_at"]))
        self.assertEqual((a["number"], a["signed_on"], a["kind"], a["title"], a["subject"]),
                         ("12/2026", iso(-30), "joint-activity", TITLE, SUBJECT))
        self.assertEqual(a["parties"], [{"id": self.org1, "name": S1}, {"id": self.org2, "name": S2}])
        self.assertEqual((a["valid_from"], a["valid_to"], a["status"]), (iso(-20), iso(335), "active"))
        self.assertEqual((a["interaction"], a["responsibility"]),
                         ("Координаторы встречаются раз в четверть.", "Стороны отвечают за сохранность оборудования."))
        self.assertEqual((a["terminated_on"], a["terminate_reason"], a["obligations"]), (None, None, []))
        self.assertEqual(a["owner"], self.ok("--format", "json", "status", db=self.s1).json()["id"])
        self.assertEqual(self.show(a["id"][:8]), dict(a, files=[]))
        # The table of show: every field for people.
        shown = self.ok("agreement", "show", "12/2026", db=self.s1).out
        for words in ("12/2026", ru(-30), "joint activity", TITLE, SUBJECT, f"{S1}; {S2}", f"{ru(-20)} – {ru(335)}",
                      "Координаторы", "сохранность", "in force", "Owner node", "Obligations of the parties:",
                      "(none recorded)"):
            self.assertIn(words, shown)
        # Without a date: a draft, with no term; the start of the term is the signing date by default.
        d = self.add(number="13/2026", date="", kind="творческое сотрудничество")
        self.assertEqual((d["status"], d["signed_on"], d["valid_from"], d["kind"]),
                         ("draft", None, None, "creative-cooperation"))
        self.assertIn("not signed yet", self.ok("agreement", "show", d["id"], db=self.s1).out)
        s = self.add(number="14/2026", date=iso(5))
        self.assertEqual((s["valid_from"], s["status"]), (iso(5), "draft"))  # signed, in force in 5 days
        # Quiet: the id alone; else the command to add obligations.
        q = self.ok("-q", "agreement", "add", "--number", "15", "--kind", "joint-activity", "--title", "Т",
                    "--subject", "П", "--party", "ДДТ", "--party", self.org1, db=self.s1).out.strip()
        self.assertEqual(self.show(q)["number"], "15")
        out = self.ok("agreement", "add", "--number", "16", "--kind", "joint-activity", "--title", "Т2",
                      "--subject", "П", "--party", "ДДТ", "--party", self.org2, db=self.s1).out
        self.assertIn("setevoe agreement obligation", out)

    def test_list_table_json_csv(self):
        a = self.add(to=iso(100))
        b = self.add(number="3-ТС", kind="creative-cooperation", title="Театральная студия",
                     parties=["ДДТ", self.org2], date="")
        self.assertEqual(self.ids(), [a["id"], b["id"]])  # signed first, drafts last
        table = self.ok("agreement", "list", db=self.s1, env={"COLUMNS": "400"}).out
        for words in ("Number", "Date", "Kind", "Parties", "Valid to", "Status", "12/2026", ru(-30), "joint activity",
                      TITLE, f"{S1}; {S2}", ru(100), "in force", "3-ТС", "creative cooperation", "draft"):
            self.assertIn(words, table)
        rows = list(csv.DictReader(io.StringIO(self.ok("--format", "csv", "agreement", "list", db=self.s1).out)))
        self.assertEqual(list(rows[0]), ["id", "number", "signed_on", "kind", "title", "subject", "parties",
                                         "party_names", "valid_from", "valid_to", "interaction", "responsibility",
                                         "status", "terminated_on", "terminate_reason", "obligations", "owner"])
        self.assertEqual((rows[0]["id"], rows[0]["signed_on"], rows[0]["valid_to"], rows[0]["status"]),
                         (a["id"], iso(-30), iso(100), "active"))
        self.assertEqual((rows[0]["parties"], rows[0]["party_names"]), (f"{self.org1}; {self.org2}", f"{S1}; {S2}"))
        self.assertEqual((rows[1]["signed_on"], rows[1]["status"], rows[1]["kind"]),
                         ("", "draft", "creative-cooperation"))
        one = list(csv.DictReader(io.StringIO(self.ok("--format", "csv", "agreement", "show", "3-ТС",
                                                      db=self.s1).out)))
        self.assertEqual([r["id"] for r in one], [b["id"]])
        self.assertEqual(self.ok("--format", "json", "agreement", "list", db=self.s1).json()[0], a)
        # Filters.
        self.assertEqual(self.ids("--party", "ДДТ"), [b["id"]])
        self.assertEqual(self.ids("--party", S2), [a["id"], b["id"]])
        self.assertEqual(self.ids("--status", "draft"), [b["id"]])
        self.assertEqual(self.ids("--status", "действует", "--party", self.org1), [a["id"]])
        self.assertEqual(self.ids("--status", "expired"), [])
        self.assertIn("(nothing)", self.ok("agreement", "list", "--status", "terminated", db=self.s1).out)

    def test_obligations_per_party(self):
        a = self.add(parties=[self.org2, self.org1])["id"]
        r = self.ok("--format", "json", "agreement", "obligation", a, "--party", "СОШ № 1", "--text",
                    "Предоставить кабинет робототехники", db=self.s1).json()
        self.assertEqual((r["agreement"], r["party"], r["text"]), (a, self.org1, "Предоставить кабинет робототехники"))
        out = self.ok("agreement", "obligation", "12/2026", "--party", S2, "--text", "Направить учителя",
                      db=self.s1).out
        self.assertIn("Obligation added", out)
        self.ok("agreement", "obligation", a, "--party", self.org1, "--text", "Обеспечить наборы", db=self.s1)
        shown = self.show(a)
        self.assertEqual([(o["party"], o["text"]) for o in shown["obligations"]],
                         [(self.org2, "Направить учителя"), (self.org1, "Предоставить кабинет робототехники"),
                          (self.org1, "Обеспечить наборы")])
        table = self.ok("agreement", "show", a, db=self.s1).out
        block = table.split("Obligations of the parties:")[1]
        self.assertIn(f"  {S2}:\n    1. Направить учителя\n  {S1}:\n    1. Предоставить кабинет робототехники\n"
                      "    2. Обеспечить наборы\n", block)
        before = canonical(self.s1)
        r = self.fails(64, "agreement", "obligation", a, "--party", "ДДТ", "--text", "Выставка", db=self.s1)
        self.assertIn("is not a party", r.err)
        self.assertIn(S1, r.err)
        self.fails(66, "agreement", "obligation", a, "--party", "Нет такой школы", "--text", "x", db=self.s1)
        self.assertIn("text is empty",
                      self.fails(64, "agreement", "obligation", a, "--party", self.org1, "--text", " ", db=self.s1).err)
        self.fails(64, "agreement", "obligation", a, "--party", self.org1, db=self.s1)  # --text is required
        self.fails(66, "agreement", "obligation", "99/2099", "--party", self.org1, "--text", "x", db=self.s1)
        self.assertEqual(canonical(self.s1), before)

    def test_edit_and_terminate(self):
        a = self.add(to=iso(200))["id"]
        self.ok("agreement", "obligation", a, "--party", self.org2, "--text", "Учитель", db=self.s1)
        self.ok("agreement", "obligation", a, "--party", self.org1, "--text", "Кабинет", db=self.s1)
        r = self.ok("--format", "json", "agreement", "edit", a, "--valid-to", "", "--interaction", "Раз в месяц",
                    db=self.s1).json()
        self.assertEqual((r["valid_to"], r["interaction"], r["status"]), (None, "Раз в месяц", "active"))
        self.assertIn("Nothing changed", self.ok("agreement", "edit", a, "--title", TITLE, db=self.s1).out)
        out = self.ok("agreement", "edit", a, "--party", self.org1, "ДДТ", db=self.s1).out
        self.assertIn("Changed", out)
        self.assertIn("no longer parties, removed: 1", out)
        shown = self.show(a)
        self.assertEqual([p["id"] for p in shown["parties"]], [self.org1, self.house])
        self.assertEqual([o["text"] for o in shown["obligations"]], ["Кабинет"])
        # Unsigned again, and signed again: the term keeps its start.
        self.assertEqual(self.ok("--format", "json", "agreement", "edit", a, "--date", "", db=self.s1).json()["status"],
                         "draft")
        self.ok("agreement", "edit", a, "--date", iso(-30), db=self.s1)
        before = canonical(self.s1)
        for code, args, words in [
            (64, ["--valid-to", ru(-31)], "before it begins"),
            (64, ["--date", "вчера"], "YYYY-MM-DD or DD.MM.YYYY"),
            (64, ["--party", self.org1], "two or more parties"),
            (64, ["--party", self.org1, S1], "a party twice"),
            (64, ["--kind", "о дружбе"], "о дружбе"),
            (64, ["--title", ""], "title is empty"),
            (66, ["--party", self.org1, "Нет такой школы"], "Нет такой школы"),
            (64, [], "nothing to change"),
        ]:
            with self.subTest(args=args):
                self.assertIn(words, self.fails(code, "agreement", "edit", a, *args, db=self.s1).err)
        # Termination: a date and a reason, not before the signing, once.
        self.fails(64, "agreement", "terminate", a, "--date", iso(), db=self.s1)  # no reason
        self.fails(64, "agreement", "terminate", a, "--reason", "x", db=self.s1)  # no date
        self.assertIn("before the agreement was signed",
                      self.fails(64, "agreement", "terminate", a, "--date", ru(-31), "--reason", "x", db=self.s1).err)
        self.assertIn("is not a date",
                      self.fails(64, "agreement", "terminate", a, "--date", "31.02.2027", "--reason", "x",
                                 db=self.s1).err)
        self.assertIn("reason", self.fails(64, "agreement", "terminate", a, "--date", iso(), "--reason", "  ",
                                           db=self.s1).err)
        self.assertEqual(canonical(self.s1), before)
        # Terminated as of a later day: in force until then.
        t = self.ok("--format", "json", "agreement", "terminate", a, "--date", ru(10), "--reason",
                    "по соглашению сторон", db=self.s1).json()
        self.assertEqual((t["status"], t["terminated_on"], t["terminate_reason"]),
                         ("active", iso(10), "по соглашению сторон"))
        self.assertIn("terminated as of " + ru(10), self.ok("agreement", "show", a, db=self.s1).out)
        before = canonical(self.s1)
        self.assertIn("terminated already",
                      self.fails(64, "agreement", "terminate", a, "--date", iso(), "--reason", "x", db=self.s1).err)
        self.assertIn("is not changed", self.fails(64, "agreement", "edit", a, "--title", "Другое", db=self.s1).err)
        self.fails(64, "agreement", "obligation", a, "--party", self.org1, "--text", "x", db=self.s1)
        self.assertEqual(canonical(self.s1), before)
        # Terminated as of today.
        b = self.add(number="20/2026")["id"]
        out = self.ok("agreement", "terminate", b, "--date", iso(), "--reason", "реорганизация", db=self.s1).out
        self.assertIn("Terminated as of " + ru(), out)
        self.assertEqual(self.show(b)["status"], "terminated")
        self.assertIn("terminated as of " + ru() + " — reason: реорганизация",
                      self.ok("agreement", "show", b, db=self.s1).out)
        self.assertEqual(self.ids("--status", "terminated"), [b])

    def test_refusals_write_nothing(self):
        self.add()
        before = canonical(self.s1)
        base = ["agreement", "add", "--number", "21/2026", "--kind", "joint-activity", "--title", "Т", "--subject",
                "П"]
        two = ["--party", self.org1, "--party", self.org2]
        cases = [
            (64, ["--party", self.org1], "two or more parties"),
            (64, ["--party", self.org1, "--party", S1], "a party twice"),
            (64, ["--party", self.org2, "--party", "СОШ № 1", "--party", "Брагунская СОШ"], S2),
            (66, ["--party", self.org1, "--party", "Нет такой школы"], "Нет такой школы"),
            (64, two + ["--date", "1 сентября 2026"], "YYYY-MM-DD or DD.MM.YYYY"),
            (64, two + ["--date", "31.02.2026"], "is not a date"),
            (64, two + ["--valid-to", "2026/12/31"], "--valid-to"),
            (64, two + ["--date", "01.09.2026", "--valid-to", "31.08.2026"], "before it begins"),
            (64, two + ["--valid-from", "2026-10-01", "--valid-to", "2026-09-30"], "before it begins"),
        ]
        for code, extra, words in cases:
            with self.subTest(extra=extra):
                self.assertIn(words, self.fails(code, *base, *extra, db=self.s1).err)
        kindless = [a for a in base if a != "--kind" and a != "joint-activity"]
        self.assertIn("о дружбе", self.fails(64, *kindless, "--kind", "о дружбе", *two, db=self.s1).err)
        # Required options.
        full = {"--number": "1", "--kind": "joint-activity", "--title": "Т", "--subject": "П"}
        for missing in list(full) + ["--party"]:
            with self.subTest(missing=missing):
                args = ["agreement", "add"]
                for option, value in full.items():
                    if option != missing:
                        args += [option, value]
                if missing != "--party":
                    args += ["--party", self.org1, "--party", self.org2]
                self.assertIn(missing, self.fails(64, *args, db=self.s1).err)
        self.assertIn("number is empty", self.fails(64, *base[:3], " ", *base[4:], *two, db=self.s1).err)
        self.fails(66, "agreement", "show", "0190aaaa", db=self.s1)
        self.fails(66, "agreement", "show", "Нет такого соглашения", db=self.s1)
        self.fails(64, "agreement", "show", "", db=self.s1)
        self.fails(66, "agreement", "edit", "99/2099", "--title", "x", db=self.s1)
        self.fails(66, "agreement", "terminate", "99/2099", "--date", iso(), "--reason", "x", db=self.s1)
        self.assertIn("is the id of a record of the kind",
                      self.fails(66, "agreement", "show", self.org1[:13], db=self.s1).err)
        for bad, code, words in [(["--expiring", "месяц"], 64, "not a number of days"),
                                 (["--expiring", "3m"], 64, "2w"), (["--status", "подписано"], 64, "draft"),
                                 (["--party", "Нет такой школы"], 66, "Нет такой школы")]:
            with self.subTest(bad=bad):
                self.assertIn(words, self.fails(code, "agreement", "list", *bad, db=self.s1).err)
        self.assertEqual(canonical(self.s1), before)
        # The same number twice is allowed, but then it names neither.
        self.add()
        self.assertIn("several agreements have the number",
                      self.fails(64, "agreement", "show", "12/2026", db=self.s1).err)

    def test_messages_are_russian(self):
        ru_env = {"LANGUAGE": "ru", "LANG": "ru_RU.UTF-8"}
        self.add(to=iso(100))
        self.assertIn("действует", self.ok("agreement", "list", db=self.s1, env=ru_env).out)
        r = self.fails(64, "agreement", "add", "--number", "2", "--kind", "joint-activity", "--title", "Т",
                       "--subject", "П", "--party", self.org1, "--party", S1, db=self.s1, env=ru_env)
        self.assertIn("дважды", r.err)

    def test_expiring_window_for_cron(self):
        ends_today = self.add(number="1", to=iso(0))["id"]
        ends_in_30 = self.add(number="2", to=ru(30))["id"]
        self.add(number="3", to=iso(31))  # too far
        self.add(number="4", to=iso(-1), date=iso(-40))  # expired yesterday
        self.add(number="5")  # open-ended
        self.add(number="6", date="", to=iso(10))  # a draft
        ends_in_14 = self.add(number="7", to=iso(14))["id"]
        t = self.add(number="8", to=iso(5))["id"]
        self.ok("agreement", "terminate", t, "--date", iso(-1), "--reason", "досрочно", db=self.s1)
        self.assertEqual(self.ids("--expiring", "30d"), [ends_today, ends_in_14, ends_in_30])
        self.assertEqual(self.ids("--expiring", "30"), [ends_today, ends_in_14, ends_in_30])
        self.assertEqual(self.ids("--expiring", "30д"), [ends_today, ends_in_14, ends_in_30])
        self.assertEqual(self.ids("--expiring", "2w"), [ends_today, ends_in_14])
        self.assertEqual(self.ids("--expiring", "0"), [ends_today])
        self.assertEqual(self.ids("--expiring", "29", "--party", "ДДТ"), [])
        # The crontab line of the man page: a table when there is something, nothing at all when not.
        out = self.ok("-q", "agreement", "list", "--expiring", "30d", db=self.s1).out
        self.assertIn("Valid to", out)
        self.assertIn(ru(30), out)
        self.assertEqual(self.ok("-q", "agreement", "list", "--expiring", "30d", "--party", "ДДТ", db=self.s1).out, "")

    def test_the_signed_scan_is_attached(self):
        a = self.add()["id"]
        scan = blob(30000, 7, PDF)
        path = self.file("договор-12-2026.pdf", scan)
        r = self.ok("--format", "json", "agreement", "attach", "12/2026", path, db=self.s1).json()
        self.assertEqual((r[0]["name"], r[0]["added"]), ("договор-12-2026.pdf", True))
        files = self.ok("--format", "json", "agreement", "files", a, db=self.s1).json()
        self.assertEqual([(f["name"], f["media_type"], f["size"], f["present"]) for f in files],
                         [("договор-12-2026.pdf", "application/pdf", 30000, True)])
        self.assertEqual([f["name"] for f in self.show(a)["files"]], ["договор-12-2026.pdf"])
        self.assertIn("договор-12-2026.pdf (29.3 KiB)", self.ok("agreement", "show", a, db=self.s1).out)
        out = self.path("out")
        os.makedirs(out)
        self.ok("agreement", "get", a, "-o", out, db=self.s1)
        self.assertEqual(read(os.path.join(out, "договор-12-2026.pdf")), scan)
        before = canonical(self.s1)
        self.fails(66, "agreement", "attach", a, self.path("нет-такого.pdf"), db=self.s1)
        self.fails(66, "agreement", "attach", "99/2099", path, db=self.s1)
        self.assertEqual(canonical(self.s1), before)
        self.ok("agreement", "detach", a, "договор-12-2026.pdf", db=self.s1)
        self.assertEqual(self.ok("--format", "json", "agreement", "files", a, db=self.s1).json(), [])


class Exchange(Network):
    """An agreement between two schools, registered at school 1, travels
    through the hub to school 2, which may read it but not change it."""

    def setUp(self):
        super().setUp()
        self.enrol(self.s1, S1)
        self.enrol(self.s2, S2)
        self.org1 = self.add_org(self.hub, S1)
        self.org2 = self.add_org(self.hub, S2)
        self.merge(self.s1, self.pack(self.hub, S1))
        self.merge(self.s2, self.pack(self.hub, S2))

    def show(self, db, ref):
        return self.ok("--format", "json", "agreement", "show", ref, db=db).json()

    def test_registered_at_one_school_read_at_the_other(self):
        a = self.ok("--format", "json", "agreement", "add", "--number", "12/2026", "--date", iso(-10), "--kind",
                    "joint-activity", "--title", TITLE, "--subject", SUBJECT, "--party", self.org1, "--party",
                    self.org2, "--valid-to", iso(20), db=self.s1).json()["id"]
        self.ok("agreement", "obligation", a, "--party", self.org1, "--text", "Кабинет", db=self.s1)
        self.ok("agreement", "obligation", a, "--party", self.org2, "--text", "Учитель", db=self.s1)
        scan = blob(5000, 3, PDF)
        self.ok("agreement", "attach", a, self.file("скан.pdf", scan), db=self.s1)
        self.fails(66, "agreement", "show", a, db=self.s2)  # not arrived yet
        self.round()
        there = self.show(self.s2, a)
        here = self.show(self.s1, a)
        self.assertEqual(there, here)
        self.assertEqual([p["name"] for p in there["parties"]], [S1, S2])
        self.assertEqual([(o["party"], o["text"]) for o in there["obligations"]],
                         [(self.org1, "Кабинет"), (self.org2, "Учитель")])
        self.assertEqual([(f["name"], f["present"]) for f in there["files"]], [("скан.pdf", True)])
        self.assertEqual(self.ok("--format", "json", "agreement", "list", "--expiring", "30d", db=self.s2).json(),
                         self.ok("--format", "json", "agreement", "list", "--expiring", "30d", db=self.s1).json())
        self.assertEqual(self.show(self.hub, a)["obligations"], here["obligations"])
        # School 2 reads it, but changes nothing.
        before = canonical(self.s2)
        self.assertIn("registered by the node",
                      self.fails(77, "agreement", "edit", a, "--title", "Захвачено", db=self.s2).err)
        self.assertIn("registered by the node",
                      self.fails(77, "agreement", "terminate", a, "--date", iso(), "--reason", "чужое",
                                 db=self.s2).err)
        self.assertIn("written by the node that registered it",
                      self.fails(77, "agreement", "obligation", a, "--party", self.org2, "--text", "Моё",
                                 db=self.s2).err)
        self.fails(77, "agreement", "attach", a, self.file("чужой.pdf", blob(100, 4, PDF)), db=self.s2)
        self.fails(77, "agreement", "detach", a, "скан.pdf", db=self.s2)
        self.assertEqual(canonical(self.s2), before)
        # Nor the hub the obligations; the hub may correct and terminate it.
        self.fails(77, "agreement", "obligation", a, "--party", self.org2, "--text", "Хаб", db=self.hub)
        self.ok("agreement", "edit", a, "--interaction", "Отчёт раз в полугодие", db=self.hub)
        self.ok("agreement", "terminate", a, "--date", iso(), "--reason", "по соглашению сторон", db=self.s1)
        self.round()
        for db in (self.s1, self.s2, self.hub):
            with self.subTest(db=db):
                r = self.show(db, a)
                self.assertEqual((r["status"], r["terminated_on"], r["interaction"]),
                                 ("terminated", iso(), "Отчёт раз в полугодие"))


if __name__ == "__main__":
    main()
