// Replication between nodes: collecting and merging change sets.
#include "core/sync.hpp"

#include "core/search/index.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "core/hlc.hpp"
#include "core/i18n.hpp"
#include "core/replica.hpp"

namespace setevoe::core {
namespace {

std::string role_of(Db& db, const std::string& node) {
  auto& s = db.cached("SELECT role FROM node WHERE id = ?");
  s.bind(1, node);
  auto role = s.step() ? s.column_text(0) : std::string();
  s.reset();
  return role;
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

namespace {

// The bits of a table's moderation fields among `fields`.
std::uint32_t hub_mask(const TableSpec& t, const std::vector<std::string>& fields) {
  std::uint32_t mask = 0;
  for (std::size_t i = 0; i < fields.size(); ++i)
    for (const char* f : t.hub_fields)
      if (fields[i] == f) mask |= 1u << i;
  return mask;
}

}  // namespace

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
    bool hub = false;  // the stream is a hub's
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
      // Only a hub relays other nodes' changes. A school holds another
      // node's changes out of its scope (drafts) as empty placeholders;
      // relayed, they would tell the hub it had applied them.
      if (!hub && r.node != self.id) continue;
      streams.push_back({s.column_int(0), r, role_of(db, r.node) == "hub"});
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
  struct Reader {
    std::vector<std::string> fields;
    std::unique_ptr<Stmt> stmt;
  };
  std::map<std::string, Reader, std::less<>> readers;
  auto reader = [&](const TableSpec& t) -> Reader& {
    auto it = readers.find(std::string_view(t.name));
    if (it == readers.end()) {
      Reader r{all_fields(t), nullptr};
      std::string cols;
      for (const auto& f : r.fields) cols += ", " + f;
      r.stmt = std::make_unique<Stmt>(db, fmt::format("SELECT owner, _v{} FROM {} WHERE id = ?", cols, t.name));
      it = readers.emplace(t.name, std::move(r)).first;
    }
    it->second.stmt->reset();
    return it->second;
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
      auto& [fields, row] = reader(*spec);
      row->bind(1, c.row);
      if (row->step()) {
        c.owner = row->column_text(0);
        auto versions = row->column_text(1);
        auto version = version_string(c.hlc, stream.record.node);
        // Personal data and drafts: only between their owner and a hub.
        bool in_scope = core::in_scope(db, *spec, c.row, c.owner, peer, peer_role);
        std::uint32_t carried = 0;  // the fields whose version is still this change's
        for (std::size_t i = 0; in_scope && i < fields.size(); ++i)
          if (field_version_is(versions, fields[i], c.owner, version)) carried |= 1u << i;
        // A school's creation stamps every field, the hub's moderation fields
        // too (still empty): those are not the school's to send.
        if (!stream.hub) carried &= ~hub_mask(*spec, fields);
        c.fields.reserve(static_cast<std::size_t>(std::popcount(carried)));
        for (std::size_t i = 0; i < fields.size(); ++i)
          if (carried & (1u << i)) c.fields.push_back({fields[i], row->column_value(static_cast<int>(i) + 2)});
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
    republish();
    acknowledge();
    return m_result;
  }

 private:
  struct Stream {
    std::int64_t num = 0;  // 0: new here
    std::string node;
    std::int64_t last_seq = 0;  // applied here
    bool personal = false;
    std::string role;       // of its node, read once (verify)
    std::int64_t next = 0;  // last seq after the set's changes so far (verify)
    // The local changes of the stream read in order, for the replay check
    // (see replayed_hlc): the current row's seq and hlc.
    std::unique_ptr<Stmt> replay;
    std::int64_t replay_seq = 0;
    std::uint64_t replay_hlc = 0;
    std::int64_t replay_asked = 0;
    bool replay_end = true;
  };

  // A replicated table as the merge writes it: its fields by position (a
  // change's fields are a bit mask of them) and its statements.
  struct Table {
    const TableSpec* spec = nullptr;
    std::vector<std::string> fields;  // all_fields(spec)
    std::uint32_t hub_mask = 0;       // fields only a hub may write
    // Statements from Db::cached: prepared once per connection, so a hub
    // merging many bundles in one process prepares them once.
    Stmt* owner = nullptr;                            // SELECT owner
    Stmt* current = nullptr;                          // SELECT owner, _v and every field
    std::map<std::uint32_t, Stmt*> inserts, updates;  // by fields written
    // Rows that are not here and that the set creates: row -> owner (views
    // of the set's strings).
    std::unordered_map<std::string_view, std::string_view> created;
    int index(std::string_view field) const {
      for (std::size_t k = 0; k < fields.size(); ++k)
        if (fields[k] == field) return static_cast<int>(k);
      return -1;
    }
    std::uint32_t all() const { return (1u << fields.size()) - 1; }
  };
  // Per change, what verify found for apply: the fields (mask), and whether
  // the row is new here (written with an INSERT, without reading it first).
  static constexpr std::uint32_t k_new_row = 1u << 31;

  void take_nodes() {
    // Nodes named by a hub are approved; nodes named by a school are only
    // known (their relayed changes can be checked) until a hub names them.
    bool from_hub = m_sender_role == "hub";
    // The hub's word on a node's key is taken too: a school that lost its
    // disk comes back with a new key, which the hub approved.
    auto& take_state = m_db.cached("UPDATE node SET state = ?, public_key = ? WHERE id = ? AND is_self = 0");
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
        m_db.cached("UPDATE node SET state = ? WHERE id = ?").bind(1, state).bind(2, n.id).run();
      }
    }
  }

