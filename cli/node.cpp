// setevoe node: the other nodes of the network, their keys and enrolment.
#include "cli/app.hpp"
#include "cli/output.hpp"
#include "core/exchange.hpp"
#include "core/i18n.hpp"
#include "core/product.hpp"

namespace setevoe::cli {

using core::tr;
using core::trf;
using util::Json;

namespace {
const char* state_label(const std::string& state) {
  if (state == "pending") return N_("pending");
  if (state == "revoked") return N_("revoked");
  return N_("approved");
}
}  // namespace

void setup_node(CLI::App& cmd, Context& ctx, std::function<void()>& action) {
  cmd.require_subcommand(1);
  auto* list = cmd.add_subcommand("list", tr("the known nodes: role, state, key fingerprint, last exchange"));
  list->callback([&ctx, &action] {
    action = [&ctx] {
      std::vector<Json> rows;
      bool people = ctx.format() == Format::table;
      auto tz = ctx.self().time_zone;
      for (const auto& p : core::list_peers(ctx.db()))
        rows.push_back(Json::object()
                           .set("id", p.id)
                           .set("name", p.name)
                           .set("role", people ? (p.role == "hub" ? tr("district hub") : tr("school")) : p.role)
                           .set("state", people ? tr(state_label(p.state)) : p.state)
                           .set("fingerprint", core::key_fingerprint(p.public_key))
                           .set("last_exchange", p.last_exchange.empty() ? Json()
                                                 : people                ? Json(local_time(p.last_exchange, tz))
                                                                         : Json(p.last_exchange))
                           .set("acknowledged", p.acknowledged)
                           .set("unsent", p.unsent));
      std::vector<Column> columns;
      if (people)
        columns = {{"id", tr("ID")},
                   {"name", tr("Node")},
                   {"role", tr("Role")},
                   {"state", tr("State")},
                   {"fingerprint", tr("Key fingerprint")},
                   {"last_exchange", tr("Last exchange")},
                   {"unsent", tr("Unsent")}};
      else
        columns =
            key_columns({"id", "name", "role", "state", "fingerprint", "last_exchange", "acknowledged", "unsent"});
      print_list(ctx, rows, columns, ctx.format());
    };
  });
  for (auto [verb, state, help] :
       {std::tuple{"approve", "approved", N_("hub: approve a school's key (after checking its fingerprint)")},
        std::tuple{"revoke", "revoked", N_("hub: revoke a node; its bundles are refused")}}) {
    auto ref = std::make_shared<std::string>();
    auto* sub = cmd.add_subcommand(verb, tr(help));
    sub->add_option("NODE", *ref, tr("node id prefix or name"))->required()->type_name("NODE");
    std::string target = state;
    sub->callback([&ctx, &action, ref, target] {
      action = [&ctx, ref, target] {
        auto id = core::resolve_peer(ctx.db(), *ref);
        core::set_peer_state(ctx.db(), id, target);
        ctx.say(target == "approved" ? trf("Approved: {}.", id) : trf("Revoked: {}.", id));
      };
    });
  }

  // A school's subscriptions to parts of the catalogue's files.
  for (auto [verb, help] :
       {std::pair{"subscribe", N_("school: receive the catalogue's files only of these directions and orgs")},
        std::pair{"unsubscribe", N_("school: stop a subscription")}}) {
    auto dirs = std::make_shared<std::vector<std::string>>();
    auto orgs = std::make_shared<std::vector<std::string>>();
    auto* sub = cmd.add_subcommand(verb, tr(help));
    sub->add_option("--direction", *dirs, tr("a direction: code or name; repeat for several"))
        ->type_name("DIRECTION")
        ->expected(1, -1);
    sub->add_option("--org", *orgs, tr("an organisation or association: id prefix or name; repeat for several"))
        ->type_name("ORG")
        ->expected(1, -1);
    bool remove = std::string_view(verb) == "unsubscribe";
    sub->callback([&ctx, &action, dirs, orgs, remove] {
      action = [&ctx, dirs, orgs, remove] {
        core::Writer w(ctx.db());
        int n = core::subscribe(w, *dirs, *orgs, remove);
        w.commit();
        auto now = core::list_subscriptions(ctx.db(), ctx.self().id);
        ctx.say(remove ? trf("Subscriptions stopped: {}. Left: {}.", n, now.size())
                       : trf("Subscriptions added: {}. In all: {}. The hub sends the files of other products only "
                             "when asked ('setevoe product get').",
                             n, now.size()));
      };
    });
  }
  auto* subs = cmd.add_subcommand("subscriptions", tr("this school's subscriptions (none: every file is received)"));
  auto subs_node = std::make_shared<std::string>();
  subs->add_option("NODE", *subs_node, tr("another node: its subscriptions as this node knows them"))
      ->type_name("NODE");
  subs->callback([&ctx, &action, subs_node] {
    action = [&ctx, subs_node] {
      auto node = subs_node->empty() ? ctx.self().id : core::resolve_peer(ctx.db(), *subs_node);
      std::vector<Json> rows;
      bool people = ctx.format() == Format::table;
      for (const auto& s : core::list_subscriptions(ctx.db(), node))
        rows.push_back(Json::object()
                           .set("kind", people ? (s.kind == "org" ? tr("organisation") : tr("direction")) : s.kind)
                           .set("id", s.ref)
                           .set("name", s.name.empty() ? Json() : Json(s.name)));
      if (rows.empty() && people) {
        ctx.say(subs_node->empty() ? tr("No subscriptions: every file of the catalogue is received.")
                                   : tr("No subscriptions: that node receives every file of the catalogue."));
        return;
      }
      print_list(ctx, rows,
                 people ? std::vector<Column>{{"kind", tr("Kind")}, {"name", tr("Name")}, {"id", tr("ID")}}
                        : key_columns({"kind", "id", "name"}),
                 ctx.format());
    };
  });
}

}  // namespace setevoe::cli
