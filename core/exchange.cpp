// Exchanging bundles: enrolment, trust, pack, merge, log.
#include "core/exchange.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/i18n.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {
namespace {

std::optional<PeerInfo> find_node(Db& db, const std::string& id) {
  Stmt s(
      db,
      "SELECT id, name, role, public_key, state, coalesce(last_exchange, '') FROM node WHERE id = ? AND is_self = 0");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return PeerInfo{s.column_text(0), s.column_text(1), s.column_text(2),
                  s.column_text(3), s.column_text(4), s.column_text(5)};
}

std::string text_of(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return {};
  if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return std::get<std::string>(v);
}

void touch(Db& db, const std::string& node) {
  Stmt s(db, "UPDATE node SET last_exchange = ? WHERE id = ?");
  s.bind(1, util::iso_utc(util::system_clock_ms())).bind(2, node).run();
}

}  // namespace

std::vector<PeerInfo> list_peers(Db& db) {
  Transaction tx(db, Transaction::Kind::read);
  std::vector<PeerInfo> out;
  Stmt s(db,
         "SELECT n.id, n.name, n.role, n.public_key, n.state, coalesce(n.last_exchange, ''), "
         "  (SELECT coalesce(sum(a.seq), 0) FROM ack a JOIN origin o ON o.num = a.origin "
         "     WHERE a.peer = n.id AND o.node = (SELECT id FROM node WHERE is_self = 1)), "
         "  (SELECT count(*) FROM change c WHERE c.seq > coalesce((SELECT a.seq FROM ack a WHERE a.peer = n.id AND "
         "     a.origin = c.origin), 0)) "
         "FROM node n WHERE n.is_self = 0 ORDER BY n.role DESC, n.name");
  while (s.step())
    out.push_back({s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4),
                   s.column_text(5), s.column_int(6), s.column_int(7)});
  return out;
}

std::string resolve_peer(Db& db, const std::string& ref) {
  std::vector<PeerInfo> found;
  auto peers = list_peers(db);
  for (const auto& p : peers)
    if ((ref == "hub" && p.role == "hub") || p.name == ref) found.push_back(p);
  if (found.empty()) {
    auto prefix = util::canonical_id_prefix(ref);
    if (prefix && prefix->size() >= 4)
      for (const auto& p : peers)
        if (p.id.rfind(*prefix, 0) == 0) found.push_back(p);
  }
  if (found.size() == 1) return found[0].id;
  if (found.empty())
    throw Error(ErrorKind::not_found,
                trf("no node «{}» is known here. 'setevoe node list' shows the known nodes.", ref));
  std::string list;
  for (const auto& p : found) list += fmt::format("\n  {}  {}", p.id, p.name);
  throw Error(ErrorKind::usage, trf("«{}» matches several nodes; give more of the id:{}", ref, list));
}

void set_peer_state(Db& db, const std::string& node, const std::string& state) {
  Transaction tx(db, Transaction::Kind::write);
  if (self_node(db).role != Role::hub)
    throw Error(ErrorKind::not_permitted, tr("only the district hub approves and revokes nodes."));
  auto peer = find_node(db, node);
  if (!peer) throw Error(ErrorKind::not_found, trf("no node {} is known here.", node));
  Stmt s(db, "UPDATE node SET state = ? WHERE id = ?");
  s.bind(1, state).bind(2, node).run();
  tx.commit();
}

PackResult pack_bundle(Db& db, const std::string& peer_ref, const std::string& out, bool encrypt) {
  auto self = self_node(db);
  std::string peer;
  bool enrolment = false;
  if (peer_ref == "hub" && self.role == Role::school) {
    bool hub_known = false;
    for (const auto& p : list_peers(db)) hub_known = hub_known || p.role == "hub";
    enrolment = !hub_known;
  }
  if (!enrolment) {
    peer = resolve_peer(db, peer_ref);
    auto info = find_node(db, peer);
    if (info && info->state == "revoked")
      throw Error(ErrorKind::not_permitted, trf("the node «{}» is revoked; nothing is sent to it.", info->name));
  }
  std::string encrypt_to;
  if (encrypt) {
    if (enrolment)
      throw Error(ErrorKind::usage, tr("the hub's key is not known here yet, so the enrolment request cannot be "
                                       "encrypted; send it without --encrypt (it carries no contact details the hub "
                                       "may not see)."));
    encrypt_to = find_node(db, peer)->public_key;
  }
  auto secret = load_secret_key(db.path());
  auto set = collect_changes(db, peer);
  PackResult r;
  r.recipient = peer;
  r.path = out;
  r.changes = static_cast<std::int64_t>(set.changes.size());
  for (const auto& c : set.changes) r.fields += static_cast<std::int64_t>(c.fields.size());
  r.sha256 = write_bundle(set, self, secret, out, encrypt_to);
  r.encrypted = encrypt;
  Transaction tx(db, Transaction::Kind::write);
  Stmt log(db, "INSERT INTO bundle_log (direction, at, peer, sha256, file, changes) VALUES ('sent', ?, ?, ?, ?, ?)");
  log.bind(1, util::iso_utc(util::system_clock_ms()))
      .bind(2, peer)
      .bind(3, r.sha256)
      .bind(4, out)
      .bind(5, r.changes)
      .run();
  if (!peer.empty()) touch(db, peer);
  tx.commit();
  return r;
}

