"""The man pages and the shell completions against the binary: every command
has its page and every option is documented; the pages are clean mdoc; the
bash, zsh and fish completions really complete, from `setevoe __complete`.
"""
import os
import re
import shutil
import subprocess
import textwrap
import unittest

from setevoe_test import SetevoeTest, main, BINARY, SOURCE

MAN = os.path.join(SOURCE, "man")
COMPLETIONS = os.path.join(SOURCE, "completions")
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"
# cli/ files that are not commands (files and thread serve several commands)
NOT_COMMANDS = {"files", "thread", "main", "app", "output", "commands"}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def man_page(name):
    return os.path.join(MAN, name + ".1")


def mentions(page_text, word):
    """Whether an mdoc page names `word` as a command word (.Cm, .Ic, ...) or in its text."""
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", page_text) is not None


def documents_option(page_text, option):
    """Whether an mdoc page documents `option` (--kind, -o): as `Fl -kind` / `Fl o`, as the second
    name in `Fl o , -output`, or literally in an example."""
    flag = option[1:]  # mdoc writes --kind as "Fl -kind" and -o as "Fl o"
    end = r"(?![\w-])"
    if re.search(r"\bFl " + re.escape(flag) + end, page_text):
        return True
    if re.search(r"^\.[^\n]*\bFl\b[^\n]* , " + re.escape(flag) + end, page_text, re.M):
        return True
    dashes = len(option) - len(option.lstrip("-"))
    return re.search(r"(?<![\w-])" + r"(?:\\-|-)" * dashes + re.escape(option.lstrip("-")) + end,
                     page_text) is not None


class DocsTest(SetevoeTest):
    """Shared helpers: the command tree and the options, as the binary lists them."""

    def assertLine(self, text, pattern, msg):
        """`text` has a line matching `pattern` (without printing all of `text` when not)."""
        if not re.search(pattern, text, re.M):
            self.fail(msg)

    def command_paths(self):
        """Every command path, from the "Subcommands:" sections of --help, walked down the tree."""
        paths, todo = [], [[]]
        while todo:
            path = todo.pop(0)
            out = self.ok(*path, "--help").out
            section = re.search(r"^Subcommands:\n((?:  \S.*\n|\s{6,}.*\n)*)", out, re.M)
            if not section:
                continue
            for line in section.group(1).splitlines():
                m = re.match(r"^  (\S+)", line)
                if m:
                    paths.append(" ".join(path + [m.group(1)]))
                    todo.append(path + [m.group(1)])
        self.assertTrue(paths, "setevoe --help lists no commands")
        return paths

    def completion_paths(self):
        """Every command path, as `setevoe __complete --commands` lists them for the completions."""
        r = self.ok("__complete", "--commands")
        return [line.split("\t")[0].strip() for line in r.out.splitlines() if line.strip()]

    def all_paths(self):
        """The command paths that --help shows and those that the completions offer."""
        return sorted(set(self.command_paths()) | set(self.completion_paths()))

    def top_commands(self):
        return [p for p in self.all_paths() if " " not in p]

    def options_of(self, *path):
        """The options that `setevoe PATH --help` lists, long and short."""
        r = self.ok(*path, "--help")
        longs, shorts = set(), set()
        for line in r.out.splitlines():
            m = re.match(r"^\s+((?:-[A-Za-z0-9](?:,|\s)|--[A-Za-z0-9][\w-]*)[^\s]*)", line)
            if not m:
                continue
            for name in m.group(1).split(","):
                name = name.strip()
                if name.startswith("--"):
                    longs.add(name)
                elif re.fullmatch(r"-[A-Za-z0-9]", name):
                    shorts.add(name)
        return longs, shorts


