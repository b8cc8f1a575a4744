// Helpers of the unit tests that take bundles apart and put them together
// again: the entries of a zip, a zip from entries, a manifest's signature.
#pragma once

#include <sodium.h>
#include <zip.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "core/util/hash.hpp"

namespace setevoe::test {

using ZipEntries = std::vector<std::pair<std::string, std::string>>;

// Every entry of a zip file, name and contents, in order.
inline ZipEntries zip_entries(const std::string& path) {
  int err = 0;
  zip_t* in = zip_open(path.c_str(), ZIP_RDONLY, &err);
  REQUIRE(in);
  ZipEntries entries;
  for (zip_int64_t i = 0; i < zip_get_num_entries(in, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(in, static_cast<zip_uint64_t>(i), 0, &st);
    std::string data(st.size, '\0');
    zip_file_t* f = zip_fopen_index(in, static_cast<zip_uint64_t>(i), 0);
    zip_fread(f, data.data(), data.size());
    zip_fclose(f);
    entries.emplace_back(st.name, data);
  }
  zip_discard(in);
  return entries;
}

// Writes the entries as a new zip file at `path`; returns the path.
inline std::string write_zip(const std::string& path, ZipEntries& entries) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  REQUIRE(z);
  for (auto& [n, d] : entries) zip_file_add(z, n.c_str(), zip_source_buffer(z, d.data(), d.size(), 0), 0);
  REQUIRE(zip_close(z) == 0);
  return path;
}

// The signature manifest.sig holds for `manifest`, by the secret key (hex),
// as write_bundle makes it.
inline std::string sign_manifest(const std::string& manifest, const std::string& secret_hex) {
  std::string sk;
  util::from_hex(secret_hex, sk);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(manifest.data()), manifest.size(),
                       reinterpret_cast<const unsigned char*>(sk.data()));
  return util::to_hex(sig, sizeof sig) + "\n";
}

}  // namespace setevoe::test
