"""End-to-end tests of `setevoe member` and `setevoe direction`: the real
binary on temporary databases, every documented error path included."""
import json
import os
import sqlite3

from setevoe_test import SetevoeTest, main


class MemberAdd(SetevoeTest):
    def test_add_org_and_person_print_records_with_ids(self):
        db = self.init()
        org = self.ok("--format", "json", "member", "add", "org", "--kind", "school",
                      "--name", "МБОУ «СОШ № 3 г. Гудермес»", "--short", "СОШ № 3", db=db).json()
        self.assertEqual(org["kind"], "org")
        self.assertEqual(org["org_kind"], "school")
        self.assertEqual(org["status"], "active")
        self.assertEqual(org["name"], "МБОУ «СОШ № 3 г. Гудермес»")
        self.assertRegex(org["id"], r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        person = self.ok("--format", "json", "member", "add", "person", "--name", "Исаев Ахмед Русланович",
                         "--org", "СОШ № 3", "--position", "учитель математики", "--email", "isaev@sch3.example.ru",
                         "--phone", "+7 928 000-11-22", db=db).json()
        self.assertEqual(person["kind"], "person")
        self.assertEqual(person["org"], org["id"])
        self.assertEqual(person["email"], "isaev@sch3.example.ru")
        self.assertEqual(person["status"], "active")

    def test_table_output_names_what_was_added(self):
        db = self.init()
        r = self.ok("member", "add", "org", "--kind", "kindergarten", "--name", "МБДОУ «Детский сад № 5»", db=db)
        self.assertIn("МБДОУ «Детский сад № 5»", r.out)
        quiet = self.ok("--quiet", "member", "add", "org", "--kind", "school", "--name", "СОШ № 9", db=db)
        self.assertRegex(quiet.out.strip(), r"^[0-9a-f-]{36}$")

    def test_bad_values_are_usage_errors_that_write_nothing(self):
        db = self.init()
        r = self.fails(64, "member", "add", "org", "--kind", "гимназия-интернат", "--name", "X", db=db)
        self.assertIn("school", r.err)  # lists the valid kinds
        self.fails(64, "member", "add", "org", "--kind", "school", "--name", "  ", db=db)
        self.fails(64, "member", "add", "org", "--kind", "school", "--name", "X", "--status", "closed", db=db)
        self.fails(64, "member", "add", "org", "--name", "X", db=db)  # --kind missing
        org = self.add_org(db, "СОШ № 1")
        self.fails(64, "member", "add", "person", "--name", "Иванов", "--org", org, "--email", "ivanov-at-mail", db=db)
        self.fails(64, "member", "add", "person", "--name", "Иванов", "--org", org, "--phone", "звонить", db=db)
        r = self.fails(66, "member", "add", "person", "--name", "Иванов", "--org", "Нет такой школы", db=db)
        self.assertIn("Нет такой школы", r.err)
        people = self.ok("--format", "json", "member", "list", "--kind", "person", db=db).json()
        self.assertEqual(people, [])

    def test_a_duplicate_org_is_refused(self):
        db = self.init()
        org = self.add_org(db, "СОШ № 1")
        r = self.fails(65, "member", "add", "org", "--kind", "school", "--name", "сош № 1", db=db)
        self.assertIn(org, r.err)
        self.add_org(db, "СОШ № 1", kind="kindergarten")  # another kind: another record

    def test_a_duplicate_person_is_refused(self):
        db = self.init()
        org = self.add_org(db, "СОШ № 1")
        self.add_person(db, "Иванов Иван Иванович", org)
        r = self.fails(65, "member", "add", "person", "--name", "Иванов Иван Иванович", "--org", org, db=db)
        self.assertIn("member edit", r.err)


class MemberFind(SetevoeTest):
    def test_list_show_and_prefixes(self):
        db = self.init()
        school = self.add_org(db, "МБОУ «СОШ № 1 г. Гудермес»", short="СОШ № 1")
        rmo = self.add_org(db, "РМО учителей математики", kind="methodological-association")
        p = self.add_person(db, "Исаев Ахмед Русланович", school)
        records = self.ok("--format", "json", "member", "list", db=db).json()
        self.assertEqual([r["id"] for r in records], [school, rmo, p])
        for r in records:
            for key in ("id", "name", "kind", "status"):
                self.assertIn(key, r)
        shown = self.ok("--format", "json", "member", "show", p[:23], db=db).json()
        self.assertEqual(shown["id"], p)
        no_hyphens = p.replace("-", "")[:20]
        self.assertEqual(self.ok("--format", "json", "member", "show", no_hyphens.upper(), db=db).json()["id"], p)
        self.assertEqual(self.ok("--format", "json", "member", "show", "СОШ № 1", db=db).json()["id"], school)
        table = self.ok("member", "list", db=db).out
        self.assertIn("Исаев Ахмед Русланович", table)
        self.assertIn("СОШ № 1", table)
        csv = self.ok("--format", "csv", "member", "list", db=db).out.splitlines()
        self.assertEqual(csv[0], "id,kind,org_kind,name,short_name,status,org,org_name,position")
        self.assertEqual(len(csv), 4)

    def test_ambiguous_prefix_lists_candidates(self):
        db = self.init()
        a = self.add_org(db, "Школа А")
        b = self.add_org(db, "Школа Б")
        common = os.path.commonprefix([a, b])
        self.assertGreaterEqual(len(common), 4)
        r = self.fails(64, "member", "show", common, db=db)
        self.assertIn(a, r.err)
        self.assertIn(b, r.err)
        self.fails(64, "member", "show", "abc", db=db)  # fewer than 4 digits
        self.fails(66, "member", "show", "ffffffff", db=db)

    def test_filters(self):
        db = self.init(hub=True, title="УО Гудермесского района")
        school = self.add_org(db, "СОШ № 1")
        self.add_org(db, "СОШ № 2", status="potential")
        rmo = self.add_org(db, "РМО учителей математики", kind="methodological-association")
        a = self.add_person(db, "Исаев Ахмед Русланович", school)
        self.add_person(db, "Петрова Анна Сергеевна", school)
        self.ok("member", "join", a, "РМО учителей математики", "--role", "head", db=db)
        self.ok("member", "expert", a, "--direction", "gifted", "--direction", "distance", db=db)

        def names(*args):
            return [r["name"] for r in self.ok("--format", "json", "member", "list", *args, db=db).json()]
        self.assertEqual(names("--kind", "school"), ["СОШ № 1", "СОШ № 2"])
        self.assertEqual(names("--status", "potential"), ["СОШ № 2"])
        self.assertEqual(names("--org", rmo), ["Исаев Ахмед Русланович"])
        self.assertEqual(names("--org", "СОШ № 1"), ["Исаев Ахмед Русланович", "Петрова Анна Сергеевна"])
        self.assertEqual(names("--direction", "gifted"), ["Исаев Ахмед Русланович"])
        self.assertEqual(names("--kind", "person", "--status", "left"), [])
        self.fails(64, "member", "list", "--kind", "castle", db=db)
        self.fails(66, "member", "list", "--direction", "astrology", db=db)
        shown = self.ok("--format", "json", "member", "show", a, db=db).json()
        self.assertEqual(shown["expert"], ["gifted", "distance"])
        self.assertEqual(shown["groups"][0]["role"], "head")


class MemberChange(SetevoeTest):
    def test_edit_any_field(self):
        db = self.init()
        school = self.add_org(db, "СОШ № 1")
        self.add_org(db, "СОШ № 2")
        p = self.add_person(db, "Исаев Ахмед", school)
        self.ok("member", "edit", p, "--name", "Исаев Ахмед Русланович", "--org", "СОШ № 2",
                "--position", "завуч", "--email", "isaev@sch2.example.ru", "--status", "left", db=db)
        shown = self.ok("--format", "json", "member", "show", p, db=db).json()
        self.assertEqual(shown["name"], "Исаев Ахмед Русланович")
        self.assertEqual(shown["org_name"], "СОШ № 2")
        self.assertEqual(shown["position"], "завуч")
        self.assertEqual(shown["status"], "left")
        self.assertEqual(shown["email"], "isaev@sch2.example.ru")
        self.ok("member", "edit", school, "--short", "СОШ-1", "--kind", "kindergarten", db=db)
        self.assertEqual(self.ok("--format", "json", "member", "show", school, db=db).json()["org_kind"], "kindergarten")
        again = self.ok("member", "edit", p, "--status", "left", db=db)
        self.assertIn("Nothing changed", again.out)
        self.fails(64, "member", "edit", p, "--kind", "school", db=db)
        self.fails(64, "member", "edit", school, "--email", "x@y.ru", db=db)
        self.fails(64, "member", "edit", p, db=db)

    def test_remove_asks_for_confirmation(self):
        db = self.init()
        school = self.add_org(db, "СОШ № 1")
        p = self.add_person(db, "Исаев Ахмед Русланович", school, "--email", "isaev@sch1.example.ru")
        r = self.fails(64, "member", "remove", p, db=db)  # no terminal, no --yes
        self.assertIn("--yes", r.err)
        self.ok("member", "show", p, db=db)
        self.ok("--yes", "member", "remove", p, db=db)
        self.fails(66, "member", "show", p, db=db)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT deleted FROM person WHERE id = ?", (p,)).fetchone()[0], 1)
        self.assertEqual(con.execute("SELECT email, phone, deleted FROM contact WHERE id = ?", (p,)).fetchone(),
                         (None, None, 1))
        con.close()
        # --yes may also come after the command.
        other = self.add_person(db, "Петрова Анна Сергеевна", school)
        self.ok("member", "remove", school, "--yes", db=db)
        shown = self.ok("member", "show", other, db=db).out
        self.assertIn("СОШ № 1 (removed)", shown)

    def test_join_leave_and_group_rules(self):
        db = self.init()
        school = self.add_org(db, "СОШ № 1")
        tg = self.add_org(db, "Творческая группа «Одарённые дети»", kind="creative-group")
        p = self.add_person(db, "Исаев Ахмед Русланович", school)
        self.ok("member", "join", "Исаев Ахмед Русланович", tg, db=db)
        self.ok("member", "join", p, tg, "--role", "секретарь", db=db)
        shown = self.ok("--format", "json", "member", "show", p, db=db).json()
        self.assertEqual(shown["groups"], [{"id": tg, "name": "Творческая группа «Одарённые дети»", "role": "secretary"}])
        r = self.fails(64, "member", "join", p, school, db=db)  # a school is not a group
        self.assertIn("--org", r.err)
        self.fails(64, "member", "join", p, tg, "--role", "king", db=db)
        self.ok("member", "leave", p, tg, db=db)
        self.fails(66, "member", "leave", p, tg, db=db)


class Authority(SetevoeTest):
    def test_school_cannot_appoint_experts_or_add_directions(self):
        db = self.init()
        school = self.add_org(db, "СОШ № 1")
        p = self.add_person(db, "Исаев Ахмед Русланович", school)
        r = self.fails(77, "member", "expert", p, "--direction", "gifted", db=db)
        self.assertIn("hub", r.err)
        self.fails(77, "direction", "add", "--code", "robotics", "--name", "Робототехника", db=db)

    def test_school_cannot_change_records_of_another_node(self):
        db = self.init()
        hub_id = "01900000-0000-7000-8000-00000000aaaa"
        row = "01900000-0000-7000-8000-000000000001"
        con = sqlite3.connect(db)
        con.execute("INSERT INTO node (id, name, role, public_key, created_at) VALUES (?, 'Районный узел', 'hub', "
                    "'00', '2026-01-01T00:00:00Z')", (hub_id,))
        con.execute("INSERT INTO org (id, owner, kind, name, status, _v) VALUES (?, ?, 'methodological-association', "
                    "'РМО учителей математики', 'active', ?)",
                    (row, hub_id, json.dumps({"*": "0000018000000000." + hub_id})))
        con.commit()
        con.close()
        r = self.fails(77, "member", "edit", row, "--name", "РМО", db=db)
        self.assertIn("Районный узел", r.err)
        self.fails(77, "--yes", "member", "remove", row, db=db)
        # Joining the hub's group is the school's own record: allowed.
        p = self.add_person(db, "Исаев Ахмед Русланович", self.add_org(db, "СОШ № 1"))
        self.ok("member", "join", p, row, db=db)

    def test_hub_appoints_experts_and_adds_directions(self):
        db = self.init(hub=True, title="УО")
        p = self.add_person(db, "Исаев Ахмед Русланович", self.add_org(db, "СОШ № 1"))
        self.ok("member", "expert", p, "--direction", "gifted", db=db)
        self.ok("member", "expert", p, "--direction", "gifted", "--revoke", db=db)
        self.fails(66, "member", "expert", p, "--direction", "gifted", "--revoke", db=db)
        d = self.ok("--format", "json", "direction", "add", "--code", "robotics",
                    "--name", "Образовательная робототехника", db=db).json()
        self.assertEqual(d["code"], "robotics")
        codes = [x["code"] for x in self.ok("--format", "json", "direction", "list", db=db).json()]
        self.assertEqual(codes[:8], ["quality", "gifted", "communication", "developmental", "profile", "distance",
                                     "technology", "special-needs"])
        self.assertIn("robotics", codes)
        self.fails(65, "direction", "add", "--code", "robotics", "--name", "Другое", db=db)
        self.fails(64, "direction", "add", "--code", "робот", "--name", "Другое", db=db)


GOOD_CSV = (
    "type,kind,name,short_name,status,org,position,email,phone,groups,expert\n"
    "org,school,МБОУ «СОШ № 1 г. Гудермес»,СОШ № 1,active,,,,,,\n"
    "org,methodological-association,РМО учителей математики,,,,,,,,\n"
    "person,,Исаев Ахмед Русланович,,,СОШ № 1,учитель математики,isaev@sch1.example.ru,,"
    "РМО учителей математики:head,\n"
    "person,,Петрова Анна Сергеевна,,potential,СОШ № 1,\"учитель, старший\",,,,\n"
)


class ImportExport(SetevoeTest):
    def write(self, name, text, encoding="utf-8"):
        path = self.path(name)
        with open(path, "w", encoding=encoding, newline="") as f:
            f.write(text)
        return path

    def test_dry_run_writes_nothing(self):
        db = self.init()
        r = self.ok("--format", "json", "member", "import", "--dry-run", self.write("m.csv", GOOD_CSV), db=db).json()
        self.assertEqual(r, {"orgs": 2, "people": 2, "memberships": 1, "experts": 0, "dry_run": True})
        self.assertEqual(self.ok("--format", "json", "member", "list", db=db).json(), [])
        self.assertEqual(self.ok("--format", "json", "status", db=db).json()["changes"], 0)
        self.assertIn("Nothing was written", self.ok("member", "import", "--dry-run", self.path("m.csv"), db=db).out)
        bad = self.write("bad.csv", GOOD_CSV + "org,castle,Замок,,,,,,,,\n")
        self.fails(65, "member", "import", "--dry-run", bad, db=db)

    def test_name_filter_and_roles_of_a_group(self):
        db = self.init()
        self.ok("member", "import", self.write("m.csv", GOOD_CSV), db=db)
        names = [r["name"] for r in self.ok("--format", "json", "member", "list", "--name", "ИСАЕВ", db=db).json()]
        self.assertEqual(names, ["Исаев Ахмед Русланович"])
        table = self.ok("member", "list", "--org", "РМО учителей математики", db=db).out
        self.assertIn("Role", table)
        self.assertIn("head", table)
        shown = self.ok("member", "show", "Исаев Ахмед Русланович", db=db).out
        self.assertIn("МБОУ «СОШ № 3 г. Гудермес» (", shown)  # the owner node by name

    def test_import_and_export_round_trip(self):
        db = self.init()
        r = self.ok("member", "import", self.write("m.csv", GOOD_CSV), db=db)
        self.assertIn("people 2", r.out)
        exported = self.ok("member", "export", db=db).out
        self.assertIn("Исаев Ахмед Русланович", exported)
        self.assertIn("РМО учителей математики:head", exported)
        again = self.ok("--format", "json", "member", "import", self.write("e.csv", exported), db=db).json()
        self.assertEqual(again, {"orgs": 0, "people": 0, "memberships": 0, "experts": 0, "dry_run": False})
        out = self.path("registry.json")
        self.ok("--format", "json", "member", "export", "-o", out, db=db)
        with open(out, encoding="utf-8") as f:
            records = json.load(f)
        self.assertEqual(len(records), 4)
        self.assertEqual(sum(1 for r in records if r.get("email")), 1)

    def test_semicolons_and_bom_from_russian_excel(self):
        db = self.init()
        text = GOOD_CSV.replace(",", ";").replace("\"учитель; старший\"", "\"учитель, старший\"").replace("\n", "\r\n")
        path = self.write("excel.csv", text, encoding="utf-8-sig")
        self.ok("member", "import", path, db=db)
        names = [r["name"] for r in self.ok("--format", "json", "member", "list", "--kind", "person", db=db).json()]
        self.assertEqual(names, ["Исаев Ахмед Русланович", "Петрова Анна Сергеевна"])

    def test_bad_rows_import_nothing(self):
        cases = {
            "unknown kind": (GOOD_CSV + "org,castle,Замок,,,,,,,,\n", 6),
            "empty name": (GOOD_CSV + "person,,,,,СОШ № 1,,,,,\n", 6),
            "unknown org": (GOOD_CSV + "person,,Сидоров Пётр,,,СОШ № 99,,,,,\n", 6),
            "invalid e-mail": (GOOD_CSV + "person,,Сидоров Пётр,,,СОШ № 1,,sidorov@,,,\n", 6),
            "wrong column count": (GOOD_CSV + "person,,Сидоров Пётр,,,СОШ № 1\n", 6),
            "unclosed quote": (GOOD_CSV + "person,,\"Сидоров Пётр,,,СОШ № 1,,,,,\n", 6),
        }
        for what, (text, line) in cases.items():
            with self.subTest(what):
                db = self.init(name=what.replace(" ", "-") + ".db")
                path = self.write("bad.csv", text)
                r = self.fails(65, "member", "import", path, db=db)
                self.assertIn(f"bad.csv, line {line}", r.err)
                self.assertIn("Nothing was imported", r.err)
                self.assertEqual(self.ok("--format", "json", "member", "list", db=db).json(), [])
        db = self.init(name="latin1.db")
        path = self.path("latin1.csv")
        with open(path, "wb") as f:
            f.write(GOOD_CSV.encode("utf-8") + "person,,Сидоров,,,СОШ № 1,,,,,\n".encode("cp1251"))
        r = self.fails(65, "member", "import", path, db=db)
        self.assertIn("line 6", r.err)
        self.assertIn("UTF-8", r.err)
        self.fails(66, "member", "import", self.path("missing.csv"), db=db)

    def test_export_to_a_missing_folder_fails_cleanly(self):
        db = self.init()
        self.fails(73, "member", "export", "-o", self.path("no/such/dir/x.csv"), db=db)
        self.assertFalse(os.path.exists(self.path("no")))


if __name__ == "__main__":
    main()
