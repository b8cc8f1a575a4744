"""Interop: the sqlite3 shell with setevoe's tokenizer extension loaded gives
the same rows, in the same order, as `setevoe product search`, for the SQL
that `product search --sql` prints; without the extension the shell still
reads the tables and refuses the index plainly."""
import os
import subprocess

from network import S1, Network
from setevoe_test import main

AUTHOR = "Исаева Зарема Ахмедовна"


class Shell(Network):
    """The sqlite3 shell with the extension loaded gives the rows setevoe gives."""

    def test_the_shell_returns_the_same_rows(self):
        ext = os.environ.get("SETEVOE_FTS_EXT")
        self.assertTrue(ext and os.path.exists(ext), "SETEVOE_FTS_EXT names the built extension")
        org = self.add_org(self.s1, S1)
        self.add_person(self.s1, AUTHOR, org)
        titles = ["Дроби на уроках математики", "Уроки чеченского языка: нохчийн мотт", "КIант и йо1: чтение",
                  "Мастер-класс по робототехнике", "Урок-игра «Устный счёт»", "Рабочая программа по физике",
                  "Lesson plan: Present Simple", "Счет и дроби в 5 классе"]
        for i, t in enumerate(titles):
            self.ok("product", "add", "--type", "lesson-plan", "--title", t, "--author", AUTHOR, "--grades",
                    str(5 + i % 3), db=self.s1)
        env = dict(os.environ)
        if os.environ.get("SETEVOE_FTS_PRELOAD"):
            env["LD_PRELOAD"] = os.environ["SETEVOE_FTS_PRELOAD"]
            env["ASAN_OPTIONS"] = "detect_leaks=0"
        for query, extra in [("урок", []), ("дробями", []), ("кӀант", []), ("мастер класс", []), ("счёт", []),
                             ("lessons", []), ("урок", ["--grade", "5"]), ("уроки 6 класс", []),
                             ("title:урок*", ["--advanced"])]:
            with self.subTest(query=query):
                mine = [r["id"] for r in self.ok("--format", "json", "product", "search", query, *extra,
                                                 db=self.s1).json()]
                self.assertTrue(mine or query == "счёт", query)
                sql = self.ok("product", "search", query, *extra, "--sql", db=self.s1).out
                # The statement as printed; only its first column is compared (snippets span lines).
                ids_only = "SELECT product FROM (" + sql.strip().rstrip(";") + ");"
                shell = subprocess.run(["sqlite3", self.s1, f".load {ext[:-3]}", ids_only], capture_output=True,
                                       text=True, env=env, timeout=60)
                self.assertEqual(shell.returncode, 0, shell.stderr)
                self.assertEqual(shell.stdout.splitlines(), mine)
                whole = subprocess.run(["sqlite3", self.s1, f".load {ext[:-3]}", sql], capture_output=True,
                                       text=True, env=env, timeout=60)
                self.assertEqual(whole.returncode, 0, whole.stderr)
        # Without the extension the shell still reads the tables, and refuses the index plainly.
        plain = subprocess.run(["sqlite3", self.s1, "SELECT count(*) FROM product"], capture_output=True, text=True)
        self.assertEqual(plain.stdout.strip(), str(len(titles)))
        refused = subprocess.run(["sqlite3", self.s1, "SELECT * FROM product_fts WHERE product_fts MATCH 'урок'"],
                                 capture_output=True, text=True)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("tokenizer", refused.stderr)


if __name__ == "__main__":
    main()
