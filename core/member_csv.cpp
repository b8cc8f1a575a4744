// The member registry as a spreadsheet: CSV import (all or nothing) and export.
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/i18n.hpp"
#include "core/member.hpp"
#include "core/util/csv.hpp"
#include "core/util/text.hpp"

namespace setevoe::core {
namespace {

enum class Column { type, kind, name, short_name, status, org, position, email, phone, groups, expert };

struct ColumnName {
  Column column;
  const char* names;  // accepted header names, folded, '|' separated
};
const std::vector<ColumnName> k_columns = {
    {Column::type, "type|тип|запись"},
    {Column::kind, "kind|вид|вид организации"},
    {Column::name, "name|название|наименование|фио|ф.и.о.|имя"},
    {Column::short_name, "short_name|short|краткое название|краткое наименование|сокращение"},
    {Column::status, "status|статус"},
    {Column::org, "org|organisation|organization|организация|место работы"},
    {Column::position, "position|должность"},
    {Column::email, "email|e-mail|почта|электронная почта"},
    {Column::phone, "phone|телефон"},
    {Column::groups, "groups|группы|объединения"},
    {Column::expert, "expert|эксперт|направления эксперта"},
};
const char* k_export_header[] = {"type",     "kind",  "name",  "short_name", "status", "org",
                                 "position", "email", "phone", "groups",     "expert"};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) throw Error(ErrorKind::not_found, trf("cannot open {}: there is no such file.", path));
    throw Error(ErrorKind::io, trf("cannot open {}: {}.", path, std::strerror(errno)));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw Error(ErrorKind::io, trf("cannot read {}.", path));
  return ss.str();
}

// The line of the first invalid UTF-8 sequence, or 0.
std::size_t first_bad_utf8_line(std::string_view text) {
  std::size_t line = 1, start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      if (!util::valid_utf8(text.substr(start, i - start))) return line;
      ++line;
      start = i + 1;
    }
  }
  return 0;
}

class Importer {
 public:
  Importer(Writer& w, std::string path) : m_w(w), m_path(std::move(path)) {}

  ImportResult run() {
    auto text = read_file(m_path);
    if (auto bad = first_bad_utf8_line(text))
      fail(bad, tr("the text is not valid UTF-8; save the file as «CSV UTF-8» in the spreadsheet program"));
    char sep = ',';
    util::CsvError err;
    auto rows = util::parse_csv(text, sep, err);
    if (!rows) fail(err.line, tr(err.reason.c_str()));
    if (rows->empty()) fail(1, tr("the file is empty; the first line must name the columns"));
    read_header(rows->front());
    for (std::size_t i = 1; i < rows->size(); ++i) {
      const auto& r = (*rows)[i];
      if (r.fields.size() != m_header.size())
        fail(r.line, trf("the row has {} fields, the header has {}; check the separators and quotes", r.fields.size(),
                         m_header.size()));
    }
    load_existing();
    // Organisations first, so that people may name an org on any line.
    for (std::size_t i = 1; i < rows->size(); ++i)
      if (is_org_row((*rows)[i])) guarded((*rows)[i].line, [&] { import_org((*rows)[i]); });
    for (std::size_t i = 1; i < rows->size(); ++i)
      if (!is_org_row((*rows)[i])) guarded((*rows)[i].line, [&] { import_person((*rows)[i]); });
    return m_result;
  }

 private:
  [[noreturn]] void fail(std::size_t line, const std::string& reason) {
    throw Error(ErrorKind::bad_data, trf("{}, line {}: {}. Nothing was imported.", m_path, line, reason));
  }

