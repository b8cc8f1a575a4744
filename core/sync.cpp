// Replication between nodes: collecting and merging change sets.
#include "core/sync.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "core/hlc.hpp"
#include "core/i18n.hpp"
#include "core/replica.hpp"

namespace setevoe::core {
namespace {

std::string role_of(Db& db, const std::string& node) {
  Stmt s(db, "SELECT role FROM node WHERE id = ?");
  s.bind(1, node);
  return s.step() ? s.column_text(0) : std::string();
}

}  // namespace

void remember_node(Db& db, const NodeRecord& node) {
  Stmt s(db,
         "INSERT INTO node (id, name, role, public_key, created_at) VALUES (?, ?, ?, ?, ?) "
         "ON CONFLICT (id) DO UPDATE SET name = excluded.name, public_key = excluded.public_key");
  s.bind(1, node.id)
      .bind(2, node.name)
      .bind(3, node.role)
      .bind(4, node.public_key)
      .bind(5, util::iso_utc(util::system_clock_ms()));
  s.run();
}

// ---- Collecting

ChangeSet collect_changes(Db& db, const std::string& peer, bool full) {
  Transaction tx(db, Transaction::Kind::read);
  auto self = self_node(db);
  auto peer_role = peer.empty() ? std::string("hub") : role_of(db, peer);
  if (peer_role.empty())
    throw Error(ErrorKind::not_found, trf("no node {} is known here; only enrolled nodes receive bundles.", peer));
  ChangeSet set;
  set.sender = self.id;
  set.recipient = peer;

  struct Stream {
    std::int64_t num;
    StreamRecord record;
  };
  std::vector<Stream> streams;
  {
    // Private streams go only between their node and a hub: a hub sends its
    // own and the peer's; a school sends its own to a hub. The version vector
    // names every stream, so that the peer learns what we have applied.
    bool hub = self.role == Role::hub;
    Stmt s(db, "SELECT num, id, node, last_seq, private FROM origin ORDER BY id");
    while (s.step()) {
      StreamRecord r{s.column_text(1), s.column_text(2), s.column_int(3), s.column_int(4) != 0};
      set.streams.push_back(r);
      if (r.personal && !(hub ? (r.node == self.id || r.node == peer) : (r.node == self.id && peer_role == "hub")))
        continue;
      streams.push_back({s.column_int(0), r});
    }
  }
  {
    // A hub names every node it knows, with its state: that is how schools
    // learn of approvals and revocations.
    Stmt n(db,
           "SELECT id, name, role, public_key, state FROM node WHERE id = ?1 OR id IN (SELECT node FROM origin) "
           "OR ?2 ORDER BY id");
    n.bind(1, self.id).bind(2, self.role == Role::hub ? 1 : 0);
    while (n.step())
      set.nodes.push_back({n.column_text(0), n.column_text(1), n.column_text(2), n.column_text(3), n.column_text(4)});
  }

  // One statement per table reads a row's owner, versions and fields.
  std::map<std::string, std::unique_ptr<Stmt>> readers;
  auto reader = [&](const TableSpec& t) -> Stmt& {
    auto& r = readers[t.name];
    if (!r) {
      std::string cols;
      for (const auto& f : all_fields(t)) cols += ", " + f;
      r = std::make_unique<Stmt>(db, fmt::format("SELECT owner, _v{} FROM {} WHERE id = ?", cols, t.name));
    }
    r->reset();
    return *r;
  };

  Stmt changes(db, "SELECT seq, tbl, row_id, hlc FROM change WHERE origin = ? AND seq > ? ORDER BY seq");
  Stmt acked(db, "SELECT seq FROM ack WHERE peer = ? AND origin = ?");
  for (const auto& stream : streams) {
    acked.reset();
    acked.bind(1, peer).bind(2, stream.num);
    std::int64_t from = !full && acked.step() ? acked.column_int(0) : 0;
    changes.reset();
    changes.bind(1, stream.num).bind(2, from);
    while (changes.step()) {
      Change c;
      c.origin = stream.record.origin;
      c.seq = changes.column_int(0);
      c.table = changes.column_text(1);
      c.row = changes.column_text(2);
      c.hlc = static_cast<std::uint64_t>(changes.column_int(3));
      const auto* spec = find_table_spec(c.table);
      if (!spec) throw Error(ErrorKind::corrupt, trf("the change log names an unknown table {}.", c.table));
      auto& row = reader(*spec);
      row.bind(1, c.row);
      if (row.step()) {
        c.owner = row.column_text(0);
        auto versions = row.column_text(1);
        auto version = version_string(c.hlc, stream.record.node);
        // Personal data: only between its owner and a hub.
        bool in_scope = !spec->personal || peer_role == "hub" || peer == c.owner;
        auto fields = all_fields(*spec);
        for (std::size_t i = 0; in_scope && i < fields.size(); ++i)
          if (field_version(versions, fields[i], c.owner) == version)
            c.fields.push_back({fields[i], row.column_value(static_cast<int>(i) + 2)});
      }
      set.changes.push_back(std::move(c));
    }
  }
  return set;
}

// ---- Merging

namespace {

class Merger {
 public:
  Merger(Db& db, const ChangeSet& set, util::WallClock clock)
      : m_db(db), m_set(set), m_clock(std::move(clock)), m_self(self_node(db)) {}

