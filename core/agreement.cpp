// Agreements on joint activity and creative cooperation, and the
// obligations of their parties.
#include "core/agreement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "core/fields.hpp"
#include "core/i18n.hpp"
#include "core/node.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"

namespace setevoe::core {

// ---- Vocabularies

const std::vector<Term>& agreement_kinds() {
  static const std::vector<Term> v = {
      {"joint-activity", N_("joint activity"), "о совместной деятельности",
       "совместная деятельность|совместной деятельности"},
      {"creative-cooperation", N_("creative cooperation"), "о творческом сотрудничестве",
       "творческое сотрудничество|творческом сотрудничестве"},
  };
  return v;
}

const std::vector<Term>& agreement_statuses() {
  static const std::vector<Term> v = {
      {"draft", N_("draft (not in force)"), "не действует (проект)", "проект|не действует|не вступило в силу"},
      {"active", N_("in force"), "действует", "действующее|действующие"},
      {"expired", N_("expired"), "истекло", "истёк|истек|истёкшее|истекшее"},
      {"terminated", N_("terminated"), "расторгнуто", "расторгнутое|расторгнут"},
  };
  return v;
}

std::string agreement_status(const std::string& signed_on, const std::string& valid_from, const std::string& valid_to,
                             const std::string& terminated_on, const std::string& today) {
  if (!terminated_on.empty() && terminated_on <= today) return "terminated";
  if (!valid_to.empty() && valid_to < today) return "expired";
  if (signed_on.empty() || (!valid_from.empty() && valid_from > today)) return "draft";
  return "active";
}

int parse_days(std::string_view typed, std::string_view option) {
  auto text = util::fold(util::trim(typed));
  std::size_t i = 0;
  long n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9' && n <= 100000) n = n * 10 + (text[i++] - '0');
  auto unit = std::string_view(text).substr(i);
  long factor = 0;
  if (unit.empty() || unit == "d" || unit == util::fold("д")) factor = 1;
  if (unit == "w") factor = 7;
  if (i == 0 || factor == 0 || n * factor > 3660)
    throw Error(ErrorKind::usage, trf("{} «{}» is not a number of days; write it like 30d (30 days), 30д or 2w (two "
                                      "weeks), up to 3660 days.",
                                      option, typed));
  return static_cast<int>(n * factor);
}

namespace {

// "2026-09-01" as people read it: "01.09.2026".
std::string shown_date(const std::string& iso) {
  if (iso.size() != 10) return iso;
  return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

// A date typed by a user, as stored; empty stays empty (no date).
std::string typed_date(std::string_view text, std::string_view option) {
  auto t = util::trim(text);
  if (t.empty()) return {};
  auto d = util::parse_date(t);
  if (!d)
    throw Error(ErrorKind::usage,
                trf("{} «{}» is not a date; write YYYY-MM-DD or DD.MM.YYYY (for example 01.09.2026).", option, text));
  return *d;
}

struct Row {
  std::string owner, number, title, signed_on, valid_from, valid_to, terminated_on, parties;
};

Row read_row(Db& db, const std::string& id) {
  Stmt s(db,
         "SELECT owner, number, title, coalesce(signed_on, ''), coalesce(valid_from, ''), coalesce(valid_to, ''), "
         "coalesce(terminated_on, ''), parties FROM agreement WHERE id = ? AND deleted = 0");
  s.bind(1, id);
  if (!s.step())
    throw Error(ErrorKind::not_found,
                trf("there is no agreement with the id {}. 'setevoe agreement list' shows the agreements.", id));
  return {s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3),
          s.column_text(4), s.column_text(5), s.column_text(6), s.column_text(7)};
}

std::vector<std::string> party_ids(Db& db, const std::string& parties_json) {
  std::vector<std::string> out;
  Stmt s(db, "SELECT value FROM json_each(?) ORDER BY key");
  s.bind(1, parties_json);
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

std::string org_name(Db& db, const std::string& id) {
  auto& s = db.cached("SELECT name FROM org WHERE id = ?");
  s.bind(1, id);
  std::string out = s.step() ? s.column_text(0) : std::string();
  s.reset();
  return out;
}

// «№ 12/2026 «title»» for messages.
std::string agreement_label(const Row& r) {
  return trf("№ {} «{}»", r.number, r.title);
}

// Only the node that registered an agreement, or a hub, changes it.
void check_owner_or_hub(Writer& w, const Row& row) {
  if (w.self().role == Role::hub || row.owner == w.self().id) return;
  throw Error(ErrorKind::not_permitted,
              trf("the agreement {} was registered by the node {}; only that node or the district hub may change it.",
                  agreement_label(row), node_label(w.db(), row.owner)));
}

void check_not_terminated(const Row& row) {
  if (!row.terminated_on.empty())
    throw Error(ErrorKind::usage, trf("the agreement {} is terminated (as of {}); a terminated agreement is not "
                                      "changed.",
                                      agreement_label(row), shown_date(row.terminated_on)));
}

// A required text field: trimmed, checked, not empty.
std::string required_text(std::string_view text, const char* what, std::size_t max, const char* missing) {
  auto t = checked_text(text, tr(what), max);
  if (t.empty()) throw Error(ErrorKind::usage, tr(missing));
  return t;
}

// The parties as typed, resolved: two or more distinct orgs.
std::vector<std::string> resolved_parties(Db& db, const std::vector<std::string>& typed) {
  std::vector<std::string> ids;
  for (const auto& p : typed) {
    auto id = resolve_member(db, p, "org");
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      auto name = org_name(db, id);
      throw Error(ErrorKind::usage, trf("the org «{}» is named as a party twice (as «{}»); give each party once.",
                                        name.empty() ? id : name, p));
    }
    ids.push_back(id);
  }
  if (ids.size() < 2)
    throw Error(ErrorKind::usage,
                trf("an agreement has two or more parties; {} given. Name each org with --party.", ids.size()));
  return ids;
}

// The fields of an add or an edit, checked and resolved. `row` is the
// stored agreement (edit) or nullptr (add). `parties` receives the parties'
// ids when the list is set.
Fields agreement_fields(Db& db, const AgreementFields& in, const Row* row, std::vector<std::string>& parties) {
  Fields f;
  if (in.number)
    f.push_back({"number", required_text(*in.number, N_("agreement's number"), 100,
                                         N_("the agreement's number is empty; give it with --number, as on the "
                                            "document: 12/2026."))});
  if (in.kind) f.push_back({"kind", parse_term(agreement_kinds(), *in.kind, "--kind")});
  if (in.title)
    f.push_back({"title", required_text(*in.title, N_("agreement's title"), 500,
                                        N_("the agreement's title is empty; give it with --title."))});
  if (in.subject)
    f.push_back({"subject", required_text(*in.subject, N_("agreement's subject"), 20000,
                                          N_("the agreement's subject is empty; say what it is about with "
                                             "--subject."))});
  if (in.interaction)
    f.push_back({"interaction", checked_text(*in.interaction, tr("regulation of interaction"), 20000)});
  if (in.responsibility)
    f.push_back({"responsibility", checked_text(*in.responsibility, tr("responsibility of the parties"), 20000)});
  if (in.parties) {
    parties = resolved_parties(db, *in.parties);
    f.push_back({"parties", json_array(parties)});
  }
  // The dates, as they will be.
  auto signed_on = row ? row->signed_on : std::string();
  auto from = row ? row->valid_from : std::string();
  auto to = row ? row->valid_to : std::string();
  if (in.date) {
    signed_on = typed_date(*in.date, "--date");
    f.push_back({"signed_on", signed_on.empty() ? Value(std::monostate{}) : Value(signed_on)});
  }
  if (in.valid_from) from = typed_date(*in.valid_from, "--valid-from");
  // The term begins on the signing date unless it says otherwise.
  bool from_default = from.empty() && !signed_on.empty();
  if (from_default) from = signed_on;
  if (in.valid_from || from_default) f.push_back({"valid_from", from.empty() ? Value(std::monostate{}) : Value(from)});
  if (in.valid_to) {
    to = typed_date(*in.valid_to, "--valid-to");
    f.push_back({"valid_to", to.empty() ? Value(std::monostate{}) : Value(to)});
  }
  if (!to.empty() && !from.empty() && to < from)
    throw Error(ErrorKind::usage, trf("the term ends ({}) before it begins ({}); check --valid-from and --valid-to.",
                                      shown_date(to), shown_date(from)));
  if (!to.empty() && !signed_on.empty() && to < signed_on)
    throw Error(ErrorKind::usage, trf("the term ends ({}) before the agreement is signed ({}); check --date and "
                                      "--valid-to.",
                                      shown_date(to), shown_date(signed_on)));
  if (!row) {
    if (!in.number) throw Error(ErrorKind::usage, tr("give the agreement's number with --number, as on the document."));
    if (!in.kind)
      throw Error(ErrorKind::usage,
                  tr("give the kind of the agreement with --kind joint-activity or --kind creative-cooperation."));
    if (!in.title) throw Error(ErrorKind::usage, tr("give the agreement's title with --title."));
    if (!in.subject) throw Error(ErrorKind::usage, tr("say what the agreement is about with --subject."));
    if (!in.parties)
      throw Error(ErrorKind::usage, tr("name the parties to the agreement, two or more orgs, each with --party."));
  }
  return f;
}

constexpr const char* k_columns =
    "id, owner, number, coalesce(signed_on, ''), kind, title, subject, parties, coalesce(valid_from, ''), "
    "coalesce(valid_to, ''), interaction, responsibility, coalesce(terminated_on, ''), "
    "coalesce(terminate_reason, ''), _v";

struct Reader {
  Stmt parties, obligations;
  explicit Reader(Db& db)
      : parties(db,
                "SELECT j.value, coalesce(o.name, '') FROM json_each(?) j LEFT JOIN org o ON o.id = j.value "
                "ORDER BY j.key"),
        obligations(db,
                    "SELECT b.id, b.owner, b.party, coalesce(o.name, ''), b.text FROM obligation b "
                    "JOIN agreement a ON a.id = b.agreement LEFT JOIN org o ON o.id = b.party "
                    "WHERE b.agreement = ? AND b.deleted = 0 AND b.owner = a.owner "
                    // As written: by the clock tick of the creation (ids of
                    // one millisecond are in no order), the same on every node.
                    "ORDER BY substr(coalesce(json_extract(b._v, '$.\"*\"'), ''), 1, 16), b.id") {}
};

Agreement read_agreement(const Stmt& s, Reader& r, const std::string& today) {
  Agreement a;
  a.id = s.column_text(0);
  a.owner = s.column_text(1);
  a.number = s.column_text(2);
  a.signed_on = s.column_text(3);
  a.kind = s.column_text(4);
  a.title = s.column_text(5);
  a.subject = s.column_text(6);
  r.parties.reset();
  r.parties.bind(1, s.column_text(7));
  while (r.parties.step()) a.parties.push_back({r.parties.column_text(0), r.parties.column_text(1)});
  a.valid_from = s.column_text(8);
  a.valid_to = s.column_text(9);
  a.interaction = s.column_text(10);
  a.responsibility = s.column_text(11);
  a.terminated_on = s.column_text(12);
  a.terminate_reason = s.column_text(13);
  std::tie(a.created_at, a.updated_at) = row_times(s.column_text(14), a.id);
  a.status = agreement_status(a.signed_on, a.valid_from, a.valid_to, a.terminated_on, today);
  r.obligations.reset();
  r.obligations.bind(1, a.id);
  while (r.obligations.step())
    a.obligations.push_back({r.obligations.column_text(0), r.obligations.column_text(1), r.obligations.column_text(2),
                             r.obligations.column_text(3), r.obligations.column_text(4)});
  // By party, in the order of the parties; then as written.
  auto rank = [&](const Obligation& o) {
    auto it =
        std::find_if(a.parties.begin(), a.parties.end(), [&](const AgreementParty& p) { return p.id == o.party_id; });
    return static_cast<std::size_t>(it - a.parties.begin());
  };
  std::stable_sort(a.obligations.begin(), a.obligations.end(),
                   [&](const Obligation& x, const Obligation& y) { return rank(x) < rank(y); });
  return a;
}

void check_today(const std::string& today) {
  if (!util::parse_date(today) || today.size() != 10 || today[4] != '-')
    throw Error(ErrorKind::internal, "today is not a YYYY-MM-DD date: " + today);
}

}  // namespace

// ---- Operations

std::string add_agreement(Writer& w, const AgreementFields& in) {
  std::vector<std::string> parties;
  auto f = agreement_fields(w.db(), in, nullptr, parties);
  return w.create(tables::agreement, f);
}

AgreementEdit edit_agreement(Writer& w, const std::string& id, const AgreementFields& patch) {
  if (patch.empty()) throw Error(ErrorKind::usage, tr("nothing to change: give at least one option."));
  auto& db = w.db();
  auto row = read_row(db, id);
  check_owner_or_hub(w, row);
  check_not_terminated(row);
  std::vector<std::string> parties;
  auto f = agreement_fields(db, patch, &row, parties);
  AgreementEdit out;
  out.changed = w.update(tables::agreement, id, f);
  if (patch.parties) {
    // The obligations of a party that left the agreement go with it.
    Stmt s(db, "SELECT id, party FROM obligation WHERE agreement = ? AND deleted = 0 ORDER BY id");
    s.bind(1, id);
    std::vector<std::string> gone;
    while (s.step())
      if (std::find(parties.begin(), parties.end(), s.column_text(1)) == parties.end())
        gone.push_back(s.column_text(0));
    for (const auto& o : gone) w.remove(tables::obligation, o);
    out.obligations_removed = gone.size();
  }
  return out;
}

std::string add_obligation(Writer& w, const std::string& agreement_id, const std::string& party,
                           std::string_view text) {
  auto& db = w.db();
  auto row = read_row(db, agreement_id);
  // One writer for an agreement's obligations: the node that registered it.
  if (row.owner != w.self().id)
    throw Error(ErrorKind::not_permitted,
                trf("the obligations under the agreement {} are written by the node that registered it ({}); this "
                    "node is not it.",
                    agreement_label(row), node_label(db, row.owner)));
  check_not_terminated(row);
  auto what = required_text(text, N_("obligation"), 5000,
                            N_("the obligation's text is empty; say what the party undertakes with --text."));
  auto party_id = resolve_member(db, party, "org");
  auto parties = party_ids(db, row.parties);
  if (std::find(parties.begin(), parties.end(), party_id) == parties.end()) {
    std::string names;
    for (const auto& p : parties) {
      auto name = org_name(db, p);
      names += (names.empty() ? "" : "; ") + (name.empty() ? p : name);
    }
    throw Error(ErrorKind::usage, trf("«{}» is not a party to the agreement {}; its parties are: {}.", party,
                                      agreement_label(row), names));
  }
  return w.create(tables::obligation, {{"agreement", agreement_id}, {"party", party_id}, {"text", what}});
}

void terminate_agreement(Writer& w, const std::string& id, std::string_view date, std::string_view reason) {
  auto& db = w.db();
  auto row = read_row(db, id);
  check_owner_or_hub(w, row);
  if (!row.terminated_on.empty())
    throw Error(ErrorKind::usage, trf("the agreement {} is terminated already (as of {}).", agreement_label(row),
                                      shown_date(row.terminated_on)));
  auto on = typed_date(date, "--date");
  if (on.empty())
    throw Error(ErrorKind::usage, tr("give the date of the termination with --date (YYYY-MM-DD or DD.MM.YYYY)."));
  auto why = required_text(reason, N_("reason"), 2000,
                           N_("give the reason for the termination with --reason; the parties will read it."));
  if (!row.signed_on.empty() && on < row.signed_on)
    throw Error(ErrorKind::usage, trf("the termination date {} is before the agreement was signed ({}).",
                                      shown_date(on), shown_date(row.signed_on)));
  w.update(tables::agreement, id, {{"terminated_on", on}, {"terminate_reason", why}});
}

// ---- Reading

std::string resolve_agreement(Db& db, std::string_view ref) {
  auto number = std::string(util::trim(ref));
  if (!number.empty()) {
    Stmt s(db, "SELECT id, title FROM agreement WHERE number = ? AND deleted = 0 ORDER BY id LIMIT 11");
    s.bind(1, number);
    std::vector<std::pair<std::string, std::string>> found;
    while (s.step()) found.push_back({s.column_text(0), s.column_text(1)});
    if (found.size() == 1) return found[0].first;
    if (found.size() > 1) {
      std::string list;
      for (std::size_t i = 0; i < found.size() && i < 10; ++i)
        list += fmt::format("\n  {}  {}", found[i].first, found[i].second);
      throw Error(ErrorKind::usage, trf("several agreements have the number «{}»; give the id:{}", number, list));
    }
  }
  return resolve_record(db, ref,
                        {"agreement", tr("an empty agreement id, number or title was given."),
                         tr("«{}» matches {} agreements; give more digits of the id:{}"),
                         tr("«{}» is the id of a record of the kind «{}», not of an agreement."),
                         tr("no agreement «{}»: give its id, number or title. 'setevoe agreement list' shows "
                            "them.")});
}

Agreement get_agreement(Db& db, const std::string& id, const std::string& today) {
  check_today(today);
  Reader r(db);
  Stmt s(db, fmt::format("SELECT {} FROM agreement WHERE id = ? AND deleted = 0", k_columns));
  s.bind(1, id);
  if (!s.step())
    throw Error(ErrorKind::not_found,
                trf("there is no agreement with the id {}. 'setevoe agreement list' shows the agreements.", id));
  return read_agreement(s, r, today);
}

std::vector<Agreement> list_agreements(Db& db, const AgreementFilter& f, const std::string& today) {
  check_today(today);
  std::string status;
  if (f.status) status = parse_term(agreement_statuses(), *f.status, "--status");
  std::string until;
  if (f.expiring) until = util::add_days(today, parse_days(*f.expiring, "--expiring"));
  std::string party;
  if (f.party) party = resolve_member(db, *f.party, "org");
  Reader r(db);
  Stmt s(db, fmt::format("SELECT {} FROM agreement a WHERE deleted = 0 AND (?1 = '' OR EXISTS (SELECT 1 FROM "
                         "json_each(a.parties) WHERE value = ?1)) "
                         "ORDER BY signed_on IS NULL, signed_on, number, id",
                         k_columns));
  s.bind(1, party);
  std::vector<Agreement> out;
  while (s.step()) {
    auto a = read_agreement(s, r, today);
    if (!status.empty() && a.status != status) continue;
    if (f.expiring && (a.status != "active" || a.valid_to.empty() || a.valid_to > until)) continue;
    out.push_back(std::move(a));
  }
  if (f.expiring)
    std::stable_sort(out.begin(), out.end(),
                     [](const Agreement& x, const Agreement& y) { return x.valid_to < y.valid_to; });
  return out;
}

}  // namespace setevoe::core
