// setevoe status: this node and what it holds.
#include "cli/app.hpp"
#include "cli/output.hpp"
#include "core/i18n.hpp"
#include "core/maintenance.hpp"

namespace setevoe::cli {

using core::tr;
using core::trf;

void setup_status(CLI::App& app, Context& ctx, std::function<void()>& action) {
  auto* status = &app;  // made by make_app from the command table
  status->callback([&ctx, &action] {
    action = [&ctx] {
      auto s = core::node_status(ctx.db());
      auto j = util::Json::object();
      j.set("id", s.node.id)
          .set("name", s.node.name)
          .set("role", std::string(core::role_code(s.node.role)))
          .set("time_zone", s.node.time_zone)
          .set("db", s.db_path)
          .set("schema_version", s.schema_version)
          .set("fingerprint", core::key_fingerprint(s.node.public_key))
          .set("public_key", s.node.public_key)
          .set("key_file", s.key_path)
          .set("key_present", s.key_present)
          .set("orgs", s.orgs)
          .set("groups", s.groups)
          .set("people", s.people)
          .set("experts", s.experts)
          .set("directions", s.directions)
          .set("changes", s.changes)
          .set("own_changes", s.own_changes)
          .set("peers", s.peers)
          .set("unsent", s.unsent);
      auto f = ctx.format();
      if (f != Format::table) {
        std::vector<Column> cols;
        for (const char* k :
             {"id", "name", "role", "time_zone", "db", "schema_version", "fingerprint", "key_file", "key_present",
              "orgs", "groups", "people", "experts", "directions", "changes", "own_changes", "peers", "unsent"})
          cols.push_back({k, k});
        print_record(ctx, j, cols, f);
        return;
      }
      auto d = util::Json::object();
      d.set("name", s.node.name)
          .set("role", s.node.role == core::Role::hub ? tr("district hub") : tr("school"))
          .set("id", s.node.id)
          .set("db", s.db_path)
          .set("fingerprint", core::key_fingerprint(s.node.public_key))
          .set("key", s.key_present ? s.key_path : trf("MISSING: {} — bundles cannot be signed without it", s.key_path))
          .set("time_zone", s.node.time_zone)
          .set("registry", trf("organisations {}, groups {}, people {} (experts {}), directions {}", s.orgs, s.groups,
                               s.people, s.experts, s.directions))
          .set("changes", trf("in the change log {}, made here {}", s.changes, s.own_changes))
          .set("unsent", s.peers                          ? trf("{} not yet acknowledged by every peer", s.unsent)
                         : s.node.role == core::Role::hub ? trf("{} (no exchange with the schools yet)", s.unsent)
                                                          : trf("{} (no exchange with the hub yet)", s.unsent));
      print_record(ctx, d,
                   {{"name", tr("Node")},
                    {"role", tr("Role")},
                    {"id", tr("Node id")},
                    {"db", tr("Database")},
                    {"fingerprint", tr("Key fingerprint")},
                    {"key", tr("Secret key")},
                    {"time_zone", tr("Time zone")},
                    {"registry", tr("Registry")},
                    {"changes", tr("Changes")},
                    {"unsent", tr("Unsent")}},
                   f);
    };
  });
}

}  // namespace setevoe::cli
