// The member registry: organisations, people, groups, experts, directions.
#include "core/member.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/hlc.hpp"
#include "core/i18n.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {

// ---- Vocabularies

namespace {
const std::vector<Term> k_org_kinds = {
    {"school", N_("school"), "школа", "сош|оош|гимназия|лицей"},
    {"kindergarten", N_("kindergarten"), "детский сад", "доу|дс|детсад"},
    {"additional-education", N_("additional education"), "дополнительное образование", "до|удо"},
    {"methodological-association", N_("methodological association"), "методическое объединение", "мо|ммо|рмо|рма"},
    {"methodological-service", N_("methodological service"), "методическая служба", "ммс|мс|методический кабинет"},
    {"creative-group", N_("creative group"), "творческая группа", "тг"},
    {"expert-council", N_("expert council"), "экспертный совет"},
    {"education-department", N_("education department"), "управление образования", "уо|управление"},
};
const std::vector<Term> k_statuses = {
    {"potential", N_("potential"), "потенциальный", "потенциальная|потенциальное"},
    {"active", N_("active"), "активный", "активная|активное|действующий|действующая"},
    {"left", N_("left"), "выбыл", "выбыла|выбыло|вышел|вышла"},
};
const std::vector<Term> k_roles = {
    {"member", N_("member"), "участник", "член"},
    {"head", N_("head"), "руководитель", "председатель"},
    {"secretary", N_("secretary"), "секретарь"},
};
}  // namespace

const std::vector<Term>& org_kinds() {
  return k_org_kinds;
}
const std::vector<Term>& member_statuses() {
  return k_statuses;
}
const std::vector<Term>& group_roles() {
  return k_roles;
}

std::string parse_term(const std::vector<Term>& terms, std::string_view text, std::string_view what) {
  auto folded = util::fold(util::trim(text));
  std::string codes;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const auto& t = terms[i];
    if (folded == util::fold(t.code) || folded == util::fold(t.label) || folded == util::fold(tr(t.label)) ||
        folded == util::fold(t.ru))
      return t.code;
    for (const auto& alias : util::split_list(t.aliases, '|'))
      if (folded == alias) return t.code;
    codes += (codes.empty() ? "" : ", ") + std::string(t.code);
  }
  throw Error(ErrorKind::usage, trf("unknown {} «{}». Use one of: {}.", what, text, codes));
}

std::string term_label(const std::vector<Term>& terms, std::string_view code) {
  for (const auto& t : terms)
    if (code == t.code) return tr(t.label);
  return std::string(code);
}

bool is_group_kind(std::string_view kind) {
  return kind == "methodological-association" || kind == "methodological-service" || kind == "creative-group" ||
         kind == "expert-council";
}

// ---- Validation

std::string checked_name(std::string_view name, std::string_view what) {
  auto t = util::trim(name);
  if (t.empty()) throw Error(ErrorKind::usage, trf("the {} is empty.", what));
  if (!util::valid_utf8(t)) throw Error(ErrorKind::usage, trf("the {} is not valid UTF-8 text.", what));
  if (t.size() > 1000) throw Error(ErrorKind::usage, trf("the {} is longer than 1000 bytes; shorten it.", what));
  for (unsigned char c : t)
    if (c < 0x20 || c == 0x7F)
      throw Error(ErrorKind::usage,
                  trf("the {} contains a line break or a control character; write it on one line.", what));
  return std::string(t);
}

std::optional<std::string> checked_email(const std::optional<std::string>& email) {
  if (!email) return std::nullopt;
  auto e = std::string(util::trim(*email));
  if (e.empty()) return e;  // clears the field
  auto at = e.find('@');
  bool ok = util::valid_utf8(e) && e.size() <= 254 && at != std::string::npos && at > 0 &&
            e.find('@', at + 1) == std::string::npos && e.find_first_of(" \t,;<>\"") == std::string::npos;
  if (ok) {
    auto domain = std::string_view(e).substr(at + 1);
    auto dot = domain.find('.');
    ok =
        dot != std::string_view::npos && dot > 0 && domain.back() != '.' && domain.find("..") == std::string_view::npos;
  }
  if (!ok) throw Error(ErrorKind::usage, trf("«{}» is not an e-mail address (expected name@example.ru).", e));
  return e;
}

