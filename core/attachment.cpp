// Attached files: the rows that describe them.
#include "core/attachment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "core/i18n.hpp"
#include "core/product.hpp"
#include "core/util/text.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {

const std::vector<Term>& attachment_roles() {
  static const std::vector<Term> roles = {
      {"photo", N_("photo"), "фото"},
      {"document", N_("document"), "документ"},
  };
  return roles;
}

std::string media_type_for(const std::string& name) {
  static const std::map<std::string, std::string> types = {
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"png", "image/png"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"svg", "image/svg+xml"},
      {"tif", "image/tiff"},
      {"tiff", "image/tiff"},
      {"pdf", "application/pdf"},
      {"djvu", "image/vnd.djvu"},
      {"doc", "application/msword"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"xls", "application/vnd.ms-excel"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"ppt", "application/vnd.ms-powerpoint"},
      {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"odt", "application/vnd.oasis.opendocument.text"},
      {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
      {"odp", "application/vnd.oasis.opendocument.presentation"},
      {"rtf", "application/rtf"},
      {"txt", "text/plain"},
      {"csv", "text/csv"},
      {"html", "text/html"},
      {"htm", "text/html"},
      {"mp4", "video/mp4"},
      {"m4v", "video/mp4"},
      {"mkv", "video/x-matroska"},
      {"webm", "video/webm"},
      {"avi", "video/x-msvideo"},
      {"mov", "video/quicktime"},
      {"mp3", "audio/mpeg"},
      {"ogg", "audio/ogg"},
      {"wav", "audio/wav"},
      {"zip", "application/zip"},
      {"7z", "application/x-7z-compressed"},
      {"rar", "application/vnd.rar"},
  };
  auto ext = std::filesystem::path(name).extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

namespace {

Attachment read_attachment(Stmt& s, const ObjectStore& store) {
  Attachment a;
  a.id = s.column_text(0);
  a.owner = s.column_text(1);
  a.entity = s.column_text(2);
  a.entity_id = s.column_text(3);
  a.role = s.column_text(4);
  a.name = s.column_text(5);
  a.media_type = s.column_text(6);
  a.size = s.column_int(7);
  a.sha256 = s.column_text(8);
  a.present = store.has(a.sha256);
  return a;
}

constexpr const char* k_columns = "id, owner, entity, entity_id, role, name, media_type, size, sha256";

}  // namespace

const std::vector<const TableSpec*>& tables_with_files() {
  static const std::vector<const TableSpec*> all = {&tables::org, &tables::person, &tables::product, &tables::question,
                                                    &tables::agreement};
  return all;
}

bool safe_file_name(const std::string& name) {
  if (name.empty() || name.size() > 255 || name == "." || name == ".." || !util::valid_utf8(name)) return false;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F || c == '/' || c == '\\') return false;
  return true;
}

void check_attachment_changes(Db& db, const ChangeSet& set) {
  std::map<std::string, std::string> stream_node;
  for (const auto& st : set.streams) stream_node[st.origin] = st.node;
  std::map<std::string, std::string> owners;  // rows created or known in this set
  for (const auto& c : set.changes)
    if (!c.fields.empty()) owners.emplace(c.row, c.owner);
  std::vector<std::string> malformed, offences;
  std::map<std::string, std::string> roles;
  for (const auto& c : set.changes) {
    if (c.table != tables::attachment.name || c.fields.empty()) continue;
    auto where = fmt::format("{} #{} ({} {})", c.origin, c.seq, c.table, c.row);
    const std::string* entity_id = nullptr;
    for (const auto& f : c.fields) {
      const auto* text = std::get_if<std::string>(&f.value);
      bool ok = true;
      if (f.name == "name") ok = text && safe_file_name(*text);
      if (f.name == "sha256") ok = text && is_object_name(*text);
      if (f.name == "size") ok = std::holds_alternative<std::int64_t>(f.value) && std::get<std::int64_t>(f.value) >= 0;
      if (f.name == "entity")
        ok = text && std::any_of(tables_with_files().begin(), tables_with_files().end(),
                                 [&](const TableSpec* t) { return *text == t->name; });
      if (f.name == "entity_id") {
        ok = text && util::is_uuid(*text);
        if (ok) entity_id = text;
      }
      if (!ok) malformed.push_back(fmt::format("{}: {}", where, f.name));
    }
    // A school attaches files only to its own records (a hub to any).
    auto node = stream_node[c.origin];
    auto& role = roles[node];
    if (role.empty()) role = node_role(db, node);
    if (role == "hub" || !entity_id) continue;
    std::optional<std::string> owner;
    if (auto it = owners.find(*entity_id); it != owners.end()) owner = it->second;
    for (const auto* t = tables_with_files().data();
         !owner && t != tables_with_files().data() + tables_with_files().size(); ++t) {
      Stmt s(db, fmt::format("SELECT owner FROM {} WHERE id = ?", (*t)->name));
      s.bind(1, *entity_id);
      if (s.step()) owner = s.column_text(0);
    }
    if (!owner || *owner != node)
      offences.push_back(fmt::format("{}: {}", where,
                                     trf("a file attached to the record {}, which is not the node's own", *entity_id)));
  }
  auto listed = [](const std::vector<std::string>& items) {
    std::string list;
    for (std::size_t i = 0; i < items.size() && i < 10; ++i) list += "\n  " + items[i];
    if (items.size() > 10) list += "\n  " + trf("… and {} more", items.size() - 10);
    return list;
  };
  if (!malformed.empty())
    throw Error(ErrorKind::bad_data, trf("attached files with malformed names, hashes or sizes in the bundle: {}; "
                                         "nothing was merged:{}",
                                         malformed.size(), listed(malformed)));
  if (!offences.empty())
    throw Error(ErrorKind::not_permitted,
                trf("changes outside their node's authority in the bundle: {}; nothing was merged:{}", offences.size(),
                    listed(offences)));
}

