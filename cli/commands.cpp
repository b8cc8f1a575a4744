// The hidden command "__complete" that feeds the shell completions
// (completions/) and the tests: the binary itself says which commands,
// options and values there are, so completions cannot drift from the code.
//
//   setevoe __complete --commands        every command path, one per line
//   setevoe __complete -- WORD... CUR    candidates for CUR after WORD...,
//                                        one per line: "value<TAB>description";
//                                        "__files__" asks the shell for file names
#include <fmt/format.h>

#include <iostream>

#include "cli/app.hpp"
#include "cli/output.hpp"
#include "core/agreement.hpp"
#include "core/consult.hpp"
#include "core/event.hpp"
#include "core/i18n.hpp"
#include "core/member.hpp"
#include "core/product.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::cli {
namespace {

using core::tr;

void list_paths(CLI::App& app, const std::string& prefix, std::ostream& out) {
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;
    auto path = prefix.empty() ? sub->get_name() : prefix + " " + sub->get_name();
    out << path << '\n';
    list_paths(*sub, path, out);
  }
}

const CLI::Option* find_option(CLI::App* app, const std::string& word) {
  for (CLI::App* a = app; a; a = a->get_parent())
    for (const auto* o : a->get_options())
      if (!o->get_lnames().empty() || !o->get_snames().empty())
        if (o->check_name(word)) return o;
  return nullptr;
}

struct Candidates {
  std::string current;
  std::ostream& out;
  void add(const std::string& value, const std::string& description = {}) {
    if (value.rfind(current, 0) != 0) return;
    out << value;
    if (!description.empty()) {
      auto d = description;
      for (auto& c : d)
        if (c == '\t' || c == '\n') c = ' ';
      out << '\t' << d;
    }
    out << '\n';
  }
};

void values_for(const std::string& type_name, const CLI::App* app, Context& ctx, Candidates& c) {
  // A validator adds its choices to the type name: "FORMAT:{table,json,csv}".
  auto type = type_name.substr(0, type_name.find(':'));
  // The catalogue's STATUS is not the registry's; an event's TYPE and ROLE
  // are not a product's or a group's.
  bool in_product = false, in_event = false, in_consult = false, in_report = false;
  for (const auto* a = app; a; a = a->get_parent()) {
    in_report = in_report || a->get_name() == "report";
    in_product = in_product || a->get_name() == "product";
    in_event = in_event || a->get_name() == "event";
    in_consult = in_consult || a->get_name() == "consult";
  }
  auto terms = [&](const std::vector<core::Term>& list) {
    for (const auto& t : list) c.add(t.code, tr(t.label));
  };
  if (type == "KIND" || type == "ORGKIND") {
    terms(core::org_kinds());
    if (type == "KIND") {  // member list --kind takes these too
      c.add("org", tr("organisation"));
      c.add("person", tr("person"));
    }
  } else if (type == "AGREEMENT_KIND") {
    terms(core::agreement_kinds());
  } else if (type == "AGREEMENT_STATUS") {
    terms(core::agreement_statuses());
  } else if (type == "DAYS") {
    for (const char* d : {"7d", "30d", "60d", "90d"}) c.add(d);
  } else if (type == "STATUS" && in_consult) {
    terms(core::question_statuses());
  } else if (type == "STATUS" && in_product) {
    terms(core::product_statuses());
    c.add("all", tr("every status, archived too"));
  } else if (type == "STATUS") {
    terms(core::member_statuses());
  } else if (type == "TYPE" && in_event) {
    terms(core::event_types());
  } else if (type == "TYPE") {
    terms(core::product_types());
  } else if (type == "LICENCE") {
    terms(core::licences());
  } else if (type == "LEVEL") {
    terms(core::education_levels());
  } else if (type == "LANG") {
    terms(core::languages());
  } else if (type == "ROLE" && in_event) {
    terms(core::event_roles());
  } else if (type == "ROLE") {
    terms(core::group_roles());
  } else if (type == "1-3") {
    for (const char* p : {"1", "2", "3"}) c.add(p);
  } else if (type == "FORMAT" && in_report) {
    for (const char* f : {"table", "json", "csv", "md", "html", "docx", "odt", "xlsx"}) c.add(f);
  } else if (type == "FORMAT") {
    for (const char* f : {"table", "json", "csv"}) c.add(f);
  } else if (type == "LANGUAGE") {
    c.add("ru", tr("Russian"));
    c.add("en", tr("English"));
  } else if (type == "FILE" || type == "PATH") {
    c.out << "__files__\n";
  } else if (type == "ZONE") {
    c.add("Europe/Moscow");
  } else if (type == "DIRECTION" || type == "ORG" || type == "GROUP" || type == "PERSON" || type == "MEMBER" ||
             type == "SUBJECT" || type == "PRODUCT" || type == "EVENT" || type == "QUESTION" || type == "AGREEMENT") {
    // Ids come from the database; completion must never fail loudly.
    try {
      auto& db = ctx.db();
      if (type == "SUBJECT") {
        for (const auto& s : core::product_subjects(db)) c.add(s);
        return;
      }
      if (type == "PRODUCT") {
        // The newest products whose id begins with what is typed: a
        // catalogue of 200,000 is not listed whole on each Tab.
        auto prefix = util::canonical_id_prefix(c.current);
        if (!prefix && !c.current.empty()) return;
        for (const auto& p : core::product_ids_by_prefix(db, prefix.value_or(""), 50)) c.add(p.first, p.second);
        return;
      }
      if (type == "AGREEMENT") {
        auto today = cli::today(ctx);
        auto prefix = util::canonical_id_prefix(c.current);
        for (const auto& a : core::list_agreements(db, core::AgreementFilter{}, today))
          if (!prefix || a.id.rfind(*prefix, 0) == 0) c.add(a.id, "№ " + a.number + " " + a.title);
        return;
      }
      if (type == "QUESTION") {
        // Those still waiting first: what the hub assigns and experts answer.
        core::QuestionFilter f;
        f.limit = 200;
        auto today = cli::today(ctx);
        auto prefix = util::canonical_id_prefix(c.current);
        for (const auto& q : core::list_questions(db, f, today))
          if (q.status != "closed" && (!prefix || q.id.rfind(*prefix, 0) == 0)) c.add(q.id, q.title);
        return;
      }
      if (type == "EVENT") {
        // The plan from a month ago on, nearest first: what people mark,
        // register for and edit.
        core::EventFilter f;
        f.from = util::add_days(util::iso_utc(util::system_clock_ms()).substr(0, 10), -31);
        f.limit = 50;
        auto prefix = util::canonical_id_prefix(c.current);
        for (const auto& e : core::list_events(db, f, ctx.self().time_zone))
          if (!prefix || e.id.rfind(*prefix, 0) == 0) c.add(e.id, e.title);
        return;
      }
      if (type == "DIRECTION") {
        for (const auto& d : core::list_directions(db)) c.add(d.code, d.name);
        return;
      }
      core::MemberFilter f;
      if (type == "PERSON") f.kind = "person";
      if (type == "ORG" || type == "GROUP") f.kind = "org";
      for (const auto& m : core::list_members(db, f)) {
        if (type == "GROUP" && !core::is_group_kind(m.kind)) continue;
        c.add(m.id, m.name);
      }
    } catch (const std::exception&) {
    }
  }
}

