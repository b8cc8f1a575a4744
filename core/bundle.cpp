// Bundle files: writing and verified reading.
#include "core/bundle.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include "core/i18n.hpp"
#include "core/schema.hpp"
#include "core/util/hash.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {
namespace fs = std::filesystem;

namespace {

// Limits enforced while reading: a bundle over them is refused before it can
// fill the disk or the memory.
constexpr std::uint64_t k_max_entries = 100000;
constexpr std::uint64_t k_max_manifest = 1 << 20;            // 1 MiB
constexpr std::uint64_t k_max_changes_db = 4ull << 30;       // 4 GiB
constexpr int k_max_value_length = 16 << 20;                 // one field value: 16 MiB
constexpr std::uint64_t k_max_object = 64ull << 30;          // one attached file: 64 GiB
constexpr std::uint64_t k_max_objects_total = 256ull << 30;  // all files of a bundle

// Attached files of an encrypted bundle: libsodium's secretstream
// (XChaCha20-Poly1305) in chunks of 64 KiB, under a file key that travels
// sealed with the changes (the sealed bytes are the key, then changes.sqlite).
constexpr std::uint64_t k_crypt_chunk = 64 << 10;
constexpr std::size_t k_file_key = crypto_secretstream_xchacha20poly1305_KEYBYTES;

// The size of a file of `size` bytes once encrypted: a header, and every
// chunk (at least one) grows by its authentication tag.
std::uint64_t encrypted_size(std::uint64_t size) {
  std::uint64_t chunks = size == 0 ? 1 : (size + k_crypt_chunk - 1) / k_crypt_chunk;
  return crypto_secretstream_xchacha20poly1305_HEADERBYTES + size +
         chunks * crypto_secretstream_xchacha20poly1305_ABYTES;
}

const char* k_changes_schema =
    "CREATE TABLE node (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, public_key TEXT NOT NULL, "
    "  state TEXT NOT NULL);"
    "CREATE TABLE stream (origin TEXT PRIMARY KEY, node TEXT NOT NULL, last_seq INTEGER NOT NULL, "
    "  private INTEGER NOT NULL);"
    "CREATE TABLE change (origin TEXT NOT NULL, seq INTEGER NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "  owner TEXT NOT NULL, hlc INTEGER NOT NULL, PRIMARY KEY (origin, seq));"
    "CREATE TABLE field (origin TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL, value, "
    "  PRIMARY KEY (origin, seq, name));"
    "CREATE TABLE wanted (sha256 TEXT PRIMARY KEY);";

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw Error(ErrorKind::bad_data, trf("{} is not a usable bundle: {}.", path, why));
}

// A raw SQLite handle for the changes database (not a setevoe database).
struct RawDb {
  sqlite3* db = nullptr;
  ~RawDb() { sqlite3_close_v2(db); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    if (rc != SQLITE_OK) throw Error(ErrorKind::io, fmt::format("changes database: {}", msg));
  }
};

struct RawStmt {
  sqlite3_stmt* s = nullptr;
  RawStmt(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
      throw Error(ErrorKind::bad_data, fmt::format("changes database: {}", sqlite3_errmsg(db)));
  }
  ~RawStmt() { sqlite3_finalize(s); }
  std::string text(int i) const { return std::string(view(i)); }
  std::string_view view(int i) const {
    auto p = sqlite3_column_text(s, i);
    return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
             : std::string_view();
  }
};

void bind_value(sqlite3_stmt* s, int i, const Value& v) {
  if (auto n = std::get_if<std::int64_t>(&v))
    sqlite3_bind_int64(s, i, *n);
  else if (auto t = std::get_if<std::string>(&v))
    sqlite3_bind_text64(s, i, t->data(), t->size(), SQLITE_STATIC, SQLITE_UTF8);
  else
    sqlite3_bind_null(s, i);
}

void step_done(sqlite3* db, sqlite3_stmt* s) {
  if (sqlite3_step(s) != SQLITE_DONE)
    throw Error(ErrorKind::io, fmt::format("changes database: {}", sqlite3_errmsg(db)));
  sqlite3_reset(s);
}

}  // namespace

std::uint64_t stored_object_size(std::uint64_t size, bool encrypted) {
  return encrypted ? encrypted_size(size) : size;
}

