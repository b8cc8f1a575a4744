// The node's status, integrity checks and backups.
#include "core/maintenance.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "core/i18n.hpp"
#include "core/objects.hpp"
#include "core/replica.hpp"

namespace setevoe::core {
namespace fs = std::filesystem;

NodeStatus node_status(Db& db) {
  NodeStatus s;
  Transaction tx(db, Transaction::Kind::read);
  s.node = self_node(db);
  s.db_path = db.path();
  s.key_path = key_path_for(db.path());
  struct stat st {};
  s.key_present = ::stat(s.key_path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  s.schema_version = db.schema_version();
  s.orgs = db.query_int(
      "SELECT count(*) FROM org WHERE deleted = 0 AND kind NOT IN ('methodological-association', "
      "'methodological-service', 'creative-group', 'expert-council')");
  s.groups = db.query_int("SELECT count(*) FROM org WHERE deleted = 0") - s.orgs;
  s.people = db.query_int("SELECT count(*) FROM person WHERE deleted = 0");
  s.experts = db.query_int(
      "SELECT count(DISTINCT e.person) FROM expertise e JOIN person p ON p.id = e.person AND p.deleted = 0 "
      "WHERE e.deleted = 0");
  s.directions = db.query_int("SELECT count(*) FROM direction WHERE deleted = 0");
  s.changes = db.query_int("SELECT count(*) FROM change");
  s.peers = db.query_int("SELECT count(DISTINCT peer) FROM ack");
  // A change is sent once every peer has acknowledged it; with no peers yet,
  // nothing has been sent.
  s.unsent = db.query_int(
      "SELECT count(*) FROM change c WHERE (SELECT count(DISTINCT peer) FROM ack) = 0 "
      "OR EXISTS (SELECT 1 FROM (SELECT DISTINCT peer FROM ack) p WHERE coalesce((SELECT a.seq FROM ack a "
      "WHERE a.peer = p.peer AND a.origin = c.origin), 0) < c.seq)");
  Stmt own(db, "SELECT coalesce(sum(last_seq), 0) FROM origin WHERE node = ?");
  own.bind(1, s.node.id);
  if (own.step()) s.own_changes = own.column_int(0);
  return s;
}

std::vector<std::string> check_database(Db& db) {
  std::vector<std::string> problems;
  Transaction tx(db, Transaction::Kind::read);
  Stmt integrity(db, "PRAGMA integrity_check");
  while (integrity.step()) {
    auto line = integrity.column_text(0);
    if (line != "ok") problems.push_back("SQLite: " + line);
  }
  Stmt fk(db, "PRAGMA foreign_key_check");
  while (fk.step())
    problems.push_back(trf("table {} refers to a missing row (rowid {})", fk.column_text(0), fk.column_text(1)));
  if (db.query_int("SELECT count(*) FROM node WHERE is_self = 1") != 1)
    problems.push_back(tr("the database has no node of its own"));
  if (db.query_int("SELECT count(*) FROM origin o JOIN setting s ON s.key = 'self_origin' AND s.value = o.id") != 1)
    problems.push_back(tr("this node's change stream is missing"));
  auto own_gap =
      db.query_int("SELECT count(*) FROM change c JOIN origin o ON o.num = c.origin WHERE c.seq > o.last_seq");
  if (own_gap) problems.push_back(trf("changes with sequence numbers above their stream's last one: {}", own_gap));
  for (const auto* t : replicated_tables()) {
    auto orphans = db.query_int(fmt::format(
        "SELECT count(*) FROM change c WHERE c.tbl = '{0}' AND NOT EXISTS (SELECT 1 FROM {0} r WHERE r.id = c.row_id)",
        t->name));
    if (orphans)
      problems.push_back(trf("change log entries that name rows missing from table {}: {}", t->name, orphans));
    auto bad = db.query_int(
        fmt::format("SELECT count(*) FROM {} WHERE NOT json_valid(_v) OR json_type(_v) <> 'object'", t->name));
    if (bad) problems.push_back(trf("rows of table {} without valid field versions: {}", t->name, bad));
  }
  // The search index against the text it was built from (FTS5's own check,
  // with rank 1: the external content too).
  try {
    db.exec("INSERT INTO product_fts (product_fts, rank) VALUES ('integrity-check', 1)");
    // The filters of each indexed product, beside its text.
    if (db.query_int("SELECT (SELECT count(*) FROM search_doc d LEFT JOIN search_filter f ON f.rowid = d.rowid "
                     "WHERE f.id IS NOT d.product) + (SELECT count(*) FROM search_filter f LEFT JOIN search_doc d ON "
                     "d.rowid = f.rowid WHERE d.product IS NOT f.id)") != 0)
      throw Error(ErrorKind::corrupt, "search_filter");
  } catch (const Error&) {
    problems.push_back(tr("the search index does not match the catalogue; 'setevoe product reindex' rebuilds it"));
  }
  // Attached files: every stored object must still match its name. Missing
  // ones are not problems: they come with a later bundle.
  ObjectStore store(db.path());
  Stmt files(db, "SELECT DISTINCT sha256 FROM attachment WHERE deleted = 0 ORDER BY sha256");
  while (files.step()) {
    auto sha = files.column_text(0);
    if (!is_object_name(sha))
      problems.push_back(trf("an attached file has a malformed hash «{}»", sha));
    else if (store.has(sha) && !store.verify(sha))
      problems.push_back(trf("the stored file {} is damaged (its contents no longer match their hash)", sha));
  }
  return problems;
}

namespace {

// Copies the objects the backup's store lacks, each checked on the way;
// returns the paths of damaged ones, which are left out.
std::vector<std::string> backup_objects(const std::string& db_path, const std::string& dest) {
  ObjectStore from(db_path), to(dest);
  std::vector<std::string> damaged;
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(from.root(), ec)) {
    if (!dir.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(dir.path(), ec)) {
      auto sha = dir.path().filename().string() + f.path().filename().string();
      if (!is_object_name(sha) || to.has(sha)) continue;
      fs::create_directories(fs::path(to.path_of(sha)).parent_path(), ec);
      try {
        from.copy_out(sha, to.path_of(sha));
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::corrupt) throw;
        damaged.push_back(from.path_of(sha));
      }
    }
  }
  return damaged;
}

}  // namespace

