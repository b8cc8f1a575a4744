"""Relevance of `product search` on the hand-made fixture tests/data/relevance:
328 products (with DOCX, PDF, TXT, MD and HTML files whose text is indexed)
and 46 queries whose relevant products are known. Checks recall@10 ≥ 0.95
over the queries, and that every product whose title has all the query's
words is among the first three. Prints the figures.

The PDFs are made from the fixture's text by LibreOffice (one soffice run for
all of them); DOCX files are written here as minimal WordprocessingML."""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile
from xml.sax.saxutils import escape

from setevoe_test import SOURCE, SetevoeTest, main

FIXTURE = os.path.join(SOURCE, "tests", "data", "relevance")


def write_docx(path, text):
    paragraphs = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>"
                         for p in text.split("\n") if p.strip())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                   f'wordprocessingml/2006/main"><w:body>{paragraphs}</w:body></w:document>')


class Relevance(SetevoeTest):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(FIXTURE, "products.json"), encoding="utf-8") as f:
            cls.products = json.load(f)
        with open(os.path.join(FIXTURE, "queries.json"), encoding="utf-8") as f:
            cls.queries = json.load(f)

    def build(self):
        db = self.init("hub.db", hub=True, title="МУ «Управление образования Гудермесского района»")
        # The registry in one import: the orgs and the authors.
        orgs = sorted({p["org"] for p in self.products})
        people = {}
        for p in self.products:
            for a in p["authors"]:
                people.setdefault(a, p["org"])
        registry = self.path("registry.csv")
        with open(registry, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["type", "kind", "name", "org"])
            for o in orgs:
                kind = "kindergarten" if "Детский сад" in o else "additional-education" if "Дом" in o else "school"
                w.writerow(["org", kind, o, ""])
            for name, org in people.items():
                w.writerow(["person", "", name, org])
        self.ok("member", "import", registry, db=db)

        files = self.path("files")
        os.makedirs(files)
        pdf_sources = []
        ids = {}
        for p in self.products:
            args = ["--format", "json", "product", "add", "--type", p["type"], "--title", p["title"], "--annotation",
                    p["annotation"], "--keywords", p["keywords"], "--org", p["org"]]
            for a in p["authors"]:
                args += ["--author", a]
            for d in p["directions"]:
                args += ["--direction", d]
            for lvl in p["level"]:
                args += ["--level", lvl]
            if p["subject"]:
                args += ["--subject", p["subject"]]
            if p["grades"]:
                args += ["--grades", p["grades"]]
            ids[self.ok(*args, db=db).json()["id"]] = p["key"]
            for i, f in enumerate(p["files"]):
                folder = os.path.join(files, p["key"] + str(i))
                os.makedirs(folder)
                path = os.path.join(folder, f["name"])
                if path.endswith(".docx"):
                    write_docx(path, f["text"])
                elif path.endswith(".pdf"):
                    source = path[:-4] + ".txt"
                    with open(source, "w", encoding="utf-8") as out:
                        out.write(f["text"])
                    pdf_sources.append((source, path))
                elif path.endswith(".html"):
                    with open(path, "w", encoding="utf-8") as out:
                        out.write(f"<!DOCTYPE html><html><head><title>{escape(p['title'])}</title><style>p{{}}"
                                  f"</style></head><body><p>{escape(f['text'])}</p></body></html>")
                else:
                    with open(path, "w", encoding="utf-8") as out:
                        out.write(f["text"])
        self.make_pdfs(pdf_sources)
        key_to_id = {v: k for k, v in ids.items()}
        for p in self.products:
            for i, f in enumerate(p["files"]):
                self.ok("product", "attach", key_to_id[p["key"]], os.path.join(files, p["key"] + str(i), f["name"]),
                        db=db)
        return db, ids

    def make_pdfs(self, sources):
        """One soffice run converts every text file to PDF."""
        if not sources:
            return
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        self.assertIsNotNone(soffice, "LibreOffice (libreoffice-writer-nogui) is needed to make the PDFs")
        out = self.path("pdf")
        with tempfile.TemporaryDirectory(prefix="setevoe-lo-") as profile:
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", out] + [s for s, _ in sources],
                           check=True, capture_output=True, timeout=600)
        for source, pdf in sources:
            made = os.path.join(out, os.path.basename(source)[:-4] + ".pdf")
            os.replace(made, pdf)
            os.remove(source)

    def test_recall_and_title_matches(self):
        db, ids = self.build()
        recalls, misses, late = [], [], []
        for q in self.queries:
            found = self.ok("--format", "json", "product", "search", q["query"], "--limit", "10", db=db).json()
            keys = [ids[r["id"]] for r in found]
            relevant = set(q["relevant"])
            recall = len(relevant & set(keys)) / len(relevant)
            recalls.append(recall)
            if recall < 1:
                misses.append(f"  «{q['query']}» ({q['covers']}): recall {recall:.2f}, missing "
                              f"{sorted(relevant - set(keys))}, got {keys}")
            for k in q["top3"]:
                if k not in keys[:3]:
                    late.append(f"  «{q['query']}»: {k} not in the first three {keys[:3]}")
        mean = sum(recalls) / len(recalls)
        top3 = sum(len(q["top3"]) for q in self.queries)
        print(f"\nrelevance: {len(self.products)} products, {len(self.queries)} queries; "
              f"recall@10 {mean:.3f}; queries with every relevant product found: "
              f"{sum(r == 1 for r in recalls)}/{len(recalls)}; title matches in the first three: "
              f"{top3 - len(late)}/{top3}", file=sys.stderr)
        for line in misses + late:
            print(line, file=sys.stderr)
        self.assertGreaterEqual(mean, 0.95, "\n".join(misses))
        self.assertEqual(late, [])


if __name__ == "__main__":
    main()