  template <typename F>
  void guarded(std::size_t line, F&& f) {
    try {
      f();
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::internal || e.kind() == ErrorKind::busy || e.kind() == ErrorKind::io) throw;
      std::string reason = e.what();
      while (!reason.empty() && (reason.back() == '.' || reason.back() == ' ')) reason.pop_back();
      auto kind = e.kind() == ErrorKind::not_permitted ? ErrorKind::not_permitted : ErrorKind::bad_data;
      throw Error(kind, trf("{}, line {}: {}. Nothing was imported.", m_path, line, reason));
    }
  }

  void read_header(const util::CsvRow& row) {
    std::string known;
    for (const auto& c : k_columns) known += (known.empty() ? "" : ", ") + util::split_list(c.names, '|')[0];
    for (const auto& raw : row.fields) {
      auto name = util::fold(util::trim(raw));
      std::optional<Column> found;
      for (const auto& c : k_columns)
        for (const auto& n : util::split_list(c.names, '|'))
          if (name == n) found = c.column;
      if (!found) fail(row.line, trf("unknown column «{}»; the columns are: {}", raw, known));
      for (auto c : m_header)
        if (c == *found) fail(row.line, trf("the column «{}» appears twice", raw));
      m_header.push_back(*found);
    }
    bool has_name = false;
    for (auto c : m_header) has_name = has_name || c == Column::name;
    if (!has_name) fail(row.line, trf("there is no «name» column; the columns are: {}", known));
  }

  // A cell's text, trimmed; line breaks of a cell wrapped in the spreadsheet
  // become spaces, since every field of the registry is one line.
  std::string get(const util::CsvRow& r, Column c) const {
    for (std::size_t i = 0; i < m_header.size(); ++i)
      if (m_header[i] == c) {
        std::string out;
        for (char ch : util::trim(r.fields[i])) {
          bool brk = ch == '\r' || ch == '\n';
          if (brk && !out.empty() && out.back() == ' ') continue;
          out.push_back(brk ? ' ' : ch);
        }
        return out;
      }
    return {};
  }
  std::optional<std::string> get_opt(const util::CsvRow& r, Column c) const {
    for (auto h : m_header)
      if (h == c) return get(r, c);
    return std::nullopt;
  }

  bool is_org_row(const util::CsvRow& r) const {
    auto type = util::fold(get(r, Column::type));
    if (type.empty()) return !get(r, Column::kind).empty();
    return type == "org" || type == util::fold("организация") || type == "organisation" || type == "organization";
  }

  void check_type(const util::CsvRow& r) {
    auto type = util::fold(get(r, Column::type));
    if (type.empty() || is_org_row(r)) return;
    if (type == "person" || type == util::fold("сотрудник") || type == util::fold("педагог") ||
        type == util::fold("человек"))
      return;
    throw Error(ErrorKind::bad_data, trf("unknown type «{}»; write org or person", get(r, Column::type)));
  }

  void load_existing() {
    Stmt orgs(m_w.db(), "SELECT id, name, short_name FROM org WHERE deleted = 0");
    while (orgs.step()) remember_org(orgs.column_text(0), orgs.column_text(1), orgs.column_optional(2));
    Stmt people(m_w.db(), "SELECT id, name, coalesce(org, '') FROM person WHERE deleted = 0");
    while (people.step()) m_people[{util::fold(people.column_text(1)), people.column_text(2)}] = people.column_text(0);
  }

  void remember_org(const std::string& id, const std::string& name, const std::optional<std::string>& short_name) {
    m_org_by_name[util::fold(name)].insert(id);
    if (short_name && !short_name->empty()) m_org_by_name[util::fold(*short_name)].insert(id);
  }

  // An org named in a cell: exact name or short name first, then an id prefix.
  std::string org_ref(const std::string& ref, std::string_view want) {
    auto it = m_org_by_name.find(util::fold(ref));
    if (it != m_org_by_name.end() && it->second.size() == 1) {
      auto id = *it->second.begin();
      if (want == "group") resolve_member(m_w.db(), id, "group");  // checks it is a group
      return id;
    }
    if (it != m_org_by_name.end() && it->second.size() > 1)
      throw Error(ErrorKind::bad_data,
                  trf("«{}» names {} organisations; use the full name or the id", ref, it->second.size()));
    return resolve_member(m_w.db(), ref, want);
  }

  void import_org(const util::CsvRow& r) {
    check_type(r);
    for (auto c : {Column::org, Column::position, Column::email, Column::phone, Column::groups, Column::expert})
      if (!get(r, c).empty())
        throw Error(ErrorKind::bad_data, tr("an organisation row has a value in a column for people (org, position, "
                                            "email, phone, groups, expert)"));
    OrgInput in;
    in.kind = get(r, Column::kind);
    if (in.kind.empty()) throw Error(ErrorKind::bad_data, tr("the kind of the organisation is empty"));
    in.name = checked_name(get(r, Column::name), tr("name"));
    if (auto s = get_opt(r, Column::short_name)) in.short_name = *s;
    auto status = get(r, Column::status);
    if (!status.empty()) in.status = status;
    auto existing = m_org_by_name.find(util::fold(in.name));
    if (existing != m_org_by_name.end() && existing->second.size() == 1) {
      MemberPatch patch;
      patch.kind = in.kind;
      patch.name = in.name;
      if (in.short_name) patch.short_name = in.short_name;
      if (!status.empty()) patch.status = status;
      if (edit_member(m_w, *existing->second.begin(), patch)) ++m_result.orgs;
      return;
    }
    in.check_duplicate = false;  // matched by name above
    auto id = add_org(m_w, in);
    remember_org(id, in.name, in.short_name);
    ++m_result.orgs;
  }

  void import_person(const util::CsvRow& r) {
    check_type(r);
    if (!get(r, Column::kind).empty() || !get(r, Column::short_name).empty())
      throw Error(ErrorKind::bad_data, tr("a person's row has a kind or a short name; for an organisation write "
                                          "type org"));
    auto name = checked_name(get(r, Column::name), tr("full name"));
    auto org_cell = get(r, Column::org);
    if (org_cell.empty())
      throw Error(ErrorKind::bad_data, trf("«{}» has no org: give the organisation they work in", name));
    auto org = org_ref(org_cell, "org");
    std::string id;
    auto key = std::pair{util::fold(name), org};
    if (auto it = m_people.find(key); it != m_people.end()) {
      id = it->second;
      MemberPatch patch;
      patch.position = get_opt(r, Column::position);
      if (auto s = get(r, Column::status); !s.empty()) patch.status = s;
      patch.email = get_opt(r, Column::email);
      patch.phone = get_opt(r, Column::phone);
      if (!patch.empty() && edit_member(m_w, id, patch)) ++m_result.people;
    } else {
      PersonInput in;
      in.name = name;
      in.org = org;
      in.position = get_opt(r, Column::position);
      in.email = get_opt(r, Column::email);
      in.phone = get_opt(r, Column::phone);
      if (auto s = get(r, Column::status); !s.empty()) in.status = s;
      in.check_duplicate = false;  // matched by name and org above
      id = add_person(m_w, in);
      m_people[key] = id;
      ++m_result.people;
    }
    for (const auto& item : util::split_list(get(r, Column::groups), ';')) {
      std::string group = item, role = "member";
      if (auto colon = item.rfind(':'); colon != std::string::npos) {
        group = std::string(util::trim(std::string_view(item).substr(0, colon)));
        role = std::string(util::trim(std::string_view(item).substr(colon + 1)));
      }
      if (join_group(m_w, id, org_ref(group, "group"), role)) ++m_result.memberships;
    }
    auto experts = util::split_list(get(r, Column::expert), ';');
    if (!experts.empty()) m_result.experts += set_expert(m_w, id, experts, false);
  }

  Writer& m_w;
  std::string m_path;
  std::vector<Column> m_header;
  std::map<std::string, std::set<std::string>> m_org_by_name;
  std::map<std::pair<std::string, std::string>, std::string> m_people;
  ImportResult m_result;
};

}  // namespace

ImportResult import_members(Writer& w, const std::string& path) {
  return Importer(w, path).run();
}

std::string export_members_csv(Db& db) {
  std::string out;
  out += util::csv_line(std::vector<std::string>(std::begin(k_export_header), std::end(k_export_header)));
  MemberFilter all;
  all.with_contacts = true;
  for (const auto& m : list_members(db, all)) {
    std::string groups, experts;
    for (const auto& g : m.groups) groups += (groups.empty() ? "" : "; ") + g.group_name + ":" + g.role;
    for (const auto& d : m.expert_in) experts += (experts.empty() ? "" : "; ") + d.code;
    if (m.is_org)
      out += util::csv_line({"org", m.kind, m.name, m.short_name, m.status, "", "", "", "", "", ""});
    else
      out += util::csv_line({"person", "", m.name, "", m.status, m.org_name.empty() ? m.org_id : m.org_name, m.position,
                             m.email.value_or(""), m.phone.value_or(""), groups, experts});
  }
  return out;
}

}  // namespace setevoe::core
