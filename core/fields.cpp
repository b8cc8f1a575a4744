// Checks and forms of field values that the kinds of records share.
#include "core/fields.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/util/json.hpp"
#include "core/util/text.hpp"

namespace setevoe::core {

std::string checked_text(std::string_view text, std::string_view what, std::size_t max) {
  auto t = util::trim(text);
  if (!util::valid_utf8(t)) throw Error(ErrorKind::usage, trf("the {} is not valid UTF-8 text.", what));
  if (t.size() > max) throw Error(ErrorKind::usage, trf("the {} is longer than {} bytes; shorten it.", what, max));
  for (unsigned char c : t)
    if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F)
      throw Error(ErrorKind::usage, trf("the {} contains a control character.", what));
  return std::string(t);
}

std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& i : items) out += (out.size() > 1 ? "," : "") + util::json_quote(i);
  return out + "]";
}

}  // namespace setevoe::core
