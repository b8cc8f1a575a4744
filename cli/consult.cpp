// setevoe consult: the «Консультация» service — questions to the network's
// experts, their answers, and the FAQ.
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cli/app.hpp"
#include "cli/files.hpp"
#include "cli/output.hpp"
#include "core/attachment.hpp"
#include "core/config.hpp"
#include "core/consult.hpp"
#include "core/i18n.hpp"
#include "core/objects.hpp"
#include "core/util/time.hpp"

namespace setevoe::cli {
namespace {

using core::tr;
using core::trf;
using util::Json;

Json question_json(const core::Question& q) {
  auto experts = Json::array();
  for (const auto& [id, name] : q.experts)
    experts.push(Json::object().set("id", id).set("name", name.empty() ? Json() : Json(name)));
  return Json::object()
      .set("id", q.id)
      .set("title", q.title)
      .set("text", q.text)
      .set("person",
           Json::object().set("id", q.person_id).set("name", q.person_name.empty() ? Json() : Json(q.person_name)))
      .set("direction", Json::object().set("code", q.direction_code).set("name", q.direction_name))
      .set("status", q.status)
      .set("overdue", q.overdue)
      .set("due_on", q.due_on)
      .set("publish", q.publish)
      .set("experts", experts)
      .set("answers", q.answers)
      .set("asked_at", q.asked_at)
      .set("assigned_at", Json(q.assigned_at))
      .set("first_answer_at", Json(q.first_answer_at))
      .set("accepted", Json(q.accepted))
      .set("accepted_at", Json(q.accepted_at))
      .set("closed_at", Json(q.closed_at))
      .set("owner", q.owner)
      .set("created_at", q.created_at)
      .set("updated_at", q.updated_at);
}

std::string status_text(const core::Question& q) {
  auto s = core::term_label(core::question_statuses(), q.status);
  if (q.overdue) s += ", " + core::term_label(core::question_statuses(), "overdue");
  return s;
}

std::string experts_text(const core::Question& q) {
  std::string out;
  for (const auto& [id, name] : q.experts) out += (out.empty() ? "" : "; ") + (name.empty() ? id : name);
  return out;
}

Json question_display(const core::Question& q, std::size_t id_length) {
  return Json::object()
      .set("short_id", q.id.substr(0, id_length))
      .set("title", q.title)
      .set("person", q.person_name.empty() ? q.person_id : q.person_name)
      .set("direction", q.direction_code)
      .set("due", date_text(q.due_on))
      .set("status", status_text(q))
      .set("experts", experts_text(q));
}

Json question_csv(const core::Question& q) {
  return Json::object()
      .set("id", q.id)
      .set("title", q.title)
      .set("person", q.person_id)
      .set("person_name", q.person_name)
      .set("direction", q.direction_code)
      .set("status", q.status)
      .set("overdue", q.overdue)
      .set("due_on", q.due_on)
      .set("experts", experts_text(q))
      .set("answers", q.answers)
      .set("asked_at", q.asked_at)
      .set("assigned_at", q.assigned_at.value_or(""))
      .set("first_answer_at", q.first_answer_at.value_or(""))
      .set("accepted_at", q.accepted_at.value_or(""))
      .set("closed_at", q.closed_at.value_or(""));
}

std::vector<Column> list_columns(Format f) {
  if (f == Format::csv)
    return key_columns({"id", "title", "person", "person_name", "direction", "status", "overdue", "due_on", "experts",
                        "answers", "asked_at", "assigned_at", "first_answer_at", "accepted_at", "closed_at"});
  return {{"short_id", tr("ID")}, {"title", tr("Title")},   {"person", tr("Asked by")}, {"direction", tr("Direction")},
          {"due", tr("Due")},     {"status", tr("Status")}, {"experts", tr("Experts")}};
}

Json answer_json(const core::Answer& a) {
  return Json::object()
      .set("id", a.id)
      .set("person",
           Json::object().set("id", a.person_id).set("name", a.person_name.empty() ? Json() : Json(a.person_name)))
      .set("text", a.text)
      .set("answered_at", a.answered_at)
      .set("accepted", a.accepted)
      .set("owner", a.owner);
}

void show_question(Context& ctx, const std::string& id) {
  auto& db = ctx.db();
  auto q = core::get_question(db, id, today(ctx));
  auto answers = core::list_answers(db, id);
  auto f = ctx.format();
  if (f == Format::csv) {
    print_record(ctx, question_csv(q), list_columns(f), f);
    return;
  }
  if (f == Format::json) {
    auto list = Json::array();
    for (const auto& a : answers) list.push(answer_json(a));
    print_record(ctx, question_json(q).set("answers", list).set("files", files_json(ctx, id)), {}, f);
    return;
  }
  auto tz = ctx.self().time_zone;
  auto j = Json::object()
               .set("id", q.id)
               .set("title", q.title)
               .set("person", q.person_name.empty() ? q.person_id : q.person_name)
               .set("direction", q.direction_name)
               .set("text", q.text)
               .set("files", files_line(ctx, id))
               .set("asked_at", local_time(q.asked_at, tz))
               .set("due", date_text(q.due_on))
               .set("status", status_text(q))
               .set("experts", experts_text(q))
               .set("assigned_at", q.assigned_at ? local_time(*q.assigned_at, tz) : std::string())
               .set("first_answer_at", q.first_answer_at ? local_time(*q.first_answer_at, tz) : std::string())
               .set("accepted_at", q.accepted_at ? local_time(*q.accepted_at, tz) : std::string())
               .set("publish", q.publish ? tr("yes, once an answer is accepted") : std::string())
               .set("closed_at", q.closed_at ? local_time(*q.closed_at, tz) : std::string());
  print_record(ctx, j,
               {{"id", tr("ID")},
                {"title", tr("Title")},
                {"person", tr("Asked by")},
                {"direction", tr("Direction")},
                {"text", tr("Question")},
                {"files", tr("Files")},
                {"asked_at", tr("Asked")},
                {"due", tr("Due")},
                {"status", tr("Status")},
                {"experts", tr("Experts")},
                {"assigned_at", tr("Assigned")},
                {"first_answer_at", tr("First answer")},
                {"accepted_at", tr("Accepted")},
                {"publish", tr("FAQ")},
                {"closed_at", tr("Closed")}},
               f);
  if (answers.empty()) return;
  ctx.out() << '\n' << trf("Answers ({}):", answers.size()) << '\n';
  for (const auto& a : answers) {
    ctx.out() << "  " << a.id.substr(0, 13) << "  " << (a.person_name.empty() ? a.person_id : a.person_name) << ", "
              << local_time(a.answered_at, tz) << (a.accepted ? "  " + std::string(tr("[accepted]")) : std::string())
              << '\n';
    ctx.out() << "    " << a.text << '\n';
  }
}

std::string question_ref(Context& ctx, const std::string& ref) {
  return core::resolve_question(ctx.db(), ref);
}

CLI::Option* add_question_arg(CLI::App& cmd, std::string& into) {
  return cmd.add_option("ID", into, tr("id prefix (4+ digits) or exact title"))->required()->type_name("QUESTION");
}

// A command that changes one question and reports it: close, reopen.
void setup_simple(CLI::App& consult, Context& ctx, std::function<void()>& action, const char* name, const char* help,
                  void (*op)(core::Writer&, const std::string&), const char* done) {
  auto ref = std::make_shared<std::string>();
  auto* cmd = consult.add_subcommand(name, tr(help));
  add_question_arg(*cmd, *ref);
  cmd->callback([&ctx, &action, ref, op, done] {
    action = [&ctx, ref, op, done] {
      auto& db = ctx.db();
      auto id = question_ref(ctx, *ref);
      core::Writer w(db);
      op(w, id);
      w.commit();
      auto q = core::get_question(db, id, today(ctx));
      if (ctx.format() == Format::json) {
        print_record(ctx, question_json(q), {}, Format::json);
        return;
      }
      ctx.say(trf(done, q.title, id));
    };
  });
}

}  // namespace

void setup_consult(CLI::App& app, Context& ctx, std::function<void()>& action) {
  auto* consult = &app;
  consult->require_subcommand(1);

  // ask
  struct AskArgs {
    core::QuestionInput in;
    std::vector<std::string> files;
  };
  auto ask_args = std::make_shared<AskArgs>();
  auto* ask = consult->add_subcommand("ask", tr("ask the network's experts a question"));
  ask->add_option("--by", ask_args->in.person, tr("who asks (a person)"))->required()->type_name("PERSON");
  ask->add_option("--direction", ask_args->in.direction, tr("the priority direction it concerns: code or name"))
      ->required()
      ->type_name("DIRECTION");
  ask->add_option("--title", ask_args->in.title, tr("the question in a few words"))->required()->type_name("TEXT");
  ask->add_option("--text", ask_args->in.text, tr("the question in full"))->required()->type_name("TEXT");
  ask->add_option("--attach", ask_args->files, tr("a file for the experts; repeat for several"))
      ->type_name("FILE")
      ->expected(1, -1);
  ask->add_flag("--publish", ask_args->in.publish,
                tr("allow the accepted answer into the network's FAQ (questions are otherwise seen only by the hub "
                   "and the experts)"));
  ask->callback([&ctx, &action, ask_args] {
    action = [&ctx, ask_args] {
      auto& db = ctx.db();
      auto calendar = core::load_config().calendar;
      // Files are checked and copied into the store before the write
      // transaction; a bad one stops the command with nothing written.
      std::optional<core::ObjectStore> store;
      std::vector<core::ObjectStore::Stored> stored;
      if (!ask_args->files.empty()) {
        store.emplace(ctx.db_path());
        for (const auto& p : ask_args->files) core::ObjectStore::check_source(p);
        for (const auto& p : ask_args->files) stored.push_back(store->add_file(p));
      }
      core::Writer w(db);
      auto id = core::ask_question(w, ask_args->in, calendar, ctx.self().time_zone);
      for (std::size_t i = 0; i < stored.size(); ++i)
        core::attach_file(w, id, ask_args->files[i], "document", stored[i]);
      w.commit();
      auto q = core::get_question(db, id, today(ctx));
      if (ctx.format() == Format::json) {
        print_record(ctx, question_json(q), {}, Format::json);
        return;
      }
      if (ctx.quiet) {
        ctx.out() << id << '\n';
        return;
      }
      ctx.say(
          trf("Asked: «{}», id {}. An answer is due by {}; the question reaches the experts through the hub "
              "with the next bundle.",
              q.title, id, date_text(q.due_on)));
    };
  });

  // list
  auto filter = std::make_shared<core::QuestionFilter>();
  auto* list = consult->add_subcommand("list", tr("list the questions, newest first (overdue: the oldest due first)"));
  list->add_option("--status", filter->status, tr("open, assigned, answered, closed, or overdue"))->type_name("STATUS");
  list->add_option("--direction", filter->direction, tr("only this direction"))->type_name("DIRECTION");
  list->add_option("--expert", filter->expert, tr("only questions assigned to this expert"))->type_name("PERSON");
  list->add_option("--by", filter->person, tr("only questions this person asked"))->type_name("PERSON");
  list->add_option("--limit", filter->limit, tr("at most this many"))->type_name("N");
  list->callback([&ctx, &action, filter] {
    action = [&ctx, filter] {
      auto& db = ctx.db();
      auto f = ctx.format();
      auto questions = core::list_questions(db, *filter, today(ctx));
      auto len = core::short_id_length(db);
      std::vector<Json> records;
      records.reserve(questions.size());
      for (const auto& q : questions)
        records.push_back(f == Format::table ? question_display(q, len)
                          : f == Format::csv ? question_csv(q)
                                             : question_json(q));
      print_list(ctx, records, list_columns(f), f);
    };
  });

  // show
  auto show_ref = std::make_shared<std::string>();
  auto* show = consult->add_subcommand("show", tr("show a question, its experts, times and answers"));
  add_question_arg(*show, *show_ref);
  show->callback(
      [&ctx, &action, show_ref] { action = [&ctx, show_ref] { show_question(ctx, question_ref(ctx, *show_ref)); }; });

  // assign
  struct AssignArgs {
    std::string ref;
    std::vector<std::string> experts;
    bool unassigned = false;
  };
  auto assign_args = std::make_shared<AssignArgs>();
  auto* assign =
      consult->add_subcommand("assign", tr("assign experts to a question, by default the direction's (the hub only)"));
  assign->add_option("ID", assign_args->ref, tr("id prefix (4+ digits) or exact title"))->type_name("QUESTION");
  assign->add_option("--expert", assign_args->experts, tr("an expert (a person); repeat for several"))
      ->type_name("PERSON")
      ->expected(1, -1);
  assign->add_flag("--unassigned", assign_args->unassigned,
                   tr("assign every open question without experts to its direction's experts (for cron)"));
  assign->callback([&ctx, &action, assign_args] {
    action = [&ctx, assign_args] {
      auto& db = ctx.db();
      if (assign_args->unassigned == !assign_args->ref.empty())
        throw core::Error(core::ErrorKind::usage, tr("name one question, or give --unassigned for all new ones."));
      if (assign_args->unassigned && !assign_args->experts.empty())
        throw core::Error(
            core::ErrorKind::usage,
            tr("--unassigned assigns each question its direction's experts; --expert is for one question."));
      core::Writer w(db);
      if (assign_args->unassigned) {
        auto n = core::assign_unassigned(w);
        w.commit();
        if (ctx.format() == Format::json)
          ctx.out() << Json::object().set("assigned", static_cast<std::int64_t>(n)).dump() << '\n';
        else
          ctx.say(trf("Questions assigned to their directions' experts: {}.", n));
        return;
      }
      auto id = question_ref(ctx, assign_args->ref);
      core::assign_question(w, id, assign_args->experts);
      w.commit();
      auto q = core::get_question(db, id, today(ctx));
      if (ctx.format() == Format::json) {
        print_record(ctx, question_json(q), {}, Format::json);
        return;
      }
      ctx.say(
          trf("Assigned: «{}» to {}. The experts' nodes receive it with the next bundles.", q.title, experts_text(q)));
    };
  });

  // answer
  struct AnswerArgs {
    std::string ref, by, text;
  };
  auto answer_args = std::make_shared<AnswerArgs>();
  auto* answer = consult->add_subcommand("answer", tr("an expert's answer to a question"));
  add_question_arg(*answer, answer_args->ref);
  answer->add_option("--by", answer_args->by, tr("the expert who answers (a person)"))->required()->type_name("PERSON");
  answer->add_option("--text", answer_args->text, tr("the answer"))->required()->type_name("TEXT");
  answer->callback([&ctx, &action, answer_args] {
    action = [&ctx, answer_args] {
      auto& db = ctx.db();
      auto id = question_ref(ctx, answer_args->ref);
      core::Writer w(db);
      auto aid = core::answer_question(w, id, answer_args->by, answer_args->text);
      w.commit();
      if (ctx.format() == Format::json) {
        for (const auto& a : core::list_answers(db, id))
          if (a.id == aid) print_record(ctx, answer_json(a), {}, Format::json);
        return;
      }
      ctx.say(trf("Answered, id {}. The asker receives the answer with the next bundles.", aid));
    };
  });

  // accept
  struct AcceptArgs {
    std::string ref, answer;
    bool publish = false, no_publish = false;
  };
  auto accept_args = std::make_shared<AcceptArgs>();
  auto* accept = consult->add_subcommand("accept", tr("mark the answer that solved the question (the asker's node)"));
  add_question_arg(*accept, accept_args->ref);
  accept->add_option("ANSWER", accept_args->answer, tr("the answer's id prefix, as 'consult show' lists it"))
      ->required()
      ->type_name("ANSWER");
  accept->add_flag("--publish", accept_args->publish, tr("allow this answer into the network's FAQ"));
  accept->add_flag("--no-publish", accept_args->no_publish, tr("keep it out of the FAQ"));
  accept->callback([&ctx, &action, accept_args] {
    action = [&ctx, accept_args] {
      if (accept_args->publish && accept_args->no_publish)
        throw core::Error(core::ErrorKind::usage, tr("--publish and --no-publish contradict each other."));
      auto& db = ctx.db();
      auto id = question_ref(ctx, accept_args->ref);
      std::optional<bool> publish;
      if (accept_args->publish) publish = true;
      if (accept_args->no_publish) publish = false;
      core::Writer w(db);
      core::accept_answer(w, id, accept_args->answer, publish);
      w.commit();
      auto q = core::get_question(db, id, today(ctx));
      if (ctx.format() == Format::json) {
        print_record(ctx, question_json(q), {}, Format::json);
        return;
      }
      if (!q.publish)
        ctx.say(trf("Accepted: «{}».", q.title));
      else if (ctx.self().role == core::Role::hub)
        ctx.say(trf("Accepted. «{}» is in the FAQ; every node receives it with the next bundles.", q.title));
      else
        ctx.say(trf("Accepted. «{}» goes into the FAQ once the hub receives it.", q.title));
    };
  });

  setup_simple(*consult, ctx, action, "close", N_("close a question (the asker's node or the hub)"),
               core::close_question, N_("Closed: «{}» ({})."));
  setup_simple(*consult, ctx, action, "reopen", N_("reopen a closed question"), core::reopen_question,
               N_("Reopened: «{}» ({})."));

  // faq
  auto faq_direction = std::make_shared<std::optional<std::string>>();
  auto* faq = consult->add_subcommand("faq", tr("the accepted answers their askers allowed to publish"));
  faq->add_option("--direction", *faq_direction, tr("only this direction"))->type_name("DIRECTION");
  faq->callback([&ctx, &action, faq_direction] {
    action = [&ctx, faq_direction] {
      auto entries = core::list_faq(ctx.db(), *faq_direction, today(ctx));
      auto f = ctx.format();
      if (f != Format::table) {
        std::vector<Json> records;
        for (const auto& e : entries) {
          auto j = f == Format::csv ? Json::object()
                                          .set("id", e.question.id)
                                          .set("direction", e.question.direction_code)
                                          .set("title", e.question.title)
                                          .set("question", e.question.text)
                                          .set("answer", e.answer.text)
                                          .set("expert", e.answer.person_name)
                                    : question_json(e.question).set("answer", answer_json(e.answer));
          records.push_back(std::move(j));
        }
        print_list(ctx, records, key_columns({"id", "direction", "title", "question", "answer", "expert"}), f);
        return;
      }
      if (entries.empty()) {
        ctx.say(tr("The FAQ is empty: no accepted answer has been allowed into it yet."));
        return;
      }
      std::string direction;
      for (const auto& e : entries) {
        if (e.question.direction_name != direction) {
          direction = e.question.direction_name;
          ctx.out() << "\n== " << direction << " ==\n";
        }
        ctx.out() << "\n"
                  << tr("Q:") << " " << e.question.title << "\n   " << e.question.text << "\n"
                  << tr("A:") << " " << e.answer.text << "\n   — "
                  << (e.answer.person_name.empty() ? e.answer.person_id : e.answer.person_name) << "\n";
      }
    };
  });

  setup_file_commands(
      *consult, ctx, action,
      {"QUESTION", [](Context& c, const std::string& ref) { return core::resolve_question(c.db(), ref); },
       N_("id prefix (4+ digits) or exact title")});
}

}  // namespace setevoe::cli
