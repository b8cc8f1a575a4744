// This installation: its identity (UUIDv7, name, role, time zone) and its
// Ed25519 key pair. The public key is kept in the database; the secret key in
// a file beside the database ("<db>.key", mode 0600), never in the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/db.hpp"

namespace setevoe::core {

enum class Role { school, hub };
std::string_view role_code(Role role);  // "school" | "hub"

struct NodeInfo {
  std::string id;    // UUIDv7 of the node
  std::string name;  // the organisation it serves
  Role role = Role::school;
  std::string public_key;  // hexadecimal Ed25519 public key
  std::string time_zone;   // IANA name
  std::string created_at;  // ISO 8601 UTC
  std::string origin;      // id of the current change stream (incarnation)
};

struct InitOptions {
  std::string name;
  Role role = Role::school;
  std::string time_zone = "Europe/Moscow";
  std::string id;  // the node's id; empty: a new one. Given when a node is restored (restore_node).
};

// The path of a database's secret key file.
std::string key_path_for(const std::string& db_path);

// Creates a new database at `db_path` with a node and its key pair. All or
// nothing: the database and key are written under temporary names and
// renamed only when both are complete. Errors: cannot_create when the
// database or the key file exists already or cannot be written; usage for an
// empty name or an unknown time zone.
NodeInfo init_node(const std::string& db_path, const InitOptions& options);

// Creates the node in an already open (for tests, in-memory) database; the
// secret key is returned in `secret_key_hex` instead of being written.
NodeInfo init_node_in(Db& db, const InitOptions& options, std::string* secret_key_hex);

// This installation's node. Error: corrupt when the database has none.
NodeInfo self_node(Db& db);

// The name of a node this database knows, or nothing.
std::optional<std::string> node_name(Db& db, const std::string& node_id);
// The role ("hub", "school") of a node this database knows; empty when unknown.
std::string node_role(Db& db, const std::string& node_id);
// «Name» (id) of a node for messages; the bare id when it is not known.
std::string node_label(Db& db, const std::string& node_id);

// The fingerprint people compare by phone: the first 16 bytes of the
// SHA-256 of the public key, in groups of four hex digits.
std::string key_fingerprint(const std::string& public_key_hex);

}  // namespace setevoe::core
