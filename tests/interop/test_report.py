"""Interop: the reports as real programs read them. Every kind of report
is written as DOCX, ODT and XLSX and converted to PDF by LibreOffice
(headless, one run per format for all the kinds, with a private profile),
and poppler's pdftotext finds its heading, title and names in the PDF, and
pdfinfo its pages, landscape where a wide table needs them; every
XLSX is read back by openpyxl and its cells equal the figures of the same
report's JSON — numbers stored as numbers, dates as dates; every HTML page
is well-formed for Python's html.parser and draws its charts as SVG.
LibreOffice (libreoffice-writer-nogui, libreoffice-calc-nogui), pdftotext
(poppler-utils) and openpyxl (python3-openpyxl) missing is a failure, not a
skip: 'make test' installs them."""
import datetime
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from network import HUB
from report_network import (COLLEAGUE, CONTEST, EXPERT, KIM, KINDS, LATE, MASTERCLASS, SEMINAR, TEACHER, World,
                            check_html)
from setevoe_test import main

try:
    import openpyxl
except ImportError:  # a failure, not a skip: the interop is a promise
    raise SystemExit("python3-openpyxl is missing: 'make test' installs it (apt-get install python3-openpyxl)")
for tool, package in (("soffice", "libreoffice-writer-nogui libreoffice-calc-nogui"), ("pdftotext", "poppler-utils")):
    if not shutil.which(tool):
        raise SystemExit(f"{tool} is missing: 'make test' installs it (apt-get install {package})")

OFFICE = ("docx", "odt", "xlsx")
# Names and numbers of each report that its PDF shows, whatever the format.
PDF_WORDS = {
    "activity": ["Гран-при", "1/2026", "2/2026", "Основные показатели", "Создано методических продуктов"],
    "plan": [MASTERCLASS, CONTEST],
    "agreements": ["1/2026", "2/2026", "3/2026", "Предоставить актовый зал."],
    "consultations": [EXPERT, "Поступило вопросов"],
    "portfolio": [KIM, CONTEST, "Гран-при"],
    "org": [TEACHER, COLLEAGUE],
}
WORLD = None
PDF = {}  # format -> kind -> the PDF's text
PAGES = {}  # format -> kind -> the PDF's pages, (width, height) in points


def squashed(text):
    """The text without white space: a table's cell may wrap anywhere in a PDF."""
    return re.sub(r"\s+", "", text)


def setUpModule():
    global WORLD
    WORLD = World()
    t = WORLD.t
    for fmt in OFFICE + ("json", "html"):
        os.makedirs(t.path(fmt))
        for kind, (args, _, _) in KINDS.items():
            t.ok("report", *args(), "-o", t.path(f"{fmt}/{kind}.{fmt}"), db=WORLD.hub)
    with tempfile.TemporaryDirectory(prefix="setevoe-lo-") as profile:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": t.dir, "LANG": "C.UTF-8"}
        for fmt in OFFICE:
            out = t.path(f"pdf-{fmt}")
            files = [t.path(f"{fmt}/{kind}.{fmt}") for kind in KINDS]
            started = time.monotonic()
            r = subprocess.run([shutil.which("soffice"), f"-env:UserInstallation=file://{profile}", "--headless",
                                "--norestore", "--convert-to", "pdf", "--outdir", out, *files],
                               capture_output=True, text=True, env=env, timeout=600)
            print(f"\nsoffice: {len(files)} {fmt} files to PDF in {time.monotonic() - started:.1f} s",
                  file=sys.stderr)
            if r.returncode != 0:
                raise AssertionError(f"soffice exited {r.returncode} converting the {fmt} reports: "
                                     f"{r.stdout}{r.stderr}")
            PDF[fmt] = {}
            for kind in KINDS:
                pdf = os.path.join(out, f"{kind}.pdf")
                if not os.path.exists(pdf) or os.path.getsize(pdf) == 0:
                    raise AssertionError(f"soffice made no PDF of {fmt}/{kind}.{fmt}: {r.stdout}{r.stderr}")
                text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True,
                                      check=True, timeout=120).stdout
                PDF[fmt][kind] = text
                info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], capture_output=True, text=True,
                                      check=True, timeout=120).stdout
                PAGES.setdefault(fmt, {})[kind] = [
                    (float(w), float(h)) for w, h in re.findall(r"^Page +\d+ size: +([\d.]+) x ([\d.]+)", info, re.M)]


def tearDownModule():
    WORLD.close()


