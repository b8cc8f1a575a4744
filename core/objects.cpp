// The content-addressed object store.
#include "core/objects.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "core/i18n.hpp"

namespace setevoe::core {
namespace fs = std::filesystem;

namespace {

constexpr const char* k_tmp_prefix = ".tmp-";

// A file descriptor closed on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

std::string errno_text() {
  return std::strerror(errno);
}

// Reads up to `size` bytes, retrying after signals; -1 on error.
ssize_t read_some(int fd, void* data, std::size_t size) {
  while (true) {
    auto n = ::read(fd, data, size);
    if (n >= 0 || errno != EINTR) return n;
  }
}

void write_all(int fd, const void* data, std::size_t size, const std::string& path) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    auto n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw Error(ErrorKind::io,
                  trf("cannot write {}: {}. Check the free space on the disk.", path, n < 0 ? errno_text() : "0"));
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

void sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// A temporary name in `dir` that names this process, so that the next
// process can tell a dead one's leftovers.
std::string temp_name(const std::string& dir) {
  static std::atomic<unsigned> counter{0};
  return (fs::path(dir) / (std::string(k_tmp_prefix) + std::to_string(::getpid()) + "-" + std::to_string(++counter)))
      .string();
}

}  // namespace

std::string check_new_file(const std::string& path) {
  std::error_code ec;
  auto parent = fs::path(path).parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec))
    throw Error(ErrorKind::cannot_create, trf("cannot write {}: the folder {} does not exist.", path, parent.string()));
  if (fs::exists(path, ec)) throw Error(ErrorKind::cannot_create, trf("{} exists already; choose another name.", path));
  return parent.string();
}

bool is_object_name(const std::string& sha) {
  return sha.size() == 64 && sha.find_first_not_of("0123456789abcdef") == std::string::npos;
}

ObjectStore::ObjectStore(const std::string& db_path) : m_root(db_path + ".objects") {}

std::string ObjectStore::path_of(const std::string& sha) const {
  if (!is_object_name(sha)) throw Error(ErrorKind::internal, "not an object name: " + sha);
  return m_root + "/" + sha.substr(0, 2) + "/" + sha.substr(2);
}

bool ObjectStore::has(const std::string& sha) const {
  return size_of(sha).has_value();
}

std::optional<std::uint64_t> ObjectStore::size_of(const std::string& sha) const {
  struct stat st;
  if (!is_object_name(sha) || ::stat(path_of(sha).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

void ObjectStore::remove_stale() const {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(m_root, ec)) {
    auto name = e.path().filename().string();
    if (name.rfind(k_tmp_prefix, 0) != 0) continue;
    auto pid = std::atol(name.c_str() + std::strlen(k_tmp_prefix));
    if (pid > 0 && (pid == ::getpid() || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH)) continue;
    fs::remove(e.path(), ec);
  }
}

namespace {

// Opens a file to be attached, refusing what cannot be one.
Fd open_source(const std::string& path) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.fd < 0) {
    if (errno == ENOENT) throw Error(ErrorKind::not_found, trf("there is no file {}.", path));
    if (errno == EACCES)
      throw Error(ErrorKind::not_found,
                  trf("cannot read {}: permission denied. Copy it somewhere you may read, or ask the computer's "
                      "administrator.",
                      path));
    throw Error(ErrorKind::io, trf("cannot read {}: {}.", path, errno_text()));
  }
  struct stat st;
  if (::fstat(in.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode))
      throw Error(ErrorKind::usage, trf("{} is a folder; give the files in it one by one.", path));
    throw Error(ErrorKind::usage, trf("{} is not a regular file.", path));
  }
  if (st.st_size == 0) throw Error(ErrorKind::usage, trf("{} is empty (0 bytes): there is nothing to attach.", path));
  return in;
}

}  // namespace

void ObjectStore::check_source(const std::string& path) {
  open_source(path);
}

