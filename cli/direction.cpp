// setevoe direction: the priority directions of regulation 2.3.
#include "cli/app.hpp"
#include "cli/output.hpp"
#include "core/i18n.hpp"
#include "core/member.hpp"
#include "core/util/text.hpp"

namespace setevoe::cli {

using core::tr;
using core::trf;

namespace {
util::Json direction_json(const core::Direction& d) {
  return util::Json::object()
      .set("id", d.id)
      .set("code", d.code)
      .set("name", d.name)
      .set("kind", "direction")
      .set("status", "active");
}
}  // namespace

void setup_direction(CLI::App& app, Context& ctx, std::function<void()>& action) {
  auto* dir = &app;  // made by make_app from the command table
  dir->require_subcommand(1);

  auto* list = dir->add_subcommand("list", tr("list the directions"));
  list->callback([&ctx, &action] {
    action = [&ctx] {
      std::vector<util::Json> records;
      for (const auto& d : core::list_directions(ctx.db())) records.push_back(direction_json(d));
      auto f = ctx.format();
      if (f == Format::table)
        print_list(ctx, records, {{"code", tr("Code")}, {"name", tr("Direction")}}, f);
      else
        print_list(ctx, records, {{"id", ""}, {"code", ""}, {"name", ""}}, f);
    };
  });

  auto code = std::make_shared<std::string>(), name = std::make_shared<std::string>();
  auto* add = dir->add_subcommand("add", tr("add a direction (the hub only)"));
  add->add_option("--code", *code, tr("short Latin name for the command line: robotics"))
      ->required()
      ->type_name("CODE");
  add->add_option("--name", *name, tr("the direction's name in Russian"))->required()->type_name("NAME");
  add->callback([&ctx, &action, code, name] {
    action = [&ctx, code, name] {
      core::Writer w(ctx.db());
      auto id = core::add_direction(w, *code, *name);
      w.commit();
      core::Direction d{id, util::ascii_lower(*code), *name, ctx.self().id};
      if (ctx.format() == Format::table)
        ctx.say(trf("Added the direction «{}» ({}), id {}", *name, d.code, id));
      else
        print_record(ctx, direction_json(d), {{"id", ""}, {"code", ""}, {"name", ""}}, ctx.format());
    };
  });
}

}  // namespace setevoe::cli
