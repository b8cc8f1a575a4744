// Discussion threads of events and products.
#include "cli/thread.hpp"

#include <fmt/format.h>

#include <memory>

#include "cli/output.hpp"
#include "core/i18n.hpp"
#include "core/thread.hpp"
#include "core/util/json.hpp"

namespace setevoe::cli {
namespace {

using core::tr;
using core::trf;
using util::Json;

// A hidden message's text is shown only at a hub; elsewhere the reason.
bool shows_text(Context& ctx, const core::Post& p) {
  return !p.hidden || ctx.self().role == core::Role::hub;
}

Json post_json(Context& ctx, const core::Post& p) {
  return Json::object()
      .set("id", p.id)
      .set("section", p.section)
      .set("reply_to", Json(p.reply_to))
      .set("depth", static_cast<std::int64_t>(p.depth))
      .set("person",
           Json::object().set("id", p.person_id).set("name", p.person_name.empty() ? Json() : Json(p.person_name)))
      .set("text", shows_text(ctx, p) ? Json(p.text) : Json())
      .set("paper", p.paper ? Json(Json::object()
                                       .set("id", *p.paper)
                                       .set("title", p.paper_title.empty() ? Json() : Json(p.paper_title)))
                            : Json())
      .set("posted_at", p.posted_at)
      .set("edited_at", Json(p.edited_at))
      .set("hidden", p.hidden)
      .set("hide_reason", Json(p.hide_reason))
      .set("owner", p.owner);
}

void print_thread(Context& ctx, const std::vector<core::Post>& posts) {
  auto f = ctx.format();
  if (f != Format::table) {
    std::vector<Json> records;
    for (const auto& p : posts) {
      auto j = post_json(ctx, p);
      if (f == Format::csv) {
        j.set("person", p.person_id).set("person_name", p.person_name).set("paper", p.paper.value_or(""));
        if (!shows_text(ctx, p)) j.set("text", "");
      }
      records.push_back(std::move(j));
    }
    print_list(ctx, records,
               key_columns({"id", "section", "reply_to", "depth", "person", "person_name", "text", "paper", "posted_at",
                            "edited_at", "hidden", "hide_reason"}),
               f);
    return;
  }
  if (posts.empty()) {
    ctx.say(tr("No messages yet."));
    return;
  }
  auto tz = ctx.self().time_zone;
  std::string section = "\x01";
  for (const auto& p : posts) {
    if (p.depth == 0 && p.section != section) {
      section = p.section;
      if (!section.empty()) ctx.out() << "\n== " << section << " ==\n";
    }
    std::string indent(static_cast<std::size_t>(p.depth) * 4, ' ');
    std::string head = indent + (p.depth ? "↳ " : "") + p.id.substr(0, 13) + "  " +
                       (p.person_name.empty() ? p.person_id : p.person_name) + ", " + local_time(p.posted_at, tz);
    if (p.edited_at) head += " " + trf("(edited {})", local_time(*p.edited_at, tz));
    ctx.out() << head << '\n';
    std::string body = indent + (p.depth ? "  " : "") + "  ";
    if (p.paper) ctx.out() << body << trf("Paper: «{}»", p.paper_title.empty() ? *p.paper : p.paper_title) << '\n';
    if (p.hidden) ctx.out() << body << trf("[hidden by the moderator: {}]", p.hide_reason.value_or("")) << '\n';
    if (shows_text(ctx, p) && !p.text.empty()) {
      std::size_t start = 0;
      while (start <= p.text.size()) {
        auto end = p.text.find('\n', start);
        ctx.out() << body << p.text.substr(start, end == std::string::npos ? std::string::npos : end - start) << '\n';
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
  }
}

}  // namespace

void setup_thread_commands(CLI::App& cmd, Context& ctx, std::function<void()>& action, const ThreadTarget& target) {
  // post
  struct PostArgs {
    std::string ref;
    core::PostInput in;
  };
  auto args = std::make_shared<PostArgs>();
  auto* post = cmd.add_subcommand("post", tr("write a message in the discussion thread"));
  post->add_option(target.type_name, args->ref, tr("id prefix (4+ digits) or exact title"))
      ->required()
      ->type_name(target.type_name);
  post->add_option("--by", args->in.person, tr("the author (a person)"))->required()->type_name("PERSON");
  post->add_option("--text", args->in.text, tr("the message"))->type_name("TEXT");
  post->add_option("--reply-to", args->in.reply_to, tr("the message it answers (its id prefix)"))->type_name("POST");
  if (target.conference) {
    post->add_option("--section", args->in.section, tr("the conference's section"))->type_name("SECTION");
    post->add_option("--paper", args->in.paper, tr("present a product as a paper"))->type_name("PRODUCT");
  }
  post->callback([&ctx, &action, args, target] {
    action = [&ctx, args, target] {
      auto& db = ctx.db();
      auto id = target.resolve(ctx, args->ref);
      core::Writer w(db);
      auto pid = core::add_post(w, target.entity, id, args->in);
      w.commit();
      if (ctx.format() == Format::json) {
        print_record(ctx, post_json(ctx, core::get_post(db, pid)), {}, Format::json);
        return;
      }
      if (ctx.quiet) {
        ctx.out() << pid << '\n';
        return;
      }
      ctx.say(trf("Posted, id {}. Every node receives it with the next bundles.", pid));
    };
  });

  // thread
  struct ThreadArgs {
    std::string ref;
    std::optional<std::string> section;
  };
  auto targs = std::make_shared<ThreadArgs>();
  auto* thread = cmd.add_subcommand("thread", tr("show the discussion thread: messages in order, replies under them"));
  thread->add_option(target.type_name, targs->ref, tr("id prefix (4+ digits) or exact title"))
      ->required()
      ->type_name(target.type_name);
  if (target.conference) thread->add_option("--section", targs->section, tr("only this section"))->type_name("SECTION");
  thread->callback([&ctx, &action, targs, target] {
    action = [&ctx, targs, target] {
      print_thread(ctx, core::list_thread(ctx.db(), target.resolve(ctx, targs->ref), targs->section));
    };
  });

  // edit-post
  struct EditArgs {
    std::string ref, text;
  };
  auto eargs = std::make_shared<EditArgs>();
  auto* edit = cmd.add_subcommand("edit-post", tr("change the text of a message (on the node it was written on)"));
  edit->add_option("POST", eargs->ref, tr("the message's id prefix"))->required()->type_name("POST");
  edit->add_option("--text", eargs->text, tr("the new text"))->required()->type_name("TEXT");
  edit->callback([&ctx, &action, eargs] {
    action = [&ctx, eargs] {
      auto& db = ctx.db();
      auto id = core::resolve_post(db, eargs->ref);
      core::Writer w(db);
      core::edit_post(w, id, eargs->text);
      w.commit();
      if (ctx.format() == Format::json) {
        print_record(ctx, post_json(ctx, core::get_post(db, id)), {}, Format::json);
        return;
      }
      ctx.say(trf("Changed: the message {}.", id));
    };
  });

  // hide-post
  struct HideArgs {
    std::string ref, reason;
    bool show = false;
  };
  auto hargs = std::make_shared<HideArgs>();
  auto* hide = cmd.add_subcommand("hide-post", tr("hide a message from the thread, with a reason (the hub only)"));
  hide->add_option("POST", hargs->ref, tr("the message's id prefix"))->required()->type_name("POST");
  auto* reason = hide->add_option("--reason", hargs->reason, tr("why: the author reads it"))->type_name("TEXT");
  hide->add_flag("--show", hargs->show, tr("show a hidden message again"));
  hide->callback([&ctx, &action, hargs, reason] {
    action = [&ctx, hargs, reason] {
      auto& db = ctx.db();
      if (hargs->show && reason->count()) throw core::Error(core::ErrorKind::usage, tr("--show needs no --reason."));
      auto id = core::resolve_post(db, hargs->ref);
      core::Writer w(db);
      core::hide_post(w, id, !hargs->show, hargs->reason);
      w.commit();
      if (ctx.format() == Format::json) {
        print_record(ctx, post_json(ctx, core::get_post(db, id)), {}, Format::json);
        return;
      }
      ctx.say(hargs->show ? trf("Shown again: the message {}.", id) : trf("Hidden: the message {}.", id));
    };
  });
}

}  // namespace setevoe::cli
