// Shared parts of the libFuzzer targets of the bundle reader (ARCHITECTURE.md,
// "Fuzzing"): the input goes into a private in-memory file and read_bundle
// reads it by path; an Error is an expected outcome, anything else (a crash, a
// sanitizer report, another exception, an internal error, a leak) is a finding.
#pragma once

#include <sodium.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zip.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bundle.hpp"
#include "core/error.hpp"
#include "core/util/hash.hpp"

namespace setevoe::fuzz {

[[noreturn]] inline void die(const char* what) {
  std::fprintf(stderr, "fuzz target setup failed: %s\n", what);
  std::abort();
}

// One anonymous in-memory file (memfd) for the whole run, rewritten for each
// input and read through its /proc/self/fd path: nothing is left on disk.
class InputFile {
 public:
  InputFile() {
    m_fd = ::memfd_create("setevoe-fuzz-bundle", MFD_CLOEXEC);
    if (m_fd < 0) die("memfd_create");
    m_path = "/proc/self/fd/" + std::to_string(m_fd);
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile() { ::close(m_fd); }

  const std::string& write(std::string_view data) {
    if (::ftruncate(m_fd, 0) != 0) die("ftruncate");
    std::size_t done = 0;
    while (done < data.size()) {
      auto n = ::pwrite(m_fd, data.data() + done, data.size() - done, static_cast<off_t>(done));
      if (n <= 0) die("pwrite");
      done += static_cast<std::size_t>(n);
    }
    return m_path;
  }

 private:
  int m_fd = -1;
  std::string m_path;
};

// Reads the bundle at `path`; an Error is an answer, not a finding, except
// `internal`, which setevoe reserves for its own bugs. With SETEVOE_FUZZ_VERBOSE
// set, says what read_bundle answered (to see where an input stops).
inline void read_expecting_errors(const std::string& path, const std::string& secret_key_hex = {}) {
  static const bool verbose = std::getenv("SETEVOE_FUZZ_VERBOSE") != nullptr;
  try {
    auto b = core::read_bundle(path, secret_key_hex);
    if (b.sha256.size() != 64) die("read_bundle returned a bundle without its hash");
    if (verbose)
      std::fprintf(stderr, "read: %zu changes%s\n", b.set.changes.size(), b.opened ? "" : " (encrypted, not opened)");
  } catch (const core::Error& e) {
    if (verbose) std::fprintf(stderr, "error %d: %s\n", static_cast<int>(e.kind()), e.what());
    if (e.kind() == core::ErrorKind::internal) {
      std::fprintf(stderr, "read_bundle: internal error: %s\n", e.what());
      std::abort();
    }
  }
}

// With SETEVOE_FUZZ_SAVE=FILE, the targets that build a bundle around their
// input write that bundle to FILE: that turns a finding into a bundle file
// for fuzz/regressions/.
inline void save_if_asked(std::string_view bundle) {
  static const char* to = std::getenv("SETEVOE_FUZZ_SAVE");
  if (!to) return;
  std::FILE* f = std::fopen(to, "wb");
  if (!f || std::fwrite(bundle.data(), 1, bundle.size(), f) != bundle.size() || std::fclose(f) != 0)
    die("cannot write SETEVOE_FUZZ_SAVE");
}

// A key pair made from a fixed seed, the same on every run: the targets that
// build a bundle around the input sign it (and seal to it) with this key.
struct FixedKey {
  std::string public_hex, secret_hex;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  FixedKey() {
    if (sodium_init() < 0) die("sodium_init");
    unsigned char seed[crypto_sign_SEEDBYTES];
    for (std::size_t i = 0; i < sizeof seed; ++i) seed[i] = static_cast<unsigned char>(i * 7 + 1);
    crypto_sign_seed_keypair(pk, sk, seed);
    public_hex = util::to_hex(pk, sizeof pk);
    secret_hex = util::to_hex(sk, sizeof sk);
  }
  std::string sign(std::string_view text) const {
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()), text.size(), sk);
    return util::to_hex(sig, sizeof sig) + "\n";
  }
  // `data` sealed to this key, as write_bundle --encrypt does.
  std::string seal(std::string_view data) const {
    unsigned char curve_pk[crypto_box_PUBLICKEYBYTES];
    if (crypto_sign_ed25519_pk_to_curve25519(curve_pk, pk) != 0) die("curve25519 key");
    std::string out(data.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), curve_pk);
    return out;
  }
};

// A zip of the given entries (stored, not compressed), built in memory with
// libzip, as its bytes.
inline std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!src) die("zip_source_buffer_create");
  zip_source_keep(src);
  zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &error);
  if (!z) die("zip_open_from_source");
  for (const auto& [name, data] : entries) {
    zip_source_t* s = zip_source_buffer(z, data.data(), data.size(), 0);
    zip_int64_t i = s ? zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8) : -1;
    if (i < 0) die("zip_file_add");
    zip_set_file_compression(z, static_cast<zip_uint64_t>(i), ZIP_CM_STORE, 0);
  }
  if (zip_close(z) != 0) die("zip_close");
  std::string out;
  if (zip_source_open(src) != 0) die("zip_source_open");
  char buf[65536];
  zip_int64_t n;
  while ((n = zip_source_read(src, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  if (n < 0) die("zip_source_read");
  zip_source_close(src);
  zip_source_free(src);
  zip_error_fini(&error);
  return out;
}

}  // namespace setevoe::fuzz
