// The replicated tables: their fields and who may write them. Adding an
// entity means adding its migration and a TableSpec here; the write path,
// bundles and checks pick it up from replicated_tables().
#include "core/i18n.hpp"
#include "core/replica.hpp"

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

}  // namespace tables

const std::vector<const TableSpec*>& replicated_tables() {
  static const std::vector<const TableSpec*> all = {&tables::direction, &tables::org,        &tables::person,
                                                    &tables::contact,   &tables::membership, &tables::expertise};
  return all;
}

const TableSpec& table_spec(std::string_view name) {
  for (const auto* t : replicated_tables())
    if (name == t->name) return *t;
  throw Error(ErrorKind::internal, "unknown replicated table " + std::string(name));
}

}  // namespace setevoe::core
