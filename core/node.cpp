// Node identity and keys.
#include "core/node.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>

#include <filesystem>

#include "core/i18n.hpp"
#include "core/util/hash.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {
namespace fs = std::filesystem;

std::string_view role_code(Role role) {
  return role == Role::hub ? "hub" : "school";
}

std::string key_path_for(const std::string& db_path) {
  return db_path + ".key";
}

namespace {

void ensure_sodium() {
  if (sodium_init() < 0) throw Error(ErrorKind::internal, "libsodium could not be initialised");
}

// Writes the secret key file with mode 0600, refusing to replace a file.
void write_secret_key(const std::string& path, const std::string& secret_hex) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    throw Error(ErrorKind::cannot_create, trf("cannot create the key file {}: {}.", path, std::strerror(errno)));
  std::string text = "setevoe-ed25519-secret-key-1\n" + secret_hex + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    ::unlink(path.c_str());
    throw Error(ErrorKind::io, trf("cannot write the key file {}: {}.", path, std::strerror(errno)));
  }
}

}  // namespace

NodeInfo init_node_in(Db& db, const InitOptions& options, std::string* secret_key_hex) {
  ensure_sodium();
  auto name = std::string(util::trim(options.name));
  if (name.empty()) throw Error(ErrorKind::usage, tr("the node needs a name: init --name \"МБОУ «СОШ № 3»\"."));
  if (!util::valid_utf8(name)) throw Error(ErrorKind::usage, tr("the node's name is not valid UTF-8 text."));
  if (!util::known_time_zone(options.time_zone))
    throw Error(ErrorKind::usage,
                trf("unknown time zone «{}». Use an IANA name such as Europe/Moscow.", options.time_zone));
  if (db.query_int("SELECT count(*) FROM node WHERE is_self = 1") > 0)
    throw Error(ErrorKind::cannot_create, tr("this database already has a node; init never overwrites one."));

  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  NodeInfo node;
  auto now = util::system_clock_ms();
  node.id = options.id.empty() ? util::uuid7(now) : options.id;
  if (!util::is_uuid(node.id)) throw Error(ErrorKind::usage, trf("«{}» is not a node id.", node.id));
  node.name = name;
  node.role = options.role;
  node.public_key = util::to_hex(pk, sizeof pk);
  node.time_zone = options.time_zone;
  node.created_at = util::iso_utc(now);
  node.origin = util::uuid7(now);
  if (secret_key_hex) *secret_key_hex = util::to_hex(sk, sizeof sk);
  sodium_memzero(sk, sizeof sk);

  Transaction tx(db, Transaction::Kind::write);
  Stmt insert(db,
              "INSERT INTO node (id, name, role, public_key, time_zone, created_at, is_self) "
              "VALUES (?, ?, ?, ?, ?, ?, 1)");
  insert.bind(1, node.id)
      .bind(2, node.name)
      .bind(3, role_code(node.role))
      .bind(4, node.public_key)
      .bind(5, node.time_zone)
      .bind(6, node.created_at)
      .run();
  Stmt origin(db, "INSERT INTO origin (id, node) VALUES (?, ?)");
  origin.bind(1, node.origin).bind(2, node.id).run();
  Stmt setting(db, "INSERT INTO setting (key, value) VALUES ('self_origin', ?), ('hlc', '0')");
  setting.bind(1, node.origin).run();
  tx.commit();
  return node;
}

NodeInfo init_node(const std::string& db_path, const InitOptions& options) {
  std::error_code ec;
  auto key_path = key_path_for(db_path);
  if (fs::exists(db_path, ec))
    throw Error(ErrorKind::cannot_create, trf("{} already exists; setevoe init never overwrites a database. Choose "
                                              "another path, or move the old file away first.",
                                              db_path));
  if (fs::exists(key_path, ec))
    throw Error(ErrorKind::cannot_create, trf("the key file {} exists already, without its database. It may be the "
                                              "only copy of a node's secret key: move it to a safe place, then run "
                                              "init again.",
                                              key_path));
  auto parent = fs::path(db_path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw Error(ErrorKind::cannot_create,
                trf("cannot create {}: the folder {} does not exist. Create it first.", db_path, parent.string()));
  // Build everything under temporary names, then rename: a failure at any
  // point leaves no database and no key behind.
  auto suffix = ".init-" + std::to_string(::getpid());
  auto tmp_db = db_path + suffix, tmp_key = key_path + suffix;
  auto cleanup = [&] {
    for (const auto& p : {tmp_db, tmp_db + "-wal", tmp_db + "-shm", tmp_db + "-journal", tmp_key}) fs::remove(p, ec);
  };
  try {
    NodeInfo node;
    std::string secret;
    {
      Db db = Db::open(tmp_db, OpenMode::create);
      node = init_node_in(db, options, &secret);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    write_secret_key(tmp_key, secret);
    sodium_memzero(secret.data(), secret.size());
    fs::rename(tmp_key, key_path);
    if (fs::exists(db_path, ec)) {
      fs::remove(key_path, ec);
      throw Error(ErrorKind::cannot_create, trf("{} appeared while init was running; nothing was changed.", db_path));
    }
    fs::rename(tmp_db, db_path);
    cleanup();
    return node;
  } catch (const fs::filesystem_error& e) {
    cleanup();
    throw Error(ErrorKind::cannot_create, trf("cannot create {}: {}.", db_path, e.code().message()));
  } catch (...) {
    cleanup();
    throw;
  }
}

NodeInfo self_node(Db& db) {
  Stmt s(db,
         "SELECT n.id, n.name, n.role, n.public_key, n.time_zone, n.created_at, "
         "(SELECT value FROM setting WHERE key = 'self_origin') FROM node n WHERE n.is_self = 1");
  if (!s.step())
    throw Error(ErrorKind::corrupt, trf("{} has no node: it was not made by 'setevoe init'. Make a new database with "
                                        "init.",
                                        db.path()));
  NodeInfo n;
  n.id = s.column_text(0);
  n.name = s.column_text(1);
  n.role = s.column_text(2) == "hub" ? Role::hub : Role::school;
  n.public_key = s.column_text(3);
  n.time_zone = s.column_text(4);
  n.created_at = s.column_text(5);
  n.origin = s.column_text(6);
  return n;
}

std::optional<std::string> node_name(Db& db, const std::string& node_id) {
  Stmt s(db, "SELECT name FROM node WHERE id = ?");
  s.bind(1, node_id);
  if (!s.step()) return std::nullopt;
  return s.column_text(0);
}

std::string node_role(Db& db, const std::string& node_id) {
  Stmt s(db, "SELECT role FROM node WHERE id = ?");
  s.bind(1, node_id);
  return s.step() ? s.column_text(0) : std::string();
}

std::string node_label(Db& db, const std::string& node_id) {
  auto name = node_name(db, node_id);
  return name ? fmt::format("«{}» ({})", *name, node_id) : node_id;
}

std::string key_fingerprint(const std::string& public_key_hex) {
  std::string bytes;
  util::from_hex(public_key_hex, bytes);
  auto digest = util::sha256_hex(bytes).substr(0, 32);
  std::string out;
  for (std::size_t i = 0; i < digest.size(); i += 4) {
    if (i) out.push_back(' ');
    out += digest.substr(i, 4);
  }
  return util::ascii_lower(out);
}

}  // namespace setevoe::core