  void take_streams() {
    auto& s = m_db.cached("SELECT num, node, last_seq, private FROM origin WHERE id = ?");
    for (const auto& r : m_set.streams) {
      s.reset();
      s.bind(1, r.origin);
      Stream st;
      bool known = s.step();
      if (known) {
        st.num = s.column_int(0);
        st.node = s.column_text(1);
        st.last_seq = s.column_int(2);
        st.personal = s.column_int(3) != 0;
      }
      s.reset();
      if (known) {
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
      m_streams[r.origin] = std::move(st);
      m_sender_vector[r.origin] = r.last_seq;
    }
  }

  // The stream of a change, nullptr when the set does not list it. The set
  // is ordered by stream, so the last one found is nearly always the one.
  Stream* find_stream(const std::string& origin) {
    if (m_last_stream && *m_last_origin == origin) return m_last_stream;
    auto it = m_streams.find(origin);
    if (it == m_streams.end()) return nullptr;
    m_last_origin = &it->first;
    m_last_stream = &it->second;
    return m_last_stream;
  }

  // The replicated table a change names. Error: bad_data when there is none.
  Table& table_of(const std::string& name) {
    const auto& all = replicated_tables();
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (name != all[i]->name) continue;
      auto& t = m_tables[i];
      if (!t.spec) {
        t.spec = all[i];
        t.fields = all_fields(*t.spec);
        if (t.fields.size() > 30) throw Error(ErrorKind::internal, fmt::format("{} has too many fields", name));
        for (const char* f : t.spec->hub_fields)
          if (int k = t.index(f); k >= 0) t.hub_mask |= 1u << k;
      }
      return t;
    }
    throw Error(ErrorKind::bad_data, trf("a change names an unknown table «{}».", name));
  }

  // The fields of a change as a mask of the table's fields. Error: bad_data
  // for a field the table does not have; internal for one named twice (a
  // bundle cannot hold that: its field table's key is origin, seq, name).
  static std::uint32_t fields_of(const Table& t, const Change& c) {
    std::uint32_t mask = 0;
    for (const auto& f : c.fields) {
      int k = t.index(f.name);
      if (k < 0)
        throw Error(ErrorKind::bad_data, trf("a change names an unknown field «{}» of table {}.", f.name, c.table));
      if (mask & (1u << k))
        throw Error(ErrorKind::internal, fmt::format("a change names the field {} of table {} twice", f.name, c.table));
      mask |= 1u << k;
    }
    return mask;
  }

  // The position of field k among the fields of `mask` (its SQL parameter).
  static int rank(std::uint32_t mask, int k) { return std::popcount(mask & ((1u << k) - 1)); }

