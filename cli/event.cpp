// setevoe event: the plan of educational events, registrations, what
// happened at them (attendance, results, certificates), and the plan as a
// table or an iCalendar file.
#include <fmt/format.h>

#include <memory>

#include "cli/app.hpp"
#include "cli/output.hpp"
#include "cli/thread.hpp"
#include "core/bundle.hpp"
#include "core/calendar.hpp"
#include "core/event.hpp"
#include "core/i18n.hpp"
#include "core/product.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"

namespace setevoe::cli {
namespace {

using core::tr;
using core::trf;
using util::Json;

std::string tz_of(Context& ctx) {
  return ctx.self().time_zone;
}

// "10.12.2026 14:00–16:00", or with the end's date when it ends another day.
std::string when_text(const core::Event& e, const std::string& tz) {
  auto start = util::local_datetime(e.starts_ms, tz);
  if (!e.ends_ms) return start;
  auto end = util::local_datetime(*e.ends_ms, tz);
  if (end.substr(0, 10) == start.substr(0, 10)) return start + "–" + end.substr(11);
  return start + " – " + end;
}

std::string directions_text(const core::Event& e) {
  std::string out;
  for (const auto& d : e.directions) out += (out.empty() ? "" : "; ") + d.name;
  return out;
}

std::string organiser_text(const core::Event& e) {
  if (e.organiser_name.empty() && !e.organiser_id.empty()) return trf("(not yet received: {})", e.organiser_id);
  return e.organiser_name;
}

Json event_json(const core::Event& e, const std::string& tz) {
  auto j = Json::object();
  j.set("id", e.id).set("type", e.type).set("title", e.title).set("description", e.description);
  j.set("starts_at", util::iso_utc(e.starts_ms)).set("ends_at", e.ends_ms ? Json(util::iso_utc(*e.ends_ms)) : Json());
  j.set("local", Json::object()
                     .set("time_zone", tz)
                     .set("start", util::local_datetime(e.starts_ms, tz))
                     .set("end", e.ends_ms ? Json(util::local_datetime(*e.ends_ms, tz)) : Json()));
  j.set("place", e.place).set("url", e.url);
  j.set("organiser", Json::object()
                         .set("id", e.organiser_id.empty() ? Json() : Json(e.organiser_id))
                         .set("name", e.organiser_name.empty() ? Json() : Json(e.organiser_name)));
  auto dirs = Json::array();
  for (const auto& d : e.directions) dirs.push(Json::object().set("code", d.code).set("name", d.name));
  j.set("directions", dirs);
  auto products = Json::array();
  for (const auto& p : e.product_ids) products.push(p);
  j.set("products", products);
  auto sections = Json::array();
  for (const auto& s : e.sections) sections.push(s);
  j.set("sections", sections);
  j.set("status", e.status).set("cancel_reason", e.cancel_reason).set("cancelled_at", e.cancelled_at);
  j.set("registrations", e.registrations).set("revision", e.revision);
  j.set("owner", e.owner).set("created_at", e.created_at).set("updated_at", e.updated_at);
  return j;
}

Json event_display(Context& ctx, const core::Event& e, std::size_t id_length) {
  auto tz = tz_of(ctx);
  auto j = Json::object();
  j.set("short_id", e.id.substr(0, id_length)).set("id", e.id);
  j.set("when", when_text(e, tz)).set("type", core::term_label(core::event_types(), e.type)).set("title", e.title);
  j.set("organiser", organiser_text(e)).set("where", e.place.empty() ? e.url : e.place);
  j.set("status", core::term_label(core::event_statuses(), e.status));
  j.set("registrations", e.registrations);
  return j;
}

Json event_csv(const core::Event& e, const std::string& tz) {
  std::string dirs;
  for (const auto& d : e.directions) dirs += (dirs.empty() ? "" : "; ") + d.code;
  return Json::object()
      .set("id", e.id)
      .set("type", e.type)
      .set("title", e.title)
      .set("start", util::local_datetime(e.starts_ms, tz))
      .set("end", e.ends_ms ? util::local_datetime(*e.ends_ms, tz) : std::string())
      .set("place", e.place)
      .set("url", e.url)
      .set("organiser", e.organiser_id)
      .set("organiser_name", e.organiser_name)
      .set("directions", dirs)
      .set("status", e.status)
      .set("registrations", e.registrations);
}

std::vector<Column> list_columns(Format f) {
  if (f == Format::csv)
    return key_columns({"id", "type", "title", "start", "end", "place", "url", "organiser", "organiser_name",
                        "directions", "status", "registrations"});
  return {{"short_id", tr("ID")},         {"when", tr("When")},   {"type", tr("Form")},    {"title", tr("Title")},
          {"organiser", tr("Organiser")}, {"where", tr("Where")}, {"status", tr("Status")}};
}

void print_events(Context& ctx, const std::vector<core::Event>& events) {
  auto f = ctx.format();
  auto tz = tz_of(ctx);
  auto len = core::short_id_length(ctx.db());
  std::vector<Json> records;
  records.reserve(events.size());
  for (const auto& e : events)
    records.push_back(f == Format::table ? event_display(ctx, e, len)
                      : f == Format::csv ? event_csv(e, tz)
                                         : event_json(e, tz));
  print_list(ctx, records, list_columns(f), f);
}

std::string place_text(const std::optional<std::int64_t>& place, const std::string& award) {
  std::string out = place ? trf("place {}", *place) : std::string();
  if (!award.empty()) out += (out.empty() ? "" : ", ") + award;
  return out;
}

Json participant_json(const core::Participant& p) {
  return Json::object()
      .set("person", p.person_id)
      .set("name", p.person_name.empty() ? Json() : Json(p.person_name))
      .set("role", p.role.empty() ? Json() : Json(p.role))
      .set("attended", p.attended)
      .set("place", p.place ? Json(*p.place) : Json())
      .set("award", p.award)
      .set("certificate", p.certificate.empty() ? Json() : Json(p.certificate));
}

void show_event(Context& ctx, const std::string& id) {
  auto& db = ctx.db();
  auto e = core::get_event(db, id);
  auto tz = tz_of(ctx);
  auto f = ctx.format();
  auto people = core::list_participants(db, id);
  if (f == Format::csv) {
    print_record(ctx, event_csv(e, tz), list_columns(f), f);
    return;
  }
  if (f == Format::json) {
    auto j = event_json(e, tz);
    auto list = Json::array();
    for (const auto& p : people) list.push(participant_json(p));
    j.set("participants", list);
    print_record(ctx, j, {}, f);
    return;
  }
  auto j = Json::object();
  j.set("id", e.id).set("type", core::term_label(core::event_types(), e.type)).set("title", e.title);
  j.set("when", when_text(e, tz) + " (" + tz + ")").set("place", e.place).set("url", e.url);
  j.set("organiser", organiser_text(e)).set("directions", directions_text(e));
  std::string sections;
  for (const auto& s : e.sections) sections += (sections.empty() ? "" : "; ") + s;
  j.set("sections", sections);
  std::string products;
  for (const auto& p : e.product_ids) {
    std::string title;
    try {
      title = core::get_product(db, p).title;
    } catch (const core::Error&) {
      title = trf("(not yet received: {})", p);
    }
    products += (products.empty() ? "" : "; ") + title;
  }
  j.set("products", products).set("description", e.description);
  auto status = core::term_label(core::event_statuses(), e.status);
  if (e.cancel_reason) status += " — " + trf("reason: {}", *e.cancel_reason);
  if (e.cancelled_at) status += " (" + local_time(*e.cancelled_at, tz) + ")";
  j.set("status", status);
  auto owner = core::node_name(db, e.owner);
  j.set("owner", owner ? fmt::format("{} ({})", *owner, e.owner) : e.owner);
  j.set("created_at", local_time(e.created_at, tz)).set("updated_at", local_time(e.updated_at, tz));
  print_record(ctx, j,
               {{"id", tr("ID")},
                {"type", tr("Form")},
                {"title", tr("Title")},
                {"when", tr("When")},
                {"place", tr("Place")},
                {"url", tr("Link")},
                {"organiser", tr("Organiser")},
                {"directions", tr("Directions")},
                {"sections", tr("Sections")},
                {"products", tr("Products")},
                {"description", tr("Description")},
                {"status", tr("Status")},
                {"owner", tr("Owner node")},
                {"created_at", tr("Created")},
                {"updated_at", tr("Changed")}},
               f);
  if (people.empty()) return;
  ctx.out() << '\n' << trf("Participants ({}):", people.size()) << '\n';
  for (const auto& p : people) {
    std::string line = "  " + (p.person_name.empty() ? p.person_id : p.person_name);
    if (!p.role.empty()) line += " — " + core::term_label(core::event_roles(), p.role);
    if (p.attended) line += std::string(", ") + tr("came");
    if (auto r = place_text(p.place, p.award); !r.empty()) line += ", " + r;
    if (!p.certificate.empty()) line += ", " + trf("certificate № {}", p.certificate);
    ctx.out() << line << '\n';
  }
}

// The options shared by add and edit.
struct FieldOptions {
  std::string type, title, description, start, end, place, url, organiser;
  std::vector<std::string> directions, products, sections;
  std::vector<std::pair<CLI::Option*, std::optional<std::string>* (*)(core::EventFields&)>> text;
  CLI::Option *dirs_opt = nullptr, *products_opt = nullptr, *sections_opt = nullptr;

