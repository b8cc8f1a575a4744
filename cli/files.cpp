// Attached files on the command line: attach, files, get, detach.
#include "cli/files.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <set>

#include "cli/output.hpp"
#include "core/attachment.hpp"
#include "core/i18n.hpp"

namespace setevoe::cli {
namespace {

using core::tr;
using core::trf;
using util::Json;

Json file_record(const core::Attachment& a, bool people) {
  return Json::object()
      .set("id", a.id)
      .set("name", a.name)
      .set("role", people ? core::term_label(core::attachment_roles(), a.role) : a.role)
      .set("media_type", a.media_type)
      .set("size", people ? Json(human_size(static_cast<std::uint64_t>(a.size))) : Json(a.size))
      .set("sha256", a.sha256)
      .set("present", people ? Json(a.present ? tr("yes") : tr("not yet received")) : Json(a.present))
      .set("owner", a.owner);
}

}  // namespace

Json files_json(Context& ctx, const std::string& id) {
  auto out = Json::array();
  core::ObjectStore store(ctx.db_path());
  for (const auto& a : core::list_attachments(ctx.db(), store, id)) out.push(file_record(a, false));
  return out;
}

std::string files_line(Context& ctx, const std::string& id) {
  std::string out;
  core::ObjectStore store(ctx.db_path());
  for (const auto& a : core::list_attachments(ctx.db(), store, id)) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{} ({}{})", a.name, human_size(static_cast<std::uint64_t>(a.size)),
                       a.present ? std::string() : ", " + std::string(tr("not yet received")));
  }
  return out;
}

