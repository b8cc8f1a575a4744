// Agreements on joint activity and creative cooperation between the
// network's organisations (regulation 3.2.1): the number, the signing date,
// the parties (two or more orgs), the subject, the term, the regulation of
// interaction, the responsibility of the parties, and the mutual obligations
// of each party. An agreement is owned by the node that registered it; so
// are its obligations. Its status is not stored: it follows from the dates
// and the termination, as of a given day. Every change goes through the
// replicated write path.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"
#include "core/member.hpp"
#include "core/replica.hpp"

namespace setevoe::core {

// ---- Vocabularies (codes stored and typed; Russian labels shown).
const std::vector<Term>& agreement_kinds();     // joint-activity | creative-cooperation
const std::vector<Term>& agreement_statuses();  // draft | active | expired | terminated

// The status of an agreement on the day `today` (YYYY-MM-DD), from its dates
// (YYYY-MM-DD, empty for none), the first rule that holds:
//   terminated  the termination date is on or before today;
//   expired     the end of its term is before today;
//   draft       not signed, or its term begins after today;
//   active      otherwise.
std::string agreement_status(const std::string& signed_on, const std::string& valid_from, const std::string& valid_to,
                             const std::string& terminated_on, const std::string& today);

// ---- Records as read back. Dates are YYYY-MM-DD; empty for none.

struct AgreementParty {
  std::string id;
  std::string name;  // empty when the org's card has not arrived yet
};

struct Obligation {
  std::string id, owner, party_id, party_name, text;
};

struct Agreement {
  std::string id, owner, number;
  std::string signed_on;  // empty: not signed (a draft)
  std::string kind, title, subject;
  std::vector<AgreementParty> parties;
  std::string valid_from, valid_to;  // valid_to empty: open-ended
  std::string interaction, responsibility;
  std::string terminated_on, terminate_reason;  // empty: not terminated
  std::string status;                           // as of the day the record was read for
  std::vector<Obligation> obligations;          // by party, in the parties' order, then as written
  std::string created_at, updated_at;           // ISO 8601 UTC
};

// ---- Input. Dates are typed as YYYY-MM-DD or DD.MM.YYYY. Options left
// unset keep their defaults (add) or the stored value (edit); the list of
// parties, when set, replaces the whole list. An empty date clears it (the
// signing date: a draft again; the end of the term: open-ended).

struct AgreementFields {
  std::optional<std::string> number, date, kind, title, subject, valid_from, valid_to, interaction, responsibility;
  std::optional<std::vector<std::string>> parties;  // orgs as typed: id prefix, exact name or short name
  bool empty() const {
    return !number && !date && !kind && !title && !subject && !valid_from && !valid_to && !interaction &&
           !responsibility && !parties;
  }
};

struct AgreementFilter {
  std::optional<std::string> status;    // a status code or its Russian name
  std::optional<std::string> party;     // an org as typed
  std::optional<std::string> expiring;  // "30d", "30", "30д", "2w": active, and the term ends within that many days
};

// ---- Operations.

// Registers an agreement, owned by this node. When the start of the term is
// not given, it is the signing date. Errors: usage (no number, kind, title or
// subject; fewer than two parties, or one named twice; an unknown kind; a
// date that does not parse; the term ending before it begins), not_found (an
// unknown org).
std::string add_agreement(Writer& w, const AgreementFields& in);

// What an edit did: whether anything changed, and the obligations removed
// with the parties that left the agreement.
struct AgreementEdit {
  bool changed = false;
  std::size_t obligations_removed = 0;
};
// Changes fields; the checks of add apply to the result. A party taken out
// of the list takes its obligations with it. The owner node or a hub (else
// not_permitted); a terminated agreement is not edited (usage).
AgreementEdit edit_agreement(Writer& w, const std::string& id, const AgreementFields& patch);

// Adds an obligation of one party (one of the agreement's parties, else
// usage). Only the node that owns the agreement writes its obligations
// (else not_permitted); not for a terminated agreement (usage).
std::string add_obligation(Writer& w, const std::string& agreement_id, const std::string& party, std::string_view text);

// Terminates an agreement as of a date (not before its signing date) with a
// reason, both required. Errors: usage (terminated already; a missing or bad
// date or reason), not_permitted (not the owner node or a hub).
void terminate_agreement(Writer& w, const std::string& id, std::string_view date, std::string_view reason);

// An agreement by a unique id prefix (4+ hex digits), its exact number or
// its exact title (any case). Errors: not_found; usage (ambiguous, empty).
std::string resolve_agreement(Db& db, std::string_view ref);
// With the status as of `today` (YYYY-MM-DD). Errors: not_found.
Agreement get_agreement(Db& db, const std::string& id, const std::string& today);
// Signed ones by signing date, then the drafts; with `expiring`, by the end
// of the term. Errors: usage (a bad status or period), not_found (the party).
std::vector<Agreement> list_agreements(Db& db, const AgreementFilter& filter, const std::string& today);

// A number of days typed for --expiring: "30", "30d", "30д" (days), "2w"
// (weeks); 0 to 3660 days. Usage error naming `option` otherwise.
int parse_days(std::string_view text, std::string_view option);

}  // namespace setevoe::core
