"""Helpers for the end-to-end and interop tests: run the built binary
against temporary databases and look at what it printed.

Every test file is a plain unittest module run by ctest as
`python3 tests/cli/test_X.py` with SETEVOE (path of the binary) and
SETEVOE_SOURCE (the source tree) in the environment.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

# A guard against a hung command, not a performance test: the sanitizer
# build runs several times slower (SETEVOE_SLOW sets the factor).
COMMAND_TIMEOUT = 120 * float(os.environ.get("SETEVOE_SLOW", "1"))

BINARY = os.environ.get("SETEVOE", os.path.join(os.path.dirname(__file__), "..", "..", "build", "setevoe"))
SOURCE = os.environ.get("SETEVOE_SOURCE", os.path.join(os.path.dirname(__file__), "..", ".."))


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


class SetevoeTest(unittest.TestCase):
    """A test case with a fresh temporary folder and helpers to run setevoe."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="setevoe-test-")
        self.dir = self._tmp.name
        # A clean environment: no user config, English messages unless a test asks.
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.dir,
            "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
            "XDG_DATA_HOME": os.path.join(self.dir, "data"),
            "LANG": "C.UTF-8",
            "LANGUAGE": "en",
        }
        for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if key in os.environ:
                self.env[key] = os.environ[key]

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def run_setevoe(self, *args, db=None, input=None, env=None, unprivileged=False):
        """unprivileged: run as 'nobody' when the tests run as root (CI),
        who writes into any folder; see unprivileged_folder."""
        argv = [BINARY]
        if db is not None:
            argv += ["--db", db]
        argv += list(args)
        if unprivileged and os.geteuid() == 0:
            argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] + argv
        e = dict(self.env)
        if env:
            e.update(env)
        proc = subprocess.run(argv, capture_output=True, text=True, input=input, env=e, cwd=self.dir,
                              timeout=COMMAND_TIMEOUT)
        return Result(proc)

    def unprivileged_folder(self, name, files=()):
        """A folder that 'nobody' may write into, with copies of `files`:
        for a test of what a user who is not root cannot do."""
        os.chmod(self.dir, 0o755)
        folder = self.path(name)
        os.mkdir(folder)
        os.chmod(folder, 0o777)
        copies = []
        for f in files:
            copy = os.path.join(folder, os.path.basename(f))
            shutil.copyfile(f, copy)
            os.chmod(copy, 0o666)
            copies.append(copy)
        return folder, copies

    def ok(self, *args, **kw):
        """Runs setevoe and fails the test unless it exits 0."""
        r = self.run_setevoe(*args, **kw)
        self.assertEqual(r.code, 0, repr(r))
        return r

    def fails(self, code, *args, **kw):
        """Runs setevoe and fails the test unless it exits with `code`."""
        r = self.run_setevoe(*args, **kw)
        self.assertEqual(r.code, code, repr(r))
        self.assertTrue(r.err.strip(), "an error must say what is wrong: " + repr(r))
        return r

    def init(self, name="school.db", hub=False, title="МБОУ «СОШ № 3 г. Гудермес»"):
        db = self.path(name)
        args = ["init", "--name", title] + (["--hub"] if hub else [])
        self.ok(*args, db=db)
        return db

    def add_org(self, db, name, kind="school", short=None, status=None):
        args = ["--format", "json", "member", "add", "org", "--kind", kind, "--name", name]
        if short:
            args += ["--short", short]
        if status:
            args += ["--status", status]
        return self.ok(*args, db=db).json()["id"]

    def add_person(self, db, name, org, *extra):
        return self.ok("--format", "json", "member", "add", "person", "--name", name, "--org", org, *extra,
                       db=db).json()["id"]


def main():
    unittest.main(verbosity=1)
