// Exchanging bundles: enrolment, trust, pack, merge, log.
#include "core/exchange.hpp"

#include "core/search/index.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include <sodium.h>

#include "core/attachment.hpp"
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

namespace {

// The files a bundle for `peer` carries: those the set's attachment changes
// name, and those the peer asked for; only those in the store.
std::vector<BundleObject> objects_for(Db& db, const ObjectStore& store, const ChangeSet& set, const std::string& peer,
                                      bool full) {
  std::set<std::string> shas;
  for (const auto& c : set.changes) {
    if (c.table != tables::attachment.name) continue;
    std::string sha;
    bool removed = false;
    for (const auto& f : c.fields) {
      if (f.name == "sha256" && std::holds_alternative<std::string>(f.value)) sha = std::get<std::string>(f.value);
      if (f.name == "deleted" && f.value == Value(std::int64_t{1})) removed = true;
    }
    // Files of products outside the peer's subscriptions stay here until
    // it asks for them; files the peer attached itself are there already
    // (were one lost, the peer would ask for it) unless the peer is being
    // restored (--full).
    if (!sha.empty() && !removed && (full || c.owner != peer) && wanted_by(db, peer, c.row)) shas.insert(sha);
  }
  Stmt wants(db, "SELECT sha256 FROM peer_wants WHERE peer = ?");
  wants.bind(1, peer);
  while (wants.step()) shas.insert(wants.column_text(0));
  std::vector<BundleObject> out;
  for (const auto& sha : shas)
    if (auto size = store.size_of(sha)) out.push_back({sha, *size, store.path_of(sha)});
  return out;
}

// One part of a split bundle: its changes and files.
struct PartPlan {
  ChangeSet set;
  std::uint64_t bytes = 0;  // of changes.sqlite
  std::vector<BundleObject> objects;
};

// Room in a part for the zip's and the manifest's own records.
constexpr std::uint64_t k_part_overhead = 32 << 10;
constexpr std::uint64_t k_object_overhead = 512;

// Divides the changes into sets whose changes.sqlite fits `budget` bytes,
// halving a range until it fits; the order of the changes is kept.
void split_changes(const ChangeSet& whole, std::size_t from, std::size_t to, std::uint64_t budget,
                   std::vector<PartPlan>& out) {
  PartPlan p;
  p.set.sender = whole.sender;
  p.set.recipient = whole.recipient;
  p.set.nodes = whole.nodes;
  p.set.streams = whole.streams;
  p.set.wanted = whole.wanted;
  p.set.changes.assign(whole.changes.begin() + static_cast<std::ptrdiff_t>(from),
                       whole.changes.begin() + static_cast<std::ptrdiff_t>(to));
  p.bytes = changes_db_bytes(p.set).size();
  if (p.bytes <= budget) {
    out.push_back(std::move(p));
    return;
  }
  if (to - from <= 1)
    throw Error(ErrorKind::usage,
                trf("--max-size is too small: one change alone takes {} KiB of a bundle. Give a larger size.",
                    (p.bytes + k_part_overhead + 1023) / 1024));
  auto mid = from + (to - from) / 2;
  split_changes(whole, from, mid, budget, out);
  split_changes(whole, mid, to, budget, out);
}

std::string part_path(const std::string& out, int number, int count) {
  namespace fs = std::filesystem;
  fs::path p(out);
  auto name = fmt::format("{}-part{}-of-{}{}", p.stem().string(), number, count, p.extension().string());
  return (p.parent_path() / name).string();
}

}  // namespace

