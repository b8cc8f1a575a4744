// setevoe init: create this node's database and key pair.
#include <filesystem>

#include "cli/app.hpp"
#include "cli/output.hpp"
#include "core/config.hpp"
#include "core/exchange.hpp"
#include "core/i18n.hpp"
#include "core/node.hpp"

namespace setevoe::cli {

using core::tr;
using core::trf;

void setup_init(CLI::App& app, Context& ctx, std::function<void()>& action) {
  auto options = std::make_shared<core::InitOptions>();
  auto hub = std::make_shared<bool>(false);
  auto* init = &app;  // made by make_app from the command table
  init->add_option("--name", options->name, tr("the organisation this installation serves"))->type_name("NAME");
  auto from = std::make_shared<std::vector<std::string>>();
  init->add_option("--from", *from, tr("restore a school whose disk died from the hub's full bundle (all its parts)"))
      ->type_name("FILE")
      ->expected(1, -1)
      ->excludes("--name");
  init->add_flag("--hub", *hub, tr("this is the district hub (the moderator's node), not a school"));
  init->add_option("--time-zone", options->time_zone, tr("time zone for showing times (default Europe/Moscow)"))
      ->type_name("ZONE");
  init->callback([&ctx, &action, options, hub, from] {
    action = [&ctx, options, hub, from] {
      options->role = *hub ? core::Role::hub : core::Role::school;
      if (from->empty() && options->name.empty())
        throw core::Error(core::ErrorKind::usage,
                          tr("--name is required: the organisation this installation serves, as in "
                             "init --name \"МБОУ «СОШ № 3»\"."));
      if (!from->empty() && *hub)
        throw core::Error(core::ErrorKind::usage, tr("--from restores a school; a hub is restored from its backup "
                                                     "(setevoe db backup)."));
      std::string source;
      auto path = core::resolve_db_path(ctx.db_flag, &source);
      if (source == "default") {
        // The XDG data folder is setevoe's own: make it when missing.
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
      }
      core::NodeInfo node;
      if (from->empty()) {
        node = core::init_node(path, *options);
      } else {
        ProgressLine line(ctx, tr("Restoring"));
        node = core::restore_node(path, *from, options->time_zone,
                                  [&line](std::uint64_t done, std::uint64_t total) { line(done, total); });
      }
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
      if (from->empty())
        ctx.say(trf("Created the {} node «{}» in {}.", node.role == core::Role::hub ? tr("hub") : tr("school"),
                    node.name, path));
      else
        ctx.say(
            trf("Restored the school «{}» in {} from the hub's full bundle. It has a new key: send the hub a "
                "bundle (bundle pack --to hub) and tell the moderator the new key fingerprint below, so that "
                "the hub accepts it.",
                node.name, path));
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
