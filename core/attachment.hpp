// Attached files (DESIGN.md, "Data"): a row of the replicated table
// `attachment` describes a file (name, size, media type, SHA-256) and names
// the row it belongs to; the contents are in the object store
// (core/objects.hpp). The same code serves every table that carries files:
// members now, products, events and agreements later.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/db.hpp"
#include "core/member.hpp"
#include "core/objects.hpp"
#include "core/replica.hpp"
#include "core/sync.hpp"

namespace setevoe::core {

const std::vector<Term>& attachment_roles();  // photo | document

struct Attachment {
  std::string id, owner, entity, entity_id, role, name, media_type, sha256;
  std::int64_t size = 0;
  bool present = false;  // the contents are in this node's store (else: not yet received)
};

// The IANA media type of a file, by its name's extension.
std::string media_type_for(const std::string& name);

// Records a file already copied into the store (ObjectStore::add_file, done
// before the write transaction so that a long copy does not hold it) as
// attached to the row `entity_id` (of any table that carries files). `name` is the file's own name; a
// path is cut to it. Attaching the same contents to the same row again
// changes nothing and returns the existing id. Errors: not_found (no such
// row), not_permitted (a school attaching to a row it does not own), usage
// (a bad role).
struct AttachResult {
  std::string id;
  bool added = false;  // false: it was attached already
};
AttachResult attach_file(Writer& w, const std::string& entity_id, const std::string& name, const std::string& role,
                         const ObjectStore::Stored& stored);

// The tables whose rows may carry files.
const std::vector<const TableSpec*>& tables_with_files();

// The files attached to a row, by name.
std::vector<Attachment> list_attachments(Db& db, const ObjectStore& store, const std::string& entity_id);

// One of the files of a row, by id prefix (4+ digits) or exact name. Errors:
// not_found, usage (ambiguous).
Attachment resolve_attachment(Db& db, const ObjectStore& store, const std::string& entity_id, const std::string& ref);

// Detaches a file (a tombstone; the contents stay in the store).
void detach_file(Writer& w, const std::string& attachment_id);

// True for a file name that stays inside any folder it is put in: not empty,
// no folder separators, not "." or "..", no control characters, valid UTF-8,
// at most 255 bytes.
bool safe_file_name(const std::string& name);

// Checks the attachment changes of a change set received from another node
// before it is merged: the names are safe file names, the hashes object names,
// the sizes numbers, the tables ones that carry files, and a school attaches
// files only to records it owns (the rule `attach_file` applies locally).
// Errors: bad_data (malformed values), not_permitted (outside authority),
// each listing the offending changes.
void check_attachment_changes(Db& db, const ChangeSet& set);

// Objects named by attached files that this node's store lacks and wants
// (within its subscriptions, or asked for): it asks its peers for them in
// its bundles. Sorted.
std::vector<std::string> wanted_objects(Db& db, const ObjectStore& store);
// Records that a user asked for an object this node lacks: its bundles ask
// for it even outside the node's subscriptions.
void request_object(Db& db, const std::string& sha256);
// True when `node` wants the contents of the attached file: not a product's,
// or a product within the node's subscriptions.
bool wanted_by(Db& db, const std::string& node, const std::string& attachment_id);

}  // namespace setevoe::core
