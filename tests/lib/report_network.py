"""The network the tests of `setevoe report` read: a hub and a school,
built once per test module through the CLI, with everything a report
counts placed around today so that its figures are known exactly.

The period the figures are checked for is PERIOD, from 10 days before
today to 10 days after it (in the nodes' zone, Europe/Moscow); the period
before it is BEFORE, the same number of days earlier. Products, questions,
orgs and people are made now, so inside PERIOD; events and agreements are
dated on purpose:

- orgs: СОШ № 1, Брагунская СОШ, ММК (a methodological service), and a
  kindergarten added as potential and made active;
- people: TEACHER and COLLEAGUE of СОШ № 1, PARTNER of Брагунская СОШ,
  EXPERT of ММК (an expert in the gifted direction);
- products: KIM, made by the school s1 and sent to the hub, which
  publishes it (EXPERT reviews it); GUIDE, made on the hub and submitted;
  SLIDES, a draft of EXPERT's;
- events: SEMINAR 5 days ago (TEACHER and COLLEAGUE registered, TEACHER
  came), CONTEST 3 days ago (TEACHER first with an award, PARTNER second,
  both came; certificates issued), WEBINAR 4 days ago but cancelled,
  MASTERCLASS in 5 days, READING 20 days ago (in BEFORE: PARTNER came);
- questions: QUESTION asked by TEACHER and answered by EXPERT, LATE asked
  by PARTNER, unanswered, its due date moved to 2 days ago;
- agreements: 1/2026 signed 7 days ago, valid for 60 days more (in force
  and expiring within 90 days of PERIOD's end); 2/2026 signed 25 days ago
  (in BEFORE) and terminated 2 days ago; 3/2026 a draft.
"""
import datetime
import html.parser
import sqlite3
import zoneinfo

from network import S1, S2, Network

ZONE = zoneinfo.ZoneInfo("Europe/Moscow")

MMK = "МКУ «Методический кабинет»"
KINDERGARTEN = "МБДОУ «Детский сад № 5»"
TEACHER = "Исаева Зарема Ахмедовна"
COLLEAGUE = "Магомадова Луиза Руслановна"
PARTNER = "Хасанов Адам Русланович"
EXPERT = "Байсултанова Хеда Мусаевна"
KIM = "КИМ по математике, 5 класс"
GUIDE = "Методические рекомендации по функциональной грамотности"
SLIDES = "Презентация «Цифровая школа»"
SEMINAR = "Формирующее оценивание на уроках математики"
CONTEST = "Учитель года — 2026"
WEBINAR = "Вебинар о ФГОС"
MASTERCLASS = "Мастер-класс по робототехнике"
READING = "Оценка читательской грамотности"
QUESTION = "Как готовить пятиклассников к олимпиаде?"
LATE = "Где взять задания для сельской школы?"
ANSWER = "Начните с задач прошлых лет муниципального этапа."


def today():
    """Today where the nodes are."""
    return datetime.datetime.now(ZONE).date()


def day(offset):
    return today() + datetime.timedelta(days=offset)


def iso(offset):
    return day(offset).isoformat()


def ru(offset):
    return day(offset).strftime("%d.%m.%Y")


PERIOD = (-10, 10)
BEFORE = (-31, -11)


def period_args():
    return ["--from", iso(PERIOD[0]), "--to", iso(PERIOD[1])]


# The held events by their day relative to today, and the cancelled one:
# what the previous-month test places in a calendar month.
HELD = {SEMINAR: -5, CONTEST: -3, READING: -20}

