// The replicated tables: their fields and who may write them. Adding an
// entity means adding its migration and a TableSpec here; the write path,
// bundles and checks pick it up from replicated_tables().
#include "core/i18n.hpp"
#include "core/replica.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace setevoe::core {
namespace {

// A product is seen by every node once the hub has published it; a draft, a
// submission or a rejection travels only between its owner and the hubs.
bool product_is_public(Db& db, const std::string& id) {
  auto& s = db.cached("SELECT published_at IS NOT NULL FROM product WHERE id = ?");
  s.bind(1, id);
  bool out = s.step() && s.column_int(0) != 0;
  s.reset();
  return out;
}

// The record a row belongs to (an attachment's, a post's): table and id.
std::pair<std::string, std::string> owner_record(Db& db, const char* table, const std::string& id) {
  auto& s = db.cached(fmt::format("SELECT entity, entity_id FROM {} WHERE id = ?", table));
  s.bind(1, id);
  std::pair<std::string, std::string> out;
  if (s.step()) out = {s.column_text(0), s.column_text(1)};
  s.reset();
  return out;
}

// A file goes where the record it belongs to goes.
bool attachment_is_public(Db& db, const std::string& id) {
  auto [entity, entity_id] = owner_record(db, "attachment", id);
  const auto* spec = find_table_spec(entity);
  return !spec || !spec->public_row || spec->public_row(db, entity_id);
}
bool attachment_visible_to(Db& db, const std::string& id, const std::string& node) {
  auto [entity, entity_id] = owner_record(db, "attachment", id);
  const auto* spec = find_table_spec(entity);
  return spec && spec->visible_to && spec->visible_to(db, entity_id, node);
}

// A discussion of a product's draft stays where the draft is.
bool post_is_public(Db& db, const std::string& id) {
  auto [entity, entity_id] = owner_record(db, "post", id);
  return entity != "product" || product_is_public(db, entity_id);
}

bool query_bool(Db& db, const char* sql, const std::string& a, const std::string& b = {}) {
  auto& s = db.cached(sql);
  s.bind(1, a);
  if (!b.empty()) s.bind(2, b);
  bool out = s.step() && s.column_int(0) != 0;
  s.reset();
  return out;
}

// A question is every node's once its asker accepted an answer and allowed
// it into the FAQ; before, its owner's, the hubs' and its experts' nodes'.
bool question_is_public(Db& db, const std::string& id) {
  return query_bool(db, "SELECT publish = 1 AND accepted IS NOT NULL FROM question WHERE id = ?", id);
}
bool question_visible_to(Db& db, const std::string& id, const std::string& node) {
  return query_bool(db,
                    "SELECT EXISTS (SELECT 1 FROM question q, json_each(q.experts) j JOIN person p ON p.id = j.value "
                    "WHERE q.id = ?1 AND p.owner = ?2)",
                    id, node);
}
std::vector<std::pair<const TableSpec*, std::string>> question_republish_with(Db& db, const std::string& id) {
  std::vector<std::pair<const TableSpec*, std::string>> out;
  Stmt s(db,
         "SELECT 'answer', accepted FROM question WHERE id = ?1 AND accepted IS NOT NULL UNION ALL "
         "SELECT 'attachment', id FROM attachment WHERE entity = 'question' AND entity_id = ?1 AND deleted = 0");
  s.bind(1, id);
  while (s.step())
    out.emplace_back(s.column_text(0) == "answer" ? &tables::answer : &tables::attachment, s.column_text(1));
  return out;
}
// An answer: the accepted one of a published question is every node's; any
// answer is its question's asker's node's and the experts' nodes'.
bool answer_is_public(Db& db, const std::string& id) {
  return query_bool(db,
                    "SELECT q.publish = 1 AND q.accepted = a.id FROM answer a JOIN question q ON q.id = a.question "
                    "WHERE a.id = ?",
                    id);
}
bool answer_visible_to(Db& db, const std::string& id, const std::string& node) {
  auto& s = db.cached("SELECT q.id, q.owner FROM answer a JOIN question q ON q.id = a.question WHERE a.id = ?");
  s.bind(1, id);
  std::string question, owner;
  if (s.step()) {
    question = s.column_text(0);
    owner = s.column_text(1);
  }
  s.reset();
  return !question.empty() && (owner == node || question_visible_to(db, question, node));
}

}  // namespace

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
const TableSpec attachment{"attachment",
                           N_("attached file"),
                           {"entity", "entity_id", "role", "name", "media_type", "size", "sha256"},
                           false,
                           false,
                           {},
                           {},
                           attachment_is_public,
                           nullptr,
                           nullptr,
                           attachment_visible_to};

// A methodological product. Moderation is the hub's: a school moves its own
// product between draft and submitted; publishing, rejecting and archiving,
// and who decided, when and why, are written by a hub.
const TableSpec product{
    "product",
    N_("methodological product"),
    {"type",    "org",        "title",        "annotation", "authors",      "directions", "subject",
     "levels",  "grade_from", "grade_to",     "language",   "keywords",     "licence",    "pupils",
     "consent", "status",     "submitted_at", "moderator",  "moderated_at", "reason",     "published_at"},
    false,
    false,
    {"moderator", "moderated_at", "reason", "published_at"},
    {{"status", {"draft", "submitted"}}},
    product_is_public};