PackResult pack_bundle(Db& db, const std::string& peer_ref, const std::string& out, const PackOptions& options) {
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
  if (options.max_size && options.max_size < k_min_part_size)
    throw Error(ErrorKind::usage, trf("--max-size must be at least {} KiB.", k_min_part_size >> 10));
  std::string encrypt_to;
  if (options.encrypt) {
    if (enrolment)
      throw Error(ErrorKind::usage, tr("the hub's key is not known here yet, so the enrolment request cannot be "
                                       "encrypted; send it without --encrypt (it carries no contact details the hub "
                                       "may not see)."));
    encrypt_to = find_node(db, peer)->public_key;
  }
  auto secret = load_secret_key(db.path());
  ObjectStore store(db.path());
  ChangeSet set;
  std::vector<BundleObject> objects;
  if (options.full && enrolment)
    throw Error(ErrorKind::usage, tr("--full makes a bundle that restores a known node; the hub is not known here."));
  set = collect_changes(db, peer, options.full);
  set.wanted = wanted_objects(db, store);
  objects = objects_for(db, store, set, peer, options.full);
  PackResult r;
  r.recipient = peer;
  r.changes = static_cast<std::int64_t>(set.changes.size());
  for (const auto& c : set.changes) r.fields += static_cast<std::int64_t>(c.fields.size());
  r.encrypted = options.encrypt;

  // The plan: one bundle, or parts that each stay under the limit.
  std::vector<PartPlan> plan;
  std::int64_t deferred = 0;
  if (!options.max_size) {
    PartPlan all;
    all.set = std::move(set);
    all.objects = std::move(objects);
    plan.push_back(std::move(all));
  } else {
    auto budget = options.max_size - k_part_overhead;
    if (options.encrypt) budget -= crypto_box_SEALBYTES;
    split_changes(set, 0, set.changes.size(), budget, plan);
    std::sort(objects.begin(), objects.end(), [](const auto& a, const auto& b) { return a.size > b.size; });
    std::vector<std::uint64_t> used;
    for (const auto& p : plan) used.push_back(p.bytes);
    for (auto& o : objects) {
      auto need = stored_object_size(o.size, options.encrypt) + k_object_overhead;
      if (need > budget) {  // held back: the peer will ask for it again
        ++deferred;
        continue;
      }
      std::size_t k = 0;
      while (k < plan.size() && used[k] + need > budget) ++k;
      if (k == plan.size()) {  // a part of its own, with no changes
        split_changes(set, 0, 0, budget, plan);
        used.push_back(plan.back().bytes);
      }
      plan[k].objects.push_back(std::move(o));
      used[k] += need;
    }
  }

  std::uint64_t total = 0, done_before = 0;
  for (const auto& p : plan) {
    total += p.bytes;
    for (const auto& o : p.objects) total += o.size;
  }
  int count = static_cast<int>(plan.size());
  std::optional<PartInfo> part;
  if (count > 1) part = PartInfo{util::uuid7(util::system_clock_ms()), 0, count};
  std::vector<std::pair<std::string, std::string>> written;  // path, id
  try {
    for (int k = 0; k < count; ++k) {
      auto& p = plan[static_cast<std::size_t>(k)];
      BundleExtras extras;
      extras.objects = p.objects;
      extras.deferred = deferred;
      extras.full = options.full;
      if (part) {
        part->number = k + 1;
        extras.part = part;
      }
      std::uint64_t part_bytes = p.bytes;
      for (const auto& o : p.objects) part_bytes += o.size;
      if (options.progress)
        extras.progress = [&, part_bytes](double fraction) {
          options.progress(done_before + static_cast<std::uint64_t>(fraction * static_cast<double>(part_bytes)), total);
        };
      auto path = part ? part_path(out, k + 1, count) : out;
      auto id = write_bundle(p.set, self, secret, path, encrypt_to, extras);
      written.emplace_back(path, id);
      done_before += part_bytes;
      r.objects += static_cast<std::int64_t>(p.objects.size());
      if (options.max_size && std::filesystem::file_size(path) > options.max_size)
        throw Error(ErrorKind::internal, trf("{} came out larger than --max-size", path));
    }
  } catch (...) {
    std::error_code ec;
    for (const auto& w : written) std::filesystem::remove(w.first, ec);
    throw;
  }
  r.deferred = deferred;
  r.path = written.front().first;
  r.sha256 = written.front().second;
  for (const auto& w : written) r.parts.push_back(w.first);

  Transaction tx(db, Transaction::Kind::write);
  Stmt log(db,
           "INSERT INTO bundle_log (direction, at, peer, sha256, file, changes, objects, part) "
           "VALUES ('sent', ?, ?, ?, ?, ?, ?, ?)");
  for (int k = 0; k < count; ++k) {
    const auto& p = plan[static_cast<std::size_t>(k)];
    log.reset();
    log.bind(1, util::iso_utc(util::system_clock_ms()))
        .bind(2, peer)
        .bind(3, written[static_cast<std::size_t>(k)].second)
        .bind(4, written[static_cast<std::size_t>(k)].first)
        .bind(5, static_cast<std::int64_t>(p.set.changes.size()))
        .bind(6, static_cast<std::int64_t>(p.objects.size()));
    log.bind(7, part ? std::optional<std::string>(fmt::format("{} {}/{}", part->set, k + 1, count)) : std::nullopt);
    log.run();
  }
  if (!peer.empty()) touch(db, peer);
  tx.commit();
  return r;
}

