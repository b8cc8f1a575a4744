// setevoe agreement: agreements on joint activity and creative cooperation
// between the network's organisations (regulation 3.2.1), the obligations of
// their parties, their signed scans, termination, and the agreements whose
// term ends soon.
#include <fmt/format.h>

#include <memory>

#include "cli/app.hpp"
#include "cli/files.hpp"
#include "cli/output.hpp"
#include "core/agreement.hpp"
#include "core/i18n.hpp"
#include "core/util/time.hpp"

namespace setevoe::cli {
namespace {

using core::tr;
using core::trf;
using util::Json;

Json date_json(const std::string& iso) {
  return iso.empty() ? Json() : Json(iso);
}

std::string party_name(const std::string& id, const std::string& name) {
  return name.empty() ? trf("(not yet received: {})", id) : name;
}

std::string parties_text(const core::Agreement& a) {
  std::string out;
  for (const auto& p : a.parties) out += (out.empty() ? "" : "; ") + party_name(p.id, p.name);
  return out;
}

std::string status_label(const std::string& status) {
  return core::term_label(core::agreement_statuses(), status);
}

// "01.09.2026 – 31.08.2027", "from 01.09.2026, open-ended".
std::string term_text(const core::Agreement& a) {
  if (a.valid_from.empty() && a.valid_to.empty()) return {};
  if (a.valid_to.empty()) return trf("from {}, open-ended", date_text(a.valid_from));
  if (a.valid_from.empty()) return trf("until {}", date_text(a.valid_to));
  return date_text(a.valid_from) + " – " + date_text(a.valid_to);
}

Json agreement_json(const core::Agreement& a) {
  auto j = Json::object();
  j.set("id", a.id).set("number", a.number).set("signed_on", date_json(a.signed_on)).set("kind", a.kind);
  j.set("title", a.title).set("subject", a.subject);
  auto parties = Json::array();
  for (const auto& p : a.parties)
    parties.push(Json::object().set("id", p.id).set("name", p.name.empty() ? Json() : Json(p.name)));
  j.set("parties", parties);
  j.set("valid_from", date_json(a.valid_from)).set("valid_to", date_json(a.valid_to));
  j.set("interaction", a.interaction).set("responsibility", a.responsibility);
  j.set("status", a.status);
  j.set("terminated_on", date_json(a.terminated_on))
      .set("terminate_reason", a.terminate_reason.empty() ? Json() : Json(a.terminate_reason));
  auto obligations = Json::array();
  for (const auto& o : a.obligations)
    obligations.push(Json::object().set("id", o.id).set("party", o.party_id).set("text", o.text));
  j.set("obligations", obligations);
  j.set("owner", a.owner).set("created_at", a.created_at).set("updated_at", a.updated_at);
  return j;
}

Json agreement_csv(const core::Agreement& a) {
  std::string ids, names;
  for (const auto& p : a.parties) {
    ids += (ids.empty() ? "" : "; ") + p.id;
    names += (names.empty() ? "" : "; ") + p.name;
  }
  return Json::object()
      .set("id", a.id)
      .set("number", a.number)
      .set("signed_on", a.signed_on)
      .set("kind", a.kind)
      .set("title", a.title)
      .set("subject", a.subject)
      .set("parties", ids)
      .set("party_names", names)
      .set("valid_from", a.valid_from)
      .set("valid_to", a.valid_to)
      .set("interaction", a.interaction)
      .set("responsibility", a.responsibility)
      .set("status", a.status)
      .set("terminated_on", a.terminated_on)
      .set("terminate_reason", a.terminate_reason)
      .set("obligations", static_cast<std::int64_t>(a.obligations.size()))
      .set("owner", a.owner);
}

std::vector<Column> csv_columns() {
  return key_columns({"id", "number", "signed_on", "kind", "title", "subject", "parties", "party_names", "valid_from",
                      "valid_to", "interaction", "responsibility", "status", "terminated_on", "terminate_reason",
                      "obligations", "owner"});
}

Json agreement_display(const core::Agreement& a, std::size_t id_length) {
  return Json::object()
      .set("short_id", a.id.substr(0, id_length))
      .set("number", a.number)
      .set("date", a.signed_on.empty() ? std::string("—") : date_text(a.signed_on))
      .set("kind", core::term_label(core::agreement_kinds(), a.kind))
      .set("title", a.title)
      .set("parties", parties_text(a))
      .set("valid_to", a.valid_to.empty() ? std::string("—") : date_text(a.valid_to))
      .set("status", status_label(a.status));
}

void print_agreements(Context& ctx, const std::vector<core::Agreement>& list) {
  auto f = ctx.format();
  std::vector<Json> records;
  records.reserve(list.size());
  auto len = f == Format::table ? core::short_id_length(ctx.db()) : 0;
  for (const auto& a : list)
    records.push_back(f == Format::table ? agreement_display(a, len)
                      : f == Format::csv ? agreement_csv(a)
                                         : agreement_json(a));
  if (f == Format::csv) {
    print_list(ctx, records, csv_columns(), f);
    return;
  }
  print_list(ctx, records,
             {{"short_id", tr("ID")},
              {"number", tr("Number")},
              {"date", tr("Date")},
              {"kind", tr("Kind")},
              {"title", tr("Title")},
              {"parties", tr("Parties")},
              {"valid_to", tr("Valid to")},
              {"status", tr("Status")}},
             f);
}

void show_agreement(Context& ctx, const std::string& id) {
  auto& db = ctx.db();
  auto a = core::get_agreement(db, id, today(ctx));
  auto f = ctx.format();
  if (f == Format::csv) {
    print_record(ctx, agreement_csv(a), csv_columns(), f);
    return;
  }
  if (f == Format::json) {
    auto j = agreement_json(a);
    j.set("files", files_json(ctx, a.id));
    print_record(ctx, j, {}, f);
    return;
  }
  auto tz = ctx.self().time_zone;
  auto j = Json::object();
  j.set("id", a.id).set("number", a.number);
  j.set("signed_on", a.signed_on.empty() ? std::string(tr("not signed yet")) : date_text(a.signed_on));
  j.set("kind", core::term_label(core::agreement_kinds(), a.kind)).set("title", a.title).set("subject", a.subject);
  j.set("parties", parties_text(a)).set("term", term_text(a));
  j.set("interaction", a.interaction).set("responsibility", a.responsibility);
  auto status = status_label(a.status);
  if (!a.terminated_on.empty()) {
    if (a.status != "terminated")
      status += "; " + trf("terminated as of {}", date_text(a.terminated_on));
    else
      status += " " + trf("as of {}", date_text(a.terminated_on));
    status += " — " + trf("reason: {}", a.terminate_reason);
  }
  j.set("status", status);
  j.set("files", files_line(ctx, a.id));
  auto owner = core::node_name(db, a.owner);
  j.set("owner", owner ? fmt::format("{} ({})", *owner, a.owner) : a.owner);
  j.set("created_at", local_time(a.created_at, tz)).set("updated_at", local_time(a.updated_at, tz));
  print_record(ctx, j,
               {{"id", tr("ID")},
                {"number", tr("Number")},
                {"signed_on", tr("Signed")},
                {"kind", tr("Kind")},
                {"title", tr("Title")},
                {"subject", tr("Subject")},
                {"parties", tr("Parties")},
                {"term", tr("Term")},
                {"interaction", tr("Interaction")},
                {"responsibility", tr("Responsibility")},
                {"status", tr("Status")},
                {"files", tr("Files")},
                {"owner", tr("Owner node")},
                {"created_at", tr("Created")},
                {"updated_at", tr("Changed")}},
               f);
  ctx.out() << '\n' << tr("Obligations of the parties:") << '\n';
  for (const auto& p : a.parties) {
    ctx.out() << "  " << party_name(p.id, p.name) << ":\n";
    int n = 0;
    for (const auto& o : a.obligations)
      if (o.party_id == p.id) ctx.out() << "    " << ++n << ". " << o.text << '\n';
    if (n == 0) ctx.out() << "    " << tr("(none recorded)") << '\n';
  }
}

// The options shared by add and edit.
struct FieldOptions {
  std::string number, date, kind, title, subject, valid_from, valid_to, interaction, responsibility;
  std::vector<std::string> parties;
  std::vector<std::pair<CLI::Option*, std::string*>> text;
  std::vector<std::optional<std::string>* (*)(core::AgreementFields&)> into;
  CLI::Option* parties_opt = nullptr;

