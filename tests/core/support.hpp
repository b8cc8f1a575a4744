// Shared fixtures of the unit tests: in-memory databases with a node, and
// temporary folders.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include <functional>

#include "core/db.hpp"
#include "core/error.hpp"
#include "core/node.hpp"

namespace setevoe::test {

// An in-memory database with a node of the given role.
inline core::Db memory_node(core::Role role = core::Role::school, const std::string& name = "МБОУ «СОШ № 3»") {
  auto db = core::Db::open(":memory:", core::OpenMode::create);
  core::InitOptions o;
  o.name = name;
  o.role = role;
  core::init_node_in(db, o, nullptr);
  return db;
}

// The kind of the Error that f throws; fails the test when it throws none.
inline core::ErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.kind();
  }
  FAIL("no error");
  return core::ErrorKind::internal;
}

// The message of the Error that f throws; fails the test when it throws none.
inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.what();
  }
  FAIL("no error");
  return {};
}

// What f threw: the kind and message of its Error, or (internal, "") when it
// threw nothing (a case that should have failed and did not).
struct Outcome {
  core::ErrorKind kind = core::ErrorKind::internal;
  std::string message;
};
inline Outcome outcome_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return {e.kind(), e.what()};
  }
  return {};
}

// A temporary folder removed with everything in it at the end of the scope.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    m_path = std::filesystem::temp_directory_path() / ("setevoe-unit-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  std::string file(const std::string& name) const { return (m_path / name).string(); }
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

// A whole file written or read as bytes.
inline void write_file(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace setevoe::test