NodeInfo restore_node(const std::string& db_path, const std::vector<std::string>& files, const std::string& time_zone,
                      const Progress& progress) {
  if (files.empty()) throw Error(ErrorKind::usage, tr("give the hub's full bundle (all its parts)."));
  auto first = read_bundle(files.front());
  const auto& m = first.manifest;
  if (!m.full)
    throw Error(ErrorKind::usage,
                trf("{} is not a full bundle. Ask the hub for one: setevoe bundle pack --to NODE --full.", files[0]));
  if (!first.opened)
    throw Error(ErrorKind::usage,
                trf("{} is encrypted to the node's old key, which was lost with its disk. Ask the hub for a full "
                    "bundle without --encrypt.",
                    files[0]));
  const NodeRecord* me = nullptr;
  for (const auto& n : first.set.nodes)
    if (n.id == m.recipient) me = &n;
  if (!me || me->role != "school")
    throw Error(ErrorKind::usage, trf("{} does not restore a school of the network.", files[0]));
  InitOptions options;
  options.id = me->id;
  options.name = me->name;
  options.time_zone = time_zone;
  auto node = init_node(db_path, options);
  try {
    auto db = Db::open(db_path, OpenMode::existing);
    for (const auto& f : files) merge_bundle(db, f, false, false, progress);
    // Every part must have arrived: a set still waiting restored nothing.
    if (db.query_int("SELECT count(*) FROM node WHERE role = 'hub' AND is_self = 0") == 0 ||
        db.query_int("SELECT count(*) FROM bundle_log WHERE direction = 'received'") == 0)
      throw Error(ErrorKind::usage, tr("not all parts of the full bundle were given; give every part."));
  } catch (...) {
    std::error_code ec;
    for (const auto& p : {db_path, db_path + "-wal", db_path + "-shm", key_path_for(db_path)})
      std::filesystem::remove(p, ec);
    std::filesystem::remove_all(ObjectStore(db_path).root(), ec);
    std::filesystem::remove_all(db_path + ".parts", ec);
    throw;
  }
  return node;
}

Bundle inspect_bundle(const std::string& path) {
  return read_bundle(path);
}

namespace {

// Trust (DESIGN.md, "Trust"): the sender is known here with this key and
// approved, or becomes known by the rules of enrolment. Runs inside the
// merge's transaction; `tx` is committed early only to keep the record of a
// school asking to join, which the moderator must see.
void check_trust(Db& db, Transaction& tx, const Bundle& bundle, bool dry_run, bool approve, MergeReport& report) {
  const auto& m = bundle.manifest;
  const auto& path = report.file;
  auto self = self_node(db);
  std::string sender_role;
  for (const auto& n : bundle.set.nodes)
    if (n.id == m.sender) sender_role = n.role;
  auto known = find_node(db, m.sender);
  Stmt state(db, "UPDATE node SET state = ? WHERE id = ?");
  if (known && known->public_key != m.sender_key && self.role == Role::hub && known->role == "school" &&
      known->state != "revoked") {
    // A school restored after its disk died (init --from) has a new key.
    if (!approve)
      throw Error(ErrorKind::not_permitted,
                  trf("{}: «{}» signs with a new key (fingerprint {}). If the school was restored after losing its "
                      "disk, check the fingerprint with the school by phone, then merge again with --approve. Nothing "
                      "was merged.",
                      path, known->name, report.fingerprint));
    Stmt rekey(db, "UPDATE node SET public_key = ?, state = 'approved' WHERE id = ?");
    rekey.bind(1, m.sender_key).bind(2, m.sender).run();
    report.new_node = true;
    known->public_key = m.sender_key;
    known->state = "approved";
  }
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
}

// Parts of split bundles wait beside the database until their set is whole:
// <db>.parts/<set id>/<number>.zip
std::filesystem::path parts_root(const Db& db) {
  return db.path() + ".parts";
}

bool set_merged(Db& db, const std::string& set) {
  Stmt s(db, "SELECT 1 FROM bundle_log WHERE direction = 'received' AND part LIKE ? LIMIT 1");
  s.bind(1, set + " %");
  return s.step();
}

// Removes the kept parts of sets merged already (a merge killed after its
// commit leaves them) and temporaries of dead processes.
void tidy_parts(Db& db) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parts_root(db), ec)) {
    auto name = e.path().filename().string();
    if (util::is_uuid(name) && set_merged(db, name)) fs::remove_all(e.path(), ec);
  }
}