AttachResult attach_file(Writer& w, const std::string& entity_id, const std::string& name_in,
                         const std::string& role_in, const ObjectStore::Stored& stored) {
  auto role = parse_term(attachment_roles(), role_in, "--role");
  auto name = std::filesystem::path(name_in).filename().string();
  if (!safe_file_name(name)) throw Error(ErrorKind::usage, trf("«{}» is not a file name.", name_in));
  auto& db = w.db();
  const TableSpec* found = nullptr;
  std::string owner;
  for (const auto* t : tables_with_files()) {
    Stmt row(db, fmt::format("SELECT owner FROM {} WHERE id = ? AND deleted = 0", t->name));
    row.bind(1, entity_id);
    if (row.step()) {
      found = t;
      owner = row.column_text(0);
      break;
    }
  }
  if (!found) throw Error(ErrorKind::not_found, trf("no record {} here to attach files to.", entity_id));
  const auto& entity = *found;
  if (w.self().role != Role::hub && owner != w.self().id)
    throw Error(ErrorKind::not_permitted,
                trf("this record (kind «{}») belongs to the node {}; only that node or the district hub may attach "
                    "files to it.",
                    tr(entity.label), node_label(db, owner)));
  Stmt same(db, "SELECT id FROM attachment WHERE entity_id = ? AND sha256 = ? AND deleted = 0");
  same.bind(1, entity_id).bind(2, stored.sha256);
  if (same.step()) return {same.column_text(0), false};
  auto id = w.create(tables::attachment, {{"entity", entity.name},
                                          {"entity_id", entity_id},
                                          {"role", role},
                                          {"name", name},
                                          {"media_type", media_type_for(name)},
                                          {"size", static_cast<std::int64_t>(stored.size)},
                                          {"sha256", stored.sha256}});
  return {id, true};
}

std::vector<Attachment> list_attachments(Db& db, const ObjectStore& store, const std::string& entity_id) {
  std::vector<Attachment> out;
  // Cached: search results list the files of each product they show.
  auto& s = db.cached(
      fmt::format("SELECT {} FROM attachment WHERE entity_id = ? AND deleted = 0 ORDER BY name, id", k_columns));
  s.bind(1, entity_id);
  while (s.step()) out.push_back(read_attachment(s, store));
  s.reset();
  return out;
}

Attachment resolve_attachment(Db& db, const ObjectStore& store, const std::string& entity_id,
                              const std::string& ref_in) {
  auto ref = std::string(util::trim(ref_in));
  auto files = list_attachments(db, store, entity_id);
  std::vector<Attachment> found;
  for (const auto& f : files)
    if (f.name == ref) found.push_back(f);
  if (found.empty()) {
    auto prefix = util::canonical_id_prefix(ref);
    if (prefix && prefix->size() >= 4)
      for (const auto& f : files)
        if (f.id.rfind(*prefix, 0) == 0) found.push_back(f);
  }
  if (found.size() == 1) return found[0];
  if (found.empty())
    throw Error(ErrorKind::not_found, trf("no attached file «{}» here; the list of files shows what there is.", ref));
  std::string list;
  for (const auto& f : found) list += fmt::format("\n  {}  {}", f.id, f.name);
  throw Error(ErrorKind::usage, trf("«{}» matches several files; give the id:{}", ref, list));
}

void detach_file(Writer& w, const std::string& attachment_id) {
  w.remove(tables::attachment, attachment_id);
}

std::vector<std::string> wanted_objects(Db& db, const ObjectStore& store) {
  // Files of products outside this node's subscriptions are not wanted,
  // unless a user asked for one.
  auto self = self_node(db).id;
  std::set<std::string> out;
  Stmt s(db,
         "SELECT sha256, entity, entity_id, sha256 IN (SELECT sha256 FROM requested_object) FROM attachment "
         "WHERE deleted = 0");
  while (s.step()) {
    auto sha = s.column_text(0);
    if (!is_object_name(sha) || out.count(sha) || store.has(sha)) continue;
    if (s.column_text(1) == "product" && s.column_int(3) == 0 && !wants_product_files(db, self, s.column_text(2)))
      continue;
    out.insert(sha);
  }
  return {out.begin(), out.end()};
}

void request_object(Db& db, const std::string& sha256) {
  Transaction tx(db, Transaction::Kind::write);
  db.cached("INSERT OR IGNORE INTO requested_object (sha256) VALUES (?)").bind(1, sha256).run();
  tx.commit();
}

bool wanted_by(Db& db, const std::string& node, const std::string& attachment_id) {
  auto& s = db.cached("SELECT entity, entity_id FROM attachment WHERE id = ?");
  s.bind(1, attachment_id);
  bool out = !s.step() || s.column_text(0) != "product" || wants_product_files(db, node, s.column_text(1));
  s.reset();
  return out;
}

}  // namespace setevoe::core
