"""End-to-end tests of `product search` and the index behind it: any input
is safe, --advanced passes FTS5 syntax, filters combine with words, and the
index stays in step with edits, removals, files, renamed authors, merged
bundles, files that arrive later and even the sqlite3 shell's writes."""
import os
import sqlite3

from network import S1, S2, Network
from setevoe_test import main

AUTHOR = "Исаева Зарема Ахмедовна"


class Search(Network):
    def setUp(self):
        super().setUp()
        self.org = self.add_org(self.s1, S1, short="СОШ № 1")
        self.add_person(self.s1, AUTHOR, self.org)
        self.a = self.add("Дроби на уроках математики", "lesson-video", "--grades", "5-6", "--keywords", "ФГОС ООО",
                          "--annotation", "Урок открытия новых знаний: обыкновенные дроби.")
        self.b = self.add("Мастер-класс «Веб-квест по географии»", "project", "--grades", "7-9",
                          "--annotation", "Как провести веб-конференцию с учениками.")
        self.c = self.add("КИМы по физике для 7 класса", "kim", "--grades", "7")

    def add(self, title, kind, *extra, db=None):
        return self.ok("--format", "json", "product", "add", "--type", kind, "--title", title, "--author", AUTHOR,
                       *extra, db=db or self.s1).json()["id"]

    def found(self, query, *extra, db=None, some=False):
        """The products with every word (and, with some=True, those with some of them)."""
        return [r["id"] for r in self.ok("--format", "json", "product", "search", query, *extra,
                                         db=db or self.s1).json() if some or r["all_words"]]

    def test_word_forms_and_spellings(self):
        self.assertEqual(self.found("дробями"), [self.a])
        self.assertEqual(self.found("уроки"), [self.a])
        self.assertEqual(self.found("ким"), [self.c])
        self.assertEqual(self.found("мастеркласс"), [self.b])
        self.assertEqual(self.found("мастер класс"), [self.b])
        self.assertEqual(self.found("мастер класс", some=True), [self.b, self.c])  # «7 класса» has one word
        self.assertEqual(self.found("веб-конференции"), [self.b])
        self.assertEqual(sorted(self.found("Исаевой")), sorted([self.a, self.b, self.c]))
        self.assertEqual(self.found("открытие знания"), [self.a])

    def test_any_input_is_safe(self):
        hostile = ['"', "'", '"дроби', "дроби:", "title:", "(", ")", "((дроби", "AND", "OR", "NOT", "NEAR",
                   "NEAR(дроби", "дроби AND", "*", "-", "--", "- дроби", "^", "дроби*", "🙂", "🙂 дроби 🙂",
                   "\u0301", "{дроби}", "[дроби]", "дроби OR OR", ":::", "\\", "%", "_",
                   "дроби " * 2000, "ф" * 10_000]
        for q in hostile:
            with self.subTest(q=q[:30]):
                r = self.run_setevoe("--format", "json", "product", "search", q, db=self.s1)
                self.assertIn(r.code, (0, 64), repr(r))
                self.assertNotIn("syntax", r.err)
                self.assertNotIn("fts5", r.err)
        self.assertEqual(self.found('"дроби"'), [self.a])
        self.assertEqual(self.found("(дроби) AND -"), [self.a])
        r = self.fails(64, "product", "search", "и по на", db=self.s1)
        self.assertIn("no words", r.err)
        self.fails(64, "product", "search", "!!! ???", db=self.s1)

    def test_advanced_passes_fts5_syntax(self):
        self.assertEqual(self.found("title:дроб*", "--advanced"), [self.a])
        self.assertEqual(sorted(self.found("дроби OR физика", "--advanced")), sorted([self.a, self.c]))
        self.assertEqual(self.found("NEAR(мастер квест, 3)", "--advanced"), [self.b])
        r = self.fails(64, "product", "search", "дроби AND", "--advanced", db=self.s1)
        self.assertIn("FTS5", r.err)

    def test_filters_combine_with_words(self):
        self.assertEqual(self.found("урок", "--type", "kim"), [])
        self.assertEqual(self.found("физика 7 класс"), [self.c])
        self.assertEqual(self.found("физика 8 класс"), [])
        self.assertEqual(self.found("5 класс"), [self.a])  # a grade alone is a filter
        self.assertEqual(self.found("дроби", "--grade", "7"), [])
        self.assertEqual(sorted(self.found("7 класс")), sorted([self.b, self.c]))
        self.assertEqual(self.found("дроби", "--status", "published"), [])
        self.assertEqual(self.found("дроби", "--org", S1), [self.a])
        self.assertEqual(self.found("дроби", "--author", AUTHOR), [self.a])
        self.add_person(self.s1, "Хасанова Марем Ибрагимовна", self.org)
        self.assertEqual(self.found("дроби", "--author", "Хасанова Марем Ибрагимовна"), [])
        self.assertEqual(len(self.found("Исаева", "--limit", "2")), 2)

    def test_filters_follow_grades_and_status(self):
        self.ok("product", "edit", self.a, "--grades", "7-8", db=self.s1)
        self.assertEqual(self.found("дроби", "--grade", "7"), [self.a])
        self.assertEqual(self.found("дроби 5 класс"), [])
        self.enrol(self.s1, S1)
        self.ok("product", "submit", self.a, db=self.s1)
        self.assertEqual(self.found("дроби", "--status", "submitted"), [self.a])
        self.merge(self.hub, self.pack(self.s1, "hub"))
        self.ok("product", "publish", self.a, db=self.hub)
        self.assertEqual(self.found("дроби", "--status", "published", db=self.hub), [self.a])
        self.ok("product", "archive", self.a, db=self.hub)
        self.assertEqual(self.found("дроби", db=self.hub), [])  # archived products are not searched by default
        self.assertEqual(self.found("дроби", "--status", "archived", db=self.hub), [self.a])
        self.merge(self.s1, self.pack(self.hub, S1))
        self.assertEqual(self.found("дроби"), [])
        # A write from the sqlite3 shell moves the filters too.
        con = sqlite3.connect(self.s1)
        con.execute("UPDATE product SET grade_from = 11, grade_to = 11 WHERE id = ?", (self.c,))
        con.commit()
        con.close()
        self.assertEqual(self.found("физика", "--grade", "11"), [self.c])
        self.assertEqual(self.found("физика", "--grade", "7"), [])

    def test_results_show_a_snippet(self):
        r = self.ok("--format", "json", "product", "search", "дробями", db=self.s1).json()
        self.assertIn("[Дроби]", r[0]["snippet"])
        out = self.ok("product", "search", "дробями", db=self.s1).out
        self.assertIn("«Дроби на уроках математики»", out)
        self.assertIn("[Дроби]", out)

    def test_index_follows_edits_removals_files_and_people(self):
        self.ok("product", "edit", self.a, "--title", "Десятичные числа", db=self.s1)
        self.assertEqual(self.found("десятичных"), [self.a])
        self.assertEqual(self.found("дроби"), [self.a])  # still in the annotation
        self.ok("product", "edit", self.a, "--annotation", "Урок.", db=self.s1)
        self.assertEqual(self.found("дроби"), [])
        doc = self.file("план.txt", "Синквейн как приём рефлексии.\n".encode())
        self.ok("product", "attach", self.a, doc, db=self.s1)
        self.assertEqual(self.found("синквейны"), [self.a])
        self.ok("product", "detach", self.a, "план.txt", db=self.s1)
        self.assertEqual(self.found("синквейн"), [])
        self.ok("member", "edit", AUTHOR, "--name", "Дудаева Зарема Ахмедовна", db=self.s1)
        self.assertEqual(len(self.found("Дудаевой")), 3)
        self.assertEqual(self.found("Исаевой"), [])
        self.ok("--yes", "product", "remove", self.c, db=self.s1)
        self.assertEqual(self.found("физика"), [])
        # A write from the sqlite3 shell is indexed before the next search.
        con = sqlite3.connect(self.s1)
        con.execute("UPDATE product SET title = 'Геометрия вокруг нас' WHERE id = ?", (self.b,))
        con.commit()
        con.close()
        self.assertEqual(self.found("геометрии"), [self.b])
        r = self.ok("--format", "json", "product", "reindex", db=self.s1).json()
        self.assertEqual(r["products"], 2)
        self.assertEqual(self.found("геометрии"), [self.b])

    def test_db_check_finds_a_damaged_index_and_reindex_mends_it(self):
        self.ok("db", "check", db=self.s1)
        con = sqlite3.connect(self.s1)
        con.execute("UPDATE search_doc SET title = 'Совсем другое' WHERE product = ?", (self.a,))
        con.commit()
        con.close()
        r = self.fails(65, "db", "check", db=self.s1)
        self.assertIn("reindex", r.out + r.err)
        self.ok("product", "reindex", db=self.s1)
        self.ok("db", "check", db=self.s1)
        self.assertEqual(self.found("дробями"), [self.a])
        # The filters' side of the index, too.
        con = sqlite3.connect(self.s1)
        con.execute("DELETE FROM search_filter WHERE id = ?", (self.b,))
        con.commit()
        con.close()
        self.assertEqual(self.found("веб-квест"), [])
        r = self.fails(65, "db", "check", db=self.s1)
        self.assertIn("reindex", r.out + r.err)
        self.ok("product", "reindex", db=self.s1)
        self.ok("db", "check", db=self.s1)
        self.assertEqual(self.found("веб-квест"), [self.b])

    def test_merged_products_and_files_that_arrive_later(self):
        self.enrol(self.s1, S1)
        self.enrol(self.s2, S2)
        self.ok("node", "subscribe", "--direction", "gifted", db=self.s2)
        self.merge(self.hub, self.pack(self.s2, "hub"))
        doc = self.file("приём.txt", "Кроссенс — ассоциативная головоломка.\n".encode())
        self.ok("product", "attach", self.a, doc, db=self.s1)
        for p in (self.a, self.b, self.c):
            self.ok("product", "submit", p, db=self.s1)
        self.merge(self.hub, self.pack(self.s1, "hub"))
        self.assertEqual(self.found("кроссенсом", db=self.hub), [self.a])
        self.assertEqual(self.found("кроссенсом", db=self.s2), [])
        for p in (self.a, self.b, self.c):
            self.ok("product", "publish", p, db=self.hub)
        # Outside the school's subscriptions: the record comes, its file not yet.
        self.merge(self.s2, self.pack(self.hub, S2))
        self.assertEqual(self.found("дробями", db=self.s2), [self.a])
        self.assertEqual(self.found("кроссенс", db=self.s2), [])
        out = self.path("out")
        os.makedirs(out)
        self.fails(66, "product", "get", self.a, "-o", out, db=self.s2)  # asks for it
        self.merge(self.hub, self.pack(self.s2, "hub"))
        self.merge(self.s2, self.pack(self.hub, S2))
        self.assertEqual(self.found("кроссенс", db=self.s2), [self.a])


if __name__ == "__main__":
    main()
