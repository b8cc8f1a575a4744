// Exchanging bundles with other nodes: enrolment and trust, packing a bundle
// for a peer, merging received bundles, and their log. Built on core/sync
// (change sets) and core/bundle (files).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/bundle.hpp"
#include "core/db.hpp"
#include "core/sync.hpp"

namespace setevoe::core {

struct PeerInfo {
  std::string id, name, role, public_key, state;  // state: pending | approved | revoked
  std::string last_exchange;                      // ISO 8601 UTC, or empty
  std::int64_t acknowledged = 0;                  // changes of ours it has acknowledged
  std::int64_t unsent = 0;                        // changes it has not acknowledged
};

// The other nodes this one knows.
std::vector<PeerInfo> list_peers(Db& db);
// A node by id prefix (4+ digits), exact name, or "hub" for the hub. Errors:
// not_found, usage (ambiguous).
std::string resolve_peer(Db& db, const std::string& ref);
// Hub only: approves a pending or revoked node; revokes an approved one.
void set_peer_state(Db& db, const std::string& node, const std::string& state);

// Progress of a long pack or merge: bytes done of the total.
using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct PackOptions {
  bool encrypt = false;        // seal the changes to the peer's key
  bool full = false;           // everything, as if the peer had nothing: restores a node whose disk died
  std::uint64_t max_size = 0;  // bytes; 0: no limit. Larger bundles are split into parts of at most
                               // this size, and files that cannot fit are held back.
  Progress progress;
};

// The smallest --max-size accepted.
inline constexpr std::uint64_t k_min_part_size = 256 << 10;

struct PackResult {
  std::string path, sha256, recipient;  // recipient empty: an enrolment request
  std::vector<std::string> parts;       // every file written (one unless split)
  std::int64_t changes = 0, fields = 0;
  std::int64_t objects = 0;   // files carried
  std::int64_t deferred = 0;  // files held back (larger than --max-size allows)
  bool encrypted = false;
};

// Packs everything `peer_ref` lacks into a bundle at `out`: the changes it
// has not acknowledged, the files those changes attach, and the files it
// asked for. A school that knows no hub yet packs an enrolment request with
// "hub". Split into parts, the files are named out's stem + "-partK-of-N".
// Errors: as resolve_peer and write_bundle; not_found when the secret key is
// missing; usage when an enrolment request is to be encrypted, or the
// limit is too small for one change.
PackResult pack_bundle(Db& db, const std::string& peer_ref, const std::string& out, const PackOptions& options = {});

struct MergeReport {
  std::string file, sha256, sender, sender_name, fingerprint;
  MergeResult result;
  bool dry_run = false;
  bool new_node = false;         // the sender became known (approved or pinned) by this merge
  std::int64_t objects = 0;      // files received that were new here
  std::int64_t wanted = 0;       // files this node still lacks after the merge (a later bundle brings them)
  std::optional<PartInfo> part;  // a part of a split bundle
  int parts_here = 0;            // parts of its set received so far
  bool waiting = false;          // a part was kept; the set applies when all parts are here
};

// Verifies a bundle file and merges it, all or nothing. The sender must be
// an approved node whose key matches; a hub met for the first time by a
// school is pinned; a school asking a hub to join is recorded as pending and
// refused until approved (or `approve`). The files it carries are checked
// and written into the store before the changes are applied, and put in
// place when the merge commits. A part of a split bundle is kept beside the
// database (<db>.parts/) until all its parts are here; the whole set then
// merges as one. Errors: as read_bundle and merge_changes; not_permitted for
// untrusted senders.
MergeReport merge_bundle(Db& db, const std::string& path, bool dry_run, bool approve, const Progress& progress = {});

struct SyncReport {
  std::vector<MergeReport> merged;                          // bundles merged (or already merged)
  std::vector<std::pair<std::string, std::string>> failed;  // file, message: left in the inbox
  std::vector<PackResult> packed;                           // bundles written to the outbox
  ErrorKind first_failure = ErrorKind::internal;            // of failed.front()
};

// One exchange through two folders (a USB stick, a mail client's folder,
// a synchronised share): merges every *.zip in `inbox` (oldest first) and
// moves each merged one into inbox/merged/; a refused one stays where it
// is and is reported. Then writes one bundle for every approved peer that
// has something to receive or to be told into `outbox` (a school that knows
// no hub yet writes its enrolment request). Errors: not_found when a folder
// is missing.
SyncReport sync_folders(Db& db, const std::string& inbox, const std::string& outbox, std::uint64_t max_size = 0);

// Restores a school whose disk died from a full bundle of the hub (bundle
// pack --full, one file or all its parts): creates a new database at
// `db_path` for the node the bundle is for (its id and name), with a new key
// pair, and merges the bundle into it. The node then writes under a new
// incarnation; the hub accepts its new key once it is approved there (merge
// --approve after a check of the fingerprint by phone). All or nothing: on
// any error no database and no key are left. Errors: usage (not a full
// bundle, encrypted to the old key, not for a school), and those of
// init_node and merge_bundle.
NodeInfo restore_node(const std::string& db_path, const std::vector<std::string>& files, const std::string& time_zone,
                      const Progress& progress = {});

// Reads and verifies a bundle without touching the database.
Bundle inspect_bundle(const std::string& path);

struct LogEntry {
  std::string direction, at, peer, peer_name, sha256, file, part;
  std::int64_t changes = 0, objects = 0;
  std::optional<std::int64_t> applied, conflicts;
};
std::vector<LogEntry> bundle_log(Db& db);

struct ConflictEntry {
  std::string table, row, field, winner_value, winner_version, loser_value, loser_version, seen_at;
};
std::vector<ConflictEntry> list_conflicts(Db& db);

}  // namespace setevoe::core