std::optional<std::string> checked_phone(const std::optional<std::string>& phone) {
  if (!phone) return std::nullopt;
  auto p = std::string(util::trim(*phone));
  if (p.empty()) return p;
  std::size_t digits = 0;
  bool ok = p.size() <= 32;
  for (char c : p) {
    if (c >= '0' && c <= '9')
      ++digits;
    else if (std::string_view(" +-().").find(c) == std::string_view::npos)
      ok = false;
  }
  if (!ok || digits < 5)
    throw Error(ErrorKind::usage, trf("«{}» is not a telephone number (digits, spaces, + - ( ) only).", p));
  return p;
}

namespace {

Value text_or_null(const std::optional<std::string>& s) {
  if (!s || s->empty()) return std::monostate{};
  return *s;
}

struct Candidate {
  std::string id, name, what;
};

[[noreturn]] void ambiguous(std::string_view ref, const std::vector<Candidate>& c) {
  std::string list;
  for (std::size_t i = 0; i < c.size() && i < 10; ++i)
    list += fmt::format("\n  {}  {} ({})", c[i].id, c[i].name, c[i].what);
  if (c.size() > 10) list += "\n  " + trf("… and {} more", c.size() - 10);
  throw Error(ErrorKind::usage, trf("«{}» matches {} records; give more digits of the id:{}", ref, c.size(), list));
}

std::vector<Candidate> find_by_prefix(Db& db, const std::string& table, const std::string& prefix,
                                      const std::string& extra_where, const std::string& what) {
  Stmt s(db, fmt::format("SELECT id, name FROM {} WHERE id >= ?1 AND id < ?1 || '~' AND deleted = 0 {}", table,
                         extra_where));
  s.bind(1, prefix);
  std::vector<Candidate> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1), what});
  return out;
}

std::string group_kinds_sql() {
  return "('methodological-association', 'methodological-service', 'creative-group', 'expert-council')";
}

}  // namespace

// ---- Resolving references

std::string resolve_member(Db& db, std::string_view ref_in, std::string_view want) {
  auto ref = std::string(util::trim(ref_in));
  if (ref.empty()) throw Error(ErrorKind::usage, tr("an empty id or name was given."));
  bool orgs = want.empty() || want == "org" || want == "group", people = want.empty() || want == "person";
  std::string org_where = want == "group" ? "AND kind IN " + group_kinds_sql() : "";
  std::string what = want == "person"  ? tr("person")
                     : want == "group" ? tr("group")
                     : want == "org"   ? tr("organisation")
                                       : tr("record");
  auto prefix = util::canonical_id_prefix(ref);
  std::size_t digits = prefix ? std::count_if(prefix->begin(), prefix->end(), [](char c) { return c != '-'; }) : 0;
  if (prefix && digits >= 4) {
    std::vector<Candidate> found;
    if (orgs) found = find_by_prefix(db, "org", *prefix, org_where, tr("organisation"));
    if (people) {
      auto p = find_by_prefix(db, "person", *prefix, "", tr("person"));
      found.insert(found.end(), p.begin(), p.end());
    }
    if (found.size() == 1) return found[0].id;
    if (found.size() > 1) ambiguous(ref, found);
  }
  auto folded = util::fold(ref);
  std::vector<Candidate> found;
  if (orgs) {
    Stmt s(db, "SELECT id, name, short_name FROM org WHERE deleted = 0 " + org_where);
    while (s.step())
      if (util::fold(s.column_text(1)) == folded || (!s.column_is_null(2) && util::fold(s.column_text(2)) == folded))
        found.push_back({s.column_text(0), s.column_text(1), tr("organisation")});
  }
  if (people) {
    Stmt s(db, "SELECT id, name FROM person WHERE deleted = 0");
    while (s.step())
      if (util::fold(s.column_text(1)) == folded) found.push_back({s.column_text(0), s.column_text(1), tr("person")});
  }
  if (found.size() == 1) return found[0].id;
  if (found.size() > 1) ambiguous(ref, found);
  if (prefix && digits < 4)
    throw Error(ErrorKind::usage, trf("«{}» is too short for an id: give at least 4 digits, or the exact name.", ref));
  throw Error(ErrorKind::not_found,
              trf("no {} «{}» in the registry. 'setevoe member list' shows what there is.", what, ref));
}

