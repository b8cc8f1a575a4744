// Exit codes for error kinds: the one place where they are decided.
#include "core/error.hpp"

namespace setevoe::core {

int exit_code(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::usage:
      return 64;
    case ErrorKind::bad_data:
      return 65;
    case ErrorKind::corrupt:
      return 65;
    case ErrorKind::not_found:
      return 66;
    case ErrorKind::cannot_create:
      return 73;
    case ErrorKind::io:
      return 74;
    case ErrorKind::busy:
      return 75;
    case ErrorKind::not_permitted:
      return 77;
    case ErrorKind::internal:
      return 70;
  }
  return 70;
}

}  // namespace setevoe::core