void complete(Context& ctx, const std::vector<std::string>& words) {
  std::function<void()> ignored;
  auto app = make_app(ctx, ignored);
  Candidates c{words.empty() ? std::string() : words.back(), ctx.out()};
  CLI::App* current = app.get();
  std::size_t positionals = 0;
  const CLI::Option* pending = nullptr;  // an option waiting for its value
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const auto& w = words[i];
    if (pending) {
      if (pending->get_lnames() == std::vector<std::string>{"db"}) ctx.db_flag = w;
      pending = nullptr;
      continue;
    }
    if (w.rfind("-", 0) == 0) {
      auto eq = w.find('=');
      auto* o = find_option(current, w.substr(0, eq));
      if (o && o->get_items_expected_min() > 0) {
        if (eq == std::string::npos)
          pending = o;
        else if (o->get_lnames() == std::vector<std::string>{"db"})
          ctx.db_flag = w.substr(eq + 1);
      }
      continue;
    }
    CLI::App* next = nullptr;
    for (auto* s : current->get_subcommands([](CLI::App*) { return true; }))
      if (s->check_name(w)) next = s;
    if (next) {
      current = next;
      positionals = 0;
    } else {
      ++positionals;
    }
  }
  if (pending) {
    values_for(pending->get_type_name(), current, ctx, c);
    return;
  }
  if (c.current.rfind("-", 0) == 0) {
    // The command's own options, then the global ones (--help and --version
    // only once, at the top).
    for (CLI::App* a = current; a; a = a->get_parent())
      for (const auto* o : a->get_options()) {
        bool top = a->get_parent() == nullptr;
        for (const auto& l : o->get_lnames())
          if ((l != "help" && l != "version") || top) c.add("--" + l, o->get_description());
      }
    return;
  }
  for (auto* s : current->get_subcommands([](CLI::App*) { return true; }))
    if (!s->get_group().empty()) c.add(s->get_name(), s->get_description());
  std::size_t seen = 0;
  for (const auto* o : current->get_options()) {
    if (!o->get_lnames().empty() || !o->get_snames().empty() || o->get_positional() == false) continue;
    if (seen++ == positionals) {
      values_for(o->get_type_name(), current, ctx, c);
      break;
    }
  }
}

}  // namespace

void run_complete(Context& ctx, std::vector<std::string> args) {
  if (!args.empty() && args.front() == "--commands") {
    std::function<void()> ignored;
    auto tree = make_app(ctx, ignored);
    list_paths(*tree, "", ctx.out());
    return;
  }
  if (!args.empty() && args.front() == "--") args.erase(args.begin());
  complete(ctx, args);
}

}  // namespace setevoe::cli
