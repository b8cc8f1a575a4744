// setevoe member: the registry of organisations and people.
#include <fmt/format.h>

#include "cli/app.hpp"
#include "cli/files.hpp"
#include "cli/output.hpp"
#include "core/i18n.hpp"
#include "core/member.hpp"
#include "core/util/time.hpp"

namespace setevoe::cli {
namespace {

using core::tr;
using core::trf;
using util::Json;

std::string kind_label(const core::Member& m) {
  return m.is_org ? core::term_label(core::org_kinds(), m.kind) : tr("person");
}

Json member_json(const core::Member& m) {
  auto j = Json::object();
  j.set("id", m.id).set("kind", m.is_org ? "org" : "person");
  if (m.is_org) j.set("org_kind", m.kind);
  j.set("name", m.name);
  if (m.is_org) {
    j.set("short_name", m.short_name.empty() ? Json() : Json(m.short_name));
    j.set("status", m.status).set("people", m.people);
    if (core::is_group_kind(m.kind)) j.set("members", m.group_members);
  } else {
    j.set("status", m.status).set("org", m.org_id).set("org_name", m.org_name);
    j.set("position", m.position.empty() ? Json() : Json(m.position));
    if (m.email || m.phone) j.set("email", m.email).set("phone", m.phone);
    auto groups = Json::array();
    for (const auto& g : m.groups)
      groups.push(Json::object().set("id", g.group_id).set("name", g.group_name).set("role", g.role));
    j.set("groups", groups);
    auto expert = Json::array();
    for (const auto& d : m.expert_in) expert.push(d.code);
    j.set("expert", expert);
  }
  j.set("owner", m.owner).set("created_at", m.created_at).set("updated_at", m.updated_at);
  return j;
}

// The record as people read it: labels instead of codes, a short id; times
// in the node's zone when `tz` is given (show, not list).
Json member_display(const core::Member& m, std::size_t id_length, const std::string& tz = {}) {
  auto j = Json::object();
  j.set("short_id", m.id.substr(0, id_length)).set("id", m.id).set("kind", kind_label(m)).set("name", m.name);
  j.set("short_name", m.short_name).set("status", core::term_label(core::member_statuses(), m.status));
  if (!m.is_org) {
    auto org = m.org_short.empty() ? m.org_name : m.org_short;
    j.set("org", m.org_name.empty() ? trf("(not yet received: {})", m.org_id)
                 : m.org_removed    ? trf("{} (removed)", org)
                                    : org);
    j.set("position", m.position);
    j.set("email", m.email).set("phone", m.phone);
    std::string groups;
    for (const auto& g : m.groups)
      groups +=
          (groups.empty() ? "" : "; ") + g.group_name + " (" + core::term_label(core::group_roles(), g.role) + ")";
    j.set("groups", groups);
    std::string expert;
    for (const auto& d : m.expert_in) expert += (expert.empty() ? "" : "; ") + d.name;
    j.set("expert", expert);
  } else {
    j.set("people", m.people ? Json(m.people) : Json());
    if (core::is_group_kind(m.kind)) j.set("members", m.group_members);
  }
  j.set("owner", m.owner);
  if (tz.empty()) return j;
  auto local = [&](const std::string& iso) -> Json {
    auto t = local_time(iso, tz);
    return t.empty() ? Json() : Json(t);
  };
  j.set("created_at", local(m.created_at)).set("updated_at", local(m.updated_at));
  return j;
}

std::vector<Column> list_columns(Format f) {
  if (f == Format::csv)
    return {{"id", ""},     {"kind", ""}, {"org_kind", ""}, {"name", ""},    {"short_name", ""},
            {"status", ""}, {"org", ""},  {"org_name", ""}, {"position", ""}};
  return {{"short_id", tr("ID")},
          {"kind", tr("Kind")},
          {"name", tr("Name")},
          {"org", tr("Organisation")},
          {"status", tr("Status")}};
}

std::vector<Column> show_columns(Format f) {
  if (f == Format::csv) return list_columns(f);
  return {{"id", tr("ID")},
          {"kind", tr("Kind")},
          {"name", tr("Name")},
          {"short_name", tr("Short name")},
          {"status", tr("Status")},
          {"org", tr("Organisation")},
          {"position", tr("Position")},
          {"email", tr("E-mail")},
          {"phone", tr("Phone")},
          {"groups", tr("Groups")},
          {"expert", tr("Expert in")},
          {"people", tr("People")},
          {"members", tr("Members")},
          {"files", tr("Files")},
          {"owner", tr("Owner node")},
          {"created_at", tr("Created")},
          {"updated_at", tr("Changed")}};
}

void show_member(Context& ctx, const std::string& id, bool created) {
  auto& db = ctx.db();
  auto m = core::get_member(db, id, true);
  auto f = ctx.format();
  if (f == Format::table) {
    if (created) ctx.say(trf("Added: {} «{}», id {}", kind_label(m), m.name, m.id));
    if (created && ctx.quiet) ctx.out() << m.id << '\n';
    if (created) return;
    auto d = member_display(m, 36, ctx.self().time_zone);
    d.set("files", files_line(ctx, m.id));
    if (auto owner = core::node_name(db, m.owner)) d.set("owner", fmt::format("{} ({})", *owner, m.owner));
    print_record(ctx, d, show_columns(f), f);
    return;
  }
  auto j = member_json(m);
  if (f == Format::json) j.set("files", files_json(ctx, m.id));
  print_record(ctx, j, show_columns(f), f);
}

void setup_add(CLI::App& member, Context& ctx, std::function<void()>& action) {
  auto* add = member.add_subcommand("add", tr("add an organisation or a person"));
  add->require_subcommand(1);

  auto org = std::make_shared<core::OrgInput>();
  auto org_short = std::make_shared<std::string>();
  auto* o = add->add_subcommand("org", tr("add an organisation: a school, association, group, ..."));
  o->add_option("--kind", org->kind,
                tr("school, kindergarten, additional-education, methodological-association, "
                   "methodological-service, creative-group, expert-council, education-department"))
      ->required()
      ->type_name("ORGKIND");
  o->add_option("--name", org->name, tr("the full name"))->required()->type_name("NAME");
  auto* short_opt = o->add_option("--short", *org_short, tr("a short name for tables"))->type_name("NAME");
  o->add_option("--status", org->status, tr("potential, active (default) or left"))->type_name("STATUS");
  o->callback([&ctx, &action, org, org_short, short_opt] {
    action = [&ctx, org, org_short, short_opt] {
      if (short_opt->count()) org->short_name = *org_short;
      core::Writer w(ctx.db());
      auto id = core::add_org(w, *org);
      w.commit();
      show_member(ctx, id, true);
    };
  });

  auto person = std::make_shared<core::PersonInput>();
  auto fields = std::make_shared<std::array<std::string, 3>>();
  auto* p = add->add_subcommand("person", tr("add a teacher or another worker"));
  p->add_option("--name", person->name, tr("«Фамилия Имя Отчество»"))->required()->type_name("NAME");
  p->add_option("--org", person->org, tr("the organisation they work in: id or exact name"))
      ->required()
      ->type_name("ORG");
  auto* pos = p->add_option("--position", (*fields)[0], tr("position: «учитель математики»"))->type_name("TEXT");
  auto* email =
      p->add_option("--email", (*fields)[1], tr("e-mail (personal data: sent only to the hub)"))->type_name("EMAIL");
  auto* phone =
      p->add_option("--phone", (*fields)[2], tr("telephone (personal data: sent only to the hub)"))->type_name("PHONE");
  p->add_option("--status", person->status, tr("potential, active (default) or left"))->type_name("STATUS");
  p->callback([&ctx, &action, person, fields, pos, email, phone] {
    action = [&ctx, person, fields, pos, email, phone] {
      if (pos->count()) person->position = (*fields)[0];
      if (email->count()) person->email = (*fields)[1];
      if (phone->count()) person->phone = (*fields)[2];
      core::Writer w(ctx.db());
      auto id = core::add_person(w, *person);
      w.commit();
      show_member(ctx, id, true);
    };
  });
}

void setup_edit(CLI::App& member, Context& ctx, std::function<void()>& action) {
  auto* edit = member.add_subcommand("edit", tr("change fields of an organisation or a person"));
  auto ref = std::make_shared<std::string>();
  auto values = std::make_shared<std::array<std::string, 8>>();
  edit->add_option("ID", *ref, tr("id prefix or exact name"))->required()->type_name("MEMBER");
  const char* names[] = {"--kind", "--name", "--short", "--status", "--org", "--position", "--email", "--phone"};
  const char* help[] = {N_("organisations: the kind"),
                        N_("the name"),
                        N_("organisations: the short name (\"\" clears it)"),
                        N_("potential, active or left"),
                        N_("people: the organisation they work in"),
                        N_("people: the position (\"\" clears it)"),
                        N_("people: e-mail (\"\" clears it)"),
                        N_("people: telephone (\"\" clears it)")};
  const char* types[] = {"ORGKIND", "NAME", "NAME", "STATUS", "ORG", "TEXT", "EMAIL", "PHONE"};
  std::vector<CLI::Option*> opts;
  for (std::size_t i = 0; i < 8; ++i)
    opts.push_back(edit->add_option(names[i], (*values)[i], tr(help[i]))->type_name(types[i]));
  edit->callback([&ctx, &action, ref, values, opts] {
    action = [&ctx, ref, values, opts] {
      core::MemberPatch patch;
      std::optional<std::string>* slots[] = {&patch.kind, &patch.name,     &patch.short_name, &patch.status,
                                             &patch.org,  &patch.position, &patch.email,      &patch.phone};
      for (std::size_t i = 0; i < 8; ++i)
        if (opts[i]->count()) *slots[i] = (*values)[i];
      auto& db = ctx.db();
      auto id = core::resolve_member(db, *ref);
      core::Writer w(db);
      bool changed = core::edit_member(w, id, patch);
      w.commit();
      if (!changed) {
        ctx.say(tr("Nothing changed: the fields already have these values."));
        return;
      }
      if (ctx.format() == Format::table)
        ctx.say(trf("Changed: «{}» ({})", core::get_member(db, id, false).name, id));
      else
        show_member(ctx, id, false);
    };
  });
}

}  // namespace

void setup_member(CLI::App& app, Context& ctx, std::function<void()>& action) {
  auto* member = &app;  // made by make_app from the command table
  member->require_subcommand(1);
  setup_add(*member, ctx, action);
  setup_file_commands(*member, ctx, action,
                      {"MEMBER", [](Context& c, const std::string& ref) { return core::resolve_member(c.db(), ref); }});

  // list
  auto filter = std::make_shared<core::MemberFilter>();
  auto* list = member->add_subcommand("list", tr("list organisations and people"));
  list->add_option("--kind", filter->kind, tr("org, person, or an org kind (school, creative-group, ...)"))
      ->type_name("KIND");
  list->add_option("--org", filter->org, tr("people of an organisation or members of a group"))->type_name("ORG");
  list->add_option("--status", filter->status, tr("potential, active or left"))->type_name("STATUS");
  list->add_option("--direction", filter->direction, tr("experts in a direction"))->type_name("DIRECTION");
  list->add_option("--name", filter->name, tr("only records whose name contains this text (any case)"))
      ->type_name("TEXT");
  list->callback([&ctx, &action, filter] {
    action = [&ctx, filter] {
      auto& db = ctx.db();
      auto f = ctx.format();
      filter->with_contacts = f != Format::table;
      auto members = core::list_members(db, *filter);
      std::vector<Json> records;
      records.reserve(members.size());
      if (f == Format::table) {
        auto len = core::short_id_length(db);
        // Listing a group: each member's role in it.
        std::string group = filter->org ? core::resolve_member(db, *filter->org, "org") : std::string();
        bool roles = false;
        for (const auto& m : members) {
          auto d = member_display(m, len);
          for (const auto& g : m.groups)
            if (g.group_id == group) {
              d.set("role", core::term_label(core::group_roles(), g.role));
              roles = true;
            }
          records.push_back(std::move(d));
        }
        auto columns = list_columns(f);
        if (roles) columns.insert(columns.end() - 1, Column{"role", tr("Role")});
        print_list(ctx, records, columns, f);
        return;
      } else {
        for (const auto& m : members) records.push_back(member_json(m));
      }
      print_list(ctx, records, list_columns(f), f);
    };
  });

  // show
  auto show_ref = std::make_shared<std::string>();
  auto* show = member->add_subcommand("show", tr("show one organisation or person"));
  show->add_option("ID", *show_ref, tr("id prefix (4+ digits) or exact name"))->required()->type_name("MEMBER");
  show->callback([&ctx, &action, show_ref] {
    action = [&ctx, show_ref] { show_member(ctx, core::resolve_member(ctx.db(), *show_ref), false); };
  });

  setup_edit(*member, ctx, action);

  // remove
  auto remove_ref = std::make_shared<std::string>();
  auto* remove =
      member->add_subcommand("remove", tr("remove an organisation or a person (a person's contacts are erased)"));
  remove->add_option("ID", *remove_ref, tr("id prefix or exact name"))->required()->type_name("MEMBER");
  remove->callback([&ctx, &action, remove_ref] {
    action = [&ctx, remove_ref] {
      auto& db = ctx.db();
      auto id = core::resolve_member(db, *remove_ref);
      auto m = core::get_member(db, id, false);
      std::string question = trf("Remove {} «{}» ({})?", kind_label(m), m.name, m.id);
      if (m.is_org && m.people > 0) question = trf("«{}» has {} people. Remove it anyway?", m.name, m.people);
      if (!ctx.confirm(question)) {
        ctx.say(tr("Nothing was removed."));
        return;
      }
      core::Writer w(db);
      core::remove_member(w, id);
      w.commit();
      ctx.say(trf("Removed: «{}» ({})", m.name, m.id));
    };
  });

  // join / leave
  auto join_args = std::make_shared<std::array<std::string, 3>>();
  (*join_args)[2] = "member";
  auto* join = member->add_subcommand("join", tr("put a person into a group with a role"));
  join->add_option("PERSON", (*join_args)[0], tr("the person: id prefix or exact name"))
      ->required()
      ->type_name("PERSON");
  join->add_option("GROUP", (*join_args)[1], tr("the group: id prefix or exact name"))->required()->type_name("GROUP");
  join->add_option("--role", (*join_args)[2], tr("member (default), head or secretary"))->type_name("ROLE");
  join->callback([&ctx, &action, join_args] {
    action = [&ctx, join_args] {
      auto& db = ctx.db();
      auto person = core::resolve_member(db, (*join_args)[0], "person");
      auto group = core::resolve_member(db, (*join_args)[1], "org");  // join_group says why a school is no group
      core::Writer w(db);
      core::join_group(w, person, group, (*join_args)[2]);
      w.commit();
      ctx.say(trf(
          "«{}» is in «{}» as {}.", core::get_member(db, person, false).name, core::get_member(db, group, false).name,
          core::term_label(core::group_roles(), core::parse_term(core::group_roles(), (*join_args)[2], tr("role")))));
    };
  });
  auto leave_args = std::make_shared<std::array<std::string, 2>>();
  auto* leave = member->add_subcommand("leave", tr("take a person out of a group"));
  leave->add_option("PERSON", (*leave_args)[0], tr("the person"))->required()->type_name("PERSON");
  leave->add_option("GROUP", (*leave_args)[1], tr("the group"))->required()->type_name("GROUP");
  leave->callback([&ctx, &action, leave_args] {
    action = [&ctx, leave_args] {
      auto& db = ctx.db();
      auto person = core::resolve_member(db, (*leave_args)[0], "person");
      auto group = core::resolve_member(db, (*leave_args)[1], "group");
      core::Writer w(db);
      core::leave_group(w, person, group);
      w.commit();
      ctx.say(tr("Done: the person left the group."));
    };
  });

  // expert
  auto expert_person = std::make_shared<std::string>();
  auto expert_dirs = std::make_shared<std::vector<std::string>>();
  auto revoke = std::make_shared<bool>(false);
  auto* expert = member->add_subcommand("expert", tr("appoint an expert in directions (the hub only)"));
  expert->add_option("PERSON", *expert_person, tr("the person"))->required()->type_name("PERSON");
  expert->add_option("--direction", *expert_dirs, tr("direction code, id or name; repeat for several"))
      ->required()
      ->type_name("DIRECTION")
      ->expected(1, -1);
  expert->add_flag("--revoke", *revoke, tr("release the expert from these directions instead"));
  expert->callback([&ctx, &action, expert_person, expert_dirs, revoke] {
    action = [&ctx, expert_person, expert_dirs, revoke] {
      auto& db = ctx.db();
      auto person = core::resolve_member(db, *expert_person, "person");
      core::Writer w(db);
      core::set_expert(w, person, *expert_dirs, *revoke);
      w.commit();
      auto m = core::get_member(db, person, false);
      std::string dirs;
      for (const auto& d : m.expert_in) dirs += (dirs.empty() ? "" : ", ") + d.code;
      ctx.say(trf("«{}» is an expert in: {}", m.name, dirs.empty() ? tr("(none)") : dirs));
    };
  });

  // import / export
  auto import_path = std::make_shared<std::string>();
  auto dry_run = std::make_shared<bool>(false);
  auto* import =
      member->add_subcommand("import", tr("import organisations and people from a CSV spreadsheet (all or nothing)"));
  import->add_option("FILE", *import_path, tr("CSV file, UTF-8, comma or semicolon separated"))
      ->required()
      ->type_name("FILE");
  import->add_flag("--dry-run", *dry_run, tr("check the file and say what would change, writing nothing"));
  import->callback([&ctx, &action, import_path, dry_run] {
    action = [&ctx, import_path, dry_run] {
      core::Writer w(ctx.db());
  auto r = core::import_members(w, *import_path);
  // A dry run drops the writer without commit: everything is rolled back.
  if (!*dry_run) w.commit();
  if (ctx.format() == Format::json) {
    ctx.out() << Json::object()
                     .set("orgs", r.orgs)
                     .set("people", r.people)
                     .set("memberships", r.memberships)
                     .set("experts", r.experts)
                     .set("dry_run", *dry_run)
                     .dump()
              << '\n';
  } else if (*dry_run) {
    ctx.say(
        trf("Dry run: the file is fine; importing it would write: organisations {}, people {}, group "
            "memberships {}, expert appointments {}. Nothing was written.",
            r.orgs, r.people, r.memberships, r.experts));
  } else {
    ctx.say(
        trf("Imported from {} (new or changed): organisations {}, people {}, group memberships {}, "
            "expert appointments {}.",
            *import_path, r.orgs, r.people, r.memberships, r.experts));
  }
};
}  // namespace setevoe::cli
);
auto export_out = std::make_shared<std::string>("-");
auto* exp = member->add_subcommand("export", tr("the whole registry as CSV (for import) or JSON"));
exp->add_option("-o,--output", *export_out, tr("write to this file instead of the standard output"))->type_name("FILE");
exp->callback([&ctx, &action, export_out] {
  action = [&ctx, export_out] {
    auto& db = ctx.db();
    std::string content;
    if (ctx.format(Format::csv) == Format::json) {
      core::MemberFilter all;
      all.with_contacts = true;
      auto records = Json::array();
      for (const auto& m : core::list_members(db, all)) records.push(member_json(m));
      content = records.dump() + "\n";
    } else {
      content = core::export_members_csv(db);
    }
    write_output(ctx, *export_out, content);
  };
});
}

}  // namespace setevoe::cli