class ManPagesTest(DocsTest):
    def test_help_lists_the_commands(self):
        paths = self.command_paths()
        for path in ("init", "member", "member add org", "member import", "direction list", "db backup"):
            self.assertIn(path, paths)

    def test_complete_lists_every_command_path(self):
        # The completions get the command tree from here: it must be the one --help shows.
        listed = self.completion_paths()
        self.assertNotIn("__complete", " ".join(listed), "the hidden command must not be listed")
        self.assertEqual(sorted(listed), sorted(self.command_paths()),
                         "setevoe __complete --commands must print every command path, one a line")

    def test_every_command_has_a_page(self):
        for cmd in self.top_commands():
            with self.subTest(command=cmd):
                self.assertTrue(os.path.isfile(man_page("setevoe-" + cmd)), f"man/setevoe-{cmd}.1 is missing")

    def test_every_subcommand_is_in_its_page(self):
        for path in self.all_paths():
            words = path.split()
            if len(words) < 2:
                continue
            with self.subTest(command=path):
                page = man_page("setevoe-" + words[0])
                self.assertTrue(os.path.isfile(page), f"man/setevoe-{words[0]}.1 is missing")
                text = read(page)
                self.assertTrue(mentions(text, words[-1]), f"«{path}» is not in man/setevoe-{words[0]}.1")
                # Each command has its own entry: an .It or a SYNOPSIS line with its words as .Cm
                self.assertLine(text, r"^\.(?:It )?Cm " + re.escape(" ".join(words[1:])) + r"(?![\w-])",
                                f"«{path}» has no .Cm entry in man/setevoe-{words[0]}.1")

    def test_main_page_names_every_command(self):
        text = read(man_page("setevoe"))
        for cmd in self.top_commands():
            with self.subTest(command=cmd):
                self.assertLine(text, r"^\.It Cm " + re.escape(cmd) + r"$", f"setevoe.1 does not list «{cmd}»")
                self.assertLine(text, rf"^\.Xr setevoe-{re.escape(cmd)} 1\b",
                                f"setevoe.1 has no cross reference to setevoe-{cmd}(1)")

    def test_every_cli_file_has_a_page(self):
        cli = os.path.join(SOURCE, "cli")
        names = sorted(f[:-4] for f in os.listdir(cli) if f.endswith(".cpp") and f[:-4] not in NOT_COMMANDS)
        self.assertTrue(names)
        for name in names:
            with self.subTest(file=f"cli/{name}.cpp"):
                page = man_page("setevoe-" + name)
                self.assertTrue(os.path.isfile(page), f"man/setevoe-{name}.1 is missing")
                text = read(page)
                self.assertLine(text, r"^\.Nm setevoe\\ " + re.escape(name) + r"$",
                                f"man/setevoe-{name}.1 does not name «setevoe {name}» in .Nm")
                self.assertLine(text, r"^\.Dt SETEVOE-" + re.escape(name.upper()) + r" 1$",
                                f"man/setevoe-{name}.1 has the wrong .Dt")

    def test_long_options_are_documented(self):
        # Global options are documented in setevoe(1).
        longs, shorts = self.options_of()
        self.assertTrue({"--db", "--format", "--quiet", "--yes", "--version", "--help"} <= longs, longs)
        text = read(man_page("setevoe"))
        for option in sorted(longs | shorts):
            with self.subTest(command="setevoe", option=option):
                self.assertTrue(documents_option(text, option), f"setevoe.1 does not document {option}")
        for path in self.all_paths():
            words = path.split()
            longs, shorts = self.options_of(*words)
            text = read(man_page("setevoe-" + words[0]))
            for option in sorted((longs | shorts) - {"--help", "-h"}):
                with self.subTest(command=path, option=option):
                    self.assertTrue(documents_option(text, option),
                                    f"{option} of «setevoe {path}» is not in man/setevoe-{words[0]}.1")

    def test_pages_are_clean(self):
        mandoc = shutil.which("mandoc")
        if not mandoc:
            self.skipTest("mandoc is not installed (Debian package mandoc)")
        pages = sorted(f for f in os.listdir(MAN) if f.endswith(".1"))
        self.assertIn("setevoe.1", pages)
        for page in pages:
            with self.subTest(page=page):
                # Run in man/, where mandoc finds the pages that .Xr refers to.
                r = subprocess.run([mandoc, "-Tlint", "-W", "warning", page], cwd=MAN, capture_output=True,
                                   text=True)
                self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""), page)
                r = subprocess.run([mandoc, "-Tlint", page], cwd=MAN, capture_output=True, text=True)
                self.assertEqual(r.stdout + r.stderr, "", f"{page}: style messages")
                text = read(os.path.join(MAN, page))
                for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "EXAMPLES", "SEE ALSO"):
                    self.assertLine(text, rf"^\.Sh {section}$", f"{page} has no {section} section")

    def test_cross_references_resolve(self):
        for page in sorted(f for f in os.listdir(MAN) if f.endswith(".1")):
            for name in re.findall(r"\bXr (setevoe[\w-]*) 1\b", read(os.path.join(MAN, page))):
                with self.subTest(page=page, xr=name):
                    self.assertTrue(os.path.isfile(man_page(name)), f"{page} refers to missing {name}(1)")

    def test_exit_codes_match_help(self):
        # The codes that --help promises are the ones that setevoe(1) explains.
        help_codes = set(re.findall(r"\b(\d\d) ", self.ok("--help").out.split("Exit codes:")[1]))
        self.assertTrue(help_codes)
        text = read(man_page("setevoe"))
        exit_section = text.split(".Sh EXIT STATUS")[1].split(".Sh ")[0]
        page_codes = set(re.findall(r"^\.It (\d+)$", exit_section, re.M))
        self.assertEqual(page_codes - {"0"}, help_codes)

    def test_seeded_directions_are_documented(self):
        db = self.init()
        codes = [d["code"] for d in self.ok("--format", "json", "direction", "list", db=db).json()]
        self.assertEqual(len(codes), 8, codes)
        text = read(man_page("setevoe-direction"))
        for code in codes:
            with self.subTest(direction=code):
                self.assertLine(text, r"^\.It Cm " + re.escape(code) + "$", f"setevoe-direction.1 lacks {code}")


