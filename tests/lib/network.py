"""A hub and two schools on temporary databases, and helpers for files and
bundles: what the tests of attached files, products and bundles share."""
import hashlib
import os
import random
import sqlite3
import tomllib
import zipfile

from setevoe_test import SetevoeTest

HUB = "МУ «Управление образования Гудермесского района»"
S1 = "МБОУ «СОШ № 1 г. Гудермес»"
S2 = "МБОУ «Брагунская СОШ»"

# The first bytes of formats that are compressed already (stored in a bundle
# as they are), and of some that are not (deflated).
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
DOCX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00"


def blob(size, seed, head=b""):
    """`size` bytes that do not compress, starting with `head`; the same for the same seed."""
    return head + random.Random(seed).randbytes(size - len(head))


def text(size, seed):
    """`size` bytes of Russian text (compresses well); the same for the same seed."""
    words = ["методическое", "объединение", "учителей", "математики", "Гудермес", "протокол", "заседания",
             "аттестация", "педагог", "высшей", "категории", "план", "работы", "на", "2026/2027", "учебный", "год"]
    rnd = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        out += (" ".join(rnd.choice(words) for _ in range(12)) + ".\n").encode()
    return bytes(out[:size])


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def canonical(db):
    """Every row of every table of a database, for before/after comparisons."""
    con = sqlite3.connect(db)
    try:
        # Virtual tables (the search index) need setevoe's tokenizer; their
        # shadow tables hold the same data as plain tables.
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]
        return {t: sorted(con.execute(f"SELECT * FROM \"{t}\""), key=repr) for t in tables}
    finally:
        con.close()


def store_listing(db):
    """The object store of a database: every file in it (temporaries too), with its SHA-256 and mtime."""
    root = db + ".objects"
    out = {}
    for folder, _, names in os.walk(root):
        for n in names:
            p = os.path.join(folder, n)
            out[os.path.relpath(p, root)] = (sha256(read(p)), os.stat(p).st_mtime_ns)
    return out


def contents(db):
    """The object store's files and their SHA-256, without times."""
    return {k: v[0] for k, v in store_listing(db).items()}


def object_path(db, digest):
    return os.path.join(db + ".objects", digest[:2], digest[2:])


def zip_entries(path):
    with zipfile.ZipFile(path) as z:
        return {i.filename: i for i in z.infolist()}


def manifest(path):
    with zipfile.ZipFile(path) as z:
        return tomllib.loads(z.read("manifest.toml").decode())


def wanted_in(path):
    """The wanted list of a bundle: the files its sender asks for."""
    with zipfile.ZipFile(path) as z:
        data = z.read("changes.sqlite")
    tmp = path + ".changes.sqlite"
    with open(tmp, "wb") as f:
        f.write(data)
    try:
        con = sqlite3.connect(f"file:{tmp}?mode=ro", uri=True)
        try:
            return {r[0] for r in con.execute("SELECT sha256 FROM wanted")}
        finally:
            con.close()
    finally:
        os.remove(tmp)


def rewrite_zip(src, dst, edit):
    """Copies a bundle's entries into a new zip, each with its own compression,
    letting `edit(entries)` change the dict name -> [data, compress_type]."""
    with zipfile.ZipFile(src) as z:
        entries = {i.filename: [z.read(i.filename), i.compress_type] for i in z.infolist()}
    edit(entries)
    with zipfile.ZipFile(dst, "w") as z:
        for name, (data, method) in entries.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 28, 12, 0, 0)), data, compress_type=method)
    return dst


class Network(SetevoeTest):
    """A hub and two schools, each with its own database, and helpers for files."""

    def setUp(self):
        super().setUp()
        self.hub = self.init("hub.db", hub=True, title=HUB)
        self.s1 = self.init("s1.db", title=S1)
        self.s2 = self.init("s2.db", title=S2)
        self.n = 0

    # -- files
    def file(self, name, data, folder="in"):
        os.makedirs(self.path(folder), exist_ok=True)
        p = os.path.join(self.path(folder), name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def attach(self, db, member, *paths, role=None):
        args = ["--format", "json", "member", "attach", member, *paths] + (["--role", role] if role else [])
        return self.ok(*args, db=db).json()

    def files(self, db, member):
        return {f["name"]: f for f in self.ok("--format", "json", "member", "files", member, db=db).json()}

    def get_all(self, db, member, folder):
        out = self.path(folder)
        os.makedirs(out, exist_ok=True)
        self.ok("member", "get", member, "-o", out, db=db)
        return {n: read(os.path.join(out, n)) for n in os.listdir(out)}

    # -- bundles
    def pack(self, db, to, *extra, name=None):
        self.n += 1
        path = self.path(name or f"b{self.n}.zip")
        self.packed = self.ok("--format", "json", "bundle", "pack", "--to", to, "-o", path, *extra, db=db).json()
        return path

    def merge(self, db, *paths, approve=False):
        args = ["--format", "json", "bundle", "merge"] + (["--approve"] if approve else []) + list(paths)
        return self.ok(*args, db=db).json()

    def enrol(self, school, name):
        request = self.pack(school, "hub")
        self.merge(self.hub, request, approve=True)
        self.merge(school, self.pack(self.hub, name))

    def round(self):
        """Both schools send to the hub, then the hub to both (the schools are
        enrolled under the names S1 and S2)."""
        self.merge(self.hub, self.pack(self.s1, "hub"))
        self.merge(self.hub, self.pack(self.s2, "hub"))
        self.merge(self.s1, self.pack(self.hub, S1))
        self.merge(self.s2, self.pack(self.hub, S2))

    def registry(self, db):
        return self.ok("--format", "json", "member", "list", db=db).json()
