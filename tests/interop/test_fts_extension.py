"""Interop: the tokenizer "setevoe" as a loadable extension (setevoe_fts.so)
in the real sqlite3 shell: it indexes and finds Russian text as setevoe does,
a database indexed with it is searched again by a later connection, and
without it the shell refuses the table instead of misreading it."""
import math
import os
import shutil
import subprocess
import unittest

from setevoe_test import BINARY, SetevoeTest, main

# ctest gives the module's path; by hand, the one beside the binary.
EXT = os.environ.get("SETEVOE_FTS_EXT") or os.path.join(os.path.dirname(BINARY), "setevoe_fts.so")
# In the sanitizer build the module needs the ASan runtime, which the
# uninstrumented shell does not bring: it is preloaded (the shell's own
# memory is not ours to check for leaks).
PRELOAD = os.environ.get("SETEVOE_FTS_PRELOAD", "")

ROWS = [
    "Открытый урок по химии",
    "Серия уроков для учителей",
    "Провели Мастер-Класс по оценке «Ёлка»",
    "Рекомендации по оценке знаний",
    "Кӏант дешар",
    "кIант",
    "Lessons for teachers",
]


@unittest.skipUnless(shutil.which("sqlite3"), "sqlite3 is not installed")
class FtsExtension(SetevoeTest):
    def shell(self, db, *commands, load=True):
        argv = ["sqlite3", "-batch", "-bail", db]
        if load:
            argv.append(".load " + EXT)
        env = dict(self.env)
        if PRELOAD:
            env["LD_PRELOAD"] = PRELOAD
            env["ASAN_OPTIONS"] = "detect_leaks=0"
        return subprocess.run(argv + list(commands), capture_output=True, text=True, env=env, timeout=60)

    def sql(self, db, *commands):
        r = self.shell(db, *commands)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def make_index(self):
        db = self.path("search.db")
        inserts = ["INSERT INTO doc(body) VALUES ('%s')" % row.replace("'", "''") for row in ROWS]
        self.sql(db, "CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='setevoe')", *inserts)
        return db

    def find(self, db, query):
        out = self.sql(db, "SELECT body FROM doc WHERE doc MATCH '%s' ORDER BY rowid" % query.replace("'", "''"))
        return out.split("\n") if out else []

    def test_index_then_search_in_a_later_connection(self):
        db = self.make_index()
        lessons = ["Открытый урок по химии", "Серия уроков для учителей"]
        for q in ("урок", "уроки", "уроками"):
            self.assertEqual(self.find(db, q), lessons, q)
        compound = ["Провели Мастер-Класс по оценке «Ёлка»"]
        self.assertEqual(self.find(db, "мастеркласс"), compound)
        self.assertEqual(self.find(db, '"мастер-класс"'), compound)
        self.assertEqual(self.find(db, "елка"), compound)
        self.assertEqual(self.find(db, "кӀант"), ["Кӏант дешар", "кIант"])
        self.assertEqual(self.find(db, '"рекомендации оценке"'), ["Рекомендации по оценке знаний"])
        self.assertEqual(self.find(db, "lesson"), ["Lessons for teachers"])
        self.assertEqual(self.find(db, "по"), [])  # a stop word finds nothing
        self.assertEqual(self.sql(db, "SELECT highlight(doc, 0, '[', ']') FROM doc WHERE doc MATCH 'оценка' "
                                      "ORDER BY rowid"),
                         "Провели Мастер-Класс по [оценке] «Ёлка»\nРекомендации по [оценке] знаний")
        self.assertEqual(self.sql(db, "INSERT INTO doc(doc) VALUES ('integrity-check')"), "")

    def test_rank_function(self):
        # setevoe_rank: BM25 per column, without row lengths (core/search/fts5.cpp).
        # Ten rows, three with the word: idf = ln(7.5 / 3.5); a title hit
        # with weight 10 scores 10 · idf, five hits in the body with weight
        # 1 score 5 · 2.2 / 6.2 · idf, one hit 2.2 / 2.2 · idf.
        db = self.path("rank.db")
        fillers = ["INSERT INTO doc VALUES ('химия', 'опыт')"] * 7
        self.sql(db, "CREATE VIRTUAL TABLE doc USING fts5(title, body, tokenize='setevoe')",
                 "INSERT INTO doc(doc, rank) VALUES ('rank', 'setevoe_rank(10.0, 1.0)')",
                 "INSERT INTO doc VALUES ('', 'урок')",
                 "INSERT INTO doc VALUES ('', 'урок урок урок урок урок')",
                 "INSERT INTO doc VALUES ('Урок', '')", *fillers)
        rows = [line.split("|") for line in self.sql(db, "SELECT rowid, rank FROM doc WHERE doc MATCH 'урок' "
                                                         "ORDER BY rank").split("\n")]
        self.assertEqual([r[0] for r in rows], ["3", "2", "1"])
        idf = math.log(7.5 / 3.5)
        for (_, got), want in zip(rows, (-10 * idf, -5 * 2.2 / 6.2 * idf, -idf)):
            self.assertAlmostEqual(float(got), want, places=9)
        # Called by name, with the weights as arguments: the same.
        self.assertEqual(self.sql(db, "SELECT group_concat(rowid) FROM (SELECT rowid FROM doc WHERE doc MATCH "
                                      "'урок' ORDER BY setevoe_rank(doc, 10.0, 1.0))"), "3,2,1")
        # A word in more than half the rows weighs a little, never negatively.
        self.assertEqual(self.sql(db, "SELECT count(*) FROM doc WHERE doc MATCH 'химия OR урок' AND rank < 0"), "10")

    def test_terms_are_those_of_setevoe(self):
        # The same terms and positions as the unit tests expect of the C++
        # side (tests/core/test_search_tokenizer.cpp): one implementation.
        db = self.path("terms.db")
        out = self.sql(db, "CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='setevoe')",
                       "INSERT INTO doc(body) VALUES ('Провели Мастер-Класс «Ёлка».')",
                       "CREATE VIRTUAL TABLE v USING fts5vocab(doc, 'instance')",
                       "SELECT term || ' ' || offset FROM v ORDER BY offset, term")
        self.assertEqual(out.split("\n"), ["провел 0", "мастер 1", "класс 2", "мастеркласс 2", "елк 3"])

    def test_without_the_extension_the_table_is_refused(self):
        db = self.make_index()
        r = self.shell(db, "SELECT count(*) FROM doc WHERE doc MATCH 'урок'", load=False)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("no such tokenizer", r.stderr)

    def test_arguments_are_refused(self):
        r = self.shell(self.path("args.db"), "CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='setevoe russian')")
        self.assertNotEqual(r.returncode, 0, r.stdout)

    def test_a_setevoe_database(self):
        # setevoe registers the tokenizer on each connection; its full-text
        # tables must read the same in the shell with the extension.
        db = self.init()
        tables = self.sql(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%fts5%' "
                              "AND sql LIKE '%setevoe%' ORDER BY name")
        self.assertEqual(self.sql(db, "PRAGMA integrity_check"), "ok")
        if not tables:
            self.skipTest("the schema has no full-text table yet")
        for t in tables.split("\n"):
            self.assertEqual(self.sql(db, "INSERT INTO \"%s\"(\"%s\") VALUES ('integrity-check')" % (t, t)), "")
            self.sql(db, "SELECT count(*) FROM \"%s\" WHERE \"%s\" MATCH 'урок'" % (t, t))


if __name__ == "__main__":
    main()