  // Checks every change before anything is written, and notes for apply what
  // it found (m_plan).
  void verify() {
    for (auto& [id, st] : m_streams) st.next = st.last_seq;
    m_plan.assign(m_set.changes.size(), 0);
    std::vector<std::string> offences;
    std::string local_owner;
    for (std::size_t i = 0; i < m_set.changes.size(); ++i) {
      const auto& c = m_set.changes[i];
      auto* st = find_stream(c.origin);
      if (!st)
        throw Error(ErrorKind::bad_data,
                    trf("a change belongs to stream {}, which the bundle does not list.", c.origin));
      auto& last = st->next;
      if (c.seq <= last) {
        // Already applied: it must be the same change. Another tick under the
        // same number means the sender issued it twice (a restored copy).
        if (st->num != 0 && c.seq <= st->last_seq) {
          auto have = replayed_hlc(*st, c.seq);
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
      auto& t = table_of(c.table);
      auto mask = fields_of(t, c);
      m_plan[i] = mask;
      // A change whose fields were all written again since (or are out of the
      // recipient's scope) writes nothing: it only keeps the stream whole.
      if (c.fields.empty()) continue;
      const auto& node = st->node;
      if (st->role.empty()) st->role = role_of(m_db, node);
      std::string_view owner;
      bool here = true;
      if (auto o = t.created.find(c.row); o != t.created.end())
        owner = o->second;
      else if (read_owner(t, c.row, local_owner))
        owner = local_owner;
      else
        here = false;
      if (here && owner != c.owner)
        throw Error(ErrorKind::bad_data, trf("a change gives row {} of {} the owner {}, but it belongs to {}.", c.row,
                                             c.table, c.owner, owner));
      if (!here) {
        // New here: the first change of it in the set inserts it.
        t.created.emplace(c.row, c.owner);
        m_plan[i] |= k_new_row;
      }
      if (st->role == "hub") continue;
      auto offence = [&](const std::string& why) {
        offences.push_back(fmt::format("{} #{} ({} {}): {}", c.origin, c.seq, c.table, c.row, why));
      };
      if (t.spec->hub_only) offence(tr("only a hub may write this table"));
      if (mask & t.hub_mask)
        for (const auto& f : c.fields)
          for (const char* hub_field : t.spec->hub_fields)
            if (f.name == hub_field) offence(trf("only a hub may write the field «{}»", f.name));
      if (!t.spec->school_values.empty())
        for (const auto& f : c.fields)
          if (auto why = school_value_offence(*t.spec, f.name, f.value); !why.empty()) offence(why);
      if (c.owner != node) offence(trf("the row belongs to {}, not to the node {} that changed it", c.owner, node));
      if ((m_plan[i] & k_new_row) && t.spec->parent_field)
        if (auto parent = parent_owner(t, c); !parent.empty() && parent != c.owner)
          offence(trf("a row of {} is written by the owner of its {} ({}), not by {}", c.table, t.spec->parent_table,
                      parent, c.owner));
    }
    for (auto& [id, st] : m_streams)
      if (st.replay) st.replay->reset();
    if (!offences.empty()) {
      std::string list;
      for (std::size_t i = 0; i < offences.size() && i < 10; ++i) list += "\n  " + offences[i];
      if (offences.size() > 10) list += "\n  " + trf("… and {} more", offences.size() - 10);
      throw Error(ErrorKind::not_permitted,
                  trf("changes outside their node's authority in the bundle: {}; nothing was merged:{}",
                      offences.size(), list));
    }
  }

  // The owner of the row a new row of `t` belongs with (an attendance
  // mark's event): created earlier in this set, or here; empty when it is
  // neither (it may come later: readers then ignore rows whose owner is not
  // the parent's).
  std::string parent_owner(Table& t, const Change& c) {
    const std::string* parent = nullptr;
    for (const auto& f : c.fields)
      if (f.name == t.spec->parent_field) parent = std::get_if<std::string>(&f.value);
    if (!parent) return {};
    auto& pt = table_of(t.spec->parent_table);
    if (auto o = pt.created.find(*parent); o != pt.created.end()) return std::string(o->second);
    std::string owner;
    return read_owner(pt, *parent, owner) ? owner : std::string();
  }

  // The owner of a row that is here; false when it is not.
  bool read_owner(Table& t, const std::string& row, std::string& owner) {
    if (!t.owner) t.owner = &m_db.cached(fmt::format("SELECT owner FROM {} WHERE id = ?", t.spec->name));
    auto& s = *t.owner;
    s.rewind();
    s.bind_static(1, row);
    bool found = s.step();
    if (found) owner = s.column_text(0);
    s.rewind();
    return found;
  }

  // The hlc of change `seq` of a local stream, 0 when there is none. A
  // re-merge asks for every change of a stream in order: they are read in one
  // pass over the stream, not with a query each.
  std::uint64_t replayed_hlc(Stream& st, std::int64_t seq) {
    if (seq < 1) return 0;  // numbers start at 1 (and a hostile one cannot overflow below)
    bool in_order = st.replay && seq >= st.replay_asked && (st.replay_end || seq - st.replay_seq <= 64);
    if (!in_order) {
      if (!st.replay)
        st.replay =
            std::make_unique<Stmt>(m_db, "SELECT seq, hlc FROM change WHERE origin = ? AND seq >= ? ORDER BY seq");
      st.replay->reset();
      st.replay->bind(1, st.num).bind(2, seq);
      st.replay_end = false;
      st.replay_seq = seq - 1;
    }
    st.replay_asked = seq;
    while (!st.replay_end && st.replay_seq < seq) {
      st.replay_end = !st.replay->step();
      if (!st.replay_end) {
        st.replay_seq = st.replay->column_int(0);
        st.replay_hlc = static_cast<std::uint64_t>(st.replay->column_int(1));
      }
    }
    return !st.replay_end && st.replay_seq == seq ? st.replay_hlc : 0;
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
    auto& new_stream = m_db.cached("INSERT INTO origin (id, node, last_seq, private) VALUES (?, ?, 0, ?)");
    auto& log = m_db.cached("INSERT INTO change (origin, seq, tbl, row_id, hlc) VALUES (?, ?, ?, ?, ?)");
    auto& conflict = m_db.cached(
        "INSERT INTO conflict (tbl, row_id, field, winner_value, winner_version, loser_value, loser_version, "
        "seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    std::uint64_t max_hlc = 0;
    for (std::size_t i = 0; i < m_set.changes.size(); ++i) {
      const auto& c = m_set.changes[i];
      auto& st = *find_stream(c.origin);
      if (c.seq <= st.last_seq) {
        ++m_result.skipped;
        continue;
      }
      if (st.num == 0) {
        new_stream.reset();
        new_stream.bind(1, c.origin).bind(2, st.node).bind(3, st.personal ? 1 : 0).run();
        st.num = sqlite3_last_insert_rowid(m_db.handle());
      }
      auto& t = table_of(c.table);
      auto version = version_string(c.hlc, st.node);
      auto plan = m_plan[i];
      // A school's change of a scoped row (a product) may have reached other
      // nodes as an empty placeholder while the school saw a draft: the hub
      // writes the row again in its own stream once the row is public.
      if (m_self.role == Role::hub && t.spec->public_row && !c.fields.empty()) {
        if (st.role.empty()) st.role = role_of(m_db, st.node);
        if (st.role != "hub") m_republish.insert({t.spec, c.row});
      }
      if (plan & k_new_row)
        insert_row(t, c, plan & ~k_new_row, version, st.node == c.owner);
      else if (!c.fields.empty())
        apply_fields(t, c, plan, version, st.node == c.owner, conflict, now);
      log.rewind();
      log.bind(1, st.num)
          .bind(2, c.seq)
          .bind_static(3, c.table)
          .bind_static(4, c.row)
          .bind(5, static_cast<std::int64_t>(c.hlc))
          .run();
      st.last_seq = c.seq;
      max_hlc = std::max(max_hlc, c.hlc);
      ++m_result.applied;
    }
    auto& save = m_db.cached("UPDATE origin SET last_seq = ? WHERE num = ? AND last_seq < ?");
    for (const auto& [id, st] : m_streams)
      if (st.num) save.reset(), save.bind(1, st.last_seq).bind(2, st.num).bind(3, st.last_seq).run();
    // The clock moves past every version seen, so local writes win over them.
    auto& hlc = m_db.cached("SELECT value FROM setting WHERE key = 'hlc'");
    auto hlc_text = hlc.step() ? hlc.column_text(0) : std::string("0");
    hlc.reset();
    std::uint64_t local = 0;
    std::from_chars(hlc_text.data(), hlc_text.data() + hlc_text.size(), local);
    if (max_hlc > local) {
      m_db.cached("UPDATE setting SET value = ? WHERE key = 'hlc'").bind(1, std::to_string(max_hlc)).run();
    }
  }

  // Writes the fields of a change (`mask`) into a row that may be here.
  void apply_fields(Table& t, const Change& c, std::uint32_t mask, const std::string& version, bool by_owner,
                    Stmt& conflict, const std::string& now) {
    if (!t.current) {
      std::string cols;
      for (const auto& f : t.fields) cols += ", " + f;
      t.current = &m_db.cached(fmt::format("SELECT owner, _v{} FROM {} WHERE id = ?", cols, t.spec->name));
    }
    auto& cur = *t.current;
    cur.rewind();
    cur.bind_static(1, c.row);
    if (!cur.step()) {
      cur.rewind();
      insert_row(t, c, mask, version, by_owner);
      return;
    }
    auto owner = cur.column_text(0);
    auto versions = cur.column_text(1);
    m_local.clear();
    for (const auto& f : c.fields) m_local.push_back(cur.column_value(t.index(f.name) + 2));
    cur.rewind();
    std::uint32_t winners = 0;
    for (std::size_t i = 0; i < c.fields.size(); ++i) {
      const auto& f = c.fields[i];
      auto lv = field_version(versions, f.name, owner);
      if (version == lv) continue;
      bool wins = version > lv;
      bool differ = m_local[i] != f.value;
      if (wins) winners |= 1u << t.index(f.name);
      // Same node: its writes are sequential. A write over a value the
      // sender had seen is an edit, not a conflict.
      bool concurrent =
          differ && !lv.empty() && lv.substr(17) != version.substr(17) && (!wins || !sender_saw(lv, t.spec->personal));
      if (concurrent) {
        conflict.reset();
        conflict.bind(1, t.spec->name).bind(2, c.row).bind(3, f.name);
        conflict.bind(4, wins ? f.value : m_local[i]).bind(5, wins ? version : lv);
        conflict.bind(6, wins ? m_local[i] : f.value).bind(7, wins ? lv : version).bind(8, now).run();
        ++m_result.conflicts;
      }
    }
    if (!winners) return;
    // ?1 is the version, ?2 the id, the values follow from ?3 in the table's order.
    auto& up = t.updates[winners];
    if (!up) {
      std::string sets, json;
      for (std::size_t k = 0; k < t.fields.size(); ++k) {
        if (!(winners & (1u << k))) continue;
        sets += fmt::format("{} = ?{}, ", t.fields[k], rank(winners, static_cast<int>(k)) + 3);
        json += fmt::format(", '$.{}', ?1", t.fields[k]);
      }
      up = &m_db.cached(fmt::format("UPDATE {} SET {}_v = json_set(_v{}) WHERE id = ?2", t.spec->name, sets, json));
    }
    up->rewind();
    up->bind_static(1, version).bind_static(2, c.row);
    for (const auto& f : c.fields) {
      int k = t.index(f.name);
      if (winners & (1u << k)) up->bind_static(rank(winners, k) + 3, f.value);
    }
    up->run();
    m_result.fields += std::popcount(winners);
  }

  // A row new here, with the fields of `mask`. Columns the change does not
  // carry get their type's empty value and no version, so the first write of
  // them wins. A change that carries every field stamps them all as "*", as
  // a local creation does (bare ticks when the row's owner wrote it); so does
  // an owner's creation without the hub's fields.
  void insert_row(Table& t, const Change& c, std::uint32_t mask, const std::string& version, bool by_owner) {
    auto& s = t.inserts[mask];
    if (!s) {
      std::string cols = "id, owner, _v", params = "?1, ?2, ?3";
      for (std::size_t k = 0; k < t.fields.size(); ++k) {
        if (!(mask & (1u << k))) continue;
        cols += ", " + t.fields[k];
        params += fmt::format(", ?{}", rank(mask, static_cast<int>(k)) + 4);
      }
      auto& info = m_db.cached(fmt::format("PRAGMA table_info({})", t.spec->name));
      while (info.step()) {
        // NOT NULL columns without a default that the change does not give.
        auto name = info.column_text(1);
        if (!info.column_int(3) || !info.column_is_null(4) || name == "id" || name == "owner" || name == "_v") continue;
        if (int k = t.index(name); k >= 0 && (mask & (1u << k))) continue;
        cols += ", " + name;
        params += info.column_text(2) == "INTEGER" ? ", 0" : ", ''";
      }
      s = &m_db.cached(fmt::format("INSERT INTO {} ({}) VALUES ({})", t.spec->name, cols, params));
    }
    std::string versions;
    // An owner's creation carries every field but the hub's moderation
    // fields (empty then; a school does not send them): the same "*".
    if (mask == t.all() || (by_owner && (mask | t.hub_mask) == t.all())) {
      versions = "{\"*\":\"" + (by_owner ? version.substr(0, 16) : version) + "\"";
      for (std::size_t k = 0; k < t.fields.size(); ++k)
        if (!(mask & (1u << k))) versions += ",\"" + t.fields[k] + "\":\"\"";
      versions += "}";
    } else {
      versions = "{";
      for (std::size_t k = 0; k < t.fields.size(); ++k)
        if (mask & (1u << k)) versions += (versions.size() > 1 ? ",\"" : "\"") + t.fields[k] + "\":\"" + version + "\"";
      versions += "}";
    }
    s->rewind();
    s->bind_static(1, c.row).bind_static(2, c.owner).bind_static(3, versions);
    for (const auto& f : c.fields) s->bind_static(rank(mask, t.index(f.name)) + 4, f.value);
    s->run();
    m_result.fields += static_cast<std::int64_t>(c.fields.size());
  }

  void republish() {
    if (m_republish.empty()) return;
    Writer w(m_db, m_clock, Writer::Join{});
    for (const auto& [spec, row] : m_republish)
      if (spec->public_row(m_db, row)) {
        w.restamp(*spec, row);
        if (spec->republish_with)
          for (const auto& [other, id] : spec->republish_with(m_db, row)) w.restamp(*other, id);
      }
    w.commit();
  }

  // The sender's vector replaces what it acknowledged before, even when it is
  // lower: a peer restored from a backup has lost changes, and gets them
  // again. A late old bundle only makes the next one carry more.
  void acknowledge() {
    auto& s = m_db.cached(
        "INSERT INTO ack (peer, origin, seq) VALUES (?, ?, ?) "
        "ON CONFLICT (peer, origin) DO UPDATE SET seq = excluded.seq");
    auto& num = m_db.cached("SELECT num FROM origin WHERE id = ?");
    auto& flag = m_db.cached("INSERT OR REPLACE INTO setting (key, value) VALUES ('new_incarnation', '1')");
    for (const auto& r : m_set.streams) {
      // The sender has applied more of this node's own stream than this
      // database holds: it was restored from an older copy. The next write
      // starts a new stream, so that no sequence number is used twice.
      auto own = m_streams.find(r.origin);
      if (own != m_streams.end() && own->second.node == m_self.id && r.last_seq > own->second.last_seq) flag.run();
      num.reset();
      num.bind(1, r.origin);
      bool here = num.step();
      auto stream = here ? num.column_int(0) : 0;
      num.reset();
      if (!here) continue;  // a stream without changes for us yet
      s.reset();
      s.bind(1, m_set.sender).bind(2, stream).bind(3, r.last_seq).run();
    }
  }

  Db& m_db;
  const ChangeSet& m_set;
  util::WallClock m_clock;
  NodeInfo m_self;
  std::string m_sender_role;
  std::map<std::string, Stream> m_streams;
  std::map<std::string, std::int64_t> m_sender_vector;
  std::vector<Table> m_tables = std::vector<Table>(replicated_tables().size());
  std::vector<std::uint32_t> m_plan;  // per change: fields, and k_new_row
  const std::string* m_last_origin = nullptr;
  Stream* m_last_stream = nullptr;
  std::vector<Value> m_local;  // apply_fields: the row's values of the change's fields
  MergeResult m_result;
  std::set<std::pair<const TableSpec*, std::string>> m_republish;  // rows the hub writes again
};

}  // namespace

MergeResult merge_changes(Db& db, const ChangeSet& set, util::WallClock clock, bool dry_run) {
  Transaction tx(db, Transaction::Kind::write);
  auto result = merge_changes_in(db, set, std::move(clock));
  search::refresh(db);
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