  void add_to(CLI::App& cmd, bool editing) {
    auto opt = [&](const char* name, std::string& into, const char* help, const char* shown) {
      return cmd.add_option(name, into, tr(help))->type_name(shown);
    };
    auto* t = opt("--type", type,
                  N_("the form: seminar, webinar, web-conference, contest, master-class, workshop, discussion, "
                     "internet-conference"),
                  "TYPE");
    auto* ti = opt("--title", title, N_("the title (the theme)"), "TEXT");
    auto* st =
        opt("--start", start, N_("when it begins: \"10.12.2026 14:00\" or \"2026-12-10 14:00\", local time"), "TIME");
    auto* o = opt("--organiser", organiser, N_("the organisation that holds it"), "ORG");
    if (!editing) {
      t->required();
      ti->required();
      st->required();
      o->required();
    }
    auto* en =
        opt("--end", end,
            editing ? N_("when it ends, local time; \"\" removes the end") : N_("when it ends, local time"), "TIME");
    auto* pl = opt("--place", place, N_("where: the address or the room"), "TEXT");
    auto* ur = opt("--url", url, N_("the link to an online event (https://…)"), "URL");
    auto* de = opt("--description", description, N_("what it is about, for whom, the programme"), "TEXT");
    dirs_opt = cmd.add_option("--direction", directions, tr("a priority direction: code or name; repeat for several"))
                   ->type_name("DIRECTION")
                   ->expected(1, -1);
    products_opt = cmd.add_option("--product", products, tr("a product shown or discussed at it; repeat for several"))
                       ->type_name("PRODUCT")
                       ->expected(1, -1);
    sections_opt = cmd.add_option("--section", sections, tr("a section of an internet conference; repeat for several"))
                       ->type_name("TEXT")
                       ->expected(1, -1);
    text = {
        {t, [](core::EventFields& f) { return &f.type; }},   {ti, [](core::EventFields& f) { return &f.title; }},
        {st, [](core::EventFields& f) { return &f.start; }}, {o, [](core::EventFields& f) { return &f.organiser; }},
        {en, [](core::EventFields& f) { return &f.end; }},   {pl, [](core::EventFields& f) { return &f.place; }},
        {ur, [](core::EventFields& f) { return &f.url; }},   {de, [](core::EventFields& f) { return &f.description; }}};
  }