// The change set as the bytes of an SQLite database, built in memory: no
// temporary file is left behind if the process dies.
std::string changes_db_bytes(const ChangeSet& set) {
  RawDb out;
  if (sqlite3_open_v2(":memory:", &out.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK)
    throw Error(ErrorKind::internal, "cannot open an in-memory database");
  out.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;");
  out.exec(k_changes_schema);
  RawStmt node(out.db, "INSERT INTO node VALUES (?, ?, ?, ?, ?)");
  for (const auto& n : set.nodes) {
    sqlite3_bind_text(node.s, 1, n.id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(node.s, 2, n.name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(node.s, 3, n.role.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(node.s, 4, n.public_key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(node.s, 5, n.state.c_str(), -1, SQLITE_TRANSIENT);
    step_done(out.db, node.s);
  }
  RawStmt stream(out.db, "INSERT INTO stream VALUES (?, ?, ?, ?)");
  for (const auto& st : set.streams) {
    sqlite3_bind_text(stream.s, 1, st.origin.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stream.s, 2, st.node.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stream.s, 3, st.last_seq);
    sqlite3_bind_int(stream.s, 4, st.personal ? 1 : 0);
    step_done(out.db, stream.s);
  }
  // The set outlives the statements: its strings are bound without copies.
  RawStmt change(out.db, "INSERT INTO change VALUES (?, ?, ?, ?, ?, ?)");
  RawStmt field(out.db, "INSERT INTO field VALUES (?, ?, ?, ?)");
  for (const auto& c : set.changes) {
    sqlite3_bind_text(change.s, 1, c.origin.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(change.s, 2, c.seq);
    sqlite3_bind_text(change.s, 3, c.table.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(change.s, 4, c.row.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(change.s, 5, c.owner.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(change.s, 6, static_cast<std::int64_t>(c.hlc));
    step_done(out.db, change.s);
    for (const auto& f : c.fields) {
      sqlite3_bind_text(field.s, 1, c.origin.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(field.s, 2, c.seq);
      sqlite3_bind_text(field.s, 3, f.name.c_str(), -1, SQLITE_STATIC);
      bind_value(field.s, 4, f.value);
      step_done(out.db, field.s);
    }
  }
  RawStmt wanted(out.db, "INSERT OR IGNORE INTO wanted VALUES (?)");
  for (const auto& w : set.wanted) {
    sqlite3_bind_text(wanted.s, 1, w.c_str(), -1, SQLITE_TRANSIENT);
    step_done(out.db, wanted.s);
  }
  out.exec("COMMIT");
  sqlite3_int64 size = 0;
  std::unique_ptr<unsigned char, decltype(&sqlite3_free)> bytes(sqlite3_serialize(out.db, "main", &size, 0),
                                                                &sqlite3_free);
  if (!bytes) throw Error(ErrorKind::internal, "cannot serialise the changes database");
  // The database's own pages go before the copy: two copies at most, not three.
  for (auto* st : {&node, &stream, &change, &field}) {
    sqlite3_finalize(st->s);
    st->s = nullptr;
  }
  sqlite3_close_v2(out.db);
  out.db = nullptr;
  return std::string(reinterpret_cast<const char*>(bytes.get()), static_cast<std::size_t>(size));
}

namespace {

// Removes what a killed writer left in `dir`: temporary files of processes
// that no longer run.
void remove_stale_parts(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    auto name = e.path().filename().string();
    auto at = name.rfind(".setevoe-part-");
    if (at == std::string::npos) continue;
    auto pid = std::atol(name.c_str() + at + 14);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove(e.path(), ec);
  }
}

std::string manifest_text(const BundleManifest& m) {
  toml::table t;
  t.insert("format", m.format);
  t.insert("format_version", m.format_version);
  t.insert("schema_version", m.schema_version);
  t.insert("sender", m.sender);
  t.insert("sender_name", m.sender_name);
  t.insert("sender_key", m.sender_key);
  t.insert("recipient", m.recipient);
  t.insert("created", m.created);
  if (m.encrypted) t.insert("encrypted", true);
  if (m.full) t.insert("full", true);
  toml::table counts;
  counts.insert("changes", m.changes);
  counts.insert("fields", m.fields);
  counts.insert("objects", m.objects);
  counts.insert("deferred", m.deferred);
  t.insert("counts", counts);
  if (m.part) {
    toml::table part;
    part.insert("set", m.part->set);
    part.insert("number", m.part->number);
    part.insert("count", m.part->count);
    t.insert("part", part);
  }
  toml::array entries;
  for (const auto& e : m.entries) {
    toml::table entry;
    entry.insert("name", e.name);
    entry.insert("size", static_cast<std::int64_t>(e.size));
    entry.insert("sha256", e.sha256);
    entries.push_back(entry);
  }
  t.insert("entry", entries);
  std::ostringstream out;
  out << "# setevoe bundle: see setevoe-bundle(1)\n" << t << "\n";
  return out.str();
}

// True when a file's first bytes mark a format that is compressed already
// (JPEG, PNG, GIF, WebP, zip and the office formats built on it, PDF, MP4 and
// QuickTime, Matroska/WebM, MP3, Ogg, gzip, 7z, RAR, DjVu): deflating it again
// costs time and gains nothing.
bool compressed_already(const std::string& path) {
  unsigned char h[16] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(h), sizeof h);
  auto n = in.gcount();
  if (n < 4) return false;
  auto starts = [&](std::initializer_list<int> bytes, std::size_t at = 0) {
    std::size_t i = at;
    for (int b : bytes)
      if (i >= static_cast<std::size_t>(n) || h[i++] != b) return false;
    return true;
  };
  return starts({0xFF, 0xD8, 0xFF}) || starts({0x89, 'P', 'N', 'G'}) || starts({'G', 'I', 'F', '8'}) ||
         (starts({'R', 'I', 'F', 'F'}) && starts({'W', 'E', 'B', 'P'}, 8)) || starts({'P', 'K', 3, 4}) ||
         starts({'%', 'P', 'D', 'F'}) || starts({'f', 't', 'y', 'p'}, 4) || starts({0x1A, 0x45, 0xDF, 0xA3}) ||
         starts({'I', 'D', '3'}) || starts({0xFF, 0xFB}) || starts({'O', 'g', 'g', 'S'}) || starts({0x1F, 0x8B}) ||
         starts({'7', 'z', 0xBC, 0xAF}) || starts({'R', 'a', 'r', '!'}) || starts({'A', 'T', '&', 'T'});
}

// A zip source that streams an object of the store and checks its hash as
// libzip reads it: a damaged object fails the pack instead of travelling.
struct ObjectSource {
  BundleObject object;
  int fd = -1;
  std::unique_ptr<util::Sha256> hash;
  std::uint64_t done = 0;
  zip_error_t error{};
  std::string* failure = nullptr;      // where to say what went wrong
  const unsigned char* key = nullptr;  // the file key of an encrypted bundle; nullptr: plain
  crypto_secretstream_xchacha20poly1305_state state{};
  std::vector<unsigned char> out;  // encrypted bytes not yet handed to libzip
  std::size_t out_at = 0;
  bool sent_final = false;
  std::vector<unsigned char> chunk;
};

// Reads the next plaintext chunk of an encrypted object and encrypts it into
// src->out; false (with the error set) when the file is short or unreadable.
bool encrypt_next(ObjectSource* src) {
  auto want = static_cast<std::size_t>(std::min<std::uint64_t>(k_crypt_chunk, src->object.size - src->done));
  src->chunk.resize(want);
  std::size_t got = 0;
  while (got < want) {
    auto n = ::read(src->fd, src->chunk.data() + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *src->failure =
          trf("the stored file {} is damaged (its contents no longer match their hash)", src->object.sha256);
      zip_error_set(&src->error, ZIP_ER_READ, n < 0 ? errno : 0);
      return false;
    }
    got += static_cast<std::size_t>(n);
  }
  src->hash->update(src->chunk.data(), want);
  src->done += want;
  bool last = src->done == src->object.size;
  src->out.resize(want + crypto_secretstream_xchacha20poly1305_ABYTES);
  crypto_secretstream_xchacha20poly1305_push(
      &src->state, src->out.data(), nullptr, src->chunk.data(), want, nullptr, 0,
      last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  src->out_at = 0;
  src->sent_final = last;
  if (last && src->hash->hex() != src->object.sha256) {
    *src->failure = trf("the stored file {} is damaged (its contents no longer match their hash)", src->object.sha256);
    zip_error_set(&src->error, ZIP_ER_INCONS, 0);
    return false;
  }
  return true;
}

zip_int64_t object_source(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto* src = static_cast<ObjectSource*>(user);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      src->fd = ::open(src->object.path.c_str(), O_RDONLY | O_CLOEXEC);
      if (src->fd < 0) {
        *src->failure = trf("the file {} is missing from the store", src->object.sha256);
        zip_error_set(&src->error, ZIP_ER_OPEN, errno);
        return -1;
      }
      ::posix_fadvise(src->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
      src->hash = std::make_unique<util::Sha256>();
      src->done = 0;
      if (src->key) {
        src->out.resize(crypto_secretstream_xchacha20poly1305_HEADERBYTES);
        crypto_secretstream_xchacha20poly1305_init_push(&src->state, src->out.data(), src->key);
        src->out_at = 0;
        src->sent_final = false;
      }
      return 0;
    case ZIP_SOURCE_READ: {
      if (src->key) {
        // Hand out what is encrypted; encrypt the next chunk when it is spent.
        if (src->out_at == src->out.size()) {
          if (src->sent_final) return 0;
          if (!encrypt_next(src)) return -1;
        }
        auto n = std::min<std::size_t>(len, src->out.size() - src->out_at);
        std::memcpy(data, src->out.data() + src->out_at, n);
        src->out_at += n;
        return static_cast<zip_int64_t>(n);
      }
      ssize_t n;
      do n = ::read(src->fd, data, len);
      while (n < 0 && errno == EINTR);
      if (n < 0) {
        zip_error_set(&src->error, ZIP_ER_READ, errno);
        return -1;
      }
      src->hash->update(data, static_cast<std::size_t>(n));
      src->done += static_cast<std::uint64_t>(n);
      if (n == 0 && (src->done != src->object.size || src->hash->hex() != src->object.sha256)) {
        *src->failure =
            trf("the stored file {} is damaged (its contents no longer match their hash)", src->object.sha256);
        zip_error_set(&src->error, ZIP_ER_INCONS, 0);
        return -1;
      }
      return n;
    }
    case ZIP_SOURCE_CLOSE:
      if (src->fd >= 0) ::close(src->fd);
      src->fd = -1;
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = src->key ? encrypted_size(src->object.size) : src->object.size;
      st->valid |= ZIP_STAT_SIZE;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&src->error, data, len);
    case ZIP_SOURCE_FREE:
      if (src->fd >= 0) ::close(src->fd);
      zip_error_fini(&src->error);
      delete src;
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      zip_error_set(&src->error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

}  // namespace

std::string load_secret_key(const std::string& db_path) {
  auto path = key_path_for(db_path);
  std::ifstream in(path);
  if (!in)
    throw Error(ErrorKind::not_found, trf("the node's secret key {} is missing: bundles cannot be signed without it. "
                                          "Restore it from your copy.",
                                          path));
  std::string header, hex;
  in >> header >> hex;
  std::string bytes;
  if (header != "setevoe-ed25519-secret-key-1" || !util::from_hex(hex, bytes) ||
      bytes.size() != crypto_sign_SECRETKEYBYTES)
    throw Error(ErrorKind::corrupt, trf("the key file {} is damaged.", path));
  return hex;
}

std::string write_bundle(const ChangeSet& set, const NodeInfo& sender, const std::string& secret_key_hex,
                         const std::string& path, const std::string& encrypt_to, const BundleExtras& extras) {
  if (sodium_init() < 0) throw Error(ErrorKind::internal, "libsodium could not be initialised");
  std::error_code ec;
  fs::path parent = check_new_file(path);
  remove_stale_parts(parent);
  // A hidden name in the same folder, renamed when complete.
  auto tmp =
      (parent / ("." + fs::path(path).filename().string() + ".setevoe-part-" + std::to_string(::getpid()))).string();
  auto cleanup = [&] { fs::remove(tmp, ec); };
  try {
    auto changes = changes_db_bytes(set);
    BundleManifest m;
    unsigned char file_key[k_file_key];
    crypto_secretstream_xchacha20poly1305_keygen(file_key);
    struct Wipe {
      unsigned char* k;
      ~Wipe() { sodium_memzero(k, k_file_key); }
    } wipe{file_key};
    if (!encrypt_to.empty()) {
      changes.insert(0, reinterpret_cast<const char*>(file_key), k_file_key);
      std::string pk;
      unsigned char curve_pk[crypto_box_PUBLICKEYBYTES];
      if (!util::from_hex(encrypt_to, pk) || pk.size() != crypto_sign_PUBLICKEYBYTES ||
          crypto_sign_ed25519_pk_to_curve25519(curve_pk, reinterpret_cast<const unsigned char*>(pk.data())) != 0)
        throw Error(ErrorKind::bad_data, tr("the recipient's public key is malformed; it cannot be encrypted to."));
      std::string sealed(changes.size() + crypto_box_SEALBYTES, '\0');
      crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()),
                      reinterpret_cast<const unsigned char*>(changes.data()), changes.size(), curve_pk);
      changes = std::move(sealed);
      m.encrypted = true;
    }
    m.format = k_bundle_format;
    m.format_version = k_bundle_format_version;
    m.schema_version = k_migrations.back().number;
    m.sender = sender.id;
    m.sender_name = sender.name;
    m.sender_key = sender.public_key;
    m.recipient = set.recipient;
    m.created = util::iso_utc(util::system_clock_ms());
    m.changes = static_cast<std::int64_t>(set.changes.size());
    for (const auto& c : set.changes) m.fields += static_cast<std::int64_t>(c.fields.size());
    BundleEntry e{"changes.sqlite", changes.size(), util::sha256_hex(changes)};
    m.entries.push_back(e);
    std::set<std::string> carried;
    for (const auto& o : extras.objects)
      if (carried.insert(o.sha256).second) m.entries.push_back({"objects/" + o.sha256, o.size, o.sha256});
    m.objects = static_cast<std::int64_t>(carried.size());
    m.deferred = extras.deferred;
    m.full = extras.full;
    m.part = extras.part;
    auto manifest = manifest_text(m);
    std::string sk;
    util::from_hex(secret_key_hex, sk);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(manifest.data()), manifest.size(),
                         reinterpret_cast<const unsigned char*>(sk.data()));
    sodium_memzero(sk.data(), sk.size());
    auto signature = util::to_hex(sig, sizeof sig) + "\n";

    int err = 0;
    zip_t* z = zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) throw Error(ErrorKind::cannot_create, trf("cannot create {}.", tmp));
    auto add = [&](const char* name, zip_source_t* src, bool store) {
      if (!src) {
        zip_discard(z);
        throw Error(ErrorKind::io, trf("cannot add {} to the bundle.", name));
      }
      auto idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
      if (idx < 0) {
        zip_source_free(src);
        zip_discard(z);
        throw Error(ErrorKind::io, trf("cannot add {} to the bundle.", name));
      }
      // Deflate level 6 (zlib's usual): libzip's default, 9, spent half of a
      // large pack in zlib for under one per cent of size on changes.sqlite.
      zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, store ? 0 : 6);
    };
    add("manifest.toml", zip_source_buffer(z, manifest.data(), manifest.size(), 0), false);
    add("manifest.sig", zip_source_buffer(z, signature.data(), signature.size(), 0), true);
    add("changes.sqlite", zip_source_buffer(z, changes.data(), changes.size(), 0), false);
    std::string failure;
    carried.clear();
    for (const auto& o : extras.objects) {
      if (!carried.insert(o.sha256).second) continue;
      auto* src = new ObjectSource;
      src->object = o;
      src->failure = &failure;
      if (m.encrypted) src->key = file_key;
      zip_error_init(&src->error);
      zip_source_t* zs = zip_source_function(z, object_source, src);
      if (!zs) {
        zip_error_fini(&src->error);
        delete src;
      }
      add(("objects/" + o.sha256).c_str(), zs, m.encrypted || compressed_already(o.path));
    }
    if (extras.progress)
      zip_register_progress_callback_with_state(
          z, 0.002,
          [](zip_t*, double done, void* user) { (*static_cast<const std::function<void(double)>*>(user))(done); },
          nullptr, const_cast<std::function<void(double)>*>(&extras.progress));
    if (zip_close(z) != 0) {
      std::string msg = failure.empty() ? zip_strerror(z) : failure;
      zip_discard(z);
      throw Error(failure.empty() ? ErrorKind::io : ErrorKind::corrupt, trf("cannot write {}: {}.", path, msg));
    }
    {
      int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
      }
    }
    fs::rename(tmp, path);
    return util::sha256_hex(manifest);
  } catch (...) {
    cleanup();
    throw;
  }
}

// ---- Reading

namespace {

struct ZipHandle {
  zip_t* z = nullptr;
  ~ZipHandle() {
    if (z) zip_discard(z);
  }
};

// Reads a whole entry, refusing more than `limit` bytes whatever the
// directory declares.
std::string read_entry(zip_t* z, zip_uint64_t index, std::uint64_t limit, const std::string& path,
                       const std::string& name) {
  zip_file_t* f = zip_fopen_index(z, index, 0);
  if (!f) bad(path, trf("the entry {} cannot be read ({})", name, zip_strerror(z)));
  std::string out;
  // The size the zip declares, when within the limit: no copies while growing.
  zip_stat_t st;
  if (zip_stat_index(z, index, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && st.size <= limit) out.reserve(st.size);
  char buf[65536];
  while (true) {
    auto n = zip_fread(f, buf, sizeof buf);
    if (n < 0) {
      zip_fclose(f);
      bad(path, trf("the entry {} is damaged", name));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > limit) {
      zip_fclose(f);
      bad(path, trf("the entry {} is larger than {} bytes", name, limit));
    }
  }
  zip_fclose(f);
  return out;
}

bool safe_name(const std::string& name) {
  if (name.empty() || name.size() > 200 || name.front() == '/' || name.find('\\') != std::string::npos ||
      name.find("..") != std::string::npos || name.find(':') != std::string::npos)
    return false;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F) return false;
  return name == "manifest.toml" || name == "manifest.sig" || name == "changes.sqlite" ||
         (name.rfind("objects/", 0) == 0 && name.size() == 8 + 64 &&
          name.find_first_not_of("0123456789abcdef", 8) == std::string::npos);
}

// toml++ 3.3 (Debian 12) reaches TOML_UNREACHABLE, undefined behaviour, when
// it asks whether certain non-ASCII characters (U+00A1..U+0499, Cyrillic
// among them, and U+FAF6..U+FEFE) are whitespace, which its parser does in
// many places (marzer/tomlplusplus#190 and #295; found by fuzz/fuzz_manifest).
// So toml++ is given only ASCII: each byte from 0x80 up, and '~', becomes
// "~XX" (hex). TOML allows such bytes only inside strings and comments, where
// this changes no structure, and the strings read back are decoded
// (from_toml_ascii). Since toml++ then cannot check UTF-8, this does; and a
// '~' written as an escape (\u007E), which setevoe never writes, is refused,
// so that every "~XX" read back is one this made.
std::string toml_ascii(const std::string& text, const std::string& path) {
  auto line_at = [&](std::size_t pos) { return 1 + std::count(text.begin(), text.begin() + pos, '\n'); };
  if (!util::valid_utf8(text)) {
    std::size_t start = 0;
    for (auto end = text.find('\n'); end != std::string::npos && util::valid_utf8(text.substr(start, end - start));
         end = text.find('\n', start))
      start = end + 1;
    bad(path, trf("manifest.toml, line {}: {}", line_at(start), "invalid UTF-8"));
  }
  auto lower = util::ascii_lower(text);
  for (const char* escape : {"\\u007e", "\\u0000007e"})
    if (auto at = lower.find(escape); at != std::string::npos)
      bad(path, trf("manifest.toml, line {}: {}", line_at(at), "an escaped '~'"));
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c < 0x80 && c != '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("~{:02X}", c);
  }
  return out;
}

std::string from_toml_ascii(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::string byte;
    if (s[i] == '~' && util::from_hex(s.substr(i + 1, 2), byte) && byte.size() == 1) {
      out += byte;
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

BundleManifest parse_manifest(const std::string& text, const std::string& path) {
  toml::table t;
  try {
    t = toml::parse(toml_ascii(text, path));
  } catch (const toml::parse_error& e) {
    bad(path, trf("manifest.toml, line {}: {}", e.source().begin.line, e.description()));
  }
  BundleManifest m;
  auto str = [&](const char* key) {
    auto v = t[key].value<std::string>();
    if (!v) bad(path, trf("manifest.toml has no «{}»", key));
    return from_toml_ascii(*v);
  };
  // Integers only: toml++ 3.3 turns a float into an integer with a cast that is
  // undefined behaviour when the float is out of range (format_version = 1e300).
  auto integer = [](toml::node_view<toml::node> v) -> std::optional<std::int64_t> {
    if (auto* i = v.as_integer()) return i->get();
    return std::nullopt;
  };
  auto num = [&](const char* key) {
    auto v = integer(t[key]);
    if (!v) bad(path, trf("manifest.toml has no «{}»", key));
    return *v;
  };
  m.format = str("format");
  if (m.format != k_bundle_format) bad(path, trf("its format is «{}», not «{}»", m.format, k_bundle_format));
  m.format_version = static_cast<int>(num("format_version"));
  if (m.format_version > k_bundle_format_version)
    bad(path, trf("it was made by a newer setevoe (bundle format {}; this one reads {}). Update setevoe",
                  m.format_version, k_bundle_format_version));
  m.schema_version = static_cast<int>(num("schema_version"));
  if (m.schema_version > k_migrations.back().number)
    bad(path, trf("it was made by a newer setevoe (schema {}; this one knows {}). Update setevoe", m.schema_version,
                  k_migrations.back().number));
  m.sender = str("sender");
  m.sender_name = str("sender_name");
  m.sender_key = str("sender_key");
  m.recipient = str("recipient");
  m.created = str("created");
  m.encrypted = t["encrypted"].value_or(false);
  m.full = t["full"].value_or(false);
  m.changes = integer(t["counts"]["changes"]).value_or(-1);
  m.fields = integer(t["counts"]["fields"]).value_or(-1);
  m.objects = integer(t["counts"]["objects"]).value_or(0);
  m.deferred = integer(t["counts"]["deferred"]).value_or(0);
  if (m.changes < 0 || m.fields < 0 || m.objects < 0 || m.deferred < 0) bad(path, tr("manifest.toml has no counts"));
  if (auto* part = t["part"].as_table()) {
    PartInfo p;
    p.set = from_toml_ascii((*part)["set"].value_or<std::string>(""));
    auto number = integer((*part)["number"]).value_or(0), count = integer((*part)["count"]).value_or(0);
    if (!util::is_uuid(p.set) || count < 1 || count > 10000 || number < 1 || number > count)
      bad(path, tr("manifest.toml describes its part of a split bundle wrongly"));
    p.number = static_cast<int>(number);
    p.count = static_cast<int>(count);
    m.part = p;
  }
  auto* entries = t["entry"].as_array();
  if (!entries) bad(path, tr("manifest.toml lists no entries"));
  for (auto& node : *entries) {
    auto* e = node.as_table();
    if (!e) bad(path, tr("manifest.toml has a malformed entry"));
    BundleEntry be;
    be.name = from_toml_ascii((*e)["name"].value_or<std::string>(""));
    auto size = integer((*e)["size"]).value_or(-1);
    be.sha256 = from_toml_ascii((*e)["sha256"].value_or<std::string>(""));
    if (be.name.empty() || size < 0 || be.sha256.size() != 64) bad(path, tr("manifest.toml has a malformed entry"));
    be.size = static_cast<std::uint64_t>(size);
    // An object's name is its hash.
    if (be.name.rfind("objects/", 0) == 0 && be.name.substr(8) != be.sha256)
      bad(path, trf("manifest.toml gives {} another hash than its name", be.name));
    m.entries.push_back(be);
  }
  return m;
}

// Reads the changes database from its bytes, in memory and read-only.
ChangeSet read_changes_db(std::string& data, const BundleManifest& m, const std::string& path) {
  RawDb in;
  if (sqlite3_open_v2(":memory:", &in.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK ||
      sqlite3_deserialize(in.db, "main", reinterpret_cast<unsigned char*>(data.data()),
                          static_cast<sqlite3_int64>(data.size()), static_cast<sqlite3_int64>(data.size()),
                          SQLITE_DESERIALIZE_READONLY) != SQLITE_OK)
    bad(path, tr("changes.sqlite cannot be opened"));
  sqlite3_limit(in.db, SQLITE_LIMIT_LENGTH, k_max_value_length);
  sqlite3_db_config(in.db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(in.db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  // Exactly the expected objects: no triggers, views or other tables.
  bool found_wanted = false;
  {
    std::set<std::string> expected = {"table node",
                                      "table stream",
                                      "table change",
                                      "table field",
                                      "index sqlite_autoindex_node_1",
                                      "index sqlite_autoindex_stream_1",
                                      "index sqlite_autoindex_change_1",
                                      "index sqlite_autoindex_field_1"};
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(in.db, "SELECT type, name FROM sqlite_schema", -1, &s, nullptr) != SQLITE_OK)
      bad(path, tr("changes.sqlite is not an SQLite database"));
    std::set<std::string> found;
    while (sqlite3_step(s) == SQLITE_ROW)
      found.insert(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) + " " +
                   reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
    sqlite3_finalize(s);
    // The list of wanted files came with format 1's schema 3; older bundles lack it.
    if (found.count("table wanted")) {
      found_wanted = true;
      expected.insert("table wanted");
      expected.insert("index sqlite_autoindex_wanted_1");
    }
    if (found != expected) bad(path, tr("changes.sqlite does not have the tables of a bundle"));
  }
  // The tables are defined exactly as changes_db_bytes makes them (up to white
  // space), and no page is used twice (quick_check): a generated column, a
  // default, a CHECK or a shared page lets a small file make up, while it is
  // read, far more than it holds (16 MiB on every row), and fill the memory.
  {
    auto squeeze = [](std::string_view sql) {
      std::string out;
      for (char c : sql)
        if (!std::isspace(static_cast<unsigned char>(c)))
          out += c;
        else if (!out.empty() && out.back() != ' ')
          out += ' ';
      if (!out.empty() && out.back() == ' ') out.pop_back();
      return out;
    };
    std::string_view schema = k_changes_schema;
    std::set<std::string> expected, found;
    for (std::size_t start = 0, end; (end = schema.find(';', start)) != std::string_view::npos; start = end + 1) {
      auto statement = squeeze(schema.substr(start, end - start));
      if (!found_wanted && statement.rfind("CREATE TABLE wanted", 0) == 0) continue;  // older bundles
      expected.insert(statement);
    }
    RawStmt tables(in.db, "SELECT sql FROM sqlite_schema WHERE type = 'table'");
    while (sqlite3_step(tables.s) == SQLITE_ROW) found.insert(squeeze(tables.text(0)));
    if (found != expected) bad(path, tr("changes.sqlite does not have the tables of a bundle"));
    RawStmt check(in.db, "PRAGMA quick_check(1)");
    int rc = sqlite3_step(check.s);
    if (rc != SQLITE_ROW || check.text(0) != "ok")
      bad(path, trf("changes.sqlite is damaged ({})", rc == SQLITE_ROW ? check.text(0) : sqlite3_errmsg(in.db)));
  }
  ChangeSet set;
  set.sender = m.sender;
  set.recipient = m.recipient;
  try {
    RawStmt nodes(in.db, "SELECT id, name, role, public_key, state FROM node ORDER BY id");
    while (sqlite3_step(nodes.s) == SQLITE_ROW)
      set.nodes.push_back({nodes.text(0), nodes.text(1), nodes.text(2), nodes.text(3), nodes.text(4)});
    RawStmt streams(in.db, "SELECT origin, node, last_seq, private FROM stream ORDER BY origin");
    while (sqlite3_step(streams.s) == SQLITE_ROW)
      set.streams.push_back({streams.text(0), streams.text(1), sqlite3_column_int64(streams.s, 2),
                             sqlite3_column_int(streams.s, 3) != 0});
    // Two passes in storage order, not a query per change: the changes, then
    // the fields, each joined to its change by (origin, seq). setevoe writes
    // the fields in the order of their changes, so the next field's change
    // is the current one or the next; others are found by binary search.
    {
      RawStmt count(in.db, "SELECT count(*) FROM change");
      if (sqlite3_step(count.s) == SQLITE_ROW && sqlite3_column_int64(count.s, 0) == m.changes)
        set.changes.reserve(static_cast<std::size_t>(m.changes));
    }
    auto step = [&](RawStmt& st) {
      int rc = sqlite3_step(st.s);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        bad(path, trf("changes.sqlite is damaged ({})", sqlite3_errmsg(in.db)));
      return rc == SQLITE_ROW;
    };
    RawStmt changes(in.db, "SELECT origin, seq, tbl, row_id, owner, hlc FROM change");
    bool ordered = true;
    while (step(changes)) {
      auto& c = set.changes.emplace_back();
      c.origin = changes.view(0);
      c.seq = sqlite3_column_int64(changes.s, 1);
      c.table = changes.view(2);
      c.row = changes.view(3);
      c.owner = changes.view(4);
      c.hlc = static_cast<std::uint64_t>(sqlite3_column_int64(changes.s, 5));
      if (set.changes.size() > 1) {
        const auto& p = set.changes[set.changes.size() - 2];
        ordered = ordered && std::tie(p.origin, p.seq) < std::tie(c.origin, c.seq);
      }
    }
    auto before = [](const Change& c, const std::pair<std::string_view, std::int64_t>& key) {
      return std::pair<std::string_view, std::int64_t>(c.origin, c.seq) < key;
    };
    if (!ordered)
      std::stable_sort(set.changes.begin(), set.changes.end(), [](const Change& a, const Change& b) {
        return std::tie(a.origin, a.seq) < std::tie(b.origin, b.seq);
      });
    RawStmt fields(in.db, "SELECT origin, seq, name, value FROM field ORDER BY rowid");
    std::int64_t field_count = 0;
    std::size_t at = 0;               // the change of the last field
    std::vector<FieldValue> pending;  // its fields read since, moved in with no spare room
    auto flush = [&] {
      if (pending.empty()) return;
      auto& to = set.changes[at].fields;
      to.reserve(to.size() + pending.size());
      std::move(pending.begin(), pending.end(), std::back_inserter(to));
      pending.clear();
    };
    while (step(fields)) {
      std::pair<std::string_view, std::int64_t> key(fields.view(0), sqlite3_column_int64(fields.s, 1));
      auto is = [&](std::size_t i) {
        return i < set.changes.size() && set.changes[i].seq == key.second && set.changes[i].origin == key.first;
      };
      if (!is(at)) {
        std::size_t next = at + 1;
        if (!is(next)) {
          auto it = std::lower_bound(set.changes.begin(), set.changes.end(), key, before);
          next = static_cast<std::size_t>(it - set.changes.begin());
          if (!is(next)) continue;  // a field of no change
        }
        flush();
        at = next;
      }
      Value v;
      switch (sqlite3_column_type(fields.s, 3)) {
        case SQLITE_NULL:
          break;
        case SQLITE_INTEGER:
          v = static_cast<std::int64_t>(sqlite3_column_int64(fields.s, 3));
          break;
        case SQLITE_TEXT:
          v = fields.text(3);
          break;
        default:
          bad(path, trf("a value of field {} has a type bundles do not use", fields.text(2)));
      }
      pending.push_back({fields.text(2), std::move(v)});
      ++field_count;
    }
    flush();
    if (static_cast<std::int64_t>(set.changes.size()) != m.changes || field_count != m.fields)
      bad(path, tr("the counts in manifest.toml do not match changes.sqlite"));
    RawStmt wanted(in.db, found_wanted ? "SELECT sha256 FROM wanted ORDER BY sha256" : "SELECT NULL WHERE 0");
    while (sqlite3_step(wanted.s) == SQLITE_ROW) {
      auto sha = wanted.text(0);
      if (!is_object_name(sha)) bad(path, tr("changes.sqlite asks for a file by a malformed name"));
      if (set.wanted.size() >= k_max_entries) bad(path, tr("changes.sqlite asks for too many files"));
      set.wanted.push_back(std::move(sha));
    }
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::bad_data) throw;
    bad(path, e.what());
  }
  return set;
}

}  // namespace

Bundle read_bundle(const std::string& path, const std::string& secret_key_hex) {
  if (sodium_init() < 0) throw Error(ErrorKind::internal, "libsodium could not be initialised");
  std::error_code ec;
  if (!fs::exists(path, ec)) throw Error(ErrorKind::not_found, trf("there is no file {}.", path));
  if (!fs::is_regular_file(path, ec)) bad(path, tr("it is not a regular file"));
  int err = 0;
  ZipHandle zh;
  zh.z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!zh.z) bad(path, tr("it is not a zip file, or the zip is damaged or truncated"));
  auto n = zip_get_num_entries(zh.z, 0);
  if (n < 0 || static_cast<std::uint64_t>(n) > k_max_entries) bad(path, tr("it has too many entries"));
  std::map<std::string, zip_uint64_t> index;
  for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(n); ++i) {
    zip_stat_t st;
    if (zip_stat_index(zh.z, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) bad(path, tr("an entry cannot be read"));
    std::string name = st.name;
    if (!safe_name(name)) bad(path, trf("it has an entry with a forbidden name «{}»", name));
    zip_uint8_t opsys = 0;
    zip_uint32_t attr = 0;
    if (zip_file_get_external_attributes(zh.z, i, 0, &opsys, &attr) == 0 && opsys == ZIP_OPSYS_UNIX &&
        S_ISLNK(attr >> 16))
      bad(path, trf("the entry {} is a symbolic link", name));
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
      bad(path, trf("the entry {} is encrypted with a zip password", name));
    if (!index.emplace(name, i).second) bad(path, trf("the entry {} appears twice", name));
  }
  for (const char* required : {"manifest.toml", "manifest.sig", "changes.sqlite"})
    if (!index.count(required)) bad(path, trf("the entry {} is missing", required));

  auto manifest_text = read_entry(zh.z, index["manifest.toml"], k_max_manifest, path, "manifest.toml");
  auto sig_text = read_entry(zh.z, index["manifest.sig"], 1024, path, "manifest.sig");
  Bundle b;
  b.manifest = parse_manifest(manifest_text, path);
  std::string pk, sig;
  while (!sig_text.empty() && (sig_text.back() == '\n' || sig_text.back() == '\r')) sig_text.pop_back();
  if (!util::from_hex(b.manifest.sender_key, pk) || pk.size() != crypto_sign_PUBLICKEYBYTES)
    bad(path, tr("the sender's key in manifest.toml is malformed"));
  if (!util::from_hex(sig_text, sig) || sig.size() != crypto_sign_BYTES ||
      crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                  reinterpret_cast<const unsigned char*>(manifest_text.data()), manifest_text.size(),
                                  reinterpret_cast<const unsigned char*>(pk.data())) != 0)
    throw Error(ErrorKind::not_permitted,
                trf("{}: the signature does not match: the bundle was altered or not made by the node it names. "
                    "Nothing was merged.",
                    path));
  // Every entry is listed with its size and hash, and nothing else is there.
  std::set<std::string> listed;
  for (const auto& e : b.manifest.entries) {
    if (!index.count(e.name)) bad(path, trf("manifest.toml lists {}, which the zip does not hold", e.name));
    listed.insert(e.name);
  }
  for (const auto& [name, i] : index)
    if (name != "manifest.toml" && name != "manifest.sig" && !listed.count(name))
      bad(path, trf("the zip holds {}, which manifest.toml does not list", name));
  // Attached files: what the zip declares must be what the manifest says,
  // within the limits (read_objects holds the reading to it).
  std::int64_t objects = 0;
  std::uint64_t total = 0;
  for (const auto& e : b.manifest.entries) {
    if (e.name.rfind("objects/", 0) != 0) continue;
    ++objects;
    zip_stat_t st;
    auto stored = b.manifest.encrypted ? encrypted_size(e.size) : e.size;
    if (zip_stat_index(zh.z, index[e.name], 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size != stored)
      bad(path, trf("the entry {} is not the size manifest.toml says", e.name));
    if (e.size > k_max_object) bad(path, trf("the entry {} is larger than the limit", e.name));
    total += e.size;
    if (total > k_max_objects_total) bad(path, tr("its files together are larger than the limit"));
  }
  if (objects != b.manifest.objects) bad(path, tr("the counts in manifest.toml do not match its files"));
  b.path = path;

  // changes.sqlite: extracted into a private temporary file, hashed as read.
  const BundleEntry* entry = nullptr;
  for (const auto& e : b.manifest.entries)
    if (e.name == "changes.sqlite") entry = &e;
  if (!entry) bad(path, tr("manifest.toml does not list changes.sqlite"));
  if (entry->size > k_max_changes_db) bad(path, tr("changes.sqlite is larger than the limit"));
  auto data = read_entry(zh.z, index["changes.sqlite"], entry->size, path, "changes.sqlite");
  if (data.size() != entry->size) bad(path, tr("changes.sqlite is not the size manifest.toml says"));
  if (util::sha256_hex(data) != entry->sha256) bad(path, tr("changes.sqlite does not match its hash in manifest.toml"));
  if (b.manifest.encrypted) {
    if (secret_key_hex.empty()) {
      b.opened = false;
      b.path = path;
      b.set.sender = b.manifest.sender;
      b.set.recipient = b.manifest.recipient;
      b.sha256 = util::sha256_hex(manifest_text);
      return b;
    }
    std::string sk;
    util::from_hex(secret_key_hex, sk);
    unsigned char curve_sk[crypto_box_SECRETKEYBYTES], curve_pk[crypto_box_PUBLICKEYBYTES];
    bool keys =
        sk.size() == crypto_sign_SECRETKEYBYTES &&
        crypto_sign_ed25519_sk_to_curve25519(curve_sk, reinterpret_cast<const unsigned char*>(sk.data())) == 0 &&
        crypto_sign_ed25519_pk_to_curve25519(curve_pk, reinterpret_cast<const unsigned char*>(sk.data()) +
                                                           crypto_sign_SECRETKEYBYTES - crypto_sign_PUBLICKEYBYTES) ==
            0;
    sodium_memzero(sk.data(), sk.size());
    std::string plain(data.size() >= crypto_box_SEALBYTES ? data.size() - crypto_box_SEALBYTES : 0, '\0');
    bool opened =
        keys && data.size() >= crypto_box_SEALBYTES &&
        crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size(), curve_pk, curve_sk) == 0;
    sodium_memzero(curve_sk, sizeof curve_sk);
    if (!opened)
      throw Error(ErrorKind::not_permitted,
                  trf("{}: the bundle is encrypted for another node ({}); this node cannot open it. Nothing was "
                      "merged.",
                      path, b.manifest.recipient.empty() ? tr("a hub") : b.manifest.recipient));
    if (plain.size() < k_file_key) bad(path, tr("changes.sqlite is damaged"));
    b.object_key = plain.substr(0, k_file_key);
    sodium_memzero(plain.data(), k_file_key);
    data = plain.substr(k_file_key);
  }
  b.set = read_changes_db(data, b.manifest, path);
  b.sha256 = util::sha256_hex(manifest_text);
  return b;
}

StagedObjects read_objects(const Bundle& bundle, const ObjectStore* store, const ByteProgress& progress) {
  const auto& path = bundle.path;
  bool encrypted = bundle.manifest.encrypted;
  // An encrypted bundle read without this node's key: its files can only be
  // checked for size (read_bundle did).
  if (encrypted && bundle.object_key.size() != k_file_key) {
    if (store) throw Error(ErrorKind::internal, "the files of an encrypted bundle need its key");
    return {};
  }
  int err = 0;
  ZipHandle zh;
  zh.z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!zh.z) bad(path, tr("it is not a zip file, or the zip is damaged or truncated"));
  std::vector<const BundleEntry*> to_read;
  std::uint64_t need = 0;
  for (const auto& e : bundle.manifest.entries)
    if (e.name.rfind("objects/", 0) == 0 && !(store && store->has(e.sha256))) {
      to_read.push_back(&e);
      need += e.size;
    }
  if (store) store->remove_stale();  // what a merge killed while staging left
  if (store && need > 0) {
    std::error_code ec;
    fs::create_directories(store->root(), ec);
    auto space = fs::space(store->root(), ec);
    if (!ec && space.available < need + (64ull << 20))
      throw Error(ErrorKind::io, trf("{}: its files need {} MiB and the disk of {} has {} MiB free. Free some space "
                                     "and merge again; nothing was merged.",
                                     path, need >> 20, store->root(), space.available >> 20));
  }
  StagedObjects staged;
  std::vector<char> buf(k_copy_buffer);
  std::vector<unsigned char> cipher, plain;
  std::uint64_t done = 0;
  for (const auto* e : to_read) {
    auto index = zip_name_locate(zh.z, e->name.c_str(), ZIP_FL_ENC_RAW);
    if (index < 0) bad(path, trf("the entry {} is missing", e->name));
    zip_file_t* f = zip_fopen_index(zh.z, static_cast<zip_uint64_t>(index), 0);
    if (!f) bad(path, trf("the entry {} cannot be read ({})", e->name, zip_strerror(zh.z)));
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(f, zip_fclose);
    std::unique_ptr<ObjectStore::Writer> out;
    if (store) out = std::make_unique<ObjectStore::Writer>(*store, e->sha256);
    util::Sha256 hash;
    std::uint64_t size = 0;
    // The contents, as they come: held to the declared size, so that a zip
    // bomb stops here.
    auto take = [&](const void* data, std::size_t n) {
      size += n;
      if (size > e->size) bad(path, trf("the entry {} is larger than manifest.toml says", e->name));
      if (out)
        out->write(data, n);
      else
        hash.update(data, n);
      done += n;
      if (progress) progress(done);
    };
    auto damaged = [&] { bad(path, trf("the entry {} is damaged", e->name)); };
    crypto_secretstream_xchacha20poly1305_state state;
    bool started = false, final_seen = false;
    cipher.clear();
    while (true) {
      auto n = zip_fread(f, buf.data(), buf.size());
      if (n < 0) damaged();
      if (!encrypted) {
        if (n == 0) break;
        take(buf.data(), static_cast<std::size_t>(n));
        continue;
      }
      cipher.insert(cipher.end(), buf.begin(), buf.begin() + n);
      if (cipher.size() > encrypted_size(e->size)) damaged();
      std::size_t at = 0;
      if (!started && cipher.size() >= crypto_secretstream_xchacha20poly1305_HEADERBYTES) {
        if (crypto_secretstream_xchacha20poly1305_init_pull(
                &state, cipher.data(), reinterpret_cast<const unsigned char*>(bundle.object_key.data())) != 0)
          damaged();
        started = true;
        at = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
      }
      // Whole chunks: every one holds 64 KiB of contents but the last.
      while (started && !final_seen) {
        auto remaining = e->size - size;
        auto chunk = static_cast<std::size_t>(std::min<std::uint64_t>(k_crypt_chunk, remaining)) +
                     crypto_secretstream_xchacha20poly1305_ABYTES;
        if (cipher.size() - at < chunk) break;
        plain.resize(chunk - crypto_secretstream_xchacha20poly1305_ABYTES);
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&state, plain.data(), nullptr, &tag, cipher.data() + at, chunk,
                                                       nullptr, 0) != 0)
          bad(path, trf("the file {} does not match its hash", e->sha256));
        at += chunk;
        bool last = chunk - crypto_secretstream_xchacha20poly1305_ABYTES == remaining;
        if ((tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) != last) damaged();
        final_seen = last;
        take(plain.data(), plain.size());
      }
      cipher.erase(cipher.begin(), cipher.begin() + static_cast<std::ptrdiff_t>(at));
      if (n == 0) break;
    }
    if (size != e->size || (encrypted && (!final_seen || !cipher.empty())))
      bad(path, trf("the entry {} is not the size manifest.toml says", e->name));
    if (out) {
      try {
        out->finish();
      } catch (const Error& x) {
        if (x.kind() == ErrorKind::bad_data) bad(path, x.what());
        throw;
      }
      staged.push_back(std::move(out));
    } else if (hash.hex() != e->sha256) {
      bad(path, trf("the file {} does not match its hash", e->sha256));
    }
  }
  return staged;
}

}  // namespace setevoe::core
