// setevoe init: create this node's database and key pair.
#include <filesystem>

#include "cli/app.hpp"
#include "cli/output.hpp"
#include "core/config.hpp"
#include "core/i18n.hpp"
#include "core/node.hpp"

namespace setevoe::cli {

using core::tr;
using core::trf;

void setup_init(CLI::App& app, Context& ctx, std::function<void()>& action) {
  auto options = std::make_shared<core::InitOptions>();
  auto hub = std::make_shared<bool>(false);
  auto* init = &app;  // made by make_app from the command table
  init->add_option("--name", options->name, tr("the organisation this installation serves"))
      ->required()
      ->type_name("NAME");
  init->add_flag("--hub", *hub, tr("this is the district hub (the moderator's node), not a school"));
  init->add_option("--time-zone", options->time_zone, tr("time zone for showing times (default Europe/Moscow)"))
      ->type_name("ZONE");
  init->callback([&ctx, &action, options, hub] {
    action = [&ctx, options, hub] {
      options->role = *hub ? core::Role::hub : core::Role::school;
      std::string source;
      auto path = core::resolve_db_path(ctx.db_flag, &source);
      if (source == "default") {
        // The XDG data folder is setevoe's own: make it when missing.
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
      }
      auto node = core::init_node(path, *options);
      if (ctx.format() == Format::json) {
        ctx.out() << util::Json::object()
                         .set("id", node.id)
                         .set("name", node.name)
                         .set("role", std::string(core::role_code(node.role)))
                         .set("time_zone", node.time_zone)
                         .set("db", path)
                         .set("key_file", core::key_path_for(path))
                         .set("fingerprint", core::key_fingerprint(node.public_key))
                         .dump()
                  << '\n';
        return;
      }
      ctx.say(trf("Created the {} node «{}» in {}.", node.role == core::Role::hub ? tr("hub") : tr("school"), node.name,
                  path));
      ctx.say(trf("Node id: {}", node.id));
      ctx.say(trf("Key fingerprint: {}", core::key_fingerprint(node.public_key)));
      ctx.say(
          trf("The secret key is in {} (readable by you only). Keep a copy of it in a safe place: "
              "it is not inside the database or its backups.",
              core::key_path_for(path)));
    };
  });
}

}  // namespace setevoe::cli