  void add_to(CLI::App& cmd, bool editing) {
    auto opt = [&](const char* name, std::string& value, const char* help, const char* shown,
                   std::optional<std::string>* (*field)(core::AgreementFields&)) {
      auto* o = cmd.add_option(name, value, tr(help))->type_name(shown);
      text.push_back({o, &value});
      into.push_back(field);
      return o;
    };
    auto* n = opt("--number", number, N_("the agreement's number, as on the document: 12/2026"), "NUMBER",
                  [](core::AgreementFields& f) { return &f.number; });
    opt("--date", date,
        editing ? N_("the signing date: YYYY-MM-DD or DD.MM.YYYY; \"\" makes it a draft again")
                : N_("the signing date: YYYY-MM-DD or DD.MM.YYYY; without it, a draft"),
        "DATE", [](core::AgreementFields& f) { return &f.date; });
    auto* k = opt("--kind", kind, N_("joint-activity or creative-cooperation"), "AGREEMENT_KIND",
                  [](core::AgreementFields& f) { return &f.kind; });
    auto* t = opt("--title", title, N_("the title of the agreement"), "TEXT",
                  [](core::AgreementFields& f) { return &f.title; });
    parties_opt = cmd.add_option("--party", parties,
                                 editing ? tr("a party: an org by id, name or short name; the parties given replace "
                                              "the list")
                                         : tr("a party: an org by id, name or short name; two or more, repeat"))
                      ->type_name("ORG")
                      ->expected(1, -1);
    auto* s = opt("--subject", subject, N_("the subject: what the parties do together"), "TEXT",
                  [](core::AgreementFields& f) { return &f.subject; });
    opt("--valid-from", valid_from, N_("the first day of the term (default: the signing date)"), "DATE",
        [](core::AgreementFields& f) { return &f.valid_from; });
    opt("--valid-to", valid_to,
        editing ? N_("the last day of the term; \"\" makes it open-ended") : N_("the last day of the term"), "DATE",
        [](core::AgreementFields& f) { return &f.valid_to; });
    opt("--interaction", interaction, N_("the regulation of the parties' interaction"), "TEXT",
        [](core::AgreementFields& f) { return &f.interaction; });
    opt("--responsibility", responsibility, N_("the responsibility of the parties"), "TEXT",
        [](core::AgreementFields& f) { return &f.responsibility; });
    if (!editing) {
      n->required();
      k->required();
      t->required();
      s->required();
      parties_opt->required();
    }
  }