  MergeResult run() {
    // An enrolment request is addressed to whichever hub receives it.
    bool to_any_hub = m_set.recipient.empty() && m_self.role == Role::hub;
    if (m_set.recipient != m_self.id && !to_any_hub)
      throw Error(ErrorKind::not_permitted,
                  trf("this bundle is for the node {}, not for this one ({}).", m_set.recipient, m_self.id));
    if (m_set.sender == m_self.id)
      throw Error(ErrorKind::not_permitted, tr("this bundle was made by this node itself; it has nothing new."));
    m_sender_role = role_of(m_db, m_set.sender);
    if (m_sender_role.empty())
      throw Error(ErrorKind::not_permitted, trf("the sender {} is not a known node of the network.", m_set.sender));
    take_nodes();
    take_streams();
    verify();
    apply();
    acknowledge();
    return m_result;
  }

 private:
  struct Stream {
    std::int64_t num = 0;  // 0: new here
    std::string node;
    std::int64_t last_seq = 0;  // applied here
    bool personal = false;
  };

  void take_nodes() {
    // Nodes named by a hub are approved; nodes named by a school are only
    // known (their relayed changes can be checked) until a hub names them.
    bool from_hub = m_sender_role == "hub";
    // The hub's word on a node's key is taken too: a school that lost its
    // disk comes back with a new key, which the hub approved.
    Stmt take_state(m_db, "UPDATE node SET state = ?, public_key = ? WHERE id = ? AND is_self = 0");
    for (const auto& n : m_set.nodes) {
      auto known = role_of(m_db, n.id);
      if (!known.empty()) {
        if (known != n.role)
          throw Error(ErrorKind::not_permitted,
                      trf("the bundle says node {} is a {}, but it is known here as a {}.", n.id, n.role, known));
        if (from_hub && m_self.role != Role::hub && n.id != m_set.sender &&
            (n.state == "approved" || n.state == "revoked" || n.state == "pending")) {
          take_state.reset();
          take_state.bind(1, n.state).bind(2, n.public_key).bind(3, n.id).run();
        }
        continue;
      }
      // A school may be introduced by anyone; a hub only by itself (the
      // bundle layer pins the hub's key).
      if (n.role != "school" && !(n.role == "hub" && n.id == m_set.sender))
        throw Error(ErrorKind::not_permitted, trf("the bundle introduces node {} as a {}; refused.", n.id, n.role));
      if (n.role != "school" && n.role != "hub")
        throw Error(ErrorKind::bad_data, trf("unknown node role «{}».", n.role));
      remember_node(m_db, n);
      if (n.id != m_set.sender) {
        // Known from a school: pending until a hub names it. From a hub: its state.
        std::string state = from_hub && (n.state == "approved" || n.state == "revoked") ? n.state : "pending";
        Stmt s(m_db, "UPDATE node SET state = ? WHERE id = ?");
        s.bind(1, state).bind(2, n.id).run();
      }
    }
  }