class CompletionTest(DocsTest):
    """The completions run with `setevoe` found in PATH, as a user has it."""

    def setUp(self):
        super().setUp()
        bindir = self.path("bin")
        os.mkdir(bindir)
        os.symlink(os.path.abspath(BINARY), os.path.join(bindir, "setevoe"))
        self.env["PATH"] = bindir + os.pathsep + self.env["PATH"]

    def shell(self, argv, **kw):
        r = subprocess.run(argv, capture_output=True, text=True, env=self.env, cwd=self.dir, timeout=60, **kw)
        self.assertEqual(r.returncode, 0, f"{argv}\n--- stdout\n{r.stdout}\n--- stderr\n{r.stderr}")
        return r.stdout

    def make_db(self):
        db = self.init()
        org = self.add_org(db, "МБОУ «СОШ № 3 г. Гудермес»", short="СОШ № 3")
        return db, org


class BashCompletionTest(CompletionTest):
    SCRIPT = os.path.join(COMPLETIONS, "setevoe.bash")

    def complete(self, *words, with_bash_completion=False):
        """COMPREPLY of _setevoe for `setevoe WORDS...`, the last word being the one completed."""
        if not shutil.which("bash"):
            self.skipTest("bash is not installed")
        preload = ""
        if with_bash_completion:
            if not os.path.isfile(BASH_COMPLETION):
                self.skipTest("bash-completion is not installed (Debian package bash-completion)")
            preload = f"source {BASH_COMPLETION}\n"
        # The line as typed: bash splits "--db=PATH" into "--db" "=" "PATH".
        line = "setevoe"
        previous = None
        for w in words:
            line += ("" if w == "=" or previous == "=" else " ") + w
            previous = w
        script = preload + textwrap.dedent("""\
            source "$1"; COMP_LINE=$2; shift 2
            COMP_WORDS=(setevoe "$@")
            COMP_CWORD=$#
            COMP_POINT=${#COMP_LINE}
            _setevoe
            printf '%s\\n' "${COMPREPLY[@]}"
            """)
        out = self.shell(["bash", "--norc", "--noprofile", "-c", script, "bash", self.SCRIPT, line, *words])
        return [line for line in out.splitlines() if line]

    def test_defines_the_function_and_binding(self):
        out = self.shell(["bash", "--norc", "--noprofile", "-c", f"source {self.SCRIPT}; complete -p setevoe"])
        self.assertIn("-F _setevoe", out)

    def test_command(self):
        self.assertEqual(self.complete("mem"), ["member"])
        self.assertIn("member", self.complete("mem", with_bash_completion=True))

    def test_subcommands(self):
        for bc in (False, True):
            with self.subTest(bash_completion=bc):
                got = self.complete("member", "", with_bash_completion=bc)
                for word in ("add", "list", "import", "expert"):
                    self.assertIn(word, got)
                self.assertNotIn("__complete", got)
                self.assertEqual(self.complete("member", "add", "", with_bash_completion=bc), ["org", "person"])

    def test_option_values(self):
        got = self.complete("member", "add", "org", "--kind", "")
        self.assertIn("school", got)
        self.assertIn("creative-group", got)
        self.assertEqual(self.complete("member", "join", "x", "y", "--role", "s"), ["secretary"])
        # bash splits --kind=cre into "--kind" "=" "cre"
        self.assertEqual(self.complete("member", "add", "org", "--kind", "=", "cre"), ["creative-group"])

    def test_options(self):
        got = self.complete("member", "list", "--")
        for option in ("--kind", "--org", "--status", "--direction", "--db"):
            self.assertIn(option, got)
        self.assertEqual(len(got), len(set(got)), "duplicate candidates: " + repr(got))

    def test_files(self):
        with open(self.path("учителя.csv"), "w", encoding="utf-8") as f:
            f.write("name\n")
        self.assertIn("учителя.csv", self.complete("member", "import", ""))
        self.assertIn("учителя.csv", self.complete("member", "import", "уч", with_bash_completion=True))

    def test_ids_from_the_database_given_with_db(self):
        db, org = self.make_db()
        self.assertIn(org, self.complete("--db", db, "member", "show", ""))
        self.assertEqual(self.complete("--db", db, "member", "show", org[:13]), [org])
        self.assertIn(org, self.complete("--db", "=", db, "member", "show", "", with_bash_completion=True))
        # Without --db the default database (none here) has no ids: the --db above mattered.
        self.assertEqual(self.complete("member", "show", ""), [])

    def test_directions(self):
        db, _ = self.make_db()
        got = self.complete("--db", db, "member", "list", "--direction", "")
        self.assertIn("gifted", got)
        self.assertIn("special-needs", got)