  core::AgreementFields fields() const {
    core::AgreementFields f;
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i].first->count()) *into[i](f) = *text[i].second;
    if (parties_opt->count()) f.parties = parties;
    return f;
  }
};

std::string agreement_ref(Context& ctx, const std::string& ref) {
  return core::resolve_agreement(ctx.db(), ref);
}

constexpr const char* k_ref_help = N_("id prefix (4+ digits), exact number or exact title");

void add_agreement_arg(CLI::App& cmd, std::string& into) {
  cmd.add_option("AGREEMENT", into, tr(k_ref_help))->required()->type_name("AGREEMENT");
}

}  // namespace

void setup_agreement(CLI::App& app, Context& ctx, std::function<void()>& action) {
  auto* agreement = &app;
  agreement->require_subcommand(1);

  // add
  auto add_opts = std::make_shared<FieldOptions>();
  auto* add =
      agreement->add_subcommand("add", tr("register an agreement between two or more orgs (this node owns it)"));
  add_opts->add_to(*add, false);
  add->callback([&ctx, &action, add_opts] {
    action = [&ctx, add_opts] {
      auto& db = ctx.db();
      auto fields = add_opts->fields();
      core::Writer w(db);
      auto id = core::add_agreement(w, fields);
      w.commit();
      auto a = core::get_agreement(db, id, today(ctx));
      if (ctx.format() == Format::json) {
        print_record(ctx, agreement_json(a), {}, Format::json);
        return;
      }
      if (ctx.quiet) {
        ctx.out() << id << '\n';
        return;
      }
      ctx.say(trf("Registered: agreement № {} «{}» ({}), id {}.", a.number, a.title, status_label(a.status), id));
      ctx.say(
          trf("Add the parties' obligations with 'setevoe agreement obligation {} --party ORG --text …', and "
              "attach the signed scan with 'setevoe agreement attach {} FILE'.",
              id.substr(0, 8), id.substr(0, 8)));
    };
  });

  // obligation
  struct ObligationArgs {
    std::string agreement, party, text;
  };
  auto ob = std::make_shared<ObligationArgs>();
  auto* obligation =
      agreement->add_subcommand("obligation", tr("add an obligation of one party (the node that registered it)"));
  add_agreement_arg(*obligation, ob->agreement);
  obligation->add_option("--party", ob->party, tr("the party that undertakes it: one of the agreement's orgs"))
      ->required()
      ->type_name("ORG");
  obligation->add_option("--text", ob->text, tr("what the party undertakes"))->required()->type_name("TEXT");
  obligation->callback([&ctx, &action, ob] {
    action = [&ctx, ob] {
      auto& db = ctx.db();
      auto id = agreement_ref(ctx, ob->agreement);
      core::Writer w(db);
      auto oid = core::add_obligation(w, id, ob->party, ob->text);
      w.commit();
      auto a = core::get_agreement(db, id, today(ctx));
      const core::Obligation* added = nullptr;
      for (const auto& o : a.obligations)
        if (o.id == oid) added = &o;
      if (ctx.format() == Format::json) {
        auto j = Json::object().set("id", oid).set("agreement", id);
        if (added) j.set("party", added->party_id).set("text", added->text);
        print_record(ctx, j, {}, Format::json);
        return;
      }
      ctx.say(trf("Obligation added: {}, under the agreement № {} «{}» (id {}).",
                  added ? party_name(added->party_id, added->party_name) : ob->party, a.number, a.title, oid));
    };
  });

  // edit
  auto edit_ref = std::make_shared<std::string>();
  auto edit_opts = std::make_shared<FieldOptions>();
  auto* edit = agreement->add_subcommand("edit", tr("change fields of an agreement (its node, or the hub)"));
  add_agreement_arg(*edit, *edit_ref);
  edit_opts->add_to(*edit, true);
  edit->callback([&ctx, &action, edit_ref, edit_opts] {
    action = [&ctx, edit_ref, edit_opts] {
      auto& db = ctx.db();
      auto id = agreement_ref(ctx, *edit_ref);
      auto fields = edit_opts->fields();
      core::Writer w(db);
      auto done = core::edit_agreement(w, id, fields);
      w.commit();
      auto a = core::get_agreement(db, id, today(ctx));
      if (ctx.format() == Format::json) {
        print_record(ctx, agreement_json(a), {}, Format::json);
        return;
      }
      ctx.say(done.changed ? trf("Changed: agreement № {} «{}» ({}).", a.number, a.title, id)
                           : tr("Nothing changed: the fields already have these values."));
      if (done.obligations_removed)
        ctx.say(trf("Obligations of the orgs that are no longer parties, removed: {}.", done.obligations_removed));
    };
  });

  setup_file_commands(
      *agreement, ctx, action,
      {"AGREEMENT", [](Context& c, const std::string& ref) { return agreement_ref(c, ref); }, k_ref_help});

  // terminate
  struct TerminateArgs {
    std::string agreement, date, reason;
  };
  auto term = std::make_shared<TerminateArgs>();
  auto* terminate =
      agreement->add_subcommand("terminate", tr("terminate an agreement as of a date, with a reason (its node, or "
                                                "the hub)"));
  add_agreement_arg(*terminate, term->agreement);
  terminate->add_option("--date", term->date, tr("the day it ends: YYYY-MM-DD or DD.MM.YYYY"))
      ->required()
      ->type_name("DATE");
  terminate->add_option("--reason", term->reason, tr("why: the parties read it"))->required()->type_name("TEXT");
  terminate->callback([&ctx, &action, term] {
    action = [&ctx, term] {
      auto& db = ctx.db();
      auto id = agreement_ref(ctx, term->agreement);
      core::Writer w(db);
      core::terminate_agreement(w, id, term->date, term->reason);
      w.commit();
      auto a = core::get_agreement(db, id, today(ctx));
      if (ctx.format() == Format::json) {
        print_record(ctx, agreement_json(a), {}, Format::json);
        return;
      }
      ctx.say(
          trf("Terminated as of {}: agreement № {} «{}» ({}). Every node receives the termination with the next "
              "bundles.",
              date_text(a.terminated_on), a.number, a.title, id));
    };
  });

  // list
  auto filter = std::make_shared<core::AgreementFilter>();
  auto* list = agreement->add_subcommand("list", tr("list the agreements, with filters"));
  list->add_option("--status", filter->status, tr("only this status: draft, active, expired or terminated"))
      ->type_name("AGREEMENT_STATUS");
  list->add_option("--party", filter->party, tr("only agreements this org is a party to"))->type_name("ORG");
  list->add_option("--expiring", filter->expiring,
                   tr("only agreements in force whose term ends within this many days: 30d, 30, 2w"))
      ->type_name("DAYS");
  list->callback([&ctx, &action, filter] {
    action = [&ctx, filter] { print_agreements(ctx, core::list_agreements(ctx.db(), *filter, today(ctx))); };
  });

  // show
  auto show_ref = std::make_shared<std::string>();
  auto* show =
      agreement->add_subcommand("show", tr("show one agreement: every field, the parties' obligations, the files"));
  add_agreement_arg(*show, *show_ref);
  show->callback(
      [&ctx, &action, show_ref] { action = [&ctx, show_ref] { show_agreement(ctx, agreement_ref(ctx, *show_ref)); }; });
}

}  // namespace setevoe::cli
