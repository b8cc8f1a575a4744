// The replicated write path: the one way rows of replicated tables are
// created, changed and removed. A Writer holds a write transaction; each
// create/update/remove
//   - checks the node's authority over the row and fields (DESIGN.md,
//     "Authority"): a school changes only the rows it owns, never the hub's
//     moderation fields or tables;
//   - takes one tick of the hybrid logical clock and stamps the version
//     "TICK.NODE" on every field written (column _v of the row);
//   - appends one entry to the change log with the next sequence number of
//     this node's change stream.
// Removal writes the tombstone field `deleted`; rows are never DELETEd.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/db.hpp"
#include "core/hlc.hpp"
#include "core/node.hpp"
#include "core/util/time.hpp"

namespace setevoe::core {

// What a replicated table looks like to the write path.
struct TableSpec {
  const char* name;                          // SQL table name
  const char* label;                         // what a row is, for messages ("organisation"), translated with tr()
  std::vector<const char*> fields;           // the replicated fields, besides id, owner, deleted
  bool hub_only = false;                     // only a hub may write rows of it (moderation tables)
  bool personal = false;                     // personal data: logged to the private stream, which
                                             // travels only between the owner and a hub
  std::vector<const char*> hub_fields = {};  // fields only a hub may write
  // Fields a school may write only with some values (a product's status:
  // draft or submitted; publishing is the hub's). Any value for a hub.
  struct Values {
    const char* field;
    std::vector<const char*> allowed;
  };
  std::vector<Values> school_values = {};
  // Rows visible only to their owner and the hubs until `public_row` says
  // otherwise (drafts of products, DESIGN.md "Scope"); nullptr: always
  // public. Called by packing with the row's id.
  bool (*public_row)(Db& db, const std::string& id) = nullptr;
  // Rows that belong with a row of another table: a school creates one only
  // when it owns that row (attendance is written by the event's node). The
  // field naming it, and its table; nullptr: no such rule. A hub may write
  // any.
  const char* parent_field = nullptr;
  const char* parent_table = nullptr;
  // Besides the owner and the hubs, may `node` see a row that is out of
  // `public_row`'s scope? (The asker's node sees the answers to its
  // question; an assigned expert's node, the question.) nullptr: no other.
  bool (*visible_to)(Db& db, const std::string& id, const std::string& node) = nullptr;
  // Rows of other tables that must travel again when a hub writes this row
  // again for a wider scope (a question's accepted answer and files).
  std::vector<std::pair<const TableSpec*, std::string>> (*republish_with)(Db& db, const std::string& id) = nullptr;
};

// Whether `node` (of role `role`) may receive row `id` of `table`: the
// hubs, the owner, and the row's scope (personal data, drafts, questions).
bool in_scope(Db& db, const TableSpec& table, const std::string& id, const std::string& owner, const std::string& node,
              std::string_view role);

// Why a school may not write `value` into `field` of `table` (a translated
// message), or empty when it may.
std::string school_value_offence(const TableSpec& table, std::string_view field, const Value& value);

// The replicated tables known to this version (defined in core/tables.cpp).
namespace tables {
extern const TableSpec direction, org, person, contact, membership, expertise, attachment, product, review,
    subscription, event, registration, attendance, certificate, question, answer, post, agreement, obligation;
}
const std::vector<const TableSpec*>& replicated_tables();
const TableSpec& table_spec(std::string_view name);       // internal error when unknown
const TableSpec* find_table_spec(std::string_view name);  // nullptr when unknown (input from bundles)
// True when `field` is one of the table's fields or the tombstone "deleted".
bool has_field(const TableSpec& table, std::string_view field);
// The table's fields and the tombstone, in the table's order.
std::vector<std::string> all_fields(const TableSpec& table);

// The owner of row `id` of `table` (deleted rows too); empty when it is not here.
std::string row_owner(Db& db, std::string_view table, const std::string& id);

// Field values to write, in any order; each name must be one of the table's
// fields.
using Fields = std::vector<std::pair<std::string, Value>>;

class Writer {
 public:
  // Begins a write transaction (BEGIN IMMEDIATE) on `db` as this node.
  // `clock` is the wall clock (tests make it jump).
  explicit Writer(Db& db, util::WallClock clock = util::system_clock_ms);
  // A writer inside a write transaction the caller holds (a merge that
  // writes changes of its own): commit() saves the streams and the clock but
  // leaves the transaction to the caller.
  struct Join {};
  Writer(Db& db, util::WallClock clock, Join);
  Writer(const Writer&) = delete;

