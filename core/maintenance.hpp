// Looking after the database file: the node's status, integrity checks and
// consistent backups.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/db.hpp"
#include "core/node.hpp"

namespace setevoe::core {

struct NodeStatus {
  NodeInfo node;
  std::string db_path, key_path;
  bool key_present = false;  // the secret key file is there, readable by its owner only
  int schema_version = 0;
  std::int64_t orgs = 0, groups = 0, people = 0, experts = 0, directions = 0;
  std::int64_t changes = 0;      // entries in the change log
  std::int64_t unsent = 0;       // changes not yet acknowledged by every peer
  std::int64_t peers = 0;        // nodes this one exchanges bundles with
  std::int64_t own_changes = 0;  // changes made on this node (all its streams)
};

NodeStatus node_status(Db& db);

// Checks the database: SQLite's integrity check, then setevoe's own rules
// (every change log entry names an existing row, every row has versions, the
// node and its change stream are there, every stored attached file matches
// its hash). Returns the problems found; empty when all is well.
std::vector<std::string> check_database(Db& db);

// Writes a consistent copy of the database to `dest` with SQLite's online
// backup, while other processes may go on writing. The copy is made under a
// temporary name and renamed when complete. The attached files are copied
// into the backup's object store, <dest>.objects/, each checked on the way
// (those it has already are kept). Errors: cannot_create when dest exists
// (unless `overwrite`) or its folder is missing or read-only; corrupt when a
// stored file is damaged.
void backup_database(Db& db, const std::string& dest, bool overwrite);

}  // namespace setevoe::core
