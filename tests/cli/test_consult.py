"""End-to-end tests of the «Консультация» service: asking with a file, due
dates in working days from the config's calendar, assigning experts at the
hub, answers travelling back to the asker's school, acceptance, the FAQ
reaching every school, overdue questions for cron, and every refusal."""
import datetime
import os
import sqlite3

from network import S1, S2, Network, canonical, read
from setevoe_test import main

ASKER = "Исаева Зарема Ахмедовна"
EXPERT = "Байсултанова Хеда Мусаевна"
TITLE = "Как готовить пятиклассников к олимпиаде?"


class Consult(Network):
    def setUp(self):
        super().setUp()
        self.enrol(self.s1, S1)
        self.enrol(self.s2, S2)
        org = self.add_org(self.hub, S1)
        self.add_person(self.hub, ASKER, org)
        self.expert = self.add_person(self.hub, EXPERT, self.add_org(self.hub, "ММК", kind="methodological-service"))
        self.ok("member", "expert", EXPERT, "--direction", "gifted", db=self.hub)
        self.merge(self.s1, self.pack(self.hub, S1))
        self.merge(self.s2, self.pack(self.hub, S2))

    def ask(self, *extra, db=None, title=TITLE):
        return self.ok("--format", "json", "consult", "ask", "--by", ASKER, "--direction", "gifted", "--title", title,
                       "--text", "Какие задачи давать в начале года?", *extra, db=db or self.s1).json()

    def test_a_question_across_the_network(self):
        task = self.file("задача.pdf", b"%PDF-1.7\n" + b"x" * 100)
        q = self.ask("--attach", task, "--publish")
        self.assertEqual((q["status"], q["publish"], q["experts"]), ("open", True, []))
        self.round()
        # The hub sees it; the other school does not.
        self.assertEqual([x["id"] for x in self.ok("--format", "json", "consult", "list", db=self.hub).json()], [q["id"]])
        self.assertEqual(self.ok("--format", "json", "consult", "list", db=self.s2).json(), [])
        # A school may not assign experts.
        self.assertIn("assigned by the district hub", self.fails(77, "consult", "assign", q["id"], db=self.s1).err)
        a = self.ok("--format", "json", "consult", "assign", q["id"], db=self.hub).json()
        self.assertEqual([e["name"] for e in a["experts"]], [EXPERT])
        self.assertEqual(a["status"], "assigned")
        files = self.ok("--format", "json", "consult", "files", q["id"], db=self.hub).json()
        self.assertEqual([f["name"] for f in files], ["задача.pdf"])
        answer = self.ok("--format", "json", "consult", "answer", q["id"][:13], "--by", EXPERT, "--text",
                         "Начните с задач прошлых лет муниципального этапа.", db=self.hub).json()
        self.round()
        shown = self.ok("--format", "json", "consult", "show", TITLE, db=self.s1).json()
        self.assertEqual(shown["status"], "answered")
        self.assertEqual([x["text"] for x in shown["answers"]], ["Начните с задач прошлых лет муниципального этапа."])
        self.assertIsNotNone(shown["first_answer_at"])
        # The other school has not got it at all.
        self.fails(66, "consult", "accept", q["id"], answer["id"], db=self.s2)
        self.ok("consult", "accept", q["id"], answer["id"][:20], db=self.s1)
        self.ok("consult", "close", q["id"], db=self.s1)
        self.round()
        self.round()
        faq = self.ok("--format", "json", "consult", "faq", db=self.s2).json()
        self.assertEqual([(e["title"], e["answer"]["text"]) for e in faq],
                         [(TITLE, "Начните с задач прошлых лет муниципального этапа.")])
        self.assertIn("Начните с задач", self.ok("consult", "faq", "--direction", "gifted", db=self.s2).out)
        closed = self.ok("--format", "json", "consult", "show", q["id"], db=self.hub).json()
        self.assertEqual(closed["status"], "closed")
        self.assertIn("is closed", self.fails(64, "consult", "answer", q["id"], "--by", EXPERT, "--text", "ещё",
                                              db=self.hub).err)
        self.ok("consult", "reopen", q["id"], db=self.s1)
        self.assertIn("is not closed", self.fails(64, "consult", "reopen", q["id"], db=self.s1).err)

    def test_a_private_question_stays_with_the_hub_and_the_asker(self):
        q = self.ask(title="Личный вопрос")
        self.round()
        self.ok("consult", "assign", q["id"], db=self.hub)
        answer = self.ok("--format", "json", "consult", "answer", q["id"], "--by", EXPERT, "--text", "Ответ",
                         db=self.hub).json()
        self.round()
        self.ok("consult", "accept", q["id"], answer["id"], db=self.s1)
        self.round()
        self.round()
        self.assertEqual(self.ok("--format", "json", "consult", "faq", db=self.s2).json(), [])
        self.assertNotIn("Личный вопрос", str(canonical(self.s2)))
        # The other school cannot even name it.
        self.fails(66, "consult", "show", q["id"], db=self.s2)

    def test_due_dates_follow_the_configured_calendar_and_overdue_serves_cron(self):
        config = self.file("config.toml", b'[consult]\nanswer_days = 1\nholidays = ["2026-01-01"]\n')
        env = {"SETEVOE_CONFIG": config}
        q = self.run_setevoe("--format", "json", "consult", "ask", "--by", ASKER, "--direction", "gifted", "--title",
                             TITLE, "--text", "Текст", db=self.s1, env=env)
        self.assertEqual(q.code, 0, repr(q))
        due = q.json()["due_on"]
        today = datetime.date.fromisoformat(q.json()["asked_at"][:10])
        self.assertGreater(datetime.date.fromisoformat(due), today)
        self.assertLessEqual((datetime.date.fromisoformat(due) - today).days, 3)  # one working day, over a weekend
        # An old question, long overdue (its due date moved back by hand, as if asked last year).
        con = sqlite3.connect(self.s1)
        con.execute("UPDATE question SET due_on = '2025-12-01'")
        con.commit()
        con.close()
        over = self.ok("--format", "json", "consult", "list", "--status", "overdue", db=self.s1).json()
        self.assertEqual([(x["title"], x["overdue"]) for x in over], [(TITLE, True)])
        self.assertIn("overdue", self.ok("consult", "list", db=self.s1).out)
        self.assertEqual(self.ok("--format", "json", "consult", "list", "--status", "answered", db=self.s1).json(), [])
        # A bad calendar is a clear error.
        bad = self.file("bad.toml", "[consult]\nholidays = [\"1 января\"]\n".encode())
        r = self.run_setevoe("consult", "ask", "--by", ASKER, "--direction", "gifted", "--title", "x", "--text", "y",
                             db=self.s1, env={"SETEVOE_CONFIG": bad})
        self.assertEqual(r.code, 65, repr(r))
        self.assertIn("is not a date", r.err)

    def test_refusals_leave_nothing(self):
        before = canonical(self.s1)
        cases = [
            (64, ["consult", "ask", "--by", ASKER, "--direction", "gifted", "--title", " ", "--text", "x"], "title"),
            (66, ["consult", "ask", "--by", "Никто", "--direction", "gifted", "--title", "x", "--text", "y"], "Никто"),
            (66, ["consult", "ask", "--by", ASKER, "--direction", "астрология", "--title", "x", "--text", "y"],
             "астрология"),
            (66, ["consult", "ask", "--by", ASKER, "--direction", "gifted", "--title", "x", "--text", "y", "--attach",
                  os.path.join(self.dir, "нет.pdf")], "нет.pdf"),
            (64, ["consult", "list", "--status", "решён"], "решён"),
            (66, ["consult", "show", "0190aaaa"], ""),
            (64, ["consult", "assign"], "name one question"),
        ]
        for code, args, words in cases:
            with self.subTest(args=args):
                self.assertIn(words, self.fails(code, *args, db=self.s1).err)
        self.assertEqual(canonical(self.s1), before)
        q = self.ask()
        self.assertIn("neither assigned", self.fails(64, "consult", "answer", q["id"], "--by", ASKER, "--text", "x",
                                                     db=self.s1).err)
        self.fails(66, "consult", "accept", q["id"], "0190aaaa", db=self.s1)
        self.fails(64, "consult", "accept", q["id"], "ab", db=self.s1)
        self.fails(64, "consult", "accept", q["id"], "0190aaaa", "--publish", "--no-publish", db=self.s1)
        self.ok("consult", "close", q["id"], db=self.s1)
        self.assertIn("closed already", self.fails(64, "consult", "close", q["id"], db=self.s1).err)


if __name__ == "__main__":
    main()
