// Replication between nodes (DESIGN.md, "Replication"): what one node sends
// another (collect_changes) and how the other takes it in (merge_changes).
// This layer knows nothing of files: bundles (core/bundle) carry a ChangeSet.
//
// A ChangeSet holds, for a peer, every change of the change log the peer has
// not acknowledged, each with the current values of the fields it still
// carries (fields written again later travel with the later change), and the
// sender's version vector, which acknowledges what the sender has applied.
// Merging verifies every change against its origin node's authority before
// writing anything, then applies all of them in one transaction: a field
// takes the incoming value when the incoming version is greater; a value that
// loses against a concurrent one is kept in the conflict log.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/db.hpp"
#include "core/node.hpp"
#include "core/util/time.hpp"

namespace setevoe::core {

struct FieldValue {
  std::string name;
  Value value;
  bool operator==(const FieldValue&) const = default;
};

struct Change {
  std::string origin;  // id of the change stream (a node's incarnation)
  std::int64_t seq = 0;
  std::string table;
  std::string row;
  std::string owner;  // the row's owner node
  std::uint64_t hlc = 0;
  std::vector<FieldValue> fields;  // empty when every field was written again since
  bool operator==(const Change&) const = default;
};

struct NodeRecord {
  std::string id, name, role, public_key;
  std::string state = "approved";  // as the sender knows it; a hub's word on it is taken
  bool operator==(const NodeRecord&) const = default;
};

struct StreamRecord {
  std::string origin;         // stream id
  std::string node;           // node that writes it
  std::int64_t last_seq = 0;  // the sender has applied up to this
  bool personal = false;      // a private stream (personal data)
  bool operator==(const StreamRecord&) const = default;
};

struct ChangeSet {
  std::string sender;                 // node id
  std::string recipient;              // node id
  std::vector<NodeRecord> nodes;      // the sender, the nodes its streams belong to, and (from a
                                      // hub) every node it knows, so that revocations travel
  std::vector<StreamRecord> streams;  // the sender's version vector
  std::vector<Change> changes;        // ordered by origin, then seq
  std::vector<std::string> wanted;    // attached files (SHA-256) the sender lacks and asks for
  bool operator==(const ChangeSet&) const = default;
};

// Everything `peer` has not acknowledged, scoped for it: contact details go
// only between their owner and a hub. An empty `peer` is a hub not known yet
// (a school's enrolment request): everything, for a hub. Error: not_found
// when the peer is not a known node.
// With `full`, everything, as if the peer had acknowledged nothing (a full
// bundle that restores a node whose disk died).
ChangeSet collect_changes(Db& db, const std::string& peer, bool full = false);

struct MergeResult {
  std::int64_t applied = 0;    // changes new to this node
  std::int64_t skipped = 0;    // changes it had already
  std::int64_t fields = 0;     // field values written
  std::int64_t conflicts = 0;  // concurrent writes logged
  bool already_merged() const { return applied == 0; }
};

// Verifies and applies a change set sent to this node. All or nothing; with
// `dry_run`, everything is checked and counted and then rolled back.
// Errors: not_permitted (a change outside its origin's authority, listing
// the offending changes; a set for another node; a sender claiming another
// node's role), bad_data (a gap in a stream, an unknown table or field).
MergeResult merge_changes(Db& db, const ChangeSet& set, util::WallClock clock = util::system_clock_ms,
                          bool dry_run = false);
// The same inside a write transaction the caller holds (and commits).
MergeResult merge_changes_in(Db& db, const ChangeSet& set, util::WallClock clock = util::system_clock_ms);

// Every replicated row of every table with its fields and their versions,
// sorted: equal on two nodes exactly when they hold the same data. Contact
// details are left out unless `with_contacts`.
std::string canonical_dump(Db& db, bool with_contacts = false);

// Registers a node this one exchanges with (enrolment's work, later done by
// bundles): id, name, role, public key.
void remember_node(Db& db, const NodeRecord& node);

}  // namespace setevoe::core