# The activity report's key figures for PERIOD and BEFORE, in its order.
SUMMARY = [
    ("Создано методических продуктов", "Products created", 3, 0),
    ("Направлено на модерацию", "Products submitted for moderation", 2, 0),
    ("Опубликовано методических продуктов", "Products published", 1, 0),
    ("Проведено мероприятий", "Events held", 2, 1),
    ("Зарегистрировано участников", "Participants registered", 4, 1),
    ("Приняли участие", "Participants who attended", 3, 1),
    ("Проведено конкурсов", "Contests held", 1, 0),
    ("Победители и призёры конкурсов", "Contest winners and awardees", 2, 0),
    ("Поступило вопросов", "Questions asked", 2, 0),
    ("Дан ответ на вопросы (первый ответ)", "Questions answered (first answer)", 1, 0),
    ("Вопросы без ответа в установленный срок", "Questions left unanswered past their due date", 1, 0),
    ("Медиана дней до первого ответа", "Median days to a first answer", None, None),  # checked apart
    ("Заключено договоров", "Agreements signed", 1, 1),
    ("Действующих договоров на конец периода", "Agreements in force at the end", 1, 1),
    ("Договоров, истекающих в течение 90 дней после периода", "Agreements expiring within 90 days after the end", 1,
     0),
    ("Расторгнуто договоров", "Agreements terminated", 1, 0),
    ("Активных организаций-участников", "Member organisations active", 3, 1),
    ("Новых организаций-участников", "New member organisations", 4, 0),
    ("Привлечено потенциальных субъектов", "Potential members drawn in", 0, 0),
    ("Новых педагогов в реестре", "New people in the registry", 4, 0),
]


class World:
    """The network, built in a temporary folder by a Network test case used
    as a builder (its setUp and helpers, not its tests)."""

    def __init__(self):
        self.t = t = Network()
        t.setUp()
        self.dir = t.dir
        self.hub, self.s1 = t.hub, t.s1
        t.enrol(t.s1, S1)
        hub = t.hub
        self.org1 = t.add_org(hub, S1, short="СОШ № 1")
        self.org2 = t.add_org(hub, S2, short="Брагунская СОШ")
        self.mmk = t.add_org(hub, MMK, kind="methodological-service", short="ММК")
        self.kindergarten = t.add_org(hub, KINDERGARTEN, kind="kindergarten", status="potential")
        t.ok("member", "edit", self.kindergarten, "--status", "active", db=hub)
        self.teacher = t.add_person(hub, TEACHER, self.org1, "--position", "учитель математики")
        self.colleague = t.add_person(hub, COLLEAGUE, self.org1)
        self.partner = t.add_person(hub, PARTNER, self.org2)
        self.expert = t.add_person(hub, EXPERT, self.mmk)
        t.ok("member", "expert", EXPERT, "--direction", "gifted", db=hub)
        t.merge(t.s1, t.pack(hub, S1))

        # Products: one from the school, published by the hub.
        self.kim = t.ok("--format", "json", "product", "add", "--type", "kim", "--title", KIM, "--author", TEACHER,
                        "--direction", "gifted", db=t.s1).json()["id"]
        t.ok("product", "submit", self.kim, db=t.s1)
        t.merge(hub, t.pack(t.s1, "hub"))
        t.ok("product", "publish", self.kim, db=hub)
        t.ok("product", "review", self.kim, "--by", EXPERT, "--score", "5", "--comment", "Полезно", db=hub)
        self.guide = t.ok("--format", "json", "product", "add", "--type", "recommendations", "--title", GUIDE,
                          "--author", COLLEAGUE, "--direction", "quality", db=hub).json()["id"]
        t.ok("product", "submit", self.guide, db=hub)
        self.slides = t.ok("--format", "json", "product", "add", "--type", "presentation", "--title", SLIDES,
                           "--author", EXPERT, db=hub).json()["id"]

        # Events.
        def event(kind, title, offset, *extra):
            return t.ok("--format", "json", "event", "add", "--type", kind, "--title", title, "--start",
                        f"{ru(offset)} 10:00", *extra, db=hub).json()["id"]

        self.seminar = event("seminar", SEMINAR, -5, "--end", f"{ru(-5)} 12:00", "--organiser", "СОШ № 1",
                             "--place", "СОШ № 1, актовый зал", "--direction", "quality")
        t.ok("event", "register", self.seminar, TEACHER, db=hub)
        t.ok("event", "register", self.seminar, COLLEAGUE, db=hub)
        t.ok("event", "attend", self.seminar, TEACHER, db=hub)
        self.contest = event("contest", CONTEST, -3, "--organiser", "СОШ № 1", "--place", "г. Гудермес",
                             "--direction", "gifted")
        t.ok("event", "register", self.contest, TEACHER, db=hub)
        t.ok("event", "register", self.contest, PARTNER, db=hub)
        t.ok("event", "attend", self.contest, TEACHER, PARTNER, db=hub)
        t.ok("event", "result", self.contest, TEACHER, "--place", "1", "--award", "Гран-при", db=hub)
        t.ok("event", "result", self.contest, PARTNER, "--place", "2", db=hub)
        self.certificates = t.ok("--format", "json", "event", "certificate", self.contest, db=hub).json()
        self.webinar = event("webinar", WEBINAR, -4, "--organiser", "Брагунская СОШ", "--url",
                             "https://example.org/fgos")
        t.ok("event", "cancel", self.webinar, "--reason", "болезнь лектора", db=hub)
        self.masterclass = event("master-class", MASTERCLASS, 5, "--organiser", "ММК", "--place", "ДДТ")
        self.reading = event("seminar", READING, -20, "--organiser", "Брагунская СОШ", "--place", "Брагуны")
        t.ok("event", "attend", self.reading, PARTNER, db=hub)

        # Questions: one answered, one late.
        self.question = t.ok("--format", "json", "consult", "ask", "--by", TEACHER, "--direction", "gifted", "--title",
                             QUESTION, "--text", "Какие задачи давать в начале года?", db=hub).json()["id"]
        t.ok("consult", "assign", self.question, db=hub)
        t.ok("consult", "answer", self.question, "--by", EXPERT, "--text", ANSWER, db=hub)
        self.late = t.ok("--format", "json", "consult", "ask", "--by", PARTNER, "--direction", "gifted", "--title",
                         LATE, "--text", "Подскажите, пожалуйста.", db=hub).json()["id"]
        con = sqlite3.connect(hub)
        con.execute("UPDATE question SET due_on = ? WHERE id = ?", (iso(-2), self.late))
        con.commit()
        con.close()

        # Agreements.
        def agreement(number, title, parties, *extra):
            args = ["--format", "json", "agreement", "add", "--number", number, "--kind", "joint-activity", "--title",
                    title, "--subject", "Совместная работа"]
            for p in parties:
                args += ["--party", p]
            return t.ok(*args, *extra, db=hub).json()["id"]

        self.ag1 = agreement("1/2026", "О сетевой реализации программ", ["СОШ № 1", "Брагунская СОШ"], "--date",
                             ru(-7), "--valid-to", ru(60))
        t.ok("agreement", "obligation", self.ag1, "--party", "СОШ № 1", "--text", "Предоставить актовый зал.",
             db=hub)
        self.ag2 = agreement("2/2026", "О методическом сопровождении", ["СОШ № 1", "ММК"], "--date", ru(-25))
        t.ok("agreement", "terminate", self.ag2, "--date", ru(-2), "--reason", "реорганизация", db=hub)
        self.ag3 = agreement("3/2026", "О творческом сотрудничестве", ["Брагунская СОШ", "ММК"])

    def close(self):
        self.t.tearDown()



