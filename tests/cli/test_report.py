"""End-to-end tests of `setevoe report`: every kind of report in every
format, to standard output and to files, the format chosen by --format or
by the file's extension; the figures of the JSON equal to what was built
through the CLI; Russian reports whatever the locale (and English ones on
request) while the messages follow the locale; the [report] table of the
config; --previous-month; every bad input with its exit code and message;
no file, and no half-written one, from a report that fails; and the
crontab line and systemd unit of examples/cron/ run as they are written.
The network is built once (tests/lib/report_network.py); LibreOffice and
a spreadsheet reader check the office files in tests/interop/test_report.py."""
import csv
import datetime
import io
import json
import os
import pty
import re
import shlex
import subprocess
import zipfile

from network import HUB
from report_network import (CONTEST, EXPERT, HELD, KIM, KINDS, LATE, MASTERCLASS, PARTNER, QUESTION, READING,
                            SEMINAR, SLIDES, SUMMARY, TEACHER, WEBINAR, World, check_html, day, iso, period_args,
                            today)
from setevoe_test import BINARY, COMMAND_TIMEOUT, SOURCE, SetevoeTest, main

MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
          "декабрь"]
TEXT_FORMATS = {"table": "txt", "csv": "csv", "json": "json", "md": "md", "html": "html"}
OFFICE = {"docx": "word/document.xml", "odt": "content.xml", "xlsx": "xl/worksheets/sheet1.xml"}

WORLD = None


def setUpModule():
    global WORLD
    WORLD = World()


def tearDownModule():
    WORLD.close()


def rows(doc, section, table):
    return doc["sections"][section]["tables"][table]["rows"]


def previous_month():
    first = today().replace(day=1)
    last = first - datetime.timedelta(days=1)
    return last.replace(day=1), last


def csv_blocks(text):
    """The tables of a CSV report: (title, header, rows), in order."""
    blocks = []
    for block in text.strip("\n").split("\n\n"):
        lines = list(csv.reader(io.StringIO(block)))
        test_title = lines[0]
        assert len(test_title) == 1, f"a title line is one field: {test_title}"
        blocks.append((test_title[0], lines[1], lines[2:]))
    return blocks


