// The one error type of setevoe. core/ reports every failure as an Error with
// a kind from a closed set and a message for people (already translated);
// cli/ catches it once in main and turns the kind into an exit code
// (sysexits.h, listed in setevoe(1)).
#pragma once

#include <stdexcept>
#include <string>

namespace setevoe::core {

enum class ErrorKind {
  usage,          // the command line is wrong: bad option value, ambiguous id (64)
  bad_data,       // input data is invalid or a constraint would break (65)
  not_found,      // a file or record that was asked for does not exist (66)
  cannot_create,  // an output file or database cannot be created (73)
  io,             // reading or writing failed (74)
  busy,           // the database is locked by another process (75)
  not_permitted,  // this node may not change that record (77)
  corrupt,        // a database or file is damaged or not ours (65)
  internal,       // a bug in setevoe (70)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message) : std::runtime_error(std::move(message)), m_kind(kind) {}
  ErrorKind kind() const noexcept { return m_kind; }

 private:
  ErrorKind m_kind;
};

// The exit code for an error kind (sysexits.h).
int exit_code(ErrorKind kind) noexcept;

}  // namespace setevoe::core
