// The member registry (regulation 3.1.3, 5.1): the network's organisations
// (schools, kindergartens, methodological associations, creative groups,
// ...), the people who work in them, their memberships in groups, the
// experts and their directions, and the priority directions of regulation
// 2.3. Every change goes through the replicated write path (core/replica.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"
#include "core/replica.hpp"

namespace setevoe::core {

// ---- Closed vocabularies. Each value has a code (stored, typed on the
// command line, used in JSON and CSV) and a Russian label (for people);
// parse_* accepts either, in any case.

struct Term {
  const char* code;          // "school"
  const char* label;         // "school" (msgid, shown through tr(): «школа»)
  const char* ru;            // the Russian label, always accepted on input
  const char* aliases = "";  // more accepted spellings, '|' separated, folded
};
const std::vector<Term>& org_kinds();
const std::vector<Term>& member_statuses();  // potential | active | left
const std::vector<Term>& group_roles();      // member | head | secretary
// The code of a term typed as code or label; usage error listing the valid
// codes when it is none of them. `what` names the option in the message.
std::string parse_term(const std::vector<Term>& terms, std::string_view text, std::string_view what);
// The label of a code (the code itself when unknown).
std::string term_label(const std::vector<Term>& terms, std::string_view code);
// True for org kinds that are groups people join (associations, creative
// groups, expert councils, the methodological service).
bool is_group_kind(std::string_view kind);

// ---- Records as read back.

struct Direction {
  std::string id, code, name, owner;
};

struct GroupRole {
  std::string group_id, group_name, role;
};

struct Member {
  std::string id;
  bool is_org = false;  // an org, else a person
  std::string kind;     // org kind code; empty for a person
  std::string name;
  std::string short_name;  // orgs
  std::string status;
  std::string owner;                        // owning node id
  std::string org_id;                       // people: the org they work in
  std::string org_name;                     // its name, or empty when not yet received
  std::string org_short;                    // its short name, or empty
  bool org_removed = false;                 // the org was removed from the registry
  std::string position;                     // people
  std::optional<std::string> email, phone;  // people's contacts (personal data)
  std::vector<GroupRole> groups;            // people: groups joined; orgs: none
  std::vector<Direction> expert_in;         // people: directions they are an expert in
  std::int64_t people = 0;                  // orgs: number of people working there
  std::int64_t group_members = 0;           // groups: number of members
  std::string created_at, updated_at;       // ISO 8601 UTC, from the field versions
};

// ---- Input.

struct OrgInput {
  std::string kind, name;
  std::optional<std::string> short_name;
  std::string status = "active";
  bool check_duplicate = true;  // the importer matches names itself, in memory
};

struct PersonInput {
  std::string name;
  std::string org;  // a reference to the org: id prefix or exact name
  std::optional<std::string> position, email, phone;
  std::string status = "active";
  bool check_duplicate = true;  // the importer matches names itself, in memory
};

// Fields to change; only those set are written. Errors name fields that do
// not apply to the record (a kind for a person).
struct MemberPatch {
  std::optional<std::string> kind, name, short_name, status, org, position, email, phone;
  bool empty() const { return !kind && !name && !short_name && !status && !org && !position && !email && !phone; }
};

struct MemberFilter {
  std::optional<std::string> kind;  // "org", "person" or an org kind
  std::optional<std::string> org;   // people of an org, or members of a group
  std::optional<std::string> status;
  std::optional<std::string> direction;  // experts in a direction
  std::optional<std::string> name;       // part of the name or short name, any case
  bool with_contacts = false;            // fill email and phone
};

// Validation shared by add, edit and import; each throws a usage error
// with what is wrong.
std::string checked_name(std::string_view name, std::string_view what);
std::optional<std::string> checked_email(const std::optional<std::string>& email);
std::optional<std::string> checked_phone(const std::optional<std::string>& phone);

// ---- Operations. Writers carry the transaction; readers take the Db.

// Error: bad_data when an org of the same kind and name is in the registry.
std::string add_org(Writer& w, const OrgInput& in);
// Error: bad_data when a person of the same name is in the same org already.
std::string add_person(Writer& w, const PersonInput& in);
// Applies a patch; returns false when it changed nothing.
bool edit_member(Writer& w, const std::string& id, const MemberPatch& patch);
void remove_member(Writer& w, const std::string& id);
// Puts a person into a group with a role (changes the role when already in).
// Returns false when the person was in the group with that role already.
bool join_group(Writer& w, const std::string& person, const std::string& group, const std::string& role);
// Takes a person out of a group. not_found when not in it.
void leave_group(Writer& w, const std::string& person, const std::string& group);
// Appoints (or with revoke, releases) an expert in directions. Hub only.
// Returns how many appointments were made or released.
int set_expert(Writer& w, const std::string& person, const std::vector<std::string>& directions, bool revoke);

// Resolves what a user typed for a member: a unique id prefix of 4+ hex
// digits, or an exact (case-insensitive) name or short name. `want` limits
// the search: "org", "person", "group" or "" for any. Errors: not_found;
// usage for an ambiguous reference, listing the candidates.
std::string resolve_member(Db& db, std::string_view ref, std::string_view want = "");
Member get_member(Db& db, const std::string& id, bool with_contacts = true);
std::vector<Member> list_members(Db& db, const MemberFilter& filter);

// Directions: by id prefix, code or exact name.
std::string resolve_direction(Db& db, std::string_view ref);
std::vector<Direction> list_directions(Db& db);
std::string add_direction(Writer& w, std::string_view code, std::string_view name);

// The shortest prefix length (at least 8) that tells every id of the
// registry apart, for showing short ids in tables.
std::size_t short_id_length(Db& db);

// ---- Spreadsheet import and export (CSV). Columns, in any order, named in
// English or Russian: type, kind, name, short_name, status, org, position,
// email, phone, groups ("Group name:role; ..."), expert (direction codes, hub only).

struct ImportResult {
  std::int64_t orgs = 0, people = 0, memberships = 0, experts = 0;
};
// Imports a CSV file all or nothing: the first bad row stops it with the file
// name, line number and reason (bad_data), and nothing is written. The rows
// are written through `w`; the caller commits (or, for a dry run, does not).
ImportResult import_members(Writer& w, const std::string& path);

// The registry as CSV that import_members reads back.
std::string export_members_csv(Db& db);

}  // namespace setevoe::core
