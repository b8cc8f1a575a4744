// Bundle files (DESIGN.md, "Bundles"): an ordinary zip that carries a
// ChangeSet from one node to another.
//
//   manifest.toml    format, versions, sender (id, name, public key),
//                    recipient, time, counts, and size + SHA-256 of every entry
//   manifest.sig     Ed25519 signature of manifest.toml (hex)
//   changes.sqlite   the change set as an SQLite database
//
// Writing goes to a temporary name that is renamed when complete. Reading
// checks the zip's structure against limits while it reads (entry names,
// count, sizes, symlinks, duplicates), the manifest, the signature and every
// entry's size and hash, and the changes database's schema, before it
// returns anything; it never writes outside its own temporary folder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/node.hpp"
#include "core/sync.hpp"

namespace setevoe::core {

inline constexpr const char* k_bundle_format = "setevoe-bundle";
inline constexpr int k_bundle_format_version = 1;

struct BundleEntry {
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;
};

struct BundleManifest {
  std::string format;
  int format_version = 0;
  int schema_version = 0;
  std::string sender, sender_name, sender_key;  // node id, name, Ed25519 public key (hex)
  std::string recipient;
  std::string created;  // ISO 8601 UTC
  std::int64_t changes = 0, fields = 0;
  bool encrypted = false;  // changes.sqlite is sealed to the recipient's key
  std::vector<BundleEntry> entries;
};

// Writes `set` as a bundle at `path`, signed with the sender's secret key
// (hex, as in the key file). With `encrypt_to` (the recipient's Ed25519
// public key, hex) the changes are sealed to the recipient (libsodium sealed
// box over the keys' X25519 forms); the manifest stays readable. Returns the
// SHA-256 of the file. Errors: cannot_create when the folder is missing or
// the file exists, io.
std::string write_bundle(const ChangeSet& set, const NodeInfo& sender, const std::string& secret_key_hex,
                         const std::string& path, const std::string& encrypt_to = {});

struct Bundle {
  BundleManifest manifest;
  ChangeSet set;       // empty when the changes are encrypted and no key was given
  bool opened = true;  // false: encrypted, and not opened
  std::string sha256;  // of the whole file
};

// Reads and verifies a bundle. The signature is checked against the key the
// manifest names; whether that key is trusted is the caller's question.
// Errors: not_found, bad_data (not a bundle, damaged, lying, over a limit,
// from a newer setevoe), not_permitted (a bad signature; encrypted for
// another node). Encrypted changes are opened with `secret_key_hex` (this
// node's, hex); without it only the manifest is read.
Bundle read_bundle(const std::string& path, const std::string& secret_key_hex = {});

// The node's secret key from its key file (hex). Error: not_found, corrupt.
std::string load_secret_key(const std::string& db_path);

}  // namespace setevoe::core
