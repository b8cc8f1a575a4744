// The object store (DESIGN.md, "Data"): attached files live beside the
// database, addressed by their SHA-256, never in its tables:
//
//   <db>.objects/ab/cdef…   the file whose SHA-256 is "abcdef…"
//
// Everything is streamed through a fixed buffer, so memory stays bounded
// whatever the size of a file. A file enters the store under a temporary
// name, is hashed as it is written, fsynced, and renamed into place only when
// complete and checked; temporaries of a process that died are removed by the
// next one. Storing the same content twice stores it once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/util/hash.hpp"

namespace setevoe::core {

// Called with the bytes done so far while a long copy runs.
using ByteProgress = std::function<void(std::uint64_t done)>;

// Checks that a new file may be written at `path`: its folder exists and the
// file does not. Returns the folder ("." for a bare name). Error:
// cannot_create, saying which.
std::string check_new_file(const std::string& path);

// True when `sha` is 64 lower-case hex digits.
bool is_object_name(const std::string& sha);

class ObjectStore {
 public:
  // The store of the database at `db_path` (the folder need not exist yet).
  explicit ObjectStore(const std::string& db_path);

  const std::string& root() const { return m_root; }
  std::string path_of(const std::string& sha) const;
  bool has(const std::string& sha) const;
  // Size of a stored object; nullopt when it is not here.
  std::optional<std::uint64_t> size_of(const std::string& sha) const;

  struct Stored {
    std::string sha256;
    std::uint64_t size = 0;
    bool added = false;  // false: the store had it already
  };
  // Copies a file into the store. Errors: not_found, io.
  Stored add_file(const std::string& path, const ByteProgress& progress = {});
  // Checks, before anything is copied, that `path` is a readable regular
  // file with contents. Errors: not_found (missing or unreadable), usage (a
  // folder or another non-file, an empty file).
  static void check_source(const std::string& path);

  // Copies an object out to `dest` (which must not exist), checking its hash
  // on the way; `dest` appears only when complete and correct. Errors:
  // not_found (not here), corrupt (the stored file does not match its name),
  // cannot_create (dest exists or its folder is missing), io.
  void copy_out(const std::string& sha, const std::string& dest, const ByteProgress& progress = {}) const;

  // Re-reads an object and checks its hash: false when damaged.
  bool verify(const std::string& sha) const;

  // One object being written: bytes go to a temporary file in the store and
  // are hashed as they come; finish() checks the hash (and the expected one,
  // when given), commit() renames it into place. Destroyed uncommitted, the
  // temporary is removed.
  class Writer {
   public:
    Writer(const ObjectStore& store, std::string expected_sha = {});
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    void write(const void* data, std::size_t size);
    // Syncs the file and checks its hash; returns it. Error: bad_data when it
    // is not the expected one (with a message naming the object).
    std::string finish();
    // Moves the object into place (after finish()).
    void commit();
    std::uint64_t size() const { return m_size; }
    // The contents' SHA-256 (after finish()).
    const std::string& sha256() const { return m_sha; }

   private:
    const ObjectStore& m_store;
    std::string m_expected, m_tmp, m_sha;
    int m_fd = -1;
    std::uint64_t m_size = 0;
    util::Sha256 m_hash;
    bool m_committed = false;
  };

  // Removes temporaries of processes that no longer run.
  void remove_stale() const;

 private:
  std::string m_root;
};

// The buffer of every streamed copy of file contents (the store, bundles).
inline constexpr std::size_t k_copy_buffer = 1 << 20;

}  // namespace setevoe::core