std::string resolve_direction(Db& db, std::string_view ref_in) {
  auto ref = std::string(util::trim(ref_in));
  auto folded = util::fold(ref);
  std::vector<Candidate> found;
  Stmt s(db, "SELECT id, code, name FROM direction WHERE deleted = 0 ORDER BY code");
  auto prefix = util::canonical_id_prefix(ref);
  bool long_prefix = prefix && prefix->size() >= 4;
  while (s.step()) {
    auto id = s.column_text(0), code = s.column_text(1), name = s.column_text(2);
    if (folded == code || util::fold(name) == folded) return id;
    if (long_prefix && id.rfind(*prefix, 0) == 0) found.push_back({id, name, code});
  }
  if (found.size() == 1) return found[0].id;
  if (found.size() > 1) ambiguous(ref, found);
  std::string codes;
  for (const auto& d : list_directions(db)) codes += (codes.empty() ? "" : ", ") + d.code;
  throw Error(ErrorKind::not_found, trf("no direction «{}». Directions: {}.", ref, codes));
}

// ---- Reading

std::vector<Direction> list_directions(Db& db) {
  Stmt s(db, "SELECT id, code, name, owner FROM direction WHERE deleted = 0 ORDER BY id");
  std::vector<Direction> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3)});
  return out;
}

namespace {

void load_people_details(Db& db, std::vector<Member>& people, bool with_contacts) {
  std::map<std::string, Member*> by_id;
  for (auto& p : people) by_id[p.id] = &p;
  if (by_id.empty()) return;
  Stmt groups(db,
              "SELECT m.person, m.grp, coalesce(o.name, ''), m.role FROM membership m "
              "LEFT JOIN org o ON o.id = m.grp AND o.deleted = 0 WHERE m.deleted = 0 ORDER BY o.name");
  while (groups.step())
    if (auto it = by_id.find(groups.column_text(0)); it != by_id.end())
      it->second->groups.push_back({groups.column_text(1), groups.column_text(2), groups.column_text(3)});
  Stmt experts(db,
               "SELECT e.person, d.id, d.code, d.name, d.owner FROM expertise e "
               "JOIN direction d ON d.id = e.direction AND d.deleted = 0 WHERE e.deleted = 0 ORDER BY d.id");
  while (experts.step())
    if (auto it = by_id.find(experts.column_text(0)); it != by_id.end())
      it->second->expert_in.push_back(
          {experts.column_text(1), experts.column_text(2), experts.column_text(3), experts.column_text(4)});
  if (!with_contacts) return;
  Stmt contacts(db, "SELECT id, email, phone FROM contact WHERE deleted = 0");
  while (contacts.step())
    if (auto it = by_id.find(contacts.column_text(0)); it != by_id.end()) {
      it->second->email = contacts.column_optional(1);
      it->second->phone = contacts.column_optional(2);
    }
}

constexpr const char* k_org_columns =
    "o.id, o.kind, o.name, o.short_name, o.status, o.owner, o._v, "
    "(SELECT count(*) FROM person p WHERE p.org = o.id AND p.deleted = 0), "
    "(SELECT count(*) FROM membership m JOIN person p ON p.id = m.person AND p.deleted = 0 "
    " WHERE m.grp = o.id AND m.deleted = 0)";
constexpr const char* k_person_columns =
    "p.id, p.name, p.org, coalesce(o.name, ''), p.position, p.status, p.owner, p._v, coalesce(o.short_name, ''), "
    "coalesce(o.deleted, 0)";

Member read_org(const Stmt& s) {
  Member m;
  m.is_org = true;
  m.id = s.column_text(0);
  m.kind = s.column_text(1);
  m.name = s.column_text(2);
  m.short_name = s.column_text(3);
  m.status = s.column_text(4);
  m.owner = s.column_text(5);
  std::tie(m.created_at, m.updated_at) = row_times(s.column_text(6), m.id);
  m.people = s.column_int(7);
  m.group_members = s.column_int(8);
  return m;
}

Member read_person(const Stmt& s) {
  Member m;
  m.id = s.column_text(0);
  m.name = s.column_text(1);
  m.org_id = s.column_text(2);
  m.org_name = s.column_text(3);
  m.position = s.column_text(4);
  m.status = s.column_text(5);
  m.owner = s.column_text(6);
  std::tie(m.created_at, m.updated_at) = row_times(s.column_text(7), m.id);
  m.org_short = s.column_text(8);
  m.org_removed = s.column_int(9) != 0;
  return m;
}

}  // namespace

