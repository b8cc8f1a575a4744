// The replicated write path.
#include "core/replica.hpp"

#include "core/search/index.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include <sys/stat.h>

#include "core/i18n.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {
namespace {

void check_fields(const TableSpec& t, const Fields& values) {
  for (const auto& [field, value] : values)
    if (!has_field(t, field)) throw Error(ErrorKind::internal, fmt::format("{} has no field {}", t.name, field));
}

}  // namespace

namespace {

// The raw entry of `field` in a row's _v JSON, else of "*": a version, bare
// ticks, or nothing. Looks for "KEY":" without building the needle: this
// runs for every field of every change packed or merged.
std::string_view raw_version(std::string_view json, std::string_view field) {
  // _v is written only by this file, as a flat JSON object of strings; the
  // keys and values never need escaping (field names and versions are ASCII).
  // An empty entry is a field never written (a hub's field of a school's row).
  auto find = [&](std::string_view key) -> std::optional<std::string_view> {
    for (auto pos = json.find(key); pos != std::string_view::npos; pos = json.find(key, pos + 1)) {
      auto end = pos + key.size();
      if (pos == 0 || json[pos - 1] != '"' || json.compare(end, 3, "\":\"") != 0) continue;
      end += 3;
      return json.substr(end, json.find('"', end) - end);
    }
    return std::nullopt;
  };
  if (auto found = find(field)) return *found;
  return find("*").value_or(std::string_view());
}

}  // namespace

std::string field_version(const std::string& versions_json, std::string_view field, std::string_view owner) {
  auto raw = raw_version(versions_json, field);
  std::string v;
  v.reserve(raw.size() == 16 ? 17 + owner.size() : raw.size());
  v.append(raw);
  if (v.size() == 16) {
    v.push_back('.');
    v.append(owner);
  }
  return v;
}

bool field_version_is(const std::string& versions_json, std::string_view field, std::string_view owner,
                      std::string_view version) {
  auto raw = raw_version(versions_json, field);
  if (raw.size() != 16) return raw == version;
  return version.size() == 17 + owner.size() && version.substr(0, 16) == raw && version[16] == '.' &&
         version.substr(17) == owner;
}

Writer::Writer(Db& db, util::WallClock clock)
    : m_db(db),
      m_tx(std::in_place, db, Transaction::Kind::write),
      m_clock(std::move(clock)),
      m_self(self_node(db)),
      m_log(db, "INSERT INTO change (origin, seq, tbl, row_id, hlc) VALUES (?, ?, ?, ?, ?)") {
  load();
}

Writer::Writer(Db& db, util::WallClock clock, Join)
    : m_db(db),
      m_clock(std::move(clock)),
      m_self(self_node(db)),
      m_log(db, "INSERT INTO change (origin, seq, tbl, row_id, hlc) VALUES (?, ?, ?, ?, ?)") {
  load();
}

void Writer::load() {
  auto& db = m_db;
  if (needs_new_incarnation()) start_incarnation();
  Stmt s(db, "SELECT num, last_seq, (SELECT value FROM setting WHERE key = 'hlc') FROM origin WHERE id = ?");
  s.bind(1, m_self.origin);
  if (!s.step()) throw Error(ErrorKind::corrupt, tr("the database has no change stream for this node."));
  m_public.num = s.column_int(0);
  m_public.seq = s.column_int(1);
  auto hlc_text = s.column_text(2);
  std::uint64_t last = 0;
  std::from_chars(hlc_text.data(), hlc_text.data() + hlc_text.size(), last);
  m_hlc = Hlc(last);
}

namespace {
// The identity of the database file: device and inode. A copy (a backup put
// back, the file copied to another machine) has another.
std::string file_identity(const std::string& path) {
  struct stat st {};
  if (path == ":memory:" || ::stat(path.c_str(), &st) != 0) return {};
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}
}  // namespace

bool Writer::needs_new_incarnation() {
  auto current = file_identity(m_db.path());
  auto stored = m_db.query_text("SELECT value FROM setting WHERE key = 'file_identity'");
  auto flagged = m_db.query_text("SELECT value FROM setting WHERE key = 'new_incarnation'");
  if (!current.empty() && !stored) {
    Stmt s(m_db, "INSERT INTO setting (key, value) VALUES ('file_identity', ?)");
    s.bind(1, current).run();
    return flagged.has_value();
  }
  return flagged.has_value() || (!current.empty() && stored && *stored != current);
}

void Writer::start_incarnation() {
  auto id = util::uuid7(m_clock());
  Stmt o(m_db, "INSERT INTO origin (id, node) VALUES (?, ?)");
  o.bind(1, id).bind(2, m_self.id).run();
  Stmt s(m_db, "UPDATE setting SET value = ? WHERE key = 'self_origin'");
  s.bind(1, id).run();
  m_db.exec("DELETE FROM setting WHERE key IN ('self_private_origin', 'new_incarnation')");
  auto current = file_identity(m_db.path());
  if (!current.empty()) {
    Stmt f(m_db, "INSERT OR REPLACE INTO setting (key, value) VALUES ('file_identity', ?)");
    f.bind(1, current).run();
  }
  m_self.origin = id;
}