// Copies a part into the folder of its set (temporary name, then rename).
void keep_part(const std::string& from, const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(to, ec)) return;
  fs::create_directories(to.parent_path(), ec);
  if (ec)
    throw Error(ErrorKind::cannot_create,
                trf("cannot create the folder {}: {}.", to.parent_path().string(), ec.message()));
  auto tmp = to;
  tmp += ".tmp";
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(tmp, to, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(ErrorKind::io, trf("cannot keep {} in {}: {}.", from, to.parent_path().string(), ec.message()));
  }
}

}  // namespace

MergeReport merge_bundle(Db& db, const std::string& path, bool dry_run, bool approve, const Progress& progress) {
  namespace fs = std::filesystem;
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
  const auto m = bundle.manifest;
  MergeReport report;
  report.file = path;
  report.sha256 = bundle.sha256;
  report.sender = m.sender;
  report.sender_name = m.sender_name;
  report.fingerprint = key_fingerprint(m.sender_key);
  report.dry_run = dry_run;
  report.part = m.part;

  // Everything below is one transaction, so that a dry run or a refusal
  // leaves nothing behind.
  Transaction tx(db, Transaction::Kind::write);
  check_trust(db, tx, bundle, dry_run, approve, report);

  // A part of a split bundle: kept until its set is whole.
  std::vector<Bundle> parts;
  std::string part_label;
  if (m.part && m.part->count > 1) {
    const auto& p = *m.part;
    part_label = fmt::format("{} {}/{}", p.set, p.number, p.count);
    tidy_parts(db);
    if (set_merged(db, p.set)) {
      report.parts_here = p.count;
      if (!dry_run) tx.commit();
      return report;  // already merged
    }
    auto dir = parts_root(db) / p.set;
    // A part's files are checked now, so that a damaged part is refused on
    // arrival rather than spoiling its set when the last part comes.
    read_objects(bundle, nullptr);
    if (!dry_run) keep_part(path, dir / fmt::format("{}.zip", p.number));
    std::vector<std::string> files;
    for (int k = 1; k <= p.count; ++k) {
      auto kept = dir / fmt::format("{}.zip", k);
      std::error_code ec;
      if (k == p.number)
        files.push_back(path);
      else if (fs::exists(kept, ec))
        files.push_back(kept.string());
    }
    report.parts_here = static_cast<int>(files.size());
    if (report.parts_here < p.count) {
      report.waiting = true;
      if (!dry_run) tx.commit();
      return report;
    }
    for (int k = 1; k <= p.count; ++k) {
      if (k == p.number) {
        parts.push_back(std::move(bundle));
        continue;
      }
      auto other = read_bundle(files[static_cast<std::size_t>(k - 1)], secret);
      const auto& om = other.manifest;
      if (om.sender != m.sender || om.sender_key != m.sender_key || !om.part || om.part->set != p.set ||
          om.part->count != p.count || om.part->number != k || !other.opened)
        throw Error(ErrorKind::bad_data, trf("{} is not part {} of the set {}; delete it and merge the parts again.",
                                             files[static_cast<std::size_t>(k - 1)], k, p.set));
      parts.push_back(std::move(other));
    }
  } else {
    parts.push_back(std::move(bundle));
  }
  ChangeSet set = std::move(parts.front().set);
  for (std::size_t k = 1; k < parts.size(); ++k) {
    auto& more = parts[k].set.changes;
    set.changes.insert(set.changes.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    more.clear();
  }

  // The files: checked and written under temporary names before any change
  // is applied.
  ObjectStore store(db.path());
  std::uint64_t total = 0, before = 0;
  for (const auto& b : parts)
    for (const auto& e : b.manifest.entries)
      if (e.name.rfind("objects/", 0) == 0 && !store.has(e.sha256)) total += e.size;
  StagedObjects staged;
  for (const auto& b : parts) {
    ByteProgress each;
    if (progress) each = [&](std::uint64_t done) { progress(before + done, total); };
    auto got = read_objects(b, &store, each);
    for (auto& g : got) {
      before += g->size();
      staged.push_back(std::move(g));
    }
  }

  check_attachment_changes(db, set);
  report.result = merge_changes_in(db, set);
  // What the sender still lacks replaces what it asked for before.
  Stmt forget(db, "DELETE FROM peer_wants WHERE peer = ?");
  forget.bind(1, m.sender).run();
  Stmt want(db, "INSERT OR IGNORE INTO peer_wants (peer, sha256) VALUES (?, ?)");
  for (const auto& sha : set.wanted) want.reset(), want.bind(1, m.sender).bind(2, sha).run();
  report.objects = static_cast<std::int64_t>(staged.size());
  if (dry_run) return report;  // the transaction rolls back; the staged files vanish
  std::vector<std::string> arrived;
  for (auto& o : staged) {
    o->commit();
    arrived.push_back(o->sha256());
  }
  // Files that came after their products' rows: their text joins the index.
  search::mark_files_arrived(db, arrived);
  search::refresh(db);
  Stmt log(db,
           "INSERT INTO bundle_log (direction, at, peer, sha256, file, changes, applied, conflicts, objects, part) "
           "VALUES ('received', ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  log.bind(1, util::iso_utc(util::system_clock_ms())).bind(2, m.sender).bind(3, report.sha256).bind(4, path);
  log.bind(5, static_cast<std::int64_t>(set.changes.size()))
      .bind(6, report.result.applied)
      .bind(7, report.result.conflicts)
      .bind(8, report.objects);
  log.bind(9, part_label.empty() ? std::nullopt : std::optional<std::string>(part_label));
  log.run();
  touch(db, m.sender);
  tx.commit();
  if (m.part && m.part->count > 1) {
    std::error_code ec;
    fs::remove_all(parts_root(db) / m.part->set, ec);
  }
  report.wanted = static_cast<std::int64_t>(wanted_objects(db, store).size());
  return report;
}

SyncReport sync_folders(Db& db, const std::string& inbox, const std::string& outbox, std::uint64_t max_size) {
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
  PackOptions options;
  options.max_size = max_size;
  if (self.role == Role::school && !hub_known)  // not enrolled yet: ask to join
    report.packed.push_back(pack_bundle(
        db, "hub", (fs::path(outbox) / fmt::format("{}-to-hub-{}.zip", self.id.substr(28), time)).string(), options));
  ObjectStore store(db.path());
  auto has_wanted = [&](const std::string& peer) {
    Stmt w(db, "SELECT sha256 FROM peer_wants WHERE peer = ?");
    w.bind(1, peer);
    while (w.step())
      if (store.has(w.column_text(0))) return true;
    return false;
  };
  for (const auto& p : peers) {
    if (p.state != "approved") continue;
    // Nothing to send, nothing to acknowledge, no file it asked for.
    if (p.unsent == 0 && !heard_from.count(p.id) && !has_wanted(p.id)) continue;
    // The random ends of the ids: their beginnings are the same for nodes made
    // in the same days (UUIDv7 starts with the time).
    auto name = fmt::format("{}-to-{}-{}.zip", self.id.substr(28), p.id.substr(28), time);
    report.packed.push_back(pack_bundle(db, p.id, (fs::path(outbox) / name).string(), options));
  }
  return report;
}

std::vector<LogEntry> bundle_log(Db& db) {
  std::vector<LogEntry> out;
  Stmt s(db,
         "SELECT l.direction, l.at, l.peer, coalesce(n.name, ''), l.sha256, l.file, l.changes, l.applied, l.conflicts, "
         "  l.objects, coalesce(l.part, '') "
         "FROM bundle_log l LEFT JOIN node n ON n.id = l.peer ORDER BY l.id");
  while (s.step()) {
    LogEntry e;
    e.direction = s.column_text(0);
    e.at = s.column_text(1);
    e.peer = s.column_text(2);
    e.peer_name = s.column_text(3);
    e.sha256 = s.column_text(4);
    e.file = s.column_text(5);
    e.changes = s.column_int(6);
    if (!s.column_is_null(7)) e.applied = s.column_int(7);
    if (!s.column_is_null(8)) e.conflicts = s.column_int(8);
    e.objects = s.column_int(9);
    e.part = s.column_text(10);
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