  core::EventFields fields() {
    core::EventFields f;
    std::string* values[] = {&type, &title, &start, &organiser, &end, &place, &url, &description};
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i].first->count()) *text[i].second(f) = *values[i];
    if (dirs_opt->count()) f.directions = directions;
    if (products_opt->count()) f.products = products;
    if (sections_opt->count()) f.sections = sections;
    return f;
  }
};

// The event named on the command line.
std::string event_ref(Context& ctx, const std::string& ref) {
  return core::resolve_event(ctx.db(), ref);
}

CLI::Option* add_event_arg(CLI::App& cmd, std::string& into) {
  return cmd.add_option("EVENT", into, tr("id prefix (4+ digits) or exact title"))->required()->type_name("EVENT");
}

// Printable certificates: one A4 page each, a self-contained HTML file.
std::string certificates_html(const core::Event& e, const std::vector<core::Certificate>& certs,
                              const std::string& tz) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      util::xml_escape(trf("Certificates: {}", e.title)) +
      "</title>\n<style>\n@page { size: A4 landscape; margin: 15mm; }\n"
      "body { font-family: 'Times New Roman', 'Liberation Serif', serif; margin: 0; }\n"
      ".c { page-break-after: always; border: 3px double #333; padding: 20mm; min-height: 140mm; text-align: "
      "center; }\n.c:last-child { page-break-after: auto; }\nh1 { font-size: 36pt; letter-spacing: 0.2em; margin: 0 0 "
      "4mm; }\n.k { font-size: 16pt; }\n.n { font-size: 26pt; font-weight: bold; margin: 8mm 0; }\n"
      ".t { font-size: 18pt; margin: 6mm 0; }\n.f { font-size: 11pt; margin-top: 14mm; text-align: left; }\n"
      "</style>\n</head>\n<body>\n";
  for (const auto& c : certs) {
    out += "<div class=\"c\">\n<h1>" + util::xml_escape(tr("CERTIFICATE")) + "</h1>\n";
    out += "<p class=\"k\">" + util::xml_escape(tr("of participation")) + "</p>\n";
    out += "<p class=\"n\">" + util::xml_escape(c.person_name) + "</p>\n";
    out += "<p class=\"k\">" +
           util::xml_escape(trf("took part in the {}", core::term_label(core::event_types(), e.type))) + "</p>\n";
    out += "<p class=\"t\">«" + util::xml_escape(c.event_title) + "»</p>\n";
    out += "<p class=\"k\">" + util::xml_escape(local_time(c.event_start, tz).substr(0, 10)) +
           (e.organiser_name.empty() ? std::string() : ", " + util::xml_escape(e.organiser_name)) + "</p>\n";
    if (auto r = place_text(c.place, c.award); !r.empty()) out += "<p class=\"t\">" + util::xml_escape(r) + "</p>\n";
    out += "<p class=\"f\">" +
           util::xml_escape(trf("№ {} of {}", c.number, local_time(c.issued_at, tz).substr(0, 10))) + "<br>" +
           util::xml_escape(trf("Verification code: {}", core::certificate_code_text(c.code))) + "<br>" +
           util::xml_escape(trf("Check it on any node of the network: setevoe event verify-certificate {}",
                                core::certificate_code_text(c.code))) +
           "</p>\n</div>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

Json certificate_json(const core::Certificate& c) {
  return Json::object()
      .set("id", c.id)
      .set("number", c.number)
      .set("code", core::certificate_code_text(c.code))
      .set("event", c.event_id)
      .set("event_title", c.event_title)
      .set("event_start", c.event_start)
      .set("person", c.person_id)
      .set("person_name", c.person_name)
      .set("place", c.place ? Json(*c.place) : Json())
      .set("award", c.award)
      .set("issued_at", c.issued_at)
      .set("issuer", c.owner);
}

}  // namespace

