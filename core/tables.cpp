// The replicated tables: their fields and who may write them. Adding an
// entity means adding its migration and a TableSpec here; the write path,
// bundles and checks pick it up from replicated_tables().
#include "core/i18n.hpp"
#include "core/replica.hpp"

#include <algorithm>

namespace setevoe::core {
namespace tables {

// Directions are the hub's: appointing the list of priority directions is moderation.
const TableSpec direction{"direction", N_("direction"), {"code", "name"}, true};
const TableSpec org{"org", N_("organisation"), {"kind", "name", "short_name", "status"}};
const TableSpec person{"person", N_("person"), {"name", "org", "position", "status"}};
const TableSpec contact{"contact", N_("contact details"), {"email", "phone"}, false, true};
const TableSpec membership{"membership", N_("group membership"), {"person", "grp", "role"}};
// Appointing experts is the hub's.
const TableSpec expertise{"expertise", N_("expert appointment"), {"person", "direction"}, true};

// A file attached to a row of another table; its contents are in the object
// store. The node that attaches it owns it.
const TableSpec attachment{
    "attachment", N_("attached file"), {"entity", "entity_id", "role", "name", "media_type", "size", "sha256"}};

}  // namespace tables

const std::vector<const TableSpec*>& replicated_tables() {
  static const std::vector<const TableSpec*> all = {&tables::direction, &tables::org,        &tables::person,
                                                    &tables::contact,   &tables::membership, &tables::expertise,
                                                    &tables::attachment};
  return all;
}

const TableSpec* find_table_spec(std::string_view name) {
  for (const auto* t : replicated_tables())
    if (name == t->name) return t;
  return nullptr;
}

const TableSpec& table_spec(std::string_view name) {
  if (const auto* t = find_table_spec(name)) return *t;
  throw Error(ErrorKind::internal, "unknown replicated table " + std::string(name));
}

bool has_field(const TableSpec& table, std::string_view field) {
  return field == "deleted" ||
         std::any_of(table.fields.begin(), table.fields.end(), [&](const char* f) { return field == f; });
}

std::vector<std::string> all_fields(const TableSpec& table) {
  std::vector<std::string> out(table.fields.begin(), table.fields.end());
  out.push_back("deleted");
  return out;
}

}  // namespace setevoe::core