Bundle inspect_bundle(const std::string& path) {
  return read_bundle(path);
}

MergeReport merge_bundle(Db& db, const std::string& path, bool dry_run, bool approve) {
  std::string secret;
  try {
    secret = load_secret_key(db.path());
  } catch (const Error&) {
    // Only an encrypted bundle needs it; read_bundle says so then.
  }
  auto bundle = read_bundle(path, secret);
  if (!bundle.opened)
    throw Error(ErrorKind::not_found, trf("{}: the bundle is encrypted and this node's secret key ({}) is missing.",
                                          path, key_path_for(db.path())));
  const auto& m = bundle.manifest;
  auto self = self_node(db);
  MergeReport report;
  report.file = path;
  report.sha256 = bundle.sha256;
  report.sender = m.sender;
  report.sender_name = m.sender_name;
  report.fingerprint = key_fingerprint(m.sender_key);
  report.dry_run = dry_run;

  // Trust: the sender is known with this key and approved, or becomes known
  // by the rules of enrolment. Everything below is one transaction, so that a
  // dry run or a refusal leaves nothing behind (but the record of a school
  // asking to join, which the moderator must see).
  std::string sender_role;
  for (const auto& n : bundle.set.nodes)
    if (n.id == m.sender) sender_role = n.role;
  Transaction tx(db, Transaction::Kind::write);
  auto known = find_node(db, m.sender);
  Stmt state(db, "UPDATE node SET state = ? WHERE id = ?");
  if (known) {
    if (known->public_key != m.sender_key)
      throw Error(ErrorKind::not_permitted,
                  trf("{}: the bundle is signed with a key that is not the key of «{}» known here. Nothing was merged.",
                      path, known->name));
    if (known->state == "revoked")
      throw Error(ErrorKind::not_permitted,
                  trf("{}: the node «{}» is revoked. Nothing was merged.", path, known->name));
    if (known->state == "pending" && !approve)
      throw Error(ErrorKind::not_permitted,
                  trf("{}: «{}» asks to join the network and is not approved yet. Check the key fingerprint {} with "
                      "the school by phone, then run 'setevoe node approve {}' (or merge with --approve).",
                      path, known->name, report.fingerprint, m.sender));
    if (known->state == "pending") {
      if (self.role != Role::hub)
        throw Error(ErrorKind::not_permitted, tr("only the district hub approves and revokes nodes."));
      state.bind(1, "approved").bind(2, m.sender).run();
    }
  } else if (self.role == Role::hub) {
    if (sender_role != "school")
      throw Error(ErrorKind::not_permitted, trf("{}: an unknown node that is not a school; nothing was merged.", path));
    remember_node(db, {m.sender, m.sender_name, "school", m.sender_key});
    state.bind(1, approve ? "approved" : "pending").bind(2, m.sender).run();
    if (!approve) {
      // Record the request, so that node list shows it for approval.
      if (!dry_run) tx.commit();
      throw Error(ErrorKind::not_permitted,
                  trf("{}: «{}» asks to join the network (key fingerprint {}). Check the fingerprint with the school "
                      "by phone, then run 'setevoe node approve {}' and merge again, or merge with --approve.",
                      path, m.sender_name, report.fingerprint, m.sender));
    }
    report.new_node = true;
  } else {
    // A school trusts the first hub it hears from, and learns the other
    // schools from the hub's bundles.
    bool has_hub = db.query_int("SELECT count(*) FROM node WHERE role = 'hub' AND is_self = 0") > 0;
    if (sender_role != "hub" || has_hub)
      throw Error(ErrorKind::not_permitted,
                  trf("{}: the sender «{}» is not known here. Schools become known through the hub's bundles; merge "
                      "the hub's bundle first.",
                      path, m.sender_name));
    remember_node(db, {m.sender, m.sender_name, "hub", m.sender_key});
    report.new_node = true;
  }

  report.result = merge_changes_in(db, bundle.set);
  if (dry_run) return report;  // the transaction rolls back
  Stmt log(db,
           "INSERT INTO bundle_log (direction, at, peer, sha256, file, changes, applied, conflicts) "
           "VALUES ('received', ?, ?, ?, ?, ?, ?, ?)");
  log.bind(1, util::iso_utc(util::system_clock_ms())).bind(2, m.sender).bind(3, bundle.sha256).bind(4, path);
  log.bind(5, m.changes).bind(6, report.result.applied).bind(7, report.result.conflicts).run();
  touch(db, m.sender);
  tx.commit();
  return report;
}

