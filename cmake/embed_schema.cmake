# Turns the numbered migrations schema/NNNN_name.sql into a C++ source that
# defines setevoe::core::k_migrations (see core/schema.hpp).
string(REPLACE "|" ";" FILES "${FILES}")
set(body "// Generated from schema/*.sql by cmake/embed_schema.cmake. Do not edit.\n#include \"core/schema.hpp\"\nnamespace setevoe::core {\nconst std::vector<Migration> k_migrations = {\n")
foreach(f ${FILES})
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" num ${name})
  math(EXPR num "${num} + 0")
  file(READ ${f} sql)
  string(APPEND body "  {${num}, \"${name}\", R\"setevoe_sql(${sql})setevoe_sql\"},\n")
endforeach()
string(APPEND body "};\n}  // namespace setevoe::core\n")
file(WRITE ${OUT}.tmp "${body}")
file(RENAME ${OUT}.tmp ${OUT})
