// setevoe bundle: exchange files with other nodes (pack, merge, inspect,
// verify, log, conflicts).
#include <fmt/format.h>

#include "cli/app.hpp"
#include "cli/output.hpp"
#include "core/exchange.hpp"
#include "core/i18n.hpp"

namespace setevoe::cli {
namespace {

using core::tr;
using core::trf;
using util::Json;

Json manifest_json(const core::Bundle& b) {
  const auto& m = b.manifest;
  return Json::object()
      .set("file_sha256", b.sha256)  // the bundle's id: SHA-256 of its manifest
      .set("format", m.format)
      .set("format_version", m.format_version)
      .set("schema_version", m.schema_version)
      .set("sender", m.sender)
      .set("sender_name", m.sender_name)
      .set("fingerprint", core::key_fingerprint(m.sender_key))
      .set("recipient", m.recipient)
      .set("created", m.created)
      .set("changes", m.changes)
      .set("fields", m.fields)
      .set("objects", m.objects)
      .set("deferred", m.deferred)
      .set("part", m.part ? Json(fmt::format("{}/{}", m.part->number, m.part->count)) : Json())
      .set("part_set", m.part ? Json(m.part->set) : Json())
      .set("encrypted", m.encrypted)
      .set("signature", "ok");
}

std::vector<Column> manifest_columns() {
  return {{"sender_name", tr("Sender")},  {"sender", tr("Sender id")},    {"fingerprint", tr("Key fingerprint")},
          {"recipient", tr("Recipient")}, {"created", tr("Created")},     {"changes", tr("Changes")},
          {"fields", tr("Field values")}, {"objects", tr("Files")},       {"deferred", tr("Files held back")},
          {"part", tr("Part")},           {"encrypted", tr("Encrypted")}, {"file_sha256", tr("Bundle id")},
          {"signature", tr("Signature")}};
}

}  // namespace

void setup_bundle(CLI::App& cmd, Context& ctx, std::function<void()>& action) {
  cmd.require_subcommand(1);

  auto to = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto encrypt = std::make_shared<bool>(false);
  auto max_size = std::make_shared<std::string>();
  auto full = std::make_shared<bool>(false);
  auto* pack = cmd.add_subcommand("pack", tr("write a bundle of everything a peer lacks"));
  pack->add_option("--to", *to, tr("the peer: node id prefix, name, or hub"))->required()->type_name("NODE");
  pack->add_option("-o,--output", *out, tr("the bundle file to write (never overwritten)"))
      ->required()
      ->type_name("FILE");
  pack->add_flag("--encrypt", *encrypt,
                 tr("seal the changes to the recipient's key (contact details are personal data)"));
  pack->add_option("--max-size", *max_size,
                   tr("split into parts of at most this size (20M, 512K, 1G); larger files are held back"))
      ->type_name("SIZE");
  pack->add_flag("--full", *full,
                 tr("everything, as if the peer had nothing: restores a school whose disk died (init --from)"));
  pack->callback([&ctx, &action, to, out, encrypt, max_size, full] {
    action = [&ctx, to, out, encrypt, max_size, full] {
      core::PackOptions options;
      options.encrypt = *encrypt;
      options.full = *full;
      if (!max_size->empty()) options.max_size = parse_size(*max_size, "--max-size");
      ProgressLine line(ctx, tr("Packing"));
      options.progress = [&line](std::uint64_t done, std::uint64_t total) { line(done, total); };
      auto r = core::pack_bundle(ctx.db(), *to, *out, options);
      line.finish();
      if (ctx.format() == Format::json) {
        auto parts = Json::array();
        for (const auto& p : r.parts) parts.push(p);
        ctx.out() << Json::object()
                         .set("file", r.path)
                         .set("files", parts)
                         .set("sha256", r.sha256)
                         .set("recipient", r.recipient)
                         .set("changes", r.changes)
                         .set("fields", r.fields)
                         .set("objects", r.objects)
                         .set("deferred", r.deferred)
                         .set("encrypted", r.encrypted)
                         .dump()
                  << '\n';
        return;
      }
      if (r.recipient.empty())
        ctx.say(
            trf("Wrote the enrolment request {} ({} changes). Send it to the district hub and tell them the key "
                "fingerprint: {}.",
                r.path, r.changes, core::key_fingerprint(ctx.self().public_key)));
      else if (r.parts.size() > 1)
        ctx.say(
            trf("Wrote {} parts ({} changes, {} files); send all of them: the recipient merges them in any "
                "order, once all have arrived:",
                r.parts.size(), r.changes, r.objects));
      else
        ctx.say(trf("Wrote {}: {} changes, {} field values, {} files.", r.path, r.changes, r.fields, r.objects));
      if (r.parts.size() > 1)
        for (const auto& p : r.parts) ctx.say("  " + p);
      if (r.deferred > 0)
        ctx.say(
            trf("{} files are larger than --max-size allows and were held back; the recipient will ask for "
                "them, and a bundle without --max-size (or with a larger one) brings them.",
                r.deferred));
    };
  });

  auto files = std::make_shared<std::vector<std::string>>();
  auto dry_run = std::make_shared<bool>(false);
  auto approve = std::make_shared<bool>(false);
  auto* merge = cmd.add_subcommand("merge", tr("verify and merge received bundles, each all or nothing"));
  merge->add_option("FILE", *files, tr("bundle files"))->required()->type_name("FILE")->expected(1, -1);
  merge->add_flag("--dry-run", *dry_run, tr("check and count, writing nothing"));
  merge->add_flag("--approve", *approve, tr("hub: approve an enrolling school (check its fingerprint first)"));
  merge->callback([&ctx, &action, files, dry_run, approve] {
    action = [&ctx, files, dry_run, approve] {
      auto& db = ctx.db();
      auto results = Json::array();
      std::optional<core::Error> first_error;
      for (const auto& f : *files) {
        try {
          ProgressLine line(ctx, trf("Merging {}", f));
          auto r = core::merge_bundle(db, f, *dry_run, *approve,
                                      [&line](std::uint64_t done, std::uint64_t total) { line(done, total); });
          line.finish();
          bool already = r.result.already_merged() && r.objects == 0 && !r.waiting;
          results.push(Json::object()
                           .set("file", f)
                           .set("sender", r.sender)
                           .set("sender_name", r.sender_name)
                           .set("applied", r.result.applied)
                           .set("skipped", r.result.skipped)
                           .set("fields", r.result.fields)
                           .set("conflicts", r.result.conflicts)
                           .set("objects", r.objects)
                           .set("wanted", r.wanted)
                           .set("part", r.part ? Json(fmt::format("{}/{}", r.part->number, r.part->count)) : Json())
                           .set("waiting", r.waiting)
                           .set("already_merged", already)
                           .set("dry_run", r.dry_run));
          if (ctx.format() == Format::json) continue;
          if (r.new_node)
            ctx.say(trf("{}: «{}» is now known here (key fingerprint {}).", f, r.sender_name, r.fingerprint));
          if (r.waiting)
            ctx.say(
                trf("{}{}: part {} of {} from «{}» is kept; {} of {} parts are here. The set is merged when all "
                    "have arrived.",
                    r.dry_run ? tr("(dry run) ") : "", f, r.part->number, r.part->count, r.sender_name, r.parts_here,
                    r.part->count));
          else if (already)
            ctx.say(trf("{}: already merged, nothing new from «{}».", f, r.sender_name));
          else
            ctx.say(trf("{}{}: from «{}»: {} new changes, {} field values written, {} conflicts, {} files.",
                        r.dry_run ? tr("(dry run) ") : "", f, r.sender_name, r.result.applied, r.result.fields,
                        r.result.conflicts, r.objects));
          if (r.wanted > 0 && !r.dry_run && !r.waiting)
            ctx.say(
                trf("{} attached files have not arrived yet; the next bundle to the sender asks for them.", r.wanted));
        } catch (const core::Error& e) {
          // Each bundle stands alone: the others are still merged.
          if (files->size() == 1) throw;
          ctx.err() << "setevoe: " << e.what() << '\n';
          if (!first_error) first_error = e;
        }
      }
      if (ctx.format() == Format::json) ctx.out() << results.dump() << '\n';
      if (first_error)
        throw core::Error(first_error->kind(), tr("some bundles were not merged (see above); the others were."));
    };
  });

  auto inbox = std::make_shared<std::string>(), outbox = std::make_shared<std::string>();
  auto* sync = cmd.add_subcommand(
      "sync", tr("merge every bundle in an inbox folder, then write one for each peer into an outbox"));
  sync->add_option("--inbox", *inbox, tr("folder of received bundles; merged ones move to its merged/ folder"))
      ->required()
      ->type_name("DIR");
  sync->add_option("--outbox", *outbox, tr("folder to write the new bundles into"))->required()->type_name("DIR");
  auto sync_max = std::make_shared<std::string>();
  sync->add_option("--max-size", *sync_max, tr("split the bundles written into parts of at most this size"))
      ->type_name("SIZE");
  sync->callback([&ctx, &action, inbox, outbox, sync_max] {
    action = [&ctx, inbox, outbox, sync_max] {
      auto r =
          core::sync_folders(ctx.db(), *inbox, *outbox, sync_max->empty() ? 0 : parse_size(*sync_max, "--max-size"));
      if (ctx.format() == Format::json) {
        auto merged = Json::array(), failed = Json::array(), packed = Json::array();
        for (const auto& m : r.merged)
          merged.push(Json::object()
                          .set("file", m.file)
                          .set("sender", m.sender)
                          .set("applied", m.result.applied)
                          .set("conflicts", m.result.conflicts));
        for (const auto& [file, why] : r.failed) failed.push(Json::object().set("file", file).set("error", why));
        for (const auto& p : r.packed)
          packed.push(Json::object().set("file", p.path).set("recipient", p.recipient).set("changes", p.changes));
        ctx.out() << Json::object().set("merged", merged).set("failed", failed).set("packed", packed).dump() << '\n';
      } else {
        for (const auto& m : r.merged)
          if (m.waiting)
            ctx.say(trf("kept {}: part {} of {} from «{}»; waiting for the others.", m.file, m.part->number,
                        m.part->count, m.sender_name));
          else
            ctx.say(trf("merged {}: from «{}», {} new changes, {} conflicts.", m.file, m.sender_name, m.result.applied,
                        m.result.conflicts));
        for (const auto& p : r.packed)
          for (const auto& f : p.parts) ctx.say(trf("wrote {}: {} changes.", f, p.changes));
        if (r.merged.empty() && r.packed.empty() && r.failed.empty())
          ctx.say(tr("Nothing to merge and nothing to send."));
      }
      for (const auto& [file, why] : r.failed) ctx.err() << "setevoe: " << why << '\n';
      if (!r.failed.empty())
        throw core::Error(r.first_failure, trf("bundles not merged (they stay in {}): {}.", *inbox, r.failed.size()));
    };
  });

  auto inspect_file = std::make_shared<std::string>();
  auto* inspect =
      cmd.add_subcommand("inspect", tr("show a bundle's sender, key fingerprint and counts; changes nothing"));
  inspect->add_option("FILE", *inspect_file, tr("bundle file"))->required()->type_name("FILE");
  inspect->callback([&ctx, &action, inspect_file] {
    action = [&ctx, inspect_file] {
      auto b = core::inspect_bundle(*inspect_file);
      print_record(ctx, manifest_json(b), manifest_columns(), ctx.format());
    };
  });

  auto verify_file = std::make_shared<std::string>();
  auto* verify = cmd.add_subcommand("verify", tr("check a bundle's integrity and signature only"));
  verify->add_option("FILE", *verify_file, tr("bundle file"))->required()->type_name("FILE");
  verify->callback([&ctx, &action, verify_file] {
    action = [&ctx, verify_file] {
      auto b = core::inspect_bundle(*verify_file);
      ProgressLine line(ctx, tr("Checking"));
      std::uint64_t total = 0;
      for (const auto& e : b.manifest.entries)
        if (e.name.rfind("objects/", 0) == 0) total += e.size;
      core::read_objects(b, nullptr, [&](std::uint64_t done) { line(done, total); });
      line.finish();
      if (ctx.format() == Format::json)
        ctx.out() << Json::object().set("file", *verify_file).set("ok", true).set("sha256", b.sha256).dump() << '\n';
      else
        ctx.say(trf("{}: ok (signed by «{}», key fingerprint {}).", *verify_file, b.manifest.sender_name,
                    core::key_fingerprint(b.manifest.sender_key)));
    };
  });

  auto* log = cmd.add_subcommand("log", tr("bundles sent and received: time, peer, hash, counts"));
  log->callback([&ctx, &action] {
    action = [&ctx] {
      std::vector<Json> rows;
      bool people = ctx.format() == Format::table;
      auto tz = ctx.self().time_zone;
      for (const auto& e : core::bundle_log(ctx.db()))
        rows.push_back(
            Json::object()
                .set("direction", people ? (e.direction == "sent" ? tr("sent") : tr("received")) : e.direction)
                .set("at", people ? local_time(e.at, tz) : e.at)
                .set("peer", e.peer)
                .set("peer_name", e.peer_name)
                .set("sha256", e.sha256)
                .set("file", e.file)
                .set("changes", e.changes)
                .set("objects", e.objects)
                .set("part", e.part.empty() ? Json() : Json(e.part))
                .set("applied", e.applied ? Json(*e.applied) : Json())
                .set("conflicts", e.conflicts ? Json(*e.conflicts) : Json()));
      std::vector<Column> columns;
      if (people)
        columns = {{"at", tr("When")},         {"direction", tr("Direction")}, {"peer_name", tr("Peer")},
                   {"changes", tr("Changes")}, {"applied", tr("New")},         {"objects", tr("Files")},
                   {"file", tr("File")}};
      else
        columns = key_columns(
            {"direction", "at", "peer", "sha256", "file", "changes", "applied", "conflicts", "objects", "part"});
      print_list(ctx, rows, columns, ctx.format());
    };
  });

  auto* conflicts = cmd.add_subcommand("conflicts", tr("concurrent edits of the same field: winner, loser, when"));
  conflicts->callback([&ctx, &action] {
    action = [&ctx] {
      std::vector<Json> rows;
      bool people = ctx.format() == Format::table;
      auto tz = ctx.self().time_zone;
      for (const auto& c : core::list_conflicts(ctx.db()))
        rows.push_back(Json::object()
                           .set("table", c.table)
                           .set("row", c.row)
                           .set("field", c.field)
                           .set("winner", c.winner_value)
                           .set("winner_version", c.winner_version)
                           .set("loser", c.loser_value)
                           .set("loser_version", c.loser_version)
                           .set("seen_at", people ? local_time(c.seen_at, tz) : c.seen_at));
      std::vector<Column> columns;
      if (people)
        columns = {{"seen_at", tr("When")}, {"table", tr("Table")}, {"row", tr("Record")},
                   {"field", tr("Field")},  {"winner", tr("Kept")}, {"loser", tr("Lost")}};
      else
        columns =
            key_columns({"table", "row", "field", "winner", "winner_version", "loser", "loser_version", "seen_at"});
      print_list(ctx, rows, columns, ctx.format());
    };
  });
}

}  // namespace setevoe::cli