ObjectStore::Stored ObjectStore::add_file(const std::string& path, const ByteProgress& progress) {
  Fd in = open_source(path);
  ::posix_fadvise(in.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  Writer w(*this);
  std::vector<char> buf(k_copy_buffer);
  while (true) {
    auto n = read_some(in.fd, buf.data(), buf.size());
    if (n < 0) throw Error(ErrorKind::io, trf("cannot read {}: {}.", path, errno_text()));
    if (n == 0) break;
    w.write(buf.data(), static_cast<std::size_t>(n));
    if (progress) progress(w.size());
  }
  Stored out;
  out.sha256 = w.finish();
  out.size = w.size();
  out.added = !has(out.sha256);
  w.commit();
  return out;
}

void ObjectStore::copy_out(const std::string& sha, const std::string& dest, const ByteProgress& progress) const {
  auto src = path_of(sha);
  Fd in(::open(src.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.fd < 0) throw Error(ErrorKind::not_found, trf("the file {} is not in the store {}.", sha, m_root));
  auto tmp = temp_name(check_new_file(dest));
  Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (out.fd < 0) throw Error(ErrorKind::cannot_create, trf("cannot create {}: {}.", tmp, errno_text()));
  try {
    ::posix_fadvise(in.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    util::Sha256 hash;
    std::vector<char> buf(k_copy_buffer);
    std::uint64_t done = 0;
    while (true) {
      auto n = read_some(in.fd, buf.data(), buf.size());
      if (n < 0) throw Error(ErrorKind::io, trf("cannot read {}: {}.", src, errno_text()));
      if (n == 0) break;
      hash.update(buf.data(), static_cast<std::size_t>(n));
      write_all(out.fd, buf.data(), static_cast<std::size_t>(n), dest);
      done += static_cast<std::uint64_t>(n);
      if (progress) progress(done);
    }
    if (hash.hex() != sha)
      throw Error(ErrorKind::corrupt,
                  trf("the stored file {} is damaged (its contents no longer match their hash); nothing was "
                      "written. Get the file again from the hub: delete {} and exchange bundles.",
                      sha, src));
    if (::fsync(out.fd) != 0) throw Error(ErrorKind::io, trf("cannot write {}: {}.", dest, errno_text()));
    if (::link(tmp.c_str(), dest.c_str()) != 0)  // never over a file that appeared meanwhile
      throw Error(ErrorKind::cannot_create, trf("cannot create {}: {}.", dest, errno_text()));
    ::unlink(tmp.c_str());
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
}

bool ObjectStore::verify(const std::string& sha) const {
  Fd in(::open(path_of(sha).c_str(), O_RDONLY | O_CLOEXEC));
  if (in.fd < 0) return false;
  util::Sha256 hash;
  std::vector<char> buf(k_copy_buffer);
  while (true) {
    auto n = read_some(in.fd, buf.data(), buf.size());
    if (n < 0) return false;
    if (n == 0) break;
    hash.update(buf.data(), static_cast<std::size_t>(n));
  }
  return hash.hex() == sha;
}

// ---- Writer

ObjectStore::Writer::Writer(const ObjectStore& store, std::string expected_sha)
    : m_store(store), m_expected(std::move(expected_sha)) {
  std::error_code ec;
  fs::create_directories(m_store.root(), ec);
  if (ec) throw Error(ErrorKind::cannot_create, trf("cannot create the folder {}: {}.", m_store.root(), ec.message()));
  m_tmp = temp_name(m_store.root());
  m_fd = ::open(m_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (m_fd < 0) throw Error(ErrorKind::cannot_create, trf("cannot create {}: {}.", m_tmp, errno_text()));
}

ObjectStore::Writer::~Writer() {
  if (m_fd >= 0) ::close(m_fd);
  if (!m_committed) ::unlink(m_tmp.c_str());
}

void ObjectStore::Writer::write(const void* data, std::size_t size) {
  m_hash.update(data, size);
  write_all(m_fd, data, size, m_tmp);
  m_size += size;
}

std::string ObjectStore::Writer::finish() {
  m_sha = m_hash.hex();
  if (!m_expected.empty() && m_sha != m_expected)
    throw Error(ErrorKind::bad_data, trf("the file {} does not match its hash", m_expected));
  if (::fsync(m_fd) != 0) throw Error(ErrorKind::io, trf("cannot write {}: {}.", m_tmp, errno_text()));
  ::close(m_fd);
  m_fd = -1;
  return m_sha;
}

void ObjectStore::Writer::commit() {
  if (m_sha.empty()) throw Error(ErrorKind::internal, "object committed before it was finished");
  auto target = m_store.path_of(m_sha);
  auto dir = fs::path(target).parent_path().string();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::cannot_create, trf("cannot create the folder {}: {}.", dir, ec.message()));
  if (m_store.has(m_sha)) {  // the same contents are there already: keep them as they are
    ::unlink(m_tmp.c_str());
    m_committed = true;
    return;
  }
  if (::rename(m_tmp.c_str(), target.c_str()) != 0)
    throw Error(ErrorKind::io, trf("cannot move {} into place: {}.", target, errno_text()));
  sync_dir(dir);
  m_committed = true;
}

}  // namespace setevoe::core
