// Exchanging bundles with other nodes: enrolment and trust, packing a bundle
// for a peer, merging received bundles, and their log. Built on core/sync
// (change sets) and core/bundle (files).
#pragma once

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

struct PackResult {
  std::string path, sha256, recipient;  // recipient empty: an enrolment request
  std::int64_t changes = 0, fields = 0;
  bool encrypted = false;
};

// Packs everything `peer_ref` lacks into a bundle at `out`. A school that
// knows no hub yet packs an enrolment request with "hub". With `encrypt` the
// changes are sealed to the peer's key. Errors: as resolve_peer and
// write_bundle; not_found when the secret key is missing; usage when an
// enrolment request is to be encrypted.
PackResult pack_bundle(Db& db, const std::string& peer_ref, const std::string& out, bool encrypt = false);

struct MergeReport {
  std::string file, sha256, sender, sender_name, fingerprint;
  MergeResult result;
  bool dry_run = false;
  bool new_node = false;  // the sender became known (approved or pinned) by this merge
};

// Verifies a bundle file and merges it, all or nothing. The sender must be
// an approved node whose key matches; a hub met for the first time by a
// school is pinned; a school asking a hub to join is recorded as pending and
// refused until approved (or `approve`). Errors: as read_bundle and
// merge_changes; not_permitted for untrusted senders.
MergeReport merge_bundle(Db& db, const std::string& path, bool dry_run, bool approve);

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
SyncReport sync_folders(Db& db, const std::string& inbox, const std::string& outbox);

// Reads and verifies a bundle without touching the database.
Bundle inspect_bundle(const std::string& path);

struct LogEntry {
  std::string direction, at, peer, peer_name, sha256, file;
  std::int64_t changes = 0;
  std::optional<std::int64_t> applied, conflicts;
};
std::vector<LogEntry> bundle_log(Db& db);

struct ConflictEntry {
  std::string table, row, field, winner_value, winner_version, loser_value, loser_version, seen_at;
};
std::vector<ConflictEntry> list_conflicts(Db& db);

}  // namespace setevoe::core