Member get_member(Db& db, const std::string& id, bool with_contacts) {
  Stmt o(db, fmt::format("SELECT {} FROM org o WHERE o.id = ? AND o.deleted = 0", k_org_columns));
  o.bind(1, id);
  if (o.step()) return read_org(o);
  Stmt p(db, fmt::format("SELECT {} FROM person p LEFT JOIN org o ON o.id = p.org "
                         "WHERE p.id = ? AND p.deleted = 0",
                         k_person_columns));
  p.bind(1, id);
  if (!p.step()) throw Error(ErrorKind::not_found, trf("there is no member with the id {}.", id));
  std::vector<Member> one{read_person(p)};
  load_people_details(db, one, with_contacts);
  return one[0];
}

std::vector<Member> list_members(Db& db, const MemberFilter& f) {
  std::optional<std::string> kind, status, org, direction;
  if (f.kind) {
    auto k = util::fold(*f.kind);
    if (k == "org" || k == "orgs" || k == util::fold("организация") || k == util::fold("организации"))
      kind = "org";
    else if (k == "person" || k == "people" || k == util::fold("сотрудник") || k == util::fold("сотрудники"))
      kind = "person";
    else
      kind = parse_term(org_kinds(), *f.kind, tr("kind"));
  }
  if (f.status) status = parse_term(member_statuses(), *f.status, tr("status"));
  if (f.org) org = resolve_member(db, *f.org, "org");
  if (f.direction) direction = resolve_direction(db, *f.direction);

  std::vector<Member> out;
  bool want_orgs = !org && !direction && (!kind || *kind != "person");
  bool want_people = !kind || *kind == "person";
  if (want_orgs) {
    Stmt s(db, fmt::format("SELECT {} FROM org o WHERE o.deleted = 0 AND (?1 IS NULL OR o.kind = ?1) "
                           "AND (?2 IS NULL OR o.status = ?2)",
                           k_org_columns));
    s.bind(1, kind && *kind != "org" ? kind : std::nullopt).bind(2, status);
    while (s.step()) out.push_back(read_org(s));
  }
  if (want_people) {
    Stmt s(db, fmt::format("SELECT {} FROM person p LEFT JOIN org o ON o.id = p.org WHERE p.deleted = 0 "
                           "AND (?1 IS NULL OR p.status = ?1) "
                           "AND (?2 IS NULL OR p.org = ?2 OR EXISTS (SELECT 1 FROM membership m WHERE m.person = p.id "
                           "     AND m.grp = ?2 AND m.deleted = 0)) "
                           "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM expertise e WHERE e.person = p.id "
                           "     AND e.direction = ?3 AND e.deleted = 0))",
                           k_person_columns));
    s.bind(1, status).bind(2, org).bind(3, direction);
    std::vector<Member> people;
    while (s.step()) people.push_back(read_person(s));
    load_people_details(db, people, f.with_contacts);
    out.insert(out.end(), std::make_move_iterator(people.begin()), std::make_move_iterator(people.end()));
  }
  // The department and the methodological service first, then the schools and
  // other institutions, then the groups, then people.
  auto kind_rank = [](const Member& m) -> std::size_t {
    if (!m.is_org) return 100;
    static const char* order[] = {"education-department", "methodological-service", "school",
                                  "kindergarten",         "additional-education",   "methodological-association",
                                  "creative-group",       "expert-council"};
    for (std::size_t i = 0; i < std::size(order); ++i)
      if (m.kind == order[i]) return i;
    return 99;
  };
  std::vector<std::pair<std::pair<std::size_t, std::string>, std::size_t>> keys;
  auto wanted = f.name ? util::fold(util::trim(*f.name)) : std::string();
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto folded = util::fold(out[i].name);
    if (!wanted.empty() && folded.find(wanted) == std::string::npos &&
        util::fold(out[i].short_name).find(wanted) == std::string::npos)
      continue;
    keys.push_back({{kind_rank(out[i]), std::move(folded)}, i});
  }
  std::sort(keys.begin(), keys.end());
  std::vector<Member> sorted;
  sorted.reserve(out.size());
  for (const auto& k : keys) sorted.push_back(std::move(out[k.second]));
  return sorted;
}

