// The database schema: numbered migrations from schema/NNNN_name.sql,
// embedded at build time (cmake/embed_schema.cmake), applied in order on
// open. PRAGMA user_version holds the number of the last one applied.
#pragma once

#include <vector>

namespace setevoe::core {

struct Migration {
  int number;        // NNNN of the file name; user_version after it is applied
  const char* name;  // the file name without .sql
  const char* sql;   // the whole script
};

// All migrations, in ascending order of number, numbered from 1 without gaps.
extern const std::vector<Migration> k_migrations;

// PRAGMA application_id of a setevoe database: "STVO".
inline constexpr int k_application_id = 0x5354564F;

}  // namespace setevoe::core