std::string Writer::stamp() {
  return version_string(m_hlc.tick(m_clock()), m_self.id);
}

Writer::Stream& Writer::stream_for(const TableSpec& table) {
  if (!table.personal) return m_public;
  if (m_private.num == 0) {
    Stmt s(
        m_db,
        "SELECT o.num, o.last_seq FROM origin o JOIN setting st ON st.key = 'self_private_origin' AND st.value = o.id");
    if (s.step()) {
      m_private.num = s.column_int(0);
      m_private.seq = s.column_int(1);
    } else {
      auto id = util::uuid7(m_clock());
      Stmt o(m_db, "INSERT INTO origin (id, node, private) VALUES (?, ?, 1)");
      o.bind(1, id).bind(2, m_self.id).run();
      m_private.num = sqlite3_last_insert_rowid(m_db.handle());
      Stmt st(m_db, "INSERT INTO setting (key, value) VALUES ('self_private_origin', ?)");
      st.bind(1, id).run();
    }
  }
  return m_private;
}

void Writer::log(const TableSpec& table, const std::string& id) {
  log(table, id, m_hlc.last());
}

void Writer::log(const TableSpec& table, const std::string& id, std::uint64_t hlc) {
  auto& stream = stream_for(table);
  stream.dirty = true;
  m_log.rewind();
  m_log.bind(1, stream.num)
      .bind(2, ++stream.seq)
      .bind_static(3, table.name)
      .bind_static(4, id)
      .bind(5, static_cast<std::int64_t>(hlc))
      .run();
}

void Writer::check_authority(const TableSpec& table, const std::string* owner, const Fields& values) {
  if (m_self.role == Role::hub) return;
  if (table.hub_only)
    throw Error(
        ErrorKind::not_permitted,
        trf("only the district hub may change records of the kind «{}»: this node is a school. Ask the moderator.",
            tr(table.label)));
  for (const auto& [field, value] : values)
    for (const char* hub_field : table.hub_fields)
      if (field == hub_field)
        throw Error(
            ErrorKind::not_permitted,
            trf("only the district hub may change the field «{}» of records of the kind «{}». Ask the moderator.",
                field, tr(table.label)));
  for (const auto& [field, value] : values)
    if (auto why = school_value_offence(table, field, value); !why.empty())
      throw Error(ErrorKind::not_permitted, why + " " + tr("Ask the moderator."));
  if (owner && *owner != m_self.id)
    throw Error(ErrorKind::not_permitted,
                trf("this record (kind «{}») belongs to the node {}; only that node or the district hub may change it.",
                    tr(table.label), node_label(m_db, *owner)));
  if (!owner && table.parent_field) {
    const std::string* parent = nullptr;
    for (const auto& [field, value] : values)
      if (field == table.parent_field) parent = std::get_if<std::string>(&value);
    auto parent_owner = parent ? row_owner(m_db, table.parent_table, *parent) : std::string();
    if (parent_owner != m_self.id)
      throw Error(ErrorKind::not_permitted,
                  trf("records of the kind «{}» are written by the node that owns their «{}» ({}), or by the "
                      "district hub; this node is not it.",
                      tr(table.label), tr(table_spec(table.parent_table).label),
                      parent_owner.empty() ? std::string("?") : node_label(m_db, parent_owner)));
  }
}

std::string Writer::create(const TableSpec& table, const Fields& values) {
  auto id = util::uuid7(m_clock());
  create_with_id(table, id, values);
  return id;
}

void Writer::create_with_id(const TableSpec& table, const std::string& id, const Fields& values,
                            const std::string& owner) {
  check_fields(table, values);
  check_authority(table, owner.empty() ? nullptr : &owner, values);
  auto version = stamp();
  // Built by hand, not with fmt: this runs once per row of a bulk import.
  std::string sql = "INSERT INTO ";
  sql.reserve(128);
  sql += table.name;
  sql += " (id, owner, _v";
  for (const auto& [field, value] : values) sql += ", " + field;
  sql += ") VALUES (?, ?, ?";
  for (std::size_t i = 0; i < values.size(); ++i) sql += ", ?";
  sql += ")";
  auto it = std::find_if(m_inserts.begin(), m_inserts.end(), [&](const auto& e) { return e.first == sql; });
  if (it == m_inserts.end()) it = m_inserts.insert(m_inserts.end(), {sql, std::make_unique<Stmt>(m_db, sql)});
  auto& s = *it->second;
  // Every parameter is bound again below, so the old bindings need no clearing;
  // the strings bound live until run() returns.
  auto versions = "{\"*\":\"" + (owner.empty() ? version.substr(0, 16) : version) + "\"";
  // A school does not write the hub's moderation fields: they stay
  // unversioned, as on the nodes that receive the row (the school's bundle
  // does not carry them), so that the first write of the hub wins everywhere.
  if (m_self.role != Role::hub)
    for (const char* f : table.hub_fields) versions += ",\"" + std::string(f) + "\":\"\"";
  versions += "}";
  s.rewind();
  s.bind_static(1, id).bind_static(2, owner.empty() ? m_self.id : owner).bind_static(3, versions);
  int i = 4;
  for (const auto& [field, value] : values) s.bind_static(i++, value);
  s.run();
  log(table, id);
}