  void take_streams() {
    Stmt s(m_db, "SELECT num, node, last_seq, private FROM origin WHERE id = ?");
    for (const auto& r : m_set.streams) {
      s.reset();
      s.bind(1, r.origin);
      Stream st;
      if (s.step()) {
        st = {s.column_int(0), s.column_text(1), s.column_int(2), s.column_int(3) != 0};
        if (st.node != r.node)
          throw Error(ErrorKind::bad_data,
                      trf("the bundle gives stream {} to node {}, but it belongs to {}.", r.origin, r.node, st.node));
      } else {
        if (role_of(m_db, r.node).empty())
          throw Error(ErrorKind::bad_data,
                      trf("the bundle has changes of node {}, which it does not describe.", r.node));
        st.node = r.node;
        st.personal = r.personal;
      }
      m_streams[r.origin] = st;
      m_sender_vector[r.origin] = r.last_seq;
    }
  }

  // Checks every change before anything is written.
  void verify() {
    std::map<std::string, std::int64_t> next;  // stream -> last seq after the changes so far
    for (const auto& [id, st] : m_streams) next[id] = st.last_seq;
    std::map<std::pair<std::string, std::string>, std::string> owners;  // rows created in this set
    std::vector<std::string> offences;
    for (const auto& c : m_set.changes) {
      auto it = m_streams.find(c.origin);
      if (it == m_streams.end())
        throw Error(ErrorKind::bad_data,
                    trf("a change belongs to stream {}, which the bundle does not list.", c.origin));
      auto& last = next[c.origin];
      if (c.seq <= last) {
        // Already applied: it must be the same change. Another tick under the
        // same number means the sender issued it twice (a restored copy).
        if (it->second.num != 0 && c.seq <= it->second.last_seq) {
          auto have = hlc_at(it->second.num, c.seq);
          if (have != 0 && have != c.hlc)
            throw Error(ErrorKind::bad_data,
                        trf("change {} of stream {} differs from the one merged before under that number: the "
                            "sender's database was restored from a copy and used again. On the sending node, merge "
                            "this node's latest bundle, redo the changes made since the copy was put back, and pack "
                            "again; nothing was merged.",
                            c.seq, c.origin));
        }
        continue;
      }
      if (c.seq != last + 1)
        throw Error(ErrorKind::bad_data, trf("the changes of stream {} jump from {} to {}: some are missing. Ask the "
                                             "sender for a new bundle.",
                                             c.origin, last, c.seq));
      last = c.seq;
      const auto* spec = find_table_spec(c.table);
      if (!spec) throw Error(ErrorKind::bad_data, trf("a change names an unknown table «{}».", c.table));
      for (const auto& f : c.fields)
        if (!has_field(*spec, f.name))
          throw Error(ErrorKind::bad_data, trf("a change names an unknown field «{}» of table {}.", f.name, c.table));
      // A change whose fields were all written again since (or are out of the
      // recipient's scope) writes nothing: it only keeps the stream whole.
      if (c.fields.empty()) continue;
      const auto& node = it->second.node;
      auto& role = m_roles[node];
      if (role.empty()) role = role_of(m_db, node);
      auto key = std::pair{c.table, c.row};
      std::optional<std::string> owner;
      if (auto o = owners.find(key); o != owners.end())
        owner = o->second;
      else
        owner = row_owner(*spec, c.row);
      if (owner && *owner != c.owner)
        throw Error(ErrorKind::bad_data, trf("a change gives row {} of {} the owner {}, but it belongs to {}.", c.row,
                                             c.table, c.owner, *owner));
      if (!owner) owners[key] = c.owner;
      if (role == "hub") continue;
      auto offence = [&](const std::string& why) {
        offences.push_back(fmt::format("{} #{} ({} {}): {}", c.origin, c.seq, c.table, c.row, why));
      };
      if (spec->hub_only) offence(tr("only a hub may write this table"));
      for (const auto& f : c.fields)
        for (const char* hub_field : spec->hub_fields)
          if (f.name == hub_field) offence(trf("only a hub may write the field «{}»", f.name));
      if (c.owner != node) offence(trf("the row belongs to {}, not to the node {} that changed it", c.owner, node));
    }
    if (!offences.empty()) {
      std::string list;
      for (std::size_t i = 0; i < offences.size() && i < 10; ++i) list += "\n  " + offences[i];
      if (offences.size() > 10) list += "\n  " + trf("… and {} more", offences.size() - 10);
      throw Error(ErrorKind::not_permitted,
                  trf("changes outside their node's authority in the bundle: {}; nothing was merged:{}",
                      offences.size(), list));
    }
  }