// A review, owned by the node of the reviewer's card.
const TableSpec review{"review", N_("review"), {"product", "person", "score", "criteria", "comment", "reviewed_at"}};
// An event of the plan, owned by the node that put it there (the organiser's).
const TableSpec event{"event",
                      N_("event"),
                      {"type", "title", "description", "starts_at", "ends_at", "place", "url", "organiser",
                       "directions", "products", "status", "cancel_reason", "cancelled_at", "revision", "sections"}};
// A person registered for an event, owned by the registering node (the id
// names the event, the person and that node).
const TableSpec registration{"registration", N_("registration"), {"event", "person", "role", "registered_at"}};
// Attendance and contest results, and certificates of participation:
// written by the node that owns the event (the organiser's). The merge
// refuses a school's rows for another node's event; readers ignore any row
// whose owner is not the event's.
const TableSpec attendance{"attendance",
                           N_("attendance mark"),
                           {"event", "person", "attended", "place", "award", "marked_at"},
                           false,
                           false,
                           {},
                           {},
                           nullptr,
                           "event",
                           "event"};
const TableSpec certificate{"certificate",
                            N_("certificate of participation"),
                            {"event", "person", "number", "code", "person_name", "event_title", "event_start", "place",
                             "award", "issued_at", "signature"},
                            false,
                            false,
                            {},
                            {},
                            nullptr,
                            "event",
                            "event"};
// «Консультация»: a question is the asking node's; assigning experts is a
// hub's. An answer is the node's it was written on.
const TableSpec question{"question",
                         N_("question"),
                         {"person", "direction", "title", "text", "asked_at", "due_on", "publish", "experts",
                          "assigned_at", "accepted", "accepted_at", "closed_at"},
                         false,
                         false,
                         {"experts", "assigned_at"},
                         {},
                         question_is_public,
                         nullptr,
                         nullptr,
                         question_visible_to,
                         question_republish_with};
const TableSpec answer{"answer",
                       N_("answer"),
                       {"question", "person", "text", "answered_at"},
                       false,
                       false,
                       {},
                       {},
                       answer_is_public,
                       nullptr,
                       nullptr,
                       answer_visible_to};
// A message of a discussion thread: its node edits it, a hub hides it.
const TableSpec post{"post",
                     N_("message"),
                     {"entity", "entity_id", "section", "reply_to", "paper", "person", "text", "posted_at", "edited_at",
                      "hidden", "hide_reason", "hidden_at"},
                     false,
                     false,
                     {"hidden", "hide_reason", "hidden_at"},
                     {},
                     post_is_public};
// An agreement, the node's that registered it; its obligations are written
// by the same node.
const TableSpec agreement{"agreement",
                          N_("agreement"),
                          {"number", "signed_on", "kind", "title", "subject", "parties", "valid_from", "valid_to",
                           "interaction", "responsibility", "terminated_on", "terminate_reason"}};
const TableSpec obligation{
    "obligation", N_("obligation"), {"agreement", "party", "text"}, false, false, {}, {}, nullptr,
    "agreement",  "agreement"};
// A school's subscription to a direction or an org of the catalogue.
const TableSpec subscription{"subscription", N_("subscription"), {"node", "kind", "ref"}};

}  // namespace tables

const std::vector<const TableSpec*>& replicated_tables() {
  static const std::vector<const TableSpec*> all = {
      &tables::direction, &tables::org,          &tables::person,     &tables::contact,     &tables::membership,
      &tables::expertise, &tables::attachment,   &tables::product,    &tables::review,      &tables::subscription,
      &tables::event,     &tables::registration, &tables::attendance, &tables::certificate, &tables::question,
      &tables::answer,    &tables::post,         &tables::agreement,  &tables::obligation};
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

std::string school_value_offence(const TableSpec& table, std::string_view field, const Value& value) {
  for (const auto& v : table.school_values) {
    if (field != v.field) continue;
    const auto* text = std::get_if<std::string>(&value);
    if (text && std::any_of(v.allowed.begin(), v.allowed.end(), [&](const char* a) { return *text == a; })) return {};
    std::string shown = text                                          ? *text
                        : std::holds_alternative<std::int64_t>(value) ? std::to_string(std::get<std::int64_t>(value))
                                                                      : std::string("NULL");
    return trf("only the district hub may set the field «{}» of records of the kind «{}» to «{}».", field,
               tr(table.label), shown);
  }
  return {};
}

bool in_scope(Db& db, const TableSpec& table, const std::string& id, const std::string& owner, const std::string& node,
              std::string_view role) {
  if (role == "hub" || node == owner) return true;
  if (table.personal) return false;
  return !table.public_row || table.public_row(db, id) || (table.visible_to && table.visible_to(db, id, node));
}

std::string row_owner(Db& db, std::string_view table, const std::string& id) {
  auto& s = db.cached(fmt::format("SELECT owner FROM {} WHERE id = ?", table));
  s.bind(1, id);
  std::string out = s.step() ? s.column_text(0) : std::string();
  s.reset();
  return out;
}

std::vector<std::string> all_fields(const TableSpec& table) {
  std::vector<std::string> out(table.fields.begin(), table.fields.end());
  out.push_back("deleted");
  return out;
}

}  // namespace setevoe::core
