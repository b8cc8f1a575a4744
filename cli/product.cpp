// setevoe product: the catalogue of methodological products, its moderation,
// reviews and search.
#include <fmt/format.h>

#include <memory>

#include "cli/app.hpp"
#include "cli/files.hpp"
#include "cli/output.hpp"
#include "cli/product.hpp"
#include "cli/thread.hpp"
#include "core/i18n.hpp"
#include "core/product.hpp"
#include "core/search/index.hpp"

namespace setevoe::cli {
namespace {

using core::tr;
using core::trf;
using util::Json;

std::string authors_text(const core::Product& p) {
  std::string out;
  for (const auto& a : p.authors) {
    if (!out.empty()) out += ", ";
    out += a.name.empty() ? trf("(not yet received: {})", a.person_id) : a.name;
    if (a.role != "author") out += " (" + core::term_label(core::author_roles(), a.role) + ")";
  }
  return out;
}

std::string rating_text(const core::Rating& r) {
  if (r.count == 0) return {};
  // "4.5 of 5", «4,5 из 5»: the decimal mark is the message's.
  auto tenths = static_cast<std::int64_t>(r.mean * 10 + 0.5);
  return trf("{}.{} of 5 (reviews: {})", tenths / 10, tenths % 10, r.count);
}

}  // namespace

Json product_json(Context& ctx, const core::Product& p, bool with_files) {
  auto j = Json::object();
  j.set("id", p.id).set("type", p.type).set("title", p.title).set("status", p.status);
  auto authors = Json::array();
  for (const auto& a : p.authors)
    authors.push(
        Json::object().set("id", a.person_id).set("name", a.name.empty() ? Json() : Json(a.name)).set("role", a.role));
  j.set("authors", authors);
  j.set("org", Json::object()
                   .set("id", p.org_id.empty() ? Json() : Json(p.org_id))
                   .set("name", p.org_name.empty() ? Json() : Json(p.org_name)));
  auto dirs = Json::array();
  for (const auto& d : p.directions) dirs.push(Json::object().set("code", d.code).set("name", d.name));
  j.set("directions", dirs);
  j.set("subject", p.subject);
  auto levels = Json::array();
  for (const auto& l : p.levels) levels.push(l);
  j.set("levels", levels);
  j.set("grades", p.grade_from ? Json(Json::object().set("from", *p.grade_from).set("to", *p.grade_to)) : Json());
  j.set("language", p.language).set("keywords", p.keywords).set("licence", p.licence);
  j.set("pupils", p.pupils).set("consent", p.consent.empty() ? Json() : Json(p.consent));
  j.set("annotation", p.annotation);
  if (with_files) j.set("files", files_json(ctx, p.id));
  j.set("rating", Json::object()
                      .set("mean", p.rating.count ? Json(fmt::format("{:.2f}", p.rating.mean)) : Json())
                      .set("count", p.rating.count));
  j.set("submitted_at", p.submitted_at);
  j.set("moderation", Json::object()
                          .set("moderator", p.moderator_id)
                          .set("moderator_name", p.moderator_name.empty() ? Json() : Json(p.moderator_name))
                          .set("at", p.moderated_at)
                          .set("reason", p.reason));
  j.set("published_at", p.published_at);
  j.set("owner", p.owner).set("created_at", p.created_at).set("updated_at", p.updated_at);
  return j;
}

Json product_display(Context& ctx, const core::Product& p, std::size_t id_length, bool full) {
  auto tz = ctx.self().time_zone;
  auto j = Json::object();
  j.set("short_id", p.id.substr(0, id_length)).set("id", p.id);
  j.set("type", core::term_label(core::product_types(), p.type)).set("title", p.title);
  j.set("status", core::term_label(core::product_statuses(), p.status));
  j.set("authors", authors_text(p));
  j.set("org", p.org_name.empty() && !p.org_id.empty() ? trf("(not yet received: {})", p.org_id) : p.org_name);
  std::string dirs;
  for (const auto& d : p.directions) dirs += (dirs.empty() ? "" : "; ") + d.name;
  j.set("directions", dirs).set("subject", p.subject);
  std::string levels;
  for (const auto& l : p.levels) levels += (levels.empty() ? "" : ", ") + core::term_label(core::education_levels(), l);
  j.set("levels", levels).set("grades", core::grades_text(p.grade_from, p.grade_to));
  j.set("rating", rating_text(p.rating));
  if (!full) return j;
  j.set("language", core::term_label(core::languages(), p.language));
  j.set("keywords", p.keywords).set("licence", core::term_label(core::licences(), p.licence));
  if (p.pupils)
    j.set("pupils", p.consent.empty() ? tr("pupils appear in it; the parents' consent is not recorded yet")
                                      : trf("pupils appear in it; parents' consent: {}", p.consent));
  j.set("annotation", p.annotation);
  j.set("files", files_line(ctx, p.id));
  if (p.moderated_at) {
    auto who = p.moderator_name.empty() ? tr("the district hub") : p.moderator_name;
    j.set("moderation", trf("{}, {}", who, local_time(*p.moderated_at, tz)) +
                            (p.reason ? " — " + trf("reason: {}", *p.reason) : std::string()));
  }
  if (p.submitted_at) j.set("submitted_at", local_time(*p.submitted_at, tz));
  if (p.published_at) j.set("published_at", local_time(*p.published_at, tz));
  auto owner = core::node_name(ctx.db(), p.owner);
  j.set("owner", owner ? fmt::format("{} ({})", *owner, p.owner) : p.owner);
  j.set("created_at", local_time(p.created_at, tz)).set("updated_at", local_time(p.updated_at, tz));
  return j;
}

std::vector<Column> product_list_columns(Format f) {
  if (f == Format::csv)
    return key_columns({"id", "type", "title", "status", "org", "org_name", "authors", "directions", "subject",
                        "levels", "grades", "licence", "rating", "reviews", "created_at"});
  return {{"short_id", tr("ID")},      {"type", tr("Type")},     {"title", tr("Title")},
          {"org", tr("Organisation")}, {"status", tr("Status")}, {"rating", tr("Rating")}};
}

// A flat record for CSV: lists joined, codes rather than labels.
Json product_csv(const core::Product& p) {
  std::string authors, dirs, levels;
  for (const auto& a : p.authors) authors += (authors.empty() ? "" : "; ") + (a.name.empty() ? a.person_id : a.name);
  for (const auto& d : p.directions) dirs += (dirs.empty() ? "" : "; ") + d.code;
  for (const auto& l : p.levels) levels += (levels.empty() ? "" : "; ") + l;
  return Json::object()
      .set("id", p.id)
      .set("type", p.type)
      .set("title", p.title)
      .set("status", p.status)
      .set("org", p.org_id)
      .set("org_name", p.org_name)
      .set("authors", authors)
      .set("directions", dirs)
      .set("subject", p.subject)
      .set("levels", levels)
      .set("grades", core::grades_text(p.grade_from, p.grade_to))
      .set("licence", p.licence)
      .set("rating", p.rating.count ? Json(fmt::format("{:.2f}", p.rating.mean)) : Json())
      .set("reviews", p.rating.count)
      .set("created_at", p.created_at);
}

namespace {

std::vector<Column> show_columns() {
  return {{"id", tr("ID")},
          {"type", tr("Type")},
          {"title", tr("Title")},
          {"status", tr("Status")},
          {"authors", tr("Authors")},
          {"org", tr("Organisation")},
          {"directions", tr("Directions")},
          {"subject", tr("Subject")},
          {"levels", tr("Level")},
          {"grades", tr("Grades")},
          {"language", tr("Language")},
          {"keywords", tr("Keywords")},
          {"licence", tr("Licence")},
          {"pupils", tr("Pupils")},
          {"annotation", tr("Annotation")},
          {"files", tr("Files")},
          {"rating", tr("Rating")},
          {"submitted_at", tr("Submitted")},
          {"moderation", tr("Moderation")},
          {"published_at", tr("Published")},
          {"owner", tr("Owner node")},
          {"created_at", tr("Created")},
          {"updated_at", tr("Changed")}};
}

void show_product(Context& ctx, const std::string& id) {
  auto& db = ctx.db();
  auto p = core::get_product(db, id);
  auto f = ctx.format();
  if (f == Format::csv) {
    print_record(ctx, product_csv(p), product_list_columns(f), f);
    return;
  }
  if (f == Format::json) {
    auto j = product_json(ctx, p, true);
    auto reviews = Json::array();
    for (const auto& r : core::list_reviews(db, id)) {
      auto criteria = Json::object();
      for (const auto& [name, score] : r.criteria) criteria.set(name, score);
      reviews.push(Json::object()
                       .set("person", r.person_id)
                       .set("name", r.person_name.empty() ? Json() : Json(r.person_name))
                       .set("score", r.score)
                       .set("criteria", criteria)
                       .set("comment", r.comment)
                       .set("at", r.reviewed_at));
    }
    j.set("reviews", reviews);
    print_record(ctx, j, {}, f);
    return;
  }
  print_record(ctx, product_display(ctx, p, 36, true), show_columns(), f);
  auto reviews = core::list_reviews(db, id);
  if (reviews.empty()) return;
  ctx.out() << '\n' << tr("Reviews:") << '\n';
  for (const auto& r : reviews) {
    std::string criteria;
    for (const auto& [name, score] : r.criteria)
      criteria += (criteria.empty() ? "" : ", ") + fmt::format("{} {}", name, score);
    ctx.out() << "  " << (r.person_name.empty() ? r.person_id : r.person_name) << " — " << r.score << "/5"
              << (criteria.empty() ? "" : " (" + criteria + ")") << ", "
              << local_time(r.reviewed_at, ctx.self().time_zone) << '\n';
    if (!r.comment.empty()) ctx.out() << "    " << r.comment << '\n';
  }
}

// The options shared by add and edit.
struct FieldOptions {
  std::string type, title, annotation, subject, grades, language, keywords, licence, consent, org;
  std::vector<std::string> authors, co_authors, directions, levels;
  bool pupils = false, no_pupils = false;
  std::vector<std::pair<CLI::Option*, std::optional<std::string>* (*)(core::ProductFields&)>> text;
  CLI::Option *authors_opt = nullptr, *co_opt = nullptr, *dirs_opt = nullptr, *levels_opt = nullptr;

