// setevoe db: integrity check and consistent backup of the database file.
#include "cli/app.hpp"
#include "cli/output.hpp"
#include "core/i18n.hpp"
#include "core/maintenance.hpp"

namespace setevoe::cli {

using core::tr;
using core::trf;

void setup_db(CLI::App& app, Context& ctx, std::function<void()>& action) {
  auto* db = &app;  // made by make_app from the command table
  db->require_subcommand(1);

  auto* check = db->add_subcommand("check", tr("check the database's integrity (SQLite's and setevoe's own rules)"));
  check->callback([&ctx, &action] {
    action = [&ctx] {
      auto problems = core::check_database(ctx.db());
      if (ctx.format() == Format::json) {
        auto list = util::Json::array();
        for (const auto& p : problems) list.push(p);
        ctx.out() << util::Json::object().set("ok", problems.empty()).set("problems", list).dump() << '\n';
      } else if (problems.empty()) {
        ctx.say(trf("{}: ok", ctx.db().path()));
      } else {
        for (const auto& p : problems) ctx.out() << p << '\n';
      }
      if (!problems.empty())
        throw core::Error(
            core::ErrorKind::corrupt,
            trf("problems found in {}: {}. Restore the database from a backup, or ask for help with the output above.",
                ctx.db().path(), problems.size()));
    };
  });

  auto dest = std::make_shared<std::string>();
  auto* backup =
      db->add_subcommand("backup", tr("write a consistent copy of the database, even while others write to it"));
  backup->add_option("FILE", *dest, tr("the copy to write; an existing file is replaced only with --yes"))
      ->required()
      ->type_name("FILE");
  backup->callback([&ctx, &action, dest] {
    action = [&ctx, dest] {
      core::backup_database(ctx.db(), *dest, ctx.yes);
      ctx.say(trf("Backup written to {}. The node's secret key ({}) is not in it: keep a copy of the key apart.", *dest,
                  core::key_path_for(ctx.db().path())));
    };
  });
}

}  // namespace setevoe::cli