std::size_t short_id_length(Db& db) {
  Stmt s(db, "SELECT id FROM org UNION ALL SELECT id FROM person ORDER BY 1");
  std::size_t longest = 0;
  std::string prev;
  while (s.step()) {
    auto id = s.column_text(0);
    std::size_t common = 0;
    while (common < id.size() && common < prev.size() && id[common] == prev[common]) ++common;
    longest = std::max(longest, common);
    prev = std::move(id);
  }
  return std::clamp<std::size_t>(longest + 1, 8, 36);
}

// ---- Writing

namespace {
// The id of a record that `query` (id, name; one parameter) finds with the
// same name as `name`, case aside: the duplicate an add would make.
std::optional<std::string> same_name(Db& db, const std::string& query, const std::string& param,
                                     const std::string& name) {
  auto& s = db.cached(query);
  s.bind(1, param);
  auto folded = util::fold(name);
  std::optional<std::string> found;
  while (!found && s.step())
    if (util::fold(s.column_text(1)) == folded) found = s.column_text(0);
  s.reset();
  return found;
}
}  // namespace

std::string add_org(Writer& w, const OrgInput& in) {
  auto kind = parse_term(org_kinds(), in.kind, tr("kind"));
  auto status = parse_term(member_statuses(), in.status, tr("status"));
  auto name = checked_name(in.name, tr("name"));
  std::optional<std::string> short_name;
  if (in.short_name && !util::trim(*in.short_name).empty()) short_name = checked_name(*in.short_name, tr("short name"));
  if (auto existing = in.check_duplicate
                          ? same_name(w.db(), "SELECT id, name FROM org WHERE kind = ? AND deleted = 0", kind, name)
                          : std::nullopt)
    throw Error(ErrorKind::bad_data, trf("«{}» is in the registry already (id {}). Change that record with "
                                         "'setevoe member edit' instead.",
                                         name, *existing));
  return w.create(tables::org,
                  {{"kind", kind}, {"name", name}, {"short_name", text_or_null(short_name)}, {"status", status}});
}

namespace {

// Writes a person's contacts; returns false when nothing changed.
bool write_contacts(Writer& w, const std::string& person_id, const std::string& person_owner,
                    const std::optional<std::string>& email, const std::optional<std::string>& phone) {
  if (!email && !phone) return false;
  Fields f;
  if (email) f.push_back({"email", text_or_null(email)});
  if (phone) f.push_back({"phone", text_or_null(phone)});
  auto& exists = w.db().cached("SELECT deleted FROM contact WHERE id = ?");
  exists.bind(1, person_id);
  if (exists.step()) {
    bool removed = exists.column_int(0) != 0;
    exists.reset();
    if (removed) f.push_back({"deleted", std::int64_t{0}});
    return w.update(tables::contact, person_id, f);
  }
  exists.reset();
  if ((!email || email->empty()) && (!phone || phone->empty())) return false;  // nothing to keep
  w.create_with_id(tables::contact, person_id, f, person_owner);
  return true;
}

}  // namespace