bool Writer::update(const TableSpec& table, const std::string& id, const Fields& values) {
  check_fields(table, values);
  std::string columns = "owner, deleted";
  for (const auto& [field, value] : values) columns += ", " + field;
  auto& current = m_db.cached(fmt::format("SELECT {} FROM {} WHERE id = ?", columns, table.name));
  current.bind(1, id);
  if (!current.step() || (current.column_int(1) != 0 && !(values.size() == 1 && values[0].first == "deleted")))
    throw Error(ErrorKind::not_found, trf("there is no record of the kind «{}» with the id {}.", tr(table.label), id));
  auto owner = current.column_text(0);
  Fields changed;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (current.column_value(static_cast<int>(i) + 2) != values[i].second) changed.push_back(values[i]);
  current.reset();
  if (changed.empty()) return false;
  check_authority(table, &owner, changed);

  // ?1 is the version, ?2 the id, the values follow from ?3.
  auto version = stamp();
  std::string sets, json_args;
  for (std::size_t i = 0; i < changed.size(); ++i) {
    sets += fmt::format("{} = ?{}, ", changed[i].first, i + 3);
    json_args += fmt::format(", '$.{}', ?1", changed[i].first);
  }
  auto& s = m_db.cached(fmt::format("UPDATE {} SET {}_v = json_set(_v{}) WHERE id = ?2", table.name, sets, json_args));
  s.bind(1, version).bind(2, id);
  int i = 3;
  for (const auto& [field, value] : changed) s.bind(i++, value);
  s.run();
  log(table, id);
  return true;
}

void Writer::remove(const TableSpec& table, const std::string& id) {
  if (!update(table, id, {{"deleted", std::int64_t{1}}}))
    throw Error(ErrorKind::not_found, trf("the record {} (kind «{}») is removed already.", id, tr(table.label)));
}

void Writer::restamp(const TableSpec& table, const std::string& id) {
  if (m_self.role != Role::hub)
    throw Error(ErrorKind::internal, "restamp is the hub's: a school's rows travel in its own stream");
  auto& row = m_db.cached(fmt::format("SELECT owner, _v FROM {} WHERE id = ?", table.name));
  row.bind(1, id);
  if (!row.step()) {
    row.reset();
    throw Error(ErrorKind::not_found, trf("there is no record of the kind «{}» with the id {}.", tr(table.label), id));
  }
  auto owner = row.column_text(0), versions = row.column_text(1);
  row.reset();
  // Each field is stamped one tick after the one it was written at, under
  // this node's id: the row travels whole in this node's stream and the new
  // version wins over the old on every node (the owner's too, whatever the
  // node ids), while an edit the hub has not seen yet, made a millisecond
  // later or more, still wins over it.
  std::map<std::uint64_t, std::vector<std::string>> by_tick;
  for (const auto& f : all_fields(table)) by_tick[version_tick(field_version(versions, f, owner)) + 1].push_back(f);
  for (const auto& [tick, fields] : by_tick) {
    std::string json_args;
    for (const auto& f : fields) json_args += fmt::format(", '$.{}', ?1", f);
    auto& s = m_db.cached(fmt::format("UPDATE {} SET _v = json_set(_v{}) WHERE id = ?2", table.name, json_args));
    s.bind(1, version_string(tick, m_self.id)).bind(2, id).run();
    // Later writes of this node must stamp above it.
    m_hlc.observe(tick);
    log(table, id, tick);
  }
}

void Writer::commit() {
  for (auto* stream : {&m_public, &m_private})
    if (stream->dirty)
      m_db.cached("UPDATE origin SET last_seq = ? WHERE num = ?").bind(1, stream->seq).bind(2, stream->num).run();
  if (m_public.dirty || m_private.dirty)
    m_db.cached("UPDATE setting SET value = ? WHERE key = 'hlc'").bind(1, std::to_string(m_hlc.last())).run();
  // The search index in step with what was written, in the same transaction.
  search::refresh(m_db);
  if (m_tx) m_tx->commit();
}

std::pair<std::string, std::string> row_times(const std::string& versions, const std::string& id) {
  // Read for every row of long lists: no copies, each time formatted once.
  std::uint64_t created = version_tick(raw_version(versions, "*")), updated = created;
  for (std::size_t pos = 0; (pos = versions.find(":\"", pos)) != std::string::npos; pos += 2)
    updated = std::max(updated, version_tick(std::string_view(versions).substr(pos + 2)));
  auto iso = [](std::uint64_t t) { return t ? util::iso_utc(Hlc::millis(t)) : std::string(); };
  auto id_ms = util::uuid7_millis(id);
  std::string created_iso = id_ms > 0 ? util::iso_utc(id_ms) : iso(created);
  if (!updated) return {created_iso, created_iso};
  if (updated == created && id_ms <= 0) return {created_iso, created_iso};
  return {std::move(created_iso), iso(updated)};
}

}  // namespace setevoe::core