  void add_to(CLI::App& cmd, bool editing) {
    auto opt = [&](const char* name, std::string& into, const char* help, const char* shown) {
      return cmd.add_option(name, into, tr(help))->type_name(shown);
    };
    auto* t = opt("--type", type,
                  N_("the product type (see setevoe-product(1)): recommendations, project, "
                     "lesson-video, kim, assessment-sheet, ..."),
                  "TYPE");
    auto* ti = opt("--title", title, N_("the title"), "TEXT");
    if (!editing) {
      t->required();
      ti->required();
    }
    auto* an = opt("--annotation", annotation, N_("a few sentences on what it is and for whom"), "TEXT");
    authors_opt = cmd.add_option("--author", authors, tr("an author: id prefix or exact name; repeat for several"))
                      ->type_name("PERSON")
                      ->expected(1, -1);
    co_opt = cmd.add_option("--co-author", co_authors, tr("a co-author; repeat for several"))
                 ->type_name("PERSON")
                 ->expected(1, -1);
    auto* o = opt("--org", org, N_("the organisation it comes from (default: the first author's)"), "ORG");
    dirs_opt = cmd.add_option("--direction", directions, tr("a priority direction: code or name; repeat for several"))
                   ->type_name("DIRECTION")
                   ->expected(1, -1);
    auto* su = opt("--subject", subject, N_("the school subject: «математика», «чеченский язык», ..."), "SUBJECT");
    auto* gr = opt("--grades", grades, N_("grades: 5, or 5-7 (1 to 11)"), "GRADES");
    levels_opt = cmd.add_option("--level", levels, tr("level of education: ДО, НОО, ООО, СОО, ДОП; repeat for several"))
                     ->type_name("LEVEL")
                     ->expected(1, -1);
    auto* la = opt("--language", language, N_("the language: ru (default), ce, en, ..."), "LANG");
    auto* kw = opt("--keywords", keywords, N_("keywords, comma separated"), "TEXT");
    auto* li = opt("--licence", licence,
                   N_("CC-BY-4.0, CC-BY-SA-4.0, ..., CC0-1.0, all-rights-reserved, network-only (default)"), "LICENCE");
    cmd.add_flag("--pupils", pupils, tr("pupils appear in it (a recording): the parents' consent is needed"));
    if (editing) cmd.add_flag("--no-pupils", no_pupils, tr("no pupils appear in it"));
    auto* co = opt("--consent", consent, N_("where the parents' consent is kept: «приказ № 12 от 01.09.2026»"), "TEXT");
    text = {{t, [](core::ProductFields& f) { return &f.type; }},
            {ti, [](core::ProductFields& f) { return &f.title; }},
            {an, [](core::ProductFields& f) { return &f.annotation; }},
            {o, [](core::ProductFields& f) { return &f.org; }},
            {su, [](core::ProductFields& f) { return &f.subject; }},
            {gr, [](core::ProductFields& f) { return &f.grades; }},
            {la, [](core::ProductFields& f) { return &f.language; }},
            {kw, [](core::ProductFields& f) { return &f.keywords; }},
            {li, [](core::ProductFields& f) { return &f.licence; }},
            {co, [](core::ProductFields& f) { return &f.consent; }}};
  }

