"""End-to-end tests of the plan of events: adding, listing by period,
editing, cancelling, registrations, attendance, contest results,
certificates verified on another node after a bundle, the plan, the
calendar file, and every refusal — the real binary on temporary databases."""
import os
import sqlite3

from network import HUB, S1, S2, Network, canonical, read
from setevoe_test import main

TEACHER = "Исаева Зарема Ахмедовна"
COLLEAGUE = "Магомадова Луиза Руслановна"
SEMINAR = "Формирующее оценивание на уроках математики"
CONTEST = "Учитель года — 2026"


class Plan(Network):
    """One school's plan: add, list, show, edit, cancel, registrations, refusals."""

    def setUp(self):
        super().setUp()
        self.org = self.add_org(self.s1, S1, short="СОШ № 1")
        self.teacher = self.add_person(self.s1, TEACHER, self.org)
        self.colleague = self.add_person(self.s1, COLLEAGUE, self.org)

    def add(self, *extra, db=None, title=SEMINAR, kind="seminar", start="10.12.2030 14:00", where=None):
        where = where if where is not None else ["--place", "СОШ № 1, актовый зал"]
        args = ["--format", "json", "event", "add", "--type", kind, "--title", title, "--start", start,
                "--organiser", self.org, *where, *extra]
        return self.ok(*args, db=db or self.s1).json()

    def test_add_records_every_field_in_the_nodes_zone(self):
        e = self.add("--end", "2030-12-10 16:30", "--description", "Для учителей 5–9 классов.", "--direction",
                     "technology", "--direction", "quality", "--section", "Математика", "--section", "Физика",
                     kind="семинар")
        self.assertEqual(e["type"], "seminar")
        self.assertEqual(e["starts_at"], "2030-12-10T11:00:00.000Z")  # Moscow is UTC+3
        self.assertEqual(e["ends_at"], "2030-12-10T13:30:00.000Z")
        self.assertEqual(e["local"], {"time_zone": "Europe/Moscow", "start": "10.12.2030 14:00",
                                      "end": "10.12.2030 16:30"})
        self.assertEqual(e["organiser"], {"id": self.org, "name": S1})
        self.assertEqual([d["code"] for d in e["directions"]], ["technology", "quality"])
        self.assertEqual(e["sections"], ["Математика", "Физика"])
        self.assertEqual((e["status"], e["revision"], e["registrations"]), ("planned", 0, 0))
        shown = self.ok("event", "show", e["id"][:8], db=self.s1).out
        self.assertIn("10.12.2030 14:00–16:30 (Europe/Moscow)", shown)
        self.assertIn("СОШ № 1, актовый зал", shown)
        # An online event has a link instead of a place.
        w = self.add(title="Вебинар о ФГОС", kind="webinar", where=["--url", "https://example.org/webinar"])
        self.assertEqual((w["place"], w["url"]), ("", "https://example.org/webinar"))

    def test_bad_input_is_refused_and_nothing_is_written(self):
        before = canonical(self.s1)
        base = ["event", "add", "--title", SEMINAR, "--organiser", self.org, "--place", "зал"]
        cases = [
            (64, ["--type", "лекция", "--start", "10.12.2030 14:00"], "лекция"),
            (64, ["--type", "seminar", "--start", "32.12.2030 14:00"], "is not a date and time"),
            (64, ["--type", "seminar", "--start", "10.12.2030"], "is not a date and time"),
            (64, ["--type", "seminar", "--start", "10.12.2030 14:00", "--end", "10.12.2030 13:00"],
             "ends (10.12.2030 13:00) before it starts"),
            (64, ["--type", "seminar", "--start", "10.12.2030 14:00", "--url", "ftp://x"], "not a web link"),
            (66, ["--type", "seminar", "--start", "10.12.2030 14:00", "--direction", "астрология"], "астрология"),
        ]
        for code, extra, words in cases:
            with self.subTest(extra=extra):
                r = self.fails(code, *base, *extra, db=self.s1)
                self.assertIn(words, r.err)
        r = self.fails(64, "event", "add", "--type", "seminar", "--title", SEMINAR, "--start", "10.12.2030 14:00",
                       "--organiser", self.org, db=self.s1)
        self.assertIn("--place", r.err)
        r = self.fails(66, "event", "add", "--type", "seminar", "--title", SEMINAR, "--start", "10.12.2030 14:00",
                       "--organiser", "Нет такой школы", "--place", "зал", db=self.s1)
        self.assertIn("Нет такой школы", r.err)
        self.fails(66, "event", "show", "0190aaaa", db=self.s1)
        self.fails(66, "event", "show", "Нет такого мероприятия", db=self.s1)
        self.assertEqual(canonical(self.s1), before)

    def test_messages_are_russian(self):
        r = self.fails(64, "event", "add", "--type", "seminar", "--title", SEMINAR, "--start", "завтра",
                       "--organiser", self.org, "--place", "зал", db=self.s1, env={"LANGUAGE": "ru", "LANG": "ru_RU.UTF-8"})
        self.assertIn("не дата и время", r.err)

    def test_list_by_period_type_org_and_direction(self):
        a = self.add(start="30.11.2030 23:59")["id"]
        b = self.add("--direction", "gifted", start="01.12.2030 00:00", title="Олимпиадная математика")["id"]
        c = self.add(kind="contest", start="31.12.2030 23:30", title=CONTEST)["id"]

        def ids(*f):
            return [e["id"] for e in self.ok("--format", "json", "event", "list", *f, db=self.s1).json()]

        self.assertEqual(ids(), [a, b, c])
        self.assertEqual(ids("--month", "2030-12"), [b, c])
        self.assertEqual(ids("--month", "12.2030", "--type", "конкурс"), [c])
        self.assertEqual(ids("--from", "30.11.2030", "--to", "2030-11-30"), [a])
        self.assertEqual(ids("--quarter", "2030Q4", "--direction", "gifted"), [b])
        self.assertEqual(ids("--year", "2030", "--org", "СОШ № 1", "--limit", "2"), [a, b])
        self.assertEqual(ids("--year", "2031"), [])
        for bad, words in [(["--month", "декабрь"], "is not a month"), (["--quarter", "2030Q5"], "is not a quarter"),
                           (["--year", "30"], "is not a year"), (["--month", "2030-12", "--year", "2030"], "one period"),
                           (["--from", "2030-12-31", "--to", "2030-12-01"], "before"),
                           (["--from", "вчера"], "is not a date")]:
            with self.subTest(bad=bad):
                self.assertIn(words, self.fails(64, "event", "list", *bad, db=self.s1).err)
        self.assertIn(self.org, self.ok("--format", "csv", "event", "list", db=self.s1).out)

    def test_edit_counts_revisions_and_cancel_keeps_the_event_marked(self):
        e = self.add()
        r = self.ok("--format", "json", "event", "edit", SEMINAR, "--start", "11.12.2030 15:00", "--end",
                    "11.12.2030 17:00", db=self.s1).json()
        self.assertEqual((r["local"]["start"], r["revision"]), ("11.12.2030 15:00", 1))
        self.assertIn("Nothing changed", self.ok("event", "edit", e["id"], "--title", SEMINAR, db=self.s1).out)
        self.assertEqual(self.ok("--format", "json", "event", "show", e["id"], db=self.s1).json()["revision"], 1)
        self.assertIn("before it starts",
                      self.fails(64, "event", "edit", e["id"], "--end", "11.12.2030 14:00", db=self.s1).err)
        self.assertIn("nothing to change", self.fails(64, "event", "edit", e["id"], db=self.s1).err)
        r = self.ok("--format", "json", "event", "edit", e["id"], "--end", "", db=self.s1).json()
        self.assertIsNone(r["ends_at"])
        self.fails(64, "event", "cancel", e["id"], "--reason", "  ", db=self.s1)
        c = self.ok("--format", "json", "event", "cancel", e["id"], "--reason", "карантин", db=self.s1).json()
        self.assertEqual((c["status"], c["cancel_reason"], c["revision"]), ("cancelled", "карантин", 3))
        self.assertIn("cancelled already", self.fails(64, "event", "cancel", e["id"], "--reason", "x", db=self.s1).err)
        self.assertIn("is not changed", self.fails(64, "event", "edit", e["id"], "--title", "Другое", db=self.s1).err)
        self.assertIn("nobody registers",
                      self.fails(64, "event", "register", e["id"], TEACHER, db=self.s1).err)
        shown = self.ok("event", "show", e["id"], db=self.s1).out
        self.assertIn("cancelled — reason: карантин", shown)
        self.assertEqual(self.ok("--format", "json", "event", "list", "--no-cancelled", db=self.s1).json(), [])

    def test_registrations_once_per_person_and_taken_back(self):
        e = self.add()["id"]
        self.ok("event", "register", e, TEACHER, "--role", "докладчик", db=self.s1)
        r = self.fails(65, "event", "register", e, self.teacher[:13], db=self.s1)
        self.assertIn("registered for this event already (as speaker)", r.err)
        self.fails(66, "event", "register", e, "Никто Никтович", db=self.s1)
        self.assertIn("зритель", self.fails(64, "event", "register", e, COLLEAGUE, "--role", "зритель",
                                            db=self.s1).err)
        self.ok("event", "register", e, COLLEAGUE, db=self.s1)
        shown = self.ok("--format", "json", "event", "show", e, db=self.s1).json()
        self.assertEqual(shown["registrations"], 2)
        self.assertEqual({(p["name"], p["role"]) for p in shown["participants"]},
                         {(TEACHER, "speaker"), (COLLEAGUE, "participant")})
        self.ok("event", "unregister", e, COLLEAGUE, db=self.s1)
        self.fails(66, "event", "unregister", e, COLLEAGUE, db=self.s1)
        self.assertEqual(self.ok("--format", "json", "event", "show", e, db=self.s1).json()["registrations"], 1)

    def test_marks_wait_for_the_event(self):
        e = self.add(start="10.12.2099 10:00")["id"]
        before = canonical(self.s1)
        r = self.fails(64, "event", "attend", e, TEACHER, db=self.s1)
        self.assertIn("begins at 10.12.2099 10:00", r.err)
        self.fails(64, "event", "certificate", e, db=self.s1)
        self.assertEqual(canonical(self.s1), before)

    def test_attendance_results_and_certificates(self):
        c = self.add(kind="contest", title=CONTEST, start="01.10.2026 10:00")["id"]
        s = self.add(title=SEMINAR, start="02.10.2026 10:00")["id"]
        self.ok("event", "register", c, TEACHER, db=self.s1)
        self.assertIn("nobody is marked", self.fails(64, "event", "certificate", c, db=self.s1).err)
        out = self.ok("event", "attend", c, TEACHER, COLLEAGUE, db=self.s1).out
        self.assertIn("came: 2 of 2", out)
        self.assertIn("Registered as participants, since they were not: 1", out)
        self.ok("event", "attend", c, COLLEAGUE, "--absent", db=self.s1)
        self.assertIn("a place is 1, 2 or 3", self.fails(64, "event", "result", c, TEACHER, "--place", "4",
                                                          db=self.s1).err)
        self.assertIn("--place", self.fails(64, "event", "result", c, TEACHER, db=self.s1).err)
        self.assertIn("not a contest", self.fails(64, "event", "result", s, TEACHER, "--place", "1", db=self.s1).err)
        self.ok("event", "result", c, TEACHER, "--place", "1", "--award", "Гран-при", db=self.s1)
        self.assertIn("not marked as having come",
                      self.fails(64, "event", "certificate", c, COLLEAGUE, db=self.s1).err)
        html = self.path("сертификаты.html")
        certs = self.ok("--format", "json", "event", "certificate", c, "-o", html, db=self.s1).json()
        self.assertEqual(len(certs), 1)
        cert = certs[0]
        self.assertEqual(cert["number"], c[:8].upper() + "-001")
        self.assertRegex(cert["code"], r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")
        self.assertEqual((cert["person_name"], cert["place"], cert["award"]), (TEACHER, 1, "Гран-при"))
        page = read(html).decode()
        for words in (TEACHER, CONTEST, cert["number"], cert["code"], "place 1, Гран-при", "01.10.2026"):
            self.assertIn(words, page)
        # Issued once: again, the same number and code.
        again = self.ok("--format", "json", "event", "certificate", c, db=self.s1).json()
        self.assertEqual(again, certs)
        table = self.ok("event", "certificate", c, db=self.s1).out
        self.assertIn("place 1, Гран-при", table)
        ok = self.ok("event", "verify-certificate", cert["code"].lower().replace("-", " "), db=self.s1)
        self.assertIn("genuine", ok.out)
        self.assertIn("not a certificate's code", self.fails(64, "event", "verify-certificate", "12", db=self.s1).err)
        self.fails(66, "event", "verify-certificate", "ZZZZ-ZZZZ-ZZZZ-ZZZZ", db=self.s1)
        # Someone changes the name in the database by hand: the signature no longer holds.
        con = sqlite3.connect(self.s1)
        con.execute("UPDATE certificate SET person_name = 'Подделкин Пётр'")
        con.commit()
        con.close()
        r = self.fails(65, "--format", "json", "event", "verify-certificate", cert["code"], db=self.s1)
        self.assertFalse(r.json()["valid"])
        self.assertIn("NOT genuine", r.err)

    def test_output_file_refusals_leave_nothing(self):
        self.add()
        missing = os.path.join(self.dir, "нет", "plan.ics")
        self.assertIn("does not exist", self.fails(73, "event", "ics", "-o", missing, db=self.s1).err)
        self.assertFalse(os.path.exists(os.path.dirname(missing)))
        self.fails(73, "event", "ics", "-o", self.dir, db=self.s1)
        # A device is written to, not replaced by a file.
        self.ok("event", "ics", "-o", "/dev/null", db=self.s1)
        self.assertFalse(os.path.isfile("/dev/null"))
        self.assertEqual([n for n in os.listdir(self.dir) if ".part-" in n], [])

    def test_the_plan_of_a_month_quarter_or_year(self):
        self.add(start="01.12.2030 09:00", title="Первое")
        self.add(start="15.12.2030 09:00", title="Второе", where=["--url", "https://example.org/x"])
        cancelled = self.add(start="20.12.2030 09:00", title="Отменённое")["id"]
        self.ok("event", "cancel", cancelled, "--reason", "перенос", db=self.s1)
        self.add(start="15.01.2031 09:00", title="Январское")
        out = self.ok("event", "plan", "--month", "2030-12", db=self.s1).out
        self.assertIn("01.12.2030 – 31.12.2030", out)
        self.assertLess(out.index("Первое"), out.index("Второе"))
        self.assertNotIn("Отменённое", out)
        self.assertNotIn("Январское", out)
        self.assertIn("Отменённое (cancelled)", self.ok("event", "plan", "--month", "2030-12", "--cancelled",
                                                       db=self.s1).out)
        titles = [e["title"] for e in self.ok("--format", "json", "event", "plan", "--quarter", "2031Q1",
                                              db=self.s1).json()]
        self.assertEqual(titles, ["Январское"])
        self.assertEqual(len(self.ok("--format", "json", "event", "plan", "--year", "2030", db=self.s1).json()), 2)
        self.assertIn("No events", self.ok("event", "plan", "--year", "2040", db=self.s1).out)
        self.assertIn("which plan", self.fails(64, "event", "plan", db=self.s1).err)


class Exchange(Network):
    """Events between nodes: authority, registrations from other schools,
    certificates checked on another node after the bundles."""

    def setUp(self):
        super().setUp()
        self.enrol(self.s1, S1)
        self.enrol(self.s2, S2)
        self.org1 = self.add_org(self.hub, S1)
        self.org2 = self.add_org(self.hub, S2)
        self.teacher = self.add_person(self.hub, TEACHER, self.org2)
        self.merge(self.s1, self.pack(self.hub, S1))
        self.merge(self.s2, self.pack(self.hub, S2))

    def test_another_school_registers_but_may_not_change_or_mark(self):
        e = self.ok("--format", "json", "event", "add", "--type", "contest", "--title", CONTEST, "--start",
                    "01.10.2026 10:00", "--organiser", self.org1, "--place", "Гудермес", db=self.s1).json()["id"]
        self.round()
        before = canonical(self.s2)
        self.assertIn("belongs to the node",
                      self.fails(77, "event", "cancel", e, "--reason", "чужое", db=self.s2).err)
        self.fails(77, "event", "edit", e, "--title", "Захвачено", db=self.s2)
        self.assertIn("recorded by the node that organises it",
                      self.fails(77, "event", "attend", e, TEACHER, db=self.s2).err)
        self.fails(77, "event", "result", e, TEACHER, "--place", "1", db=self.s2)
        self.fails(77, "event", "certificate", e, db=self.s2)
        self.assertEqual(canonical(self.s2), before)
        # s2 registers its teacher; the organiser sees it after the bundles.
        self.ok("event", "register", e, TEACHER, db=self.s2)
        self.round()
        shown = self.ok("--format", "json", "event", "show", e, db=self.s1).json()
        self.assertEqual([p["name"] for p in shown["participants"]], [TEACHER])
        # The organiser may not take back s2's registration.
        self.assertIn("was registered by the node", self.fails(77, "event", "unregister", e, TEACHER, db=self.s1).err)
        # The organiser marks and issues; s2 verifies offline after the bundles.
        self.ok("event", "attend", e, TEACHER, db=self.s1)
        self.ok("event", "result", e, TEACHER, "--place", "2", db=self.s1)
        cert = self.ok("--format", "json", "event", "certificate", e, db=self.s1).json()[0]
        self.fails(66, "event", "verify-certificate", cert["code"], db=self.s2)  # not arrived yet
        self.round()
        check = self.ok("--format", "json", "event", "verify-certificate", cert["code"], db=self.s2).json()
        self.assertTrue(check["valid"])
        self.assertEqual((check["person_name"], check["event_title"], check["place"]), (TEACHER, CONTEST, 2))
        marks = self.ok("--format", "json", "event", "show", e, db=self.s2).json()["participants"]
        self.assertEqual([(p["attended"], p["place"], p["certificate"]) for p in marks], [(True, 2, cert["number"])])
        # The cancellation travels too.
        self.ok("event", "cancel", e, "--reason", "перенос", db=self.s1)
        self.round()
        self.assertEqual(self.ok("--format", "json", "event", "show", e, db=self.s2).json()["status"], "cancelled")


class Conference(Network):
    """An internet conference: sections, papers, threads written on several
    nodes at once, edits by the author's node, a message hidden by the hub."""

    def setUp(self):
        super().setUp()
        self.enrol(self.s1, S1)
        self.enrol(self.s2, S2)
        self.org = self.add_org(self.hub, S1)
        self.a = self.add_person(self.hub, TEACHER, self.org)
        self.b = self.add_person(self.hub, COLLEAGUE, self.org)
        self.event = self.ok("--format", "json", "event", "add", "--type", "интернет-конференция", "--title",
                             "Функциональная грамотность", "--start", "10.12.2030 10:00", "--url",
                             "https://example.org/conf", "--organiser", self.org, "--section",
                             "Математическая грамотность", "--section", "Читательская грамотность",
                             db=self.hub).json()["id"]
        self.merge(self.s1, self.pack(self.hub, S1))
        self.merge(self.s2, self.pack(self.hub, S2))

    def post(self, db, *args):
        return self.ok("--format", "json", "event", "post", self.event, *args, db=db).json()

    def test_threads_from_several_nodes_meet_in_time_order(self):
        paper = self.ok("--format", "json", "product", "add", "--type", "recommendations", "--title",
                        "Задачи PISA на уроках математики", "--author", TEACHER, db=self.s1).json()["id"]
        self.assertIn("not published", self.fails(64, "event", "post", self.event, "--by", TEACHER, "--paper", paper,
                                                  db=self.s1).err)
        self.ok("product", "submit", paper, db=self.s1)
        self.round()
        self.ok("product", "publish", paper, db=self.hub)
        self.round()
        first = self.post(self.s1, "--by", TEACHER, "--section", "математическая грамотность", "--paper", paper,
                          "--text", "Представляю доклад.")
        self.assertEqual(first["section"], "Математическая грамотность")
        second = self.post(self.s2, "--by", COLLEAGUE, "--section", "Читательская грамотность", "--text",
                           "Вопрос секции чтения.")
        self.round()
        reply = self.post(self.s2, "--by", COLLEAGUE, "--reply-to", first["id"][:13], "--text", "Спасибо за доклад!")
        own = self.post(self.s1, "--by", TEACHER, "--reply-to", first["id"], "--text", "Добавлю слайды позже.")
        self.round()
        self.round()
        threads = [[(p["id"], p["depth"]) for p in
                    self.ok("--format", "json", "event", "thread", self.event, db=db).json()]
                   for db in (self.hub, self.s1, self.s2)]
        self.assertEqual(threads[0], threads[1])
        self.assertEqual(threads[0], threads[2])
        ids = [i for i, _ in threads[0]]
        self.assertEqual(ids[0], first["id"])
        self.assertEqual(set(ids[1:3]), {reply["id"], own["id"]})
        self.assertEqual(ids[3], second["id"])
        self.assertEqual([d for _, d in threads[0]], [0, 1, 1, 0])
        shown = self.ok("event", "thread", self.event, "--section", "Математическая грамотность", db=self.s2).out
        self.assertIn("Paper: «Задачи PISA на уроках математики»", shown)
        self.assertIn("↳", shown)
        self.assertNotIn("Вопрос секции чтения", shown)
        # The author's node edits; another node may not.
        self.assertIn("belongs to the node", self.fails(77, "event", "edit-post", first["id"], "--text", "Чужое",
                                                        db=self.s2).err)
        self.ok("event", "edit-post", first["id"][:13], "--text", "Представляю доклад (исправлено).", db=self.s1)
        # A school does not hide; the hub does, with a reason the others read.
        self.assertIn("district hub", self.fails(77, "event", "hide-post", second["id"], "--reason", "спам",
                                                 db=self.s1).err)
        self.fails(64, "event", "hide-post", second["id"], db=self.hub)
        self.ok("event", "hide-post", second["id"], "--reason", "не по теме", db=self.hub)
        self.round()
        at_school = self.ok("event", "thread", self.event, db=self.s1).out
        self.assertIn("(исправлено)", at_school)
        self.assertIn("[hidden by the moderator: не по теме]", at_school)
        self.assertNotIn("Вопрос секции чтения", at_school)
        hidden = [p for p in self.ok("--format", "json", "event", "thread", self.event, db=self.s1).json()
                  if p["id"] == second["id"]][0]
        self.assertEqual((hidden["hidden"], hidden["text"]), (True, None))
        self.ok("event", "hide-post", second["id"], "--show", db=self.hub)
        self.assertIn("Вопрос секции чтения", self.ok("event", "thread", self.event, db=self.hub).out)

    def test_thread_refusals(self):
        before = canonical(self.s1)
        for code, args, words in [
            (64, ["--by", TEACHER], "empty"),
            (64, ["--by", TEACHER, "--text", "x", "--section", "Химия"], "no section «Химия»"),
            (66, ["--by", "Никто", "--text", "x"], "Никто"),
            (64, ["--by", TEACHER, "--text", "x", "--reply-to", "ab"], "not a message's id"),
            (66, ["--by", TEACHER, "--text", "x", "--reply-to", "0190aaaa"], "no message"),
            (66, ["--by", TEACHER, "--text", "x", "--paper", "Нет такого"], "Нет такого"),
        ]:
            with self.subTest(args=args):
                self.assertIn(words, self.fails(code, "event", "post", self.event, *args, db=self.s1).err)
        self.assertEqual(canonical(self.s1), before)
        self.assertIn("No messages yet", self.ok("event", "thread", self.event, db=self.s1).out)

    def test_a_products_thread(self):
        p = self.ok("--format", "json", "product", "add", "--type", "kim", "--title", "КИМ по алгебре", "--author",
                    TEACHER, db=self.s1).json()["id"]
        m = self.ok("--format", "json", "product", "post", p, "--by", COLLEAGUE, "--text", "Где ответы?",
                    db=self.s1).json()
        self.ok("product", "post", p, "--by", TEACHER, "--reply-to", m["id"], "--text", "В приложении.", db=self.s1)
        out = self.ok("product", "thread", p, db=self.s1).out
        self.assertLess(out.index("Где ответы?"), out.index("В приложении."))
        # A draft's thread stays where the draft is.
        self.round()
        self.assertEqual(self.ok("--format", "json", "product", "thread", p, db=self.hub).json()[0]["text"],
                         "Где ответы?")
        self.fails(66, "product", "thread", p, db=self.s2)


if __name__ == "__main__":
    main()