void setup_file_commands(CLI::App& cmd, Context& ctx, std::function<void()>& action, const FileTarget& target) {
  // attach
  auto ref = std::make_shared<std::string>();
  auto paths = std::make_shared<std::vector<std::string>>();
  auto role = std::make_shared<std::string>("document");
  auto* attach =
      cmd.add_subcommand("attach", tr("attach files: photos, documents (copied into the store beside the database)"));
  attach->add_option(target.type_name, *ref, tr(target.help))->required()->type_name(target.type_name);
  attach->add_option("FILE", *paths, tr("files to attach"))->required()->type_name("FILE")->expected(1, -1);
  attach->add_option("--role", *role, tr("what the file is: photo or document"))->type_name("ROLE");
  attach->callback([&ctx, &action, target, ref, paths, role] {
    action = [&ctx, target, ref, paths, role] {
      auto& db = ctx.db();
      auto id = target.resolve(ctx, *ref);
      core::parse_term(core::attachment_roles(), *role, "--role");  // before any copying
      core::ObjectStore store(ctx.db_path());
      store.remove_stale();
      // The copies are made before the write transaction, so that copying a
      // large file does not hold the database.
      // Every file is checked before any is copied: a bad one stops the
      // command with nothing written.
      for (const auto& p : *paths) core::ObjectStore::check_source(p);
      std::vector<core::ObjectStore::Stored> stored;
      for (const auto& p : *paths) {
        ProgressLine line(ctx, trf("Copying {}", p));
        std::error_code ec;
        auto total = std::filesystem::file_size(p, ec);
        stored.push_back(store.add_file(p, [&](std::uint64_t done) { line(done, ec ? 0 : total); }));
      }
      core::Writer w(db);
      std::vector<core::AttachResult> results;
      for (std::size_t i = 0; i < paths->size(); ++i)
        results.push_back(core::attach_file(w, id, (*paths)[i], *role, stored[i]));
      w.commit();
      auto out = Json::array();
      for (std::size_t i = 0; i < paths->size(); ++i) {
        auto name = std::filesystem::path((*paths)[i]).filename().string();
        out.push(Json::object()
                     .set("id", results[i].id)
                     .set("name", name)
                     .set("size", static_cast<std::int64_t>(stored[i].size))
                     .set("sha256", stored[i].sha256)
                     .set("added", results[i].added));
        if (ctx.format() == Format::json) continue;
        if (results[i].added)
          ctx.say(trf("Attached «{}» ({}), id {}.", name, human_size(stored[i].size), results[i].id));
        else
          ctx.say(trf("«{}» is attached already (id {}); nothing changed.", name, results[i].id));
      }
      if (ctx.format() == Format::json) ctx.out() << out.dump() << '\n';
    };
  });

  // files
  auto files_ref = std::make_shared<std::string>();
  auto* files = cmd.add_subcommand("files", tr("list the attached files, and whether their contents are here"));
  files->add_option(target.type_name, *files_ref, tr(target.help))->required()->type_name(target.type_name);
  files->callback([&ctx, &action, target, files_ref] {
    action = [&ctx, target, files_ref] {
      auto id = target.resolve(ctx, *files_ref);
      core::ObjectStore store(ctx.db_path());
      bool people = ctx.format() == Format::table;
      std::vector<Json> rows;
      for (const auto& a : core::list_attachments(ctx.db(), store, id)) rows.push_back(file_record(a, people));
      std::vector<Column> columns;
      if (people)
        columns = {{"name", tr("File")},
                   {"role", tr("Role")},
                   {"size", tr("Size")},
                   {"present", tr("Here")},
                   {"id", tr("ID")}};
      else
        columns = key_columns({"id", "name", "role", "media_type", "size", "sha256", "present", "owner"});
      print_list(ctx, rows, columns, ctx.format());
    };
  });

  // get
  auto get_ref = std::make_shared<std::string>();
  auto get_file = std::make_shared<std::string>();
  auto get_dir = std::make_shared<std::string>();
  auto* get = cmd.add_subcommand("get", tr("copy attached files out of the store into a folder, hash checked"));
  get->add_option(target.type_name, *get_ref, tr(target.help))->required()->type_name(target.type_name);
  get->add_option("FILE", *get_file, tr("one file: its name or id prefix (default: all)"))->type_name("FILE");
  get->add_option("-o,--output", *get_dir, tr("the folder to copy into"))->required()->type_name("DIR");
  get->callback([&ctx, &action, target, get_ref, get_file, get_dir] {
    action = [&ctx, target, get_ref, get_file, get_dir] {
      auto& db = ctx.db();
      auto id = target.resolve(ctx, *get_ref);
      core::ObjectStore store(ctx.db_path());
      std::error_code ec;
      if (!std::filesystem::is_directory(*get_dir, ec))
        throw core::Error(core::ErrorKind::cannot_create,
                          trf("there is no folder {}. Create it, or give the right path.", *get_dir));
      std::vector<core::Attachment> chosen;
      if (get_file->empty())
        chosen = core::list_attachments(db, store, id);
      else
        chosen.push_back(core::resolve_attachment(db, store, id, *get_file));
      if (chosen.empty()) throw core::Error(core::ErrorKind::not_found, tr("no files are attached to this record."));
      std::set<std::string> names;
      for (const auto& a : chosen) {
        // Names came from other nodes too: never a path (merge refuses such
        // names; this is the second lock).
        if (!core::safe_file_name(a.name))
          throw core::Error(core::ErrorKind::bad_data,
                            trf("the attached file name «{}» is not a plain file name; nothing was copied.", a.name));
        if (!names.insert(a.name).second)
          throw core::Error(core::ErrorKind::usage,
                            trf("two attached files are named «{}»; nothing was copied. Get them one at a time by "
                                "id into different folders ('files' shows the ids).",
                                a.name));
        if (!a.present) {
          // A file outside the node's subscriptions is not asked for until
          // someone wants it: now someone does.
          bool subscribed = core::wanted_by(db, ctx.self().id, a.id);
          core::request_object(db, a.sha256);
          if (!subscribed)
            throw core::Error(core::ErrorKind::not_found,
                              trf("«{}» is outside this school's subscriptions, so the hub has not sent it. It is "
                                  "asked for now: it comes with the hub's bundle after this node's next one.",
                                  a.name));
          throw core::Error(core::ErrorKind::not_found,
                            trf("«{}» has not arrived here yet: its contents come with a later bundle (this node asks "
                                "for them in every bundle it sends).",
                                a.name));
        }
        if (std::filesystem::exists(std::filesystem::path(*get_dir) / a.name, ec))
          throw core::Error(core::ErrorKind::cannot_create,
                            trf("{} exists already; nothing was copied. Choose another folder.",
                                (std::filesystem::path(*get_dir) / a.name).string()));
      }
      for (const auto& a : chosen) {
        auto dest = (std::filesystem::path(*get_dir) / a.name).string();
        ProgressLine line(ctx, trf("Copying {}", a.name));
        store.copy_out(a.sha256, dest, [&](std::uint64_t done) { line(done, static_cast<std::uint64_t>(a.size)); });
        line.finish();
        if (ctx.format() != Format::json)
          ctx.say(trf("Copied {} ({}).", dest, human_size(static_cast<std::uint64_t>(a.size))));
      }
      if (ctx.format() == Format::json) {
        auto out = Json::array();
        for (const auto& a : chosen)
          out.push(Json::object()
                       .set("name", a.name)
                       .set("file", (std::filesystem::path(*get_dir) / a.name).string())
                       .set("sha256", a.sha256));
        ctx.out() << out.dump() << '\n';
      }
    };
  });

  // detach
  auto detach_ref = std::make_shared<std::string>();
  auto detach_file = std::make_shared<std::string>();
  auto* detach = cmd.add_subcommand("detach", tr("detach a file (the record no longer lists it)"));
  detach->add_option(target.type_name, *detach_ref, tr(target.help))->required()->type_name(target.type_name);
  detach->add_option("FILE", *detach_file, tr("the file: its name or id prefix"))->required()->type_name("FILE");
  detach->callback([&ctx, &action, target, detach_ref, detach_file] {
    action = [&ctx, target, detach_ref, detach_file] {
      auto& db = ctx.db();
      auto id = target.resolve(ctx, *detach_ref);
      core::ObjectStore store(ctx.db_path());
      auto a = core::resolve_attachment(db, store, id, *detach_file);
      core::Writer w(db);
      core::detach_file(w, a.id);
      w.commit();
      ctx.say(trf("Detached «{}».", a.name));
    };
  });
}

}  // namespace setevoe::cli