class ZshCompletionTest(CompletionTest):
    SCRIPT = os.path.join(COMPLETIONS, "_setevoe")

    def setUp(self):
        super().setUp()
        if not shutil.which("zsh"):
            self.skipTest("zsh is not installed")

    def test_compdef_header(self):
        self.assertTrue(read(self.SCRIPT).startswith("#compdef setevoe"))

    def stubbed(self, *words):
        """What _setevoe hands to _describe and _files, with those stubbed, for `setevoe WORDS...`."""
        script = textwrap.dedent("""\
            _describe() {
              local a
              for a in "$@"; do
                [[ $a == -* || $a == values || $a == setevoe ]] && continue
                print -rl -- "${(@P)a}"
              done
            }
            _files() { print -r -- __FILES__ }
            compset() { PREFIX=${PREFIX#*=} }
            script=$1; shift
            words=(setevoe "$@"); CURRENT=$#words; PREFIX=$words[-1]
            source $script
            """)
        out = self.shell(["zsh", "-f", "-c", script, "zsh", self.SCRIPT, *words])
        return out.splitlines()

    def test_stubbed(self):
        got = self.stubbed("member", "")
        self.assertIn("add:add an organisation or a person", got)
        self.assertIn("import", [line.split(":")[0] for line in got])
        values = [line.split(":")[0] for line in self.stubbed("member", "add", "org", "--kind", "")]
        self.assertIn("school", values)
        self.assertIn("creative-group", values)
        self.assertEqual([line.split(":")[0] for line in self.stubbed("member", "add", "org", "--kind=cre")],
                         ["creative-group"])
        self.assertEqual(self.stubbed("member", "import", ""), ["__FILES__"])
        db, org = self.make_db()
        self.assertIn(org + ":МБОУ «СОШ № 3 г. Гудермес»", self.stubbed("--db", db, "member", "show", ""))

    def real(self, line):
        """The matches that zsh's own completion system offers for LINE<TAB>, in a zsh on a pseudo-terminal."""
        capture = os.path.join(self.dir, "capture.zsh")
        with open(capture, "w") as f:
            f.write(textwrap.dedent("""\
                zmodload zsh/zpty || exit 3
                zpty z zsh -f -i
                zpty -w z "PS1=''; PROMPT=''; RPROMPT=''; LISTMAX=100000"
                zpty -w z "fpath=(${(q)1} \\$fpath); autoload -U compinit; compinit -D -u"
                zpty -w z 'compadd() { local -a m; builtin compadd -O m "$@"; local x; for x in $m; do print -r -- "<<$x>>" >/dev/tty; done; builtin compadd "$@"; }'
                zpty -w z 'zstyle ":completion:*" list-prompt ""; zstyle ":completion:*" menu no; bindkey "^I" complete-word'
                zpty -w z 'print -r -- READY$((1+1))'
                local line out
                integer n=0
                while (( n++ < 600 )); do
                  if zpty -r -t z line; then [[ $line == *READY2* ]] && break; else sleep 0.05; fi
                done
                zpty -w -n z "$2"$'\\t'$'\\x15'
                zpty -w z 'print -r -- DONE$((2+3))'
                n=0
                while (( n++ < 600 )); do
                  if zpty -r -t z line; then out+=$line; [[ $line == *DONE5* ]] && break; else sleep 0.05; fi
                done
                zpty -d z
                [[ $out == *DONE5* ]] || exit 4
                print -r -- "$out" | grep -ao '<<[^>]*>>' | sort -u
                """))
        out = self.shell(["zsh", "-f", capture, COMPLETIONS, line])
        return [m[2:-2] for m in out.split()]

    def test_real_completion(self):
        got = self.real("setevoe member ")
        self.assertIn("add", got)
        self.assertIn("import", got)
        self.assertIn("creative-group", self.real("setevoe member add org --kind "))
        db, org = self.make_db()
        self.assertIn(org, self.real(f"setevoe --db {db} member show "))