  // Inserts a new row with a fresh UUIDv7 id, owned by this node; returns the id.
  std::string create(const TableSpec& table, const Fields& values);
  // Inserts a row with a given id (a row that shares the id of the row it
  // belongs to, such as a person's contacts). `owner` gives the row to another
  // node (the hub writing a school's person's contacts keeps them the
  // school's); only a hub may give rows away.
  void create_with_id(const TableSpec& table, const std::string& id, const Fields& values,
                      const std::string& owner = {});
  // Writes fields of an existing row. Errors: not_found when the row does not
  // exist or is removed; not_permitted when this node may not change it.
  // Fields whose value does not change are not written; returns false when
  // nothing changed (and nothing was logged).
  bool update(const TableSpec& table, const std::string& id, const Fields& values);
  // Writes the tombstone of a row (same errors as update).
  void remove(const TableSpec& table, const std::string& id);
  // Writes every field of a row again, unchanged, each at the tick it was
  // written but under this node's id: the hub publishing a draft makes the
  // whole row travel in its own public stream to nodes that were out of the
  // draft's scope, without winning over edits it has not seen. Hub only.
  void restamp(const TableSpec& table, const std::string& id);

  // Makes everything written durable; without it the destructor rolls back.
  void commit();

  Db& db() { return m_db; }
  const NodeInfo& self() const { return m_self; }
  // The wall clock given to the writer, for timestamps of the domain.
  std::int64_t now_ms() const { return m_clock(); }

 private:
  // A database restored from an older copy, or copied to another machine,
  // must not issue the sequence numbers its original issued: it continues
  // under a new incarnation (new change streams). Detected by the file's
  // identity changing, or flagged by a merge (a peer had more of our stream).
  bool needs_new_incarnation();
  void start_incarnation();
  std::string stamp();  // the next version (one clock tick)
  void log(const TableSpec& table, const std::string& id);
  void log(const TableSpec& table, const std::string& id, std::uint64_t hlc);
  // Throws not_permitted unless this node may write `values` into a row of
  // `table` owned by `owner` (nullptr: a new row).
  void check_authority(const TableSpec& table, const std::string* owner, const Fields& values);

  void load();
  Db& m_db;
  std::optional<Transaction> m_tx;
  util::WallClock m_clock;
  NodeInfo m_self;
  Hlc m_hlc;
  // This node's change streams: public, and private for personal data
  // (created on first use).
  struct Stream {
    std::int64_t num = 0;
    std::int64_t seq = 0;
    bool dirty = false;
  };
  Stream& stream_for(const TableSpec& table);
  Stream m_public, m_private;
  Stmt m_log;  // the change log insert, prepared once per writer
  // Inserts prepared by this writer, by SQL text (bulk imports reuse them).
  std::vector<std::pair<std::string, std::unique_ptr<Stmt>>> m_inserts;
};

// Version of `field` in a row's _v JSON: the field's own entry, else "*".
// An entry of bare ticks (16 hex digits, no node) was written by the row's
// owner: creations store "*" that way, which keeps every row 35 bytes shorter.
std::string field_version(const std::string& versions_json, std::string_view field, std::string_view owner);
// When a row was made and last changed (ISO 8601 UTC) from its id and _v:
// made, the time in its UUIDv7 id (the same on every node; a row received
// from another node has no creation version "*"), else the creation
// version; changed, its latest field version.
std::pair<std::string, std::string> row_times(const std::string& versions_json, const std::string& id);
// field_version(...) == version, without building the string (packing asks
// it for every field of every change).
bool field_version_is(const std::string& versions_json, std::string_view field, std::string_view owner,
                      std::string_view version);

}  // namespace setevoe::core