# Every kind of report: its arguments, its title (Russian), and words its
# text must hold (a name or number from the network).
KINDS = {
    "activity": (lambda: ["activity", *period_args()], "Отчёт о деятельности сетевого взаимодействия",
                 [SEMINAR, "Гран-при", "1/2026"]),
    "plan": (lambda: ["plan", *period_args()], "План образовательных событий", [MASTERCLASS, SEMINAR]),
    "agreements": (lambda: ["agreements"], "Реестр договоров о совместной деятельности",
                   ["1/2026", "Предоставить актовый зал."]),
    "consultations": (lambda: ["consultations", *period_args()], "Сервис «Консультация»", [LATE, EXPERT]),
    "portfolio": (lambda: ["portfolio", TEACHER], "Портфолио педагога", [CONTEST, KIM, "Гран-при"]),
    "org": (lambda: ["org", "СОШ № 1", *period_args()], "Отчёт об участнике сети", [COLLEAGUE, SEMINAR]),
}


class Checker(html.parser.HTMLParser):
    """Every element closed in the order it was opened; the text, and the tags seen."""
    VOID = {"meta", "br", "hr", "img", "input", "link", "col", "rect", "line", "path", "circle"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.text, self.problems = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(test, page):
    c = Checker()
    c.feed(page)
    c.close()
    test.assertEqual(c.problems, [])
    test.assertEqual(c.stack, [])
    return c