  std::optional<std::string> row_owner(const TableSpec& t, const std::string& row) {
    auto& s = m_db.cached(fmt::format("SELECT owner FROM {} WHERE id = ?", t.name));
    s.bind(1, row);
    std::optional<std::string> out;
    if (s.step()) out = s.column_text(0);
    s.reset();
    return out;
  }

  // The hlc of change `seq` of a local stream, 0 when there is none.
  std::uint64_t hlc_at(std::int64_t num, std::int64_t seq) {
    auto& s = m_db.cached("SELECT hlc FROM change WHERE origin = ? AND seq = ?");
    s.bind(1, num).bind(2, seq);
    std::uint64_t out = s.step() ? static_cast<std::uint64_t>(s.column_int(0)) : 0;
    s.reset();
    return out;
  }

  // True when the sender had applied the local write with version `v`
  // before it packed the set: then an incoming write over it is no conflict.
  bool sender_saw(const std::string& v, bool personal) {
    if (v.empty() || v == k_seed_version) return true;
    auto node = v.substr(17);
    auto tick = version_tick(v);
    // Only the writer's streams that hold such changes: public ones, or the
    // private ones for personal data.
    for (const auto& [origin, st] : m_local_streams_of(node, personal)) {
      auto seen = m_sender_vector.count(origin) ? m_sender_vector[origin] : 0;
      if (seen <= 0) continue;
      if (seen >= st.second) return true;  // it has all we have of that stream
      if (hlc_at(st.first, seen) >= tick) return true;
    }
    return false;
  }

  // Local streams of a node: origin id -> (num, last_seq).
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> m_local_streams_of(const std::string& node,
                                                                                  bool personal) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> out;
    auto& s = m_db.cached("SELECT id, num, last_seq FROM origin WHERE node = ? AND private = ?");
    s.bind(1, node).bind(2, personal ? 1 : 0);
    while (s.step()) out[s.column_text(0)] = {s.column_int(1), s.column_int(2)};
    s.reset();
    return out;
  }

