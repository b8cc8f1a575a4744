"""Interop: the text of documents that real LibreOffice writes (DOCX, ODT,
and PDF read through poppler's pdftotext) comes out of core::extract_text.

A Russian document is written here as flat ODF XML and converted once per
class by `soffice --headless --convert-to`, with a private profile. The
extraction runs in tests/tools/extract_text.cpp (SETEVOE_EXTRACT), which
prints extract_text's result as JSON. PPTX and ODP would need LibreOffice
Impress, which the test packages do not include: the unit tests
(tests/core/test_extract.cpp) cover them with files built from XML.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from setevoe_test import main

EXTRACT = os.environ.get("SETEVOE_EXTRACT",
                         os.path.join(os.path.dirname(__file__), "..", "..", "build", "tests", "extract_text_tool"))

SENTENCES = [
    "Методическая разработка урока",
    "Тема урока: «Родной край — Чеченская Республика».",
    "Цель урока: воспитание любви к малой родине и уважения к её истории.",
    "Материал подготовлен для сетевого сообщества школ.",
    "Этап урока",
    "Организационный момент",
    "Первый пункт списка: Нохчийн мотт.",
    "Ученики читают стихи.",
]

DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:h text:outline-level="1">Методическая разработка урока</text:h>
  <text:p>Тема урока: «Родной край — Чеченская Республика».</text:p>
  <text:p>Цель урока: <text:span text:style-name="T1">воспитание</text:span> любви к малой родине и уважения
   к её истории.</text:p>
  <text:p>Урок провёл учитель МБОУ «СОШ № 3 г. Гудермес»<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Материал подготовлен для сетевого сообщества школ.</text:p></text:note-body></text:note>.</text:p>
  <table:table table:name="План">
   <table:table-column table:number-columns-repeated="2"/>
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>Этап урока</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>Время, мин</text:p></table:table-cell>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>Организационный момент</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>2</text:p></table:table-cell>
   </table:table-row>
  </table:table>
  <text:list><text:list-item><text:p>Первый пункт списка: Нохчийн мотт.</text:p></text:list-item></text:list>
  <text:p>Ученики<text:tab/>читают стихи.</text:p>
 </office:text></office:body>
</office:document>
"""


def extract(path, kind, limit=None):
    argv = [EXTRACT, path, kind] + ([str(limit)] if limit is not None else [])
    r = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError(f"extract_text_tool exited {r.returncode}: {r.stderr}")
    return json.loads(r.stdout)


def words(text):
    """The text with every run of white space made one space."""
    return " ".join(text.split())


class OfficeDocuments(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="setevoe-office-")
        cls.dir = cls._tmp.name
        soffice = shutil.which("soffice")
        if not soffice:
            raise AssertionError("soffice is not installed: apt-get install libreoffice-writer-nogui (make test does)")
        source = os.path.join(cls.dir, "урок.fodt")
        with open(source, "w", encoding="utf-8") as f:
            f.write(DOCUMENT)
        profile = "file://" + os.path.join(cls.dir, "profile")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": cls.dir, "LANG": "C.UTF-8"}
        cls.files = {}
        for fmt in ("docx", "odt", "pdf"):
            out = os.path.join(cls.dir, fmt)
            os.mkdir(out)
            r = subprocess.run([soffice, "-env:UserInstallation=" + profile, "--headless", "--norestore",
                                "--convert-to", fmt, "--outdir", out, source],
                               capture_output=True, text=True, env=env, timeout=300)
            path = os.path.join(out, "урок." + fmt)
            if r.returncode != 0 or not os.path.exists(path):
                raise AssertionError(f"soffice could not convert to {fmt}: {r.stdout}{r.stderr}")
            cls.files[fmt] = path

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def check_sentences(self, fmt):
        r = extract(self.files[fmt], fmt)
        self.assertEqual(r["problem"], "", r)
        self.assertFalse(r["truncated"])
        text = words(r["text"])
        for sentence in SENTENCES:
            self.assertIn(sentence, text, r["text"])
        return r["text"]

    def test_docx(self):
        text = self.check_sentences("docx")
        # Paragraphs are lines; the tab stays.
        self.assertIn("Тема урока: «Родной край — Чеченская Республика».\n", text)
        self.assertIn("Ученики\tчитают стихи.", text)

    def test_odt(self):
        text = self.check_sentences("odt")
        self.assertIn("Ученики\tчитают стихи.", text)
        self.assertIn("Организационный момент\n2\n", text)

    def test_pdf(self):
        self.check_sentences("pdf")

    def test_kind_by_name_and_limit(self):
        r = extract(self.files["docx"], "auto", 25)
        self.assertEqual(r["text"], "Методическая")  # 24 bytes; " р" would make 27
        self.assertTrue(r["truncated"])
        r = extract(self.files["docx"], "auto", 23)
        self.assertEqual(r["text"], "Методическа")  # never half a letter
        self.assertTrue(r["truncated"])

    def test_a_document_as_the_wrong_kind(self):
        r = extract(self.files["pdf"], "docx")
        self.assertEqual(r["text"], "")
        self.assertIn("not a zip archive", r["problem"])
        r = extract(self.files["docx"], "pdf")
        self.assertEqual(r["text"], "")
        self.assertIn("cannot read the PDF", r["problem"])


if __name__ == "__main__":
    main()