void backup_database(Db& db, const std::string& dest, bool overwrite) {
  std::error_code ec;
  if (fs::exists(dest, ec) && !overwrite)
    throw Error(ErrorKind::cannot_create,
                trf("{} exists already. Choose another name, or add --yes to replace it.", dest));
  if (fs::equivalent(dest, db.path(), ec))
    throw Error(ErrorKind::usage, tr("the backup cannot be the database itself; give another file name."));
  auto parent = fs::path(dest).parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec))
    throw Error(ErrorKind::cannot_create, trf("cannot write {}: the folder {} does not exist.", dest, parent.string()));
  if (::access(parent.c_str(), W_OK) != 0)
    throw Error(ErrorKind::cannot_create,
                trf("cannot write {}: the folder {} is not writable.", dest, parent.string()));

  auto tmp = dest + ".part-" + std::to_string(::getpid());
  auto cleanup = [&] {
    for (const auto& p : {tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm"}) fs::remove(p, ec);
  };
  sqlite3* out = nullptr;
  int rc = sqlite3_open_v2(tmp.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close(out);
    cleanup();
    throw Error(ErrorKind::cannot_create, trf("cannot create {}: {}.", tmp, sqlite3_errstr(rc)));
  }
  sqlite3_backup* b = sqlite3_backup_init(out, "main", db.handle(), "main");
  if (!b) {
    std::string msg = sqlite3_errmsg(out);
    sqlite3_close(out);
    cleanup();
    throw Error(ErrorKind::io, trf("cannot start the backup: {}.", msg));
  }
  // Copy in steps, so that writers elsewhere are not locked out for long; a
  // write by another connection restarts the copy, which is what keeps it
  // consistent.
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc == SQLITE_DONE) {
    // The copy is a complete database of its own: leave it in rollback mode,
    // one self-contained file. Marked so that, if it is ever put back as the
    // live database, it continues under a new incarnation instead of
    // reusing the sequence numbers issued after the backup.
    rc = sqlite3_exec(out,
                      "PRAGMA journal_mode=DELETE; "
                      "INSERT OR REPLACE INTO setting (key, value) VALUES ('new_incarnation', '1');",
                      nullptr, nullptr, nullptr);
  }
  int close_rc = sqlite3_close(out);
  if (rc != SQLITE_OK || close_rc != SQLITE_OK) {
    cleanup();
    throw Error(ErrorKind::io, trf("the backup to {} failed: {}. Nothing was written.", dest, sqlite3_errstr(rc)));
  }
  fs::rename(tmp, dest, ec);
  if (ec) {
    cleanup();
    throw Error(ErrorKind::io, trf("cannot rename {} to {}: {}.", tmp, dest, ec.message()));
  }
  // The attached files go beside the copy, as beside the database.
  auto damaged = backup_objects(db.path(), dest);
  if (!damaged.empty()) {
    std::string list;
    for (const auto& d : damaged) list += "\n  " + d;
    throw Error(ErrorKind::corrupt,
                trf("the backup {} was written, but {} stored files are damaged and were left out of it. Delete "
                    "them and exchange bundles: the next bundles bring them again.{}",
                    dest, damaged.size(), list));
  }
}

}  // namespace setevoe::core