void setup_event(CLI::App& app, Context& ctx, std::function<void()>& action) {
  auto* event = &app;
  event->require_subcommand(1);

  // add
  auto add_opts = std::make_shared<FieldOptions>();
  auto* add = event->add_subcommand("add", tr("put an event in the plan (this node organises it)"));
  add_opts->add_to(*add, false);
  add->callback([&ctx, &action, add_opts] {
    action = [&ctx, add_opts] {
      auto& db = ctx.db();
      auto fields = add_opts->fields();
      auto tz = tz_of(ctx);
      core::Writer w(db);
      auto id = core::add_event(w, fields, tz);
      w.commit();
      if (ctx.format() == Format::json) {
        print_record(ctx, event_json(core::get_event(db, id), tz), {}, Format::json);
        return;
      }
      if (ctx.quiet) {
        ctx.out() << id << '\n';
        return;
      }
      auto e = core::get_event(db, id);
      ctx.say(trf("In the plan: «{}», {}, id {}. Register participants with 'setevoe event register {} PERSON'.",
                  e.title, when_text(e, tz), id, id.substr(0, 8)));
    };
  });

  // list
  struct ListArgs {
    core::EventFilter filter;
    PeriodOptions period;
    bool no_cancelled = false;
  };
  auto list_args = std::make_shared<ListArgs>();
  auto* list = event->add_subcommand("list", tr("list the plan in the order events happen, with filters"));
  list_args->period.add_to(*list);
  list->add_option("--type", list_args->filter.type, tr("only this form"))->type_name("TYPE");
  list->add_option("--org", list_args->filter.org, tr("only events this organisation holds"))->type_name("ORG");
  list->add_option("--direction", list_args->filter.direction, tr("only this direction"))->type_name("DIRECTION");
  list->add_flag("--no-cancelled", list_args->no_cancelled, tr("leave cancelled events out"));
  list->add_option("--limit", list_args->filter.limit, tr("at most this many"))->type_name("N");
  list->callback([&ctx, &action, list_args] {
    action = [&ctx, list_args] {
      auto filter = list_args->filter;
      list_args->period.apply(filter, today(ctx));
      filter.cancelled = !list_args->no_cancelled;
      print_events(ctx, core::list_events(ctx.db(), filter, tz_of(ctx)));
    };
  });

  // show
  auto show_ref = std::make_shared<std::string>();
  auto* show = event->add_subcommand("show", tr("show one event: every field and its participants"));
  add_event_arg(*show, *show_ref);
  show->callback(
      [&ctx, &action, show_ref] { action = [&ctx, show_ref] { show_event(ctx, event_ref(ctx, *show_ref)); }; });

  // edit
  auto edit_ref = std::make_shared<std::string>();
  auto edit_opts = std::make_shared<FieldOptions>();
  auto* edit = event->add_subcommand("edit", tr("change fields of an event (its node, or the hub)"));
  add_event_arg(*edit, *edit_ref);
  edit_opts->add_to(*edit, true);
  edit->callback([&ctx, &action, edit_ref, edit_opts] {
    action = [&ctx, edit_ref, edit_opts] {
      auto& db = ctx.db();
      auto id = event_ref(ctx, *edit_ref);
      auto fields = edit_opts->fields();
      auto tz = tz_of(ctx);
      core::Writer w(db);
      bool changed = core::edit_event(w, id, fields, tz);
      w.commit();
      if (ctx.format() == Format::json) {
        print_record(ctx, event_json(core::get_event(db, id), tz), {}, Format::json);
        return;
      }
      ctx.say(changed ? trf("Changed: «{}» ({})", core::get_event(db, id).title, id)
                      : tr("Nothing changed: the fields already have these values."));
    };
  });

  // cancel
  auto cancel_ref = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  auto* cancel = event->add_subcommand("cancel", tr("cancel an event with a reason; it stays in the plan, marked"));
  add_event_arg(*cancel, *cancel_ref);
  cancel->add_option("--reason", *reason, tr("why: the participants read it"))->required()->type_name("TEXT");
  cancel->callback([&ctx, &action, cancel_ref, reason] {
    action = [&ctx, cancel_ref, reason] {
      auto& db = ctx.db();
      auto id = event_ref(ctx, *cancel_ref);
      core::Writer w(db);
      core::cancel_event(w, id, *reason);
      w.commit();
      auto e = core::get_event(db, id);
      if (ctx.format() == Format::json) {
        print_record(ctx, event_json(e, tz_of(ctx)), {}, Format::json);
        return;
      }
      ctx.say(trf("Cancelled: «{}» ({}). Every node receives the cancellation with the next bundles.", e.title, id));
    };
  });

  // register
  struct RegisterArgs {
    std::string event, person, role = "participant";
  };
  auto reg = std::make_shared<RegisterArgs>();
  auto* regc = event->add_subcommand("register", tr("register a person for an event"));
  add_event_arg(*regc, reg->event);
  regc->add_option("PERSON", reg->person, tr("the person: id prefix or exact name"))->required()->type_name("PERSON");
  regc->add_option("--role", reg->role, tr("participant (default), speaker, jury or organiser"))->type_name("ROLE");
  regc->callback([&ctx, &action, reg] {
    action = [&ctx, reg] {
      auto& db = ctx.db();
      auto id = event_ref(ctx, reg->event);
      core::Writer w(db);
      auto rid = core::register_for_event(w, id, reg->person, reg->role);
      w.commit();
      auto e = core::get_event(db, id);
      if (ctx.format() == Format::json) {
        print_record(ctx,
                     Json::object().set("registration", rid).set("event", id).set("registrations", e.registrations), {},
                     Format::json);
        return;
      }
      ctx.say(trf("Registered: {} for «{}» ({} registered).", reg->person, e.title, e.registrations));
    };
  });

  // unregister
  auto unreg = std::make_shared<RegisterArgs>();
  auto* unregc = event->add_subcommand("unregister", tr("take back a registration this node made"));
  add_event_arg(*unregc, unreg->event);
  unregc->add_option("PERSON", unreg->person, tr("the person: id prefix or exact name"))
      ->required()
      ->type_name("PERSON");
  unregc->callback([&ctx, &action, unreg] {
    action = [&ctx, unreg] {
      auto& db = ctx.db();
      auto id = event_ref(ctx, unreg->event);
      core::Writer w(db);
      core::unregister_from_event(w, id, unreg->person);
      w.commit();
      auto e = core::get_event(db, id);
      ctx.say(trf("Registration taken back: {}, «{}» ({} registered).", unreg->person, e.title, e.registrations));
    };
  });

  // attend
  struct AttendArgs {
    std::string event;
    std::vector<std::string> people;
    bool absent = false;
  };
  auto att = std::make_shared<AttendArgs>();
  auto* attend = event->add_subcommand("attend", tr("mark who came to an event (the organising node)"));
  add_event_arg(*attend, att->event);
  attend->add_option("PERSON", att->people, tr("people who came: id prefixes or exact names"))
      ->required()
      ->type_name("PERSON")
      ->expected(1, -1);
  attend->add_flag("--absent", att->absent, tr("mark them as not having come (a correction)"));
  attend->callback([&ctx, &action, att] {
    action = [&ctx, att] {
      auto& db = ctx.db();
      auto id = event_ref(ctx, att->event);
      std::vector<std::string> registered;
      core::Writer w(db);
      auto changed = core::mark_attendance(w, id, att->people, !att->absent, &registered);
      w.commit();
      auto people = core::list_participants(db, id);
      auto came = std::count_if(people.begin(), people.end(), [](const core::Participant& p) { return p.attended; });
      if (ctx.format() == Format::json) {
        auto marks = Json::array();
        for (const auto& p : people) marks.push(participant_json(p));
        print_record(ctx,
                     Json::object()
                         .set("event", id)
                         .set("changed", static_cast<std::int64_t>(changed))
                         .set("participants", marks),
                     {}, Format::json);
        return;
      }
      ctx.say(trf("Marks changed: {}; came: {} of {}.", changed, came, people.size()));
      if (!registered.empty()) ctx.say(trf("Registered as participants, since they were not: {}.", registered.size()));
    };
  });

  // result
  struct ResultArgs {
    std::string event, person, award;
    std::int64_t place = 0;
  };
  auto res = std::make_shared<ResultArgs>();
  auto* result = event->add_subcommand("result", tr("record a contest's result for a person: a place or an award"));
  add_event_arg(*result, res->event);
  result->add_option("PERSON", res->person, tr("the person: id prefix or exact name"))->required()->type_name("PERSON");
  auto* place_opt = result->add_option("--place", res->place, tr("the place: 1, 2 or 3"))->type_name("1-3");
  auto* award_opt =
      result->add_option("--award", res->award, tr("an award in words: «Гран-при», «Лауреат»"))->type_name("TEXT");
  result->callback([&ctx, &action, res, place_opt, award_opt] {
    action = [&ctx, res, place_opt, award_opt] {
      auto& db = ctx.db();
      auto id = event_ref(ctx, res->event);
      std::optional<std::int64_t> place;
      std::optional<std::string> award;
      if (place_opt->count()) place = res->place;
      if (award_opt->count()) award = res->award;
      core::Writer w(db);
      core::record_result(w, id, res->person, place, award);
      w.commit();
      auto e = core::get_event(db, id);
      if (ctx.format() == Format::json) {
        auto marks = Json::array();
        for (const auto& p : core::list_participants(db, id)) marks.push(participant_json(p));
        print_record(ctx, Json::object().set("event", id).set("participants", marks), {}, Format::json);
        return;
      }
      ctx.say(trf("Result recorded: {}, «{}»: {}.", res->person, e.title, place_text(place, award.value_or(""))));
    };
  });

  // certificate
  struct CertArgs {
    std::string event, person, output;
  };
  auto cert = std::make_shared<CertArgs>();
  auto* certificate = event->add_subcommand(
      "certificate",
      tr("issue numbered, signed certificates of participation to those who came (the organising node)"));
  add_event_arg(*certificate, cert->event);
  auto* cert_person =
      certificate->add_option("PERSON", cert->person, tr("only this person; default: everyone who came"))
          ->type_name("PERSON");
  certificate->add_option("-o,--output", cert->output, tr("write them for printing to this HTML file (one page each)"))
      ->type_name("FILE");
  certificate->callback([&ctx, &action, cert, cert_person] {
    action = [&ctx, cert, cert_person] {
      auto& db = ctx.db();
      auto id = event_ref(ctx, cert->event);
      std::optional<std::string> person;
      if (cert_person->count()) person = cert->person;
      auto key = core::load_secret_key(ctx.db_path());
      core::Writer w(db);
      auto certs = core::issue_certificates(w, id, person, key);
      std::fill(key.begin(), key.end(), '\0');
      w.commit();
      // Issued first: writing the file again later gives the same certificates.
      if (!cert->output.empty())
        write_output(ctx, cert->output, certificates_html(core::get_event(db, id), certs, tz_of(ctx)));
      if (cert->output == "-") return;  // the HTML went to standard output
      auto f = ctx.format();
      std::vector<Json> records;
      for (const auto& c : certs) records.push_back(certificate_json(c).set("result", place_text(c.place, c.award)));
      print_list(ctx, records,
                 f == Format::table ? std::vector<Column>{{"number", tr("Number")},
                                                          {"code", tr("Code")},
                                                          {"person_name", tr("Person")},
                                                          {"result", tr("Result")}}
                                    : key_columns({"number", "code", "person_name", "place", "award"}),
                 f);
      if (!cert->output.empty() && f == Format::table) ctx.say(trf("Written for printing: {}", cert->output));
    };
  });

  // verify-certificate
  auto code = std::make_shared<std::string>();
  auto* verify = event->add_subcommand("verify-certificate",
                                       tr("check a certificate by its code, offline, with the issuer's signature"));
  verify->add_option("CODE", *code, tr("the code printed on it: XXXX-XXXX-XXXX-XXXX"))->required()->type_name("CODE");
  verify->callback([&ctx, &action, code] {
    action = [&ctx, code] {
      auto check = core::verify_certificate(ctx.db(), *code);
      const auto& c = check.certificate;
      auto tz = tz_of(ctx);
      if (ctx.format() == Format::json) {
        auto j = certificate_json(c);
        j.set("valid", check.valid).set("problem", check.problem.empty() ? Json() : Json(check.problem));
        j.set("issuer_name", check.issuer);
        print_record(ctx, j, {}, Format::json);
      } else {
        auto j = Json::object()
                     .set("number", c.number)
                     .set("person", c.person_name)
                     .set("event", "«" + c.event_title + "», " + local_time(c.event_start, tz).substr(0, 10))
                     .set("result", place_text(c.place, c.award))
                     .set("issuer", check.issuer)
                     .set("issued_at", local_time(c.issued_at, tz));
        if (check.valid) ctx.out() << tr("The certificate is genuine: its signature holds.") << '\n';
        print_record(ctx, j,
                     {{"number", tr("Number")},
                      {"person", tr("Person")},
                      {"event", tr("Event")},
                      {"result", tr("Result")},
                      {"issuer", tr("Issued by")},
                      {"issued_at", tr("Issued")}},
                     Format::table);
      }
      if (!check.valid)
        throw core::Error(core::ErrorKind::bad_data, trf("the certificate is NOT genuine: {}", check.problem));
    };
  });

  // plan
  struct PlanArgs {
    PeriodOptions period;
    bool cancelled = false;
  };
  auto plan_args = std::make_shared<PlanArgs>();
  auto* plan = event->add_subcommand("plan", tr("the plan of educational events for a month, a quarter or a year"));
  plan_args->period.add_to(*plan);
  plan->add_flag("--cancelled", plan_args->cancelled, tr("show cancelled events too, marked"));
  plan->callback([&ctx, &action, plan_args] {
    action = [&ctx, plan_args] {
      core::EventFilter filter;
      if (!plan_args->period.apply(filter, today(ctx)))
        throw core::Error(core::ErrorKind::usage,
                          tr("say which plan: --month 2026-12, --quarter 2026Q4, --year 2027, or --from and --to."));
      filter.cancelled = plan_args->cancelled;
      auto tz = tz_of(ctx);
      auto f = ctx.format();
      if (f != Format::table) {
        print_events(ctx, core::list_events(ctx.db(), filter, tz));
        return;
      }
      auto day = [](const std::optional<std::string>& d) { return d ? date_text(*d) : std::string("…"); };
      // Straight into the table's cells: a year's plan is tens of thousands of rows.
      filter.detail = core::EventDetail::plan;
      Table table({tr("№"), tr("Date"), tr("Time"), tr("Form"), tr("Title"), tr("Organiser"), tr("Where")});
      std::map<std::string, std::string, std::less<>> types;
      auto cancelled = " (" + core::term_label(core::event_statuses(), "cancelled") + ")";
      std::size_t n = 0;
      core::each_event(ctx.db(), filter, tz, [&](const core::Event& e) {
        auto when = when_text(e, tz);
        auto type = types.find(e.type);
        if (type == types.end()) type = types.emplace(e.type, core::term_label(core::event_types(), e.type)).first;
        table.add(std::to_string(++n)).add(std::string_view(when).substr(0, 10)).add(std::string_view(when).substr(11));
        table.add(type->second);
        if (e.status == "cancelled")
          table.add(e.title + cancelled);
        else
          table.add(e.title);
        table.add(organiser_text(e)).add(e.place.empty() ? e.url : e.place);
      });
      ctx.out() << trf("The plan of educational events, {} – {}", day(filter.from), day(filter.to)) << "\n\n";
      if (n == 0) {
        ctx.say(tr("No events in this period."));
        return;
      }
      print_table(ctx, table);
    };
  });

  setup_thread_commands(*event, ctx, action,
                        {"event", "EVENT", [](Context& c, const std::string& ref) { return event_ref(c, ref); }, true});

  // ics
  struct IcsArgs {
    PeriodOptions period;
    std::string output = "-";
  };
  auto ics_args = std::make_shared<IcsArgs>();
  auto* ics = event->add_subcommand("ics", tr("the plan as an iCalendar file for calendar programs and phones"));
  ics_args->period.add_to(*ics);
  ics->add_option("-o,--output", ics_args->output, tr("write to this file (default: standard output)"))
      ->type_name("FILE");
  ics->callback([&ctx, &action, ics_args] {
    action = [&ctx, ics_args] {
      core::EventFilter filter;
      ics_args->period.apply(filter, today(ctx));
      filter.detail = core::EventDetail::uncounted;
      auto tz = tz_of(ctx);
      core::CalendarWriter calendar(tz, tr("The plan of educational events of the network"));
      std::size_t n = 0;
      core::each_event(ctx.db(), filter, tz, [&](const core::Event& e) {
        calendar.add(e);
        ++n;
      });
      write_output(ctx, ics_args->output, [&](std::ostream& out) { calendar.write(out); });
      if (ics_args->output != "-") ctx.say(trf("Events written: {}, to {}", n, ics_args->output));
    };
  });
}

}  // namespace setevoe::cli