class Reports(SetevoeTest):
    def setUp(self):
        super().setUp()
        self.db = WORLD.hub

    def report(self, *args, env=None):
        return self.ok("report", *args, db=self.db, env=env)

    def json_report(self, *args, env=None):
        return self.report(*args, "--format", "json", env=env).json()

    def run_bytes(self, *args, env=None, stdout=subprocess.PIPE):
        e = dict(self.env)
        e.update(env or {})
        return subprocess.run([BINARY, "--db", self.db, *args], stdout=stdout, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, env=e, cwd=self.dir, timeout=COMMAND_TIMEOUT)

    def leftovers(self, folder=None):
        return [n for n in os.listdir(folder or self.dir) if ".part-" in n]

    # -- the figures

    def test_activity_figures_are_what_was_built(self):
        doc = self.json_report("activity", *period_args())
        self.assertEqual((doc["report"], doc["organisation"], doc["language"]), ("activity", HUB, "ru"))
        self.assertEqual(doc["title"], KINDS["activity"][1])
        self.assertEqual(doc["period"], {"from": iso(-10), "to": iso(10)})
        self.assertEqual(list(doc["sections"]),
                         ["summary", "products", "events", "contests", "consultations", "agreements"])
        self.assertIn(f"{day(-31):%d.%m.%Y} – {day(-11):%d.%m.%Y}", doc["sections"]["summary"]["paragraphs"][0])
        summary = rows(doc, "summary", "summary")
        self.assertEqual([r["indicator"] for r in summary], [s[0] for s in SUMMARY])
        for r, (label, _, current, previous) in zip(summary, SUMMARY):
            with self.subTest(indicator=label):
                if current is None:  # the median: the answer came seconds after the question
                    self.assertIsInstance(r["current"], float)
                    self.assertGreaterEqual(r["current"], 0)
                    self.assertLess(r["current"], 0.01)
                    self.assertIsNone(r["previous"])
                else:
                    self.assertEqual((r["current"], r["previous"]), (current, previous))
                    self.assertIs(type(r["current"]), int)

        self.assertEqual(rows(doc, "products", "by_type"), [
            {"type": "КИМ (контрольно-измерительные материалы)", "created": 1, "submitted": 1, "published": 1},
            {"type": "методические рекомендации", "created": 1, "submitted": 1, "published": 0},
            {"type": "презентация", "created": 1, "submitted": 0, "published": 0},
            {"type": "Итого", "created": 3, "submitted": 2, "published": 1}])
        self.assertEqual(rows(doc, "products", "by_org"), [{"org": "СОШ № 1", "created": 2, "published": 1},
                                                           {"org": "ММК", "created": 1, "published": 0}])
        self.assertEqual(rows(doc, "products", "published"), [
            {"n": 1, "published_on": iso(0), "title": KIM, "type": "КИМ (контрольно-измерительные материалы)",
             "org": "СОШ № 1"}])
        self.assertEqual(rows(doc, "events", "by_type")[-1],
                         {"type": "Итого", "held": 2, "participants": 4, "attended": 3})
        self.assertEqual(rows(doc, "events", "held"), [
            {"n": 1, "date": iso(-5), "title": SEMINAR, "type": "семинар", "organiser": "СОШ № 1", "participants": 2,
             "attended": 1},
            {"n": 2, "date": iso(-3), "title": CONTEST, "type": "конкурс", "organiser": "СОШ № 1", "participants": 2,
             "attended": 2}])
        self.assertEqual(rows(doc, "contests", "winners"), [
            {"date": iso(-3), "contest": CONTEST, "person": TEACHER, "org": "СОШ № 1", "place": 1, "award": "Гран-при"},
            {"date": iso(-3), "contest": CONTEST, "person": PARTNER, "org": "Брагунская СОШ", "place": 2,
             "award": ""}])
        consult = rows(doc, "consultations", "by_direction")
        self.assertEqual([(r["direction"], r["asked"], r["answered"], r["overdue"]) for r in consult],
                         [("Модель эффективного управления одарённым ребёнком", 2, 1, 1)])
        self.assertEqual([(r["number"], r["signed_on"], r["valid_to"], r["terminated_on"])
                          for r in rows(doc, "agreements", "changes")],
                         [("2/2026", iso(-25), None, iso(-2)), ("1/2026", iso(-7), iso(60), None)])
        columns = {c["key"]: c["type"] for c in doc["sections"]["events"]["tables"]["held"]["columns"]}
        self.assertEqual(columns, {"n": "integer", "date": "date", "title": "text", "type": "text",
                                   "organiser": "text", "participants": "integer", "attended": "integer"})
        # One direction, one org: the same figures narrowed.
        gifted = self.json_report("activity", *period_args(), "--direction", "gifted")
        self.assertEqual([r["title"] for r in rows(gifted, "events", "held")], [CONTEST])
        school = self.json_report("activity", *period_args(), "--org", "Брагунская СОШ")
        self.assertEqual([(r["indicator"], r["current"], r["previous"]) for r in rows(school, "summary", "summary")
                          if r["indicator"] in ("Проведено мероприятий", "Поступило вопросов")],
                         [("Проведено мероприятий", 0, 1), ("Поступило вопросов", 1, 0)])

    def test_the_other_reports_figures(self):
        plan = self.json_report("plan", *period_args())
        events = [r for s in plan["sections"].values() for t in s["tables"].values() for r in t["rows"]]
        self.assertEqual([(r["n"], r["date"], r["title"]) for r in events],
                         [(1, iso(-5), SEMINAR), (2, iso(-3), CONTEST), (3, iso(5), MASTERCLASS)])
        self.assertEqual(list(plan["sections"]), sorted({iso(d)[:7] for d in (-5, -3, 5)}))
        self.assertEqual(events[0]["time"], "10:00–12:00")
        self.assertNotIn(WEBINAR, str(plan))  # cancelled
        self.assertNotIn(READING, str(plan))  # before the period

        agreements = self.json_report("agreements")
        self.assertEqual(agreements["period"], {"from": None, "to": None})
        self.assertEqual([(r["status"], r["count"]) for r in rows(agreements, "summary", "by_status")],
                         [("проект (не действует)", 1), ("действует", 1), ("истекло", 0), ("расторгнуто", 1),
                          ("Итого", 3)])
        self.assertEqual([(r["number"], r["signed_on"], r["status"]) for r in rows(agreements, "register",
                                                                                    "agreements")],
                         [("2/2026", iso(-25), "расторгнуто"), ("1/2026", iso(-7), "действует"),
                          ("3/2026", None, "проект (не действует)")])
        self.assertEqual(rows(agreements, "register", "obligations"),
                         [{"number": "1/2026", "party": "МБОУ «СОШ № 1 г. Гудермес»",
                           "obligation": "Предоставить актовый зал."}])
        active = self.json_report("agreements", "--status", "active")
        self.assertEqual([r["number"] for r in rows(active, "register", "agreements")], ["1/2026"])
        mmk = self.json_report("agreements", "--org", "ММК")
        self.assertEqual([r["number"] for r in rows(mmk, "register", "agreements")], ["2/2026", "3/2026"])

        consultations = self.json_report("consultations", *period_args())
        figures = {r["indicator"]: (r["current"], r["previous"]) for r in rows(consultations, "summary", "summary")}
        self.assertEqual({k: v for k, v in figures.items() if k != "Медиана дней до первого ответа"}, {
            "Поступило вопросов": (2, 0), "Дан ответ на вопросы (первый ответ)": (1, 0),
            "Вопросов со сроком ответа в периоде": (1, 0), "Из них отвечено в срок": (0, 0),
            "Вопросы без ответа в установленный срок": (1, 0), "Ответов опубликовано в FAQ": (0, 0)})
        self.assertEqual([(r["expert"], r["answers"], r["accepted"]) for r in rows(consultations, "experts",
                                                                                   "by_expert")],
                         [(EXPERT, 1, 0)])
        self.assertEqual([(r["title"], r["person"], r["due_on"]) for r in rows(consultations, "overdue",
                                                                               "questions")],
                         [(LATE, PARTNER, iso(-2))])

        teacher = self.json_report("portfolio", TEACHER)
        self.assertEqual(teacher["subtitle"], TEACHER)
        self.assertEqual([(r["title"], r["status"]) for r in rows(teacher, "products", "authored")],
                         [(KIM, "опубликован")])
        number = [c["number"] for c in WORLD.certificates if c["person_name"] == TEACHER][0]
        self.assertEqual([(r["date"], r["title"], r["attended"], r["result"], r["certificate"])
                          for r in rows(teacher, "events", "participation")],
                         [(iso(-5), SEMINAR, "да", "", ""), (iso(-3), CONTEST, "да", "1 место, Гран-при", number)])
        expert = self.json_report("portfolio", EXPERT)
        self.assertEqual([r["title"] for r in rows(expert, "products", "authored")], [SLIDES])
        self.assertEqual([(r["title"], r["score"]) for r in rows(expert, "products", "reviews")], [(KIM, 5)])
        self.assertEqual([r["question"] for r in rows(expert, "answers", "answers")], [QUESTION])
        # A period keeps what happened in it.
        past = self.json_report("portfolio", PARTNER, "--from", iso(-31), "--to", iso(-11))
        self.assertEqual([r["title"] for r in rows(past, "events", "participation")], [READING])

        org = self.json_report("org", "СОШ № 1", *period_args())
        self.assertEqual([r["name"] for r in rows(org, "org", "people")], [TEACHER, "Магомадова Луиза Руслановна"])
        same = self.json_report("activity", *period_args(), "--org", "СОШ № 1")
        self.assertEqual(rows(org, "summary", "summary"), rows(same, "summary", "summary"))
        self.assertEqual(rows(org, "products", "by_type")[-1],
                         {"type": "Итого", "created": 2, "submitted": 2, "published": 1})
        bare = self.json_report("org", "СОШ № 1")
        self.assertEqual(list(bare["sections"]), ["org"])

    # -- the formats

    def test_every_kind_in_every_text_format(self):
        for kind, (args, title, words) in KINDS.items():
            doc = self.json_report(*args())
            for fmt, ext in TEXT_FORMATS.items():
                with self.subTest(kind=kind, format=fmt):
                    out = self.report(*args(), "--format", fmt).out
                    for w in ([] if fmt == "csv" else [title, HUB]) + words:  # CSV: the tables alone
                        self.assertIn(w, out)
                    # To a file: the format from the extension, the same text.
                    path = self.path(f"{kind}.{ext}")
                    r = self.report(*args(), "-o", path)
                    self.assertEqual(r.out, f"Written: {path}\n")
                    with open(path, encoding="utf-8") as f:
                        written = f.read()
                    if fmt == "json":
                        a, b = json.loads(written), json.loads(out)
                        a.pop("generated_at"), b.pop("generated_at")
                        self.assertEqual(a, b)
                    else:
                        self.assertEqual(written, out)
                    if fmt == "csv":
                        tables = [(s["title"] + (": " + t["title"] if t["title"] else ""), t)
                                  for s in doc["sections"].values() for t in s["tables"].values()]
                        blocks = csv_blocks(out)
                        self.assertEqual([b[0] for b in blocks], [t[0] for t in tables])
                        for (_, header, body), (_, t) in zip(blocks, tables):
                            keys = [c["key"] for c in t["columns"]]
                            self.assertEqual(header, keys)
                            self.assertEqual(len(body), len(t["rows"]))
                            for line, row in zip(body, t["rows"]):
                                for cell, c in zip(line, t["columns"]):
                                    v = row[c["key"]]
                                    if v is None:
                                        self.assertEqual(cell, "")
                                    elif c["type"] in ("integer", "number", "percent"):
                                        self.assertEqual(float(cell), v)
                                    else:
                                        self.assertEqual(cell, v)
                    if fmt == "md":
                        self.assertTrue(out.startswith(HUB + "\n\n# " + title + "\n"), out[:200])
                        self.assertIn("| --- |", out)
                    if fmt == "html":
                        page = check_html(self, out)
                        if kind in ("activity", "org"):
                            self.assertIn("svg", page.tags)  # the charts
                    if fmt == "table":
                        self.assertEqual(out.splitlines()[:2], [HUB, title])
        self.assertEqual(self.leftovers(), [])

    def test_office_formats_by_flag_and_by_extension(self):
        for kind, (args, title, _) in KINDS.items():
            for fmt, part in OFFICE.items():
                with self.subTest(kind=kind, format=fmt):
                    by_ext = self.path(f"{kind}.{fmt}")
                    self.assertEqual(self.report(*args(), "-o", by_ext).out, f"Written: {by_ext}\n")
                    by_flag = self.path(f"{kind}-{fmt}.bin")
                    self.report(*args(), "--format", fmt, "-o", by_flag)
                    for path in (by_ext, by_flag):
                        with zipfile.ZipFile(path) as z:
                            self.assertIsNone(z.testzip())
                            text = z.read(part).decode("utf-8")
                            if fmt == "odt":
                                first = z.infolist()[0]
                                self.assertEqual((first.filename, first.compress_type),
                                                 ("mimetype", zipfile.ZIP_STORED))
                                self.assertEqual(z.read("mimetype"), b"application/vnd.oasis.opendocument.text")
                            else:
                                self.assertIn("[Content_Types].xml", z.namelist())
                        self.assertIn(title, text)
        # The flag wins over the extension; an upper-case extension counts too.
        self.report("agreements", "--format", "odt", "-o", self.path("реестр.docx"))
        with zipfile.ZipFile(self.path("реестр.docx")) as z:
            self.assertEqual(z.read("mimetype"), b"application/vnd.oasis.opendocument.text")
        self.report("agreements", "-o", self.path("РЕЕСТР.DOCX"))
        with zipfile.ZipFile(self.path("РЕЕСТР.DOCX")) as z:
            self.assertIn("word/document.xml", z.namelist())
        # An extension that is no format: a table for people.
        self.report("agreements", "-o", self.path("реестр.txt"))
        with open(self.path("реестр.txt"), encoding="utf-8") as f:
            self.assertEqual(f.read().splitlines()[:2], [HUB, KINDS["agreements"][1]])
        # To a pipe, not a terminal: the file itself on standard output.
        r = self.run_bytes("report", "agreements", "--format", "xlsx")
        self.assertEqual(r.returncode, 0, r.stderr)
        with zipfile.ZipFile(io.BytesIO(r.stdout)) as z:
            self.assertIn("xl/workbook.xml", z.namelist())
        self.assertEqual(self.leftovers(), [])

    def test_an_office_format_is_not_written_to_a_terminal(self):
        master, slave = pty.openpty()
        try:
            r = self.run_bytes("report", "agreements", "--format", "docx", stdout=slave)
        finally:
            os.close(slave)
            os.close(master)
        self.assertEqual(r.returncode, 64)
        self.assertIn("a docx file is not for the terminal: write it with -o FILE", r.stderr.decode())
        # With -o the terminal does not matter.
        master, slave = pty.openpty()
        try:
            r = self.run_bytes("report", "agreements", "-o", self.path("реестр.docx"), stdout=slave)
        finally:
            os.close(slave)
            os.close(master)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertTrue(zipfile.is_zipfile(self.path("реестр.docx")))

    # -- language and config

    def test_russian_whatever_the_locale_and_english_on_request(self):
        for env in ({"LANGUAGE": "en"}, {"LANGUAGE": "", "LANG": "", "LC_ALL": "C"},
                    {"LANGUAGE": "en", "LC_ALL": "en_US.UTF-8"}):
            with self.subTest(env=env):
                out = self.report("activity", *period_args(), env=env).out
                self.assertIn(KINDS["activity"][1], out)
                self.assertIn("Основные показатели", out)
                self.assertIn("Сформировано:", out)
                # The messages stay the terminal's.
                path = self.path("отчёт.docx")
                self.assertEqual(self.report("activity", *period_args(), "-o", path, env=env).out,
                                 f"Written: {path}\n")
                r = self.fails(66, "report", "activity", *period_args(), "--org", "Нет такой школы", db=self.db,
                               env=env)
                self.assertIn("no organisation «Нет такой школы» in the registry", r.err)
                r = self.fails(64, "report", "activity", "--from", iso(1), "--to", iso(0), db=self.db, env=env)
                self.assertIn(f"--to {iso(0)} is before --from {iso(1)}", r.err)
        english = self.json_report("activity", *period_args(), "--lang", "en")
        self.assertEqual(english["language"], "en")
        self.assertEqual(english["title"], "Report on the activity of the network")
        self.assertEqual([(r["indicator"], r["current"]) for r in rows(english, "summary", "summary")
                          if r["current"] is not None and not isinstance(r["current"], float)],
                         [(s[1], s[2]) for s in SUMMARY if s[2] is not None])
        self.assertIn("Report on the activity of the network", self.report("activity", *period_args(), "--lang",
                                                                            "en").out)
        # A Russian terminal: Russian messages, and still the language asked for the report.
        ru = {"LANGUAGE": "ru", "LANG": "ru_RU.UTF-8"}
        path = self.path("report.html")
        self.assertEqual(self.report("activity", *period_args(), "--lang", "en", "-o", path, env=ru).out,
                         f"Записано: {path}\n")
        with open(path, encoding="utf-8") as f:
            self.assertIn('<html lang="en">', f.read())
        r = self.fails(66, "report", "portfolio", "Никто Никтович", "--lang", "en", db=self.db, env=ru)
        self.assertIn("Никто Никтович", r.err)
        self.assertIn("в реестре", r.err)

    def test_the_config_heads_the_report_and_chooses_its_language(self):
        def config(text):
            path = self.path("config.toml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            return {"SETEVOE_CONFIG": path}

        head = "Управление образования Гудермесского муниципального района"
        env = config(f'[report]\norganisation = "{head}"\n')
        self.assertEqual(self.json_report("agreements", env=env)["organisation"], head)
        self.assertEqual(self.report("agreements", env=env).out.splitlines()[0], head)
        path = self.path("реестр.docx")
        self.report("agreements", "-o", path, env=env)
        with zipfile.ZipFile(path) as z:
            self.assertIn(head, z.read("word/document.xml").decode())
        self.assertEqual(self.json_report("agreements")["organisation"], HUB)  # without: the node's name

        env = config(f'[report]\norganisation = "{head}"\nlanguage = "en"\n')
        self.assertEqual(self.json_report("agreements", env=env)["language"], "en")
        self.assertEqual(self.json_report("agreements", "--lang", "ru", env=env)["language"], "ru")

        for text, words in [('[report]\nlanguage = "fr"\n', 'language must be "ru" or "en"'),
                            ("[report]\norganisation = 12\n", "organisation must be"),
                            ('[report]\ncolour = "red"\n', "unknown key «colour» in [report]"),
                            ('report = "yes"\n', "«report» must be a table")]:
            with self.subTest(config=text):
                r = self.fails(65, "report", "agreements", "-o", self.path("bad.docx"), db=self.db, env=config(text))
                self.assertIn(words, r.err)
                self.assertFalse(os.path.exists(self.path("bad.docx")))

    def test_previous_month(self):
        first, last = previous_month()
        doc = self.json_report("activity", "--previous-month")
        self.assertEqual(doc["period"], {"from": first.isoformat(), "to": last.isoformat()})
        self.assertEqual(doc["subtitle"], f"за {MONTHS[first.month - 1]} {first.year} года")
        month = self.json_report("activity", "--month", f"{first:%Y-%m}")
        doc.pop("generated_at"), month.pop("generated_at")
        self.assertEqual(doc, month)
        held = sorted((day(d), t) for t, d in HELD.items() if first <= day(d) <= last)
        self.assertEqual([r["title"] for r in rows(doc, "events", "held")], [t for _, t in held])
        plan = self.json_report("plan", "--previous-month")
        self.assertEqual(plan["period"], {"from": first.isoformat(), "to": last.isoformat()})
        self.assertEqual(self.json_report("consultations", "--previous-month")["period"]["from"], first.isoformat())

    # -- refusals

    def test_bad_input_is_refused_with_its_code(self):
        missing = os.path.join(self.dir, "нет", "отчёт.docx")
        cases = [
            (66, ["activity", *period_args(), "--org", "Нет такой школы"], "no organisation «Нет такой школы»"),
            (66, ["activity", *period_args(), "--direction", "астрология"], "no direction «астрология»"),
            (66, ["plan", *period_args(), "--org", "Нет такой школы"], "Нет такой школы"),
            (66, ["agreements", "--org", "Нет такой школы"], "Нет такой школы"),
            (66, ["consultations", *period_args(), "--direction", "астрология"], "астрология"),
            (66, ["portfolio", "Никто Никтович"], "no person «Никто Никтович»"),
            (66, ["org", "Нет такой школы", *period_args()], "no organisation «Нет такой школы»"),
            (64, ["activity", "--month", "декабрь"], "--month «декабрь» is not a month"),
            (64, ["activity", "--quarter", "2026Q5"], "is not a quarter"),
            (64, ["activity", "--year", "26"], "is not a year"),
            (64, ["activity", "--from", "вчера", "--to", iso(0)], "--from «вчера» is not a date"),
            (64, ["activity", "--from", "31.02.2026", "--to", iso(0)], "is not a date"),
            (64, ["activity", "--month", "2026-11", "--year", "2026"], "give one period"),
            (64, ["plan", "--previous-month", "--month", "2026-11"], "give one period"),
            (64, ["activity", "--from", iso(0), "--to", iso(-1)], f"--to {iso(-1)} is before --from {iso(0)}"),
            (64, ["activity"], "say which period"),
            (64, ["plan"], "say which period"),
            (64, ["consultations"], "say which period"),
            (64, ["activity", "--from", iso(0)], "needs both ends"),
            (64, ["portfolio", TEACHER, "--to", iso(0)], "needs both ends"),
            (64, ["agreements", "--month", "2026-11"], "--month"),
            (64, ["agreements", "--status", "решён"], "unknown --status «решён»"),
            (64, ["activity", *period_args(), "--lang", "fr"], "--lang «fr»: reports are written in ru or en"),
            (64, ["activity", *period_args(), "--format", "pdf"], "pdf"),
            (64, ["portfolio"], "PERSON"),
            (73, ["activity", *period_args(), "-o", missing], "does not exist"),
            (73, ["activity", *period_args(), "-o", self.dir], "it is a folder"),
        ]
        for code, args, words in cases:
            with self.subTest(args=args):
                r = self.fails(code, "report", *args, db=self.db)
                self.assertIn(words, r.err)
                self.assertEqual(r.out, "")
        self.assertFalse(os.path.exists(os.path.dirname(missing)))
        self.assertEqual(self.leftovers(), [])
        # The report's formats are the report's.
        r = self.fails(64, "--format", "docx", "member", "list", db=self.db)
        self.assertIn("--format docx is for 'setevoe report'", r.err)
        self.fails(64, "--format", "html", "agreement", "list", db=self.db)

    def test_a_read_only_folder(self):
        # As a user who is not root (root writes into any folder).
        _, (db,) = self.unprivileged_folder("база", [self.db])
        folder = self.path("только-чтение")
        os.mkdir(folder, 0o555)
        try:
            r = self.fails(73, "report", "agreements", "-o", os.path.join(folder, "реестр.docx"), db=db,
                           unprivileged=True)
            self.assertIn("cannot write", r.err)
            self.assertEqual(os.listdir(folder), [])
            # The same user writes the report where the folder lets it.
            self.ok("report", "agreements", "-o", self.path("база/реестр.docx"), db=db, unprivileged=True)
        finally:
            os.chmod(folder, 0o755)

    def test_a_failing_report_leaves_no_file_and_keeps_the_last_one(self):
        for fmt in ("docx", "xlsx", "json"):
            with self.subTest(format=fmt):
                path = self.path(f"отчёт.{fmt}")
                self.report("activity", *period_args(), "-o", path)
                with open(path, "rb") as f:
                    before = f.read()
                mtime = os.stat(path).st_mtime_ns
                for code, args in [(66, ["activity", *period_args(), "--org", "Нет такой школы"]),
                                   (64, ["activity", "--from", iso(0), "--to", iso(-1)]),
                                   (64, ["activity"]),
                                   (65, ["activity", *period_args()])]:
                    env = {"SETEVOE_CONFIG": self.path("bad.toml")} if code == 65 else None
                    if env:
                        with open(env["SETEVOE_CONFIG"], "w") as f:
                            f.write("[report]\nlanguage = 1\n")
                    self.fails(code, "report", *args, "-o", path, db=self.db, env=env)
                    with open(path, "rb") as f:
                        self.assertEqual(f.read(), before)
                    self.assertEqual(os.stat(path).st_mtime_ns, mtime)
                fresh = self.path(f"новый.{fmt}")
                self.fails(66, "report", "portfolio", "Никто Никтович", "-o", fresh, db=self.db)
                self.assertFalse(os.path.exists(fresh))
        self.assertEqual(sorted(n for n in os.listdir(self.dir) if n.startswith(("отчёт", "новый"))),
                         ["отчёт.docx", "отчёт.json", "отчёт.xlsx"])
        self.assertEqual(self.leftovers(), [])

    # -- cron

    def cron_scripts(self):
        """The shell line of the crontab entry and of the service's ExecStart=, unescaped as cron and systemd do."""
        folder = os.path.join(SOURCE, "examples", "cron")
        with open(os.path.join(folder, "setevoe-report.crontab"), encoding="utf-8") as f:
            entries = [line.rstrip("\n") for line in f
                       if line.strip() and not line.lstrip().startswith("#")
                       and not re.match(r"^\s*[A-Za-z_]+\s*=", line)]
        self.assertEqual(len(entries), 1, entries)
        fields = entries[0].split(None, 5)
        self.assertEqual(fields[:5], ["0", "6", "1", "*", "*"])  # 06:00 on the 1st of each month
        command = fields[5]
        self.assertIsNone(re.search(r"(?<!\\)%", command), "a bare % ends a crontab command")
        cron = shlex.split(command.replace("\\%", "%"))

        with open(os.path.join(folder, "setevoe-report.service"), encoding="utf-8") as f:
            unit = f.read()
        self.assertRegex(unit, r"(?m)^Type=oneshot$")
        starts = re.findall(r"(?m)^ExecStart=(.*)$", unit)
        self.assertEqual(len(starts), 1, starts)
        exec_start = starts[0]
        for c in "%$":
            self.assertNotIn(c, exec_start.replace(c + c, ""), f"a single {c} is systemd's own in a unit file")
        service = shlex.split(exec_start.replace("%%", "%").replace("$$", "$"))

        with open(os.path.join(folder, "setevoe-report.timer"), encoding="utf-8") as f:
            timer = f.read()
        self.assertRegex(timer, r"(?m)^OnCalendar=\*-\*-01 06:00:00$")
        self.assertRegex(timer, r"(?m)^Persistent=true$")
        self.assertTrue(os.path.exists(os.path.join(folder, "README.md")))

        self.assertEqual(cron[0], "sh")
        self.assertEqual(service[0], "/bin/sh")
        self.assertEqual(cron[1:], service[1:])
        self.assertEqual((len(cron), cron[1]), (3, "-c"))
        return command.replace("\\%", "%"), service

    def test_the_sample_config_heads_the_reports(self):
        # examples/config.toml as shipped: its [report] table is read.
        config = os.path.join(SOURCE, "examples", "config.toml")
        r = self.ok("report", "agreements", "--format", "json", db=self.db, env={"SETEVOE_CONFIG": config})
        self.assertEqual(r.json()["organisation"], "Управление образования Гудермесского муниципального района")
        self.assertEqual(r.json()["language"], "ru")

    def test_cron_and_systemd_write_the_previous_months_report(self):
        command, service = self.cron_scripts()
        script = service[2]
        for path in ("/usr/local/bin/setevoe", "/var/lib/setevoe/school.db", "/var/lib/setevoe/reports/"):
            self.assertIn(path, script)
        self.assertIn("--previous-month", script)
        first, last = previous_month()
        title = KINDS["activity"][1]
        # A cron job's environment: the C locale, no terminal; the zone of the nodes.
        env = {"PATH": "/usr/bin:/bin", "HOME": self.dir, "LC_ALL": "C", "TZ": "Europe/Moscow", "SHELL": "/bin/sh"}

        def run(argv, reports):
            os.makedirs(reports, exist_ok=True)
            local = [a.replace("/usr/local/bin/setevoe", BINARY).replace("/var/lib/setevoe/school.db", self.db)
                     .replace("/var/lib/setevoe/reports", reports) for a in argv]
            return subprocess.run(local, capture_output=True, text=True, env=env, cwd=self.dir,
                                  stdin=subprocess.DEVNULL, timeout=COMMAND_TIMEOUT)

        for name, argv in (("cron", ["/bin/sh", "-c", command]), ("systemd", service)):
            with self.subTest(runner=name):
                reports = self.path(f"reports-{name}")
                r = run(argv, reports)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual((r.stdout, r.stderr), ("", ""))  # -q: quiet unless it fails
                self.assertEqual(sorted(os.listdir(reports)),
                                 [f"activity-{first:%Y-%m}.docx", f"activity-{first:%Y-%m}.xlsx"])
                words = [title, f"за {MONTHS[first.month - 1]} {first.year} года"]
                with zipfile.ZipFile(os.path.join(reports, f"activity-{first:%Y-%m}.docx")) as z:
                    text = z.read("word/document.xml").decode()
                    for w in words:
                        self.assertIn(w, text)
                with zipfile.ZipFile(os.path.join(reports, f"activity-{first:%Y-%m}.xlsx")) as z:
                    text = z.read("xl/worksheets/sheet1.xml").decode()
                    self.assertIn(title, text)
                    self.assertIn(words[1], text)
                    self.assertIn(f"{first:%d.%m.%Y} – {last:%d.%m.%Y}", text)
        # A job that fails says why and exits non-zero, leaving nothing.
        r = run(["/bin/sh", "-c", command.replace("/var/lib/setevoe/reports/", "/var/lib/setevoe/reports/нет/")],
                self.path("reports-failing"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("does not exist", r.stderr)
        self.assertEqual(os.listdir(self.path("reports-failing")), [])


if __name__ == "__main__":
    main()