  core::ProductFields fields() {
    core::ProductFields f;
    std::string* values[] = {&type,   &title,    &annotation, &org,     &subject,
                             &grades, &language, &keywords,   &licence, &consent};
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i].first->count()) *text[i].second(f) = *values[i];
    if (authors_opt->count() || co_opt->count()) {
      f.authors.emplace();
      for (const auto& a : authors) f.authors->push_back({a, "author"});
      for (const auto& a : co_authors) f.authors->push_back({a, "co-author"});
    }
    if (dirs_opt->count()) f.directions = directions;
    if (levels_opt->count()) f.levels = levels;
    if (pupils && no_pupils)
      throw core::Error(core::ErrorKind::usage, tr("--pupils and --no-pupils contradict each other."));
    if (pupils) f.pupils = true;
    if (no_pupils) f.pupils = false;
    return f;
  }
};

// A moderation verb: publish, reject, archive.
void setup_moderation(CLI::App& product, Context& ctx, std::function<void()>& action, const char* name,
                      const char* help) {
  auto ref = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  auto by = std::make_shared<std::string>();
  auto* cmd = product.add_subcommand(name, tr(help));
  cmd->add_option("ID", *ref, tr("id prefix (4+ digits) or exact title"))->required()->type_name("PRODUCT");
  CLI::Option* reason_opt = nullptr;
  if (std::string_view(name) == "reject")
    reason_opt = cmd->add_option("--reason", *reason, tr("why: the authors read it"))->required()->type_name("TEXT");
  auto* by_opt = cmd->add_option("--by", *by, tr("the moderator who decided (a person)"))->type_name("PERSON");
  std::string verb = name;
  cmd->callback([&ctx, &action, ref, reason, by, by_opt, verb] {
    action = [&ctx, ref, reason, by, by_opt, verb] {
      auto& db = ctx.db();
      auto id = core::resolve_product(db, *ref);
      std::optional<std::string> moderator;
      if (by_opt->count()) moderator = *by;
      core::Writer w(db);
      if (verb == "publish") core::publish_product(w, id, moderator);
      if (verb == "reject") core::reject_product(w, id, *reason, moderator);
      if (verb == "archive") core::archive_product(w, id, moderator);
      w.commit();
      auto p = core::get_product(db, id);
      if (ctx.format() == Format::json) {
        print_record(ctx, product_json(ctx, p, true), {}, Format::json);
        return;
      }
      if (verb == "publish")
        ctx.say(trf("Published: «{}» ({}). Every node receives it with the next bundles.", p.title, id));
      if (verb == "reject")
        ctx.say(trf("Rejected: «{}» ({}). The owner receives the reason with the next bundle.", p.title, id));
      if (verb == "archive") ctx.say(trf("Archived: «{}» ({}).", p.title, id));
    };
  });
  (void)reason_opt;
}

}  // namespace