class OfficeReports(unittest.TestCase):
    def report_json(self, kind):
        with open(WORLD.t.path(f"json/{kind}.json"), encoding="utf-8") as f:
            return json.load(f)

    def check_pdf(self, fmt, words):
        for kind, (_, title, _) in KINDS.items():
            with self.subTest(kind=kind):
                text = PDF[fmt][kind]
                doc = self.report_json(kind)
                self.assertIn(HUB, text)
                self.assertIn(title, text)
                for w in [doc["subtitle"].split("\n")[0]] + [s["title"] for s in doc["sections"].values()] + \
                        words[kind]:
                    self.assertIn(squashed(w), squashed(text), f"{w} in the PDF of {kind}.{fmt}")

    def test_docx_opens_in_writer(self):
        self.check_pdf("docx", PDF_WORDS)

    def test_odt_opens_in_writer(self):
        self.check_pdf("odt", PDF_WORDS)

    def test_xlsx_opens_in_calc(self):
        # A sheet's columns are as wide as their text: every word of KINDS,
        # and the dates as Calc shows date cells in the Russian way.
        dates = [datetime.date.fromisoformat(r["date"]).strftime("%d.%m.%Y")
                 for r in self.report_json("activity")["sections"]["events"]["tables"]["held"]["rows"]]
        self.check_pdf("xlsx", {kind: PDF_WORDS[kind] + words + (dates if kind == "activity" else [])
                                for kind, (_, _, words) in KINDS.items()})

    def test_writer_tables_keep_dates_and_long_cells_whole(self):
        # A table of seven or eight columns (the events held, the questions
        # past due) is too wide for the 165 mm of a portrait page even in
        # 10 pt: it goes on landscape pages, where no date or word is cut.
        for fmt in ("docx", "odt"):
            for kind, words in (("activity", [SEMINAR] + [
                    datetime.date.fromisoformat(r["date"]).strftime("%d.%m.%Y")
                    for r in self.report_json("activity")["sections"]["events"]["tables"]["held"]["rows"]]),
                                ("consultations", [LATE])):
                for w in words:
                    self.assertIn(squashed(w), squashed(PDF[fmt][kind]), f"{w} in the PDF of {kind}.{fmt}")

    def test_wide_tables_turn_the_pages_and_the_rest_stay_portrait(self):
        for fmt in ("docx", "odt"):
            for kind in ("activity", "consultations"):
                with self.subTest(fmt=fmt, kind=kind):
                    pages = PAGES[fmt][kind]
                    portrait = [w < h for w, h in pages]
                    for w, h in pages:  # A4 either way
                        self.assertAlmostEqual(min(w, h), 595.3, delta=1)
                        self.assertAlmostEqual(max(w, h), 841.9, delta=1)
                    self.assertTrue(portrait[0], f"{kind}.{fmt}: the title page is portrait")
                    self.assertIn(False, portrait, f"{kind}.{fmt}: the wide table is on a landscape page")
            # The questions past due are the consultations' last section.
            self.assertFalse(PAGES[fmt]["consultations"][-1][0] < PAGES[fmt]["consultations"][-1][1])
        # The plan, whose tables fit, has no landscape page.
        for fmt in ("docx", "odt"):
            self.assertTrue(all(w < h for w, h in PAGES[fmt]["plan"]), f"plan.{fmt}: {PAGES[fmt]['plan']}")

    def cell_equals(self, cell, value, column, where):
        kind = column["type"]
        if value is None or value == "":
            self.assertIsNone(cell.value, where)
        elif kind == "integer":
            self.assertIs(type(cell.value), int, where)
            self.assertEqual(cell.value, value, where)
        elif kind in ("number", "percent"):
            self.assertIn(type(cell.value), (int, float), where)
            self.assertTrue(math.isclose(cell.value, value, rel_tol=1e-9), f"{where}: {cell.value} != {value}")
        elif kind == "date":
            self.assertIsInstance(cell.value, datetime.datetime, where)
            self.assertTrue(cell.is_date, where)
            self.assertEqual(cell.value.date(), datetime.date.fromisoformat(value), where)
        else:
            self.assertEqual(cell.value, value, where)

    def test_xlsx_figures_equal_the_json(self):
        checked = 0
        for kind in KINDS:
            with self.subTest(kind=kind):
                doc = self.report_json(kind)
                wb = openpyxl.load_workbook(WORLD.t.path(f"xlsx/{kind}.xlsx"))
                sections = list(doc["sections"].values())
                self.assertEqual(len(wb.worksheets), len(sections))
                for ws, section in zip(wb.worksheets, sections):
                    self.assertEqual(ws.title, section["title"][:31])
                    grid = list(ws.iter_rows())
                    values = [[c.value for c in row] for row in grid]
                    self.assertEqual([values[0][0], values[1][0]], [doc["organisation"], doc["title"]])
                    at = 0
                    for key, table in section["tables"].items():
                        titles = [c["title"] for c in table["columns"]]
                        # The table's header row, after the tables before it.
                        header = next((i for i in range(at, len(values)) if values[i][:len(titles)] == titles),
                                      None)
                        self.assertIsNotNone(header, f"{kind}/{ws.title}: no header row {titles}")
                        if table["title"]:
                            self.assertEqual(values[header - 1][0], table["title"])
                        for n, row in enumerate(table["rows"]):
                            cells = grid[header + 1 + n]
                            for c, column in enumerate(table["columns"]):
                                where = f"{kind}/{ws.title}/{key} row {n + 1} {column['key']}"
                                self.cell_equals(cells[c], row[column["key"]], column, where)
                                checked += 1
                        at = header + 1 + len(table["rows"])
                        below = values[at] if at < len(values) else []
                        self.assertTrue(all(v is None for v in below), f"{kind}/{key}: more rows than the JSON")
        self.assertGreater(checked, 300)

    def test_html_is_well_formed_with_svg_charts(self):
        for kind, (_, title, words) in KINDS.items():
            with self.subTest(kind=kind):
                with open(WORLD.t.path(f"html/{kind}.html"), encoding="utf-8") as f:
                    page = f.read()
                c = check_html(self, page)
                text = "".join(c.text)
                for w in [HUB, title, *words]:
                    self.assertIn(w, text)
                if kind in ("activity", "org"):
                    self.assertIn("svg", c.tags)
                    self.assertIn("rect", c.tags)
                    self.assertGreaterEqual(page.count("<svg"), 3)


if __name__ == "__main__":
    main()