class FishCompletionTest(CompletionTest):
    SCRIPT = os.path.join(COMPLETIONS, "setevoe.fish")

    def setUp(self):
        super().setUp()
        if not shutil.which("fish"):
            self.skipTest("fish is not installed")

    def complete(self, line):
        out = self.shell(["fish", "--no-config", "-c", f"source {self.SCRIPT}; complete -C {quote_fish(line)}"])
        return [entry.split("\t")[0] for entry in out.splitlines() if entry]

    def test_subcommands(self):
        got = self.complete("setevoe member ")
        for word in ("add", "list", "import"):
            self.assertIn(word, got)
        self.assertEqual(self.complete("setevoe mem"), ["member"])

    def test_option_values(self):
        got = self.complete("setevoe member add org --kind ")
        self.assertIn("school", got)
        self.assertIn("creative-group", got)
        self.assertEqual(self.complete("setevoe member add org --kind=cre"), ["--kind=creative-group"])

    def test_descriptions(self):
        out = self.shell(["fish", "--no-config", "-c", f"source {self.SCRIPT}; complete -C 'setevoe member ad'"])
        self.assertEqual(out.strip(), "add\tadd an organisation or a person")

    def test_files(self):
        with open(self.path("учителя.csv"), "w", encoding="utf-8") as f:
            f.write("name\n")
        self.assertIn("учителя.csv", self.complete("setevoe member import уч"))

    def test_ids_from_the_database_given_with_db(self):
        db, org = self.make_db()
        self.assertIn(org, self.complete(f"setevoe --db {db} member show "))
        self.assertNotIn(org, self.complete("setevoe member show "))


def quote_fish(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


if __name__ == "__main__":
    main()