SyncReport sync_folders(Db& db, const std::string& inbox, const std::string& outbox) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& dir : {inbox, outbox})
    if (!fs::is_directory(dir, ec))
      throw Error(ErrorKind::not_found, trf("there is no folder {}. Create it, or give the right path.", dir));
  SyncReport report;
  std::vector<fs::directory_entry> files;
  for (const auto& e : fs::directory_iterator(inbox, ec))
    if (e.is_regular_file() && e.path().extension() == ".zip") files.push_back(e);
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.last_write_time() != b.last_write_time() ? a.last_write_time() < b.last_write_time() : a.path() < b.path();
  });
  std::set<std::string> heard_from;
  auto done = fs::path(inbox) / "merged";
  for (const auto& f : files) {
    try {
      auto r = merge_bundle(db, f.path().string(), false, false);
      heard_from.insert(r.sender);
      report.merged.push_back(r);
      fs::create_directories(done, ec);
      auto target = done / f.path().filename();
      if (fs::exists(target, ec)) {  // the same name merged before: keep both
        target += ".";
        target += util::uuid7(util::system_clock_ms()).substr(24);
      }
      fs::rename(f.path(), target, ec);
    } catch (const Error& e) {
      if (report.failed.empty()) report.first_failure = e.kind();
      report.failed.emplace_back(f.path().string(), e.what());
    }
  }
  auto self = self_node(db);
  auto stamp = util::iso_utc(util::system_clock_ms());
  std::string time;
  for (char c : stamp.substr(0, 19))
    if (c != '-' && c != ':') time.push_back(c == 'T' ? '-' : c);
  auto peers = list_peers(db);
  bool hub_known = std::any_of(peers.begin(), peers.end(), [](const PeerInfo& p) { return p.role == "hub"; });
  if (self.role == Role::school && !hub_known)  // not enrolled yet: ask to join
    report.packed.push_back(pack_bundle(
        db, "hub", (fs::path(outbox) / fmt::format("{}-to-hub-{}.zip", self.id.substr(28), time)).string()));
  for (const auto& p : peers) {
    if (p.state != "approved") continue;
    if (p.unsent == 0 && !heard_from.count(p.id)) continue;  // nothing to send, nothing to acknowledge
    // The random ends of the ids: their beginnings are the same for nodes made
    // in the same days (UUIDv7 starts with the time).
    auto name = fmt::format("{}-to-{}-{}.zip", self.id.substr(28), p.id.substr(28), time);
    report.packed.push_back(pack_bundle(db, p.id, (fs::path(outbox) / name).string()));
  }
  return report;
}

std::vector<LogEntry> bundle_log(Db& db) {
  std::vector<LogEntry> out;
  Stmt s(db,
         "SELECT l.direction, l.at, l.peer, coalesce(n.name, ''), l.sha256, l.file, l.changes, l.applied, l.conflicts "
         "FROM bundle_log l LEFT JOIN node n ON n.id = l.peer ORDER BY l.id");
  while (s.step()) {
    LogEntry e{s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4),
               s.column_text(5), s.column_int(6),  std::nullopt,     std::nullopt};
    if (!s.column_is_null(7)) e.applied = s.column_int(7);
    if (!s.column_is_null(8)) e.conflicts = s.column_int(8);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<ConflictEntry> list_conflicts(Db& db) {
  std::vector<ConflictEntry> out;
  Stmt s(db,
         "SELECT tbl, row_id, field, winner_value, winner_version, loser_value, loser_version, seen_at FROM conflict "
         "ORDER BY id");
  while (s.step())
    out.push_back({s.column_text(0), s.column_text(1), s.column_text(2), text_of(s.column_value(3)), s.column_text(4),
                   text_of(s.column_value(5)), s.column_text(6), s.column_text(7)});
  return out;
}

}  // namespace setevoe::core