std::string add_person(Writer& w, const PersonInput& in) {
  auto name = checked_name(in.name, tr("full name"));
  auto status = parse_term(member_statuses(), in.status, tr("status"));
  auto org = resolve_member(w.db(), in.org, "org");
  auto email = checked_email(in.email);
  auto phone = checked_phone(in.phone);
  std::optional<std::string> position;
  if (in.position && !util::trim(*in.position).empty()) position = checked_name(*in.position, tr("position"));
  if (auto existing = in.check_duplicate
                          ? same_name(w.db(), "SELECT id, name FROM person WHERE org = ? AND deleted = 0", org, name)
                          : std::nullopt)
    throw Error(ErrorKind::bad_data, trf("«{}» is in the registry already with this organisation (id {}). Change "
                                         "that record with 'setevoe member edit' instead.",
                                         name, *existing));
  auto id = w.create(tables::person,
                     {{"name", name}, {"org", org}, {"position", text_or_null(position)}, {"status", status}});
  write_contacts(w, id, w.self().id, email && !email->empty() ? email : std::nullopt,
                 phone && !phone->empty() ? phone : std::nullopt);
  return id;
}

bool edit_member(Writer& w, const std::string& id, const MemberPatch& patch) {
  if (patch.empty()) throw Error(ErrorKind::usage, tr("nothing to change: give at least one field, such as --name."));
  auto m = get_member(w.db(), id, false);
  Fields f;
  if (patch.name) f.push_back({"name", checked_name(*patch.name, m.is_org ? tr("name") : tr("full name"))});
  if (patch.status) f.push_back({"status", parse_term(member_statuses(), *patch.status, tr("status"))});
  if (m.is_org) {
    for (auto [set, option] : {std::pair{patch.org.has_value(), "--org"},
                               {patch.position.has_value(), "--position"},
                               {patch.email.has_value(), "--email"},
                               {patch.phone.has_value(), "--phone"}})
      if (set) throw Error(ErrorKind::usage, trf("{} applies to people, not to organisations.", option));
    if (patch.kind) f.push_back({"kind", parse_term(org_kinds(), *patch.kind, tr("kind"))});
    if (patch.short_name) {
      auto s = util::trim(*patch.short_name);
      f.push_back({"short_name", s.empty() ? Value{} : Value{checked_name(s, tr("short name"))}});
    }
    return w.update(tables::org, id, f);
  }
  for (auto [set, option] : {std::pair{patch.kind.has_value(), "--kind"}, {patch.short_name.has_value(), "--short"}})
    if (set) throw Error(ErrorKind::usage, trf("{} applies to organisations, not to people.", option));
  if (patch.org) f.push_back({"org", resolve_member(w.db(), *patch.org, "org")});
  if (patch.position) {
    auto s = util::trim(*patch.position);
    f.push_back({"position", s.empty() ? Value{} : Value{checked_name(s, tr("position"))}});
  }
  auto email = checked_email(patch.email);
  auto phone = checked_phone(patch.phone);
  bool changed = !f.empty() && w.update(tables::person, id, f);
  return write_contacts(w, id, m.owner, email, phone) || changed;
}

void remove_member(Writer& w, const std::string& id) {
  auto m = get_member(w.db(), id, false);
  if (m.is_org) {
    w.remove(tables::org, id);
    return;
  }
  w.remove(tables::person, id);
  // Personal data goes with the person (152-ФЗ): the contacts are erased, not only hidden.
  auto& c = w.db().cached("SELECT deleted FROM contact WHERE id = ?");
  c.bind(1, id);
  bool has_contacts = c.step() && c.column_int(0) == 0;
  c.reset();
  if (has_contacts)
    w.update(tables::contact, id, {{"email", Value{}}, {"phone", Value{}}, {"deleted", std::int64_t{1}}});
}