void setup_product(CLI::App& app, Context& ctx, std::function<void()>& action) {
  auto* product = &app;
  product->require_subcommand(1);

  // add
  auto add_opts = std::make_shared<FieldOptions>();
  auto* add = product->add_subcommand("add", tr("add a methodological product (a draft of this node)"));
  add_opts->add_to(*add, false);
  add->callback([&ctx, &action, add_opts] {
    action = [&ctx, add_opts] {
      auto& db = ctx.db();
      auto fields = add_opts->fields();
      core::Writer w(db);
      auto id = core::add_product(w, fields);
      w.commit();
      if (ctx.format() == Format::json) {
        print_record(ctx, product_json(ctx, core::get_product(db, id), true), {}, Format::json);
        return;
      }
      if (ctx.quiet) {
        ctx.out() << id << '\n';
        return;
      }
      ctx.say(
          trf("Added: «{}», a draft, id {}. Attach its files with 'setevoe product attach {} FILE…', then "
              "submit it with 'setevoe product submit {}'.",
              *fields.title, id, id.substr(0, 8), id.substr(0, 8)));
    };
  });

  setup_file_commands(*product, ctx, action, {"PRODUCT", [](Context& c, const std::string& ref) {
                                                return core::resolve_product(c.db(), ref);
                                              }});

  // list
  auto filter = std::make_shared<core::ProductFilter>();
  auto* list = product->add_subcommand("list", tr("list the catalogue, newest first, with filters"));
  add_filter_options(*list, *filter);
  list->callback([&ctx, &action, filter] {
    action = [&ctx, filter] {
      auto& db = ctx.db();
      auto f = ctx.format();
      auto products = core::list_products(db, *filter);
      std::vector<Json> records;
      records.reserve(products.size());
      auto len = core::short_id_length(db);
      for (const auto& p : products)
        records.push_back(f == Format::table ? product_display(ctx, p, len, false)
                          : f == Format::csv ? product_csv(p)
                                             : product_json(ctx, p, true));
      print_list(ctx, records, product_list_columns(f), f);
    };
  });

  // show
  auto show_ref = std::make_shared<std::string>();
  auto* show = product->add_subcommand("show", tr("show one product: every field, its files and reviews"));
  show->add_option("ID", *show_ref, tr("id prefix (4+ digits) or exact title"))->required()->type_name("PRODUCT");
  show->callback([&ctx, &action, show_ref] {
    action = [&ctx, show_ref] { show_product(ctx, core::resolve_product(ctx.db(), *show_ref)); };
  });

  // edit
  auto edit_ref = std::make_shared<std::string>();
  auto edit_opts = std::make_shared<FieldOptions>();
  auto* edit = product->add_subcommand("edit", tr("change fields of a product (its owner, or the hub)"));
  edit->add_option("ID", *edit_ref, tr("id prefix (4+ digits) or exact title"))->required()->type_name("PRODUCT");
  edit_opts->add_to(*edit, true);
  edit->callback([&ctx, &action, edit_ref, edit_opts] {
    action = [&ctx, edit_ref, edit_opts] {
      auto& db = ctx.db();
      auto id = core::resolve_product(db, *edit_ref);
      auto fields = edit_opts->fields();
      core::Writer w(db);
      bool changed = core::edit_product(w, id, fields);
      w.commit();
      if (ctx.format() == Format::json) {
        print_record(ctx, product_json(ctx, core::get_product(db, id), true), {}, Format::json);
        return;
      }
      ctx.say(changed ? trf("Changed: «{}» ({})", core::get_product(db, id).title, id)
                      : tr("Nothing changed: the fields already have these values."));
    };
  });

  // remove
  auto remove_ref = std::make_shared<std::string>();
  auto* remove = product->add_subcommand("remove", tr("remove a product from the catalogue (its owner, or the hub)"));
  remove->add_option("ID", *remove_ref, tr("id prefix (4+ digits) or exact title"))->required()->type_name("PRODUCT");
  remove->callback([&ctx, &action, remove_ref] {
    action = [&ctx, remove_ref] {
      auto& db = ctx.db();
      auto id = core::resolve_product(db, *remove_ref);
      auto p = core::get_product(db, id);
      if (!ctx.confirm(trf("Remove the product «{}» ({})?", p.title, id))) {
        ctx.say(tr("Nothing was removed."));
        return;
      }
      core::Writer w(db);
      core::remove_product(w, id);
      w.commit();
      ctx.say(trf("Removed: «{}» ({})", p.title, id));
    };
  });

  // submit
  auto submit_ref = std::make_shared<std::string>();
  auto* submit = product->add_subcommand("submit", tr("send a draft to the moderator: draft → submitted"));
  submit->add_option("ID", *submit_ref, tr("id prefix (4+ digits) or exact title"))->required()->type_name("PRODUCT");
  submit->callback([&ctx, &action, submit_ref] {
    action = [&ctx, submit_ref] {
      auto& db = ctx.db();
      auto id = core::resolve_product(db, *submit_ref);
      core::Writer w(db);
      core::submit_product(w, id);
      w.commit();
      ctx.say(trf("Submitted: «{}» ({}). The moderator receives it with the next bundle to the hub.",
                  core::get_product(db, id).title, id));
    };
  });

  setup_moderation(*product, ctx, action, "publish", N_("publish a product to the whole network (the hub only)"));
  setup_moderation(*product, ctx, action, "reject", N_("return a product to its authors with a reason (the hub only)"));
  setup_moderation(*product, ctx, action, "archive", N_("archive a product (the hub only)"));

  // review
  auto review_ref = std::make_shared<std::string>();
  auto review = std::make_shared<core::ReviewInput>();
  auto criteria = std::make_shared<std::vector<std::string>>();
  auto* rev = product->add_subcommand("review", tr("review a published product: a score of 1 to 5 and a comment"));
  rev->add_option("ID", *review_ref, tr("id prefix (4+ digits) or exact title"))->required()->type_name("PRODUCT");
  rev->add_option("--by", review->person, tr("the reviewer (a person)"))->required()->type_name("PERSON");
  rev->add_option("--score", review->score, tr("the score, 1 to 5"))->required()->type_name("1-5");
  rev->add_option("--criterion", *criteria, tr("a score by criterion: NAME=SCORE; repeat for several"))
      ->type_name("NAME=SCORE")
      ->expected(1, -1);
  rev->add_option("--comment", review->comment, tr("the review's text"))->type_name("TEXT");
  rev->callback([&ctx, &action, review_ref, review, criteria] {
    action = [&ctx, review_ref, review, criteria] {
      auto& db = ctx.db();
      auto id = core::resolve_product(db, *review_ref);
      review->criteria.clear();
      for (const auto& c : *criteria) review->criteria.push_back(core::parse_criterion(c));
      core::Writer w(db);
      bool replaced = core::review_product(w, id, *review);
      w.commit();
      auto p = core::get_product(db, id);
      if (ctx.format() == Format::json) {
        print_record(ctx, product_json(ctx, p, false), {}, Format::json);
        return;
      }
      ctx.say(
          std::string(replaced ? tr("The review replaced the person's earlier one.") : tr("The review is recorded.")) +
          " " + trf("«{}»: {}", p.title, rating_text(p.rating)));
    };
  });

  setup_thread_commands(*product, ctx, action, {"product", "PRODUCT", [](Context& c, const std::string& ref) {
                                                  return core::resolve_product(c.db(), ref);
                                                }});

  setup_search_commands(*product, ctx, action);
}