  void apply() {
    auto now = util::iso_utc(m_clock());
    Stmt new_stream(m_db, "INSERT INTO origin (id, node, last_seq, private) VALUES (?, ?, 0, ?)");
    Stmt log(m_db, "INSERT INTO change (origin, seq, tbl, row_id, hlc) VALUES (?, ?, ?, ?, ?)");
    Stmt conflict(m_db,
                  "INSERT INTO conflict (tbl, row_id, field, winner_value, winner_version, loser_value, loser_version, "
                  "seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    std::uint64_t max_hlc = 0;
    for (const auto& c : m_set.changes) {
      auto& st = m_streams[c.origin];
      if (c.seq <= st.last_seq) {
        ++m_result.skipped;
        continue;
      }
      if (st.num == 0) {
        new_stream.reset();
        new_stream.bind(1, c.origin).bind(2, st.node).bind(3, st.personal ? 1 : 0).run();
        st.num = sqlite3_last_insert_rowid(m_db.handle());
      }
      const auto& spec = *find_table_spec(c.table);
      auto version = version_string(c.hlc, st.node);
      apply_fields(spec, c, version, conflict, now);
      log.reset();
      log.bind(1, st.num)
          .bind(2, c.seq)
          .bind(3, c.table)
          .bind(4, c.row)
          .bind(5, static_cast<std::int64_t>(c.hlc))
          .run();
      st.last_seq = c.seq;
      max_hlc = std::max(max_hlc, c.hlc);
      ++m_result.applied;
    }
    Stmt save(m_db, "UPDATE origin SET last_seq = ? WHERE num = ? AND last_seq < ?");
    for (const auto& [id, st] : m_streams)
      if (st.num) save.reset(), save.bind(1, st.last_seq).bind(2, st.num).bind(3, st.last_seq).run();
    // The clock moves past every version seen, so local writes win over them.
    auto hlc_text = m_db.query_text("SELECT value FROM setting WHERE key = 'hlc'").value_or("0");
    std::uint64_t local = 0;
    std::from_chars(hlc_text.data(), hlc_text.data() + hlc_text.size(), local);
    if (max_hlc > local) {
      Stmt s(m_db, "UPDATE setting SET value = ? WHERE key = 'hlc'");
      s.bind(1, std::to_string(max_hlc)).run();
    }
  }

  void apply_fields(const TableSpec& spec, const Change& c, const std::string& version, Stmt& conflict,
                    const std::string& now) {
    if (c.fields.empty()) return;
    std::string cols;
    for (const auto& f : c.fields) cols += ", " + f.name;
    auto& cur = m_db.cached(fmt::format("SELECT owner, _v{} FROM {} WHERE id = ?", cols, spec.name));
    cur.bind(1, c.row);
    if (!cur.step()) {
      cur.reset();
      insert_row(spec, c, version);
      m_result.fields += static_cast<std::int64_t>(c.fields.size());
      return;
    }
    auto owner = cur.column_text(0);
    auto versions = cur.column_text(1);
    std::vector<Value> local;
    for (std::size_t i = 0; i < c.fields.size(); ++i) local.push_back(cur.column_value(static_cast<int>(i) + 2));
    cur.reset();
    std::vector<std::size_t> winners;
    for (std::size_t i = 0; i < c.fields.size(); ++i) {
      const auto& f = c.fields[i];
      auto lv = field_version(versions, f.name, owner);
      if (version == lv) continue;
      bool wins = version > lv;
      bool differ = local[i] != f.value;
      if (wins) winners.push_back(i);
      // Same node: its writes are sequential. A write over a value the
      // sender had seen is an edit, not a conflict.
      bool concurrent =
          differ && !lv.empty() && lv.substr(17) != version.substr(17) && (!wins || !sender_saw(lv, spec.personal));
      if (concurrent) {
        conflict.reset();
        conflict.bind(1, spec.name).bind(2, c.row).bind(3, f.name);
        conflict.bind(4, wins ? f.value : local[i]).bind(5, wins ? version : lv);
        conflict.bind(6, wins ? local[i] : f.value).bind(7, wins ? lv : version).bind(8, now).run();
        ++m_result.conflicts;
      }
    }
    if (winners.empty()) return;
    std::string sets, json;
    for (std::size_t k = 0; k < winners.size(); ++k) {
      sets += fmt::format("{} = ?{}, ", c.fields[winners[k]].name, k + 3);
      json += fmt::format(", '$.{}', ?1", c.fields[winners[k]].name);
    }
    auto& up = m_db.cached(fmt::format("UPDATE {} SET {}_v = json_set(_v{}) WHERE id = ?2", spec.name, sets, json));
    up.bind(1, version).bind(2, c.row);
    for (std::size_t k = 0; k < winners.size(); ++k) up.bind(static_cast<int>(k) + 3, c.fields[winners[k]].value);
    up.run();
    m_result.fields += static_cast<std::int64_t>(winners.size());
  }

  // A row new here. Columns the change does not carry get their type's empty
  // value and no version, so the first write of them wins.
  void insert_row(const TableSpec& spec, const Change& c, const std::string& version) {
    std::string cols = "id, owner, _v", params = "?, ?, ?", json = "{";
    for (std::size_t i = 0; i < c.fields.size(); ++i) {
      cols += ", " + c.fields[i].name;
      params += ", ?";
      json += fmt::format("{}\"{}\":\"{}\"", i ? "," : "", c.fields[i].name, version);
    }
    json += "}";
    for (const auto& col : required_columns(spec)) {
      bool given =
          std::any_of(c.fields.begin(), c.fields.end(), [&](const FieldValue& f) { return f.name == col.first; });
      if (!given) {
        cols += ", " + col.first;
        params += col.second ? ", 0" : ", ''";
      }
    }
    auto& s = m_db.cached(fmt::format("INSERT INTO {} ({}) VALUES ({})", spec.name, cols, params));
    s.bind(1, c.row).bind(2, c.owner).bind(3, json);
    for (std::size_t i = 0; i < c.fields.size(); ++i) s.bind(static_cast<int>(i) + 4, c.fields[i].value);
    s.run();
  }

  // NOT NULL columns without a default: name -> is integer.
  const std::vector<std::pair<std::string, bool>>& required_columns(const TableSpec& spec) {
    if (auto it = m_required.find(spec.name); it != m_required.end()) return it->second;
    auto& out = m_required[spec.name];
    Stmt s(m_db, fmt::format("PRAGMA table_info({})", spec.name));
    while (s.step()) {
      auto name = s.column_text(1);
      if (s.column_int(3) && s.column_is_null(4) && name != "id" && name != "owner" && name != "_v")
        out.emplace_back(name, s.column_text(2) == "INTEGER");
    }
    return out;
  }

  // The sender's vector replaces what it acknowledged before, even when it is
  // lower: a peer restored from a backup has lost changes, and gets them
  // again. A late old bundle only makes the next one carry more.
  void acknowledge() {
    Stmt s(m_db,
           "INSERT INTO ack (peer, origin, seq) VALUES (?, ?, ?) "
           "ON CONFLICT (peer, origin) DO UPDATE SET seq = excluded.seq");
    Stmt num(m_db, "SELECT num FROM origin WHERE id = ?");
    Stmt flag(m_db, "INSERT OR REPLACE INTO setting (key, value) VALUES ('new_incarnation', '1')");
    for (const auto& r : m_set.streams) {
      // The sender has applied more of this node's own stream than this
      // database holds: it was restored from an older copy. The next write
      // starts a new stream, so that no sequence number is used twice.
      auto own = m_streams.find(r.origin);
      if (own != m_streams.end() && own->second.node == m_self.id && r.last_seq > own->second.last_seq) flag.run();
      num.reset();
      num.bind(1, r.origin);
      if (!num.step()) continue;  // a stream without changes for us yet
      s.reset();
      s.bind(1, m_set.sender).bind(2, num.column_int(0)).bind(3, r.last_seq).run();
    }
  }

  Db& m_db;
  const ChangeSet& m_set;
  util::WallClock m_clock;
  NodeInfo m_self;
  std::string m_sender_role;
  std::map<std::string, Stream> m_streams;
  std::map<std::string, std::int64_t> m_sender_vector;
  std::map<std::string, std::vector<std::pair<std::string, bool>>> m_required;
  std::map<std::string, std::string> m_roles;  // node -> role, read once
  MergeResult m_result;
};

}  // namespace

MergeResult merge_changes(Db& db, const ChangeSet& set, util::WallClock clock, bool dry_run) {
  Transaction tx(db, Transaction::Kind::write);
  auto result = merge_changes_in(db, set, std::move(clock));
  if (!dry_run) tx.commit();
  return result;
}

MergeResult merge_changes_in(Db& db, const ChangeSet& set, util::WallClock clock) {
  return Merger(db, set, std::move(clock)).run();
}

// ---- Comparing

std::string canonical_dump(Db& db, bool with_contacts) {
  std::string out;
  for (const auto* t : replicated_tables()) {
    if (t == &tables::contact && !with_contacts) continue;
    auto fields = all_fields(*t);
    std::string cols;
    for (const auto& f : fields) cols += ", " + f;
    Stmt s(db, fmt::format("SELECT id, owner, _v{} FROM {} ORDER BY id", cols, t->name));
    while (s.step()) {
      auto owner = s.column_text(1);
      auto versions = s.column_text(2);
      out += fmt::format("{} {} owner={}", t->name, s.column_text(0), owner);
      for (std::size_t i = 0; i < fields.size(); ++i) {
        auto v = s.column_value(static_cast<int>(i) + 3);
        std::string text = std::holds_alternative<std::monostate>(v) ? "NULL"
                           : std::holds_alternative<std::int64_t>(v) ? std::to_string(std::get<std::int64_t>(v))
                                                                     : "'" + std::get<std::string>(v) + "'";
        out += fmt::format(" {}={}@{}", fields[i], text, field_version(versions, fields[i], owner));
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace setevoe::core
