// Bundle files (DESIGN.md, "Bundles"): an ordinary zip that carries a
// ChangeSet from one node to another.
//
//   manifest.toml    format, versions, sender (id, name, public key),
//                    recipient, time, counts, and size + SHA-256 of every entry
//   manifest.sig     Ed25519 signature of manifest.toml (hex)
//   changes.sqlite   the change set as an SQLite database
//   objects/<sha256> attached files the recipient lacks, stored under their
//                    SHA-256 (the manifest gives size and hash of the contents)
//
// A bundle too large for its transport is split into parts (--max-size):
// each part is a bundle of its own with a [part] table in the manifest (the
// set's id, its number, the count); the changes are divided between the
// parts' changes.sqlite files, and the set applies once all parts are here.
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

#include <functional>
#include <memory>
#include <optional>

#include "core/node.hpp"
#include "core/objects.hpp"
#include "core/sync.hpp"

namespace setevoe::core {

inline constexpr const char* k_bundle_format = "setevoe-bundle";
inline constexpr int k_bundle_format_version = 1;

struct BundleEntry {
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;
};

struct PartInfo {
  std::string set;  // id shared by the parts of one bundle
  int number = 1;   // 1..count
  int count = 1;
};

struct BundleManifest {
  std::string format;
  int format_version = 0;
  int schema_version = 0;
  std::string sender, sender_name, sender_key;  // node id, name, Ed25519 public key (hex)
  std::string recipient;
  std::string created;  // ISO 8601 UTC
  std::int64_t changes = 0, fields = 0;
  std::int64_t objects = 0;   // files carried (entries objects/<sha256>)
  std::int64_t deferred = 0;  // files held back for a later bundle (too large for --max-size)
  bool encrypted = false;     // changes.sqlite is sealed to the recipient's key
  bool full = false;          // everything the sender has for the recipient (bundle pack --full)
  std::optional<PartInfo> part;
  std::vector<BundleEntry> entries;
};

// A file to carry: an object of the sender's store.
struct BundleObject {
  std::string sha256;
  std::uint64_t size = 0;
  std::string path;  // where the store keeps it
};

// What a bundle carries besides the change set.
struct BundleExtras {
  std::vector<BundleObject> objects;
  std::int64_t deferred = 0;
  bool full = false;
  std::optional<PartInfo> part;
  // Called now and then while the zip is written, with the fraction done.
  std::function<void(double)> progress;
};

// Writes `set` as a bundle at `path`, signed with the sender's secret key
// (hex, as in the key file). With `encrypt_to` (the recipient's Ed25519
// public key, hex) the changes are sealed to the recipient (libsodium sealed
// box over the keys' X25519 forms); the manifest stays readable. Objects are
// streamed from the store, their hashes checked on the way; media that is
// already compressed is stored, the rest deflated. Returns the bundle's id
// (the SHA-256 of its manifest, as Bundle::sha256). Errors: cannot_create when the folder is missing or the file
// exists, corrupt when an object of the store is damaged, io.
std::string write_bundle(const ChangeSet& set, const NodeInfo& sender, const std::string& secret_key_hex,
                         const std::string& path, const std::string& encrypt_to = {}, const BundleExtras& extras = {});

// The bytes a file of `size` bytes takes in a bundle's zip before
// compression: itself, or encrypted (the manifest gives the contents' size).
std::uint64_t stored_object_size(std::uint64_t size, bool encrypted);

// The change set as the bytes of changes.sqlite (to size the parts of a split
// bundle).
std::string changes_db_bytes(const ChangeSet& set);

struct Bundle {
  BundleManifest manifest;
  ChangeSet set;       // empty when the changes are encrypted and no key was given
  bool opened = true;  // false: encrypted, and not opened
  std::string sha256;  // the bundle's id: SHA-256 of its signed manifest, which names the hash of every entry
  std::string path;
  std::string object_key;  // encrypted and opened: the key of its attached files
};

// Reads and verifies a bundle. The signature is checked against the key the
// manifest names; whether that key is trusted is the caller's question.
// Errors: not_found, bad_data (not a bundle, damaged, lying, over a limit,
// from a newer setevoe), not_permitted (a bad signature; encrypted for
// another node). Encrypted changes are opened with `secret_key_hex` (this
// node's, hex); without it only the manifest is read.
// The objects are only listed here (their names, sizes and hashes are
// checked against the manifest); read_objects reads them.
Bundle read_bundle(const std::string& path, const std::string& secret_key_hex = {});

// Reads the objects of a bundle read by read_bundle, checking each one's size
// and SHA-256 as it streams. With `store`, objects it lacks are written into
// it under temporary names and returned finished but not committed (commit
// them once the merge is committed; dropped, they vanish); without, they are
// only checked. `progress` gets the bytes read so far. Errors: bad_data
// (damaged, lying, over a limit), io (the disk is full).
using StagedObjects = std::vector<std::unique_ptr<ObjectStore::Writer>>;
StagedObjects read_objects(const Bundle& bundle, const ObjectStore* store, const ByteProgress& progress = {});

// The node's secret key from its key file (hex). Error: not_found, corrupt.
std::string load_secret_key(const std::string& db_path);

}  // namespace setevoe::core