// ---- search and reindex
void add_filter_options(CLI::App& cmd, core::ProductFilter& f) {
  cmd.add_option("--type", f.type, tr("only this type"))->type_name("TYPE");
  cmd.add_option("--direction", f.direction, tr("only this direction"))->type_name("DIRECTION");
  cmd.add_option("--subject", f.subject, tr("only this subject"))->type_name("SUBJECT");
  cmd.add_option("--grade", f.grade, tr("only products for this grade (1 to 11)"))->type_name("GRADE");
  cmd.add_option("--org", f.org, tr("only products of this organisation"))->type_name("ORG");
  cmd.add_option("--author", f.author, tr("only products of this author"))->type_name("PERSON");
  cmd.add_option("--status", f.status,
                 tr("draft, submitted, published, rejected, archived, or all (default: all but archived)"))
      ->type_name("STATUS");
  cmd.add_option("--since", f.since, tr("only products added since this date (YYYY-MM-DD or DD.MM.YYYY)"))
      ->type_name("DATE");
  cmd.add_option("--limit", f.limit, tr("at most this many (search: 20 by default)"))->type_name("N");
}

void setup_search_commands(CLI::App& product, Context& ctx, std::function<void()>& action) {
  struct Args {
    std::string text;
    core::ProductFilter filter;
    bool advanced = false, sql = false;
  };
  auto args = std::make_shared<Args>();
  auto* search = product.add_subcommand(
      "search", tr("find products by words, in any word form: title, keywords, annotation, authors, file text"));
  search->add_option("QUERY", args->text, tr("words to find; «7 класс» means grade 7"))->required()->type_name("TEXT");
  add_filter_options(*search, args->filter);
  args->filter.limit = 20;
  search->add_flag("--advanced", args->advanced,
                   tr("the query is FTS5 syntax: AND, OR, NOT, NEAR(), \"phrases\", prefix*, column:word"));
  search->add_flag("--sql", args->sql,
                   tr("print the SQL statement of the search, for the sqlite3 shell with setevoe_fts loaded"));
  search->callback([&ctx, &action, args] {
    action = [&ctx, args] {
      auto& db = ctx.db();
      auto f = ctx.format();
      core::search::SearchOptions o;
      o.limit = args->filter.limit ? args->filter.limit : 20;
      o.advanced = args->advanced;
      bool people = f == Format::table;
      if (people && ctx.colour() && !args->sql) {
        o.open = "\x1b[1m";
        o.close = "\x1b[0m";
      }
      if (args->sql) {
        ctx.out() << core::search::search_sql(db, args->text, args->filter, o) << '\n';
        return;
      }
      auto hits = core::search::search(db, args->text, args->filter, o);
      std::vector<std::string> ids;
      for (const auto& h : hits) ids.push_back(h.product_id);
      auto products = core::get_products(db, ids);
      if (people) {
        if (hits.empty()) {
          ctx.say(
              tr("Nothing found. Try fewer words, or other forms of them; 'setevoe product list' shows the "
                 "whole catalogue."));
          return;
        }
        auto len = core::short_id_length(db);
        bool some = false;
        for (std::size_t i = 0; i < products.size(); ++i) {
          const auto& p = products[i];
          if (!hits[i].all_words && !some) {
            ctx.out() << tr("With some of the words:") << '\n';
            some = true;
          }
          auto org = p.org_name.empty() ? std::string() : ", " + p.org_name;
          ctx.out() << fmt::format("{}. «{}» — {}{} [{}, {}]\n", i + 1, p.title,
                                   core::term_label(core::product_types(), p.type), org, p.id.substr(0, len),
                                   core::term_label(core::product_statuses(), p.status));
          if (!hits[i].snippet.empty()) {
            auto snip = hits[i].snippet;
            for (auto& c : snip)
              if (c == '\n' || c == '\t') c = ' ';
            ctx.out() << "   " << snip << '\n';
          }
        }
        return;
      }
      std::vector<Json> records;
      for (std::size_t i = 0; i < products.size(); ++i) {
        auto j = f == Format::csv ? Json::object().set("id", products[i].id).set("title", products[i].title)
                                  : product_json(ctx, products[i], true);
        j.set("score", fmt::format("{:.6g}", hits[i].score)).set("all_words", hits[i].all_words);
        j.set("snippet", hits[i].snippet);
        records.push_back(std::move(j));
      }
      print_list(ctx, records, key_columns({"id", "title", "score", "all_words", "snippet"}), f);
    };
  });

  auto* reindex = product.add_subcommand(
      "reindex", tr("build the search index again from the catalogue, reading every attached document again"));
  reindex->callback([&ctx, &action] {
    action = [&ctx] {
      auto stats = core::search::reindex(ctx.db());
      if (ctx.format() == Format::json) {
        ctx.out() << Json::object().set("products", stats.products).set("files", stats.files).dump() << '\n';
        return;
      }
      ctx.say(trf("The search index is rebuilt: products {}, documents read {}.", stats.products, stats.files));
    };
  });
}

}  // namespace setevoe::cli