bool join_group(Writer& w, const std::string& person, const std::string& group, const std::string& role_in) {
  auto role = parse_term(group_roles(), role_in, tr("role"));
  auto p = get_member(w.db(), person, false);
  auto g = get_member(w.db(), group, false);
  if (p.is_org) throw Error(ErrorKind::usage, trf("«{}» is an organisation; only people join groups.", p.name));
  if (!g.is_org || !is_group_kind(g.kind))
    throw Error(ErrorKind::usage, trf("«{}» is not a group (a methodological association, creative group, expert "
                                      "council or the methodological service); people belong to schools through "
                                      "--org.",
                                      g.name));
  auto& s = w.db().cached("SELECT id FROM membership WHERE person = ? AND grp = ? AND deleted = 0");
  s.bind(1, person).bind(2, group);
  if (s.step()) {
    auto id = s.column_text(0);
    s.reset();
    return w.update(tables::membership, id, {{"role", role}});
  }
  s.reset();
  w.create(tables::membership, {{"person", person}, {"grp", group}, {"role", role}});
  return true;
}

void leave_group(Writer& w, const std::string& person, const std::string& group) {
  auto& s = w.db().cached("SELECT id FROM membership WHERE person = ? AND grp = ? AND deleted = 0");
  s.bind(1, person).bind(2, group);
  if (!s.step()) {
    s.reset();
    throw Error(ErrorKind::not_found, tr("that person is not in that group."));
  }
  auto id = s.column_text(0);
  s.reset();
  w.remove(tables::membership, id);
}

int set_expert(Writer& w, const std::string& person, const std::vector<std::string>& directions, bool revoke) {
  if (w.self().role != Role::hub)
    throw Error(ErrorKind::not_permitted, tr("only the district hub appoints experts: this node is a school. Ask the "
                                             "moderator."));
  auto p = get_member(w.db(), person, false);
  if (p.is_org) throw Error(ErrorKind::usage, trf("«{}» is an organisation; only people are experts.", p.name));
  if (directions.empty()) throw Error(ErrorKind::usage, tr("give at least one --direction."));
  int changed = 0;
  for (const auto& ref : directions) {
    auto dir = resolve_direction(w.db(), ref);
    auto& s = w.db().cached("SELECT id FROM expertise WHERE person = ? AND direction = ? AND deleted = 0");
    s.bind(1, person).bind(2, dir);
    std::optional<std::string> existing;
    if (s.step()) existing = s.column_text(0);
    s.reset();
    if (revoke && !existing) throw Error(ErrorKind::not_found, trf("«{}» is not an expert in «{}».", p.name, ref));
    if (revoke)
      w.remove(tables::expertise, *existing);
    else if (!existing)
      w.create(tables::expertise, {{"person", person}, {"direction", dir}});
    changed += revoke || !existing ? 1 : 0;
  }
  return changed;
}

std::string add_direction(Writer& w, std::string_view code_in, std::string_view name_in) {
  auto code = util::ascii_lower(util::trim(code_in));
  if (code.empty() || code.size() > 40 ||
      code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
    throw Error(ErrorKind::usage, trf("the direction code «{}» must be short Latin letters, digits and hyphens: "
                                      "robotics, local-history.",
                                      code_in));
  auto name = checked_name(name_in, tr("direction name"));
  for (const auto& d : list_directions(w.db()))
    if (d.code == code || util::fold(d.name) == util::fold(name))
      throw Error(ErrorKind::bad_data, trf("the direction «{}» ({}) exists already.", d.name, d.code));
  return w.create(tables::direction, {{"code", code}, {"name", name}});
}

}  // namespace setevoe::core
